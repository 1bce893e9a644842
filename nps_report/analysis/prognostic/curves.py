"""Kaplan-Meier curves by factor level, summarised as plain values for the figure.

The same estimator and median conventions as the overall curves (km.py, survfit's
rules; the study's median CI method); numbers at risk at ticks shared by the levels,
so the rows under the plot line up.
"""

from __future__ import annotations

import numpy as np

from ...results import FactorSurvival, LevelSurvival
from ..km import kaplan_meier, median_time, number_at_risk, symmetric_median_ci
from ..survival import band_type, ticks_for
from .factors import Factor


def factor_curves(factor: Factor, time: np.ndarray, event: np.ndarray, km_method: str,
                  level: float) -> FactorSurvival:
    return level_curves(factor.column, factor.spec.levels, np.asarray(factor.values,
                                                                      dtype=object),
                        time, event, km_method, level)


def level_curves(name: str, levels: tuple[str, ...], values: np.ndarray, time: np.ndarray,
                 event: np.ndarray, km_method: str, level: float) -> FactorSurvival:
    """A curve per level of `values` (None: in no level), numbers at risk at shared ticks;
    by factor level here, by cohort in analysis/cohorts.py."""
    present = values != None  # noqa: E711 (elementwise comparison with None)
    max_time = float(time[present].max()) if present.any() else 0.0
    ticks = ticks_for(max_time)
    curves = []
    for lv in levels:
        mask = values == lv
        curves.append(_level(lv, time[mask], event[mask], ticks, km_method, level))
    return FactorSurvival(name, tuple(float(t) for t in ticks), tuple(curves))


def _level(label: str, time: np.ndarray, event: np.ndarray, ticks: np.ndarray,
           km_method: str, level: float) -> LevelSurvival:
    n = len(time)
    if n == 0:
        return LevelSurvival(label, 0, 0, None, None, None, (), (), (), (),
                             tuple(0 for _ in ticks), 0.0)
    fit = kaplan_meier(time, event, band_type(km_method), level)
    median = median_time(fit.time, fit.surv)
    if km_method == "symmetric":
        low, high = symmetric_median_ci(fit, median)
    else:
        low, high = median_time(fit.time, fit.lower), median_time(fit.time, fit.upper)
    ev = fit.n_event > 0
    cens = fit.n_censor > 0
    return LevelSurvival(
        level=label, n=n, n_events=int(fit.n_event.sum()), median=median, ci_low=low,
        ci_high=high, time=tuple(fit.time[ev].tolist()), surv=tuple(fit.surv[ev].tolist()),
        censor_time=tuple(fit.time[cens].tolist()), censor_surv=tuple(fit.surv[cens].tolist()),
        at_risk=tuple(int(v) for v in number_at_risk(fit, ticks)),
        max_time=float(fit.time[-1]))
