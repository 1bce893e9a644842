"""Swimmer plot (Figure 1B): one lane per patient from treatment start to last follow-up.

The bar is time on treatment, coloured by BOR; a thin line continues to last
contact; markers show first response, progression, death and an arrow treatment
still ongoing at the cutoff. Lanes are the SwimmerData selection, longest at the top.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator

from ..present.figure_data import SwimmerData
from ..present.fmt import fmt_int
from ..results import Results
from ._style import (BOR_COLOURS, BOR_NAMES, BOR_ORDER, FULL_WIDTH, INK, MUTED, bor_colour,
                     new_figure, style, tick_text)

X_LABEL = "Months since start of treatment"
MAX_LANE_LABELS = 40
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


def plot_swimmer(results: Results, lanes: SwimmerData, ax: Axes | None = None) -> Axes:
    """Draw the selected lanes (lane k at y = k, top to bottom); returns ax."""
    with style():
        if ax is None:
            ax = new_figure(FULL_WIDTH, swimmer_height(len(lanes.indices))).add_subplot()
        p = results.patients
        ys = list(range(len(lanes.indices)))
        treat = [p.treatment_months[i] for i in lanes.indices]
        bors = [p.bor[i] for i in lanes.indices]
        ax.barh(ys, treat, height=0.62, left=0.0, linewidth=0,
                color=[bor_colour(b) for b in bors], gid="swimmer-bars")
        tails = [((t, y), (p.followup_months[i], y))
                 for y, i, t in zip(ys, lanes.indices, treat, strict=True)
                 if p.followup_months[i] > t]
        if tails:
            ax.add_collection(LineCollection(tails, colors=MUTED, linewidths=0.6,
                                             gid="swimmer-followup", zorder=1.5))
        handles: list = [Patch(facecolor=BOR_COLOURS[b], linewidth=0, label=BOR_NAMES[b])
                         for b in BOR_ORDER if b in bors]
        if tails:
            handles.append(Line2D([], [], color=MUTED, linewidth=0.6,
                                  label="Follow-up after treatment"))
        for kind, (field, text, marker) in MARKERS.items():
            values = getattr(p, field)
            pts = [(values[i], y) for y, i in zip(ys, lanes.indices, strict=True)
                   if values[i] is not None]
            if pts:
                ax.plot(*zip(*pts, strict=True), linestyle="none", gid=f"swimmer-{kind}",
                        zorder=4, clip_on=False, **marker)
                handles.append(Line2D([], [], linestyle="none", label=text, **marker))
        ongoing = [(t, y) for y, i, t in zip(ys, lanes.indices, treat, strict=True)
                   if p.on_treatment[i]]
        if ongoing:
            ax.plot(*zip(*ongoing, strict=True), linestyle="none", gid="swimmer-ongoing",
                    zorder=4, clip_on=False, **ONGOING)
            handles.append(Line2D([], [], linestyle="none", label="Treatment ongoing",
                                  **ONGOING))
        _axes(ax, results, lanes)
        ax.legend(handles=handles, loc="lower right", ncols=2, handlelength=1.4,
                  borderaxespad=0.3, columnspacing=1.0)
    return ax


def _axes(ax: Axes, results: Results, lanes: SwimmerData) -> None:
    p = results.patients
    n = len(lanes.indices)
    longest = max((p.followup_months[i] for i in lanes.indices), default=0.0)
    ticks = [t for t, _ in results.survival.os.at_risk if t <= longest] or [0.0]
    ax.set_xlim(0.0, max(longest, ticks[-1], 1e-9) * 1.04)
    ax.xaxis.set_major_locator(FixedLocator(ticks))  # the KM plots' month grid
    ax.xaxis.set_major_formatter(tick_text(0 if all(float(t).is_integer() for t in ticks)
                                           else 1))
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
    ax.xaxis.get_major_ticks()  # create tick labels inside the style context
    ax.yaxis.get_major_ticks()
