"""Draw figures on both cores: composites here, single panels in a forked worker.

Figure files are independent of each other, and drawing them is the largest cost
of a build (about 3 s of 5 for the reference study), so on a machine with two or
more cores the panels are drawn in a child process while this one draws the
composites. The child inherits Results and the imported libraries through fork();
it reports failure through its exit code and its stderr.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from pathlib import Path

from .config import FigureConfig
from .results import Results

COMPOSITES = ("figure1", "figure2")
PANELS = ("waterfall", "swimmer", "km_pfs", "km_os")


def _child(results: Results, dest: Path, config: FigureConfig) -> None:
    from .figures import write_figures

    try:
        write_figures(results, dest, config, PANELS)
    except BaseException:
        traceback.print_exc(file=sys.stderr)
        os._exit(1)


def draw_all_figures(results: Results, dest: Path,
                     config: FigureConfig) -> dict[str, dict[str, Path]]:
    """Every figure in every format; in two processes where fork() and two cores exist."""
    from .figures import FIGURES, FORMATS, write_figures

    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return write_figures(results, dest, config)
    worker = multiprocessing.get_context("fork").Process(
        target=_child, args=(results, dest, config), daemon=True)
    worker.start()
    try:
        drawn = write_figures(results, dest, config, COMPOSITES)
    finally:
        worker.join()
    if worker.exitcode != 0:
        raise RuntimeError(f"drawing the single-panel figures failed (exit {worker.exitcode}); "
                           "the worker's traceback is above")
    drawn.update({name: {fmt: dest / f"{name}.{fmt}" for fmt in FORMATS} for name in PANELS})
    return {name: drawn[name] for name in FIGURES}
