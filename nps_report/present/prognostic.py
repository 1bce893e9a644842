"""What the prognostic artifacts show for a study: whether each applies, and their panels.

The catalogue declares the Cox tables, the response table and the three figures with
these predicates and panel choosers (module-level functions, so that a catalogue can be
pickled to the figure worker). Kaplan-Meier curves by factor are one panel per
categorical or yes/no factor and endpoint, PFS left and OS right, for at most
KM_MAX_ROWS factors in the order study.yaml lists them (never chosen by their p-values):
a journal page holds three rows of such panels.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..config import FigureConfig
from ..results import FactorInfo, Prognostic, Results
from ..vocab import ENDPOINT_ABBREVIATIONS
from .artifact import Panel
from .factors import factor_label, level_label
from .fmt import fmt_int, fmt_num, fmt_p_text

FIGURES = "nps_report.figures.prognostic"
KM_MAX_ROWS = 3


def has_pfs_models(results: Results) -> bool:
    return results.prognostic is not None and results.prognostic.pfs is not None


def has_os_models(results: Results) -> bool:
    return results.prognostic is not None and results.prognostic.os is not None


def has_response_by_factor(results: Results) -> bool:
    return bool(results.response_by_factor)


def hr_forest_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    """One forest plot per endpoint analysed: PFS (A) above OS (B)."""
    p = results.prognostic
    if p is None:
        return ()
    return tuple(Panel(f"forest_hr_{ep.endpoint}", f"{FIGURES}:hr_forest_figure",
                       reads=("prognostic",),  # the axis is shared by the endpoints
                       args=(ep.endpoint,)) for ep in p.endpoints)


_NICE = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 10.0, 20.0, 50.0, 100.0)


def log_limits(values: list[float | None], floor: float = 0.05, ceiling: float = 20.0
               ) -> tuple[float, float]:
    """The HR forest plot's axis: log limits covering the estimates and 1, within
    [floor, ceiling], at round values (decided here, so the legend can say what is cut)."""
    finite = [v for v in values if v is not None and v > 0 and math.isfinite(v)] + [1.0]
    lo = max(min(finite) / 1.3, floor)
    hi = min(max(finite) * 1.3, ceiling)
    return (max([n for n in _NICE if n <= lo] or [_NICE[0]]),
            min([n for n in _NICE if n >= hi] or [_NICE[-1]]))


def hr_axis(prognostic: Prognostic) -> tuple[float, float]:
    """One log axis for the HR forest plots of every endpoint, so that panels A and B of
    the figure read on the same scale."""
    rows = [r for ep in prognostic.endpoints for r in (*ep.univariable, *ep.multivariable)]
    return log_limits([v for r in rows if r.hr is not None for v in (r.hr, r.ci_low, r.ci_high)])


def hr_beyond_axis(prognostic: Prognostic) -> bool:
    """Whether a confidence limit of the HR forest plots is cut at the axis (an arrowhead)."""
    low, high = hr_axis(prognostic)
    return any((r.ci_low is not None and r.ci_low < low) or
               (r.ci_high is not None and r.ci_high > high)
               for ep in prognostic.endpoints for r in (*ep.univariable, *ep.multivariable)
               if r.hr is not None)


def orr_forest_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    if not has_response_by_factor(results):
        return ()
    return (Panel("forest_orr", f"{FIGURES}:orr_forest_figure",
                  reads=("response_by_factor", "prognostic.factors", "efficacy.orr")),)


@dataclass(frozen=True)
class KmPanel:
    """One Kaplan-Meier-by-factor panel: its file key, endpoint and factor."""

    key: str
    endpoint: str
    factor: FactorInfo


def km_factor_choice(results: Results) -> tuple[KmPanel, ...]:
    """The panels of the KM-by-factor figure, in letter order (row by row)."""
    p = results.prognostic
    if p is None:
        return ()
    endpoints = p.endpoints
    factors = [f for f in p.factors
               if f.kind != "continuous" and any(ep.curve(f.column) for ep in endpoints)]
    stems = _stems([f.column for f in factors])
    return tuple(KmPanel(f"km_{ep.endpoint}_{stems[f.column]}", ep.endpoint, f)
                 for f in factors[:KM_MAX_ROWS] for ep in endpoints
                 if ep.curve(f.column) is not None)


def km_factor_rows(results: Results) -> tuple[tuple[FactorInfo, tuple[KmPanel, ...]], ...]:
    """The figure's rows: each factor shown with its panels (PFS, then OS)."""
    rows: dict[str, list[KmPanel]] = {}
    for k in km_factor_choice(results):
        rows.setdefault(k.factor.column, []).append(k)
    return tuple((panels[0].factor, tuple(panels)) for panels in rows.values())


def km_factor_hidden(results: Results) -> tuple[FactorInfo, ...]:
    """Factors with curves that the figure leaves out (beyond KM_MAX_ROWS): the text gives
    their log-rank tests."""
    p = results.prognostic
    if p is None:
        return ()
    shown = {f.column for f, _ in km_factor_rows(results)}
    return tuple(f for f in p.factors if f.column not in shown and f.kind != "continuous"
                 and any(ep.curve(f.column) for ep in p.endpoints))


def km_factor_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    return tuple(Panel(k.key, f"{FIGURES}:km_factor_figure",
                       reads=(f"prognostic.{k.endpoint}.curves", f"prognostic.{k.endpoint}.logrank",
                              "prognostic.factors"),
                       args=(k.endpoint, k.factor.column), printed=km_factor_printed)
                 for k in km_factor_choice(results))


def km_factor_printed(results: Results, panel: Panel) -> dict[str, tuple[str, str]]:
    """The log-rank p and the numbers at risk printed in a KM-by-factor panel."""
    endpoint, column = panel.args
    p = results.prognostic
    ep = p.endpoint(endpoint) if p is not None else None
    curve = ep.curve(column) if ep is not None else None
    if curve is None:
        return {}
    f = p.factor(column)
    what = f"{ENDPOINT_ABBREVIATIONS[endpoint]} by {factor_label(f)}"
    out: dict[str, tuple[str, str]] = {}
    test = next((r for r in ep.logrank if r.factor == column), None)
    if test is not None:
        out[f"figures.{panel.key}.logrank"] = (f"{what}, log-rank test",
                                                fmt_p_text(test.p) if test.p is not None
                                                else "not possible")
    for lv in curve.levels:
        if lv.n == 0:
            continue
        for tick, n in zip(curve.ticks, lv.at_risk, strict=True):
            months = fmt_num(tick, 0 if float(tick).is_integer() else 1)
            out[f"figures.{panel.key}.at_risk.{lv.level}.{tick:g}"] = (
                f"{what}, {level_label(f, lv.level)}, number at risk at {months} months",
                fmt_int(n))
    return out


def _stems(columns: list[str]) -> dict[str, str]:
    """File-name-safe, distinct stems of column names ('ECOG PS' -> 'ECOG_PS')."""
    out: dict[str, str] = {}
    for column in columns:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", column).strip("_") or "factor"
        candidate, n = stem, 1
        while candidate in out.values():
            n += 1
            candidate = f"{stem}_{n}"
        out[column] = candidate
    return out
