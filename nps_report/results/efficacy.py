"""Tumour response (BOR, ORR, DCR, duration of response, agreement with the investigator's
response) and survival (PFS, OS, follow-up)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named, reported
from .measures import Distribution, Proportion, SurvivalSummary


@dataclass(frozen=True)
class BorPair:
    """A patient whose best overall response differs between the two assessments."""

    __key__ = "patient_id"

    patient_id: str
    derived: str
    investigator: str


@dataclass(frozen=True)
class Concordance:
    """Best overall response derived from the measurements against the investigator's, over
    the patients who have both (non-CR/non-PD counted as SD); results.json
    efficacy.concordance."""

    n_agree: int = field(metadata=reported("Patients whose derived and investigator-assessed "
                                           "best overall responses agree", "n_pct", of="n"))
    n: int = field(metadata=reported("Patients with both a derived and an "
                                     "investigator-assessed best overall response", "count"))
    # Cohen's kappa over the BOR categories; None when it is undefined (one category only)
    kappa: float | None = field(metadata=named("Cohen's kappa, derived vs investigator BOR"))
    patients: tuple[BorPair, ...] = field(metadata=named(
        "Patients whose derived and investigator-assessed responses differ"))
    # derived BOR -> investigator BOR -> patients, over BOR_ORDER
    table: dict[str, dict[str, int]] = field(default_factory=dict, metadata=named(
        "Derived vs investigator-assessed best overall response"))
    reported: str = field(default="derived", metadata=named("Response reported"))

    __json_properties__ = ("agreement", "n_differ")

    @property
    def agreement(self) -> float | None:
        return self.n_agree / self.n if self.n else None

    @property
    def n_differ(self) -> int:
        return self.n - self.n_agree


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
    # With measurements and the investigator's response both: how their BORs agree
    concordance: Concordance | None = field(default=None, metadata={"omit_none": True})

    # The contract's name for the responders' KM summary (v3), written after the fields
    __json_properties__ = ("duration_of_response",)

    @property
    def duration_of_response(self) -> dict[str, int | float | str | None] | None:
        """efficacy.duration_of_response.{n_events, n_censored, median, ci_low, ci_high}:
        `dor`'s numbers under the contract's name (None without a responder)."""
        d = self.dor
        if d is None:
            return None
        return {"n": d.n, "n_events": d.n_events, "n_censored": d.n_censored,
                "median": d.median, "ci_low": d.ci_low, "ci_high": d.ci_high,
                "method": d.method, "level": d.level}


@dataclass(frozen=True)
class Survival:
    pfs: SurvivalSummary = field(metadata=reported("Progression-free survival"))
    os: SurvivalSummary = field(metadata=reported("Overall survival"))
    followup_median: float | None = field(metadata=reported("Median follow-up, months", "months"))
    followup_ci_low: float | None
    followup_ci_high: float | None

