"""From a printed value's binding key to the results.json key of each number it prints.

The one place that knows how a binding ('efficacy.orr:proportion', a table cell's
'efficacy.orr:ci') becomes data-keys, one per number: '13.3% (95% CI 0.4–26.2)' is
`efficacy.orr.estimate`, `efficacy.orr.level`, `efficacy.orr.ci_low` and
`efficacy.orr.ci_high`. Keys are parsed, printed and followed by the one key grammar
(results/keys.py); what is here is what a data-key adds to it.

A data-key is a Key without a format whose fields are results.json's (README, "Where a
number comes from"): field names joined by dots; an item of a list, or of an object
keyed by value (landmarks), named in brackets by its identity — an adverse event by its
term, a Table 1 row or level by its label, a landmark by its months, a prognostic row by
`factor=level`:

    efficacy.orr.ci_low    survival.pfs.landmarks[6].estimate
    safety.adverse_events[Hypertension].grade3    baseline[Sex].levels[Male].n

An adverse-event term is named under `safety.adverse_events` when the table lists it,
under `safety.all_terms` otherwise. A percentage printed beside a count that
results.json keeps no fraction for is the count's key with `.pct` (derived: the count
over its denominator, `efficacy.bor_counts.PR.pct`); `X.length` is the number of items
of the list X.

Each number is checked against the value its key resolves to (at the printed
precision) before it is given the key; a printed text whose numbers cannot all be
matched keeps one key for the whole text, never a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from ..present.formats import FORMATS
from ..results import (
    AERow,
    Distribution,
    Landmark,
    LevelCount,
    LogRankRow,
    MultivariableRow,
    Proportion,
    ResponseRow,
    Results,
    SurvivalSummary,
    UnivariableRow,
)
from ..results.keys import Key, Step

Piece = tuple[str, str | None]  # (text, data-key or None)
PCT = Step("pct")  # a count's percentage, where results.json keeps none

# The numbers a value of each type prints, in the orders its formats print them; the
# first order whose numbers all match is taken. Slots as in Format.prints: a field, '.'
# the value itself, '%' a count's percentage, '^level' the nearest holder's confidence
# level.
ORDERS: dict[type, tuple[tuple[str, ...], ...]] = {
    Proportion: (("n", "estimate"), ("estimate", "level", "ci_low", "ci_high"),
                 ("level", "ci_low", "ci_high"), ("ci_low", "ci_high"), ("estimate",), ("n",)),
    SurvivalSummary: (("median", "level", "ci_low", "ci_high"), ("level", "ci_low", "ci_high"),
                      ("ci_low", "ci_high"), ("median",)),
    Landmark: (("estimate", "^level", "ci_low", "ci_high"), ("ci_low", "ci_high"),
               ("estimate",)),
    Distribution: (("median", "min", "max"), ("median",)),
    LevelCount: (("n", "pct"), ("n",), ("pct",)),
    UnivariableRow: (("hr", "^level", "ci_low", "ci_high", "p"), ("hr", "ci_low", "ci_high"),
                     ("hr",), ("p",), ("n",), ("n_events",)),
    MultivariableRow: (("hr", "^level", "ci_low", "ci_high", "p"), ("hr", "ci_low", "ci_high"),
                       ("hr",), ("p",)),
    ResponseRow: (("responders", "n"), ("responders", "estimate"), ("estimate",),
                  ("estimate", "ci_low", "ci_high"), ("ci_low", "ci_high"), ("p",)),
    LogRankRow: (("p",), ("chisq",)),
    int: ((".", "%"), (".",), ("%",)),
    float: ((".",),),
}
# What each format prints of a value of each type, in order (the registry declares it,
# where the type's own orders could be ambiguous: '1.0%' of a count of 1 is its percentage)
BY_FORMAT = {f.suffix: f.prints for f in FORMATS if f.prints}
FRACTION_OF = {(Proportion, "n"): "estimate", (LevelCount, "n"): "pct",
               (AERow, "any"): "pct_any", (ResponseRow, "responders"): "estimate"}
WORDLESS = {"label", "contrast", "level_name", "date", "month"}  # text, not numbers

_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD = re.compile(r"\b(?:(?:{})(?:-(?:{}))?|{})\b".format("|".join(_TENS), "|".join(_SMALL[1:10]),
                                                       "|".join(_SMALL)), re.IGNORECASE)
_NUMBER = re.compile(r"(?:[<>] ?)?−?\d[\d,]*(?:\.\d+)?|not reached|not estimable|\bNR\b|\bNE\b")


def walk(results: Results, key: Key) -> list[Any]:
    """The values along a data-key (the model itself first): Key.walk, with results.json's
    names only, and a count's `.pct` worked out; KeyError off the model."""
    steps = key.steps
    if steps and steps[-1] == PCT:
        nodes = walk(results, Key(steps[:-1]))
        node = nodes[-1]
        if isinstance(node, int) and not isinstance(node, bool):
            denominator = _denominator(nodes)
            return [*nodes, _Derived(node / denominator if denominator else None)]
    nodes = key.walk(results)
    for node, step in zip(nodes, steps, strict=False):  # each step below its holder
        if is_dataclass(node) and not step.item and step.name not in _names(type(node)):
            raise KeyError(step.name)
    return nodes


@cache
def _names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls)) | frozenset(
        getattr(cls, "__json_properties__", ()))


class _Derived(float):
    """A percentage worked out from a count and its denominator (`.pct` of a count)."""

    def __new__(cls, value: float | None) -> Any:
        return None if value is None else super().__new__(cls, value)


def resolve(results: Results, data_key: str) -> Any:
    """The unrounded value a data-key names (KeyError if it names nothing)."""
    value = walk(results, Key.parse(data_key))[-1]
    return float(value) if isinstance(value, _Derived) else value


def _denominator(nodes: list[Any]) -> int | None:
    """The patients a count is out of: its nearest owner's N (or a survival summary's n)."""
    for node in reversed(nodes[:-1]):
        for name in ("N", "n"):
            if is_dataclass(node) and not isinstance(node, LevelCount | ResponseRow) \
                    and hasattr(node, name) and isinstance(getattr(node, name), int):
                return getattr(node, name) or None
    return nodes[0].n_patients or None


def data_key(results: Results, key: Key) -> str:
    """The results.json key of a model path: a term the table lists is named under
    safety.adverse_events (results.json's list of the table's rows)."""
    steps = list(key.steps)
    for i, step in enumerate(steps):
        if step == Step("all_terms") and i + 1 < len(steps) and steps[i + 1].item:
            try:
                owner = walk(results, Key(tuple(steps[:i])))[-1]
            except KeyError:
                continue
            if any(r.term == steps[i + 1].name for r in owner.adverse_events):
                steps[i] = Step("adverse_events")
    return str(Key(tuple(steps)))


def split(results: Results, binding: str, text: str) -> list[Piece]:
    """`text` (printed for `binding`) as pieces, each number with its data-key; [] for a
    binding that prints no Results value (a citation)."""
    if binding.startswith(("cite:", "para:")):
        return []
    try:
        printed = Key.parse(binding)
        key, formatter = printed.path, printed.format
        nodes = walk(results, key)
    except (KeyError, TypeError, AttributeError):
        return [(text, None)]
    whole = [(text, data_key(results, key))]
    if formatter in WORDLESS or isinstance(nodes[-1], str) or (nodes[-1] is None and \
            formatter not in ("pct", "months", "auto", "p")):
        return whole
    tokens = _tokens(text, formatter)
    for order in _orders(nodes[-1], formatter):
        if len(order) != len(tokens):
            continue
        keyed = [_slot(results, key, nodes, slot) for slot in order]
        if all(k is not None and _matches(token, k[1])
               for (token, _, _), k in zip(tokens, keyed, strict=True)):
            return _pieces(text, tokens, [k[0] for k in keyed if k is not None])
    return whole


def _orders(node: Any, formatter: str) -> tuple[tuple[str, ...], ...]:
    if isinstance(node, bool):
        return ()
    if formatter in BY_FORMAT:
        for kind, orders in BY_FORMAT[formatter].items():
            if isinstance(node, kind):
                return orders
    if isinstance(node, int) and formatter:  # printed alone by a count's formatter
        return ((".",),)
    for kind, orders in ORDERS.items():
        if isinstance(node, kind):
            return orders
    return ()


def _slot(results: Results, key: Key, nodes: list[Any], slot: str
          ) -> tuple[str, Any] | None:
    """(data-key, value) of one number a node prints."""
    node, steps = nodes[-1], key.steps
    if slot == ".":
        return data_key(results, key), node
    if slot == "%":
        owner, leaf = (nodes[-2], steps[-1].name) if len(nodes) > 1 and steps else (None, "")
        stored = next((f for (t, n), f in FRACTION_OF.items()
                       if isinstance(owner, t) and n == leaf), None)
        return _at(results, Key(steps[:-1]).field(stored) if stored else Key((*steps, PCT)))
    if slot == "^level":
        for depth in range(len(nodes) - 1, -1, -1):
            if hasattr(nodes[depth], "level") and isinstance(nodes[depth].level, float):
                return _at(results, Key(steps[:depth]).field("level"))
            methods = getattr(nodes[depth], "methods", None)
            if methods is not None and isinstance(getattr(methods, "level", None), float):
                return _at(results, Key(steps[:depth]).field("methods.level"))
        return None
    return _at(results, key.field(slot))


def _at(results: Results, key: Key) -> tuple[str, Any] | None:
    try:
        value = walk(results, key)[-1]
    except (KeyError, TypeError):
        return None
    return data_key(results, key), value


def _tokens(text: str, formatter: str) -> list[tuple[str, int, int]]:
    found = [(m.group(), m.start(), m.end()) for m in _NUMBER.finditer(text)]
    if not found and formatter in ("spell", "count_start", "count"):
        found = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)][:1]
        if not found and formatter == "count_start" and text.startswith("No "):
            found = [("No", 0, 2)]
    return found


def _number(token: str) -> tuple[float | None, str, int] | None:
    """(value, bound ('<', '>' or ''), decimals) of a printed number; None value for 'not
    reached'; None if it is not a number."""
    low = token.lower()
    if low in ("not reached", "not estimable", "nr", "ne"):
        return None, "", 0
    if low == "no":
        return 0.0, "", 0
    if _WORD.fullmatch(token):
        head, _, unit = low.partition("-")
        value = _SMALL.index(head) if head in _SMALL else 20 + 10 * _TENS.index(head)
        return float(value + (_SMALL.index(unit) if unit else 0)), "", 0
    bound = token[0] if token[0] in "<>" else ""
    digits = token.lstrip("<> ").replace(",", "").replace("−", "-")
    decimals = len(digits.partition(".")[2])
    return float(digits), bound, decimals


def _matches(token: str, value: Any) -> bool:
    """The printed token is the value at its printed precision (a percentage as a fraction
    times 100; 'p < 0.001' for any p below it; 'not reached' for None)."""
    if isinstance(value, bool):
        return False
    parsed = _number(token)
    if parsed is None:
        return False
    printed, bound, decimals = parsed
    if printed is None or value is None:
        return printed is None and value is None
    if not isinstance(value, int | float):
        return False
    tolerance = 0.5 * 10 ** -decimals + 1e-9
    for candidate in (float(value), float(value) * 100):
        if (bound == "<" and candidate < printed + tolerance) or \
                (bound == ">" and candidate > printed - tolerance) or \
                (not bound and abs(candidate - printed) <= tolerance):
            return True
    return False


def _pieces(text: str, tokens: list[tuple[str, int, int]], keys: list[str]) -> list[Piece]:
    out: list[Piece] = []
    at = 0
    for (token, start, end), key in zip(tokens, keys, strict=True):
        if text[at:start]:
            out.append((text[at:start], None))
        if token[0] in "<>":  # the sign is part of what the number says
            out.append((text[start:end], key))
        else:
            out.append((token, key))
        at = end
    if text[at:]:
        out.append((text[at:], None))
    return out
