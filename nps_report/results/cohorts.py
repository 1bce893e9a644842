"""Cohorts (study.yaml `by:`): which Table 1 row splits the study, its levels, and the
Kaplan-Meier curves of each level at shared ticks (for the figure's at-risk rows). Each
cohort's own numbers are a whole Results under results.json `cohorts.<level>`."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import named
from .prognostic import FactorSurvival


@dataclass(frozen=True)
class CohortSplit:
    column: str  # the `by:` column
    label: str = field(metadata=named("Cohorts by"))  # its Table 1 row's label
    # the row's level labels with patients, in Table 1's order
    levels: tuple[str, ...] = field(metadata=named("Cohort"))
    pfs: FactorSurvival
    os: FactorSurvival

    def curves(self, endpoint: str) -> FactorSurvival:
        return self.pfs if endpoint == "pfs" else self.os
