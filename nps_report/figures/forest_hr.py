"""Forest plot of hazard ratios by factor: univariable and, if fitted, multivariable.

Log scale with a line at HR = 1; each factor's reference level is a row marked
"Reference"; every level carries its number of patients and events; an HR that
cannot be estimated says so instead of a marker. Factors, levels and numbers are
worded as the Cox table words them (present.factors, present.fmt). Reads Results.prognostic.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from ..present.factors import continuous_label, factor_label, level_label
from ..present.figures.forest_hr import log_limits
from ..present.fmt import DEFAULT, fmt_int, fmt_num
from ..present.formats import cell
from ..results import MultivariableRow, Prognostic, UnivariableRow
from ._forest import (
    PITCH_IN,
    Estimate,
    ForestRow,
    Series,
    draw_forest,
    log_ticks,
    row_height_in,
)
from ._style import FULL_WIDTH, MUTED, new_figure, style

UNIVARIABLE = Series("Univariable", "#0072B2")
MULTIVARIABLE = Series("Multivariable", "#009E73")
GREY_SERIES = (Series("Univariable", "#000000"), Series("Multivariable", "#6B6B6B"))
X_LABEL = "Hazard ratio (95% CI), log scale"
ENDPOINT_NAMES = {"pfs": "Progression-free survival", "os": "Overall survival"}
TEXT = DEFAULT.in_text()  # a figure spells out what a table cell abbreviates




def hr_text(hr: UnivariableRow | MultivariableRow | None) -> str:
    """'1.52 (0.81–2.85)' as the Cox table prints it; 'not estimable' without an estimate."""
    if hr is None:
        return TEXT.not_estimable
    return cell("hr_ci", hr, style=TEXT)


def tick_label(value: float) -> str:
    """As few decimals as the tick needs: 0.05, 0.2, 1, 10."""
    decimals = next(d for d in range(4) if abs(round(value, d) - value) < 1e-9)
    return fmt_num(value, decimals)


def hr_rows(prognostic: Prognostic, endpoint: str) -> tuple[tuple[ForestRow, ...],
                                                               tuple[Series, ...]]:
    """Rows in factor order (univariable factors, then any only in the multivariable model)."""
    ep = prognostic.endpoint(endpoint)
    if ep is None:
        raise ValueError(f"no prognostic results for endpoint {endpoint!r}")
    uni = {(r.factor, r.level): r for r in ep.univariable}
    multi = {(r.factor, r.level): r for r in ep.multivariable}
    series = (UNIVARIABLE, MULTIVARIABLE) if multi else (UNIVARIABLE,)
    counts = {(c.factor, lv.level): (lv.n, lv.n_events) for c in ep.curves for lv in c.levels}
    shown = [f for f in prognostic.factors
             if any(k[0] == f.column for k in uni) or any(k[0] == f.column for k in multi)]
    rows: list[ForestRow] = []
    def est(table: dict, key: tuple[str, str | None]) -> Estimate | None:
        if not any(k[0] == key[0] for k in table):
            return None  # the factor is not in this model
        r = table.get(key)
        return Estimate(r.hr if r else None, r.ci_low if r else None,
                        r.ci_high if r else None, hr_text(r))

    for f in shown:
        if f.kind == "continuous":
            u = uni.get((f.column, None))
            n = f"{fmt_int(u.n)}/{fmt_int(u.n_events)}" if u else ""
            rows.append(ForestRow(continuous_label(f), True, n,
                                  tuple(est(t, (f.column, None)) for t in (uni, multi)
                                        )[:len(series)], f.column))
            continue
        rows.append(ForestRow(factor_label(f), True, "", (None,) * len(series), f.column))
        for i, lv in enumerate(f.levels):
            n, ev = counts.get((f.column, lv), (None, None))
            u = uni.get((f.column, lv))
            if n is None and u is not None:
                n, ev = u.n, u.n_events
            text = f"{fmt_int(n)}/{fmt_int(ev)}" if n is not None else ""
            if i == 0:
                ref = tuple(Estimate(None, None, None, "Reference")
                            if any(k[0] == f.column for k in t) else None
                            for t in (uni, multi))[:len(series)]
                rows.append(ForestRow(level_label(f, lv), False, text, ref,
                                      f"{f.column}:{lv}"))
            else:
                rows.append(ForestRow(level_label(f, lv), False, text,
                                      tuple(est(t, (f.column, lv)) for t in (uni, multi)
                                            )[:len(series)], f"{f.column}:{lv}"))
    return tuple(rows), series


def plot_hr_forest(prognostic: Prognostic, endpoint: str, ax: Axes | None = None,
                   xlim: tuple[float, float] | None = None, *, width: float = FULL_WIDTH,
                   pitch: float = PITCH_IN, greyscale: bool = False) -> Axes:
    """Hazard ratios with 95% CIs per level, reference line at 1; returns ax. `xlim`: the
    axis (default: covering this endpoint's estimates), shared by a figure's panels; the
    series are told apart by marker (square, diamond) as well as colour."""
    rows, series = hr_rows(prognostic, endpoint)
    if greyscale:
        series = GREY_SERIES[:len(series)]
    with style():
        if ax is None:
            ax = new_figure(width, row_height_in(len(rows), pitch)).add_subplot()
        if xlim is None:
            xlim = log_limits([v for r in rows for e in r.estimates
                               if e is not None and e.value is not None
                               for v in (e.value, e.low, e.high)])
        ax.set_xscale("log")
        ax.set_xlim(*xlim)
        ax.axvline(1.0, color=MUTED, linewidth=0.7, linestyle=(0, (3, 2)), zorder=1,
                   gid=f"hr-forest-{endpoint}-reference-line")
        tag = f"hr-forest-{endpoint}"
        draw_forest(ax, rows, series, xlim=xlim, tag=tag, count_header="n/events",
                    text_header="HR (95% CI)", label_header=ENDPOINT_NAMES.get(endpoint, ""))
        ticks = log_ticks(xlim)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tick_label(v)))
        ax.xaxis.get_major_ticks()  # create tick labels inside the style context
        ax.set_xlabel(X_LABEL)
    return ax
