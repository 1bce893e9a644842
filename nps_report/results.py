"""The Results model: one frozen object that every number in every output comes from.

Plain Python values only (no pandas, numpy or lifelines objects), so templates,
figures and renderers can read it without the analysis stack. `to_dict()` gives
the results.json layout of the study contract (section 3), addressed by dotted
keys with `Results.get("efficacy.orr.estimate")`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

from .errors import Notice


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
    label: str
    n: int
    pct: float | None  # fraction of the variable's denominator


@dataclass(frozen=True)
class BaselineVariable:
    """One row group of Table 1; `levels` empty for continuous variables."""

    label: str
    type: str  # continuous | categorical | multi
    N: int
    summary: Distribution | None = None
    levels: tuple[LevelCount, ...] = ()
    n_missing: int = 0


@dataclass(frozen=True)
class Landmark:
    months: float
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_at_risk: int | None


@dataclass(frozen=True)
class Curve:
    """KM step function: S drops to surv[i] at time[i]; censor marks at censor_time."""

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
    landmarks: tuple[Landmark, ...]
    at_risk: tuple[tuple[float, int], ...]  # (tick in months, patients at risk)
    curve: Curve
    max_time: float

    def landmark(self, months: float) -> Landmark | None:
        return next((lm for lm in self.landmarks if lm.months == months), None)


@dataclass(frozen=True)
class AERow:
    term: str
    any: int
    grade1: int
    grade2: int
    grade3: int
    grade4: int
    grade5: int
    pct_any: float

    @property
    def grade3plus(self) -> int:
        return self.grade3 + self.grade4 + self.grade5


@dataclass(frozen=True)
class Safety:
    N: int
    n_any: int  # patients with at least one AE
    n_grade3plus: int
    max_grade: int | None
    threshold_pct: float
    rows: tuple[AERow, ...]  # terms above the threshold, most frequent first
    all_rows: tuple[AERow, ...]

    @property
    def grade_present(self) -> dict[int, bool]:
        return {g: any(getattr(r, f"grade{g}") for r in self.all_rows) for g in range(1, 6)}


@dataclass(frozen=True)
class Exposure:
    N: int
    cycles: Distribution
    cycles_threshold: int
    n_at_least_threshold: int
    pct_at_least_threshold: float | None
    n_ongoing: int
    treatment_months: Distribution
    dose_levels: tuple[LevelCount, ...] = ()
    dose_unit: str = ""


@dataclass(frozen=True)
class Efficacy:
    N: int
    bor_counts: dict[str, int]
    orr: Proportion
    dcr: Proportion
    n_measurable: int
    n_no_post_baseline_scan: int
    time_to_response: Distribution | None
    dor: SurvivalSummary | None
    n_non_measurable: int = 0  # baseline scan without target lesions (no waterfall bar)


@dataclass(frozen=True)
class Survival:
    pfs: SurvivalSummary
    os: SurvivalSummary
    followup_median: float | None
    followup_ci_low: float | None
    followup_ci_high: float | None


@dataclass(frozen=True)
class PatientColumns:
    """Per-patient values for figures, as parallel tuples in patients.csv order."""

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

    def rows(self) -> list[dict[str, object]]:
        """One dict per patient (for the per-patient CSV and change reports)."""
        names = [f.name for f in fields(self)]
        return [dict(zip(names, values, strict=True))
                for values in zip(*(getattr(self, n) for n in names), strict=True)]


@dataclass(frozen=True)
class Methods:
    proportion_ci: str
    km_ci: str
    level: float
    recist_version: str
    confirm_response: bool
    sd_min_days: int
    landmarks_months: tuple[float, ...]
    min_incidence_pct: float
    followup_method: str
    software: tuple[tuple[str, str], ...]
    landmark_ci: str = "log-log"  # pointwise band behind landmark-rate CIs


@dataclass(frozen=True)
class StudyInfo:
    title: str
    short_title: str | None
    drug: str
    population: str
    data_cutoff: str | None  # ISO date
    n_patients: int


@dataclass(frozen=True)
class Provenance:
    inputs: dict[str, str]  # file -> sha256
    config_hash: str
    generator_version: str
    built_at: str
    lock_id: str | None = None  # short hash of study.lock when the study is locked


@dataclass(frozen=True)
class Results:
    study: StudyInfo
    methods: Methods
    baseline: tuple[BaselineVariable, ...]
    exposure: Exposure
    efficacy: Efficacy
    survival: Survival
    safety: Safety
    provenance: Provenance
    patients: PatientColumns = field(repr=False, compare=False)
    notices: tuple[Notice, ...] = ()  # what the build did to the data that the user must hear

    @property
    def n_patients(self) -> int:
        return self.study.n_patients

    def to_dict(self) -> dict[str, Any]:
        """results.json: the contract's stable keys plus everything else, unformatted."""
        surv = self.survival
        return {
            "n_patients": self.n_patients,
            "study": asdict(self.study),
            "methods": _plain(self.methods),
            "baseline": [_plain(v) for v in self.baseline],
            "exposure": _plain(self.exposure),
            "efficacy": {
                "N": self.efficacy.N,
                "bor_counts": dict(self.efficacy.bor_counts),
                "orr": asdict(self.efficacy.orr),
                "dcr": asdict(self.efficacy.dcr),
                "n_measurable": self.efficacy.n_measurable,
                "n_no_post_baseline_scan": self.efficacy.n_no_post_baseline_scan,
                "n_non_measurable": self.efficacy.n_non_measurable,
                "time_to_response": _plain(self.efficacy.time_to_response),
                "dor": _survival_dict(self.efficacy.dor) if self.efficacy.dor else None,
            },
            "survival": {
                "pfs": _survival_dict(surv.pfs),
                "os": _survival_dict(surv.os),
                "followup_median": surv.followup_median,
                "followup_ci_low": surv.followup_ci_low,
                "followup_ci_high": surv.followup_ci_high,
            },
            "safety": {
                "N": self.safety.N,
                "n_any": self.safety.n_any,
                "n_grade3plus": self.safety.n_grade3plus,
                "max_grade": self.safety.max_grade,
                "min_incidence_pct": self.safety.threshold_pct,
                "adverse_events": [_ae_dict(r) for r in self.safety.rows],
                "all_terms": [_ae_dict(r) for r in self.safety.all_rows],
            },
            "provenance": asdict(self.provenance),
            "notices": [{"code": n.code, "message": n.message, "details": list(n.details)}
                        for n in self.notices],
        }

    def get(self, dotted: str) -> Any:
        """Value at a dotted results.json key, e.g. 'survival.pfs.median'."""
        node: Any = self.to_dict()
        for part in dotted.split("."):
            if isinstance(node, list):
                node = node[int(part)]
            else:
                node = node[part]
        return node


def landmark_key(months: float) -> str:
    return str(int(months)) if float(months).is_integer() else f"{months:g}"


def _survival_dict(s: SurvivalSummary) -> dict[str, Any]:
    return {
        "label": s.label,
        "n": s.n,
        "n_events": s.n_events,
        "n_censored": s.n_censored,
        "median": s.median,
        "ci_low": s.ci_low,
        "ci_high": s.ci_high,
        "method": s.method,
        "level": s.level,
        "landmarks": {landmark_key(lm.months): {"estimate": lm.estimate, "ci_low": lm.ci_low,
                                                "ci_high": lm.ci_high,
                                                "n_at_risk": lm.n_at_risk}
                      for lm in s.landmarks},
        "at_risk": [{"months": t, "n": n} for t, n in s.at_risk],
    }


def _ae_dict(r: AERow) -> dict[str, Any]:
    d = asdict(r)
    d["grade3plus"] = r.grade3plus
    return d


def _plain(obj: Any) -> Any:
    if obj is None:
        return None
    if is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, tuple | list):
        return [_plain(v) for v in obj]
    return obj
