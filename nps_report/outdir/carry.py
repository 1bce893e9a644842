"""What the output folder holds that no build wrote as it is now goes into the new build.

A file the last build's manifest does not list (a user's notes, an annotated figure)
is kept at its place; an output edited since the build wrote it (an author's
manuscript.docx) is kept beside the new one as `<name>-edited<suffix>`; a symbolic link
stays a link (its target is not read), an empty folder of the user's stays. Files are
hard-linked into the staging folder where the file system allows (the same file, no
copy; the old folder's entry goes with it), else copied with their dates.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from ..cache import file_sha256
from .guard import CACHE_DIR, Target


def carry_over(target: Target, staging: Path) -> dict[str, str]:
    """Bring into staging what target.real holds that no build wrote as it is now.
    Returns kept path (relative, POSIX) -> why."""
    real = target.real
    if not target.exists or not real.is_dir():
        return {}
    previous, already = target.outputs, set(target.kept)
    kept: dict[str, str] = {}
    for top, dirs, names in os.walk(real):
        here = Path(top)
        if here == real and CACHE_DIR in dirs:
            dirs.remove(CACHE_DIR)
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            rel = path.relative_to(real)
            posix = rel.as_posix()
            recorded = previous.get(posix)
            is_link = path.is_symlink()
            if recorded is not None and not is_link and file_sha256(path) == recorded:
                continue  # ours, untouched: the new build replaces it
            if recorded is None or is_link:
                dest, why = rel, ("kept from the previous build" if posix in already
                                  else "not written by nps-report")
            else:
                dest = _free_name(staging, rel.with_name(f"{rel.stem}-edited{rel.suffix}"))
                why = (f"{posix} was edited after the last build wrote it; the new {posix} "
                       "is beside it")
            if (staging / dest).exists() or (staging / dest).is_symlink():
                dest = _free_name(staging, dest)
            _bring(path, staging / dest)
            kept[dest.as_posix()] = why
        if not names and not dirs and here != real and not _has_output_below(previous, here,
                                                                              real):
            (staging / here.relative_to(real)).mkdir(parents=True, exist_ok=True)
            kept[here.relative_to(real).as_posix() + "/"] = "not written by nps-report"
    return kept


def _has_output_below(previous: dict[str, str], folder: Path, real: Path) -> bool:
    rel = folder.relative_to(real).as_posix() + "/"
    return any(k.startswith(rel) for k in previous)


def _bring(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), dest)
        return
    if stat.S_ISREG(source.lstat().st_mode):
        try:
            os.link(source, dest)
            return
        except OSError:
            pass  # a file system without hard links, or another device
    shutil.copy2(source, dest, follow_symlinks=False)


def _free_name(folder: Path, rel: Path) -> Path:
    """rel, or rel with '-2', '-3', ... before the suffix if that name is taken in folder."""
    candidate, n = rel, 1
    while (folder / candidate).exists() or (folder / candidate).is_symlink():
        n += 1
        candidate = rel.with_name(f"{rel.stem}-{n}{rel.suffix}")
    return candidate
