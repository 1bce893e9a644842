"""Figures and documents on both cores: what the manuscript embeds first, the rest in a fork.

Drawing figure files is the largest cost of a build (about 2.8 s of CPU for the
reference study, documents 0.7 s) and the files are independent. So the figures
the manuscript embeds are drawn here in the formats it reads, the documents are
rendered straight after, and a forked worker meanwhile draws every other figure
and format. The worker inherits Results and the imported libraries through
fork(); it reports failure through its exit code and its stderr.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from .config import FigureConfig
from .results import Results

Figures = dict[str, dict[str, Path]]
# png is embedded; tiff and svg ride along cheaply. Must be whole RENDER_GROUPS so that
# the files are the same bytes as a one-process build's.
FOR_DOCUMENTS = ("png", "tiff", "svg")


def _rest(results: Results, dest: Path, config: FigureConfig, needed: tuple[str, ...]) -> None:
    """Every figure file that is not drawn for the documents."""
    from .figures import FIGURES, FORMATS, write_figures

    write_figures(results, dest, config, needed, tuple(f for f in FORMATS
                                                       if f not in FOR_DOCUMENTS))
    write_figures(results, dest, config, tuple(n for n in FIGURES if n not in needed))


def _child(*args: object) -> None:
    try:
        _rest(*args)  # type: ignore[arg-type]
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        sys.stderr.flush()
        os._exit(1)


def figures_and_documents(results: Results, dest: Path, config: FigureConfig,
                          needed: tuple[str, ...],
                          render: Callable[[Figures], None]) -> Figures:
    """Draw every figure in every format into dest and call render(figures) once the
    `needed` figures exist; uses a forked worker where fork() and two cores exist."""
    from .figures import FIGURES, FORMATS, write_figures

    everything = {n: {f: dest / f"{n}.{f}" for f in FORMATS} for n in FIGURES}
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        write_figures(results, dest, config)
        render(everything)
        return everything
    dest.mkdir(parents=True, exist_ok=True)
    worker = multiprocessing.get_context("fork").Process(
        target=_child, args=(results, dest, config, needed), daemon=True)
    worker.start()
    try:
        write_figures(results, dest, config, needed, FOR_DOCUMENTS)
        render({n: dict(everything[n]) for n in needed})
    finally:
        worker.join()
    if worker.exitcode != 0:
        raise RuntimeError(f"drawing figures in the worker process failed (exit "
                           f"{worker.exitcode}); its traceback is above")
    return everything
