"""Adverse events: patients by highest grade per term, for terms above the incidence threshold;
all of them, and (beside it, in the same layout) the treatment-related ones."""

from __future__ import annotations

from ...results import RelatedSafety, Results, Safety
from ..fmt import DEFAULT, Style, fmt_n_pct
from .spec import Row, TableSpec

SEVERITY = (("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))


def adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """n (%) by highest grade; a grade-5 column only when a grade 5 event occurred."""
    return grade_table("adverse_events", results.safety, "safety", style,
                       results.methods.ae_grading == "severity")


def related_adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """The treatment-related events, as the all-cause table lays them out."""
    related = results.safety.related
    if related is None:
        raise ValueError("the study has no attribution column (safety.related is None)")
    return grade_table("related_adverse_events", related, "safety.related", style,
                       results.methods.ae_grading == "severity")


def grade_table(key: str, tally: Safety | RelatedSafety, path: str,
                style: Style = DEFAULT, severity: bool = False) -> TableSpec:
    """One tally of events by highest grade (or severity: mild, moderate, severe); cells
    keyed under `path` ('safety')."""
    if severity:
        levels = list(SEVERITY)
        header = ("Adverse event", "Any severity", *(name for _, name in levels))
    else:
        grades = [1, 2, 3, 4] + ([5] if tally.grade_present[5] else [])
        levels = [(f"grade{g}", f"Grade {g}") for g in grades]
        header = ("Adverse event", "Any grade", *(name for _, name in levels))
    rows = []
    for r in tally.adverse_events:
        cells = [r.term, fmt_n_pct(r.any, r.pct_any, style)]
        for field, _ in levels:
            n = getattr(r, field)
            cells.append(fmt_n_pct(n, n / tally.N, style))
        at = f"{path}.all_terms[{r.term}]"
        rows.append(Row(tuple(cells), "plain",
                        (None, f"{at}.any", *(f"{at}.{field}" for field, _ in levels))))
    return TableSpec(key, header, tuple(rows))
