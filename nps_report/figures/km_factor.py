"""Kaplan-Meier curves by level of one factor, with the log-rank p and numbers at risk.

One step curve per level (Okabe-Ito colours, and line styles for grey print; shades of
grey with `greyscale`), censor marks, a legend naming each level with its patients and
events above the plot (outside it, so it never covers a curve), the log-rank test in the
legend's title, and one at-risk row per level under the axis, in the level's colour, at
ticks shared by all levels. Drawn from the per-level summaries the
analysis computed (Results.prognostic, never refitted).
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import MultipleLocator

from ..present.fmt import fmt_int
from ..present.formats import prose
from ..results import FactorSurvival, LevelSurvival, LogRankRow
from ._style import HALF_WIDTH, INK, SMALL, new_figure, set_month_ticks, style, tick_text
from .km import X_LABEL, Y_LABELS

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000")
GREYS = ("#000000", "#5A5A5A", "#8C8C8C", "#2E2E2E", "#707070", "#A6A6A6", "#444444")
LINESTYLES = ("solid", (0, (4, 1.5)), (0, (1, 1.2)), (0, (5, 1.5, 1, 1.5)))
AT_RISK_LABEL = "No. at risk"
ROW_PT = 9.0  # at-risk row pitch
GAP_PT = 5.0  # below the x-axis label


def step_points(level: LevelSurvival) -> tuple[list[float], list[float]]:
    """Vertices of the step curve: from (0, 1), across to each event time and down to its
    S, then flat to max_time. Explicit corners (not drawstyle='steps-post'), so the
    legend's placement sees the flat runs and keeps off them."""
    x, y = [0.0], [1.0]
    for t, s in zip(level.time, level.surv, strict=True):
        x += [t, t]
        y += [y[-1], s]
    if level.max_time > x[-1]:
        x.append(level.max_time)
        y.append(y[-1])
    return x, y


def logrank_text(logrank: LogRankRow | None) -> str:
    """'' without a test given; a test without a p (fewer than two groups) says so."""
    if logrank is None:
        return ""
    if logrank.p is None:
        return "Log-rank test not possible"
    return f"Log-rank {prose('p_value', logrank.p)}"


def panel_height(n_levels: int, axes_in: float = 1.6) -> float:
    """A panel's height in inches: the axes plus what sits around them (legend above, one
    line per level and two for its title; ticks, axis label and at-risk rows below)."""
    return 0.95 + axes_in + 0.25 * n_levels


def plot_km_by_factor(curves: FactorSurvival, ax: Axes | None = None, *, endpoint: str = "os",
                      title: str | None = None, logrank: LogRankRow | None = None,
                      level_labels: dict[str, str] | None = None, greyscale: bool = False,
                      width: float = HALF_WIDTH, height: float | None = None) -> Axes:
    """Curves for every level with patients; `title` heads the legend (the factor's name)."""
    names = level_labels or {}
    shown = [(i, lv) for i, lv in enumerate(curves.levels) if lv.n > 0]
    tag = f"km-{endpoint}-{curves.factor}"
    palette = GREYS if greyscale else COLOURS
    with style():
        if ax is None:
            ax = new_figure(width, height or panel_height(len(shown))).add_subplot()
        handles = []
        for i, lv in shown:
            colour, dash = palette[i % len(palette)], LINESTYLES[i % len(LINESTYLES)]
            x, y = step_points(lv)
            ax.plot(x, y, color=colour, linestyle=dash, solid_joinstyle="miter",
                    linewidth=1.2, clip_on=False, gid=f"{tag}-curve-{i}", zorder=3)
            if lv.censor_time:
                ax.plot(list(lv.censor_time), list(lv.censor_surv), linestyle="none",
                        marker="|", markersize=4, markeredgewidth=0.7, color=colour,
                        clip_on=False, gid=f"{tag}-censor-{i}", zorder=4)
            handles.append(Line2D([], [], color=colour, linestyle=dash, linewidth=1.2,
                                  label=f"{names.get(lv.level, lv.level)} "
                                        f"({fmt_int(lv.n)} patients, "
                                        f"{fmt_int(lv.n_events)} events)"))
        ticks = list(curves.ticks) or [0.0]
        right = max([lv.max_time for _, lv in shown] + [ticks[-1]])
        ax.set_xlim(0.0, right * 1.03 if right > 0 else 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.yaxis.set_major_locator(MultipleLocator(0.2))
        ax.yaxis.set_major_formatter(tick_text(1))
        ax.yaxis.get_major_ticks()
        set_month_ticks(ax, ticks)
        ax.set_xlabel(X_LABEL)
        ax.set_ylabel(Y_LABELS.get(endpoint, "Survival probability"))
        legend_title = "\n".join(t for t in (title, logrank_text(logrank)) if t)
        legend = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.02),
                           borderaxespad=0.0, borderpad=0.1, title=legend_title,
                           title_fontsize=SMALL, alignment="left", handlelength=2.2)
        legend.set_gid(f"{tag}-legend")
        legend.get_title().set_gid(f"{tag}-logrank")
        _at_risk_rows(ax, tag, ticks, shown, names, palette)
    return ax


def _at_risk_rows(ax: Axes, tag: str, ticks: list[float],
                  shown: list[tuple[int, LevelSurvival]], names: dict[str, str],
                  palette: tuple[str, ...] = COLOURS) -> None:
    label = ax.xaxis.label
    ax.annotate(AT_RISK_LABEL, xy=(0.0, 0.0), xycoords=("axes fraction", label),
                xytext=(0.0, -GAP_PT), textcoords="offset points", ha="left", va="top",
                fontsize=SMALL, fontweight="bold", color=INK, annotation_clip=False,
                gid=f"{tag}-at-risk-label")
    for row, (i, lv) in enumerate(shown, start=1):
        colour = palette[i % len(palette)]
        dy = -GAP_PT - row * ROW_PT
        for k, (tick, n) in enumerate(zip(ticks, lv.at_risk, strict=True)):
            ax.annotate(fmt_int(n), xy=(tick, 0.0), xycoords=("data", label),
                        xytext=(0.0, dy), textcoords="offset points", ha="center", va="top",
                        fontsize=SMALL, color=colour, annotation_clip=False,
                        gid=f"{tag}-at-risk-{i}-{k}")
        ax.annotate(names.get(lv.level, lv.level), xy=(0.0, 0.0),
                    xycoords=("axes fraction", label), xytext=(-12.0, dy),
                    textcoords="offset points", ha="right", va="top", fontsize=SMALL,
                    color=colour, annotation_clip=False, gid=f"{tag}-at-risk-name-{i}")
