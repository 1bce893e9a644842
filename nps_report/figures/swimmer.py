"""Swimmer plot (Figure 1B): one lane per patient from treatment start to last follow-up.

The bar is time on treatment, coloured by BOR; a thin line continues to last
contact; markers show first response, progression, death and an arrow treatment
still ongoing at the cutoff. Lanes are the SwimmerData selection, longest at the top.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.transforms import ScaledTranslation

from ..present.figure_data import SwimmerData
from ..present.fmt import fmt_int
from ..results import Results
from ..vocab import BOR_ORDER
from ._style import (
    FULL_WIDTH,
    INK,
    MUTED,
    SMALL,
    axes_size_pt,
    bor_colour,
    bor_patch,
    hatch_ink,
    hatched_runs,
    new_figure,
    set_month_ticks,
    style,
    text_width_pt,
)

X_LABEL = "Months since start of treatment"
MAX_LANE_LABELS = 40
LEGEND_DROP_PT = 30.0  # below the axes: clears tick labels and the x-axis label
# An arrow whose tail is the marker's anchor, so it starts where the bar ends.
ARROW = Path([(0.0, -0.12), (0.55, -0.12), (0.55, -0.4), (1.0, 0.0), (0.55, 0.4),
              (0.55, 0.12), (0.0, 0.12), (0.0, -0.12)],
             [Path.MOVETO, *[Path.LINETO] * 6, Path.CLOSEPOLY])
# kind: (results.patients field, legend text, Line2D style)
MARKERS = {
    "response": ("first_response_months", "First response",
                 {"marker": "^", "markersize": 5, "markerfacecolor": "white",
                  "markeredgecolor": INK, "markeredgewidth": 0.8}),
    "progression": ("progression_months", "Progression",
                    {"marker": "X", "markersize": 5, "markerfacecolor": INK,
                     "markeredgecolor": "white", "markeredgewidth": 0.4}),
    "death": ("death_months", "Death",
              {"marker": "s", "markersize": 3.6, "markerfacecolor": INK,
               "markeredgewidth": 0}),
}
ONGOING = {"marker": ARROW, "markersize": 9, "markerfacecolor": INK, "markeredgewidth": 0}


def swimmer_height(n_lanes: int) -> float:
    """Figure height in inches: room for a 7 pt label per lane, then thinner lanes."""
    per_lane = 0.125 if n_lanes <= MAX_LANE_LABELS else 0.075
    return min(max(1.2 + per_lane * n_lanes, 2.4), 6.0)


def plot_swimmer(results: Results, lanes: SwimmerData, ax: Axes | None = None,
                 greyscale: bool = False) -> Axes:
    """Draw the selected lanes (lane k at y = k, top to bottom); returns ax. Bars take the
    waterfall's fills and hatches (`greyscale`: its shades)."""
    with style():
        if ax is None:
            ax = new_figure(FULL_WIDTH, swimmer_height(len(lanes.indices))).add_subplot()
        p = results.patients
        ys = list(range(len(lanes.indices)))
        treat = [p.treatment_months[i] for i in lanes.indices]
        bors = [p.bor[i] for i in lanes.indices]
        fills = [bor_colour(b, greyscale) for b in bors]
        bars = ax.barh(ys, treat, height=0.62, left=0.0, linewidth=0, color=fills)
        for y, bar in zip(ys, bars, strict=True):  # unique SVG ids
            bar.set_gid(f"swimmer-bar-{y}")
        for hatch, picked in hatched_runs(bors, [max(v, 0.0) for v in treat]):
            over = ax.barh([ys[k] for k in picked], [treat[k] for k in picked], height=0.62,
                           left=0.0, facecolor="none", linewidth=0, hatch=hatch,
                           edgecolor=hatch_ink(fills[picked[0]]), zorder=1.2)
            for k, bar in zip(picked, over, strict=True):
                bar.set_gid(f"swimmer-hatch-{ys[k]}")
        tails = [((t, y), (p.followup_months[i], y))
                 for y, i, t in zip(ys, lanes.indices, treat, strict=True)
                 if p.followup_months[i] > t]
        if tails:
            ax.add_collection(LineCollection(tails, colors=MUTED, linewidths=0.6,
                                             gid="swimmer-followup", zorder=1.5))
        handles: list = [bor_patch(b, greyscale) for b in BOR_ORDER if b in bors]
        if tails:
            handles.append(Line2D([], [], color=MUTED, linewidth=0.6,
                                  label="Follow-up after treatment"))
        handles += _markers(ax, results, lanes)
        _axes(ax, results, lanes)
        if _legend_fits_inside(ax, handles, results, lanes):
            ax.legend(handles=handles, loc="lower right", ncols=2, handlelength=1.4,
                      borderaxespad=0.3, columnspacing=1.0)
        else:  # a row under the x-axis label, so the lanes keep the full width
            below = ax.transAxes + ScaledTranslation(0.0, -LEGEND_DROP_PT / 72,
                                                     ax.get_figure().dpi_scale_trans)
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                      bbox_transform=below, ncols=(len(handles) + 1) // 2,
                      handlelength=1.4, borderaxespad=0.0, columnspacing=1.2)
    return ax


def _markers(ax: Axes, results: Results, lanes: SwimmerData) -> list[Line2D]:
    """One Line2D per marker kind (scales to many lanes); returns legend handles."""
    p = results.patients
    rows = list(enumerate(lanes.indices))
    kinds = [(kind, [(getattr(p, field)[i], y) for y, i in rows
                     if getattr(p, field)[i] is not None], text, style_)
             for kind, (field, text, style_) in MARKERS.items()]
    kinds.append(("ongoing", [(p.treatment_months[i], y) for y, i in rows if p.on_treatment[i]],
                  "Treatment ongoing", ONGOING))
    handles = []
    for kind, pts, text, style_ in kinds:
        if pts:
            ax.plot(*zip(*pts, strict=True), linestyle="none", gid=f"swimmer-{kind}",
                    zorder=4, clip_on=False, **style_)
            handles.append(Line2D([], [], linestyle="none", label=text, **style_))
    return handles


def _legend_fits_inside(ax: Axes, handles: list, results: Results,
                        lanes: SwimmerData) -> bool:
    """Whether a two-column legend in the lower right clears the bottom lanes.

    Lanes run longest first, so the bottom right is usually empty; when only the
    longest lanes of a large study are drawn it is not, and the legend goes below.
    Sizes are estimated from the text lengths.
    """
    n = len(lanes.indices)
    if n == 0:
        return True
    width_pt, height_pt = axes_size_pt(ax)
    labels = [h.get_label() for h in handles]
    rows = (len(labels) + 1) // 2
    cols = [labels[:rows], labels[rows:]]
    legend_w = sum(max((text_width_pt(t) for t in c), default=0.0) + 2.2 * SMALL
                   for c in cols) + 2.0 * SMALL
    legend_h = rows * 1.7 * SMALL + SMALL
    covered = min(n, int(legend_h / (height_pt / n)) + 2)
    p = results.patients
    ends = [max(p.followup_months[i], p.treatment_months[i]) for i in lanes.indices[-covered:]]
    return max(ends) / ax.get_xlim()[1] < 1.0 - legend_w / width_pt - 0.03


def _axes(ax: Axes, results: Results, lanes: SwimmerData) -> None:
    p = results.patients
    n = len(lanes.indices)
    longest = max((p.followup_months[i] for i in lanes.indices), default=0.0)
    ticks = [t for t, _ in results.survival.os.at_risk if t <= longest] or [0.0]
    ax.set_xlim(0.0, max(longest, ticks[-1], 1e-9) * 1.04)
    set_month_ticks(ax, ticks)  # the KM plots' month grid
    ax.set_ylim(n - 0.4, -0.6)  # lane 0 (longest) at the top
    if n <= MAX_LANE_LABELS:
        ax.set_yticks(range(n), lanes.labels)
        ax.tick_params(axis="y", length=0, pad=2)
        ax.set_ylabel("Patient")
    else:
        ax.set_yticks([])
    if lanes.limited:
        ax.set_ylabel(f"Patients ({fmt_int(n)} of {fmt_int(lanes.n_total)}, "
                      "longest follow-up)")
    elif n > MAX_LANE_LABELS:
        ax.set_ylabel(f"Patients (n = {fmt_int(n)})")
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(X_LABEL)
    ax.yaxis.get_major_ticks()  # create tick labels inside the style context
