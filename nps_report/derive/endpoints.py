"""PFS, OS, exposure and response endpoints per patient, with the data cutoff applied."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.study import Study
from ..errors import Notice, Problem, StudyError
from ..vocab import DAYS_PER_MONTH
from .given import apply_given
from .recist import best_overall_response
from .response import TumourResponses, tumour_responses


@dataclass(frozen=True)
class Endpoints:
    """Per-patient derived values (one row per patient, file order) and the scans behind them
    (the derived timepoints, with the investigator's response beside them where given; the
    investigator's alone when nothing was measured)."""

    patients: pd.DataFrame
    scans: pd.DataFrame
    source: str = "derived"  # the response reported: derived | investigator
    lesion_level: bool = False
    notices: tuple[Notice, ...] = ()


def _months(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days / DAYS_PER_MONTH


def derive_endpoints(study: Study) -> Endpoints:
    """Apply the contract's derivation rules; raise StudyError if scans contradict dates.

    The study's tables are already as of the data cutoff (data/cutoff.py): later
    progressions, deaths and treatment ends are blank, later scans are gone, and
    last_followup is at most the cutoff."""
    cfg = study.config
    p = study.patients
    start = p["treatment_start"]
    prog, death, last = p["progression_date"], p["death_date"], p["last_followup"]

    start_by_id = pd.Series(start.to_numpy(), index=p["patient_id"])
    tumour = tumour_responses(study, start_by_id)
    derived = tumour.derived
    if derived is not None and not tumour.lesion_level:
        _check_target_sums(study, derived)
    if study.given is None:  # (given times do not come from these dates)
        _check_progression_dates(study, tumour.reported, tumour.source)

    ids = p["patient_id"]
    bor = best_overall_response(tumour.reported, ids, prog.notna(), cfg.recist)
    scans = _scans(tumour)
    last_scan = ids.map(scans.groupby("patient_id")["assessment_date"].max())
    if derived is not None:
        counted = derived[derived["counts"]]
        best_pct = ids.map(counted.groupby("patient_id")["pct_change"].min())
    else:
        best_pct = pd.Series(np.nan, index=ids.index)
    has_post = ids.map(scans.groupby("patient_id").size()).fillna(0).gt(0)
    sums = tumour.baseline_sums
    # True: target lesions at baseline; False: non-measurable; None: no baseline scan
    measurable = pd.Series(np.where(ids.isin(sums.index), ids.map(sums).gt(0), None),
                           index=ids.index, dtype=object)

    event_date = pd.concat([prog, death], axis=1).min(axis=1)
    pfs_event = event_date.notna()
    pfs_end = event_date.where(pfs_event, last_scan.fillna(start))
    os_event = death.notna()
    os_end = death.where(os_event, last)

    end = p["treatment_end"]
    ongoing = end.isna() & death.isna()
    treat_end = end.fillna(death).fillna(last)
    first_resp = pd.to_datetime(bor["first_response_date"].to_numpy())
    first_resp = pd.Series(first_resp, index=p.index)

    out = pd.DataFrame({
        "patient_id": ids,
        "bor": bor["bor"].to_numpy(),
        "best_pct_change": best_pct,
        "has_post_baseline_scan": has_post,
        "measurable": measurable,
        "pfs_months": _months(pfs_end, start),
        "pfs_event": pfs_event,
        "os_months": _months(os_end, start),
        "os_event": os_event,
        "treatment_months": _months(treat_end, start),
        "on_treatment": ongoing.astype(bool),
        "progression_months": _months(prog, start),
        "death_months": _months(death, start),
        "first_response_months": _months(first_resp, start),
        "cycles": p["cycles"],
    })
    # Duration of response: first response to progression or death, else censored as PFS.
    out["dor_months"] = out["pfs_months"] - out["first_response_months"]
    out["dor_event"] = out["pfs_event"] & out["first_response_months"].notna()
    if derived is not None and tumour.investigator is not None:  # both: for concordance
        both = {"derived": derived, "investigator": tumour.investigator}
        for name, frame in both.items():
            out[f"bor_{name}"] = best_overall_response(frame, ids, prog.notna(),
                                                       cfg.recist)["bor"].to_numpy()
        assessed = ids.isin(tumour.investigator["patient_id"])
        out["bor_investigator"] = out["bor_investigator"].where(assessed.to_numpy(), None)
    if study.given is not None:
        out = apply_given(out, study.given)
    return Endpoints(out, scans, tumour.source, tumour.lesion_level, tumour.notices)


def _scans(tumour: TumourResponses) -> pd.DataFrame:
    """The derived timepoints with the investigator's response beside them (an investigator
    timepoint on a date without a derived one gets a row of its own); `counts` says whether
    a scan counts toward the best overall response reported."""
    derived, investigator = tumour.derived, tumour.investigator
    if derived is None:
        assert investigator is not None
        return investigator.drop(columns="overall")
    if investigator is None:
        return derived
    given = investigator[["patient_id", "assessment_date", "day", "investigator", "counts"]]
    both = derived.merge(given, on=["patient_id", "assessment_date"], how="outer",
                         suffixes=("", "_investigator"), sort=False)
    both["day"] = both["day"].fillna(both["day_investigator"])
    if tumour.source == "investigator":
        both["counts"] = both["counts_investigator"]
    both = both.drop(columns=["day_investigator", "counts_investigator"])
    return both.sort_values(["patient_id", "assessment_date"],
                            kind="stable").reset_index(drop=True)


def _check_target_sums(study: Study, scans: pd.DataFrame) -> None:
    """A target sum after a baseline scan without target lesions cannot be judged."""
    if scans.empty:
        return
    base = scans["baseline_sum"]
    bad = scans["has_baseline"] & (base.isna() | base.eq(0)) & scans["target_sum_mm"].gt(0)
    if not bad.any():
        return
    src = study.sources["tumor_assessments"]
    problems = [Problem(
        src, "a target lesion sum, but the patient's baseline scan had no target lesions",
        row=int(scans["_row"].iloc[i]), column="target_sum_mm",
        value=float(scans["target_sum_mm"].iloc[i]),
        expected="blank for disease without target lesions (judged on non-target and new "
                 "lesions); a lesion first seen after baseline is a new lesion (new_lesions: "
                 "yes); or the baseline scan's target_sum_mm, if it was left out")
        for i in np.flatnonzero(bad.to_numpy())[:25]]
    raise StudyError(problems)


def _check_progression_dates(study: Study, scans: pd.DataFrame, source: str) -> None:
    """progression_date must be the first scan with timepoint PD, unless study.yaml allows."""
    if not study.config.progression_must_match_assessments or scans.empty:
        return
    first_pd = scans[scans["overall"].eq("PD")].groupby("patient_id")["assessment_date"].min()
    p = study.patients
    scan_pd = p["patient_id"].map(first_pd)
    stated = p["progression_date"]
    bad = scan_pd.notna() & (stated.isna() | (stated != scan_pd))
    problems = []
    src = study.sources["patients"]
    written = p.get("_progression_written", stated)
    for i in np.flatnonzero(bad.to_numpy())[:25]:
        value = written.iloc[i]
        late = pd.isna(stated.iloc[i]) and not pd.isna(value)
        problems.append(Problem(
            src, "progression_date disagrees with the tumour assessments" + (
                " (it is after the data cutoff, so it does not count)" if late else ""),
            row=int(p["_row"].iloc[i]), column="progression_date",
            value="" if pd.isna(value) else value.date().isoformat(),
            expected=f"{scan_pd.iloc[i].date().isoformat()}, the first assessment of patient "
                     f"{p['patient_id'].iloc[i]} whose RECIST 1.1 timepoint response is PD"
                     + (" as the investigator gave it" if source == "investigator" else "")
                     + " (or set validation.progression_must_match_assessments: false in "
                     "study.yaml)"))
    if bad.sum() > 25:
        problems.append(Problem(src, f"{int(bad.sum()) - 25} more patients whose "
                                "progression_date disagrees with the assessments",
                                column="progression_date"))
    if problems:
        raise StudyError(problems)
