"""Adverse events: patients by highest grade per term, for terms above the incidence threshold."""

from __future__ import annotations

from ...results import Results
from ..fmt import DEFAULT, Style, fmt_n_pct
from .spec import Row, TableSpec


def adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """n (%) by highest grade; a grade-5 column only when a grade 5 event occurred."""
    safety = results.safety
    grades = [1, 2, 3, 4] + ([5] if safety.grade_present[5] else [])
    header = ("Adverse event", "Any grade", *(f"Grade {g}" for g in grades))
    rows = []
    for r in safety.adverse_events:
        cells = [r.term, fmt_n_pct(r.any, r.pct_any, style)]
        for g in grades:
            n = getattr(r, f"grade{g}")
            cells.append(fmt_n_pct(n, n / safety.N, style))
        key = f"safety.all_terms[{r.term}]"
        rows.append(Row(tuple(cells), "plain",
                        (None, f"{key}.any", *(f"{key}.grade{g}" for g in grades))))
    return TableSpec("adverse_events", header, tuple(rows))
