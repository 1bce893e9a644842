"""The kinds of value a study.yaml key can hold: each reads a YAML value or says what it expects.

A kind is declared once, beside its key (see model.py), and gives both the parsing
and the contract's wording for "expected ...".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import did_you_mean
from ..limits import YAML_INT
from .at import At, Invalid, special_float, text_of
from .dates import FORMAT, explain_date, parse_date


class Kind:
    """Reads one YAML value; raises Invalid with the contract's 'expected' wording."""

    expected = "a value"

    def read(self, value: Any, at: At) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Kind):
    expected: str = "text"

    def read(self, value: Any, at: At) -> str:
        if isinstance(value, list | dict):
            raise Invalid(self.expected)
        text = text_of(value, at)
        if not text.strip():
            raise Invalid(self.expected, "empty value")
        return text


@dataclass(frozen=True)
class Texts(Kind):
    """A list of text entries; a single entry may be written without the brackets."""

    expected: str = "a list of text entries"
    single: bool = False
    numbers_as_typed: bool = True

    def read(self, value: Any, at: At) -> tuple[str, ...]:
        if not isinstance(value, list):
            if not self.single or isinstance(value, dict):
                raise Invalid(self.expected)
            return (text_of(value, at, numbers_as_typed=self.numbers_as_typed),)
        out = []
        for i, item in enumerate(value):
            if isinstance(item, list | dict):
                at.child(i).bad("invalid value", item, "text")
                continue
            out.append(text_of(item, at.child(i), numbers_as_typed=self.numbers_as_typed))
        return tuple(out)


@dataclass(frozen=True)
class Bool(Kind):
    expected: str = "true or false"

    def read(self, value: Any, at: At) -> bool:
        if isinstance(value, bool):
            return value
        raise Invalid(self.expected)


@dataclass(frozen=True)
class Choice(Kind):
    options: Sequence[str] = ()

    @property
    def expected(self) -> str:  # type: ignore[override]
        return did_you_mean("", self.options)

    def read(self, value: Any, at: At) -> str:
        if isinstance(value, str) and value in self.options:
            return value
        raise Invalid(did_you_mean(str(value), self.options))


@dataclass(frozen=True)
class Date(Kind):
    """A date. With day_of_time (data_cutoff), a date and time stands for its day, which
    the cutoff includes whatever the hour; elsewhere a time of day is refused."""

    expected: str = f"a date as {FORMAT}"
    day_of_time: bool = False

    def read(self, value: Any, at: At) -> dt.date:
        if isinstance(value, dt.datetime):
            if self.day_of_time or value.time() == dt.time(0):
                return value.date()
            raise Invalid(f"the date alone: {value.date().isoformat()}",
                          f"a date with a time of day ({value:%H:%M})")
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        day = parse_date(text)
        if day is None and self.day_of_time and (m := _DATE_TIME.match(text)):
            day = parse_date(m.group(1))
        if day is None:
            message, expected = explain_date(text)
            raise Invalid(expected, message)
        return day


_DATE_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                        r"(?:Z|[+-]\d{2}:?\d{2})?$")


@dataclass(frozen=True)
class Number(Kind):
    """A number >= minimum (> minimum when strict); whole numbers only when integer."""

    minimum: float = 0
    maximum: float | None = None
    integer: bool = False
    strict: bool = False
    expected: str = "a number >= 0"

    def read(self, value: Any, at: At) -> Any:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok:
            _finite(value, at, self.expected)
        if ok and self.integer:
            ok = isinstance(value, int)
        if ok:
            ok = value > self.minimum if self.strict else value >= self.minimum
        if ok and self.maximum is not None:
            ok = value < self.maximum if self.strict else value <= self.maximum
        if not ok:
            raise Invalid(self.expected)
        return value if self.integer else float(value)


FRACTION = Number(0, 1, strict=True, expected="a number between 0 and 1, e.g. 0.95")
COUNT = Number(0, integer=True, expected="a whole number >= 0")
POSITIVE_COUNT = Number(1, integer=True, expected="a whole number >= 1")


@dataclass(frozen=True)
class Numbers(Kind):
    expected: str = "a list of positive numbers, e.g. [6, 12]"

    def read(self, value: Any, at: At) -> tuple[float, ...]:
        numbers = isinstance(value, list) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        if numbers:
            for i, v in enumerate(value):
                try:
                    _finite(v, at.child(i), self.expected)
                except Invalid as exc:
                    at.child(i).bad(exc.message, v, exc.expected)
                    return ()
        if not numbers or not all(v > 0 for v in value):
            raise Invalid(self.expected)
        return tuple(float(v) for v in value)


def _finite(value: float, at: At, expected: str) -> None:
    """Refuse YAML's infinities and not-a-numbers (.inf, .nan, 1e999) and numbers no study
    holds (cycles: 10^30): the key is named, never an internal error later."""
    if not math.isfinite(value):
        raise Invalid(expected, special_float(value, at))
    if abs(value) > YAML_INT:
        raise Invalid(f"{expected}, at most {YAML_INT:,}", "too large a number")


@dataclass(frozen=True)
class Choices(Kind):
    """A list of options from a fixed set (e.g. endpoints: [pfs, os]), each checked."""

    options: Sequence[str] = ()

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "a list of " + did_you_mean("", self.options)

    def read(self, value: Any, at: At) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            sub = at.child(i) if isinstance(value, list) else at
            if isinstance(item, str) and item in self.options:
                out.append(item)
            else:
                sub.bad("invalid value", item, did_you_mean(str(item), self.options))
        return tuple(out)


_VERSION = re.compile(r"\d+(?:\.\d+)*")


@dataclass(frozen=True)
class Version(Kind):
    """A version number as typed ('5.0', '4.03'): printed after the word 'version', so a
    name or a 'v' with it would be printed twice ('version CTCAE v5.0')."""

    expected: str = 'the version number alone, e.g. "5.0"'

    def read(self, value: Any, at: At) -> str:
        if isinstance(value, list | dict):
            raise Invalid(self.expected)
        text = text_of(value, at).strip()
        if _VERSION.fullmatch(text):
            return text
        found = _VERSION.search(text)
        raise Invalid(self.expected + (f': write "{found.group()}"' if found else ""))
