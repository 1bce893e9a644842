"""What RECIST 1.1 asks of the lesions as a whole, checked before any response is derived.

Two kinds of finding. Problems make the lesions unusable whatever study.yaml says: a
lesion written twice at one scan, a target without a baseline measurement, a lesion
typed `new` at the baseline, or a target or non-target after baseline that was not
chosen as one at baseline. Violations break the baseline target-selection rules (at most
5 targets, at most 2 per organ with all lymph nodes one site, a non-nodal target >= 10 mm
and a nodal target >= 15 mm short axis): refused by default, each with its patient and
lesion, or built with a warning under `recist.lesion_rules: warn`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Problem

MAX_TARGETS = 5
MAX_PER_SITE = 2
MIN_TARGET_MM = 10.0
MIN_NODE_MM = 15.0
NODES = "lymph nodes"
WARN = "; or set recist.lesion_rules: warn in study.yaml to build anyway"


def _iso(value: object) -> str:
    return pd.Timestamp(value).date().isoformat()


def check_lesions(les: pd.DataFrame, source: str) -> tuple[list[Problem], list[Problem]]:
    """(problems, violations) of lesions carrying `start` and `base_date` per row."""
    problems = _duplicates(les, source) + _baseline_problems(les, source)
    problems += _identity(les, source)
    return problems, _selection(les, source)


def _problem(source: str, row: pd.Series, message: str, column: str, value: object,
             expected: str) -> Problem:
    return Problem(source, f"patient {row['patient_id']}, lesion {row['lesion_id']} "
                           f"({_iso(row['assessment_date'])}): {message}",
                   row=int(row["_row"]), column=column, value=value, expected=expected)


def _duplicates(les: pd.DataFrame, source: str) -> list[Problem]:
    dup = les.duplicated(["patient_id", "assessment_date", "lesion_id"], keep="first")
    return [_problem(source, r, "the lesion is written twice at this scan", "lesion_id",
                     r["lesion_id"], "one row per lesion per scan (give each lesion its own "
                                     "lesion_id)")
            for _, r in les[dup].iterrows()]


def _baseline_problems(les: pd.DataFrame, source: str) -> list[Problem]:
    at_base = les["assessment_date"].eq(les["base_date"])
    out = []
    unmeasured = at_base & les["lesion_type"].eq("target") & les["diameter_mm"].isna()
    for _, r in les[unmeasured].iterrows():
        out.append(_problem(source, r, "a target lesion not measured at the baseline scan",
                            "diameter_mm", "", "its diameter in mm at baseline (the sum all "
                            "responses are judged against); a lesion that cannot be measured "
                            "is typed non-target"))
    new = les["lesion_type"].eq("new") & (les["assessment_date"] <= les["start"])
    for _, r in les[new].iterrows():
        out.append(_problem(source, r, "a lesion typed new on or before treatment_start "
                            f"({_iso(r['start'])})", "lesion_type", "new",
                            "target or non-target at the baseline scan; new is only for a "
                            "lesion first seen at a scan after treatment_start"))
    return out


def _identity(les: pd.DataFrame, source: str) -> list[Problem]:
    """A follow-up target or non-target must be a baseline lesion of the same type."""
    base = les[les["assessment_date"].eq(les["base_date"])
               & les["lesion_type"].isin(["target", "non-target"])]
    typed_at_base = base.drop_duplicates(["patient_id", "lesion_id"]).set_index(
        ["patient_id", "lesion_id"])["lesion_type"]
    later = les[(les["assessment_date"] > les["start"]) & les["base_date"].notna()
                & les["lesion_type"].isin(["target", "non-target"])]
    if later.empty:
        return []
    was = pd.Series(typed_at_base.reindex(pd.MultiIndex.from_frame(
        later[["patient_id", "lesion_id"]])).to_numpy(), index=later.index)
    out = []
    for i in np.flatnonzero((was.isna() | was.ne(later["lesion_type"])).to_numpy()):
        r = later.iloc[i]
        before = was.iloc[i]
        baseline = _iso(r["base_date"])
        if pd.isna(before):
            message = f"not a lesion of the baseline scan ({baseline})"
            expected = ("the lesion_id of a lesion recorded at the baseline scan; a lesion "
                        "first seen after baseline is typed new")
        else:
            message = f"typed {before} at the baseline scan ({baseline})"
            expected = f"{before}: a lesion keeps the type chosen at baseline"
        out.append(_problem(source, r, message, "lesion_type", r["lesion_type"], expected))
    return out


def _selection(les: pd.DataFrame, source: str) -> list[Problem]:
    """Every breach of the baseline target-selection rules, patient by patient."""
    t = les[les["assessment_date"].eq(les["base_date"]) & les["lesion_type"].eq("target")]
    t = t.drop_duplicates(["patient_id", "lesion_id"])
    d = t["diameter_mm"]
    out: list[Problem] = []
    small_node = t["nodal"] & (d < MIN_NODE_MM)
    small = ~t["nodal"] & (d < MIN_TARGET_MM)
    for _, r in t[small_node | small].iterrows():
        shown = "TSTM" if r["too_small"] else f"{r['diameter_mm']:g}"
        if r["nodal"]:
            out.append(_problem(source, r, "a nodal target lesion under 15 mm short axis at "
                                "baseline", "diameter_mm", shown,
                                "a lymph node >= 15 mm short axis as a target lesion (10 to "
                                "< 15 mm: a non-target lesion; < 10 mm: normal)" + WARN))
        else:
            out.append(_problem(source, r, "a non-nodal target lesion under 10 mm at "
                                "baseline", "diameter_mm", shown,
                                "a lesion >= 10 mm longest diameter as a target lesion "
                                "(smaller ones are non-target lesions)" + WARN))
    per_patient = t.groupby("patient_id", sort=False)["lesion_id"].transform("size")
    for pid, group in t[per_patient > MAX_TARGETS].groupby("patient_id", sort=False):
        extra = group.iloc[MAX_TARGETS]
        out.append(Problem(source, f"patient {pid}: {len(group)} target lesions at the "
                                   f"baseline scan ({_iso(extra['assessment_date'])}: "
                                   f"{', '.join(map(str, group['lesion_id']))})",
                           row=int(extra["_row"]), column="lesion_type", value="target",
                           expected=f"at most {MAX_TARGETS} target lesions per patient; type "
                                    "the others non-target" + WARN))
    site = pd.Series(np.where(t["nodal"], NODES, t["site"].astype(str).str.strip()
                              .str.casefold()), index=t.index)
    per_site = t.groupby([t["patient_id"], site], sort=False)["lesion_id"].transform("size")
    crowded = t[per_site > MAX_PER_SITE]
    for (pid, name), same in crowded.groupby([crowded["patient_id"], site[crowded.index]],
                                             sort=False):
        extra = same.iloc[MAX_PER_SITE]
        where = ("lymph nodes (all nodes count as one site)" if name == NODES
                 else f"site '{same['site'].iloc[0]}'")
        out.append(Problem(
            source, f"patient {pid}: {len(same)} target lesions in {where} at the baseline "
                    f"scan ({', '.join(map(str, same['lesion_id']))})",
            row=int(extra["_row"]), column="site", value=extra["site"],
            expected=f"at most {MAX_PER_SITE} target lesions per organ; type the others "
                     "non-target" + WARN))
    return out
