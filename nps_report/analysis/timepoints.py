"""Every scan's response as tables/patient_timepoints.csv shows it, unrounded.

One row per scan after treatment_start: the target sum, its change from baseline and
from the nadir it was judged against, the target, non-target and overall responses,
whether the scan counted toward best overall response (scans after the first PD do not),
and the investigator's response where the study gives one. A reviewer can follow each
patient's BOR from it. Timepoints of non-measurable disease print non-CR/non-PD, which
best overall response counts as SD.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..results import Timepoints

COLUMNS = ("patient_id", "assessment_date", "day", "target_sum_mm",
           "change_from_baseline_mm", "pct_change_from_baseline", "nadir_mm",
           "change_from_nadir_mm", "pct_change_from_nadir", "target_lesions_not_evaluated",
           "target_response", "nontarget_response", "new_lesions", "overall_response",
           "counts_for_bor", "investigator_response")


def _opt(values: pd.Series) -> tuple[Any, ...]:
    arr = values.to_numpy(dtype=float)
    return tuple(None if v != v else v for v in arr.tolist())


def _text(values: pd.Series) -> tuple[str, ...]:
    return tuple("" if v is None or v != v else str(v) for v in values.tolist())


def describe_timepoints(scans: pd.DataFrame) -> Timepoints:
    """The scans of derive_endpoints (derived, investigator's or both) as CSV columns."""
    s = scans
    n = len(s)

    def col(name: str) -> pd.Series:
        return s[name] if name in s else pd.Series([np.nan] * n, index=s.index)

    total, base, nadir = col("target_sum_mm"), col("baseline_sum"), col("nadir")
    target = col("target").astype(object)
    overall = col("overall").astype(object)
    if "target" in s:  # non-measurable disease: the table says what the timepoint was
        overall = overall.where(~(target.eq("none") & overall.eq("SD")), "non-CR/non-PD")
    nontarget = col("nontarget").astype(object)
    new = col("new_lesions")
    counts = col("counts")
    with np.errstate(invalid="ignore", divide="ignore"):
        from_nadir_pct = np.where(nadir > 0, (total - nadir) / nadir * 100, np.nan)
    unevaluated = s["n_targets"] - s["n_evaluated"] if "n_targets" in s else col("_none")
    values = {
        "patient_id": _text(s["patient_id"]),
        "assessment_date": tuple(s["assessment_date"].dt.strftime("%Y-%m-%d").tolist()),
        "day": tuple(int(d) for d in s["day"].to_numpy()) if "day" in s else (),
        "target_sum_mm": _opt(total),
        "change_from_baseline_mm": _opt(total - base),
        "pct_change_from_baseline": _opt(col("pct_change")),
        "nadir_mm": _opt(nadir),
        "change_from_nadir_mm": _opt(total - nadir),
        "pct_change_from_nadir": _opt(pd.Series(from_nadir_pct, index=s.index)),
        "target_lesions_not_evaluated": tuple(
            None if v != v else int(v) for v in unevaluated.to_numpy(dtype=float).tolist()),
        "target_response": _text(target.where(target.ne("none"), "no target lesions")),
        "nontarget_response": _text(nontarget.where(nontarget.ne("none"),
                                                    "no non-target lesions")),
        "new_lesions": tuple("" if v is None or v != v else ("yes" if v else "no")
                             for v in new.tolist()),
        "overall_response": _text(overall),
        "counts_for_bor": tuple("" if v != v else ("yes" if v else "no")
                                for v in counts.tolist()),
        "investigator_response": _text(col("investigator").astype(object)),
    }
    return Timepoints(tuple((name, values[name]) for name in COLUMNS))
