"""Kaplan-Meier summaries (median and CI, landmarks, numbers at risk, curve) as plain data."""

from __future__ import annotations

import numpy as np

from ..config import StudyConfig
from ..results import AtRisk, Curve, Landmark, SurvivalSummary
from .km import kaplan_meier, median_time, number_at_risk, survival_at, symmetric_median_ci


def tick_step(max_months: float) -> float:
    """Axis ticks every 1, 2, 3, 6 or 12 months so a plot shows about 4 to 10 of them."""
    for step in (1.0, 2.0, 3.0, 6.0, 12.0, 24.0):
        if max_months / step <= 10:
            return step
    return 60.0


def ticks_for(max_months: float) -> np.ndarray:
    step = tick_step(max_months)
    return np.arange(0.0, max(max_months, 0.0) + 1e-9, step) if max_months > 0 else (
        np.array([0.0]))


def band_type(km_method: str) -> str:
    """Pointwise bands behind landmark CIs: the symmetric median CI uses log-log bands."""
    return "log-log" if km_method == "symmetric" else km_method


def summarise(endpoint: str, label: str, time: np.ndarray, event: np.ndarray,
              config: StudyConfig) -> SurvivalSummary:
    """KM fit with the configured CI method; 'symmetric' medians use Collett's SE."""
    method = config.ci.km
    fit = kaplan_meier(time, event, band_type(method), config.ci.level)
    median = median_time(fit.time, fit.surv)
    if method == "symmetric":
        low, high = symmetric_median_ci(fit, median)
    else:
        low, high = median_time(fit.time, fit.lower), median_time(fit.time, fit.upper)
    landmarks = []
    for months in config.landmarks_months:
        at = survival_at(fit, months)
        if at is None:
            landmarks.append(Landmark(months, None, None, None, None))
        else:
            s, lo, hi, n = at
            landmarks.append(Landmark(months, s, _num(lo), _num(hi), n))
    max_time = float(fit.time[-1]) if len(fit.time) else 0.0
    ticks = ticks_for(max_time)
    at_risk = tuple(AtRisk(float(t), int(n))
                    for t, n in zip(ticks, number_at_risk(fit, ticks), strict=True))
    ev = fit.n_event > 0
    cens = fit.n_censor > 0
    curve = Curve(
        time=tuple(fit.time[ev].tolist()),
        surv=tuple(fit.surv[ev].tolist()),
        lower=tuple(_num(v) for v in fit.lower[ev]),
        upper=tuple(_num(v) for v in fit.upper[ev]),
        censor_time=tuple(fit.time[cens].tolist()),
        censor_surv=tuple(fit.surv[cens].tolist()),
    )
    n_events = int(fit.n_event.sum())
    return SurvivalSummary(endpoint, label, len(time), n_events, len(time) - n_events, median,
                           low, high, method, config.ci.level, tuple(landmarks), at_risk,
                           curve, max_time)


def followup(time: np.ndarray, event: np.ndarray, level: float) -> tuple[float | None,
                                                                          float | None,
                                                                          float | None]:
    """Median follow-up by reverse KM (deaths censor follow-up), with log-log limits."""
    fit = kaplan_meier(time, ~np.asarray(event, dtype=bool), "log-log", level)
    return (median_time(fit.time, fit.surv), median_time(fit.time, fit.lower),
            median_time(fit.time, fit.upper))


def _num(v: float) -> float | None:
    v = float(v)
    return None if np.isnan(v) else v
