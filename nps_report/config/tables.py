"""How the tables' cells and headers are read: `missing_values:` and `columns:` in study.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..inputs import OPTIONAL_TABLES, TABLES
from .at import At, Invalid, text_of
from .kinds import Kind, Texts
from .reader import key

__all__ = ["MISSING_VALUES", "OPTIONAL_TABLES", "TABLES", "ColumnMap", "Rename", "Renames"]

MISSING_VALUES = Texts('a list of the texts that mean "missing" in the tables, e.g. '
                       '["NA", "N/A", "."]', single=True, numbers_as_typed=False)


@dataclass(frozen=True)
class Rename:
    """One entry of `columns:`: the contract's column name and the file's own header."""

    name: str
    header: str
    line: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Renames(Kind):
    expected: str = ('a mapping of the contract\'s column names to your headers, e.g. '
                     '{patient_id: "Patient ID", death_date: DTHDT}')

    def read(self, value: Any, at: At) -> tuple[Rename, ...]:
        if not isinstance(value, dict):
            raise Invalid(self.expected)
        out: list[Rename] = []
        seen: dict[str, str] = {}
        for name, header in value.items():
            sub = at.child(name)
            if header is None or isinstance(header, list | dict):
                sub.bad("invalid value", header, "the header of a column in the file")
                continue
            text = text_of(header, sub).strip()
            if text in seen:
                sub.bad("two names mapped to one header", text,
                        f"each header once (it is also given for '{seen[text]}')")
                continue
            seen[text] = str(name)
            spot = sub.spot
            out.append(Rename(str(name), text, spot.line if spot else None))
        return tuple(out)


@dataclass(frozen=True)
class ColumnMap:
    """columns: per table, the contract's names for the file's own headers."""

    patients: tuple[Rename, ...] = key(Renames(), ())
    tumor_assessments: tuple[Rename, ...] = key(Renames(), ())
    adverse_events: tuple[Rename, ...] = key(Renames(), ())
    tumor_lesions: tuple[Rename, ...] = key(Renames(), ())

    def for_table(self, table: str) -> tuple[Rename, ...]:
        return getattr(self, table, ())
