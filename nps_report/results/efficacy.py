"""Tumour response (BOR, ORR, DCR, duration of response) and survival (PFS, OS, follow-up)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named, reported
from .measures import Distribution, Proportion, SurvivalSummary


@dataclass(frozen=True)
class Efficacy:
    N: int
    bor_counts: dict[str, int] = field(metadata=reported("Best overall response", "n_pct", of="N"))
    orr: Proportion = field(metadata=reported("Objective response rate"))
    dcr: Proportion = field(metadata=reported("Disease control rate"))
    n_measurable: int = field(metadata=named("Patients with a post-baseline measurement"))
    n_no_post_baseline_scan: int = field(metadata=reported(
        "Patients without a post-baseline assessment", "count"))
    time_to_response: Distribution | None = field(metadata=reported(
        "Time to response, months", decimals=1))
    dor: SurvivalSummary | None = field(metadata=reported("Duration of response"))
    n_non_measurable: int = 0  # baseline scan without target lesions (no waterfall bar)


@dataclass(frozen=True)
class Survival:
    pfs: SurvivalSummary = field(metadata=reported("Progression-free survival"))
    os: SurvivalSummary = field(metadata=reported("Overall survival"))
    followup_median: float | None = field(metadata=reported("Median follow-up, months", "months"))
    followup_ci_low: float | None
    followup_ci_high: float | None

