"""The tool's version, and the installed versions of the libraries it runs with.

Standard library only, and no library is imported: versions come from the installed
distributions' metadata, so `nps-report --version` and the version fences of patched
library internals stay cheap. importlib.metadata itself (40 ms of imports) loads on
first use: the no-op build imports this module and must not pay for it.
"""

from __future__ import annotations

import platform
import re
from functools import cache

__version__ = "0.1.0"

# What `nps-report --version` reports: the libraries that shape the numbers and documents.
KEY_LIBRARIES = ("numpy", "pandas", "scipy", "matplotlib", "weasyprint", "python-docx",
                 "jinja2", "lifelines")


def installed(dist: str) -> str | None:
    """The installed version of a distribution, or None if it is not installed."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


@cache
def release(dist: str) -> tuple[int, ...] | None:
    """The leading numeric release of an installed distribution ('70.0' -> (70, 0))."""
    found = installed(dist)
    match = re.match(r"\d+(?:\.\d+)*", found or "")
    return tuple(int(p) for p in match.group().split(".")) if match else None


def tested(dist: str, low: tuple[int, ...], high: tuple[int, ...]) -> bool:
    """low <= installed version < high: the range a patch of dist's internals was tested on.

    Every patch of a library's internals asks this first and takes the library's own
    path outside the range, so an upgrade costs speed, never a wrong output."""
    found = release(dist)
    return found is not None and low <= found < high


def version_report() -> str:
    """`nps-report --version`: this tool, Python and the key libraries, one per line."""
    lines = [f"nps-report {__version__}",
             f"Python {platform.python_version()} ({platform.python_implementation()})"]
    for dist in KEY_LIBRARIES:
        lines.append(f"{dist} {installed(dist) or 'not installed'}")
    return "\n".join(lines)
