"""Treatment exposure: cycles, duration, starting doses and modifications for toxicity."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named, reported
from .measures import Distribution, LevelCount


@dataclass(frozen=True)
class Exposure:
    N: int
    cycles: Distribution = field(metadata=reported("Treatment cycles"))
    cycles_threshold: int = field(metadata=named("Cycle threshold"))
    n_at_least_threshold: int = field(metadata=reported(
        "Patients receiving ≥{cycles_threshold} cycles", "n_pct", of="N"))
    pct_at_least_threshold: float | None
    n_ongoing: int = field(metadata=reported("Patients still on treatment at data cutoff",
                                             "count"))
    treatment_months: Distribution = field(metadata=reported("Duration of treatment, months",
                                                             decimals=1))
    dose_levels: tuple[LevelCount, ...] = field(default=(), metadata=reported(
        "Starting dose", unit="dose_unit"))
    dose_unit: str = field(default="", metadata=named("Dose unit"))
    schedule: str | None = field(default=None, metadata=named("Dose and schedule"))
    cycle_days: int | None = field(default=None, metadata=named("Cycle length, days"))
    # Patients whose dose was reduced, whose treatment was interrupted or stopped because
    # of toxicity (None: study.yaml names no such column)
    n_dose_reduced: int | None = field(default=None, metadata=reported(
        "Patients with a dose reduction for toxicity", "n_pct", of="N"))
    n_interrupted: int | None = field(default=None, metadata=reported(
        "Patients with a treatment interruption for toxicity", "n_pct", of="N"))
    n_discontinued: int | None = field(default=None, metadata=reported(
        "Patients who discontinued treatment for toxicity", "n_pct", of="N"))

    @property
    def modifications_recorded(self) -> bool:
        return any(n is not None for n in (self.n_dose_reduced, self.n_interrupted,
                                           self.n_discontinued))

