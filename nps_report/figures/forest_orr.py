"""Forest plot of objective response rate by subgroup, with the study's exact (or chosen) CIs.

One row per level of each categorical or yes/no factor: responders/patients, the rate
and its CI in percent; the factor's Fisher exact p on its header row; a line at the
overall ORR, so each subgroup reads against the whole series. Reads the factors and
the response rows (Results.prognostic.factors, Results.response_by_factor).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator

from ..present.factors import factor_label, level_label
from ..present.fmt import fmt_int, fmt_num
from ..present.formats import cell, prose
from ..results import FactorInfo, ResponseRow
from ._forest import PITCH_IN, Estimate, ForestRow, Series, draw_forest, row_height_in
from ._style import FULL_WIDTH, MUTED, SMALL, new_figure, style, tick_text

RATE = Series("ORR, % (95% CI)", "#0072B2")
X_LABEL = "Objective response rate (%)"


def p_text(p: float | None) -> str:
    return "" if p is None else f"Fisher {prose('p_value', p)}"


def rate_text(r: ResponseRow) -> str:
    if r.n == 0:
        return "no patients"
    if r.estimate is None:
        return "not estimable"
    return cell("rate_ci", r)  # as the response table prints it


def orr_rows(factors: Sequence[FactorInfo], response: Sequence[ResponseRow]
             ) -> tuple[ForestRow, ...]:
    by_factor: dict[str, list[ResponseRow]] = {}
    for r in response:
        by_factor.setdefault(r.factor, []).append(r)
    rows: list[ForestRow] = []
    for f in factors:
        levels = by_factor.get(f.column)
        if not levels:
            continue
        rows.append(ForestRow(factor_label(f), True, "", (None,), f.column,
                              note=p_text(levels[0].p)))
        for r in levels:
            pct = (None if r.estimate is None or r.n == 0 else r.estimate * 100,
                   None if r.ci_low is None else r.ci_low * 100,
                   None if r.ci_high is None else r.ci_high * 100)
            rows.append(ForestRow(level_label(f, r.level), False,
                                  f"{fmt_int(r.responders)}/{fmt_int(r.n)}",
                                  (Estimate(*pct, rate_text(r)),), f"{f.column}:{r.level}"))
    return tuple(rows)


def plot_orr_forest(factors: Sequence[FactorInfo], response: Sequence[ResponseRow],
                    overall: float | None = None, ax: Axes | None = None, *,
                    width: float = FULL_WIDTH, pitch: float = PITCH_IN) -> Axes:
    """ORR per subgroup with CIs; `overall` (a fraction, e.g. results' efficacy.orr) draws
    the reference line. Returns ax."""
    rows = orr_rows(factors, response)
    with style():
        if ax is None:
            ax = new_figure(width, row_height_in(len(rows), pitch)).add_subplot()
        ax.set_xlim(0.0, 100.0)
        tag = "orr-forest"
        draw_forest(ax, rows, (RATE,), xlim=(0.0, 100.0), tag=tag,
                    count_header="responders/n", text_header=RATE.name)
        if overall is not None:
            x = overall * 100
            ax.axvline(x, color=MUTED, linewidth=0.7, linestyle=(0, (3, 2)), zorder=1,
                       gid=f"{tag}-overall-line")
            ax.annotate(f"Overall {fmt_num(x, 1)}%", xy=(x, 1.0),
                        xycoords=("data", "axes fraction"), xytext=(0.0, 2.0),
                        textcoords="offset points", ha="center", va="bottom",
                        fontsize=SMALL, color=MUTED, annotation_clip=False,
                        gid=f"{tag}-overall-text")
        ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        ax.xaxis.set_major_formatter(tick_text(0))
        ax.xaxis.get_major_ticks()
        ax.set_xlabel(X_LABEL)
    return ax
