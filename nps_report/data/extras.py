"""Optional columns that study.yaml names: each patient's centre, dose modifications for
toxicity, and each adverse event's attribution to the drug.

Each is read only when study.yaml names it, and then every cell must say something:
a blank centre, a blank "dose reduced?" or an attribution in neither list would
otherwise be counted on one side without a word. Typed values go under internal
names (`_centre`, `_reduction`, ..., `_related`), so a column that is also a Table 1
row keeps its text there.
"""

from __future__ import annotations

import pandas as pd

from ..config import StudyConfig
from ..config.attribution import value_key
from ..errors import Notice, Problem, did_you_mean
from .columns import Checker, missing_hint

MODIFIED = {"reduction": "the dose was reduced because of toxicity",
            "interruption": "treatment was interrupted because of toxicity",
            "discontinuation": "treatment was stopped because of toxicity"}


def _present(c: Checker, column: str, key: str) -> bool:
    if column in c.frame.columns:
        return True
    c.problems.append(Problem(c.source, f"column named in study.yaml ({key}) not found",
                              column=column, expected=did_you_mean(column, c.frame.columns)))
    return False


DISCONTINUATION_REASON = "discontinuation_reason"  # optional column of patients.csv


def patient_columns(c: Checker, config: StudyConfig, out: pd.DataFrame) -> None:
    """The centre (text, required in every row), the yes/no dose-modification flags and the
    reason treatment was discontinued (text, optional)."""
    column = config.centre_column
    if column and _present(c, column, "centre_column"):
        text = c.frame[column]
        c.report(text.eq(""), column, "missing value",
                 "the patient's centre (centre_column in study.yaml names this column)")
        out["_centre"] = text
    for what, column in config.exposure.modification_columns.items():
        if not _present(c, column, f"exposure.{what}_column"):
            continue
        blank = c.frame[column].eq("")
        flags = c.yes_no(column, required=False)
        c.report(blank, column, "missing value",
                 f"yes or no: whether {MODIFIED[what]} (a patient without one is 'no')")
        out[f"_{what}"] = flags
    if DISCONTINUATION_REASON in c.frame:  # optional: the patient-flow diagram's reasons
        reason = c.frame[DISCONTINUATION_REASON]
        ongoing = (out["treatment_end"].isna() & out["death_date"].isna()).to_numpy()
        c.report(reason.ne("").to_numpy() & ongoing, DISCONTINUATION_REASON,
                 "a discontinuation reason for a patient still on treatment",
                 "a blank cell, or the date treatment ended in treatment_end")
        out[DISCONTINUATION_REASON] = reason


def attribution(c: Checker, config: StudyConfig, out: pd.DataFrame) -> Notice | None:
    """`_related` per event, from the column and lists study.yaml gives; a Notice saying
    which values were counted on which side."""
    safety = config.safety
    column = safety.attribution_column
    if not column or not _present(c, column, "safety.attribution_column"):
        return None
    related, unrelated = safety.attribution_values
    side = {value_key(v): True for v in related} | {value_key(v): False for v in unrelated}
    text = c.frame[column]
    blank = text.eq("")
    known = text.map({u: side.get(value_key(u)) for u in pd.unique(text)})  # one per value
    unknown = ~blank & known.isna()
    options = [*related, *unrelated]
    c.report(unknown, column, "unknown attribution",
             lambda v: did_you_mean(str(v), options) + missing_hint(v)
             + "; or list it under safety.related_values or safety.unrelated_values in "
               "study.yaml", more="more rows with unknown attribution values")
    if safety.attribution_missing == "refuse":
        c.report(blank, column, "missing value",
                 "the event's attribution to the drug; or set safety.attribution_missing: "
                 "related in study.yaml to count events without one as treatment-related (or "
                 "unrelated)")
    else:
        known = known.mask(blank, safety.attribution_missing == "related")
    out["_related"] = known.eq(True).to_numpy()
    out["_attribution"] = text.map({u: value_key(u) for u in pd.unique(text)}).to_numpy()
    return _notice(text, known, blank, c.source, c.table.header(column),
                   safety.attribution_missing)


def _notice(text: pd.Series, known: pd.Series, blank: pd.Series, source: str, header: str,
            if_missing: str) -> Notice:
    details = []
    for label, is_related in (("treatment-related", True), ("not treatment-related", False)):
        mask = known.eq(is_related) & ~blank
        counts = sorted(text[mask].value_counts().items(), key=lambda vn: (-vn[1], vn[0]))
        listed = ", ".join(f"{v!r} ({_rows(int(n))})" for v, n in counts)
        details.append(f"{label}: {listed or 'none'}")
    n_blank = int(blank.sum())
    if n_blank and if_missing != "refuse":
        details.append(f"no attribution, counted as {if_missing}: {_rows(n_blank)}")
    return Notice("ae_attribution", f"Adverse events in {source} were counted as "
                  f"treatment-related or not by the column '{header}':", tuple(details))


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"
