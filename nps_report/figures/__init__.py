"""Figures as functions of Results: panels take `ax=None` and return the axes, composites a Figure.

`write_figures` is what a build calls: every figure in PNG and TIFF (300 dpi),
PDF and SVG, with fixed metadata and bundled fonts so that rebuilds are
byte-identical.
"""

from __future__ import annotations

from pathlib import Path

from ..config import FigureConfig
from ..results import Results
from ._save import DPI, FORMATS, save_figure
from ._style import BOR_COLOURS, style
from .composite import (
    DEFAULT_CONFIG,
    figure1,
    figure2,
    km_figure,
    label_panel,
    swimmer_figure,
    waterfall_figure,
)
from .km import plot_km
from .swimmer import plot_swimmer
from .waterfall import plot_waterfall

FIGURES = ("figure1", "figure2", "waterfall", "swimmer", "km_pfs", "km_os")
# Each group is drawn from a fresh Figure: matplotlib caches text layout at the dpi of
# the last draw, so a PDF drawn after the 300 dpi PNG differs in the 10th digit from one
# drawn first. Fixed groups make every file the same whichever process draws it.
RENDER_GROUPS = (("png", "tiff", "svg"), ("pdf",))

__all__ = ["BOR_COLOURS", "DPI", "FIGURES", "FORMATS", "figure1", "figure2", "km_figure",
           "label_panel", "plot_km", "plot_swimmer", "plot_waterfall", "save_figure",
           "style", "swimmer_figure", "waterfall_figure", "write_figures"]


def write_figures(results: Results, dest: Path, config: FigureConfig = DEFAULT_CONFIG,
                  names: tuple[str, ...] = FIGURES,
                  formats: tuple[str, ...] = FORMATS) -> dict[str, dict[str, Path]]:
    """Write the named figures (default: all) in the given formats (default: all) into dest;
    returns {figure: {format: path}}."""
    makers = {
        "figure1": lambda: figure1(results, config),
        "figure2": lambda: figure2(results, config),
        "waterfall": lambda: waterfall_figure(results, config),
        "swimmer": lambda: swimmer_figure(results, config),
        "km_pfs": lambda: km_figure(results, "pfs", config),
        "km_os": lambda: km_figure(results, "os", config),
    }
    written: dict[str, dict[str, Path]] = {}
    for name in names:
        files: dict[str, Path] = {}
        for group in RENDER_GROUPS:  # a fresh Figure per group: see RENDER_GROUPS
            wanted = tuple(f for f in group if f in formats)
            if wanted:
                files.update(save_figure(makers[name](), Path(dest), name, wanted))
        written[name] = {f: files[f] for f in FORMATS if f in files}
    return written
