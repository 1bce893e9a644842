"""The statistical summaries every area of the model is made of: a proportion with its CI,
a distribution, counts by level, a Kaplan-Meier summary with its landmarks and curve."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .keys import landmark_key


@dataclass(frozen=True)
class Proportion:
    n: int
    N: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    level: float

    @property
    def bound(self) -> str | None:
        """Whether the interval is degenerate or cut at 0 or 1 (interval_bound)."""
        return interval_bound(self.n, self.N, self.ci_low, self.ci_high, self.method)


# Proportion CI methods that cut their limits at 0 and 1 (proportions.py), and that have
# no width at 0 or N events: their limits there are not limits at all, and say so.
CLIPPED_METHODS = ("t", "wald")
DEGENERATE = "degenerate"  # zero width: 0/N or N/N with the t or Wald interval
TRUNCATED = "truncated"  # a limit cut at 0 or 1 (at 0 months for a median)


def interval_bound(n: int, total: int, low: float | None, high: float | None,
                   method: str) -> str | None:
    """DEGENERATE, TRUNCATED or None for a proportion's interval as computed by `method`.

    A t or Wald interval has no width at 0 or N events; otherwise a limit found exactly at
    0 or 1 was cut there (its formula gave a value beyond it). Clopper-Pearson and Wilson
    intervals reach 0 or 1 only where they should, and are never either."""
    if method not in CLIPPED_METHODS or low is None or high is None or total <= 0:
        return None
    if n in (0, total):
        return DEGENERATE
    if low <= 0.0 or high >= 1.0:
        return TRUNCATED
    return None


@dataclass(frozen=True)
class Distribution:
    """Summary of a continuous variable (age, cycles, time to response)."""

    n: int
    n_missing: int
    median: float | None
    q1: float | None
    q3: float | None
    min: float | None
    max: float | None
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class LevelCount:
    __key__ = "label"  # its identity in a Results key: baseline[Sex].levels[Male]

    label: str
    n: int
    pct: float | None  # fraction of the variable's denominator


@dataclass(frozen=True)
class Landmark:
    __key__ = "months"

    months: float
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_at_risk: int | None


class AtRisk(NamedTuple):
    """Patients still under observation at a tick of the KM plot's time axis."""

    months: float
    n: int


@dataclass(frozen=True)
class Curve:
    """KM step function: S drops to surv[i] at time[i]; censor marks at censor_time."""

    __untracked__ = True  # thousands of points: templates never print them one by one

    time: tuple[float, ...]
    surv: tuple[float, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    censor_time: tuple[float, ...]
    censor_surv: tuple[float, ...]


@dataclass(frozen=True)
class SurvivalSummary:
    endpoint: str  # pfs | os | dor
    label: str
    n: int
    n_events: int
    n_censored: int
    median: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    level: float
    landmarks: tuple[Landmark, ...] = field(metadata={
        "keyed_by": "months", "key_format": landmark_key, "key_parse": float})
    at_risk: tuple[AtRisk, ...] = ()
    curve: Curve = field(default_factory=lambda: Curve((), (), (), (), (), ()))
    max_time: float = 0.0

    def landmark(self, months: float) -> Landmark | None:
        return next((lm for lm in self.landmarks if lm.months == months), None)

    @property
    def bound(self) -> str | None:
        """TRUNCATED when the median's symmetric interval reached below 0 months and was cut
        there (analysis/km.py); the transformed intervals cannot."""
        return TRUNCATED if self.method == "symmetric" and self.ci_low == 0.0 else None

