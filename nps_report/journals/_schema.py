"""Build frozen dataclasses from parsed YAML, collecting every problem with its key path.

A journal profile is data written by people, so a mistake must say where it is
('figures.min_dpi'), what was found and what was expected, and every mistake in
the file is reported at once. The rules come from the dataclasses' type hints
(str, int, float, bool, Literal[...], X | None, tuple[X, ...], nested dataclasses)
plus optional per-field checks in `field(metadata={"check": (predicate, expected)})`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, get_args, get_origin

from ..errors import Problem, did_you_mean

Check = tuple[Callable[[Any], bool], str]
MISSING = object()


class Collector:
    """The problems found so far in one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, key: str, message: str, value: object = None, expected: str | None = None):
        self.problems.append(Problem(self.file, message, column=key or None, value=value,
                                     expected=expected))


def build(cls: type, data: object, key: str, out: Collector) -> Any:
    """An instance of dataclass `cls` from a mapping, or MISSING when it cannot be built."""
    if not isinstance(data, dict):
        out.add(key, "must be a mapping of keys to values", _shown(data),
                f"keys {', '.join(f.name for f in dataclasses.fields(cls))}")
        return MISSING
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)
              if f.init and not f.metadata.get("internal")}
    for name in data:
        if name not in fields:
            out.add(_join(key, str(name)), "is not a known key",
                    expected=did_you_mean(str(name), fields))
    values: dict[str, Any] = {}
    for name, f in fields.items():
        where = _join(key, name)
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                out.add(where, "is required")
                values[name] = MISSING
            continue
        value = convert(hints[name], data[name], where, out)
        check: Check | None = f.metadata.get("check")
        if value is not MISSING and value is not None and check and not check[0](value):
            out.add(where, "has a value that is not allowed", _shown(data[name]), check[1])
            value = MISSING
        values[name] = value
    if any(v is MISSING for v in values.values()):
        return MISSING
    return cls(**values)


def convert(hint: Any, value: object, key: str, out: Collector) -> Any:
    """`value` checked against one type hint; MISSING (with a problem recorded) if it fails."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None and len(options) < len(get_args(hint)):
            return None
        return convert(options[0], value, key, out)
    if origin is Literal:
        allowed = get_args(hint)
        if value in allowed:
            return value
        out.add(key, "is not one of the allowed values", _shown(value),
                did_you_mean(str(value), [str(a) for a in allowed]))
        return MISSING
    if origin is tuple:
        if not isinstance(value, list):
            out.add(key, "must be a list", _shown(value))
            return MISSING
        item_hint = get_args(hint)[0]
        items = [convert(item_hint, v, f"{key}[{i + 1}]", out) for i, v in enumerate(value)]
        return MISSING if any(i is MISSING for i in items) else tuple(items)
    if dataclasses.is_dataclass(hint):
        return build(hint, value, key, out)
    return _scalar(hint, value, key, out)


def _scalar(hint: type, value: object, key: str, out: Collector) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        out.add(key, "must be true or false", _shown(value))
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        out.add(key, "must be a whole number", _shown(value))
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        out.add(key, "must be a number", _shown(value))
    elif hint is str:
        if isinstance(value, str) and value.strip():
            return value
        out.add(key, "must be a non-empty text", _shown(value))
    else:  # pragma: no cover - a schema written with a type this module does not know
        raise TypeError(f"unsupported type hint {hint!r} for {key}")
    return MISSING


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _shown(value: object) -> object:
    """Values as the user typed them; a long mapping is summarised, not dumped."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return value
