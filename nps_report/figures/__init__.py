"""Figures as functions of Results: panels take `ax=None` and return the axes, composites a Figure.

`write_figures` is what a build calls: every figure the catalogue declares for the
study, in PNG and TIFF (300 dpi), PDF and SVG (a build asks for the formats its
journal takes), with fixed metadata and bundled fonts
so that rebuilds are byte-identical; multi-panel figures are pasted from the panel files.
"""

from __future__ import annotations

from ._save import DPI, FORMATS, save_figure
from ._style import BOR_COLOURS, new_figure, style
from .composite import (
    figure1,
    figure2,
    km_figure,
    label_panel,
    swimmer_figure,
    waterfall_figure,
)
from .files import FigureSet, panel_figures, write_figures
from .km import plot_km
from .swimmer import plot_swimmer
from .waterfall import plot_waterfall

__all__ = ["BOR_COLOURS", "DPI", "FORMATS", "FigureSet", "figure1", "figure2", "km_figure",
           "label_panel", "new_figure", "panel_figures", "plot_km", "plot_swimmer",
           "plot_waterfall", "save_figure", "style", "swimmer_figure", "waterfall_figure",
           "write_figures"]
