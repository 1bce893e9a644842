"""Frozen dataclasses to JSON-ready dicts and back, driven by their type hints.

One codec writes results.json from the Results model and reads it back into the
same model (the change report, `nps-report compare` and the living manuscript read
old builds this way), so no field is renamed on the way out and guessed on the way
in. Field metadata says what the default mapping cannot:

- ``json=False``: not written (per-patient columns live in their own CSV);
- ``omit_none=True``: not written while None (a key only some studies have, such as
  ``prognostic``; reading a file without it gives the field's default);
- ``keyed_by="months"``: a tuple of dataclasses written as an object keyed by that
  field, formatted by ``key_format`` and parsed back by ``key_parse`` (landmarks as
  ``{"6": {...}, "12": {...}}``, the contract's shape).

A class may list read-only properties in ``__json_properties__``; they are written
after the fields (``n_patients``, ``grade3plus``) and ignored when reading.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A JSON document does not have the shape of the model (an old or foreign file)."""


def encode(obj: Any) -> Any:
    """The JSON-ready form of a dataclass tree (dicts, lists and plain values)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            if not f.metadata.get("json", True):
                continue
            value = getattr(obj, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            keyed = f.metadata.get("keyed_by")
            if keyed and value is not None:
                fmt = f.metadata.get("key_format", str)
                out[f.name] = {fmt(getattr(v, keyed)): {k: e for k, e in encode(v).items()
                                                        if k != keyed} for v in value}
            else:
                out[f.name] = encode(value)
        for name in getattr(type(obj), "__json_properties__", ()):
            out[name] = encode(getattr(obj, name))
        return out
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a NamedTuple
        return {name: encode(v) for name, v in zip(obj._fields, obj, strict=True)}
    if isinstance(obj, list | tuple):
        return [encode(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): encode(v) for k, v in obj.items()}
    return obj


def decode(cls: type[T], data: Any, path: str = "") -> T:
    """Rebuild an instance of `cls` (a dataclass) from encode()'s output."""
    return _value(cls, data, path or cls.__name__)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _value(tp: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in (o for o in options if o is not type(None)):
            try:
                return _value(option, data, path)
            except CodecError as exc:
                errors.append(str(exc))
        raise CodecError("; ".join(errors))
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, data, path)
    if isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields"):
        _expect(data, dict, path)
        hints = _hints(tp)
        return tp(*(_value(hints[n], data[n], f"{path}.{n}") for n in tp._fields))
    if origin is tuple:
        _expect(data, list, path)
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v, f"{path}[{i}]") for i, v in enumerate(data))
        if len(args) != len(data):
            raise CodecError(f"{path}: expected {len(args)} items, found {len(data)}")
        return tuple(_value(a, v, f"{path}[{i}]") for i, (a, v) in
                     enumerate(zip(args, data, strict=True)))
    if origin is dict:
        _expect(data, dict, path)
        key_t, value_t = typing.get_args(tp)
        return {key_t(k): _value(value_t, v, f"{path}.{k}") for k, v in data.items()}
    if tp is float:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        raise CodecError(f"{path}: expected a number, found {data!r}")
    if tp in (int, str, bool):
        if type(data) is tp or (tp is int and isinstance(data, int)
                                and not isinstance(data, bool)):
            return data
        raise CodecError(f"{path}: expected {tp.__name__}, found {data!r}")
    if tp is type(None):
        if data is None:
            return None
        raise CodecError(f"{path}: expected null, found {data!r}")
    raise CodecError(f"{path}: cannot read a value of type {tp!r}")


def _dataclass(cls: type, data: Any, path: str) -> Any:
    _expect(data, dict, path)
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.metadata.get("json", True) or f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise CodecError(f"{path}: no {f.name!r}")
            continue
        raw = data[f.name]
        keyed = f.metadata.get("keyed_by")
        if keyed and raw is not None:
            _expect(raw, dict, f"{path}.{f.name}")
            item = typing.get_args(hints[f.name])[0]
            parse = f.metadata.get("key_parse", str)
            kwargs[f.name] = tuple(_value(item, {keyed: parse(k), **v}, f"{path}.{f.name}.{k}")
                                   for k, v in raw.items())
        else:
            kwargs[f.name] = _value(hints[f.name], raw, f"{path}.{f.name}")
    return cls(**kwargs)


def _expect(data: Any, kind: type, path: str) -> None:
    if not isinstance(data, kind):
        noun = "an object" if kind is dict else "a list"
        raise CodecError(f"{path}: expected {noun}, found {type(data).__name__}")
