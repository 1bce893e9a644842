"""Adverse events by maximum CTCAE grade per patient and term."""

from __future__ import annotations

import pandas as pd

from ..results import AERow, Safety


def describe_safety(aes: pd.DataFrame, n_patients: int, threshold_pct: float) -> Safety:
    """Each patient counts once per term at the highest grade; rows above the threshold."""
    if aes.empty:
        return Safety(n_patients, 0, 0, None, threshold_pct, (), ())
    worst = aes.groupby(["term", "patient_id"], sort=False)["grade"].max().reset_index()
    table = (pd.crosstab(worst["term"], worst["grade"].astype(int))
             .reindex(columns=range(1, 6), fill_value=0))
    table["any"] = table.sum(axis=1)
    table = table.reset_index().sort_values(["any", "term"], ascending=[False, True],
                                            kind="stable")
    rows = tuple(
        AERow(str(term), int(total), *(int(table[g].iloc[i]) for g in range(1, 6)),
              pct_any=int(total) / n_patients)
        for i, (term, total) in enumerate(zip(table["term"], table["any"], strict=True))
    )
    shown = tuple(r for r in rows if r.pct_any * 100 > threshold_pct)
    per_patient = aes.groupby("patient_id")["grade"].max()
    return Safety(
        N=n_patients,
        n_any=len(per_patient),
        n_grade3plus=int((per_patient >= 3).sum()),
        max_grade=int(per_patient.max()),
        min_incidence_pct=threshold_pct,
        adverse_events=shown,
        all_terms=rows,
    )
