"""Keys: the one grammar of a path into Results, parsed, printed, resolved and labelled here.

    key       := path [":" format]
    path      := name ( "." name | "[" identity "]" )*
    name      := letters, digits and "_": a field, a property, a dict entry, a list position
    identity  := any text ("]" and "\\" escaped by "\\"): an item of a tuple, by what it is

    efficacy.orr.estimate                    a field of a field
    safety.adverse_events[Hypertension].grade3
    prognostic.pfs.univariable[ecog=2].hr    a row by its factor and level
    survival.pfs.landmarks[6]                a landmark by its months
    efficacy.bor_counts.PR                   a dict entry
    efficacy.orr:proportion                  the value as the `proportion` format printed it

Table cells, template bindings, the change report, figure cache keys and the living
manuscript all hold Keys (or their text), never strings they format themselves. An item
is named by its identity (`__key__` of its class: a term, a label, a level), never by
its position, so that a key survives a reordering of the model; a key written with
positions (`safety.adverse_events.0.term`, results.json's own dotted form) resolves too.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import Any, NamedTuple

from ..vocab import BOR_NAMES


class UnknownKey(KeyError):
    """A key that does not parse, or names nothing in the Results it is resolved against."""

    def __str__(self) -> str:  # KeyError's own would print the message in quotes
        return str(self.args[0]) if self.args else ""


_NAME = re.compile(r"\w+")


def landmark_key(months: float) -> str:
    """The results.json key of a landmark: '6', '12', '1.5'."""
    return str(int(months)) if float(months).is_integer() else f"{months:g}"


def item_key(item: Any, index: int) -> str:
    """How an item of a tuple is named in a key: its `__key__` field (a term, a label, a
    landmark's months), a number by its value (landmark times), a (name, version) pair by
    its name; anything else by its position."""
    attr = getattr(type(item), "__key__", None)
    if attr is not None:
        item = getattr(item, attr)
    elif isinstance(item, tuple) and item and not hasattr(item, "_fields"):
        item = item[0]
    elif not isinstance(item, int | float) or isinstance(item, bool):
        return str(index)
    return landmark_key(item) if isinstance(item, float) else str(item)


def factor_level(factor: str, level: str | None) -> str:
    """A row's identity in a Results key: 'ecog=2' for a level, 'age' for a continuous factor
    (prognostic.os.univariable[ecog=2], response_by_factor[met_liver=yes])."""
    return factor if level is None else f"{factor}={level}"


class Step(NamedTuple):
    """One step of a path: `.name` (a field, property or dict entry) or `[name]` (an item)."""

    name: str
    item: bool = False

    def __str__(self) -> str:
        if self.item:
            return "[" + self.name.replace("\\", "\\\\").replace("]", "\\]") + "]"
        return f".{self.name}"


_FIELD_STEPS: dict[str, Step] = {}  # one Step per field name: templates make thousands of keys
_new = tuple.__new__  # a Key made without NamedTuple's argument handling (the hot path)


class Key(NamedTuple):
    """A path into Results, and the format that printed the value (empty: the value itself).

    Immutable and hashable (a NamedTuple, so that templates can make one per value they
    reach at little cost); equal keys print alike."""

    steps: tuple[Step, ...] = ()
    format: str = ""

    @classmethod
    def parse(cls, text: str) -> Key:
        """The key a text spells; UnknownKey naming the position of what does not parse."""
        steps: list[Step] = []
        i, n = 0, len(text)
        while i < n:
            match = _TOKEN.match(text, i)
            if match is None or (match.group(1) and not steps):
                raise UnknownKey(_parse_error(text, i, steps))
            dot, name, identity, fmt = match.groups()
            if fmt is not None:
                if not steps:
                    raise UnknownKey(_parse_error(text, i, steps))
                return _new(cls, (tuple(steps), fmt))
            if identity is not None:
                steps.append(Step(_UNESCAPE.sub(r"\1", identity), True))
            elif dot or not steps:
                steps.append(_FIELD_STEPS.get(name) or Step(name))
            else:  # two names with no '.' between: impossible after a \w+ match
                raise UnknownKey(_parse_error(text, i, steps))
            i = match.end()
        if not steps:
            raise UnknownKey("an empty key")
        return _new(cls, (tuple(steps), ""))

    def __str__(self) -> str:
        text = "".join(map(str, self.steps)).removeprefix(".")
        return f"{text}:{self.format}" if self.format else text

    def __repr__(self) -> str:
        return f"Key({str(self)!r})"

    # -- building keys ------------------------------------------------------------------

    def field(self, dotted: str) -> Key:
        """The key of a field (or fields, 'methods.level'-style dotted) below this one."""
        steps = self.steps
        for name in dotted.split(".") if "." in dotted else (dotted,):
            step = _FIELD_STEPS.get(name)
            if step is None:
                step = _FIELD_STEPS.setdefault(name, Step(name))
            steps = (*steps, step)
        return _new(Key, (steps, ""))

    def item(self, identity: Any) -> Key:
        """The key of one item of a tuple, by its identity ('Hypertension', 6.0 -> '6')."""
        name = landmark_key(identity) if isinstance(identity, float) else str(identity)
        return _new(Key, ((*self.steps, Step(name, True)), ""))

    def member(self, value: Any, index: int) -> Key:
        """The key of the `index`-th item `value` of the tuple this key names."""
        return self.item(item_key(value, index))

    def entry(self, name: str) -> Key:
        """The key of a dict entry: `.PR` for a name, `[patients.csv]` for other text."""
        return _new(Key, ((*self.steps, Step(name, not _NAME.fullmatch(name))), ""))

    def printed(self, format: str) -> Key:
        """This value as a format printed it: efficacy.orr:proportion."""
        return _new(Key, (self.steps, format))

    @property
    def path(self) -> Key:
        """The key without its format: where the value is."""
        return Key(self.steps) if self.format else self

    def covers(self, other: Key) -> bool:
        """Whether `other` is this path or a path below it (a declared read covers it)."""
        return other.steps[:len(self.steps)] == self.steps

    # -- reading Results ----------------------------------------------------------------

    def resolve(self, root: Any) -> Any:
        """The value this key names in `root` (a Results); UnknownKey naming the step that
        names nothing."""
        return self.walk(root)[-1]

    def walk(self, root: Any) -> list[Any]:
        """The values along the path, `root` first and the named value last (what holds a
        value: a proportion's level, a row's factor); UnknownKey as resolve()."""
        nodes, meta = [root], {}
        for i, step in enumerate(self.steps):
            try:
                node, meta = _step(nodes[-1], step, meta)
            except (LookupError, AttributeError, ValueError):
                where = str(Key(self.steps[:i])) or "Results"
                raise UnknownKey(f"{self}: {where} has no {str(step).lstrip('.')!r}") from None
            nodes.append(node)
        return nodes

    def label(self, root: Any, unit: str = "") -> str:
        """What a reader calls the value: the fields' reported labels along the path
        (results/fields.py), the items' identities, BOR names, then the format's `unit`
        ('Objective response rate: % (95% CI)'). Never raises: a step the model cannot
        follow is named by its own words."""
        parts: list[str] = []
        node, meta = root, {}
        for step in self.steps:
            if step.item and step.name.isdigit() and _is_pair(node):  # (name, version)
                parts.append(("name", "version")[int(step.name)]
                             if len(node) == 2 and int(step.name) < 2 else step.name)
                node = None
                continue
            if step.item:
                first = node[0] if isinstance(node, tuple) and node else None
                by_months = getattr(type(first), "__key__", None) == "months"
                parts.append(f"{step.name}-month" if by_months else step.name)
            elif isinstance(node, dict):
                parts.append(BOR_NAMES.get(step.name, step.name))
            elif label := _field_label(node, step.name):
                parts.append(label)
            elif step.name in LEAVES and parts:  # 'PFS, events': a leaf after its holder
                parts.append(LEAVES[step.name])
            try:
                node, meta = _step(node, step, meta) if node is not None else (None, {})
            except (LookupError, AttributeError, ValueError):
                node, meta = None, {}
        text = ", ".join(dict.fromkeys(p for p in parts if p)) or str(self.path)
        return f"{text}: {unit}" if unit else text


# What a leaf field is called in a label, after the label of what holds it ('PFS, events')
LEAVES = {"n": "n", "pct": "%", "n_events": "events", "n_censored": "censored",
          "any": "any grade", "grade3plus": "grade ≥3", "length": "number",
          "months": "time, months", "n_patients": "patients"}


# One step of a key's text: '.name' (or the first name), '[identity]', or ':format' at the end
_TOKEN = re.compile(r"(\.)?(\w+)|\[((?:\\.|[^\]\\])*)\]|:(\w+)$")
_UNESCAPE = re.compile(r"\\(.)")


def _parse_error(text: str, i: int, steps: list[Step]) -> str:
    """What is wrong at text[i], for a key that does not parse."""
    rest = text[i:]
    if rest.startswith(".") and not steps:
        return f"{text!r}: a key starts with a name"
    if rest.startswith("["):
        return f"{text!r}: '[' without its ']'"
    if rest.startswith(":"):
        return f"{text!r}: a format name after ':', found {rest[1:]!r}"
    return f"{text!r}: a name expected at character {i + 2 if rest[:1] == '.' else i + 1}"


def _is_pair(node: Any) -> bool:
    return isinstance(node, tuple) and not hasattr(node, "_fields") and bool(node) \
        and isinstance(node[0], str)


def _step(node: Any, step: Step, meta: Any) -> tuple[Any, Any]:
    """One step down from `node`; `meta` is the field metadata of the field `node` came
    from (a tuple written as a JSON object, such as landmarks, takes its keys by name)."""
    name = step.name
    if isinstance(node, dict):
        return node[name], {}
    if isinstance(node, tuple | list) and not hasattr(node, "_fields"):
        if name == "length" and not step.item:  # how many (a count the text prints)
            return len(node), {}
        if step.item or meta.get("keyed_by"):  # by identity ('[6]'; results.json's 'landmarks.6')
            found = next((v for i, v in enumerate(node) if item_key(v, i) == name), _NONE)
            if found is _NONE:
                raise LookupError(name)
            return found, {}
        return node[int(name)], {}  # by position, as in results.json's lists
    if step.item:
        raise LookupError(name)
    if name.startswith("_"):
        raise LookupError(name)
    return getattr(node, name), _metadata(type(node)).get(name, {})


_NONE = object()


@cache
def _metadata(cls: type) -> dict[str, Any]:
    """Field name -> its metadata, for a dataclass of the model (empty for anything else)."""
    if not dataclasses.is_dataclass(cls):
        return {}
    return {f.name: f.metadata for f in dataclasses.fields(cls)}


def _field_label(node: Any, name: str) -> str:
    """The field's reported label (its unit cut: 'Median follow-up, months' -> 'Median
    follow-up'), or its name; braces filled from the node ('≥{cycles_threshold}')."""
    meta = _metadata(type(node)).get(name) if node is not None else None
    if meta is None:
        return ""
    label = meta.get("label") or meta.get("name") or ""
    if "{" in label:
        label = label.format(**{g.name: getattr(node, g.name)
                                for g in dataclasses.fields(node)})
    return label.split(", ")[0].strip() if meta.get("label") else label
