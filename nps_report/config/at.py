"""Where a value sits in study.yaml, where its problems go, and text YAML may have mistyped.

A problem names the key's dotted path (`baseline[2].levels[1]`) and its line. Text
meant as text but read by YAML as a boolean, date or null is reported with the
quoting that keeps it text.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..limits import CONTROL, TEXT_CHARS, control_character
from .yamlfile import FILE, Document, Spot


class Invalid(Exception):
    """Raised by a kind: the value cannot be used; `expected` says what would do."""

    def __init__(self, expected: str, message: str = "invalid value") -> None:
        super().__init__(message)
        self.expected, self.message = expected, message


@dataclass
class Context:
    """The document being read and the problems found so far (all reported at once)."""

    doc: Document
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class At:
    """A position in study.yaml: a path of keys and list indexes."""

    ctx: Context
    path: tuple[Any, ...] = ()

    def child(self, key: Any) -> At:
        return At(self.ctx, (*self.path, key))

    @property
    def dotted(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part + 1}]" if isinstance(part, int) else ("." if out else "") + str(part)
        return out

    @property
    def spot(self) -> Spot | None:
        return self.ctx.doc.spot(self.path)

    def bad(self, message: str, value: object = None, expected: str | None = None, *,
            at_key: bool = False) -> None:
        spot = self.spot
        line = None if spot is None else (spot.key_line if at_key else spot.line)
        self.ctx.problems.append(Problem(FILE, message, row=line, column=self.dotted or None,
                                         value=value, expected=expected))


def raw_value(value: object) -> str:
    """Normalise a cell or a YAML value so that 12, 12.0 and '12' compare equal."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _misread(value: object) -> str | None:
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if value is None:
        return "null (no value)"
    return None


def text_of(value: object, at: At, *, numbers_as_typed: bool = True) -> str:
    """A value meant as text. A boolean, date or null that YAML made of unquoted text
    (`Yes`, `No`, `2021-01-01`, `NULL`) is reported with the quoting that keeps it text,
    and the text as typed is used meanwhile so that later checks are not misled."""
    if isinstance(value, str):
        return _plain_text(value, at)
    spot = at.spot
    typed = spot.text if spot is not None and spot.plain else None
    what = _misread(value)
    if what is not None and typed is not None:
        at.bad(f"YAML reads the unquoted {typed} as {what}, not as text", value=typed,
               expected=f'text: write it in quotes, "{typed}"')
        return typed
    if isinstance(value, float) and not math.isfinite(value):
        shown = spot.text if spot is not None and spot.text else str(value)
        at.bad(special_float(value, at), value=shown,
               expected=f'text: write it in quotes, "{shown}", or the value meant')
        return typed or ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return typed if numbers_as_typed and typed is not None else raw_value(value)
    raise Invalid("text")


def special_float(value: float, at: At) -> str:
    """'YAML reads .inf as infinity' for the value at `at` (as typed, where known)."""
    spot = at.spot
    typed = spot.text if spot is not None and spot.text is not None else str(value)
    what = "not-a-number" if math.isnan(value) else "infinity"
    return f"YAML reads {typed} as {what}, which no key of study.yaml takes"


def _plain_text(value: str, at: At) -> str:
    """Text a document can print: no control character (YAML lets "\\a" through in
    double quotes) and not longer than limits.TEXT_CHARS."""
    found = control_character(value)
    if found is not None:
        at.bad(f"holds a control character ({found}) that no document can hold",
               value=value[:60], expected="the text without it")
        return CONTROL.sub("", value)
    if len(value) > TEXT_CHARS:
        at.bad(f"longer than {TEXT_CHARS:,} characters", value=value[:60] + "...",
               expected="a shorter text")
    return value
