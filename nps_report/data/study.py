"""A validated study: config and typed tables; every input problem found before any statistic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import StudyConfig, load_config
from ..errors import Problem, StudyError, did_you_mean
from .columns import NONTARGET_CODES, Checker
from .load import RawTables, read_tables, sha256

PATIENT_COLUMNS = ("patient_id", "treatment_start", "treatment_end", "cycles",
                   "progression_date", "death_date", "last_followup")
ASSESSMENT_COLUMNS = ("patient_id", "assessment_date", "target_sum_mm", "nontarget",
                      "new_lesions")
AE_COLUMNS = ("patient_id", "term", "grade")


@dataclass(frozen=True)
class Study:
    """Typed tables (dates as datetime64, flags as bool) and where they came from."""

    path: Path
    config: StudyConfig
    patients: pd.DataFrame
    assessments: pd.DataFrame
    adverse_events: pd.DataFrame
    sources: dict[str, str]
    input_hashes: dict[str, str]


def load_study(study_dir: str | Path) -> Study:
    """Read and validate a study folder; raise StudyError listing every problem found."""
    study_dir = Path(study_dir)
    if not study_dir.is_dir():
        raise StudyError([Problem(str(study_dir), "study folder not found",
                                  expected="a folder with study.yaml, patients.csv, "
                                           "tumor_assessments.csv and adverse_events.csv")])
    problems: list[Problem] = []
    config = None
    try:
        config = load_config(study_dir)
    except StudyError as exc:
        problems.extend(exc.problems)
    try:
        raw = read_tables(study_dir)
    except StudyError as exc:
        raise StudyError(problems + exc.problems) from None
    patients, p_problems = _patients(raw, config)
    assessments, a_problems = _assessments(raw, patients)
    aes, e_problems = _adverse_events(raw, patients)
    problems += p_problems + a_problems + e_problems
    if problems or config is None:
        raise StudyError(problems)
    hashes = dict(raw.hashes)
    hashes["study.yaml"] = sha256(study_dir / "study.yaml")
    return Study(study_dir, config, patients, assessments, aes, raw.sources, hashes)


def _patients(raw: RawTables, config: StudyConfig | None) -> tuple[pd.DataFrame, list[Problem]]:
    src = raw.sources["patients"]
    frame = raw.frames["patients"]
    c = Checker(src, frame)
    if not c.require_columns(PATIENT_COLUMNS):
        return pd.DataFrame(), c.problems
    if frame.empty:
        c.problems.append(Problem(src, "no patients", expected="at least one data row"))
        return pd.DataFrame(), c.problems
    ids = frame["patient_id"]
    c.report(ids.eq(""), "patient_id", "missing value", "a unique pseudonymous identifier")
    c.report(ids.ne("") & ids.duplicated(keep="first"), "patient_id", "duplicate patient_id",
             "each patient on one row only")
    out = pd.DataFrame({"patient_id": ids, "_row": np.arange(len(frame)) + 2})
    for col, required in (("treatment_start", True), ("treatment_end", False),
                          ("progression_date", False), ("death_date", False),
                          ("last_followup", True)):
        out[col] = c.dates(col, required)
    out["cycles"] = c.numbers("cycles", integer=True, minimum=0)
    start, death = out["treatment_start"], out["death_date"]
    prog, last, end = out["progression_date"], out["last_followup"], out["treatment_end"]
    order_checks = (
        ("death_date", death < start, "death before treatment_start", "a date on or after "
         "treatment_start"),
        ("progression_date", prog < start, "progression before treatment_start",
         "a date on or after treatment_start"),
        ("progression_date", prog > death, "progression after death", "a date on or before "
         "death_date"),
        ("treatment_end", end < start, "treatment_end before treatment_start",
         "a date on or after treatment_start"),
        ("treatment_end", end > death, "treatment_end after death", "a date on or before "
         "death_date"),
        ("last_followup", last < start, "last_followup before treatment_start",
         "a date on or after treatment_start"),
        ("last_followup", last < prog, "last_followup before progression_date",
         "a date on or after every event of the patient"),
        ("last_followup", last < death, "last_followup before death_date",
         "the death date for patients who died"),
    )
    for col, mask, message, expected in order_checks:
        c.report(mask.fillna(False), col, message, expected)
    if config is not None and config.data_cutoff is not None:
        cutoff = pd.Timestamp(config.data_cutoff)
        c.report((start > cutoff).fillna(False), "treatment_start",
                 "treatment started after the data cutoff",
                 f"a date on or before data_cutoff {config.data_cutoff.isoformat()} "
                 "(study.yaml), or remove the patient")
    if config is not None:
        _baseline_columns(c, frame, config, out)
    return out, c.problems


def _baseline_columns(c: Checker, frame: pd.DataFrame, config: StudyConfig,
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


def _assessments(raw: RawTables, patients: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    src = raw.sources["tumor_assessments"]
    frame = raw.frames["tumor_assessments"]
    c = Checker(src, frame)
    if not c.require_columns(ASSESSMENT_COLUMNS):
        return pd.DataFrame(), c.problems
    out = pd.DataFrame({"patient_id": frame["patient_id"], "_row": np.arange(len(frame)) + 2})
    out["assessment_date"] = c.dates("assessment_date", required=True)
    out["target_sum_mm"] = c.numbers("target_sum_mm", integer=False, minimum=0, required=False)
    out["nontarget"] = c.choice("nontarget", NONTARGET_CODES)
    out["new_lesions"] = c.yes_no("new_lesions")
    if not patients.empty:
        _known_patients(c, out, patients)
        death = out["patient_id"].map(patients.drop_duplicates("patient_id")
                                      .set_index("patient_id")["death_date"])
        c.report((out["assessment_date"] > death).fillna(False), "assessment_date",
                 "assessment after the patient's death_date", "a date on or before death_date")
    return out, c.problems


def _adverse_events(raw: RawTables, patients: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                      list[Problem]]:
    src = raw.sources["adverse_events"]
    frame = raw.frames["adverse_events"]
    c = Checker(src, frame)
    if not c.require_columns(AE_COLUMNS):
        return pd.DataFrame(), c.problems
    out = pd.DataFrame({"patient_id": frame["patient_id"], "term": frame["term"],
                        "_row": np.arange(len(frame)) + 2})
    c.report(frame["term"].eq(""), "term", "missing value", "a CTCAE term")
    out["grade"] = c.numbers("grade", integer=True, minimum=1, maximum=5)
    if "onset_date" in frame.columns:
        out["onset_date"] = c.dates("onset_date", required=False)
    if not patients.empty:
        _known_patients(c, out, patients)
    return out, c.problems


def _known_patients(c: Checker, out: pd.DataFrame, patients: pd.DataFrame) -> None:
    known = set(patients["patient_id"])
    unknown = ~out["patient_id"].isin(known)
    if unknown.any():
        options = sorted(known)
        for i in np.flatnonzero(unknown.to_numpy())[:25]:
            value = out["patient_id"].iloc[i]
            close = did_you_mean(value, options)
            hint = close[close.find("(did"):] if "(did" in close else "(not in patients.csv)"
            c.problems.append(Problem(c.source, "unknown patient_id", row=int(i) + 2,
                                      column="patient_id", value=value,
                                      expected=f"a patient_id listed in patients.csv {hint}"))
        if unknown.sum() > 25:
            c.problems.append(Problem(c.source, f"{int(unknown.sum()) - 25} more rows with "
                                      "unknown patient_id", column="patient_id"))
