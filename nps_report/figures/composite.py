"""Figures as submitted: each panel as its own figure, and the strips of panel letters.

Every figure is built from Results and the figure settings of study.yaml. The
build's composite files (1 = waterfall over swimmer, 2 = PFS beside OS) are the
panel files pasted under letter strips (see files.py); `figure1` and `figure2`
draw the same composites as single matplotlib Figures, for interactive use.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..config import FigureConfig
from ..present.figure_data import swimmer_data, waterfall_data
from ..results import Results
from ._style import PANEL_LABEL, frame, new_figure, style
from .km import plot_km
from .swimmer import plot_swimmer, swimmer_height
from .waterfall import plot_waterfall

DEFAULT_CONFIG = FigureConfig()  # frozen, so safe to share as a default
WATERFALL_HEIGHT = 3.2  # the legend sits above the bars, outside them
KM_HEIGHT = 3.2
LABEL_STRIP = 0.2  # inches: the strip above a row of panels that carries their letters
LABEL_INSET = 0.04  # inches from a panel's left edge, the panels' own layout padding


def swimmer_fit(results: Results, config: FigureConfig, n_lanes: int) -> float:
    """The swimmer panel's height: its lanes' own, within what the page leaves it under the
    waterfall in Figure 1 (both with their letter strips)."""
    room = frame(config).max_height_in - WATERFALL_HEIGHT - 2 * LABEL_STRIP
    return max(min(swimmer_height(n_lanes), room), 1.2)


def label_panel(ax: Axes, letter: str) -> None:
    """Bold panel letter above the axes' top-left corner (journal style 'A', 'B')."""
    ax.set_title(letter, loc="left", fontsize=PANEL_LABEL, fontweight="bold", pad=6)


def figure1(results: Results, config: FigureConfig = DEFAULT_CONFIG) -> Figure:
    """A: waterfall; B: swimmer, stacked at full width."""
    lanes = swimmer_data(results, config.swimmer_max_patients, config.swimmer_show_ids)
    swim_h = swimmer_fit(results, config, len(lanes.indices))
    with style():
        fig = new_figure(frame(config).width_in, WATERFALL_HEIGHT + swim_h)
        top, bottom = fig.subplots(2, 1, height_ratios=[WATERFALL_HEIGHT, swim_h])
        plot_waterfall(waterfall_data(results, config.swimmer_show_ids), top,
                       config.greyscale)
        plot_swimmer(results, lanes, bottom, config.greyscale)
        label_panel(top, "A")
        label_panel(bottom, "B")
    return fig


def figure2(results: Results, config: FigureConfig = DEFAULT_CONFIG) -> Figure:
    """A: progression-free survival; B: overall survival, side by side."""
    with style():
        fig = new_figure(frame(config).width_in, KM_HEIGHT)
        left, right = fig.subplots(1, 2)
        plot_km(results.survival.pfs, left, ci_band=config.km_ci_band,
                greyscale=config.greyscale)
        plot_km(results.survival.os, right, ci_band=config.km_ci_band,
                greyscale=config.greyscale)
        label_panel(left, "A")
        label_panel(right, "B")
    return fig


def waterfall_figure(results: Results, config: FigureConfig = DEFAULT_CONFIG) -> Figure:
    with style():
        fig = new_figure(frame(config).width_in, WATERFALL_HEIGHT)
        plot_waterfall(waterfall_data(results, config.swimmer_show_ids), fig.add_subplot(),
                       config.greyscale)
    return fig


def swimmer_figure(results: Results, config: FigureConfig = DEFAULT_CONFIG) -> Figure:
    lanes = swimmer_data(results, config.swimmer_max_patients, config.swimmer_show_ids)
    with style():
        fig = new_figure(frame(config).width_in, swimmer_fit(results, config,
                                                             len(lanes.indices)))
        plot_swimmer(results, lanes, fig.add_subplot(), config.greyscale)
    return fig


def km_figure(results: Results, config: FigureConfig = DEFAULT_CONFIG,
              endpoint: str = "pfs") -> Figure:
    summary = getattr(results.survival, endpoint)
    with style():
        fig = new_figure(frame(config).half_width_in, KM_HEIGHT)
        plot_km(summary, fig.add_subplot(), ci_band=config.km_ci_band,
                greyscale=config.greyscale)
    return fig


def label_strip(letters: tuple[tuple[str, float], ...], width: float) -> Figure:
    """A white strip `width` inches wide with bold panel letters at the given offsets
    (inches from the left): the row of letters above a row of panels in a composite."""
    with style():
        fig = new_figure(width, LABEL_STRIP)
        fig.set_layout_engine("none")
        for letter, left in letters:
            fig.text((left + LABEL_INSET) / width, 0.12, letter, fontsize=PANEL_LABEL,
                     fontweight="bold", ha="left", va="baseline")
    return fig
