"""Adverse events by maximum CTCAE grade (or severity) per patient and term: all of them,
and the treatment-related ones when study.yaml names an attribution column."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..config import SafetyConfig
from ..config.attribution import value_key
from ..results import AEExclusions, AERow, RelatedSafety, Safety, SeverityRow


def describe_safety(aes: pd.DataFrame, n_patients: int, threshold_pct: float,
                    config: SafetyConfig | None = None,
                    excluded: AEExclusions | None = None) -> Safety:
    """Each patient counts once per term at the highest grade; rows above the threshold."""
    scope = config.scope if config is not None else None
    severity = config is not None and config.grading == "severity"
    related = None
    if config is not None and config.attribution_column and "_related" in aes:
        related = describe_related(aes, n_patients, threshold_pct, config)
    return Safety(**_tally(aes, n_patients, threshold_pct, severity), attribution=scope,
                  related=related, excluded=excluded or AEExclusions())


def describe_related(aes: pd.DataFrame, n_patients: int, threshold_pct: float,
                     config: SafetyConfig) -> RelatedSafety:
    """The same tally over the events whose attribution counts as related."""
    related_values, _ = config.attribution_values
    seen = set(aes["_attribution"]) if "_attribution" in aes else set()
    blank = aes["_attribution"].eq("") if "_attribution" in aes else pd.Series(False,
                                                                                 aes.index)
    return RelatedSafety(
        **_tally(aes[aes["_related"].to_numpy(dtype=bool)], n_patients, threshold_pct,
                 config.grading == "severity"),
        column=str(config.attribution_column),
        related_values=tuple(v for v in related_values if value_key(v) in seen)
        or related_values,  # (none recorded: the Methods still say what would have counted)
        n_unattributed=int(blank.sum()), unattributed_as=config.attribution_missing)


def _tally(aes: pd.DataFrame, n_patients: int, threshold_pct: float,
           severity: bool = False) -> dict[str, Any]:
    if aes.empty:
        return {"N": n_patients, "n_any": 0, "n_grade3plus": 0, "max_grade": None,
                "min_incidence_pct": threshold_pct, "adverse_events": (), "all_terms": ()}
    worst = aes.groupby(["term", "patient_id"], sort=False)["grade"].max().reset_index()
    table = (pd.crosstab(worst["term"], worst["grade"].astype(int))
             .reindex(columns=range(1, 6), fill_value=0))
    table["any"] = table.sum(axis=1)
    table = table.reset_index().sort_values(["any", "term"], ascending=[False, True],
                                            kind="stable")
    row = SeverityRow if severity else AERow  # severity: grades 1-3 are mild-severe
    levels = range(1, 4) if severity else range(1, 6)
    rows = tuple(
        row(str(term), int(total), *(int(table[g].iloc[i]) for g in levels),
            pct_any=int(total) / n_patients)
        for i, (term, total) in enumerate(zip(table["term"], table["any"], strict=True))
    )
    per_patient = aes.groupby("patient_id")["grade"].max()
    return {"N": n_patients, "n_any": len(per_patient),
            "n_grade3plus": int((per_patient >= 3).sum()),
            "max_grade": int(per_patient.max()), "min_incidence_pct": threshold_pct,
            "adverse_events": tuple(r for r in rows if r.pct_any * 100 > threshold_pct),
            "all_terms": rows}
