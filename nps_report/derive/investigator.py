"""The investigator's timepoint responses (tumor_assessments' investigator_response) as
timepoints that best overall response reads like the derived ones.

Only scans after treatment_start are timepoints. A patient counts as assessed by the
investigator once any of their scans after the start carries a response; that patient's
other scans after the start with a blank cell were not assessed, and are NE. A
non-CR/non-PD (disease without target lesions) counts as SD, as the contract counts it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .recist import with_counts

AS_TIMEPOINT = {"non-CR/non-PD": "SD", "": "NE"}


def investigator_timepoints(assessments: pd.DataFrame, start: pd.Series) -> pd.DataFrame:
    """patient_id, assessment_date, day, investigator (as written), overall, counts, _row:
    one row per scan after treatment_start of each patient the investigator assessed."""
    a = assessments[["patient_id", "assessment_date", "investigator_response"]].assign(
        _row=assessments.get("_row", pd.Series(range(2, len(assessments) + 2),
                                                index=assessments.index)))
    a = a.assign(start=a["patient_id"].map(start))
    a = a[a["assessment_date"] > a["start"]]
    assessed = a.loc[a["investigator_response"].ne(""), "patient_id"].unique()
    a = a[a["patient_id"].isin(assessed)]
    a = a.sort_values(["patient_id", "assessment_date", "_row"], kind="stable")
    # one timepoint per scan date: a date written twice keeps its first non-blank response
    a = a.assign(blank=a["investigator_response"].eq("")).sort_values(
        ["patient_id", "assessment_date", "blank", "_row"], kind="stable")
    a = a.drop_duplicates(["patient_id", "assessment_date"])
    out = pd.DataFrame({
        "patient_id": a["patient_id"].to_numpy(),
        "assessment_date": a["assessment_date"].to_numpy(),
        "day": (a["assessment_date"] - a["start"]).dt.days.to_numpy(),
        "investigator": a["investigator_response"].to_numpy(),
        "overall": a["investigator_response"].replace(AS_TIMEPOINT).to_numpy(),
        "_row": a["_row"].to_numpy(),
    })
    return with_counts(out) if len(out) else out.assign(counts=np.zeros(0, dtype=bool))
