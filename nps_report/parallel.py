"""Figures and documents on both cores: a forked worker draws every figure file.

The worker is forked before the analysis starts, so that importing matplotlib
overlaps the parent's pandas import and analysis. It receives Results through a
pipe, writes the PNGs the manuscript embeds first and reports them, then writes
every other file. Meanwhile the parent imports the document stack and compiles
the templates, and renders the documents as soon as those PNGs exist. Without
fork() or a second core the same steps run in turn in one process; the files are
the same bytes either way. The worker reports failure through its exit code and
its stderr.
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

from .config import FigureConfig
from .present.figure_data import FIGURE_FORMATS as FORMATS
from .present.figure_data import FIGURES
from .results import Results

Figures = dict[str, dict[str, Path]]
EMBEDDED = ("png",)  # what the documents read (render/artwork.py)


def draw_all(results: Results, dest: Path, config: FigureConfig, needed: tuple[str, ...],
             embedded_ready: Callable[[], None]) -> None:
    """Every figure in every format, the embedded files of the `needed` figures first."""
    from .figures.files import FigureSet

    with ThreadPoolExecutor(1) as encoder:
        figures = FigureSet(results, config, encoder)
        figures.write(dest, needed, EMBEDDED)
        figures.wait()
        embedded_ready()
        figures.write(dest, needed, tuple(f for f in FORMATS if f not in EMBEDDED))
        figures.write(dest, tuple(n for n in FIGURES if n not in needed))
        figures.wait()


def _serve(conn: Connection, parents_end: Connection) -> None:
    """The worker: import the drawing stack, then draw what the parent sends (or nothing)."""
    parents_end.close()  # fork copied it; open here, the parent's close() would never be seen
    try:
        from . import figures  # noqa: F401  (the import is the point: it overlaps the analysis)

        try:
            job = conn.recv()
        except EOFError:
            job = None
        if job is not None:
            draw_all(*job, embedded_ready=lambda: conn.send("embedded"))
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


def can_fork() -> bool:
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


class FigureWorker:
    """The figure-drawing process of one build: `start()` it before the analysis, `draw()`
    once Results exist, `wait_embedded()` before the documents, `finish()` at the end;
    `close()` (always, e.g. in a finally) stops a worker that got no job."""

    def __init__(self) -> None:
        self._conn: Connection | None = None
        self._process: multiprocessing.Process | None = None
        self._job: tuple | None = None
        self._sent = False

    @classmethod
    def start(cls) -> FigureWorker:
        worker = cls()
        if can_fork():
            parent, child = multiprocessing.Pipe()
            worker._process = multiprocessing.get_context("fork").Process(
                target=_serve, args=(child, parent), daemon=True)
            worker._process.start()
            child.close()
            worker._conn = parent
        return worker

    def draw(self, results: Results, dest: Path, config: FigureConfig,
             needed: tuple[str, ...]) -> Figures:
        """Start drawing every figure file into dest; returns {figure: {format: path}}."""
        dest.mkdir(parents=True, exist_ok=True)
        self._job = (results, dest, config, needed)
        if self._conn is not None:
            self._conn.send(self._job)
            self._sent = True
        return {n: {f: dest / f"{n}.{f}" for f in FORMATS} for n in FIGURES}

    def wait_embedded(self) -> None:
        """Block until the PNGs the documents embed are written (in one process: draw all)."""
        if self._conn is None:
            if self._job is not None:
                job, self._job = self._job, None
                draw_all(*job, embedded_ready=lambda: None)
            return
        try:
            message = self._conn.recv()
        except EOFError:
            message = None
        if message != "embedded":
            self.finish()  # the worker died first: raises with its exit code

    def finish(self) -> None:
        """Wait for every figure file; raises RuntimeError if the worker failed."""
        if self._process is None:
            self.wait_embedded()
            return
        self._process.join()
        code = self._process.exitcode
        self.close()
        if code != 0:
            raise RuntimeError(f"drawing figures in the worker process failed (exit {code}); "
                               "its traceback is above")

    def close(self) -> None:
        """Stop the worker unless it finished: one without a job reads EOF and exits, one
        still drawing is terminated (its files go with the staging folder). Idempotent."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._sent and self._process.exitcode is None:
                self._process.terminate()
            self._process.join()
            self._process = None
