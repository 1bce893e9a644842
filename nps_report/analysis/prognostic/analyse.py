"""The prognostic-factor analysis of a study: every number of results.json's `prognostic`
and `response_by_factor`, with the diagnostics behind its warnings.

Two entry points: `analyse_prognostic` takes what a build has (the per-patient
endpoints, the patients table, study.yaml's baseline rows and the factor names);
`analyse_factors` takes explicit Factor objects, for callers and tests that build
their own. Both hand back a PrognosticAnalysis: the three things Results holds apart
(results.json's `prognostic` and top-level `response_by_factor`, and the notices the
build prints).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...config import BaselineItem
from ...errors import Notice
from ...results import (
    PROGNOSTIC_ENDPOINTS,
    EndpointPrognostic,
    FactorInfo,
    LogRankRow,
    MultivariableRow,
    Prognostic,
    PrognosticMethods,
    ResponseRow,
    UnivariableRow,
)
from .curves import factor_curves
from .factors import Factor, factors_from_baseline
from .logrank import logrank
from .models import MIN_EVENTS_PER_PARAMETER, PH_ALPHA, LevelRow, run_model
from .notices import build_notices
from .response import response_by_factor

ENDPOINTS = PROGNOSTIC_ENDPOINTS


@dataclass(frozen=True)
class PrognosticAnalysis:
    """Results.prognostic, Results.response_by_factor and the notices for Results.notices."""

    prognostic: Prognostic
    response_by_factor: tuple[ResponseRow, ...]
    notices: tuple[Notice, ...]


def analyse_prognostic(endpoints: pd.DataFrame, patients: pd.DataFrame,
                       baseline: Sequence[BaselineItem], factors: Sequence[str],
                       multivariable: Sequence[str] = (), *,
                       endpoint_names: Sequence[str] = ENDPOINTS,
                       ci_method: str = "clopper-pearson", level: float = 0.95,
                       km_method: str = "log-log",
                       references: Mapping[str, str] | None = None) -> PrognosticAnalysis:
    """study.yaml's `prognostic` block on a study: factors named by their columns, each
    compared with the reference level `references` names for it (default: its first).

    `patients` is the validated patients table (raw text baseline columns, '' = missing);
    it is matched to `endpoints` by patient_id.
    """
    ids = endpoints["patient_id"].astype(str)
    aligned = patients.assign(_id=patients["patient_id"].astype(str)).set_index("_id")
    if set(aligned.index) != set(ids) or aligned.index.duplicated().any():
        raise ValueError("the patients table and the endpoints hold different patients")
    aligned = aligned.loc[ids.tolist()].reset_index(drop=True)
    uni = factors_from_baseline(baseline, aligned, factors, references=references or {})
    multi = factors_from_baseline(baseline, aligned, multivariable,
                                  key="prognostic.multivariable", references=references or {})
    return analyse_factors(endpoints, uni, multi, endpoint_names=endpoint_names,
                           ci_method=ci_method, level=level, km_method=km_method)


def analyse_factors(endpoints: pd.DataFrame, factors: Sequence[Factor],
                    multivariable: Sequence[Factor] = (), *,
                    endpoint_names: Sequence[str] = ENDPOINTS,
                    ci_method: str = "clopper-pearson", level: float = 0.95,
                    km_method: str = "log-log") -> PrognosticAnalysis:
    """Univariable Cox models and log-rank tests for `factors`, one multivariable model
    holding `multivariable` (if any), for each endpoint; response by factor.

    Factor values are in the endpoints' row order. Endpoint `x` reads columns
    x_months and x_event; response by factor reads bor (none without that column).
    """
    n = len(endpoints)
    for f in (*factors, *multivariable):
        if len(f.values) != n:
            raise ValueError(f"factor {f.column!r} has {len(f.values)} values for {n} patients")
    results = {name: _endpoint(name, endpoints, factors, multivariable, level, km_method)
               for name in dict.fromkeys(endpoint_names)}
    response, too_large = ((), ()) if "bor" not in endpoints else response_by_factor(
        factors, endpoints["bor"].astype(str).tolist(), ci_method, level)
    skipped = [f.column for f in factors if f.spec.categorical and f.column not in too_large
               and any(r.factor == f.column and r.p is None for r in response)]
    everything = {f.column: f for f in (*factors, *multivariable)}
    info = tuple(FactorInfo(f.column, f.spec.label, f.spec.kind, f.spec.levels, f.spec.group,
                            f.n_missing) for f in everything.values())
    methods = PrognosticMethods(level=level, proportion_ci=ci_method, km_ci=km_method,
                                ph_alpha=PH_ALPHA,
                                min_events_per_parameter=MIN_EVENTS_PER_PARAMETER)
    notices = build_notices(info, tuple(results.values()), n, skipped, too_large)
    prognostic = Prognostic(info, tuple(f.column for f in multivariable), results.get("pfs"),
                            results.get("os"), methods)
    return PrognosticAnalysis(prognostic, response, notices)


def _endpoint(name: str, endpoints: pd.DataFrame, factors: Sequence[Factor],
              multivariable: Sequence[Factor], level: float,
              km_method: str) -> EndpointPrognostic:
    if name not in ENDPOINTS:
        raise ValueError(f"unknown endpoint {name!r}; expected one of {ENDPOINTS}")
    time = endpoints[f"{name}_months"].to_numpy(dtype=float)
    event = endpoints[f"{name}_event"].to_numpy(dtype=bool)
    univariable, logranks, models, curves = [], [], [], []
    for f in factors:
        rows, model = run_model("univariable", [f], time, event, level)
        univariable += [_uni(r) for r in rows]
        models.append(model)
        if f.spec.categorical:
            logranks.append(_logrank(f, time, event))
            curves.append(factor_curves(f, time, event, km_method, level))
    multi: list[MultivariableRow] = []
    if multivariable:
        rows, model = run_model("multivariable", multivariable, time, event, level)
        multi = [_multi(r) for r in rows]
        models.append(model)
    return EndpointPrognostic(name, tuple(univariable), tuple(logranks), tuple(multi),
                              tuple(models), tuple(curves))


def _logrank(f: Factor, time: np.ndarray, event: np.ndarray) -> LogRankRow:
    values = np.asarray(f.values, dtype=object)
    keep = values != None  # noqa: E711 (elementwise comparison with None)
    if not keep.any():
        return LogRankRow(f.column, None, 0, None)
    groups = np.array([f.spec.levels.index(v) for v in values[keep]])
    res = logrank(time[keep], event[keep], groups)
    return LogRankRow(f.column, res.chisq, res.df, res.p)


def _uni(r: LevelRow) -> UnivariableRow:
    c, e = r.column, r.estimate
    return UnivariableRow(c.factor, c.level, c.reference, r.n, r.n_events, e.hr, e.ci_low,
                          e.ci_high, e.p)


def _multi(r: LevelRow) -> MultivariableRow:
    c, e = r.column, r.estimate
    return MultivariableRow(c.factor, c.level, c.reference, e.hr, e.ci_low, e.ci_high, e.p)
