"""Both cores for one build: one forked worker that preloads the libraries its jobs need.

The build decides once, after reading its cache, whether a worker pays and what it
preloads (build.py): matplotlib when figures are likely to be drawn (it imports
while the parent runs the analysis), WeasyPrint when only the documents are to be
made (it writes the PDF while the parent writes the DOCX). Jobs are module-level
functions sent through a pipe with picklable arguments; a job reports typed events
(`Embedded` when the PNGs the documents need are written) and the worker answers
`JobDone` or dies with a non-zero exit code and its traceback on stderr; a job that
fails for the machine's reasons (a full disk) sends `Failed` instead, and the parent
raises the same OSError. The worker ends with its parent, whatever ends the parent.

Drawing takes both cores while the parent waits for the embedded PNGs and then writes
the documents: the worker forks a helper (matplotlib loaded, Results in memory) and
each draws whole figures, about half of the panels (`share_figures`); the helper tells
the worker through a pipe when its embedded PNGs are written and when it is done, and
dies with the worker.

Without fork() or a second core the same jobs run in the parent, in turn; the files
are the same bytes either way. A worker that never gets a job exits when its pipe
closes.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # the module itself is standard library only: the CLI may fork before
    from .config import FigureConfig  # the build's own modules load (cli._build)
    from .present.artifact import Catalogue
    from .render.pdf import PdfSource
    from .results import Results

Report = Callable[[object], None]
EMBEDDED = ("png",)  # what the documents read (render/artwork.py)
# Above this many patients the figures take a small part of a build (the analysis and the
# data files the most; the plots of patients are capped), and a helper would hold a second
# copy-on-write view of the Results: the worker draws them alone (BENCHMARKS.md).
HELPER_MAX_PATIENTS = 20_000


@dataclass(frozen=True)
class Embedded:
    """The figure files the documents embed are written."""


@dataclass(frozen=True)
class PdfPlaces:
    """Where the manuscript PDF's named places fell (render.linenumbers.named_places): the
    reporting checklist's pages and lines, written once the PDF is."""

    places: dict


@dataclass(frozen=True)
class JobDone:
    """The worker finished a job and waits for the next one."""


@dataclass(frozen=True)
class Failed:
    """A job failed with an OSError (disk full, file-size limit): raised again in the
    parent, which reports it in one line."""

    errno: int | None
    strerror: str | None
    filename: str | None


def can_fork() -> bool:
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _serve(preload: Callable[[], None], conn: Connection, parents_end: Connection,
           parent: int) -> None:
    """The worker's life: preload, then run the jobs the parent sends until it sends None."""
    parents_end.close()  # fork copied it; open here, the parent's close() would never be seen
    from .interrupts import reset_in_child

    reset_in_child()
    _die_with_parent(parent)
    try:
        preload()
        while True:
            try:
                job = conn.recv()
            except EOFError:
                return
            if job is None:
                return
            fn, args = job
            fn(*args, report=conn.send)
            job = fn = args = None  # a large study's Results go before the next job's come
            conn.send(JobDone())
    except OSError as exc:
        with suppress(OSError):  # the parent may be gone
            conn.send(Failed(exc.errno, exc.strerror, str(exc.filename or "") or None))
        os._exit(1)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends this process SIGKILL when its parent ends, even by SIGKILL,
    so no worker outlives the build (prctl PR_SET_PDEATHSIG; elsewhere the closed pipe
    ends an idle worker)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the call
        os._exit(1)


class Worker:
    """`start(preload)` once, `submit(fn, *args)` jobs (fn gets a `report` callable for
    events), `wait_for(EventType)`, `finish()`; `close()` always (e.g. in a finally): it
    stops a worker that got no job or did not finish. In one process (no fork), jobs run
    when they are waited for."""

    def __init__(self) -> None:
        self._conn: Connection | None = None
        self._process: multiprocessing.Process | None = None
        self._queued: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
        self._events: list[object] = []
        self._open_jobs = 0

    @classmethod
    def start(cls, preload: Callable[[], None]) -> Worker:
        worker = cls()
        if can_fork():
            parent, child = multiprocessing.Pipe()
            worker._process = multiprocessing.get_context("fork").Process(
                target=_serve, args=(preload, child, parent, os.getpid()), daemon=True)
            worker._process.start()
            child.close()
            worker._conn = parent
        return worker

    @property
    def forked(self) -> bool:
        return self._process is not None

    def submit(self, fn: Callable[..., None], *args: Any) -> None:
        """Hand a job over (fn must be a module-level function, and args picklable)."""
        if self._conn is None:
            self._queued.append((fn, args))
            return
        self._conn.send((fn, args))
        self._open_jobs += 1

    def wait_for(self, event: type, count: int = 1) -> None:
        """Block until jobs report `count` events of this type (in one process: run the
        jobs)."""
        if self._conn is None:
            self._run_here()
            return
        while sum(isinstance(e, event) for e in self._events) < count:
            if not self._open_jobs:
                raise RuntimeError(f"no job of the worker will report {event.__name__}")
            self._pump(f"reporting {event.__name__}")

    def reported(self, event: type) -> list:
        """The events of this type the jobs reported so far."""
        return [e for e in self._events if isinstance(e, event)]

    def finish(self) -> None:
        """Wait until every job is done; raises RuntimeError if the worker failed."""
        if self._conn is None:
            self._run_here()
            return
        while self._open_jobs:
            self._pump("finishing its job")
        self._conn.send(None)
        self._join_and_check()

    def close(self) -> None:
        """Stop the worker unless it finished: one without a job reads EOF and exits, one
        still working is terminated (its files go with the staging folder). Idempotent."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._open_jobs and self._process.exitcode is None:
                self._process.terminate()
            self._process.join()
            self._process = None
        self._queued = []

    def _pump(self, waiting_for: str) -> None:
        """Receive one message: a finished job is counted, any other event kept."""
        assert self._conn is not None
        try:
            message = self._conn.recv()
        except EOFError:
            self._join_and_check()  # raises with the worker's exit code
            raise RuntimeError(f"the worker process stopped before {waiting_for}") from None
        if isinstance(message, JobDone):
            self._open_jobs -= 1
        elif isinstance(message, Failed):
            self.close()
            raise OSError(message.errno, message.strerror, message.filename)
        else:
            self._events.append(message)

    def _run_here(self) -> None:
        queued, self._queued = self._queued, []
        for fn, args in queued:
            fn(*args, report=self._events.append)

    def _join_and_check(self) -> None:
        assert self._process is not None
        self._process.join()
        code = self._process.exitcode
        self.close()
        if code != 0:
            raise RuntimeError(f"the worker process failed (exit {code}); its traceback is "
                               "above")


# --- jobs ----------------------------------------------------------------------------------

def preload_figures() -> None:
    from . import figures  # noqa: F401  (the import is the point: it overlaps the analysis)


def preload_pdf() -> None:
    """WeasyPrint and the PDF writer only: the HTML comes made (render.pdf.PdfSource), so
    the worker needs none of the composer's modules."""
    from .render.pdf import weasyprint_api

    weasyprint_api()


def draw_figures(results: Results, dest: Path, config: FigureConfig, catalogue: Catalogue,
                 names: tuple[str, ...], embedded: tuple[str, ...], report: Report) -> None:
    """The named figures and their panels in their formats, the `embedded` figures' PNGs
    first: `Embedded` is reported once they are written. With a second core the figures
    are shared with a helper process forked from this one (matplotlib is loaded here
    already, and Results need no second copy): each draws whole figures, so the panels of
    a figure are edge-aligned in one process, and the files are the same bytes either way."""
    from .figures.files import FigureSet

    mine, theirs = share_figures(FigureSet.panel_counts(results, config, catalogue, names))
    helper = _Helper.fork(lambda on_embedded: _draw(
        results, dest, config, catalogue, theirs, embedded, on_embedded)) \
        if theirs and results.n_patients <= HELPER_MAX_PATIENTS and can_fork() \
        and threading.active_count() == 1 else None
    if helper is None:
        mine = names
    try:
        _draw(results, dest, config, catalogue, mine, embedded,
              lambda: (helper.wait_embedded() if helper else None, report(Embedded())))
        if helper is not None:
            helper.finish()
    finally:
        if helper is not None:
            helper.stop()


def share_figures(counts: dict[str, int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two shares of whole figures with about as many panels each (the largest first, each
    to the lighter share), every share in the figures' own order; counts: figure -> its
    panels (a figure of several panels counts once more, for its pasted file)."""
    load = [0, 0]
    share: dict[str, int] = {}
    for name in sorted(counts, key=lambda n: -counts[n]):
        side = 0 if load[0] <= load[1] else 1
        share[name] = side
        load[side] += counts[name]
    return (tuple(n for n in counts if share[n] == 0),
            tuple(n for n in counts if share[n] == 1))


def _draw(results: Results, dest: Path, config: FigureConfig, catalogue: Catalogue,
          names: tuple[str, ...], embedded: tuple[str, ...],
          on_embedded: Callable[[], object]) -> None:
    """One process's figures: their embedded PNGs, then `on_embedded` (on the encoder
    thread), then every other file. PNG and TIFF compression runs on a second thread
    (Pillow releases the GIL) while this one goes on drawing."""
    from .figures.files import FigureSet

    formats = config.file_formats
    with ThreadPoolExecutor(1) as encoder:
        figures = FigureSet(results, config, encoder, catalogue)
        first = tuple(n for n in embedded if n in names)
        figures.write(dest, first, EMBEDDED)
        figures.then(on_embedded)
        figures.write(dest, first, tuple(f for f in formats if f not in EMBEDDED))
        panels = [p.key for n in names for p in figures.chosen[n] if p.key != n]
        figures.write(dest, tuple(n for n in names if n not in first), formats)
        figures.write(dest, tuple(dict.fromkeys(panels)), formats)
        figures.wait()


class _Helper:
    """A process forked from the worker to draw a share of the figures. It writes one byte
    when its embedded PNGs are written (E), and when it is done (D); an OSError (a full
    disk) comes back as F and its pickled errno, strerror and filename, raised again here;
    anything else ends it with its traceback on stderr and a non-zero exit. It dies with
    the worker, and a worker that is stopped stops it first, so that nothing of it writes
    into a staging folder the parent is removing."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self._fd, self._seen = pid, fd, b""
        self._exit: int | None = None
        self._previous: object = signal.SIG_DFL

    @classmethod
    def fork(cls, job: Callable[[Callable[[], None]], None]) -> _Helper:
        read, write = os.pipe()
        worker = os.getpid()
        pid = os.fork()  # before any thread starts here: the child copies no held lock
        if pid == 0:
            os.close(read)
            _run_helper(job, write, worker)
        os.close(write)
        helper = cls(pid, read)
        helper._previous = signal.signal(signal.SIGTERM, helper._on_term)
        return helper

    def wait_embedded(self) -> None:
        """Block until the helper's embedded PNGs are written (raises if it failed)."""
        self._read_until(b"E")

    def finish(self) -> None:
        """Block until the helper is done; raises its OSError, or RuntimeError if it failed."""
        self._read_until(b"D")
        self._reap()
        if self._exit != 0:
            raise RuntimeError(f"the figure helper process failed (exit {self._exit})")

    def stop(self) -> None:
        """Kill the helper unless it finished, and wait for it. Idempotent."""
        if self._exit is None:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self._reap()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        signal.signal(signal.SIGTERM, self._previous)

    def _on_term(self, signum: int, _frame: object) -> None:
        self.stop()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def _read_until(self, mark: bytes) -> None:
        """Read the helper's bytes until `mark`; after F, the rest to its end is the error."""
        while True:
            head, failed, _error = self._seen.partition(b"F")
            if mark in head and not failed:
                return
            chunk = os.read(self._fd, 4096)
            if not chunk:
                break
            self._seen += chunk
        self._reap()
        if failed:
            errno, strerror, filename = pickle.loads(_error)
            raise OSError(errno, strerror, filename)
        raise RuntimeError(f"the figure helper process failed (exit {self._exit}); its "
                           "traceback is above")

    def _reap(self) -> None:
        if self._exit is None:
            _pid, status = os.waitpid(self.pid, 0)
            self._exit = os.waitstatus_to_exitcode(status)


def _run_helper(job: Callable[[Callable[[], None]], None], fd: int, worker: int) -> NoReturn:
    """The helper's life (in the forked child): draw, tell the worker, exit."""
    code = 1
    try:
        _die_with_parent(worker)
        job(lambda: os.write(fd, b"E"))
        os.write(fd, b"D")
        code = 0
    except OSError as exc:
        with suppress(OSError):
            os.write(fd, b"F" + pickle.dumps((exc.errno, exc.strerror,
                                              str(exc.filename or "") or None)))
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
    finally:
        os._exit(code)


def write_pdf(source: PdfSource, dest: Path, report: Report) -> None:
    """The PDF, then `PdfPlaces`: where its named places fell."""
    from .render.pdf import write_pdf as write

    places: dict = {}
    write(source, dest, places)
    report(PdfPlaces(places))
