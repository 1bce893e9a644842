"""Kaplan-Meier panel (Figure 2A/2B) drawn from a SurvivalSummary, never refitted.

Scales to very large studies: the curve is one Line2D with steps-post through the
distinct event times, the censor marks one Line2D of '|' markers and the band one
polygon set, so a 100,000-patient curve with thousands of steps stays a small vector
file.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MultipleLocator

from ..results import SurvivalSummary
from ..vocab import ENDPOINT_AXIS
from ._km_text import add_at_risk_row, add_median_text, shown_at_risk
from ._style import HALF_WIDTH, INK, new_figure, set_month_ticks, style, tick_text

X_LABEL = "Months since start of treatment"
Y_LABELS = ENDPOINT_AXIS
CURVE_COLOUR = "#0072B2"
GREY_CURVE = "#000000"
BAND_ALPHA = 0.18
MAX_CENSOR_MARKS = 100


def step_points(summary: SurvivalSummary) -> tuple[list[float], list[float]]:
    """(x, y) of the step curve for drawstyle steps-post: (0, 1), each event once, flat tail."""
    curve = summary.curve
    x = [0.0, *curve.time]
    y = [1.0, *curve.surv]
    if summary.max_time > x[-1]:
        x.append(summary.max_time)
        y.append(y[-1])
    return x, y


def band_points(summary: SurvivalSummary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Explicit step polygon of the CI (x doubled); NaN where a limit is not estimable."""
    curve = summary.curve
    starts = [0.0, *curve.time]
    ends = [*curve.time, max(summary.max_time, starts[-1])]
    low = [1.0, *(math.nan if v is None else v for v in curve.lower)]
    high = [1.0, *(math.nan if v is None else v for v in curve.upper)]
    x = np.column_stack([starts, ends]).ravel()
    return x, np.repeat(low, 2), np.repeat(high, 2)


def censor_marks(summary: SurvivalSummary) -> tuple[list[float], list[float]]:
    """Censor tick positions; beyond MAX_CENSOR_MARKS, one per 1/MAX_CENSOR_MARKS of the axis.

    Thousands of ticks merge into a solid smear that hides the curve; thinned, they
    still show where censoring happened. Small studies keep every mark.
    """
    times, survs = summary.curve.censor_time, summary.curve.censor_surv
    if len(times) <= MAX_CENSOR_MARKS:
        return list(times), list(survs)
    spacing = summary.max_time / MAX_CENSOR_MARKS
    kept_t: list[float] = []
    kept_s: list[float] = []
    for t, s in zip(times, survs, strict=True):
        if not kept_t or t - kept_t[-1] >= spacing:
            kept_t.append(t)
            kept_s.append(s)
    return kept_t, kept_s


def plot_km(summary: SurvivalSummary, ax: Axes | None = None, *, ci_band: bool = True,
            greyscale: bool = False, x_label: str = X_LABEL) -> Axes:
    """Draw the KM curve, censor marks, CI band, median and number-at-risk row; returns ax."""
    colour = GREY_CURVE if greyscale else CURVE_COLOUR
    with style():
        if ax is None:
            ax = new_figure(HALF_WIDTH, 3.4).add_subplot()
        tag = f"km-{summary.endpoint}"
        if ci_band:
            bx, blow, bhigh = band_points(summary)
            ax.fill_between(bx, blow, bhigh, color=colour, alpha=BAND_ALPHA,
                            linewidth=0, gid=f"{tag}-band", label="_band")
        x, y = step_points(summary)
        ax.plot(x, y, drawstyle="steps-post", color=colour, linewidth=1.2,
                solid_joinstyle="miter", clip_on=False, gid=f"{tag}-curve", zorder=3)
        ctime, csurv = censor_marks(summary)
        if ctime:
            ax.plot(ctime, csurv, linestyle="none", marker="|", markersize=4,
                    markeredgewidth=0.7, color=colour, clip_on=False,
                    gid=f"{tag}-censor", zorder=4)
        if summary.median is not None:
            m = summary.median
            ax.plot([0.0, m, math.nan, m, m], [0.5, 0.5, math.nan, 0.5, 0.0], color=INK,
                    linewidth=0.6, linestyle=(0, (3, 2)), gid=f"{tag}-median", zorder=2)
        _axes(ax, summary, x_label)
        shown = shown_at_risk(ax, summary)
        set_month_ticks(ax, [t for t, _ in shown] or [0.0])
        add_median_text(ax, summary, ci_band)
        add_at_risk_row(ax, summary.endpoint, shown)
    return ax


def _axes(ax: Axes, summary: SurvivalSummary, x_label: str) -> None:
    ticks = [a.months for a in summary.at_risk] or [0.0]
    right = max(summary.max_time, ticks[-1])
    right = right * 1.03 if right > 0 else 1.0
    ax.set_xlim(0.0, right)
    ax.set_ylim(0.0, 1.0)
    ax.yaxis.set_major_locator(MultipleLocator(0.2))
    ax.yaxis.set_major_formatter(tick_text(1))
    ax.set_xlabel(x_label)
    ax.set_ylabel(Y_LABELS.get(summary.endpoint, f"{summary.label} probability"))
    ax.yaxis.get_major_ticks()  # create tick labels inside the style context
