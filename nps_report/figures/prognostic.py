"""The prognostic figures as the catalogue draws them: each a function of Results.

`fn(results, figure_config, *args) -> Figure`, named in the panels of present/figures/:
a hazard-ratio forest plot per endpoint, the response-rate forest plot, and one
Kaplan-Meier-by-factor panel per factor and endpoint. The drawing itself is in
forest_hr.py, forest_orr.py and km_factor.py.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ..config import FigureConfig
from ..present.factors import factor_label, level_label
from ..present.figures.forest_hr import hr_axis
from ..results import Prognostic, Results
from .forest_hr import plot_hr_forest
from .forest_orr import plot_orr_forest
from .km_factor import plot_km_by_factor


def _prognostic(results: Results) -> Prognostic:
    if results.prognostic is None:
        raise ValueError("these results hold no prognostic-factor analysis")
    return results.prognostic


def hr_forest_figure(results: Results, _config: FigureConfig, endpoint: str) -> Figure:
    """Univariable (and multivariable) hazard ratios of one endpoint, on the axis that every
    endpoint's panel shares."""
    p = _prognostic(results)
    return plot_hr_forest(p, endpoint, xlim=hr_axis(p)).get_figure()


def orr_forest_figure(results: Results, _config: FigureConfig) -> Figure:
    """Objective response rate by level, against the overall rate."""
    p = _prognostic(results)
    return plot_orr_forest(p.factors, results.response_by_factor or (),
                           overall=results.efficacy.orr.estimate).get_figure()


def km_factor_figure(results: Results, _config: FigureConfig, endpoint: str,
                     column: str) -> Figure:
    """Kaplan-Meier curves of one endpoint by the levels of one factor, log-rank p."""
    p = _prognostic(results)
    ep = p.endpoint(endpoint)
    curve = ep.curve(column) if ep is not None else None
    if curve is None:
        raise ValueError(f"no curves of {endpoint} by {column!r}")
    f = p.factor(column)
    logrank = next((r for r in ep.logrank if r.factor == column), None)
    return plot_km_by_factor(curve, endpoint=endpoint, title=factor_label(f), logrank=logrank,
                             level_labels={lv: level_label(f, lv) for lv in f.levels}
                             ).get_figure()
