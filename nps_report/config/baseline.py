"""`baseline:` in study.yaml, the rows of Table 1: one kind that reads the whole list."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..errors import did_you_mean
from .at import At, Invalid, text_of
from .kinds import Kind

BASELINE_TYPES = ("continuous", "categorical", "multi")


@dataclass(frozen=True)
class BaselineItem:
    """One row group of Table 1."""

    label: str
    type: str
    column: str | None = None
    # categorical: (printed label, raw values that fall in it); multi: (column, printed label)
    levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    note: str | None = None  # a definition, printed as a lettered footnote under Table 1


ITEM_KEYS = tuple(f.name for f in fields(BaselineItem))


def factor_rows(baseline: tuple[BaselineItem, ...]) -> dict[str, BaselineItem]:
    """The columns a prognostic factor may name, each with its Table 1 row: the column of a
    categorical or continuous row, and every yes/no column of a multi row (first row wins)."""
    out: dict[str, BaselineItem] = {}
    for item in baseline:
        if item.type == "multi":
            for col, _ in item.columns:
                out.setdefault(col, item)
        elif item.column:
            out.setdefault(item.column, item)
    return out
EXAMPLE = "- {column: age, label: Age, type: continuous}"


@dataclass(frozen=True)
class BaselineRows(Kind):
    expected: str = f"a list of rows, e.g. {EXAMPLE}"

    def read(self, value: Any, at: At) -> tuple[BaselineItem, ...]:
        if not isinstance(value, list):
            raise Invalid(self.expected)
        out = []
        for i, item in enumerate(value):
            row = _item(item, at.child(i))
            if row is not None:
                out.append(row)
        return tuple(out)


def _item(item: Any, at: At) -> BaselineItem | None:
    if not isinstance(item, dict):
        at.bad("invalid value", item, "a mapping with column, label and type")
        return None
    for k in item:
        if k not in ITEM_KEYS:
            at.child(k).bad("unknown key", None, did_you_mean(str(k), ITEM_KEYS), at_key=True)
    kind = item.get("type")
    if kind not in BASELINE_TYPES:
        at.child("type").bad("invalid value", kind, did_you_mean(str(kind), BASELINE_TYPES))
        return None
    label = _text(item, "label", at)
    note = _note(item["note"], at.child("note")) if "note" in item else None
    if kind == "multi":
        cols = item.get("columns")
        if not isinstance(cols, dict) or not cols:
            at.child("columns").bad("invalid value", cols, "a mapping of column: label")
            return None
        pairs = tuple((str(c), text_of(lab, at.child("columns").child(c)) if lab is not None
                       else str(c)) for c, lab in cols.items())
        return BaselineItem(label or "", kind, columns=pairs, note=note)
    column = _text(item, "column", at)
    if not column:
        at.child("column").bad("invalid value", item.get("column"),
                               "the name of a column of patients.csv")
        return None
    levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    raw = item.get("levels")
    if kind == "categorical" and raw is not None:
        levels = _levels(raw, at.child("levels"))
    return BaselineItem(label or column, kind, column=column, levels=levels, note=note)


def _text(item: dict, key: str, at: At) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, list | dict):
        return None
    try:
        return text_of(value, at.child(key)).strip() or None
    except Invalid:
        return None


def _note(value: Any, at: At) -> str | None:
    expected = ('text, e.g. note: "Progression within 6 months of platinum-based '
                'chemotherapy"')
    if isinstance(value, list | dict):
        at.bad("invalid value", value, expected)
        return None
    try:
        text = text_of(value, at).strip()
    except Invalid:
        text = ""
    if not text:
        at.bad("empty value", value, expected)
        return None
    return text


def _level(value: Any, at: At) -> str:
    if isinstance(value, list | dict):
        at.bad("invalid value", value, "a value as it appears in the column")
        return ""
    return text_of(value, at, numbers_as_typed=False).strip()


def _levels(raw: Any, at: At) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if isinstance(raw, list) and raw:
        values = [_level(v, at.child(i)) for i, v in enumerate(raw)]
        return tuple((v, (v,)) for v in values)
    if isinstance(raw, dict) and raw:
        out = []
        for label, vals in raw.items():
            sub = at.child(label)
            if isinstance(vals, list):
                members = tuple(_level(v, sub.child(j)) for j, v in enumerate(vals))
            else:
                members = (_level(vals, sub),)
            out.append((str(label).strip(), members))
        return tuple(out)
    at.bad("invalid value", raw, "a list of values, or a mapping of label: [values]")
    return ()
