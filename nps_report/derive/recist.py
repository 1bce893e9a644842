"""RECIST 1.1 timepoint responses and best overall response, vectorised over all patients.

Rules (study contract, section 1): the baseline scan is the latest on or before
treatment_start; target CR = sum 0, PR = >= 30 % below baseline, PD = >= 20 % and
>= 5 mm above the nadir of earlier scans, else SD; combined with non-target status
and new lesions by the RECIST 1.1 table. Disease without target lesions (sum blank
or 0 at baseline and after) is judged on non-target lesions and new lesions alone:
CR, PD, or non-CR/non-PD, which counts as SD. Scans after the first PD do not count.
Lesion by lesion (nodes judged by their short axis) is derive/lesions.py's; best overall
response here serves both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import RecistConfig

RANK = {"CR": 0, "PR": 1, "SD": 2, "PD": 3, "NE": 4}
EPS = 1e-9


def target_response(total: pd.Series, baseline: pd.Series, nadir: pd.Series,
                    has_baseline: pd.Series | None = None) -> pd.Series:
    """Target-lesion response per scan.

    'none' when the baseline scan had no target lesions (sum blank or 0) and this scan
    has none either: non-measurable disease, judged on non-target lesions alone. A sum
    after such a baseline is 'NE' (and refused by the derivation: it would be a new
    lesion); so is a scan without a sum, or without any baseline scan.
    """
    if has_baseline is None:
        has_baseline = baseline.notna()
    no_targets = baseline.isna() | baseline.eq(0)
    pd_mask = (total * 10 >= nadir * 12 - EPS) & (total - nadir >= 5 - EPS)
    conditions = [
        ~has_baseline.astype(bool),
        no_targets & (total.isna() | total.eq(0)),
        no_targets | total.isna(),
        pd_mask,
        total.eq(0),
        total * 10 <= baseline * 7 + EPS,
    ]
    return pd.Series(np.select(conditions, ["NE", "none", "NE", "PD", "CR", "PR"], "SD"),
                     index=total.index)


def overall_response(target: pd.Series, nontarget: pd.Series, new_lesions: pd.Series) -> pd.Series:
    """Combine target, non-target and new lesions (RECIST 1.1, tables 1 and 2)."""
    nt_cr_or_none = nontarget.isin(["CR", "none"])
    conditions = [
        new_lesions.astype(bool) | nontarget.eq("PD") | target.eq("PD"),
        target.eq("CR") & nt_cr_or_none,
        target.eq("CR") | target.eq("PR"),
        target.eq("SD"),
        target.eq("none") & nontarget.eq("CR"),
        target.eq("none") & nontarget.eq("non-CR/non-PD"),  # non-measurable: counts as SD
    ]
    return pd.Series(np.select(conditions, ["PD", "CR", "PR", "SD", "CR", "SD"], "NE"),
                     index=target.index)


def timepoint_responses(assessments: pd.DataFrame, start: pd.Series,
                        prepared: tuple[pd.DataFrame, pd.DataFrame] | None = None
                        ) -> pd.DataFrame:
    """One row per post-baseline scan with its response; `start` maps patient_id -> date.

    Returns patient_id, assessment_date, day (days since start), target_sum_mm,
    baseline_sum, has_baseline, pct_change, target, overall, `counts` (on or before the
    first PD), _row, and the nadir, nontarget and new_lesions each was judged on.
    Non-measurable disease (no target lesions at baseline) has target 'none' and its
    non-CR/non-PD timepoints are SD, as the contract counts them.
    `prepared` is with_baseline(assessments, start), when the caller has it already.
    """
    a, baseline = prepared if prepared is not None else with_baseline(assessments, start)
    pre = a["assessment_date"] <= a["start"]
    # a mask, not pd.concat([baseline, post]): a is sorted already, and concatenating empty
    # frames makes pandas 2.x build a unitless NaT, which NumPy >= 2.5 deprecates
    w = a[~pre | a.index.isin(baseline.index)].copy()
    w["is_baseline"] = w.index.isin(baseline.index)
    w["has_baseline"] = w["patient_id"].isin(baseline["patient_id"])
    w["baseline_sum"] = w["patient_id"].map(baseline.set_index("patient_id")["target_sum_mm"])
    by = w.groupby("patient_id", sort=False)["target_sum_mm"]
    running_min = by.cummin()
    w["nadir"] = running_min.groupby(w["patient_id"]).shift(1)
    w["nadir"] = w["nadir"].groupby(w["patient_id"]).ffill()
    w = w[~w["is_baseline"]].copy()
    w["day"] = (w["assessment_date"] - w["start"]).dt.days
    w["pct_change"] = np.where(w["baseline_sum"] > 0,
                               (w["target_sum_mm"] - w["baseline_sum"]) / w["baseline_sum"]
                               * 100, np.nan)
    w["target"] = target_response(w["target_sum_mm"], w["baseline_sum"],
                                  w["nadir"].fillna(w["baseline_sum"]), w["has_baseline"])
    w["overall"] = overall_response(w["target"], w["nontarget"], w["new_lesions"])
    w = with_counts(w)
    return w[["patient_id", "assessment_date", "day", "target_sum_mm", "baseline_sum",
              "has_baseline", "pct_change", "target", "overall", "counts", "_row",
              "nadir", "nontarget", "new_lesions"]].reset_index(drop=True)


def with_counts(scans: pd.DataFrame) -> pd.DataFrame:
    """`counts`: the scan is on or before the patient's first timepoint PD (scans sorted by
    patient and date); later scans do not count toward best response."""
    is_pd = scans["overall"].eq("PD")
    pd_before = is_pd.groupby(scans["patient_id"]).cumsum() - is_pd
    return scans.assign(counts=pd_before.eq(0))


def with_baseline(assessments: pd.DataFrame,
                   start: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scans sorted per patient with their start date, and each patient's baseline scan."""
    a = assessments[["patient_id", "assessment_date", "target_sum_mm", "nontarget",
                     "new_lesions", "_row"]].copy()
    a["target_sum_mm"] = a["target_sum_mm"].astype(float)
    a["start"] = a["patient_id"].map(start)
    a = a.sort_values(["patient_id", "assessment_date", "_row"], kind="stable")
    baseline = a[a["assessment_date"] <= a["start"]].groupby("patient_id", sort=False).tail(1)
    return a, baseline


def baseline_sums(baseline: pd.DataFrame) -> pd.Series:
    """patient_id -> target sum at the baseline scan (NaN if blank), for patients with one;
    `baseline` is the second item of with_baseline()."""
    return baseline.set_index("patient_id")["target_sum_mm"]


def best_overall_response(tp: pd.DataFrame, patient_ids: pd.Series, progressed: pd.Series,
                          rules: RecistConfig) -> pd.DataFrame:
    """BOR per patient (in `patient_ids` order) with the date of first response.

    `progressed` (bool, aligned with patient_ids) marks documented progression, which
    makes a patient without qualifying SD a PD rather than NE.
    """
    t = tp[tp["counts"]]
    resp = t[t["overall"].isin(["CR", "PR"])]
    if rules.confirm_response:
        resp = _confirmed(resp, t, rules.confirm_min_days)
    best_resp = resp.assign(rank=resp["overall"].map(RANK)).groupby("patient_id")["rank"].min()
    first_resp = resp.groupby("patient_id")["assessment_date"].min()
    stable_ok = t["day"] >= rules.sd_min_days
    sd_like = t["overall"].isin(["SD", "CR", "PR"]) & stable_ok  # unconfirmed CR/PR count as SD
    has_sd = sd_like.groupby(t["patient_id"]).any()
    scan_pd = t["overall"].eq("PD").groupby(t["patient_id"]).any()

    ids = patient_ids.reset_index(drop=True)
    rank = ids.map(best_resp)
    sd = ids.map(has_sd).eq(True)
    pd_any = ids.map(scan_pd).eq(True) | progressed.reset_index(drop=True)
    bor = np.select([rank.eq(0), rank.eq(1), sd, pd_any], ["CR", "PR", "SD", "PD"], "NE")
    return pd.DataFrame({"patient_id": ids, "bor": bor,
                         "first_response_date": ids.map(first_resp)})


def _confirmed(resp: pd.DataFrame, scans: pd.DataFrame, min_days: int) -> pd.DataFrame:
    """Keep responses confirmed by a later CR or PR >= min_days after, with only CR or PR
    between them; a CR confirmed by a CR stays CR, anything else confirmed is PR."""
    responding = scans["overall"].isin(["CR", "PR"])
    # scans other than CR or PR so far: a pair is unbroken when none falls between
    breaks = (~responding).groupby(scans["patient_id"]).cumsum().rename("breaks")
    later = scans[responding][["patient_id", "day", "overall"]].join(breaks)
    pairs = resp.join(breaks).reset_index().merge(later, on="patient_id", suffixes=("", "_c"))
    pairs = pairs[(pairs["day_c"] >= pairs["day"] + min_days)
                  & pairs["breaks_c"].eq(pairs["breaks"])]
    pairs["confirmed"] = np.where(pairs["overall"].eq("CR") & pairs["overall_c"].eq("CR"),
                                  "CR", "PR")
    best = pairs.assign(rank=pairs["confirmed"].map(RANK)).sort_values("rank", kind="stable")
    best = best.drop_duplicates("index").set_index("index")
    out = resp.loc[best.index].copy()
    out["overall"] = best["confirmed"]
    return out
