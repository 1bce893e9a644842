"""Text on a KM panel: the median with its CI, placed clear of the curve, and the at-risk row.

The at-risk numbers are annotations whose x is the tick position in data
coordinates and whose y hangs a fixed distance below the x-axis label, so they sit
exactly under their ticks whatever the panel size, and constrained layout makes
room for them.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from matplotlib.axes import Axes

from ..present.fmt import fmt_int
from ..present.formats import prose
from ..results import SurvivalSummary
from ._style import INK, SMALL, axes_size_pt, text_width_pt

AT_RISK_LABEL = "No. at risk"
_GAP_PT = 5.0  # between the x-axis label and the at-risk row
_DIGIT_EM = 0.556  # every digit of Liberation Sans is this wide
_MIN_SPACE_PT = 5.0  # between neighbouring at-risk numbers
# Anchor (axes fraction), alignment; tried in order, the first clear of the drawing wins.
_SPOTS = (((0.98, 0.98), "right", "top"), ((0.98, 0.03), "right", "bottom"),
          ((0.03, 0.03), "left", "bottom"))


def median_text(summary: SurvivalSummary) -> str:
    return f"Median {prose('median_ci', summary)}"


def add_median_text(ax: Axes, summary: SurvivalSummary, ci_band: bool) -> None:
    """Print the median and its CI in the first corner the curve, band and median lines miss;
    above the plot when there is none (a small study's band can fill every corner)."""
    text = median_text(summary)
    width_pt, height_pt = axes_size_pt(ax)
    w = min(1.0, text_width_pt(text) / width_pt)
    h = SMALL * 1.4 / height_pt
    # above the plot, outside it, when every corner holds part of the curve or its band
    spot = next((s for s in _SPOTS if _is_clear(ax, summary, _box(s, w, h), ci_band)),
                ((1.0, 1.02), "right", "bottom"))
    (x, y), ha, va = spot
    ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=SMALL, color=INK,
            gid=f"km-{summary.endpoint}-median-text", zorder=5)


def shown_at_risk(ax: Axes, summary: SurvivalSummary) -> tuple[tuple[float, int], ...]:
    """The (tick, n) pairs to print: every tick, or every k-th when the numbers would touch.

    Large studies have five- and six-digit counts that do not fit every 3 or 6
    months of a one-column panel; dropping whole ticks keeps every number under
    its tick and legible.
    """
    pairs = summary.at_risk
    if len(pairs) < 2:
        return pairs
    left, right = ax.get_xlim()
    pt_per_month = axes_size_pt(ax)[0] / (right - left)
    widths = [len(fmt_int(n)) * _DIGIT_EM * SMALL for _, n in pairs]
    for stride in range(1, len(pairs)):
        kept = list(range(0, len(pairs), stride))
        if all((pairs[j][0] - pairs[i][0]) * pt_per_month
               >= (widths[i] + widths[j]) / 2 + _MIN_SPACE_PT
               for i, j in pairwise(kept)):
            return tuple(pairs[i] for i in kept)
    return pairs[:1]


def add_at_risk_row(ax: Axes, endpoint: str, pairs: tuple[tuple[float, int], ...]) -> None:
    """'No. at risk' and one number under each (tick, n) pair, in the axes' x coordinates."""
    label = ax.xaxis.label
    tag = f"km-{endpoint}-at-risk"
    numbers = [ax.annotate(fmt_int(n), xy=(tick, 0.0), xycoords=("data", label),
                           xytext=(0.0, -_GAP_PT), textcoords="offset points", ha="center",
                           va="top", fontsize=SMALL, color=INK, annotation_clip=False,
                           gid=f"{tag}-{i}")
               for i, (tick, n) in enumerate(pairs)]
    if numbers:  # the row label ends just left of the first number, whatever its width
        ax.annotate(AT_RISK_LABEL, xy=(0.0, 0.0), xycoords=numbers[0], xytext=(-4.0, 0.0),
                    textcoords="offset points", ha="right", va="bottom", fontsize=SMALL,
                    color=INK, annotation_clip=False, gid=f"{tag}-label")


def _box(spot, w: float, h: float) -> tuple[float, float, float, float]:
    (x, y), ha, va = spot
    x0 = x - w if ha == "right" else x
    y0 = y - h if va == "top" else y
    return x0, x0 + w, y0, y0 + h


def _is_clear(ax: Axes, summary: SurvivalSummary, box: tuple[float, float, float, float],
              ci_band: bool) -> bool:
    """No part of the curve (or band) or the median lines inside the box, with a margin."""
    right = ax.get_xlim()[1]
    x0, x1, y0, y1 = box
    t0, t1 = x0 * right, x1 * right
    pad = 0.03
    curve = summary.curve
    times = np.asarray((0.0, *curve.time))
    hi = [1.0, *(u if ci_band and u is not None else s
                 for s, u in zip(curve.surv, curve.upper, strict=True))]
    lo = [1.0, *(v if ci_band and v is not None else s
                 for s, v in zip(curve.surv, curve.lower, strict=True))]
    if t0 <= summary.max_time:
        first = max(int(np.searchsorted(times, t0, side="right")) - 1, 0)
        last = max(int(np.searchsorted(times, min(t1, summary.max_time), side="right")) - 1, 0)
        if hi[first] >= y0 - pad and lo[last] <= y1 + pad:
            return False
    m = summary.median
    if m is not None:
        if t0 <= m and y0 - pad <= 0.5 <= y1 + pad:  # horizontal median line
            return False
        if t0 - pad * right <= m <= t1 + pad * right and y0 <= 0.5:  # vertical line
            return False
    return True
