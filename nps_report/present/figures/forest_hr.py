"""Figure: hazard ratios with their CIs by factor level, univariable and multivariable, one
forest plot per endpoint analysed (PFS above OS) on one log axis."""

from __future__ import annotations

import math

from ...config import FigureConfig
from ...results import Prognostic, Results
from ..artifact import FigureArtifact, Panel

DRAW = "nps_report.figures.prognostic"


def hr_forest_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    """One forest plot per endpoint analysed: PFS (A) above OS (B)."""
    p = results.prognostic
    if p is None:
        return ()
    return tuple(Panel(f"forest_hr_{ep.endpoint}", f"{DRAW}:hr_forest_figure",
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


FIGURE = FigureArtifact("forest_hr", "figures/forest_hr.md.j2", hr_forest_panels, columns=1,
                        section="Prognostic factors")
