"""The data cutoff: what is dated after it does not count, and the user is told what that was.

Applied once, right after the dates are read, so that the cross-checks between dates
and every derivation see the study as it stood at the cutoff: progressions, deaths
and treatment ends after it are blanked (the patient was progression-free, alive or on
treatment at the cutoff, as far as the data can say; a discontinuation for toxicity,
which happens at the treatment end, then does not count either), scans and adverse events
(by onset_date; one without onset_date counts) after it are dropped, and a later
last_followup becomes the cutoff.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import Notice

SHOW_IDS = 8


def _ids(ids: pd.Series) -> str:
    listed = ", ".join(map(str, ids.iloc[:SHOW_IDS]))
    return listed + (f" and {len(ids) - SHOW_IDS} more" if len(ids) > SHOW_IDS else "")


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _patients(n: int) -> str:
    return _n(n, "patient")


def _stopped_later(patients: pd.DataFrame, late: pd.Series) -> list[str]:
    """A stop for toxicity is the treatment_end: one after the cutoff does not count yet."""
    stopped = late & patients["_discontinuation"]
    if not stopped.any():
        return []
    patients.loc[stopped, "_discontinuation"] = False
    return [f"discontinuation for toxicity after the cutoff for "
            f"{_patients(int(stopped.sum()))} ({_ids(patients.loc[stopped, 'patient_id'])}): "
            "not counted (on treatment at the cutoff)"]


def apply_cutoff(patients: pd.DataFrame, assessments: pd.DataFrame, aes: pd.DataFrame,
                 cutoff: dt.date | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame,
                                                  Notice | None]:
    """The three tables as of the cutoff, and a Notice listing what was left out."""
    if cutoff is None or patients.empty:
        return patients, assessments, aes, None
    when = pd.Timestamp(cutoff)
    details = []
    patients = patients.copy()
    for column, after in (("progression_date", "not counted: progression-free at the cutoff"),
                          ("death_date", "not counted: alive at the cutoff, OS censored "
                                         "at last_followup or the cutoff"),
                          ("treatment_end", "counted as still on treatment at the cutoff")):
        late = patients[column] > when
        if late.any():
            if column == "progression_date":  # kept for messages about it (derive)
                patients["_progression_written"] = patients[column]
            details.append(f"{column} after the cutoff for {_patients(int(late.sum()))} "
                           f"({_ids(patients.loc[late, 'patient_id'])}): {after}")
            patients.loc[late, column] = pd.NaT
            if column == "treatment_end" and "_discontinuation" in patients:
                details += _stopped_later(patients, late)
    # (a patient who started after the cutoff is refused as such; capping would add noise)
    late = (patients["last_followup"] > when) & ~(patients["treatment_start"] > when)
    if late.any():
        details.append(f"last_followup after the cutoff for {_patients(int(late.sum()))}: "
                       "taken as the cutoff")
        patients.loc[late, "last_followup"] = when
    if not assessments.empty and "assessment_date" in assessments:
        late = assessments["assessment_date"] > when
        if late.any():
            details.append(f"{_n(int(late.sum()), 'tumour assessment')} after the cutoff: "
                           "not used")
            assessments = assessments[~late].reset_index(drop=True)
    aes, late_events = cut_adverse_events(aes, when)
    details += late_events
    return patients, assessments, aes, cutoff_notice(details, cutoff)


def cut_adverse_events(aes: pd.DataFrame, when: pd.Timestamp, column: str = "onset_date"
                       ) -> tuple[pd.DataFrame, list[str]]:
    """Adverse events with onset after the cutoff do not count (one without onset does);
    the notice's line saying how many, if any."""
    if aes.empty or "onset_date" not in aes:
        return aes, []
    late = aes["onset_date"] > when
    if not late.any():
        return aes, []
    return aes[~late].reset_index(drop=True), [
        f"{_n(int(late.sum()), 'adverse event')} with {column} after the cutoff: not counted"]


def cutoff_notice(details: list[str], cutoff: dt.date) -> Notice | None:
    if not details:
        return None
    return Notice("data_cutoff_applied", f"Data dated after the data cutoff "
                  f"({cutoff.isoformat()}, study.yaml) were left out:", tuple(details))


def cut_lesions(lesions: pd.DataFrame, cutoff: dt.date | None, notice: Notice | None
                ) -> tuple[pd.DataFrame, Notice | None]:
    """tumor_lesions as of the cutoff: lesions measured after it are not used (said in the
    cutoff's notice, with the tables' other rows left out)."""
    if cutoff is None or lesions.empty:
        return lesions, notice
    late = lesions["assessment_date"] > pd.Timestamp(cutoff)
    if not late.any():
        return lesions, notice
    scans = lesions.loc[late, ["patient_id", "assessment_date"]].drop_duplicates()
    detail = (f"{_n(int(late.sum()), 'lesion measurement')} at "
              f"{_n(len(scans), 'scan')} after the cutoff (tumor_lesions): not used")
    if notice is None:
        notice = cutoff_notice([detail], cutoff)
    else:
        notice = Notice(notice.code, notice.message, (*notice.details, detail))
    return lesions[~late].reset_index(drop=True), notice
