"""Treatment exposure: cycles, patients reaching the cycle threshold, dose levels, ongoing,
and the dose modifications for toxicity that study.yaml's columns record."""

from __future__ import annotations

import pandas as pd

from ..config import StudyConfig
from ..results import Exposure, LevelCount
from .describe import distribution


def describe_exposure(patients: pd.DataFrame, endpoints: pd.DataFrame,
                      config: StudyConfig) -> Exposure:
    N = len(patients)
    cfg = config.exposure
    cycles = pd.to_numeric(patients["cycles"], errors="coerce")
    n_at_least = int((cycles >= cfg.cycles_threshold).sum())
    doses: tuple[LevelCount, ...] = ()
    if cfg.dose_column and cfg.dose_column in patients.columns:
        counts = patients[cfg.dose_column].replace("", None).dropna().value_counts()
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        doses = tuple(LevelCount(str(level), int(n), n / N) for level, n in ordered)
    return Exposure(
        N=N,
        cycles=distribution(cycles),
        cycles_threshold=cfg.cycles_threshold,
        n_at_least_threshold=n_at_least,
        pct_at_least_threshold=n_at_least / N if N else None,
        n_ongoing=int(endpoints["on_treatment"].sum()),
        treatment_months=distribution(endpoints["treatment_months"]),
        dose_levels=doses,
        dose_unit=cfg.dose_unit,
        schedule=cfg.schedule,
        cycle_days=cfg.cycle_days,
        n_dose_reduced=_flagged(patients, "reduction"),
        n_interrupted=_flagged(patients, "interruption"),
        n_discontinued=_flagged(patients, "discontinuation"),
    )


def _flagged(patients: pd.DataFrame, what: str) -> int | None:
    """Patients whose yes/no column for this modification says yes (None: no column)."""
    column = f"_{what}"
    return int(patients[column].sum()) if column in patients else None
