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
from ..present.figures.km_factors import km_factor_rows
from ..results import Prognostic, Results
from ._forest import fitted_pitch
from ._style import frame
from .composite import LABEL_STRIP
from .forest_hr import hr_rows, plot_hr_forest
from .forest_orr import orr_rows, plot_orr_forest
from .km_factor import panel_height, plot_km_by_factor

AXES_IN = 1.6  # a KM-by-factor panel's plot, as tall as the page allows up to this
MIN_AXES_IN = 1.0  # below this the curves cannot be read: the figure is left taller


def _prognostic(results: Results) -> Prognostic:
    if results.prognostic is None:
        raise ValueError("these results hold no prognostic-factor analysis")
    return results.prognostic


def hr_forest_figure(results: Results, config: FigureConfig, endpoint: str) -> Figure:
    """Univariable (and multivariable) hazard ratios of one endpoint, on the axis that every
    endpoint's panel shares, at a row pitch that fits every endpoint's panel on one page."""
    p = _prognostic(results)
    counts = [len(hr_rows(p, ep.endpoint)[0]) for ep in p.endpoints]
    pitch = fitted_pitch(counts, frame(config).max_height_in, LABEL_STRIP if len(counts) > 1
                         else 0.0)
    return plot_hr_forest(p, endpoint, xlim=hr_axis(p), width=frame(config).width_in,
                          pitch=pitch, greyscale=config.greyscale).get_figure()


def orr_forest_figure(results: Results, config: FigureConfig) -> Figure:
    """Objective response rate by level, against the overall rate."""
    p = _prognostic(results)
    rows = orr_rows(p.factors, results.response_by_factor or ())
    pitch = fitted_pitch([len(rows)], frame(config).max_height_in, 0.0)
    return plot_orr_forest(p.factors, results.response_by_factor or (),
                           overall=results.efficacy.orr.estimate, width=frame(config).width_in,
                           pitch=pitch).get_figure()


def km_axes_height(results: Results, config: FigureConfig) -> float:
    """The plot height of every KM-by-factor panel: as tall as AXES_IN where the figure's
    rows fit the page with it, shorter (down to MIN_AXES_IN) where they would not."""
    rows = km_factor_rows(results)
    if not rows:
        return AXES_IN
    levels = [max(sum(lv.n > 0 for lv in curve.levels) for curve in _curves(results, f.column))
              for f, _ in rows]
    fixed = sum(panel_height(n, 0.0) + LABEL_STRIP for n in levels)
    room = (frame(config).max_height_in - fixed) / len(rows)
    return max(min(AXES_IN, room), MIN_AXES_IN)


def _curves(results: Results, column: str) -> list:
    p = _prognostic(results)
    return [c for ep in p.endpoints if (c := ep.curve(column)) is not None]


def km_factor_figure(results: Results, config: FigureConfig, endpoint: str,
                     column: str) -> Figure:
    """Kaplan-Meier curves of one endpoint by the levels of one factor, log-rank p."""
    p = _prognostic(results)
    ep = p.endpoint(endpoint)
    curve = ep.curve(column) if ep is not None else None
    if curve is None:
        raise ValueError(f"no curves of {endpoint} by {column!r}")
    f = p.factor(column)
    logrank = next((r for r in ep.logrank if r.factor == column), None)
    levels = max(sum(lv.n > 0 for lv in c.levels) for c in _curves(results, column))
    return plot_km_by_factor(curve, endpoint=endpoint, title=factor_label(f), logrank=logrank,
                             level_labels={lv: level_label(f, lv) for lv in f.levels},
                             greyscale=config.greyscale, width=frame(config).half_width_in,
                             height=panel_height(levels, km_axes_height(results, config))
                             ).get_figure()
