"""Both cores for one build: a forked worker preloads its libraries, then runs one job.

Cold build: the worker is forked before the analysis, so importing matplotlib
overlaps the parent's pandas import and analysis. It receives Results through a
pipe, writes the PNGs the manuscript embeds and reports them, then writes every
other figure file. Meanwhile the parent imports the document stack, compiles the
templates, and renders the documents as soon as those PNGs exist.

Documents-only rebuild (the analysis and figures are reused, e.g. after a prose
edit): the worker imports WeasyPrint while the parent loads the cache and
composes the manuscript, then writes manuscript.pdf while the parent
writes manuscript.docx.

Without fork() or a second core the same jobs run in the parent, in turn; the
files are the same bytes either way. A worker reports failure through its exit
code and its stderr; a worker that never gets a job exits when its pipe closes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .config import FigureConfig
from .present.figure_data import FIGURE_FORMATS as FORMATS
from .present.figure_data import FIGURES
from .results import Results

Figures = dict[str, dict[str, Path]]
Report = Callable[[str], None]
EMBEDDED = ("png",)  # what the documents read (render/artwork.py)


def can_fork() -> bool:
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _serve(preload: Callable[[], None], conn: Connection, parents_end: Connection) -> None:
    """The worker's life: preload, then run the job the parent sends (or none)."""
    parents_end.close()  # fork copied it; open here, the parent's close() would never be seen
    try:
        preload()
        try:
            job = conn.recv()
        except EOFError:
            job = None
        if job is not None:
            fn, args = job
            fn(*args, report=conn.send)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


class Worker:
    """One forked process: `start(preload)` early, `run(fn, *args)` once (fn gets a `report`
    callable for progress messages), `wait_for(message)`, `finish()`; `close()` always
    (e.g. in a finally): it stops a worker that got no job or did not finish."""

    def __init__(self) -> None:
        self._conn: Connection | None = None
        self._process: multiprocessing.Process | None = None
        self._job: tuple[Callable[..., None], tuple[Any, ...]] | None = None
        self._sent = False

    @classmethod
    def start(cls, preload: Callable[[], None]) -> Worker:
        worker = cls()
        if can_fork():
            parent, child = multiprocessing.Pipe()
            worker._process = multiprocessing.get_context("fork").Process(
                target=_serve, args=(preload, child, parent), daemon=True)
            worker._process.start()
            child.close()
            worker._conn = parent
        return worker

    @property
    def forked(self) -> bool:
        return self._process is not None

    def run(self, fn: Callable[..., None], *args: Any) -> None:
        """Hand the job over (fn must be a module-level function, and args picklable)."""
        self._job = (fn, args)
        if self._conn is not None:
            self._conn.send(self._job)
            self._sent = True

    def wait_for(self, expected: str) -> None:
        """Block until the job reports `expected` (in one process: run the whole job now)."""
        if self._conn is None:
            self._run_here()
            return
        message = None
        while message != expected:
            try:
                message = self._conn.recv()
            except EOFError:
                break
        if message != expected:
            self._join_and_check()  # raises with the worker's exit code
            raise RuntimeError(f"the worker process stopped before reporting {expected!r}")

    def finish(self) -> None:
        """Wait until the job is done; raises RuntimeError if the worker failed."""
        if self._process is None:
            self._run_here()
            return
        self._join_and_check()

    def close(self) -> None:
        """Stop the worker unless it finished: one without a job reads EOF and exits, one
        still working is terminated (its files go with the staging folder). Idempotent."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._sent and self._process.exitcode is None:
                self._process.terminate()
            self._process.join()
            self._process = None

    def _run_here(self) -> None:
        if self._job is not None:
            (fn, args), self._job = self._job, None
            fn(*args, report=lambda _message: None)

    def _join_and_check(self) -> None:
        assert self._process is not None
        self._process.join()
        code = self._process.exitcode
        self.close()
        if code != 0:
            raise RuntimeError(f"the worker process failed (exit {code}); its traceback is "
                               "above")


# --- figures -------------------------------------------------------------------------------

def _preload_figures() -> None:
    from . import figures  # noqa: F401  (the import is the point: it overlaps the analysis)


def draw_all(results: Results, dest: Path, config: FigureConfig, needed: tuple[str, ...],
             report: Report) -> None:
    """Every figure in every format, the PNGs of the `needed` figures first: "embedded" is
    reported once they are written. PNG and TIFF compression runs on a second thread
    (Pillow releases the GIL) while this one goes on drawing."""
    from .figures.files import FigureSet

    rest = tuple(n for n in FIGURES if n not in needed)
    with ThreadPoolExecutor(1) as encoder:
        figures = FigureSet(results, config, encoder)
        figures.write(dest, needed, EMBEDDED)
        figures.then(lambda: report("embedded"))
        figures.write(dest, needed, tuple(f for f in FORMATS if f not in EMBEDDED))
        figures.write(dest, rest)
        figures.wait()


class FigureWorker(Worker):
    """Draws every figure file: `start()` it before the analysis, `draw()` once Results
    exist, `wait_embedded()` before the documents, `finish()` at the end."""

    @classmethod
    def start(cls) -> FigureWorker:  # type: ignore[override]
        return super().start(_preload_figures)  # type: ignore[return-value]

    def draw(self, results: Results, dest: Path, config: FigureConfig,
             needed: tuple[str, ...]) -> Figures:
        """Start drawing every figure file into dest; returns {figure: {format: path}}."""
        dest.mkdir(parents=True, exist_ok=True)
        self.run(draw_all, results, dest, config, needed)
        return {n: {f: dest / f"{n}.{f}" for f in FORMATS} for n in FIGURES}

    def wait_embedded(self) -> None:
        """Block until the PNGs the documents embed are written."""
        self.wait_for("embedded")


# --- the PDF manuscript --------------------------------------------------------------------

def _preload_pdf() -> None:
    from .render.pdf import weasyprint_api

    weasyprint_api()


def _write_pdf(manuscript: Any, dest: Path, report: Report) -> None:
    from .render.pdf import write_pdf

    write_pdf(manuscript, dest)


class PdfWorker(Worker):
    """Writes manuscript.pdf: `start()` it when only the documents are to be made,
    `write(manuscript, dest)` once composed, `finish()` at the end."""

    @classmethod
    def start(cls) -> PdfWorker:  # type: ignore[override]
        return super().start(_preload_pdf)  # type: ignore[return-value]

    def write(self, manuscript: Any, dest: Path) -> Path:
        self.run(_write_pdf, manuscript, dest)
        return dest
