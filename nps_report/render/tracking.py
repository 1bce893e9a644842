"""Results as templates see them: every value remembers where it sits in the model.

A template reads `efficacy.orr` and prints it with `| proportion`; for the living
manuscript the printed text must carry the key of what it prints
('efficacy.orr:proportion'), so that a later build can find it in the author's Word
file. Templates get Results through thin proxies that record the path of every value
they reach: dataclasses are wrapped on attribute access, tuples and dicts wrap their
items, numbers and text become int/float/str subclasses with a `path`. The proxies
behave as what they wrap (isinstance, comparisons, arithmetic, iteration), so
templates and filters are written as if they read the plain model; filters that
print a number return `Bound` text, which the Jinja finalize marks for the Markdown
parser (markdown.py) to turn into Run.binding.

Per-patient columns and curves (`__untracked__`) stay plain: a template counts and
selects them but prints no single value, and wrapping 100,000 values would cost.

Paths are Keys (results/keys.py, the one grammar): attribute steps joined by '.', tuple
items by their identity (baseline[Sex].levels[Male], survival.pfs.landmarks[6]), dict
items by key (efficacy.bor_counts.PR); the format that printed a value follows a ':'
(survival.pfs:median_ci).
"""

from __future__ import annotations

import re
from dataclasses import is_dataclass
from typing import Any

from ..results.keys import Key

OPEN, MIDDLE, CLOSE = "\ue000", "\ue001", "\ue002"  # private-use: never in real text


class Bound(str):
    """Printed text of one Results value, with its key."""

    key: str

    def __new__(cls, text: str, key: str) -> Bound:
        bound = super().__new__(cls, text)
        bound.key = key
        return bound


class TrackedInt(int):
    path: Key


class TrackedFloat(float):
    path: Key


class TrackedStr(str):
    path: Key


class Tracked:
    """A dataclass of the model, seen by a template: attribute access tracks the path."""

    __slots__ = ("_obj", "_path")

    def __init__(self, obj: Any, path: Key) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_path", path)

    @property  # isinstance(proxy, Proportion) is True, as for the plain model
    def __class__(self) -> type:  # type: ignore[override]
        return type(self._obj)

    def __getattr__(self, name: str) -> Any:
        return track(getattr(self._obj, name), self._path.field(name))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Results are frozen")

    def __eq__(self, other: object) -> bool:
        return self._obj == unwrap(other)

    def __hash__(self) -> int:
        return hash(self._obj)

    def __bool__(self) -> bool:
        return bool(self._obj)

    def __repr__(self) -> str:
        return f"Tracked({str(self._path)!r}, {self._obj!r})"

    def __dir__(self) -> list[str]:
        return dir(self._obj)


class TrackedSeq(tuple):
    """A tuple of the model whose items are tracked by their identity."""

    path: Key
    plain: tuple


class TrackedMap(dict):
    """A dict of the model (BOR counts) whose values are tracked by their key."""

    path: Key


def track(value: Any, path: Key | str) -> Any:
    """`value` wrapped so that what a template reaches through it knows its path (a Key, or
    its text: 'study')."""
    if value is None or isinstance(value, bool | Tracked | Bound) or getattr(
            type(value), "__untracked__", False):
        return value
    if isinstance(path, str):
        path = Key.parse(path)
    if isinstance(value, int):
        out: Any = TrackedInt(value)
    elif isinstance(value, float):
        out = TrackedFloat(value)
    elif isinstance(value, str):
        out = TrackedStr(value)
    elif is_dataclass(value) and not isinstance(value, type):
        return Tracked(value, path)
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):
        out = TrackedSeq(track(v, path.member(v, i)) for i, v in enumerate(value))
        out.plain = value
    elif isinstance(value, dict):
        out = TrackedMap({k: track(v, path.entry(str(k))) for k, v in value.items()})
    else:
        return value
    out.path = path
    return out


def path_of(value: Any) -> Key | None:
    if isinstance(value, Tracked):
        return value._path
    return getattr(value, "path", None) if isinstance(
        value, TrackedInt | TrackedFloat | TrackedStr | TrackedSeq | TrackedMap) else None


def unwrap(value: Any) -> Any:
    """The plain model value behind a proxy (anything else as it is)."""
    if isinstance(value, Tracked):
        return value._obj
    if isinstance(value, TrackedSeq):
        return value.plain
    if isinstance(value, TrackedMap):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, TrackedInt):
        return int(value)
    if isinstance(value, TrackedFloat):
        return float(value)
    if isinstance(value, TrackedStr):
        return str(value)
    return value


def length(value: Any) -> int:
    """Jinja's `length`, tracked when it counts a tuple of the model
    ('safety.adverse_events.length'), so a printed count keeps its key."""
    n = len(value)
    path = path_of(value)
    return track(n, path.field("length")) if isinstance(value, TrackedSeq) and path else n


def bind(text: str, value: Any, formatter: str) -> str:
    """`text` bound to the key of `value` with the formatter that printed it, when `value`
    is a tracked part of the model; plain text otherwise."""
    path = path_of(value)
    return Bound(text, str(path.printed(formatter))) if path is not None else text


def marked(text: str, key: str) -> str:
    """The marker form a Bound takes in Markdown (markdown.py reads it back); the key is
    written in hex, so no character of it can mean anything to Markdown."""
    return f"{OPEN}{key.encode().hex()}{MIDDLE}{text}{CLOSE}"


def unmarked(text: str, key: str | None = None) -> tuple[list[tuple[str, str | None]],
                                                         str | None]:
    """Text with markers as (piece, key) pieces (key None outside a binding), and the key
    still open at its end: a binding may go on in the next piece of parsed text."""
    out: list[tuple[str, str | None]] = []
    for piece in _MARKS.split(text):
        if piece.startswith(OPEN) and piece.endswith(MIDDLE):
            key = bytes.fromhex(piece[1:-1]).decode()
        elif piece == CLOSE:
            key = None
        elif piece:
            out.append((piece, key))
    return out, key


_MARKS = re.compile(f"({OPEN}[0-9a-f]*{MIDDLE}|{CLOSE})")
