"""Prognostic factors and subgroups: Cox models, log-rank tests, response by factor.

The rows it returns are the Results model's (nps_report.results.prognostic). Importing this
package loads nothing; the analysis entry points load pandas, scipy and, when they fit,
lifelines, on first use:

    from nps_report.analysis.prognostic import analyse_prognostic

Modules, one job each: factors (specs and the study.yaml adapter), design (dummy
coding), separation (which coefficients have no finite estimate), cox (lifelines
fits), zph (R cox.zph), logrank (R survdiff), fisher (R fisher.test), response,
curves (KM by level), models (one model's rows and warnings), notices, analyse.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"analyse_prognostic": ".analyse", "analyse_factors": ".analyse",
         "PrognosticAnalysis": ".analyse",
         "Factor": ".factors", "FactorSpec": ".factors",
         "factors_from_baseline": ".factors"}

__all__ = ["Factor", "FactorSpec", "PrognosticAnalysis", "analyse_factors",
           "analyse_prognostic", "factors_from_baseline"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
