"""SIGINT, SIGTERM and SIGHUP end a command cleanly; the swap of a build is not cut in two.

Python turns Ctrl-C into KeyboardInterrupt, but SIGTERM (a `kill`, a job scheduler, a
closing terminal's SIGHUP) ends the process on the spot: its staging folder, its
temporary files and its worker are left behind. Inside `handled()` those signals raise
`Interrupted` instead, so every `finally` runs; the CLI exits 128 + the signal number.
Inside `deferred()` (the few system calls that swap a finished build in) a signal waits
until the section ends. SIGXFSZ (a file larger than `ulimit -f`) is ignored, so that the
write fails with EFBIG and is reported like a full disk, instead of killing the process.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                if hasattr(signal, name))


class Interrupted(BaseException):
    """A signal asked the command to stop (BaseException, like KeyboardInterrupt: no
    `except Exception` swallows it)."""

    def __init__(self, signum: int, after_commit: bool = False) -> None:
        self.signum, self.after_commit = signum, after_commit
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_state = {"deferring": 0, "pending": None}


def _raise(signum: int, _frame: FrameType | None) -> None:
    if _state["deferring"]:
        _state["pending"] = _state["pending"] or signum
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


@contextmanager
def handled() -> Iterator[None]:
    """The signals above raise inside this block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in HANDLED}
    xfsz = signal.signal(signal.SIGXFSZ, signal.SIG_IGN) if hasattr(signal, "SIGXFSZ") \
        else None
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if xfsz is not None:
            signal.signal(signal.SIGXFSZ, xfsz)


@contextmanager
def deferred() -> Iterator[None]:
    """A signal that arrives inside this block (a commit: the swap of a finished build)
    takes effect when it ends, as Interrupted(after_commit=True) if the block finished."""
    _state["deferring"] += 1
    try:
        yield
    finally:
        _state["deferring"] -= 1
    pending = _state["pending"]
    if pending is not None and not _state["deferring"]:
        _state["pending"] = None
        raise Interrupted(pending, after_commit=True)


def reset_in_child() -> None:
    """In a forked worker: the default actions, so that the parent can stop it at once
    (its files are in the parent's staging and temporary folders, which the parent
    removes); Ctrl-C reaches the whole process group, and only the parent answers it."""
    if threading.current_thread() is not threading.main_thread():
        return
    for s in HANDLED:
        signal.signal(s, signal.SIG_IGN if s == signal.SIGINT else signal.SIG_DFL)
    _state.update(deferring=0, pending=None)
