"""Which tumour data a study has, and the timepoint responses each gives.

A study measures its scans as sums (tumor_assessments.csv), lesion by lesion
(tumor_lesions.csv, whose lesions then decide), or not at all; its scans may carry the
investigator's response. `recist.response_source` says which one is reported: by default
the derived one when there are measurements, the investigator's otherwise. Both are
derived whenever both exist, so that their concordance can be reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.study import Study
from ..errors import Notice, Problem, StudyError
from .investigator import investigator_timepoints
from .lesions import KEY, LesionTimepoints, lesion_timepoints
from .recist import baseline_sums, timepoint_responses, with_baseline

MEASURED = ("target_sum_mm", "nontarget", "new_lesions")
SUM_TOLERANCE_MM = 0.05  # sums are typed to a tenth of a millimetre at most


@dataclass(frozen=True)
class TumourResponses:
    """Timepoints as derived from measurements (None without any) and as the investigator
    gave them (None without any), which of them is reported, and the baseline sums."""

    derived: pd.DataFrame | None
    investigator: pd.DataFrame | None
    source: str  # derived | investigator
    lesion_level: bool
    baseline_sums: pd.Series  # patient_id -> sum at the baseline scan, patients with one
    notices: tuple[Notice, ...] = ()

    @property
    def reported(self) -> pd.DataFrame:
        found = self.derived if self.source == "derived" else self.investigator
        assert found is not None
        return found


def tumour_responses(study: Study, start: pd.Series) -> TumourResponses:
    """Every timepoint response the study's data give; StudyError for what contradicts."""
    a = study.assessments
    lesion_level = study.lesions is not None
    measured = lesion_level or any(c in a.columns for c in MEASURED)
    has_investigator = ("investigator_response" in a.columns
                        and a["investigator_response"].ne("").any())
    source = _source(study, measured, "investigator_response" in a.columns)
    notices: list[Notice] = []
    derived, sums = None, pd.Series(dtype=float)
    if lesion_level:
        assert study.lesions is not None
        found = lesion_timepoints(study.lesions, start, study.config.recist, a,
                                  study.sources.get("tumor_lesions", "tumor_lesions.csv"))
        notices += _refuse_or_warn(study, found)
        _check_given_sums(study, found)
        notices += _given_statuses(study, found)
        derived, sums = found.scans, found.baseline_sums
    elif measured:
        prepared = with_baseline(a, start)
        derived = timepoint_responses(a, start, prepared)
        sums = baseline_sums(prepared[1])
    investigator = investigator_timepoints(a, start) if has_investigator else None
    if investigator is None and source == "investigator":
        investigator = investigator_timepoints(a, start)
    return TumourResponses(derived, investigator, source, lesion_level, sums, tuple(notices))


def _source(study: Study, measured: bool, has_column: bool) -> str:
    chosen = study.config.recist.response_source
    if chosen is None:
        return "derived" if measured or not has_column else "investigator"
    if chosen == "derived" and not measured:
        raise StudyError([Problem("study.yaml", "recist.response_source is derived, but the "
                                  "study has no measurements to derive responses from",
                                  column="recist.response_source", value=chosen,
                                  expected="investigator (the responses in "
                                           "investigator_response), or target_sum_mm, "
                                           "nontarget and new_lesions in tumor_assessments, or "
                                           "a tumor_lesions table")])
    if chosen == "investigator" and not has_column:
        raise StudyError([Problem(
            "study.yaml", "recist.response_source is investigator, but "
            f"{study.sources['tumor_assessments']} has no investigator_response column",
            column="recist.response_source", value=chosen,
            expected="derived, or a column investigator_response (CR, PR, SD, PD, NE or "
                     "non-CR/non-PD per scan)")])
    return chosen


def _refuse_or_warn(study: Study, found: LesionTimepoints) -> list[Notice]:
    """Problems refuse; rule violations refuse too unless recist.lesion_rules is warn."""
    warn = study.config.recist.lesion_rules == "warn"
    problems = list(found.problems) + ([] if warn else list(found.violations))
    if problems:
        raise StudyError(problems)
    if not found.violations:
        return []
    return [Notice("lesion_rules", "Baseline target lesions break the RECIST 1.1 selection "
                   "rules; built as typed, since study.yaml has recist.lesion_rules: warn:",
                   tuple(_violation(p) for p in found.violations))]


def _violation(p: Problem) -> str:
    text = f"row {p.row}: {p.message}" if p.row is not None else p.message
    return text + (f" ({p.value})" if p.value not in (None, "") else "")


def _check_given_sums(study: Study, found: LesionTimepoints) -> None:
    """Sums typed beside the lesions must be the lesions' sums: the lesions decide."""
    a = study.assessments
    if "target_sum_mm" not in a.columns:
        return
    given = a[a["target_sum_mm"].notna()]
    if given.empty:
        return
    scans = found.evaluated.set_index(KEY)
    at = pd.MultiIndex.from_frame(given[KEY])
    in_use = at.isin(scans.index)
    given = given[in_use]
    if given.empty:
        return
    got = scans.reindex(pd.MultiIndex.from_frame(given[KEY]))
    lesion_sum = got["evaluated_sum_mm"].to_numpy()
    none_measured = (got["n_targets"].gt(0) & got["n_evaluated"].eq(0)).to_numpy()
    bad = none_measured | (np.abs(given["target_sum_mm"].to_numpy() - lesion_sum)
                           > SUM_TOLERANCE_MM)
    src = study.sources["tumor_assessments"]
    lesions_src = study.sources.get("tumor_lesions", "tumor_lesions.csv")
    problems = []
    for i in np.flatnonzero(bad):
        row = given.iloc[i]
        n_t, n_e = int(got["n_targets"].iloc[i]), int(got["n_evaluated"].iloc[i])
        if none_measured[i]:
            expected = (f"blank: no target lesion of patient {row['patient_id']} is measured "
                        f"at this scan in {lesions_src}")
        else:
            partial = f", {n_t - n_e} of {n_t} not evaluated" if n_e < n_t else ""
            expected = (f"{lesion_sum[i]:g} mm, the sum of patient {row['patient_id']}'s "
                        f"target lesions at this scan in {lesions_src} (nodes by short axis, "
                        f"too small to measure as 5 mm{partial}), or blank: the lesions "
                        "decide")
        problems.append(Problem(
            src, f"target_sum_mm disagrees with the lesions of the scan of "
                 f"{row['assessment_date'].date().isoformat()}", row=int(row["_row"]),
            column="target_sum_mm", value=float(row["target_sum_mm"]), expected=expected))
    if problems:
        raise StudyError(problems)


def _given_statuses(study: Study, found: LesionTimepoints) -> list[Notice]:
    """nontarget and new_lesions typed beside the lesions: the lesions decide; say where
    they disagree."""
    a = study.assessments
    cols = [c for c in ("nontarget", "new_lesions") if c in a.columns]
    if not cols or found.scans.empty:
        return []
    merged = a[[*KEY, "_row", *cols]].merge(found.scans[[*KEY, "nontarget", "new_lesions"]],
                                            on=KEY, suffixes=("", "_lesions"))
    details = []
    for col in cols:
        given = merged[col]
        typed = given.ne("") if col == "nontarget" else given.notna()
        differ = typed & given.ne(merged[f"{col}_lesions"])
        for _, r in merged[differ].head(25).iterrows():
            shown = r[col] if col == "nontarget" else ("yes" if r[col] else "no")
            derived = r[f"{col}_lesions"] if col == "nontarget" else (
                "yes" if r[f"{col}_lesions"] else "no")
            details.append(f"row {r['_row']} ({r['patient_id']}, "
                           f"{r['assessment_date'].date().isoformat()}): {col} {shown}, "
                           f"the lesions say {derived}")
    if not details:
        return []
    return [Notice("lesions_decide", f"{study.sources['tumor_assessments']} says otherwise "
                   "than the lesions at some scans; the lesions were used:", tuple(details))]
