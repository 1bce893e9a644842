"""What the study is and how it was analysed: facts, methods, provenance, per-patient columns."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .fields import named, reported


@dataclass(frozen=True)
class PatientColumns:
    """Per-patient values for figures, as parallel tuples in patients.csv order."""

    __untracked__ = True  # 100,000 patients: templates count and select, never print each

    patient_id: tuple[str, ...]
    bor: tuple[str, ...]
    best_pct_change: tuple[float | None, ...]
    has_post_baseline_scan: tuple[bool, ...]
    treatment_months: tuple[float, ...]
    on_treatment: tuple[bool, ...]
    first_response_months: tuple[float | None, ...]
    progression_months: tuple[float | None, ...]
    death_months: tuple[float | None, ...]
    followup_months: tuple[float, ...]  # OS time: to death or last follow-up
    pfs_months: tuple[float, ...] = ()
    pfs_event: tuple[bool, ...] = ()
    os_event: tuple[bool, ...] = ()
    # target lesions at the baseline scan: True; none (non-measurable disease, no waterfall
    # bar although scanned): False; no baseline scan: None
    measurable: tuple[bool | None, ...] = ()

    @classmethod
    def empty(cls) -> PatientColumns:
        return cls((), (), (), (), (), (), (), (), (), ())

    def rows(self) -> list[dict[str, object]]:
        """One dict per patient (for the per-patient CSV and change reports)."""
        names = [f.name for f in fields(self)]
        return [dict(zip(names, values, strict=True))
                for values in zip(*(getattr(self, n) for n in names), strict=True)]


@dataclass(frozen=True)
class Methods:
    proportion_ci: str
    km_ci: str
    level: float = field(metadata=named("Confidence level"))
    recist_version: str = field(metadata=named("RECIST version"))
    confirm_response: bool
    sd_min_days: int = field(metadata=named("Minimum time for stable disease, days"))
    landmarks_months: tuple[float, ...] = field(metadata=named("Landmark times, months"))
    min_incidence_pct: float = field(metadata=named("Adverse-event table threshold, %"))
    followup_method: str
    software: tuple[tuple[str, str], ...] = field(metadata=named("Analysis software"))
    landmark_ci: str = "log-log"  # pointwise band behind landmark-rate CIs
    ctcae_version: str | None = field(default=None, metadata=named("CTCAE version"))


@dataclass(frozen=True)
class StudyInfo:
    title: str = field(metadata=named("Title"))
    short_title: str | None = field(metadata=named("Running title"))
    drug: str = field(metadata=named("Drug"))
    population: str = field(metadata=named("Population"))
    data_cutoff: str | None = field(metadata=named("Data cutoff"))  # ISO date
    n_patients: int = field(metadata=reported("Patients, n", "count"))
    # Centres (distinct values of study.yaml's centre_column; None without one)
    n_centres: int | None = field(default=None, metadata=reported("Centres, n", "count"))
    # The treatment period: the first and the last treatment_start (ISO dates)
    first_start: str | None = field(default=None, metadata=reported(
        "First start of treatment", "month"))
    last_start: str | None = field(default=None, metadata=reported(
        "Last start of treatment", "month"))
    staging: str | None = field(default=None, metadata=named("Staging system"))


@dataclass(frozen=True)
class Provenance:
    inputs: dict[str, str]  # file -> sha256
    config_hash: str
    generator_version: str
    built_at: str
    lock_id: str | None = None  # short hash of study.lock when the study is locked
    # Every library version that shaped an output of the build (graph.software)
    software: dict[str, str] = field(default_factory=dict)

