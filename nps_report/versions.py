"""Installed library versions, read cheaply enough for the no-op check.

A build's cache keys include the versions of the libraries that shape each output
(and of what those libraries depend on), so that an upgrade redoes what it shapes.
importlib.metadata reads and parses a METADATA file per lookup (about 2.5 ms each);
the no-op check needs some thirty, so this module lists the *.dist-info folders on
sys.path once (their names carry name and version, PEP 427/491) and reads a
METADATA file only to follow Requires-Dist. Standard library only.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from functools import cache
from pathlib import Path

_REQUIRES = re.compile(r"^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)([^;\n]*)(;[^\n]*)?$",
                       re.MULTILINE)


def normalise(name: str) -> str:
    """PEP 503 normal form: 'Jinja2' -> 'jinja2', 'markdown_it_py' -> 'markdown-it-py'."""
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def installed() -> dict[str, tuple[str, Path]]:
    """normalised name -> (version, dist-info folder), first on sys.path wins (as import)."""
    found: dict[str, tuple[str, Path]] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            dist, _, version = name[:-len(".dist-info")].partition("-")
            key = normalise(dist)
            if key not in found and version:
                found[key] = (version, Path(entry or ".") / name)
    return found


def _requirements(folder: Path) -> list[str]:
    """Names this distribution requires unconditionally (extras are left out)."""
    try:
        text = (folder / "METADATA").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    head = text.split("\n\n", 1)[0]  # the headers; the long description follows
    return [normalise(m.group(1)) for m in _REQUIRES.finditer(head)
            if not (m.group(3) and "extra" in m.group(3))]


@cache
def closure(names: tuple[str, ...]) -> dict[str, str]:
    """Versions of the named distributions and everything they require, as installed;
    'python' is the interpreter. Names that are not installed are left out."""
    have = installed()
    out = {"python": platform.python_version()}
    todo = [normalise(n) for n in names]
    while todo:
        name = todo.pop()
        if name in out or name not in have:
            continue
        version, folder = have[name]
        out[name] = version
        todo += _requirements(folder)
    return dict(sorted(out.items()))


def version_of(name: str) -> str | None:
    found = installed().get(normalise(name))
    return found[0] if found else None
