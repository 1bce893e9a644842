"""A folder in the user's cache directory for what is dear to make and safe to keep: work
whose every input is in its key, so an entry is either right or not found.

$XDG_CACHE_HOME/nps-report/<name> (~/.cache/nps-report/<name>); NPS_REPORT_NO_CACHE=1
turns it off. A folder that cannot be made means no cache, never an error: nothing a
build writes depends on it. An entry is read only if it is the user's own file that no
one else may change (trusted_file): compiled templates are code.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def user_cache(name: str) -> Path | None:
    if os.environ.get("NPS_REPORT_NO_CACHE"):
        return None
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = root / "nps-report" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def trusted_file(path: Path) -> bool:
    """A regular file of the current user's that no one else may change: a cache entry
    the user's own command wrote (in a shared folder others could have replaced it)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
