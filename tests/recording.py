"""Results seen through a recording proxy: which values did a function read?

An artifact declares the Results it reads (its cache key and its documentation depend on
that list); the tests run each table builder and each figure's drawing against this proxy
and fail when it read a value no declared read covers. The proxy behaves as the model does
(isinstance, equality, iteration, methods and properties run through it), and notes the
key of every value it hands out that is not itself a part of the model to look into: a
number, a text, a tuple of numbers, a dict. Tuples of the model's dataclasses are handed
out item by item, each keyed by its identity, so reading one adverse event's grade notes
`safety.all_terms[Rash].grade3`.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any

from nps_report.results.keys import Key


class Recorder:
    def __init__(self) -> None:
        self.reads: set[Key] = set()

    def wrap(self, value: Any, key: Key) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return Proxy(value, key, self)
        if isinstance(value, tuple) and not hasattr(value, "_fields") and value and \
                dataclasses.is_dataclass(value[0]):
            return tuple(self.wrap(v, key.member(v, i)) for i, v in enumerate(value))
        self.reads.add(key)
        return value

    def undeclared(self, declared: tuple[Key, ...]) -> list[str]:
        """The keys read that no declared read covers, sorted."""
        return sorted(str(k) for k in self.reads if not any(d.covers(k) for d in declared))


class Proxy:
    """A dataclass of the model whose reads are recorded."""

    __slots__ = ("_key", "_obj", "_rec")

    def __init__(self, obj: Any, key: Key, recorder: Recorder) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_rec", recorder)

    @property  # isinstance(proxy, Results) holds, as for the plain model
    def __class__(self) -> type:  # type: ignore[override]
        return type(self._obj)

    def __getattr__(self, name: str) -> Any:
        obj = self._obj
        if name.startswith("__"):
            return getattr(obj, name)
        attr = getattr(type(obj), name, None)
        if isinstance(attr, property):  # computed from fields: read them through the proxy
            return attr.fget(self)
        if isinstance(attr, types.FunctionType):  # a method: `self` is the proxy
            return types.MethodType(attr, self)
        return self._rec.wrap(getattr(obj, name), self._key.field(name))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Results are frozen")

    def __eq__(self, other: object) -> bool:
        return self._obj == (other._obj if isinstance(other, Proxy) else other)

    def __hash__(self) -> int:
        return hash(self._obj)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"Proxy({str(self._key)!r})"


def recording(results: Any) -> tuple[Any, Recorder]:
    """(Results behind a recording proxy, the recorder that notes what is read)."""
    recorder = Recorder()
    return Proxy(results, Key(), recorder), recorder
