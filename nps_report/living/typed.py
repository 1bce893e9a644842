"""Numbers the author typed that are an earlier value of a reported quantity which has
since changed, in the phrasings authors use: '13.3%' and '13%', '4/30' and '4 of 30
patients', '5.7 months (95% CI 4.7–6.7)', '4.7 to 6.7', 'HR 3.36', 'n = 12', 'twelve
patients'; wherever the sentence has other numbers.

A number in the author's text is flagged only when that is its best explanation:

- it is a mention of a kind a reported value is printed in (mentions.py): a percentage,
  a ratio n/N or 'n of N', a count of patients or events, a decimal, an interval, a
  p-value; never a year, a grade, a dose, a reference, a version or a confidence level;
- it agrees, at the precision it is written with, with the value a quantity printed in an
  earlier build, at a place of its printed form where the value has since moved (so
  '13%' is stale when 13.3% became 20.0%, not when it became 13.4%); a ratio counts by
  the percentage it makes (4/30 = 13.3%) or by its count;
- the words of its clause name that quantity (its label, its key, their abbreviations:
  'ORR', 'responded', 'median PFS'), words before the number and in its own clause
  weighing most, words that name many quantities ('patients', 'rate') least;
- and they name it better than they name any quantity whose current value the number
  also is (so 'grade 3 hand-foot syndrome in 13.3%' is right when that is still 13.3%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .mentions import (
    COUNT,
    P_VALUE,
    PCT,
    RANGE,
    RATIO,
    UNITS,
    VALUE,
    Mention,
    in_words,
    mentions,
)
from .naming import PHRASE, SENTENCE_END, words
from .quantities import Index, Quantity, Stale, places

OWN_BEFORE, OWN_AFTER, ELSEWHERE = 1.0, 0.7, 0.25  # how much a word's place says
CLEAR = 0.6  # the least a naming must weigh, in distinctive words near the number


@dataclass(frozen=True)
class Hit:
    label: str
    start: int
    end: int
    now: str  # the new value, as the author would write it there
    printed: str  # what nps-report had printed
    group: str = ""  # the value it is a form of (see Quantity.group)
    role: str = ""  # what the mention is (mentions.py)


@dataclass
class Context:
    """The words around a mention, by how much their place says they belong to it."""

    weights: dict[str, float]
    text: str  # the sentence, lower-cased


def _context(sentence: str, offset: int, mention: Mention, others: list[Mention]) -> Context:
    lo, hi = mention.start - offset, mention.end - offset
    before_limit = max([m.end - offset for m in others if m.end - offset <= lo], default=0)
    after_limit = min([m.start - offset for m in others if m.start - offset >= hi],
                      default=len(sentence))
    weights: dict[str, float] = {}
    for match in PHRASE.finditer(sentence):
        for w in words(match.group()):
            at = match.start()
            if before_limit <= at < lo:
                weight = OWN_BEFORE
            elif hi <= at < after_limit:
                weight = OWN_AFTER
            else:
                weight = ELSEWHERE
            weights[w] = max(weights.get(w, 0.0), weight)
    return Context(weights, sentence.lower())


def _score(index: Index, q: Quantity, context: Context) -> tuple[float, float]:
    """(how well the words name q, the share of q's words present): 0 if they do not."""
    named = [(w, context.weights[w]) for w in q.names if w in context.weights]
    score = sum(index.weight.get(w, 0.0) * place for w, place in named)
    if q.phrase:
        if not named:
            return 0.0, 0.0  # a column header names nothing on its own ('any grade')
        if re.search(rf"\b{re.escape(q.phrase)}\b", context.text):
            score += 1.0
    strongest = max((index.weight.get(w, 0.0) * place for w, place in named), default=0.0)
    if strongest < CLEAR:
        return 0.0, 0.0
    return score, len(named) / max(len(q.names), 1)


def find_stale(text: str, index: Index) -> list[Hit]:
    """The author's numbers in text that are stale (see the module docstring)."""
    found = mentions(text)
    hits: list[Hit] = []
    for lo, hi in _sentences(text):
        inside = [m for m in found if lo <= m.start and m.end <= hi]
        sentence = text[lo:hi]
        group = _groups(inside, text)
        for mention in inside:
            stale = index.stale(mention)
            if not stale:
                continue
            context = _context(sentence, lo, mention,
                               [m for m in inside if group[id(m)] != group[id(mention)]])
            scored = [(_score(index, s.quantity, context), s) for s in stale]
            scored = [(sc, s) for sc, s in scored if sc[0] > 0]
            if not scored:
                continue
            best, chosen = max(scored, key=lambda t: t[0])
            rival = max((_score(index, q, context) for q in index.current(mention)),
                        default=(0.0, 0.0))
            if best <= rival:  # as well named by a value that is still right: not stale
                continue
            hits.append(Hit(chosen.quantity.label, mention.start, mention.end,
                            _now(mention, chosen), chosen.printed, chosen.quantity.group,
                            mention.role))
    return _joined(hits, text)


def _groups(inside: list[Mention], text: str) -> dict[int, int]:
    """Mentions written as one ('12 (40.0%)', 'n = 12, 40.0%', '16.7% (95% CI 0.6–32.7)')
    share a group: their clause is the group's."""
    out: dict[int, int] = {}
    g = 0
    for k, m in enumerate(inside):
        gap = text[inside[k - 1].end:m.start] if k else ""
        if k and not (len(gap) <= 24 and JOINABLE.fullmatch(gap)):
            g += 1
        out[id(m)] = g
    return out


def _now(mention: Mention, stale: Stale) -> str:
    """The new value written as the author wrote the old one ('20%', '6/30', '6 of 30')."""
    now = stale.now
    if stale.quantity.new is None:
        return "(no longer reported)"
    if now is None:
        return stale.quantity.new
    if mention.role == RATIO:
        total = mention.values[1]
        n = (now.values[0] if now.role == COUNT else
             (now.values[0] * total / 100).quantize(Decimal(1), ROUND_HALF_UP))
        return mention.text.replace(mention.parts[0], _as_written(n, mention.parts[0]), 1)
    if mention.role in (PCT, VALUE, P_VALUE):
        written = places(mention.values[0])
        value = now.values[0].quantize(Decimal(1).scaleb(-written), ROUND_HALF_UP) \
            if written < places(now.values[0]) else now.values[0]
        return mention.text.replace(mention.parts[0], str(value), 1)
    if mention.role == RANGE and now.role == RANGE:  # the author's separator and signs
        lo, hi = mention.parts
        text = mention.text
        cut = text.rfind(hi)
        return (str(now.values[0]) + text[len(lo):cut] + str(now.values[1]) +
                text[cut + len(hi):])
    return _agree(mention.text.replace(mention.parts[0],
                                       _as_written(now.values[0], mention.parts[0]), 1),
                  now.values[0])


def _as_written(n: Decimal, like: str) -> str:
    """A new count in words where the author wrote the old one in words."""
    return in_words(int(n), like) if like[:1].isalpha() and n == int(n) else str(n)


def _agree(count: str, n: Decimal) -> str:
    """'2 patient' -> '2 patients', '1 responses' -> '1 response'."""
    number, _, noun = count.partition(" ")
    if not noun:
        return count
    if n != 1 and not noun.endswith("s"):
        noun += "s"
    elif n == 1 and noun.endswith("s") and noun[:-1] in UNITS:
        noun = noun[:-1]
    return f"{number} {noun}"


JOINABLE = re.compile(r"[\s(\[,;:]*(?:(?:months?|years?|weeks?|days?|patients?)\b)?"
                      r"[\s(\[,;:]*(?:(?:95\s*%\s*)?(?:CI|confidence interval)\b[\s,:]*|"
                      r"range\s+|n\s*=\s*)?", re.I)


def _joined(hits: list[Hit], text: str) -> list[Hit]:
    """Forms of one value written together are one finding: '12 (40.0%)', '9.5 months (95%
    CI 0.7–18.2)', 'n = 5, 16.7%'."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: h.start):
        prev = out[-1] if out else None
        gap = text[prev.end:hit.start] if prev is not None else ""
        if prev is not None and len(gap) <= 24 and JOINABLE.fullmatch(gap) and (
                prev.group == hit.group or prev.role != hit.role):
            after = text[hit.end:hit.end + 1]
            close = after if (after, _opener(after)) in ((")", "("), ("]", "[")) and \
                _opener(after) in gap else ""
            out[-1] = Hit(prev.label, prev.start, hit.end + len(close),
                          f"{prev.now}{gap}{hit.now}{close}", prev.printed, prev.group,
                          hit.role)
        else:
            out.append(hit)
    return out


def _opener(closing: str) -> str:
    return {")": "(", "]": "["}.get(closing, "")


def _sentences(text: str) -> list[tuple[int, int]]:
    out, lo = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((lo, m.start()))
        lo = m.end()
    out.append((lo, len(text)))
    return out
