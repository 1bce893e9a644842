"""Patient flow (contract v3 `flow`): from screening to the analyses, for the CONSORT-style
diagram and its Results sentence."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named, reported

NOT_RECORDED = "Not recorded"  # a blank reason, counted as such


@dataclass(frozen=True)
class ReasonCount:
    """Patients who left the flow at one step for one reason."""

    __key__ = "reason"  # its identity in a key: flow.excluded[Declined]

    reason: str
    n: int


@dataclass(frozen=True)
class Flow:
    screened: int = field(metadata=reported("Patients screened", "count"))
    excluded: tuple[ReasonCount, ...]  # before the first dose, by reason
    treated: int = field(metadata=reported("Patients treated", "count"))
    # a post-baseline tumour assessment
    evaluable_response: int = field(metadata=reported("Patients evaluable for response",
                                                      "count"))
    # at least one dose: every treated patient
    evaluable_safety: int = field(metadata=reported("Patients evaluable for safety", "count"))
    on_treatment: int = field(metadata=reported("Patients on treatment at the data cutoff",
                                                "count"))
    discontinued: tuple[ReasonCount, ...]  # by patients.csv discontinuation_reason
    n_excluded: int = field(metadata=reported("Patients excluded before treatment", "count"))
    n_discontinued: int = field(metadata=reported("Patients who discontinued treatment",
                                                  "count"))
    # where the steps before the first dose come from: study.yaml or screening.csv
    source: str = field(default="study.yaml", metadata=named("Source of the screening counts"))
