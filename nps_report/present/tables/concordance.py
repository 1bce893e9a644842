"""Derived against investigator-assessed best overall response: patients in each pair of
categories (rows: derived from the measurements; columns: the investigator's)."""

from __future__ import annotations

from ...results import Results
from ...results.keys import Key
from ...vocab import BOR_NAMES, BOR_ORDER
from ..artifact import TableArtifact
from ..fmt import DEFAULT, Style
from ..formats import cell
from .spec import Row, TableSpec, content_widths

CONCORDANCE = Key.parse("efficacy.concordance")


def concordance_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    c = results.efficacy.concordance
    if c is None:
        raise ValueError("the study has no concordance (efficacy.concordance is None)")
    header = ("Derived / investigator", *BOR_ORDER, "Total")
    labels = ("", *(f"investigator {code}" for code in BOR_ORDER), "total")
    rows = []
    for derived in BOR_ORDER:
        cells = c.table.get(derived, {})
        at = CONCORDANCE.field("table").entry(derived)
        rows.append(Row((f"Derived {BOR_NAMES[derived].lower()}",
                         *(cell("count", cells.get(i, 0), style=style) for i in BOR_ORDER),
                         cell("count", sum(cells.values()), style=style)), "plain",
                        (None, *(at.entry(i).printed("count") for i in BOR_ORDER), None)))
    totals = [sum(c.table.get(d, {}).get(i, 0) for d in BOR_ORDER) for i in BOR_ORDER]
    rows.append(Row(("Total", *(cell("count", t, style=style) for t in totals),
                     cell("count", c.n, style=style)), "plain",
                    (None, *([None] * len(BOR_ORDER)), CONCORDANCE.field("n").printed("count"))))
    return TableSpec("concordance", header, tuple(rows), labels=labels,
                     widths=content_widths(header, tuple(rows)))


def has_concordance(results: Results) -> bool:
    """Derived and investigator-assessed responses both exist: the table's CSV is written."""
    return results.efficacy.concordance is not None


def responses_differ(results: Results) -> bool:
    """The manuscript shows the concordance table only when the two responses differ."""
    c = results.efficacy.concordance
    return c is not None and bool(c.patients)


TABLE = TableArtifact("concordance", "tables/concordance.md.j2", concordance_table,
                      reads=("efficacy.concordance",), applies=has_concordance,
                      shown=responses_differ, section="Efficacy",
                      name="Derived vs investigator-assessed response")
