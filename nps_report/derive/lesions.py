"""RECIST 1.1 timepoint responses from the lesions themselves (study contract, section 1).

The entry point is `lesion_timepoints`: it takes lesions in the contract's columns, typed
(data/lesions.py TYPED_COLUMNS: diameter_mm in mm with "too small to measure" already
counted as 5 mm and NaN for a lesion not evaluated; nodal as bool), from any source: a
CSV, a workbook sheet, or a sponsor's ADaM ADTR turned into those columns. It returns
one row per scan in the shape of recist.timepoint_responses, so best overall response,
PFS and the tables follow unchanged, plus what was found wrong.

The rules, vectorised over every patient at once:
- baseline = the patient's latest lesion scan on or before treatment_start; its `target`
  lesions are the targets, its `non-target` lesions the non-targets;
- sum = longest diameters of non-nodal targets + short axes of nodal targets;
- target CR: every non-nodal target 0 mm and every nodal target < 10 mm, judged before PD;
  PR: a complete sum >= 30 % below baseline; PD: the evaluated lesions' sum >= 20 % and
  >= 5 mm above the nadir (so a scan with a lesion not evaluated is NE unless the others
  already show PD), where a lymph node still under 10 mm counts no more than it measured
  at the nadir scan (a normal node's growth counts only once it reaches 10 mm);
- nadir = the smallest sum of an earlier scan at which every target was evaluated;
- non-target: PD if any lesion progressed, NE if any was not evaluated (or has no row),
  CR if every one is absent, else non-CR/non-PD; `none` without non-target lesions;
- a `new` lesion makes the timepoint PD; the three combine by RECIST 1.1's Table 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import RecistConfig
from ..errors import Problem
from .lesion_rules import check_lesions
from .recist import EPS, overall_response, with_counts

NORMAL_NODE_MM = 10.0
KEY = ["patient_id", "assessment_date"]


@dataclass(frozen=True)
class LesionTimepoints:
    """Per-scan responses (post-baseline, recist.timepoint_responses' columns and more),
    each patient's baseline sum, and what the lesions break: `problems` always refuse the
    study; `violations` of the baseline target-selection rules refuse it unless
    recist.lesion_rules is warn."""

    scans: pd.DataFrame
    baseline_sums: pd.Series  # patient_id -> sum at the baseline scan (0: no targets)
    problems: tuple[Problem, ...]
    violations: tuple[Problem, ...]
    # every scan with its evaluated target sum, for checking sums given beside the lesions
    evaluated: pd.DataFrame


def lesion_timepoints(lesions: pd.DataFrame, start: pd.Series, rules: RecistConfig,
                      scan_dates: pd.DataFrame | None = None,
                      source: str = "tumor_lesions.csv") -> LesionTimepoints:
    """RECIST 1.1 per scan from `lesions`; `start` maps patient_id -> treatment_start;
    `scan_dates` (patient_id, assessment_date) adds scans without lesion rows (every
    lesion then not evaluated). `source` names the lesions in messages."""
    les = _typed(lesions)
    les["start"] = les["patient_id"].map(start)
    base_date = les[les["assessment_date"] <= les["start"]].groupby("patient_id")[
        "assessment_date"].max()
    les["base_date"] = les["patient_id"].map(base_date)
    problems, violations = check_lesions(les, source)
    scans = _scans(les, start, base_date, scan_dates)
    targets = les[les["lesion_type"].eq("target") & les["assessment_date"].eq(les["base_date"])]
    targets = targets.drop_duplicates(["patient_id", "lesion_id"])  # (a problem, refused)
    scans = _target_part(scans, les, targets)
    scans = _nontarget_part(scans, les)
    new = les[les["lesion_type"].eq("new")].groupby(KEY).size()
    scans["new_lesions"] = pd.MultiIndex.from_frame(scans[KEY]).isin(new.index)
    baseline = scans[scans["is_baseline"]].set_index("patient_id")["evaluated_sum_mm"]
    post = scans[~scans["is_baseline"]].copy()
    post["overall"] = overall_response(post["target"], post["nontarget"], post["new_lesions"])
    post = with_counts(post)
    return LesionTimepoints(post.reset_index(drop=True), baseline, tuple(problems),
                            tuple(violations), scans[[*KEY, "evaluated_sum_mm", "n_targets",
                                                      "n_evaluated", "is_baseline"]])


def _typed(lesions: pd.DataFrame) -> pd.DataFrame:
    """A copy with the optional columns a non-CSV source may leave out."""
    les = lesions.copy()
    if "_row" not in les:
        les["_row"] = np.arange(len(les)) + 2
    if "too_small" not in les:
        les["too_small"] = False
    les["diameter_mm"] = pd.to_numeric(les["diameter_mm"], errors="coerce").astype(float)
    les["nodal"] = les["nodal"].fillna(False).astype(bool)
    les["status"] = les["status"].fillna("").astype(str)
    return les


def _scans(les: pd.DataFrame, start: pd.Series, base_date: pd.Series,
           scan_dates: pd.DataFrame | None) -> pd.DataFrame:
    """Each patient's baseline lesion scan and every scan after treatment_start, in order."""
    dated = les[[*KEY, "_row"]]
    if scan_dates is not None and len(scan_dates):
        extra = scan_dates[KEY].assign(_row=scan_dates.get("_row", 0))
        dated = pd.concat([dated, extra], ignore_index=True)
    dated = dated.sort_values([*KEY, "_row"], kind="stable").drop_duplicates(KEY)
    dated = dated.assign(start=dated["patient_id"].map(start),
                         base_date=dated["patient_id"].map(base_date))
    keep = (dated["assessment_date"] > dated["start"]) | dated["assessment_date"].eq(
        dated["base_date"])
    scans = dated[keep].sort_values(KEY, kind="stable").reset_index(drop=True)
    scans["is_baseline"] = scans["assessment_date"].eq(scans["base_date"])
    scans["has_baseline"] = scans["base_date"].notna()
    scans["k"] = scans.groupby("patient_id", sort=False).cumcount()
    scans["day"] = (scans["assessment_date"] - scans["start"]).dt.days
    return scans


def _target_part(scans: pd.DataFrame, les: pd.DataFrame, targets: pd.DataFrame
                 ) -> pd.DataFrame:
    """Sums, nadir, change from baseline and nadir, and the target response of each scan."""
    grid = scans[[*KEY, "k"]].merge(targets[["patient_id", "lesion_id", "nodal"]],
                                    on="patient_id")
    measured = les[les["lesion_type"].eq("target")][[*KEY, "lesion_id", "diameter_mm"]]
    measured = measured.drop_duplicates([*KEY, "lesion_id"])
    grid = grid.merge(measured, on=[*KEY, "lesion_id"], how="left")
    d = grid["diameter_mm"]
    grid["cr_ok"] = np.where(grid["nodal"], d < NORMAL_NODE_MM, d == 0)  # NaN: False
    by = grid.groupby(KEY, sort=False)
    agg = pd.DataFrame({"n_targets": by.size(), "n_evaluated": by["diameter_mm"].count(),
                        "evaluated_sum_mm": by["diameter_mm"].sum(),
                        "cr_all": by["cr_ok"].all()}).reset_index()
    scans = scans.merge(agg, on=KEY, how="left")
    scans["n_targets"] = scans["n_targets"].fillna(0).astype(int)
    scans["n_evaluated"] = scans["n_evaluated"].fillna(0).astype(int)
    scans["evaluated_sum_mm"] = scans["evaluated_sum_mm"].fillna(0.0)
    complete = scans["n_targets"].gt(0) & scans["n_evaluated"].eq(scans["n_targets"])
    scans["target_sum_mm"] = scans["evaluated_sum_mm"].where(complete)
    scans = _nadir(scans, complete)
    # the sum PD is judged on: a node under 10 mm counts no more than at the nadir scan
    at_nadir = grid[[*KEY, "k", "lesion_id", "diameter_mm"]].rename(
        columns={"k": "nadir_k", "diameter_mm": "d_nadir"}).drop(columns="assessment_date")
    at_nadir["nadir_k"] = at_nadir["nadir_k"].astype(float)
    grid = grid.merge(scans[[*KEY, "nadir_k"]], on=KEY, how="left")
    grid = grid.merge(at_nadir, on=["patient_id", "nadir_k", "lesion_id"], how="left")
    d = grid["diameter_mm"]
    normal = grid["nodal"] & (d < NORMAL_NODE_MM)
    grid["pd_mm"] = np.where(normal, np.fmin(d, grid["d_nadir"]), d)
    pd_sum = grid.groupby(KEY, sort=False)["pd_mm"].sum(min_count=1).rename("pd_sum")
    scans = scans.merge(pd_sum.reset_index(), on=KEY, how="left")
    base = scans["patient_id"].map(scans[scans["is_baseline"]].set_index("patient_id")[
        "evaluated_sum_mm"])
    scans["baseline_sum"] = base
    nadir, total, pd_total = scans["nadir"], scans["target_sum_mm"], scans["pd_sum"]
    with np.errstate(invalid="ignore", divide="ignore"):
        scans["pct_change"] = np.where(base > 0, (total - base) / base * 100, np.nan)
        scans["change_from_nadir_mm"] = total - nadir
        scans["pct_change_from_nadir"] = np.where(nadir > 0, (total - nadir) / nadir * 100,
                                                  np.nan)
    progression = (pd_total * 10 >= nadir * 12 - EPS) & (pd_total - nadir >= 5 - EPS)
    has_targets = scans["n_targets"].gt(0)
    scans["target"] = np.select(
        [~scans["has_baseline"], ~has_targets, complete & scans["cr_all"].eq(True),
         progression, ~complete, total * 10 <= base * 7 + EPS],
        ["NE", "none", "CR", "PD", "NE", "PR"], "SD")
    return scans


def _nadir(scans: pd.DataFrame, complete: pd.Series) -> pd.DataFrame:
    """The smallest complete sum before each scan (baseline included) and the scan it was
    at (the earliest on a tie)."""
    full = scans["target_sum_mm"].where(complete, np.inf)
    group = scans["patient_id"]
    running = full.groupby(group, sort=False).cummin()
    before = running.groupby(group, sort=False).shift(1)
    new_min = before.isna() | (full < before)
    at = scans["k"].where(new_min).groupby(group, sort=False).ffill()
    scans["nadir"] = before.replace(np.inf, np.nan)
    scans["nadir_k"] = at.groupby(group, sort=False).shift(1)
    return scans


def _nontarget_part(scans: pd.DataFrame, les: pd.DataFrame) -> pd.DataFrame:
    """Each scan's non-target status from its lesions' statuses (a lesion without a row at
    a scan was not evaluated there)."""
    nt = les[les["lesion_type"].eq("non-target")]
    baseline_nt = nt[nt["assessment_date"].eq(nt["base_date"])][["patient_id", "lesion_id"]]
    grid = scans[KEY].merge(baseline_nt.drop_duplicates(), on="patient_id")
    seen = nt[[*KEY, "lesion_id", "status"]].drop_duplicates([*KEY, "lesion_id"])
    grid = grid.merge(seen, on=[*KEY, "lesion_id"], how="left")
    status = grid["status"].fillna("not-evaluated")
    flags = pd.DataFrame({**{k: grid[k] for k in KEY},
                          "n_nt": 1, "prog": status.eq("progression"),
                          "ne": status.eq("not-evaluated"), "absent": status.eq("absent")})
    by = flags.groupby(KEY, sort=False)
    agg = pd.DataFrame({"n_nt": by["n_nt"].sum(), "prog": by["prog"].any(),
                        "ne": by["ne"].any(), "absent": by["absent"].all()}).reset_index()
    scans = scans.merge(agg, on=KEY, how="left")
    # no baseline: only an unequivocal progression recorded at the scan says anything
    progressed = nt[nt["status"].eq("progression")].groupby(KEY).size()
    orphan_prog = pd.MultiIndex.from_frame(scans[KEY]).isin(progressed.index)
    scans["nontarget"] = np.select(
        [~scans["has_baseline"] & orphan_prog, ~scans["has_baseline"],
         scans["n_nt"].isna(), scans["prog"].eq(True), scans["ne"].eq(True),
         scans["absent"].eq(True)],
        ["PD", "NE", "none", "PD", "NE", "CR"], "non-CR/non-PD")
    return scans.drop(columns=["n_nt", "prog", "ne", "absent"])
