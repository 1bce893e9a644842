"""A build is written into a staging folder beside its output folder, then swapped in.

On Linux the swap is one system call, renameat2(RENAME_EXCHANGE): the staging folder
and the output folder trade places atomically, so a reader (or a crash) sees the old
build or the new one, never neither or half of one. The old build, now under the
staging name, is then removed. Where the call is missing (not Linux, glibc < 2.28, a
file system without it) the fallback is two renames with the old build set aside; a
crash between them leaves no output folder, and the next build puts the old one back.

Every folder this module makes is named `.<DIR>.nps-new-*` (staging) or
`.<DIR>.nps-old-*` (set aside) in DIR's parent, and holds .cache/lock, which its build
holds an flock on while it runs. The next build into DIR removes such a folder when
no one holds its lock: what a killed build left. Nothing else is ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from functools import cache
from pathlib import Path

from ..errors import Problem
from ..interrupts import deferred
from .guard import CACHE_DIR, MANIFEST, OutputFolderError, read_own_manifest

LOCK = "lock"
NEW, OLD = "nps-new", "nps-old"
AT_FDCWD = -100
RENAME_EXCHANGE = 2


def checkpoint(stage: str) -> None:
    """Called at each step of the swap; the crash tests replace it to stop the build
    there (a raised exception, or a real SIGKILL in a subprocess)."""


def prefix(real: Path, kind: str) -> str:
    return f".{real.name}.{kind}-"


@cache
def _renameat2():  # type: ignore[no-untyped-def]
    """glibc's renameat2, or None where the C library has none (ctypes loads only when a
    build swaps: the no-op check imports this module)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    fn.restype = ctypes.c_int
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (the caller falls back)."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def default_mode() -> int:
    """The mode a new folder gets from the user's umask (mkdtemp makes 0700)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


class Staging:
    """A locked folder beside the output folder that the build is written into."""

    def __init__(self, path: Path, lock_fd: int) -> None:
        self.path, self._lock_fd = path, lock_fd

    @classmethod
    def create(cls, real: Path) -> Staging:
        real.parent.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=prefix(real, NEW), dir=real.parent))
        fd = -1
        try:
            (path / CACHE_DIR).mkdir()
            fd = os.open(path / CACHE_DIR / LOCK, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, json.dumps({"pid": os.getpid(), "out": str(real)}).encode())
            checkpoint("staging-created")
        except BaseException:
            if fd >= 0:
                os.close(fd)
            shutil.rmtree(path, ignore_errors=True)
            raise
        return cls(path, fd)

    def swap_in(self, real: Path) -> None:
        """Put the finished build in place of `real` (kept: its mode; a link to it)."""
        mode = stat.S_IMODE(real.stat().st_mode) if real.is_dir() else default_mode()
        os.chmod(self.path, mode)
        checkpoint("staging-written")
        with deferred():
            if not real.exists():
                os.rename(self.path, real)  # fails if a folder appeared there meanwhile
                checkpoint("renamed-in")
            elif exchange(self.path, real):
                checkpoint("exchanged")  # the old build is under the staging name now
                self._remove_old()
            else:
                aside = self.path.with_name(self.path.name.replace(NEW, OLD, 1))
                os.rename(real, aside)
                try:  # no output folder until the next rename: put it back on any error
                    checkpoint("set-aside")
                    os.rename(self.path, real)
                except BaseException:
                    os.rename(aside, real)
                    raise
                self.path = aside  # what is left to remove
                checkpoint("renamed-in")
                self._remove_old()
            checkpoint("swapped")
        self.release()

    def _remove_old(self) -> None:
        """The old build goes; one that cannot be removed now (a file in use on a network
        drive) stays recognisable, for the next build to remove."""
        with contextlib.suppress(OSError):
            remove_build(self.path)

    def discard(self) -> None:
        """Remove the staging folder (the build failed or was stopped); what cannot be
        removed now stays recognisable, for the next build to remove."""
        try:
            if self.path.exists():
                self._remove_old()
        finally:
            self.release()

    def release(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)
            self._lock_fd = -1


def remove_build(folder: Path) -> None:
    """Remove a folder this module made, its .cache/ last (lock and manifest at the very
    end), so that a removal cut short still leaves it recognisable as ours."""
    for entry in sorted(os.listdir(folder)):
        if entry != CACHE_DIR:
            _remove(folder / entry)
            checkpoint("removing")
    cache_dir = folder / CACHE_DIR
    if cache_dir.is_dir() and not cache_dir.is_symlink():
        last = (MANIFEST, LOCK)
        for entry in sorted(os.listdir(cache_dir), key=lambda e: (e in last, last.index(e)
                                                                  if e in last else 0)):
            _remove(cache_dir / entry)
        os.rmdir(cache_dir)
    elif cache_dir.exists() or cache_dir.is_symlink():
        _remove(cache_dir)
    os.rmdir(folder)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def clean_leftovers(real: Path) -> list[str]:
    """Remove what killed builds into `real` left beside it, putting a set-aside build back
    when `real` itself is missing. Refuses (OutputFolderError) while another build into
    the same folder runs. Returns what was done, one sentence each."""
    parent = real.parent
    if not parent.is_dir():
        return []
    found = sorted((p for p in parent.iterdir()
                    if p.name.startswith((prefix(real, NEW), prefix(real, OLD)))
                    or _legacy(p, real)), key=lambda p: p.name)
    done = []
    for folder in found:
        state = _claim(folder)
        if state == "busy":
            raise OutputFolderError([Problem(str(real), "another nps-report build into it is "
                                             f"running ({folder.name} is locked)",
                                             expected="that build to finish first")])
        if state == "ours":
            if not real.exists() and _is_old(folder, real) and read_own_manifest(folder):
                os.rename(folder, real)  # a fallback swap cut between its two renames
                done.append(f"put back {real.name}/ from {folder.name}, where a build that "
                            "was stopped had set it aside")
            else:
                remove_build(folder)
                done.append(f"removed {folder.name}, left by a build that was stopped")
    return done


def _is_old(folder: Path, real: Path) -> bool:
    return folder.name.startswith(prefix(real, OLD)) or folder.name.startswith(
        f".{real.name}-old-")


def _legacy(path: Path, real: Path) -> bool:
    """`.<DIR>-old-<pid>` set aside by an earlier nps-report whose process has ended."""
    head = f".{real.name}-old-"
    if not path.name.startswith(head) or not path.name[len(head):].isdigit():
        return False
    try:
        os.kill(int(path.name[len(head):]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


def _claim(folder: Path) -> str:
    """"busy" when a running build holds the folder's lock, "ours" when it is a folder of
    ours no one holds, "foreign" when nothing shows it is ours (it is left alone)."""
    if folder.is_symlink() or not folder.is_dir():
        return "foreign"
    lock = folder / CACHE_DIR / LOCK
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return "ours" if read_own_manifest(folder) is not None else "foreign"
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return "busy"
        raise
    finally:
        os.close(fd)
    return "ours"
