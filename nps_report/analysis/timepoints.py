"""Every scan's response as tables/patient_timepoints.csv shows it, unrounded.

One row per scan after treatment_start: the target sum, its change from baseline and
from the nadir it was judged against, the target, non-target and overall responses,
whether the scan counted toward the best overall response reported (scans after the
first PD do not), and the investigator's response where the study gives one. A reviewer
can follow each patient's BOR from it. Timepoints of non-measurable disease print
non-CR/non-PD, which best overall response counts as SD. Kept as compact columns
(results.Timepoints; outputs.py derives the changes and formats them), so that a study
of 100,000 patients does not pay for it in time.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

from ..results import Timepoints

EPOCH = np.datetime64("1970-01-01", "D")


def _floats(values: pd.Series | np.ndarray) -> array:
    return array("d", np.ascontiguousarray(values, dtype=float).tobytes())


def _codes(values: pd.Series) -> tuple[list[str], np.ndarray]:
    codes, labels = pd.factorize(values, use_na_sentinel=True)
    return [str(v) for v in labels], codes.astype(np.int32)


def _texts(labels: list[str], codes: np.ndarray) -> tuple[tuple[str, ...], array]:
    return tuple(labels), array("i", codes.tobytes())


def _flags(values: pd.Series) -> array:
    """A yes/no column as 1.0 / 0.0, NaN where the scan has none."""
    return _floats(values.astype(float))


def describe_timepoints(scans: pd.DataFrame) -> Timepoints:
    """The scans of derive_endpoints (derived, investigator's or both) as compact columns."""
    s = scans
    blank = pd.Series(np.nan, index=s.index)

    def col(name: str) -> pd.Series:
        return s.get(name, blank)

    dates = s["assessment_date"].to_numpy().astype("datetime64[D]")
    numbers = {
        "assessment_date": _floats((dates - EPOCH).astype(np.int64)),
        "day": _floats(col("day")), "target_sum_mm": _floats(col("target_sum_mm")),
        "baseline_sum_mm": _floats(col("baseline_sum")), "nadir_mm": _floats(col("nadir")),
        "target_lesions_not_evaluated": _floats(s["n_targets"] - s["n_evaluated"])
        if "n_targets" in s else _floats(blank),
        "new_lesions": _flags(col("new_lesions")), "counts_for_bor": _flags(col("counts")),
    }
    target, t_codes = _codes(col("target"))
    nontarget, n_codes = _codes(col("nontarget"))
    overall, o_codes = _codes(col("overall"))
    if "none" in target and "SD" in overall:
        # non-measurable disease: the table says what the timepoint was (BOR: SD)
        judged = (t_codes == target.index("none")) & (o_codes == overall.index("SD"))
        if judged.any():
            overall.append("non-CR/non-PD")
            o_codes = np.where(judged, len(overall) - 1, o_codes).astype(np.int32)
    named = {"none": "no target lesions"}
    investigator = col("investigator")
    texts = {
        "patient_id": _codes(s["patient_id"].astype(str)),
        "target_response": ([named.get(t, t) for t in target], t_codes),
        "nontarget_response": (["no non-target lesions" if t == "none" else t
                                for t in nontarget], n_codes),
        "overall_response": (overall, o_codes),
        "investigator_response": _codes(investigator.where(investigator.ne(""))),
    }
    return Timepoints(numbers=tuple(numbers.items()),
                      texts=tuple((k, *_texts(*v)) for k, v in texts.items()))
