"""Waterfall plot (Figure 1A): best change in target-lesion sum per patient, coloured by BOR.

Draws a WaterfallData selection as it is (order, values, who is left out), so the
figure legend written from the same selection cannot disagree with the bars.
Patients without a post-baseline measurement are named under the plot, never
dropped silently.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import StepPatch

from ..present.figure_data import Y_CAP_PCT, WaterfallData
from ..present.fmt import fmt_int
from ..vocab import BOR_ORDER
from ._style import (
    FULL_WIDTH,
    INK,
    MUTED,
    SMALL,
    axes_size_pt,
    bor_colour,
    bor_hatch,
    bor_patch,
    hatch_ink,
    hatched_runs,
    new_figure,
    style,
    text_width_pt,
    tick_text,
)

Y_LABEL = "Best change from baseline in target lesion sum (%)"
PD_LINE = 20.0
PR_LINE = -30.0
MAX_VECTOR_BARS = 2000  # more bars than this are narrower than a printed dot: rasterised
MAX_NAMED = 30  # the footnote names at most this many patients, then counts the rest


def footnote_text(data: WaterfallData, width_chars: int = 140) -> str:
    """'Not shown (no post-baseline measurement): Pt 7, Pt 12', wrapped; '' if none."""
    if not data.not_shown:
        return ""
    named = data.not_shown[:MAX_NAMED]
    words = [f"{label}," for label in named[:-1]] + [named[-1]]
    rest = len(data.not_shown) - MAX_NAMED
    if rest > 0:
        words.append(f"and {fmt_int(rest)} more")
    lines = [f"Not shown (no post-baseline measurement, n = {fmt_int(len(data.not_shown))}):"]
    for word in words:  # wrap between labels, never inside one ('Pt 12')
        if len(lines[-1]) + 1 + len(word) > width_chars:
            lines.append(word)
        else:
            lines[-1] += " " + word
    return "\n".join(lines)


def plot_waterfall(data: WaterfallData, ax: Axes | None = None,
                   greyscale: bool = False) -> Axes:
    """One bar per measured patient, sorted descending; +20% and −30% reference lines.
    Stable disease, progression and not evaluable bars are hatched as well as coloured, so
    the categories stay apart in greyscale print; `greyscale` draws them in shades."""
    with style():
        if ax is None:
            ax = new_figure(FULL_WIDTH, 3.0).add_subplot()
        n = len(data.pct_change)
        xs = list(range(n))
        dense = not data.bars_labelled
        if dense:
            _draw_runs(ax, data, greyscale)
        else:
            colours = [bor_colour(b, greyscale) for b in data.bor]
            # An edge in the bar's own colour, so a 0% change still shows as a line.
            bars = ax.bar(xs, data.pct_change, width=0.75, color=colours, edgecolor=colours,
                          linewidth=1.0, zorder=2)
            for i, bar in enumerate(bars):  # unique SVG ids
                bar.set_gid(f"waterfall-bar-{i}")
            _hatch_bars(ax, xs, data, colours)
        ax.axhline(0.0, color=INK, linewidth=0.6, zorder=1)
        for name, y in (("pd", PD_LINE), ("pr", PR_LINE)):
            ax.axhline(y, color=MUTED, linewidth=0.7, linestyle=(0, (4, 2)), zorder=0.5,
                       gid=f"waterfall-line-{name}")
        _axes(ax, data, dense)
        _legend(ax, data, greyscale)
        note = footnote_text(data, _wrap_width(ax))
        if note:
            ax.annotate(note, xy=(0.0, 0.0), xycoords=("axes fraction", ax.xaxis.label),
                        xytext=(0.0, -4.0), textcoords="offset points", ha="left", va="top",
                        fontsize=SMALL, color=INK, annotation_clip=False,
                        gid="waterfall-footnote")
        if n == 0:
            ax.text(0.5, 0.5, "No patient had a post-baseline tumor measurement",
                    transform=ax.transAxes, ha="center", va="center", fontsize=SMALL)
    return ax


def _hatch_bars(ax: Axes, xs: list[int], data: WaterfallData, colours: list[str]) -> None:
    """The hatch of each hatched category over its bars (a second, unfilled bar, so that the
    hatch takes its own ink whatever matplotlib's release does with edge colours)."""
    for hatch, picked in hatched_runs(data.bor, data.pct_change):
        over = ax.bar([xs[i] for i in picked], [data.pct_change[i] for i in picked],
                      width=0.75, facecolor="none", edgecolor=hatch_ink(colours[picked[0]]),
                      linewidth=0, hatch=hatch, zorder=2.1)
        for i, bar in zip(picked, over, strict=True):
            bar.set_gid(f"waterfall-hatch-{i}")


def _draw_runs(ax: Axes, data: WaterfallData, greyscale: bool = False) -> None:
    """Many bars: touching bars drawn as one filled step outline per BOR category.

    Hundreds of separate rectangles leave hairline seams between them in PDF viewers
    and at 300 dpi, and cost seconds at 100,000 patients; one outline per category
    (zero height where another category's bar stands) has no seams and stays small.
    """
    heights = np.asarray(data.pct_change, dtype=float)
    bor = np.asarray(data.bor)
    edges = np.arange(len(heights) + 1) - 0.5
    raster = len(heights) > MAX_VECTOR_BARS
    for b in [b for b in BOR_ORDER if b in set(data.bor)]:
        fill = bor_colour(b, greyscale)
        layer = StepPatch(np.where(bor == b, heights, 0.0), edges, baseline=0.0, fill=True,
                          linewidth=0, facecolor=fill, edgecolor=hatch_ink(fill),
                          hatch=bor_hatch(b), gid=f"waterfall-{b}", zorder=2)
        layer.set_rasterized(raster)  # thousands of sub-pixel bars: an image in PDF/SVG
        # add_artist, not stairs(): the axes limits are set explicitly, and add_patch's
        # per-vertex limit update takes seconds at 100,000 bars
        ax.add_artist(layer)


def _axes(ax: Axes, data: WaterfallData, dense: bool) -> None:
    n = len(data.pct_change)
    values = (*data.pct_change, PR_LINE, PD_LINE)
    ax.set_xlim(-0.6, max(n, 1) - 0.4)
    top = min(max(values), Y_CAP_PCT) + 8.0
    ax.set_ylim(max(min(values) - 8.0, -105.0), top)
    if not dense:  # bars cut at the cap carry their value, so no bar squashes the rest
        for i, v in enumerate(data.pct_change):
            if v > Y_CAP_PCT:
                ax.annotate(f"+{fmt_int(v)}%", xy=(i, top), xytext=(0.0, -2.0),
                            textcoords="offset points", ha="center", va="top",
                            rotation=90, fontsize=SMALL, color="white",
                            gid=f"waterfall-capped-{i}")
    ax.yaxis.set_major_formatter(tick_text(0))
    ax.set_ylabel(Y_LABEL, wrap=True)
    if dense or n == 0:
        ax.set_xticks([])
        ax.set_xlabel(f"Patients (n = {fmt_int(n)})")
    else:
        ax.set_xticks(range(n), data.labels, rotation=90)
        ax.tick_params(axis="x", length=0, pad=2)
        ax.set_xlabel("Patient")
    ax.spines["bottom"].set_visible(False)
    ax.xaxis.get_major_ticks()  # create tick labels inside the style context
    ax.yaxis.get_major_ticks()


LEGEND_TITLE = "Best overall response"


def _legend(ax: Axes, data: WaterfallData, greyscale: bool = False) -> None:
    """Above the plot, outside the bars' range: a legend inside the axes sat on the +20%
    line (or on bars) whenever most patients responded or most progressed."""
    present = [b for b in BOR_ORDER if b in data.bor]
    if not present:
        return
    handles = [bor_patch(b, greyscale) for b in present]
    width = axes_size_pt(ax)[0]
    entry = max(text_width_pt(h.get_label()) for h in handles) + 3.0 * SMALL
    ncols = max(1, min(len(handles), int(width // entry)))
    legend = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01),
                       ncols=ncols, handlelength=1.6, handleheight=0.9, borderaxespad=0.0,
                       borderpad=0.2, columnspacing=1.2, title=LEGEND_TITLE,
                       title_fontsize=SMALL, alignment="left")
    legend.set_gid("waterfall-legend")


def _wrap_width(ax: Axes) -> int:
    return max(40, int(axes_size_pt(ax)[0] / text_width_pt("x")))
