"""Each table's cells turned into typed columns, every bad cell reported at its row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import StudyConfig
from ..errors import Notice, Problem, did_you_mean
from ..limits import ID_CHARS, LABEL_CHARS
from . import extras
from .columns import (
    INVESTIGATOR_CODES,
    MISSING_LIKE,
    NONTARGET_CODES,
    Checker,
    missing_hint,
)
from .load import COLUMNS
from .table import Table

Parsed = tuple[pd.DataFrame, list[Problem]]


def parse_patients(table: Table, config: StudyConfig | None) -> Parsed:
    c = Checker(table)
    frame = table.frame
    if not c.require_columns(COLUMNS["patients"]):
        return pd.DataFrame(), c.problems
    if frame.empty:
        c.problems.append(Problem(c.source, "no patients", expected="at least one data row"))
        return pd.DataFrame(), c.problems
    ids = frame["patient_id"]
    c.report(ids.eq(""), "patient_id", "missing value", "a unique pseudonymous identifier")
    c.report(ids.ne("") & ids.duplicated(keep="first"), "patient_id", "duplicate patient_id",
             "each patient on one row only")
    c.printable("patient_id", ID_CHARS)
    out = pd.DataFrame({"patient_id": ids, "_row": table.rows})
    for col, required in (("treatment_start", True), ("treatment_end", False),
                          ("progression_date", False), ("death_date", False),
                          ("last_followup", True)):
        out[col] = c.dates(col, required)
    out["cycles"] = c.numbers("cycles", integer=True, minimum=0)
    if config is not None and config.data_cutoff is not None:
        cutoff = pd.Timestamp(config.data_cutoff)
        c.report((out["treatment_start"] > cutoff).fillna(False), "treatment_start",
                 "treatment started after the data cutoff",
                 f"a date on or before data_cutoff {config.data_cutoff.isoformat()} "
                 "(study.yaml), or remove the patient")
    if config is not None:
        baseline_columns(c, frame, config, out)
        extras.patient_columns(c, config, out)
    return out, c.problems


def baseline_columns(c: Checker, frame: pd.DataFrame, config: StudyConfig,
                      out: pd.DataFrame) -> None:
    """Table 1 columns named in study.yaml must exist and hold the values it lists."""
    for col in config.baseline_columns:
        if col not in frame.columns:
            c.problems.append(Problem(c.source, "column named in study.yaml not found",
                                      column=col, expected=did_you_mean(col, frame.columns)))
            continue
        out[col] = frame[col]
    for item in config.baseline:
        for col, _ in item.columns:
            if col in frame.columns:
                c.yes_no(col, required=False)
        if item.column not in frame.columns:
            continue
        if item.type == "continuous":
            c.numbers(item.column, integer=False, minimum=-np.inf, required=False)
        elif item.type == "categorical" and item.levels:
            allowed = [v for _, vals in item.levels for v in vals]
            c.choice(item.column, allowed, required=False)
        elif item.type == "categorical":  # every value is a level printed in Table 1
            c.printable(item.column, LABEL_CHARS)


MEASURED = ("target_sum_mm", "nontarget", "new_lesions")


def parse_assessments(table: Table, with_lesions: bool = False) -> Parsed:
    """The scans. Their measurement columns are required unless the study gives lesions
    (then optional, checked against the lesions later) or holds only the investigator's
    responses; the columns a file does not have are left out of the frame."""
    c = Checker(table)
    frame = table.frame
    investigator = "investigator_response" in frame.columns
    measured = not with_lesions and not (
        investigator and not any(col in frame.columns for col in MEASURED))
    if not c.require_columns(COLUMNS["tumor_assessments"] if measured
                             else ("patient_id", "assessment_date")):
        return pd.DataFrame(), c.problems
    out = pd.DataFrame({"patient_id": frame["patient_id"], "_row": table.rows})
    out["assessment_date"] = c.dates("assessment_date", required=True)
    if "target_sum_mm" in frame.columns:
        out["target_sum_mm"] = c.numbers("target_sum_mm", integer=False, minimum=0,
                                         required=False)
    if "nontarget" in frame.columns:
        out["nontarget"] = c.choice("nontarget", NONTARGET_CODES, loose=True,
                                    required=measured)
    if "new_lesions" in frame.columns:
        blank = frame["new_lesions"].eq("")
        out["new_lesions"] = c.yes_no("new_lesions", required=measured)
        if not measured:  # a blank beside lesions: not given (the lesions decide)
            out["new_lesions"] = out["new_lesions"].astype(object).where(~blank, None)
    if investigator:
        out["investigator_response"] = c.choice("investigator_response", INVESTIGATOR_CODES,
                                                required=False, loose=True)
    return out, c.problems


def parse_adverse_events(table: Table, config: StudyConfig | None = None
                         ) -> tuple[pd.DataFrame, list[Problem], Notice | None]:
    """The events, their problems, and how their attribution was read (when it is)."""
    c = Checker(table)
    frame = table.frame
    if not c.require_columns(COLUMNS["adverse_events"]):
        return pd.DataFrame(), c.problems, None
    out = pd.DataFrame({"patient_id": frame["patient_id"], "term": frame["term"],
                        "_row": table.rows})
    c.report(frame["term"].eq(""), "term", "missing value", "a CTCAE term")
    c.printable("term", LABEL_CHARS)
    if config is not None and config.safety.grading == "severity":
        out["grade"] = _severity(c)
    else:
        out["grade"] = c.numbers("grade", integer=True, minimum=1, maximum=5)
        words = frame["grade"].str.strip().str.casefold().isin(SEVERITY_LEVELS)
        if words.any():  # mild/moderate/severe under the default CTCAE scale: say how
            c.problems.append(Problem(
                c.source, f"{int(words.sum())} rows grade by severity (mild, moderate, "
                          "severe), but study.yaml grades by CTCAE", column=table.header(
                              "grade"), expected="safety.grading: severity in study.yaml "
                                                 "if the events were graded mild, moderate "
                                                 "and severe; else CTCAE grades 1-5"))
    if "onset_date" in frame.columns:
        out["onset_date"] = c.dates("onset_date", required=False)
    read = extras.attribution(c, config, out) if config is not None else None
    return out, c.problems, read


SEVERITY_LEVELS = ("mild", "moderate", "severe")


def _severity(c: Checker) -> pd.Series:
    """safety.grading: severity: mild, moderate, severe (any case) or 1-3, as 1-3."""
    text = c.frame["grade"].str.strip().str.casefold()
    level = text.map({w: i for i, w in enumerate(SEVERITY_LEVELS, start=1)})
    number = pd.to_numeric(text.where(level.isna()), errors="coerce")
    level = level.fillna(number.where(number.isin([1, 2, 3])))
    expected = ("mild, moderate or severe (or 1-3), as study.yaml has safety.grading: "
                "severity")
    c.report(text.eq(""), "grade", "missing value", expected)
    c.report(text.ne("") & level.isna(), "grade", "not a severity",
             lambda v: expected + missing_hint(v))
    return level


def missing_like_values(table: Table, config: StudyConfig | None) -> Notice | None:
    """Table 1 columns without listed levels count every text as a level, 'NA' too: say so.

    (Where levels are listed, or the column is a number or yes/no, such a text is refused
    with the same hint instead.)"""
    if config is None:
        return None
    found = []
    for item in config.baseline:
        if item.type != "categorical" or item.levels or item.column not in table.frame:
            continue
        values = table.frame[item.column]
        for value in pd.unique(values):
            if str(value).strip().casefold() in MISSING_LIKE:
                n = int(values.eq(value).sum())
                found.append(f"column '{table.header(item.column)}': {value!r} in {n} "
                             f"row{'s' if n != 1 else ''}")
    if not found:
        return None
    return Notice("missing_like_values", f"Texts that often mean \"missing\" are counted as "
                  f"values of their own in Table 1 ({table.source}); if they mean missing, "
                  "list them under missing_values in study.yaml:", tuple(found))
