"""The four-patient small study with every optional fact a Methods section states: centres,
staging, schedule, Table 1 notes, dose modifications and AE attribution, written as users'
exports arrive (csv module, via studyfiles). Tests edit a copy of the rows or the YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest

from nps_report.build import build
from nps_report.data.study import Study
from nps_report.errors import StudyError
from nps_report.pipeline import compute, validate
from nps_report.results import Results

from .studyfiles import csv_bytes, rows_of, write_study

AT = "2025-01-01T00:00:00Z"

YAML = """\
title: Drug Y in advanced disease
drug: drug Y
population: patients with advanced disease
data_cutoff: 2021-12-31
landmarks_months: [6]
centre_column: site
staging: AJCC 8th edition
safety:
  ctcae_version: 5.0
  attribution_column: relatedness
exposure:
  schedule: 12 mg orally once daily on days 1–14
  cycle_days: 21
  reduction_column: dose_reduced
  interruption_column: interrupted
  discontinuation_column: stopped_for_toxicity
baseline:
  - {column: age, label: Age (years), type: continuous, note: At the first dose of drug Y}
  - {column: sex, label: Sex, type: categorical, levels: [Male, Female]}
  - {column: stage, label: Stage at diagnosis, type: categorical, levels: [III, IV],
     note: "Stage IVA and IVB are counted as IV"}
"""
# A1 and A2 at 'Site 1' (typed two ways), A3 and A4 at 'Site 2'
PATIENT_EXTRAS = {
    "site": ["Site 1", "site 1", "Site 2", "Site 2"],
    "stage": ["III", "IV", "IV", "III"],
    "dose_reduced": ["yes", "no", "No", "Yes"],
    "interrupted": ["no", "no", "yes", "yes"],
    "stopped_for_toxicity": ["no", "no", "no", "yes"],  # A2 is still on treatment
}
# All-cause: Fatigue in A1 (grade 2) and A4 (1), Hypertension A2 (3), Nausea A3 (1), Rash A4
# (3). Treatment-related: Fatigue A1 (2) and A4 (1), Hypertension A2 (grade 1 only), Rash A4.
ADVERSE_EVENTS = [
    ["patient_id", "term", "grade", "onset_date", "relatedness"],
    ["A1", "Fatigue", "2", "2021-02-01", "Possibly related"],
    ["A2", "Hypertension", "3", "2021-03-01", "unlikely related"],
    ["A2", "Hypertension", "1", "2021-02-10", "Related"],
    ["A3", "Nausea", "1", "2021-03-20", "Unrelated"],
    ["A4", "Rash", "3", "2021-04-01", "probably related"],
    ["A4", "Fatigue", "1", "2021-04-10", "possibly  related"],
]


def patients(**columns: list[str]) -> list[list[Any]]:
    """patients.csv of the small study with PATIENT_EXTRAS (columns given replace them;
    a column given as None is left out)."""
    extras = {**PATIENT_EXTRAS, **columns}
    rows = rows_of("patients")
    for name, values in extras.items():
        if values is None:
            continue
        rows[0].append(name)
        for row, value in zip(rows[1:], values, strict=True):
            row.append(value)
    return rows


def adverse_events() -> list[list[str]]:
    return [list(r) for r in ADVERSE_EVENTS]


def write_facts_study(folder: Path, yaml: str = YAML, **tables: Any) -> Path:
    """The study; tables given (rows, str or bytes) replace the defaults."""
    tables.setdefault("patients", csv_bytes(patients()))
    tables.setdefault("adverse_events", csv_bytes(adverse_events()))
    return write_study(folder, yaml, **tables)


class FactsBuild(NamedTuple):
    """The facts study, its parsed tables and Results, and its build with both texts."""

    study: Path
    parsed: Study
    results: Results
    out: Path
    pdf: str
    docx: str


def build_facts(folder: Path) -> FactsBuild:
    from .test_documents import docx_text, pdf_text

    study = write_facts_study(folder / "study")
    out = build(study, folder / "out", built_at=AT).out_dir
    parsed, results = compute(study, AT)
    return FactsBuild(study, parsed, results, out, pdf_text(out / "manuscript.pdf"),
                      docx_text(out / "manuscript.docx"))


def problems(study: Path) -> list[str]:
    """Every problem validate() finds, as printed."""
    with pytest.raises(StudyError) as info:
        validate(study)
    return [str(p) for p in info.value.problems]
