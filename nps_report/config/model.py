"""study.yaml as frozen dataclasses: each key declared once, with its kind and default.

The attribute names are the YAML keys and the nesting is the YAML's. To add a key,
add one field here (`name: type = key(KIND, default)`, or `section(Cls)` for a nested
mapping); reading it, the did-you-mean for misspellings and its error messages follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .baseline import BaselineItem, BaselineRows
from .kinds import (
    COUNT,
    FRACTION,
    POSITIVE_COUNT,
    Bool,
    Choice,
    Choices,
    Date,
    Number,
    Numbers,
    Text,
)
from .kinds import Texts as TextList
from .reader import key, optional_section, section
from .tables import MISSING_VALUES, ColumnMap

PROPORTION_METHODS = ("clopper-pearson", "wilson", "wald", "t")
KM_METHODS = ("log-log", "log", "plain", "symmetric")


@dataclass(frozen=True)
class CIConfig:
    level: float = key(FRACTION, 0.95)
    proportion: str = key(Choice(PROPORTION_METHODS), "clopper-pearson")
    km: str = key(Choice(KM_METHODS), "log-log")


@dataclass(frozen=True)
class RecistConfig:
    confirm_response: bool = key(Bool(), False)
    sd_min_days: int = key(COUNT, 42)
    confirm_min_days: int = key(COUNT, 28)


@dataclass(frozen=True)
class SafetyConfig:
    min_incidence_pct: float = key(Number(expected="a number >= 0"), 5.0)


PROGNOSTIC_ENDPOINTS = ("pfs", "os")
FACTORS = TextList("a list of columns of baseline rows, e.g. [ecog, met_liver, age]",
                   single=True)


@dataclass(frozen=True)
class PrognosticConfig:
    """Cox models, log-rank tests and response by baseline factor; checked against
    `baseline` when study.yaml is read (config/prognostic.py)."""

    endpoints: tuple[str, ...] = key(Choices(PROGNOSTIC_ENDPOINTS), PROGNOSTIC_ENDPOINTS)
    factors: tuple[str, ...] = key(FACTORS, ())
    multivariable: tuple[str, ...] = key(FACTORS, ())


@dataclass(frozen=True)
class ExposureConfig:
    cycles_threshold: int = key(COUNT, 3)
    dose_column: str | None = key(Text("the name of a column of patients.csv"), None)
    dose_unit: str = key(Text(), "mg")


@dataclass(frozen=True)
class FigureConfig:
    swimmer_max_patients: int = key(POSITIVE_COUNT, 60)
    swimmer_show_ids: bool = key(Bool(), False)
    km_ci_band: bool = key(Bool(), True)


@dataclass(frozen=True)
class ManuscriptConfig:
    authors: tuple[str, ...] = key(TextList(), ())
    affiliations: tuple[str, ...] = key(TextList(), ())
    keywords: tuple[str, ...] = key(TextList(), ())
    line_numbers: bool = key(Bool(), False)


@dataclass(frozen=True)
class ValidationConfig:
    progression_must_match_assessments: bool = key(Bool(), True)


@dataclass(frozen=True)
class StudyConfig:
    """Everything study.yaml says, validated and frozen; passed down explicitly."""

    title: str = key(Text("text, e.g. the manuscript title"))
    drug: str = key(Text("text, e.g. anlotinib"))
    population: str = key(Text("text, e.g. patients with ..."))
    data_cutoff: dt.date | None = key(Date(day_of_time=True), None)
    short_title: str | None = key(Text(), None)
    ci: CIConfig = section(CIConfig)
    recist: RecistConfig = section(RecistConfig)
    landmarks_months: tuple[float, ...] = key(Numbers(), (6.0, 12.0))
    safety: SafetyConfig = section(SafetyConfig)
    baseline: tuple[BaselineItem, ...] = key(BaselineRows(), ())
    prognostic: PrognosticConfig | None = optional_section(PrognosticConfig)
    exposure: ExposureConfig = section(ExposureConfig)
    figures: FigureConfig = section(FigureConfig)
    manuscript: ManuscriptConfig = section(ManuscriptConfig)
    validation: ValidationConfig = section(ValidationConfig)
    missing_values: tuple[str, ...] = key(MISSING_VALUES, ())
    columns: ColumnMap = section(ColumnMap)

    @property
    def min_incidence_pct(self) -> float:
        """safety.min_incidence_pct (kept for code written before `safety` was nested)."""
        return self.safety.min_incidence_pct

    @property
    def progression_must_match_assessments(self) -> bool:
        """validation.progression_must_match_assessments (as min_incidence_pct)."""
        return self.validation.progression_must_match_assessments

    @property
    def baseline_columns(self) -> tuple[str, ...]:
        cols: list[str] = []
        for item in self.baseline:
            if item.column:
                cols.append(item.column)
            cols.extend(c for c, _ in item.columns)
        if self.exposure.dose_column:
            cols.append(self.exposure.dose_column)
        return tuple(dict.fromkeys(cols))
