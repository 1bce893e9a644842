"""Files of a study folder, read without leaving it.

A study folder received from a colleague may hold a symbolic link (manuscript/
discussion.md -> /etc/passwd, patients.csv -> another trial's data): read as it is, its
target's text would go into the manuscript without a word. Every file a build reads
from the study is checked here first: it must be a regular file, and its real path must
lie inside the study's real folder (links between files of the study are fine). Whatever
is outside is read only when study.yaml names it by an absolute path.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem, StudyError
from .limits import human

READ_OUTSIDE = ("the file itself copied into the study folder: nps-report reads nothing "
                "outside the study unless study.yaml names it by an absolute path")


def shown(root: Path, path: Path) -> str:
    """path as messages name it: relative to the study folder where it is inside it."""
    try:
        rel = Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith("..") else rel


def leaving_link(root: Path, path: Path) -> tuple[Path, Path] | None:
    """(link, its real target) for the first symbolic link on the way from root to path
    whose target lies outside root's real folder; None when the way stays inside."""
    real_root = root.resolve()
    try:
        rel = Path(os.path.relpath(Path(path).absolute(), Path(root).absolute()))
    except ValueError:
        rel = Path(path)
    if rel.parts[:1] == ("..",) or rel.is_absolute():
        return None  # not a path below the study folder: the caller decides about it
    step = Path(root)
    for part in rel.parts:
        step = step / part
        if step.is_symlink():
            target = step.resolve()
            if not target.is_relative_to(real_root):
                return step, target
    return None


def check_file(root: Path, path: Path, *, limit: int | None = None,
               what: str = "file") -> Problem | None:
    """A Problem when `path` (below the study folder) leaves it through a symbolic link,
    is not a regular file (a folder, a device, a pipe), or is larger than `limit`."""
    name = shown(root, path)
    if (outside := check_inside(root, path)) is not None:
        return outside
    try:
        info = path.stat()
    except OSError as exc:
        return Problem(name, f"cannot be read ({exc.strerror or exc})")
    if stat.S_ISDIR(info.st_mode):
        return Problem(name, f"is a folder, not a {what}",
                       expected=f"the {what} itself under this name")
    if not stat.S_ISREG(info.st_mode):
        return Problem(name, "is not a regular file (a device, pipe or socket), so it is "
                             "not read", expected=f"the {what} itself under this name")
    if limit is not None and info.st_size > limit:
        return Problem(name, f"the {what} is {human(info.st_size)}, more than the "
                             f"{human(limit)} nps-report reads",
                       expected=f"a {what} under {human(limit)}")
    return None


def read_bytes(root: Path, path: Path, *, limit: int | None = None,
               what: str = "file") -> bytes:
    """The bytes of a study file, or StudyError saying why it is not read."""
    problem = check_file(root, path, limit=limit, what=what)
    if problem is not None:
        raise StudyError([problem])
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StudyError([Problem(shown(root, path),
                                  f"cannot be read ({exc.strerror or exc})")]) from None


def read_text(root: Path, path: Path, *, limit: int | None = None,
              what: str = "file") -> str:
    """A UTF-8 study file's text (BOM dropped), or StudyError naming the file."""
    data = read_bytes(root, path, limit=limit, what=what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise StudyError([Problem(shown(root, path), f"not UTF-8 text (byte 0x"
                                  f"{data[exc.start]:02X} on line {line})",
                                  expected="the file saved as UTF-8")]) from None


def files_under(root: Path, folder: Path) -> list[Path]:
    """Every regular file below folder (a folder of the study), sorted; StudyError naming
    each link that leads outside the study and each file that is not a regular one."""
    if not folder.is_dir() and not folder.is_symlink():
        return []
    problem = check_inside(root, folder)
    if problem is not None:
        raise StudyError([problem])
    found, problems = [], []
    for top, dirs, names in os.walk(folder, followlinks=False):
        here = Path(top)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                link = leaving_link(root, here / name)
                if link is not None:
                    problems.append(_outside(root, *link))
                else:
                    found += files_under(root, here / name)
        for name in sorted(names):
            problem = check_file(root, here / name)
            if problem is not None:
                problems.append(problem)
            else:
                found.append(here / name)
    if problems:
        raise StudyError(problems)
    return sorted(found)


def check_inside(root: Path, path: Path) -> Problem | None:
    """A Problem when the way from root to path leaves the study through a link."""
    link = leaving_link(root, path)
    return _outside(root, *link) if link is not None else None


def _outside(root: Path, link: Path, target: Path) -> Problem:
    return Problem(shown(root, link), f"a symbolic link to {target}, outside the study "
                                      "folder", expected=READ_OUTSIDE)
