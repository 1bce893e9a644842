"""Figures as functions of Results: panels take `ax=None` and return the axes, composites a Figure.

`write_figures` is what a build calls: every figure in PNG and TIFF (300 dpi),
PDF and SVG, with fixed metadata and bundled fonts so that rebuilds are
byte-identical; the composite files are pasted from the panel files.
"""

from __future__ import annotations

from ..present.figure_data import PANELS
from ._save import DPI, FORMATS, save_figure
from ._style import BOR_COLOURS, style
from .composite import (
    figure1,
    figure2,
    km_figure,
    label_panel,
    swimmer_figure,
    waterfall_figure,
)
from .files import COMPOSITES, FIGURES, panel_figures, write_figures
from .km import plot_km
from .swimmer import plot_swimmer
from .waterfall import plot_waterfall

__all__ = ["BOR_COLOURS", "COMPOSITES", "DPI", "FIGURES", "FORMATS", "PANELS", "figure1",
           "figure2", "km_figure", "label_panel", "panel_figures", "plot_km", "plot_swimmer",
           "plot_waterfall", "save_figure", "style", "swimmer_figure", "waterfall_figure",
           "write_figures"]
