"""Endpoints a source gives already derived (a sponsor's ADaM data sets), used as given.

Times, censoring and best overall response come from the sponsor's own derivation, so
that every number ties out to their tables; derive/given.py puts them in place of what
derive/endpoints.py would compute from dates. `lineage` says, for each reported number,
which data set and variables it comes from (`nps-report validate` prints it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..results import DataSource

# the per-patient columns a source may give (derive/endpoints.py's names)
GIVEN_COLUMNS = ("bor", "has_post_baseline_scan", "pfs_months", "pfs_event", "os_months",
                 "os_event", "dor_months", "dor_event", "first_response_months",
                 "treatment_months", "on_treatment")


@dataclass(frozen=True)
class Lineage:
    """Where one reported quantity comes from."""

    quantity: str  # "Best overall response, ORR, DCR"
    file: str  # "adam/adrs.xpt"
    variables: tuple[str, ...]  # ("PARAMCD", "AVALC")
    rule: str  # "PARAMCD = BOR; NON-CR/NON-PD counted as SD"

    def __str__(self) -> str:
        rule = f"  [{self.rule}]" if self.rule else ""
        return f"{self.quantity}: {self.file} {', '.join(self.variables)}{rule}"


@dataclass(frozen=True)
class Given:
    """Per patient (Study.patients order): patient_id and any of GIVEN_COLUMNS."""

    values: pd.DataFrame
    source: DataSource
    lineage: tuple[Lineage, ...]
    dor_file: str | None = None  # where duration of response comes from, for messages
    dor_parameter: str | None = None
