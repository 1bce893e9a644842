"""tumor_lesions.csv: one row per lesion per scan, typed and checked cell by cell.

What a cell means depends on the lesion's type (study contract, section 1): a target
lesion's size is its diameter_mm (blank = not evaluated, TSTM or a text listed under
recist.too_small_values = too small to measure, counted as 5 mm); a non-target lesion's
part is its status alone; a new lesion counts by being there. Cells the contract says
are ignored (a non-target's diameter, a new lesion's status) are not checked, so that
what a site wrote there cannot stop a build. The RECIST rules that need more than one
row (baseline selection, lesion identity) are derive/lesion_rules.py's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import RecistConfig
from ..config.model import TOO_SMALL_MM
from ..errors import Problem, did_you_mean
from .columns import Checker, missing_hint
from .load import COLUMNS
from .table import Table

LESION_TYPES = ("target", "non-target", "new")
STATUSES = ("present", "absent", "progression", "not-evaluated")
#: The contract's columns, typed: what derive.lesions.lesion_timepoints takes from any source
TYPED_COLUMNS = ("patient_id", "assessment_date", "lesion_id", "lesion_type", "site", "nodal",
                 "diameter_mm", "too_small", "status", "_row")


def too_small_texts(rules: RecistConfig) -> set[str]:
    return {t.strip().casefold() for t in ("TSTM", *rules.too_small_values)}


def parse_lesions(table: Table, rules: RecistConfig) -> tuple[pd.DataFrame, list[Problem]]:
    """The lesions in TYPED_COLUMNS (diameter_mm in mm, NaN = not evaluated), and every bad
    cell at its row."""
    c = Checker(table)
    frame = table.frame
    required = [col for col in COLUMNS["tumor_lesions"] if col != "status"]
    if not c.require_columns(required):
        return pd.DataFrame(columns=list(TYPED_COLUMNS)), c.problems
    out = pd.DataFrame({"patient_id": frame["patient_id"], "_row": table.rows})
    out["assessment_date"] = c.dates("assessment_date", required=True)
    c.report(frame["lesion_id"].eq(""), "lesion_id", "missing value",
             "the lesion's identifier, the same at every scan (e.g. T1, NT2)")
    out["lesion_id"] = frame["lesion_id"]
    kind = c.choice("lesion_type", LESION_TYPES, loose=True)
    out["lesion_type"] = kind
    target, nontarget = kind.eq("target"), kind.eq("non-target")
    out["site"] = frame["site"]
    c.report(target & frame["site"].eq(""), "site", "missing value for a target lesion",
             "the organ or site of the lesion (for the rule of at most 2 target lesions per "
             "organ)")
    nodal_text = frame["nodal"]
    out["nodal"] = c.yes_no("nodal", required=False)
    c.report(target & nodal_text.eq(""), "nodal", "missing value for a target lesion",
             "yes for a lymph node (measured by its short axis), no otherwise")
    out["diameter_mm"], out["too_small"] = _diameters(c, target, rules)
    if "status" in frame.columns:
        out["status"] = _statuses(c, nontarget)
    else:
        out["status"] = ""
        if nontarget.any():
            c.problems.append(Problem(
                table.source, "required column missing (the file has non-target lesions)",
                column="status", expected="a column 'status' holding present, absent, "
                                          "progression or not-evaluated for each non-target "
                                          "lesion"))
    return out[list(TYPED_COLUMNS)], c.problems


def _diameters(c: Checker, target: pd.Series, rules: RecistConfig
               ) -> tuple[pd.Series, pd.Series]:
    """Target lesions' diameters: a number >= 0, blank (not evaluated) or too small (5 mm)."""
    text = c.frame["diameter_mm"]
    small = text.str.strip().str.casefold().isin(too_small_texts(rules)) & target
    blank = text.eq("")
    number = pd.to_numeric(text.where(~blank & ~small), errors="coerce")
    bad = target & ~blank & ~small & (number.isna() | ~np.isfinite(number.fillna(0)))
    negative = target & number.lt(0)
    listed = ", ".join(sorted({"TSTM", *rules.too_small_values}))
    c.report(bad, "diameter_mm", "not a number",
             lambda v: f"the diameter in mm (>= 0), blank if the lesion was not evaluated, or "
                       f"{listed} if too small to measure (counted as {TOO_SMALL_MM:g} mm; more "
                       f"such texts can be listed under recist.too_small_values in study.yaml)"
                       + missing_hint(v))
    c.report(negative, "diameter_mm", "out of range",
             "a diameter >= 0 mm (0 = the lesion disappeared)")
    diameter = number.where(target & ~bad & ~negative)
    diameter = diameter.where(~small, TOO_SMALL_MM)
    return diameter.astype(float), small


def _statuses(c: Checker, nontarget: pd.Series) -> pd.Series:
    text = c.frame["status"]
    keyed = text.str.replace(r"[\s_\-]+", "", regex=True).str.casefold()
    canon = {s.replace("-", ""): s for s in STATUSES}
    status = keyed.map(canon)
    bad = nontarget & status.isna()
    c.report(bad, "status", "unknown value for a non-target lesion",
             lambda v: did_you_mean(str(v), STATUSES) + (
                 " (not-evaluated for a lesion not assessed at this scan)" if v == ""
                 else missing_hint(v)))
    return status.where(nontarget, "").fillna("")
