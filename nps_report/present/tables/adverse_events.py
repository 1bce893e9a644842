"""Adverse events: patients by highest grade per term, for terms above the incidence threshold;
all of them, and (beside it, in the same layout) the treatment-related ones."""

from __future__ import annotations

from ...results import RelatedSafety, Results, Safety
from ...results.keys import Key
from ..artifact import TableArtifact
from ..fmt import DEFAULT, Style
from ..formats import cell
from .spec import Row, TableSpec

SEVERITY = (("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))


def adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """n (%) by highest grade; a grade-5 column only when a grade 5 event occurred."""
    return grade_table("adverse_events", results.safety, Key.parse("safety"), style,
                       results.methods.ae_grading == "severity")


def related_adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """The treatment-related events, as the all-cause table lays them out."""
    related = results.safety.related
    if related is None:
        raise ValueError("the study has no attribution column (safety.related is None)")
    return grade_table("related_adverse_events", related, Key.parse("safety.related"), style,
                       results.methods.ae_grading == "severity")


def grade_table(key: str, tally: Safety | RelatedSafety, path: Key,
                style: Style = DEFAULT, severity: bool = False) -> TableSpec:
    """One tally of events by highest grade (or severity: mild, moderate, severe); cells
    keyed under `path` (safety)."""
    if severity:
        levels = list(SEVERITY)
        header = ("Adverse event", "Any severity", *(name for _, name in levels))
    else:
        grades = [1, 2, 3, 4] + ([5] if tally.grade_present[5] else [])
        levels = [(f"grade{g}", f"Grade {g}") for g in grades]
        header = ("Adverse event", "Any grade", *(name for _, name in levels))
    rows = []
    columns = ("any", *(field for field, _ in levels))
    for r in tally.adverse_events:
        at = path.field("all_terms").item(r.term)
        rows.append(Row((r.term, *(cell("n_pct", getattr(r, c), tally.N, style=style)
                                   for c in columns)), "plain",
                        (None, *(at.field(c).printed("n_pct") for c in columns))))
    return TableSpec(key, header, tuple(rows))


def has_adverse_event_rows(results: Results) -> bool:
    return bool(results.safety.adverse_events)


def has_attribution(results: Results) -> bool:
    """The study names an attribution column: the treatment-related table applies."""
    return results.safety.related is not None


def has_related_rows(results: Results) -> bool:
    related = results.safety.related
    return related is not None and bool(related.adverse_events)


TABLE = TableArtifact("adverse_events", "tables/adverse_events.md.j2", adverse_event_table,
                      reads=("safety.N", "safety.adverse_events", "safety.all_terms",
                             "methods.ae_grading"),
                      shown=has_adverse_event_rows, name="Adverse events")
RELATED = TableArtifact("related_adverse_events", "tables/related_adverse_events.md.j2",
                        related_adverse_event_table,
                        reads=("safety.related", "methods.ae_grading"),
                        applies=has_attribution, shown=has_related_rows, section="Safety",
                        name="Treatment-related adverse events")
