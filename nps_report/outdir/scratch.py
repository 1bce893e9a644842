"""One private temporary folder per command, removed when it ends, however it ends.

WeasyPrint keeps the fonts of a document in a temporary folder it removes when its
font configuration is garbage-collected, and pandoc's input goes to one too; a build
stopped by a signal, or a worker that leaves with os._exit, would leave them in /tmp.
Inside `private_tempdir()` Python's `tempfile.tempdir` (the documented default for
every temporary file) is a folder of ours, so whatever the libraries make goes there,
and the folder goes as a whole. A forked worker inherits it. A command killed outright
(SIGKILL) leaves its folder, locked by nobody: the next command removes it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

PREFIX = "nps-report-"
LOCK = ".lock"


@contextmanager
def private_tempdir() -> Iterator[Path]:
    """Set tempfile.tempdir to a new folder for the block; nested use reuses the outer one."""
    current = tempfile.tempdir
    if current is not None and Path(current).name.startswith(PREFIX) and \
            (Path(current) / LOCK).exists():
        yield Path(current)
        return
    system = Path(tempfile.gettempdir())
    clean_stale_tempdirs()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=system))
    fd = os.open(folder / LOCK, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = current
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def clean_stale_tempdirs() -> None:
    """Remove the private folders of commands that were killed (their lock is free)."""
    system = Path(tempfile.gettempdir())
    with suppress(OSError):
        for entry in os.scandir(system):
            if not entry.name.startswith(PREFIX) or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                    continue
                fd = os.open(Path(entry.path) / LOCK, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)
            except OSError:
                continue  # no lock file: not one of ours
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a running command's
            finally:
                os.close(fd)
            shutil.rmtree(entry.path, ignore_errors=True)
