"""Spider plot: each patient's percentage change of the target-lesion sum from baseline over
time, one line per patient from 0 at the first dose, coloured by best overall response and
told apart in greyscale by line style and marker; +20% and −30% dashed (RECIST's
progression and partial-response thresholds). What it shows is present/figures/spider.py's."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..config import FigureConfig
from ..present.figures.spider import Y_CAP_PCT, spider_data
from ..results import Results
from ..vocab import BOR_ORDER
from ._style import (
    INK,
    MUTED,
    SMALL,
    axes_size_pt,
    bor_colour,
    bor_label,
    frame,
    new_figure,
    set_month_ticks,
    style,
    text_width_pt,
    tick_text,
)
from .waterfall import LEGEND_TITLE, PD_LINE, PR_LINE

HEIGHT = 3.4
GROUPED_FROM = 200  # patients' lines: from this many, one artist per response category
RASTERISED_FROM = 2_000  # ... and from this many, an image inside PDF and SVG
Y_LABEL = "Change from baseline in target lesion sum (%)"
X_LABEL = "Months since start of treatment"
# Line style and marker of each category: the categories stay apart in greyscale print
LINES = {"CR": ("-", "o"), "PR": ((0, (5, 1.5)), "s"), "SD": ((0, (2, 1.5)), "^"),
         "PD": ((0, (5, 1.5, 1, 1.5)), "X"), "NE": ((0, (1, 1)), "D")}


def spider_figure(results: Results, config: FigureConfig | None = None) -> Figure:
    data = spider_data(results, config.spider_max_patients if config is not None else None)
    greyscale = bool(config is not None and config.greyscale)
    with style():
        fig = new_figure(frame(config).width_in, HEIGHT)
        ax = fig.add_subplot()
        if len(data.lines) < GROUPED_FROM:
            for i, line in enumerate(data.lines):
                ax.plot(line.months, _capped(line.pct_change),
                        markevery=list(range(1, len(line.months))), gid=f"spider-line-{i}",
                        **_line_style(line.bor, greyscale))
        else:
            _grouped_lines(ax, data, greyscale)
        ax.axhline(0.0, color=INK, linewidth=0.6, zorder=1)
        for name, y in (("pd", PD_LINE), ("pr", PR_LINE)):
            ax.axhline(y, color=MUTED, linewidth=0.7, linestyle=(0, (4, 2)), zorder=0.5,
                       gid=f"spider-line-{name}")
        _axes(ax, data)
        _legend(ax, [b for b in BOR_ORDER if b in data.bor], greyscale)
    return fig


def _grouped_lines(ax, data, greyscale: bool) -> None:
    """A large study's lines: one artist per response category, its patients' lines parted
    by gaps (NaN), drawn in the same order and style; a line artist per patient cost
    matplotlib seconds per thousand patients in every format. With thousands of lines the
    layer is an image inside the PDF and SVG files, as the waterfall's bars are (figures.
    spider_max_patients keeps a large study's plot to its longest courses: 60 by default)."""
    groups: dict[str, tuple[list[float], list[float], list[int]]] = {}
    for line in data.lines:
        xs, ys, marks = groups.setdefault(line.bor if line.bor in LINES else "NE",
                                          ([], [], []))
        marks.extend(range(len(xs) + 1, len(xs) + len(line.months)))
        xs.extend((*line.months, math.nan))
        ys.extend((*_capped(line.pct_change), math.nan))
    for bor in BOR_ORDER:
        if bor in groups:
            xs, ys, marks = groups[bor]
            ax.plot(xs, ys, markevery=marks, gid=f"spider-lines-{bor.lower()}",
                    rasterized=len(data.lines) >= RASTERISED_FROM,
                    **_line_style(bor, greyscale))


def _line_style(bor: str, greyscale: bool) -> dict:
    """How a patient's line of this best overall response is drawn, one line or many."""
    dash, marker = LINES.get(bor, LINES["NE"])
    return {"color": bor_colour(bor, greyscale), "linestyle": dash, "linewidth": 0.9,
            "marker": marker, "markersize": 3.2, "markeredgewidth": 0.5, "zorder": 2}


def _capped(pct_change: tuple[float, ...]) -> list[float]:
    """Changes above the axis top drawn just above it (the legend says they are cut)."""
    return [min(v, Y_CAP_PCT + 5.0) for v in pct_change]


def _axes(ax, data) -> None:
    values = [v for line in data.lines for v in line.pct_change]
    right = max((m for line in data.lines for m in line.months), default=1.0)
    top = min(max([*values, PD_LINE]), Y_CAP_PCT) + 10.0
    ax.set_ylim(max(min([*values, PR_LINE]) - 8.0, -105.0), top)
    ax.set_xlim(0.0, right * 1.03 if right > 0 else 1.0)
    step = next((s for s in (1, 2, 3, 6, 12, 24) if right / s <= 10), 60)
    set_month_ticks(ax, [float(t) for t in range(0, math.floor(right) + 1, step)])
    ax.yaxis.set_major_formatter(tick_text(0))
    ax.set_ylabel(Y_LABEL, wrap=True)
    ax.set_xlabel(X_LABEL)
    ax.yaxis.get_major_ticks()


def _legend(ax, present: list[str], greyscale: bool) -> None:
    """Above the plot, like the waterfall's: lines fill the axes' whole range."""
    if not present:
        return
    handles = [Line2D([], [], color=bor_colour(b, greyscale), linestyle=LINES[b][0],
                      marker=LINES[b][1], markersize=3.2, linewidth=0.9, label=bor_label(b))
               for b in present]
    entry = max(text_width_pt(h.get_label()) for h in handles) + 4.0 * SMALL
    ncols = max(1, min(len(handles), int(axes_size_pt(ax)[0] // entry)))
    legend = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01),
                       ncols=ncols, handlelength=2.6, borderaxespad=0.0, borderpad=0.2,
                       columnspacing=1.2, title=LEGEND_TITLE, title_fontsize=SMALL,
                       alignment="left")
    legend.set_gid("spider-legend")
