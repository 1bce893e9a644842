"""Adverse events: patients by highest grade per term, for terms above the incidence threshold;
all of them, and (beside it, in the same layout) the treatment-related ones."""

from __future__ import annotations

from ...results import RelatedSafety, Results, Safety
from ...results.keys import Key
from ..artifact import TableArtifact
from ..fmt import DEFAULT, Style
from ..formats import cell
from .cohort_columns import by_cohort
from .spec import Row, TableSpec

SEVERITY = (("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))


def adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """n (%) by highest grade; a grade-5 column only when a grade 5 event occurred."""
    return grade_table("adverse_events", results.safety, Key.parse("safety"), style,
                       results.methods.ae_grading == "severity")


def adverse_event_table_by_cohort(results: Results, style: Style = DEFAULT) -> TableSpec:
    """With `by:`, each term's patients with any grade and with grade 3 or higher (severe)
    by cohort and in total, for the terms of the whole study's table."""
    if not results.cohorts:
        return adverse_event_table(results, style)
    return by_cohort(_any_and_worst, results, style, _cohort_part)


def _any_and_worst(results: Results, style: Style, whole: Results | None = None) -> TableSpec:
    """Any grade and grade >=3 of the whole study's table terms (zero where a cohort has
    none of a term: then unkeyed, as the cohort's results hold no such row)."""
    tally, at = results.safety, Key.parse("safety.all_terms")
    own = {r.term: r for r in tally.all_terms}
    severity = results.methods.ae_grading == "severity"
    worst, name = ("severe", "Severe") if severity else ("grade3plus", "Grade ≥3")
    rows = []
    for term in (r.term for r in (whole or results).safety.adverse_events):
        r = own.get(term)
        counts = (r.any, getattr(r, worst)) if r is not None else (0, 0)
        keys = ((at.item(term).field("any").printed("n_pct"),
                 at.item(term).field(worst).printed("n_pct")) if r is not None
                else (None, None))
        rows.append(Row((term, *(cell("n_pct", n, tally.N, style=style) for n in counts)),
                        "plain", (None, *keys)))
    return TableSpec("adverse_events", ("Adverse event", "Any grade", name), tuple(rows))


def _cohort_part(cohort: Results, whole: Results, style: Style) -> TableSpec:
    return _any_and_worst(cohort, style, whole)


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


TABLE = TableArtifact("adverse_events", "tables/adverse_events.md.j2",
                      adverse_event_table_by_cohort,
                      reads=("safety.N", "safety.adverse_events", "safety.all_terms",
                             "methods.ae_grading", "cohorts", "by", "study.n_patients"),
                      shown=has_adverse_event_rows, name="Adverse events")
RELATED = TableArtifact("related_adverse_events", "tables/related_adverse_events.md.j2",
                        related_adverse_event_table,
                        reads=("safety.related", "methods.ae_grading"),
                        applies=has_attribution, shown=has_related_rows, section="Safety",
                        name="Treatment-related adverse events")
