"""screening.csv (optional): every patient screened, whether included, and why not.

    patient_id,included,exclusion_reason
    P01,yes,
    S07,no,Declined

The included patients must be exactly those of patients.csv, each one named where they
are not; a study may give the same counts as `flow:` in study.yaml, but not both.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import FILE, StudyConfig
from ..errors import Problem
from .columns import Checker
from .csvfile import read_csv
from .load import sha256

SCREENING = "screening.csv"
COLUMNS = ("patient_id", "included", "exclusion_reason")


def read_screening(study_dir: Path, config: StudyConfig | None, patient_ids: pd.Series
                   ) -> tuple[pd.DataFrame | None, list[Problem], dict[str, str]]:
    """(patient_id, included, exclusion_reason) of screening.csv, its problems and its hash;
    (None, [], {}) when the study has no such file."""
    path = study_dir / SCREENING
    if not path.is_file():
        return None, [], {}
    if config is not None and config.flow is not None:
        return None, [Problem(FILE, "the patient flow is given twice: by `flow:` here and "
                              f"by {SCREENING}", column="flow", expected=f"one of them: "
                              f"delete `flow:` or move {SCREENING} out of the study")], {}
    raw = path.read_bytes()
    table, problems = read_csv(raw, SCREENING, "screening")
    if table is None:
        return None, problems, {}
    check = Checker(table)
    if not check.require_columns(COLUMNS[:2]):
        return None, check.problems, {}
    frame = table.frame
    ids = frame["patient_id"]
    check.report(ids.eq(""), "patient_id", "missing value", "the patient's identifier")
    check.report(ids.ne("") & ids.duplicated(keep="first"), "patient_id",
                 "patient listed twice", "one row per patient screened")
    included = check.yes_no("included")
    reason = frame["exclusion_reason"] if "exclusion_reason" in frame else pd.Series(
        "", index=frame.index)
    check.report(included & reason.ne(""), "exclusion_reason",
                 "an exclusion reason for an included patient",
                 "a blank cell, or included = no")
    known = set(patient_ids.astype(str))
    check.report(included & ids.ne("") & ~ids.isin(known), "patient_id",
                 "included, but not in patients.csv", "every included patient in "
                 "patients.csv, or included = no with the reason")
    check.report(~included & ids.isin(known), "included",
                 "excluded, but treated (the patient is in patients.csv)",
                 "yes for a patient in patients.csv", values=frame["included"])
    listed = set(ids[included])
    missing = [i for i in patient_ids.astype(str) if i not in listed and i not in set(ids)]
    for pid in missing[:10]:
        check.problems.append(Problem(SCREENING, "a patient of patients.csv is not listed",
                                      column="patient_id", value=pid,
                                      expected="a row for every treated patient, "
                                               "included = yes"))
    if len(missing) > 10:
        check.problems.append(Problem(SCREENING, f"{len(missing) - 10} more patients of "
                                      "patients.csv are not listed", column="patient_id"))
    out = pd.DataFrame({"patient_id": ids.to_numpy(), "included": included.to_numpy(),
                        "exclusion_reason": reason.to_numpy()})
    return out, check.problems, {SCREENING: sha256(path)}

