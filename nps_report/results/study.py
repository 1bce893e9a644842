"""What the study is and how it was analysed: facts, methods, provenance, and the per-patient
columns and sets behind the figures and counts."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, fields
from itertools import compress
from typing import Any

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

