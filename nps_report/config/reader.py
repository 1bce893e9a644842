"""One declaration per study.yaml key: a dataclass field whose metadata holds its kind.

    level: float = key(FRACTION, 0.95)           # default and kind, in one place
    ci: CIConfig = section(CIConfig)            # a nested mapping of such keys
    prognostic: P | None = optional_section(P)  # a mapping that may be left out (None)
    title: str = key(Text("..."))                # no default: required

read_section walks the fields of a config dataclass: the field names are the YAML
keys (so unknown keys get a did-you-mean over them), the kind parses and words the
problem, and the default stands in for a key left out or a value that was refused.
A section class may define `check(self, at)` for what its keys mean together.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, field, fields
from typing import Any

from ..errors import did_you_mean
from .at import At, Invalid
from .kinds import Kind


def key(kind: Kind, default: Any = MISSING) -> Any:
    """A study.yaml key of this kind; without a default it is required."""
    if isinstance(default, list | dict | set):
        raise TypeError("use a tuple or a frozen dataclass as a default")
    return field(default=default, metadata={"kind": kind})


def section(cls: type) -> Any:
    """A nested mapping whose keys are cls's fields (all with defaults)."""
    return field(default_factory=cls, metadata={"section": cls})


def optional_section(cls: type) -> Any:
    """A nested mapping that is None unless study.yaml has it: a feature the study asks for
    by writing its block (`prognostic:`), not a set of settings with defaults."""
    return field(default=None, metadata={"section": cls, "optional": True})


def keys_of(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.init)


def read_section(cls: type, value: Any, at: At) -> Any:
    """An instance of cls from a YAML mapping, every problem reported to at's context."""
    names = keys_of(cls)
    if value is None:
        value = {}
    if not isinstance(value, dict):
        at.bad("invalid value", value, "a mapping with keys " + ", ".join(names))
        value = {}
    for name in value:
        if name not in names:
            at.child(name).bad("unknown key", None, did_you_mean(str(name), names),
                               at_key=True)
    kwargs = {}
    for f in fields(cls):
        if f.init:
            got = _read_field(f, value.get(f.name, MISSING), at.child(f.name))
            if got is not MISSING:
                kwargs[f.name] = got
    out = cls(**kwargs)
    check = getattr(out, "check", None)
    if callable(check):  # what a section's keys mean together (e.g. two lists that overlap)
        check(at)
    return out


def _read_field(f: Field, value: Any, at: At) -> Any:
    sub = f.metadata.get("section")
    if sub is not None:
        if f.metadata.get("optional") and (value is MISSING or value is None):
            return MISSING
        return read_section(sub, None if value is MISSING else value, at)
    kind: Kind = f.metadata["kind"]
    required = f.default is MISSING and f.default_factory is MISSING
    if value is MISSING or value is None:
        if required:
            at.bad("missing required key" if value is MISSING else "empty value", None,
                   kind.expected, at_key=True)
            return ""
        return MISSING
    try:
        return kind.read(value, at)
    except Invalid as exc:
        at.bad(exc.message, value, exc.expected)
        return "" if required else MISSING
