"""Adverse events by highest grade: all of them, and the treatment-related ones."""

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


class _GradeTally:
    """What every tally of adverse events by highest grade can say (Safety, RelatedSafety)."""

    all_terms: tuple[AERow, ...]

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
    adverse_events: tuple[AERow, ...] = field(metadata=named(
        "Treatment-related adverse events in the table"))
    all_terms: tuple[AERow, ...] = field(metadata=reported(
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
class Safety(_GradeTally):
    N: int
    n_any: int = field(metadata=reported("Patients with any adverse event", "n_pct", of="N"))
    n_grade3plus: int = field(metadata=reported("Patients with grade ≥3 adverse events",
                                                "n_pct", of="N"))
    max_grade: int | None = field(metadata=reported("Highest adverse-event grade", "grade"))
    min_incidence_pct: float = field(metadata=named("Adverse-event table threshold, %"))
    # terms above min_incidence_pct, most frequent first
    adverse_events: tuple[AERow, ...] = field(metadata=named("Adverse events in the table"))
    all_terms: tuple[AERow, ...] = field(metadata=reported("Adverse events"))
    # What the events are: all-cause, treatment-related (the file holds only those), or
    # None (study.yaml does not say)
    attribution: str | None = field(default=None, metadata=named("Adverse events counted"))
    related: RelatedSafety | None = field(default=None, metadata=named(
        "Treatment-related adverse events"))

