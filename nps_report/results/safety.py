"""Adverse events by highest grade (or severity): all of them, the treatment-related ones,
and the rows left out as not treatment-emergent."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named, reported


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
    # (patient_id, kind) of each event counted above, kind a field name: a cohort's share
    # (analysis/cohorts.py); not in results.json
    events: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False,
                                                metadata={"json": False})

    def only(self, patient_ids: set[str]) -> AEExclusions:
        """The counts of the given patients' events alone (a cohort). A source's own flag
        (not_flagged) is not kept by patient: a cohort does not report it."""
        kept = tuple(e for e in self.events if e[0] in patient_ids)
        kinds = [k for _, k in kept]
        return AEExclusions(kinds.count("before_treatment"), kinds.count("after_window"),
                            kinds.count("without_onset"), None, kept)

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

