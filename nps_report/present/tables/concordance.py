"""Derived against investigator-assessed best overall response: patients in each pair of
categories (rows: derived from the measurements; columns: the investigator's)."""

from __future__ import annotations

from ...results import Results
from ...vocab import BOR_NAMES, BOR_ORDER
from ..fmt import DEFAULT, Style, fmt_int
from .spec import Row, TableSpec, content_widths


def concordance_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    c = results.efficacy.concordance
    if c is None:
        raise ValueError("the study has no concordance (efficacy.concordance is None)")
    header = ("Derived / investigator", *BOR_ORDER, "Total")
    labels = ("", *(f"investigator {code}" for code in BOR_ORDER), "total")
    rows = []
    for derived in BOR_ORDER:
        cells = c.table.get(derived, {})
        at = f"efficacy.concordance.table.{derived}"
        rows.append(Row((f"Derived {BOR_NAMES[derived].lower()}", *(fmt_int(cells.get(i, 0), style)
                                               for i in BOR_ORDER),
                         fmt_int(sum(cells.values()), style)), "plain",
                        (None, *(f"{at}.{i}" for i in BOR_ORDER), None)))
    totals = [sum(c.table.get(d, {}).get(i, 0) for d in BOR_ORDER) for i in BOR_ORDER]
    rows.append(Row(("Total", *(fmt_int(t, style) for t in totals), fmt_int(c.n, style)),
                    "plain", (None, *([None] * len(BOR_ORDER)), "efficacy.concordance.n")))
    return TableSpec("concordance", header, tuple(rows), labels=labels,
                     widths=content_widths(header, tuple(rows)))
