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

