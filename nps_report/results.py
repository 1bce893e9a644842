"""The Results model: one frozen object that every number in every output comes from.

Plain Python values only (no pandas, numpy or lifelines objects), so templates,
figures and renderers can read it without the analysis stack. Field names are the
results.json keys of the study contract (section 3): `to_dict()` writes the file and
`Results.from_dict()` reads it back through the same codec (codec.py), and dotted
keys address any value: `Results.get("efficacy.orr.estimate")`.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, fields
from itertools import compress
from typing import Any, NamedTuple

from .codec import decode, encode
from .errors import Notice


def named(name: str) -> dict[str, Any]:
    """Field metadata naming a printed value that is not a reported number (a method, a
    study fact), for the labels of the living manuscript (present/labels.py)."""
    return {"name": name}


def reported(label: str, how: str = "", **more: Any) -> dict[str, Any]:
    """Field metadata of a quantity the manuscript reports: what a reader calls it and how
    it prints ('count', 'n_pct' (of the sibling field `of`), 'months', 'grade'; by its
    type otherwise). present/reported.py walks the model with it, so the change report
    lists every reported number without a list of its own. `label` may name sibling
    fields in braces: 'Patients receiving ≥{cycles_threshold} cycles'."""
    return {"label": label, "how": how, **more}


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
class BaselineVariable:
    """One row group of Table 1; `levels` empty for continuous variables."""

    __key__ = "label"

    label: str
    type: str  # continuous | categorical | multi
    N: int
    summary: Distribution | None = None
    levels: tuple[LevelCount, ...] = ()
    n_missing: int = 0
    # study.yaml's definition of the row, a lettered footnote under Table 1
    note: str | None = field(default=None, metadata=named("Footnote"))


@dataclass(frozen=True)
class Landmark:
    __key__ = "months"

    months: float
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_at_risk: int | None


def landmark_key(months: float) -> str:
    """The results.json key of a landmark: '6', '12', '1.5'."""
    return str(int(months)) if float(months).is_integer() else f"{months:g}"


def item_key(item: Any, index: int) -> str:
    """How an item of a tuple is named in a key: its `__key__` field (a term, a label, a
    landmark's months), a number by its value (landmark times), a (name, version) pair by
    its name; anything else by its position."""
    attr = getattr(type(item), "__key__", None)
    if attr is not None:
        item = getattr(item, attr)
    elif isinstance(item, tuple) and item and not hasattr(item, "_fields"):
        item = item[0]
    elif not isinstance(item, int | float) or isinstance(item, bool):
        return str(index)
    return landmark_key(item) if isinstance(item, float) else str(item)


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


@dataclass(frozen=True)
class AERow:
    __key__ = "term"

    term: str
    any: int
    grade1: int
    grade2: int
    grade3: int
    grade4: int
    grade5: int
    pct_any: float

    __json_properties__ = ("grade3plus",)

    @property
    def grade3plus(self) -> int:
        return self.grade3 + self.grade4 + self.grade5


@dataclass(frozen=True)
class SeverityRow:
    """A term's patients by highest severity, where study.yaml has safety.grading: severity
    (results.json keys mild, moderate, severe). The grade-named properties let the wording
    shared with CTCAE rows count it (grade 1-3 = mild-severe, never printed as grades)."""

    __key__ = "term"

    term: str
    any: int
    mild: int
    moderate: int
    severe: int
    pct_any: float

    @property
    def grade1(self) -> int:
        return self.mild

    @property
    def grade2(self) -> int:
        return self.moderate

    @property
    def grade3(self) -> int:
        return self.severe

    @property
    def grade4(self) -> int:
        return 0

    @property
    def grade5(self) -> int:
        return 0

    @property
    def grade3plus(self) -> int:
        return self.severe


AERows = tuple[AERow | SeverityRow, ...]


class _GradeTally:
    """What every tally of adverse events by highest grade can say (Safety, RelatedSafety)."""

    all_terms: AERows

    @property
    def grade_present(self) -> dict[int, bool]:
        return {g: any(getattr(r, f"grade{g}") for r in self.all_terms) for g in range(1, 6)}


@dataclass(frozen=True)
class RelatedSafety(_GradeTally):
    """Treatment-related adverse events: the events whose attribution column says related,
    tallied as the all-cause ones are (each patient once per term, at the highest grade)."""

    N: int
    n_any: int = field(metadata=reported("Patients with any treatment-related adverse event",
                                         "n_pct", of="N"))
    n_grade3plus: int = field(metadata=reported(
        "Patients with grade ≥3 treatment-related adverse events", "n_pct", of="N"))
    max_grade: int | None = field(metadata=reported(
        "Highest treatment-related adverse-event grade", "grade"))
    min_incidence_pct: float = field(metadata=named("Adverse-event table threshold, %"))
    adverse_events: AERows = field(metadata=named(
        "Treatment-related adverse events in the table"))
    all_terms: AERows = field(metadata=reported(
        "Treatment-related adverse events", qualifier="Treatment-related"))
    column: str = field(metadata=named("Attribution column"))
    # the values of the column that counted as related, as study.yaml spells them
    related_values: tuple[str, ...] = field(metadata=named(
        "Attribution values counted as treatment-related"))
    # event rows without an attribution, and how they were counted (related | unrelated)
    n_unattributed: int = field(default=0, metadata=reported(
        "Adverse events without a recorded attribution", "count"))
    unattributed_as: str = field(default="refuse", metadata=named(
        "Events without attribution counted as"))


@dataclass(frozen=True)
class AEExclusions:
    """Adverse-event rows that are not treatment-emergent and were left out (onset before
    treatment_start; more than safety.window_after_last_dose_days after treatment_end),
    and those counted without an onset date (results.json safety.excluded)."""

    before_treatment: int = field(default=0, metadata=reported(
        "Adverse events with onset before treatment (not counted)", "count"))
    after_window: int = field(default=0, metadata=reported(
        "Adverse events with onset after the window after the last dose (not counted)",
        "count"))
    without_onset: int = field(default=0, metadata=reported(
        "Adverse events counted without an onset date", "count"))
    # An ADaM source: events its flag (TRTEMFL) does not mark, whatever their dates
    not_flagged: int | None = field(default=None, metadata=reported(
        "Adverse events not flagged treatment-emergent by the source (not counted)", "count",
        omit_none=True))

    @property
    def left_out(self) -> int:
        return self.before_treatment + self.after_window + (self.not_flagged or 0)


@dataclass(frozen=True)
class Safety(_GradeTally):
    N: int
    n_any: int = field(metadata=reported("Patients with any adverse event", "n_pct", of="N"))
    n_grade3plus: int = field(metadata=reported("Patients with grade ≥3 adverse events",
                                                "n_pct", of="N"))
    max_grade: int | None = field(metadata=reported("Highest adverse-event grade", "grade"))
    min_incidence_pct: float = field(metadata=named("Adverse-event table threshold, %"))
    # terms above min_incidence_pct, most frequent first
    adverse_events: AERows = field(metadata=named("Adverse events in the table"))
    all_terms: AERows = field(metadata=reported("Adverse events"))
    # What the events are: all-cause, treatment-related (the file holds only those), or
    # None (study.yaml does not say)
    attribution: str | None = field(default=None, metadata=named("Adverse events counted"))
    related: RelatedSafety | None = field(default=None, metadata=named(
        "Treatment-related adverse events"))
    # not treatment-emergent (left out), and counted without an onset date
    excluded: AEExclusions = field(default_factory=AEExclusions)


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


@dataclass(frozen=True)
class Survival:
    pfs: SurvivalSummary = field(metadata=reported("Progression-free survival"))
    os: SurvivalSummary = field(metadata=reported("Overall survival"))
    followup_median: float | None = field(metadata=reported("Median follow-up, months", "months"))
    followup_ci_low: float | None
    followup_ci_high: float | None


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
class Timepoints:
    """Every scan's response, for tables/patient_timepoints.csv, as compact columns: numbers
    as array('d') (NaN = blank; assessment_date in days since 1970-01-01), texts as indexes
    (array('i'), -1 = blank) into their labels. 400,000 scans cost milliseconds to store
    and reload, where tuples of Python values cost seconds; outputs.py derives the changes
    from baseline and nadir and formats the file."""

    __untracked__ = True

    numbers: tuple[tuple[str, array], ...] = ()  # (column, values)
    texts: tuple[tuple[str, tuple[str, ...], array], ...] = ()  # (column, labels, codes)

    def __len__(self) -> int:
        found = self.numbers or self.texts
        return len(found[0][-1]) if found else 0

    def column(self, name: str) -> list[Any]:
        """One stored column as plain values (None = blank)."""
        for found, values in self.numbers:
            if found == name:
                return [None if v != v else v for v in values]
        for found, labels, codes in self.texts:
            if found == name:
                return [None if c < 0 else labels[c] for c in codes]
        raise KeyError(name)


@dataclass(frozen=True)
class Counted:
    """The patients behind each count, as found where the patient-level data are
    (analysis/counted.py): a quantity's Results path ('efficacy.orr', 'safety.all_terms[
    Hypertension].grade3', 'survival.pfs.events') -> which rows of PatientColumns (and of
    tables/patient_endpoints.csv) it counts. Each set is a bit per patient, packed eight
    to a byte (first patient in the highest bit): 12.5 kB a set at 100,000 patients,
    where a tuple of row numbers would cost megabytes. The live preview and
    provenance.json read it; no template or renderer works a set out for itself."""

    __untracked__ = True  # per-patient: templates never print from it

    sets: dict[str, bytes] = field(default_factory=dict)
    n: int = 0  # patients

    def rows(self, key: str) -> tuple[int, ...] | None:
        """The 0-based rows of the set named `key` (None if there is none)."""
        flags = self.flags(key)
        return None if flags is None else tuple(compress(range(self.n), flags))

    def flags(self, key: str) -> bytes | None:
        """One byte per patient, 1 for those in the set (for itertools.compress)."""
        packed = self.sets.get(key)
        if packed is None:
            return None
        return bin(int.from_bytes(b"\x01" + packed, "big"))[3:3 + self.n].encode().translate(
            _BITS)


_BITS = bytes.maketrans(b"01", b"\x00\x01")


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
    # RECIST 1.1 from each lesion (tumor_lesions) rather than from sums
    lesion_level: bool = field(default=False, metadata=named("RECIST from lesion measurements"))
    response_source: str = field(default="derived", metadata=named("Response reported"))
    # treatment-emergent adverse events: onset up to this many days after the last dose
    ae_window_days: int | None = field(default=None, metadata=named(
        "Days after the last dose an adverse event is treatment-emergent"))
    ae_grading: str = field(default="ctcae", metadata=named("Adverse-event grading scale"))
    # With `source:` in study.yaml only (a study of the tables has no such key)
    data_source: DataSource | None = field(default=None, metadata={"omit_none": True})


@dataclass(frozen=True)
class DataSource:
    """The sponsor's CDISC ADaM data sets the numbers were taken from (`source:` in
    study.yaml), as the Methods state them; a study of the contract's tables has none."""

    datasets: tuple[tuple[str, str], ...]  # (ADSL, adam/adsl.xpt), in the order read
    population_flag: str  # SAFFL
    arm_variable: str | None  # TRT01A
    arms: tuple[str, ...]  # the arms analysed
    arms_pooled: bool  # no arm named: every arm of the population
    response: str  # "given" (ADRS BOR as recorded), "timepoints" (ADRS OVR), "lesions"
    response_parameter: str | None  # BOR, OVR
    pfs_parameter: str
    os_parameter: str
    dor_parameter: str | None
    time_units: tuple[str, ...]  # AVALU (or unit:) as found: days, weeks, months, years
    ae_flag: str  # TRTEMFL
    ae_grade: str  # ATOXGR, ASEV
    ae_term: str  # AEDECOD


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


# --- Prognostic factors (study.yaml `prognostic`; study contract, section 3) ---------------
# Row types carry exactly the contract's keys; `None` means "not estimable" or "not
# computed", the reason being in the model's warnings and in Results.notices.

PROGNOSTIC_ENDPOINTS = ("pfs", "os")


def factor_level(factor: str, level: str | None) -> str:
    """A row's identity in a Results key: 'ecog=2' for a level, 'age' for a continuous factor
    (prognostic.os.univariable[ecog=2], response_by_factor[met_liver=yes])."""
    return factor if level is None else f"{factor}={level}"


@dataclass(frozen=True)
class UnivariableRow:
    """One non-reference level of a factor (or the per-unit HR of a continuous factor)."""

    __key__ = "name"

    factor: str
    level: str | None
    reference: str | None
    n: int  # patients of this level (continuous: all patients with a value)
    n_events: int
    hr: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None  # Wald

    @property
    def name(self) -> str:
        return factor_level(self.factor, self.level)


@dataclass(frozen=True)
class MultivariableRow:
    __key__ = "name"

    factor: str
    level: str | None
    reference: str | None
    hr: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None

    @property
    def name(self) -> str:
        return factor_level(self.factor, self.level)


@dataclass(frozen=True)
class LogRankRow:
    __key__ = "factor"

    factor: str
    chisq: float | None
    df: int
    p: float | None


@dataclass(frozen=True)
class ResponseRow:
    __key__ = "name"

    factor: str
    level: str
    n: int
    responders: int
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None  # two-sided Fisher exact test of the factor, repeated on each level

    @property
    def name(self) -> str:
        return factor_level(self.factor, self.level)


@dataclass(frozen=True)
class TermTest:
    """A chi-square test of one model term (a factor, all its levels together) or GLOBAL."""

    __key__ = "term"

    term: str
    chisq: float | None
    df: int
    p: float | None


@dataclass(frozen=True)
class NotEstimable:
    __key__ = "name"

    factor: str
    level: str | None
    reason: str  # e.g. "no events in level 'yes'"

    @property
    def name(self) -> str:
        return factor_level(self.factor, self.level)


@dataclass(frozen=True)
class CoxModel:
    """How one Cox model went: who was in it, and what limits what it can say."""

    __key__ = "name"

    kind: str  # univariable | multivariable
    factors: tuple[str, ...]
    n: int
    n_events: int
    n_excluded: int  # patients left out for a missing factor value
    n_parameters: int  # coefficients in the model (levels - 1, or 1 per continuous factor)
    events_per_parameter: float | None
    wald: tuple[TermTest, ...]  # Wald test of each factor (all its levels together)
    ph: tuple[TermTest, ...]  # Grambsch-Therneau test per factor and GLOBAL; () = not assessed
    not_estimable: tuple[NotEstimable, ...]
    warnings: tuple[str, ...]  # codes: low_epv, not_estimable, ph_doubtful, ph_not_assessed

    @property
    def name(self) -> str:
        """'univariable ecog', 'multivariable ecog + met_liver' (its identity in a key)."""
        return f"{self.kind} {' + '.join(self.factors)}"


@dataclass(frozen=True)
class LevelSurvival:
    """Kaplan-Meier summary of the patients of one level (curve as in Curve)."""

    __key__ = "level"

    level: str
    n: int
    n_events: int
    median: float | None
    ci_low: float | None
    ci_high: float | None
    time: tuple[float, ...]  # event times; the curve drops to surv[i] at time[i]
    surv: tuple[float, ...]
    censor_time: tuple[float, ...]
    censor_surv: tuple[float, ...]
    at_risk: tuple[int, ...]  # patients at risk at each of FactorSurvival.ticks
    max_time: float


@dataclass(frozen=True)
class FactorSurvival:
    __key__ = "factor"

    factor: str
    ticks: tuple[float, ...]  # months, shared by the levels' at-risk rows
    levels: tuple[LevelSurvival, ...]

    def level(self, label: str) -> LevelSurvival:
        return next(lv for lv in self.levels if lv.level == label)


@dataclass(frozen=True)
class EndpointPrognostic:
    """prognostic.<endpoint> in results.json (univariable, logrank and multivariable are
    the contract's)."""

    endpoint: str
    univariable: tuple[UnivariableRow, ...] = field(metadata=named("Univariable Cox model"))
    logrank: tuple[LogRankRow, ...] = field(metadata=named("Log-rank test"))
    multivariable: tuple[MultivariableRow, ...] = field(metadata=named(
        "Multivariable Cox model"))
    models: tuple[CoxModel, ...] = field(metadata=named("Cox model"))  # univariable in
    # factor order, then the multivariable one
    curves: tuple[FactorSurvival, ...] = field(metadata=named("Kaplan-Meier curves by factor"))

    def model(self, kind: str, factor: str | None = None) -> CoxModel | None:
        """The univariable model of `factor`, or (kind 'multivariable') the multivariable one."""
        return next((m for m in self.models if m.kind == kind
                     and (factor is None or m.factors == (factor,))), None)

    def curve(self, factor: str) -> FactorSurvival | None:
        return next((c for c in self.curves if c.factor == factor), None)


@dataclass(frozen=True)
class FactorInfo:
    __key__ = "column"

    column: str
    label: str
    kind: str  # categorical | binary | continuous
    levels: tuple[str, ...]  # reference first; () for continuous
    group: str | None  # the multi row a yes/no column belongs to ("Metastatic sites")
    n_missing: int

    @property
    def reference(self) -> str | None:
        return self.levels[0] if self.levels else None


@dataclass(frozen=True)
class PrognosticMethods:
    """What the Methods section states; thresholds are data so the text cannot drift."""

    level: float
    proportion_ci: str
    km_ci: str
    ties: str = "efron"
    hr_ci: str = "wald"
    ph_test: str = "grambsch-therneau"
    ph_transform: str = "km"
    ph_alpha: float = field(default=0.05, metadata=named("Proportional-hazards test threshold"))
    min_events_per_parameter: float = field(default=10.0, metadata=named(
        "Minimum events per coefficient"))
    fisher: str = "two-sided"


@dataclass(frozen=True)
class Prognostic:
    """results.json's `prognostic`: pfs and os as the contract has them (None when the
    endpoint was not analysed), the factors and how they were analysed."""

    factors: tuple[FactorInfo, ...] = field(metadata=named("Prognostic factor"))
    multivariable: tuple[str, ...] = field(metadata=named("Multivariable model factors"))
    pfs: EndpointPrognostic | None = field(metadata=named("PFS"))
    os: EndpointPrognostic | None = field(metadata=named("OS"))
    methods: PrognosticMethods

    def endpoint(self, name: str) -> EndpointPrognostic | None:
        if name not in PROGNOSTIC_ENDPOINTS:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def endpoints(self) -> tuple[EndpointPrognostic, ...]:
        return tuple(e for e in (self.pfs, self.os) if e is not None)

    def factor(self, column: str) -> FactorInfo:
        return next(f for f in self.factors if f.column == column)


@dataclass(frozen=True)
class Results:
    # `section`: where a reader finds the field's numbers (the change report's grouping)
    study: StudyInfo = field(metadata={"section": "Study"})
    methods: Methods = field(metadata={"section": "Methods"})
    baseline: tuple[BaselineVariable, ...] = field(metadata=reported("Baseline",
                                                                     section="Baseline"))
    exposure: Exposure = field(metadata={"section": "Treatment exposure"})
    efficacy: Efficacy = field(metadata={"section": "Efficacy"})
    survival: Survival = field(metadata={"section": "Survival"})
    safety: Safety = field(metadata={"section": "Safety"})
    provenance: Provenance = field(metadata={"section": "Provenance"})
    notices: tuple[Notice, ...] = ()
    # With `prognostic` in study.yaml only; a study without it has neither key
    prognostic: Prognostic | None = field(default=None, metadata=reported(
        "Prognostic factors", section="Prognostic factors", omit_none=True))
    response_by_factor: tuple[ResponseRow, ...] | None = field(default=None, metadata=reported(
        "Objective response by factor", section="Prognostic factors", omit_none=True))
    # Per-patient values behind the figures: tables/patient_endpoints.csv, not results.json
    patients: PatientColumns = field(default_factory=PatientColumns.empty, repr=False,
                                     compare=False, metadata={"json": False})
    # Each scan's response: tables/patient_timepoints.csv, not results.json
    timepoints: Timepoints = field(default_factory=Timepoints, repr=False, compare=False,
                                   metadata={"json": False})
    # Which of those patients each count counts: provenance.json and the preview, not
    # results.json (its contract keys stay as they are)
    counted: Counted = field(default_factory=Counted, repr=False, compare=False,
                             metadata={"json": False})

    __json_properties__ = ("n_patients",)

    @property
    def n_patients(self) -> int:
        return self.study.n_patients

    def to_dict(self) -> dict[str, Any]:
        """results.json: every field of the model, unformatted, under its own name."""
        return encode(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any],
                  patients: PatientColumns | None = None) -> Results:
        """The Results a results.json was written from (CodecError if it has another shape);
        per-patient columns, which results.json does not hold, may be passed in."""
        results = decode(cls, data)
        if patients is not None:
            object.__setattr__(results, "patients", patients)
        return results

    def get(self, dotted: str) -> Any:
        """Value at a dotted results.json key, e.g. 'survival.pfs.median'."""
        node: Any = self.to_dict()
        for part in dotted.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node
