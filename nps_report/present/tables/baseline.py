"""Table 1: baseline characteristics as study.yaml lists them."""

from __future__ import annotations

from ...results import BaselineVariable, Results
from ...results.keys import Key
from ..artifact import TableArtifact
from ..fmt import DEFAULT, Style, fmt_label, footnote_mark
from ..formats import cell
from .cohort_columns import by_cohort
from .spec import Row, TableSpec

BASELINE = Key.parse("baseline")


def baseline_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Continuous variables as median (range), categories as n (%); a row study.yaml gives
    a note carries its footnote letter."""
    rows: list[Row] = []
    marks = footnote_marks(results.baseline)
    for var in results.baseline:
        rows.extend(baseline_rows(var, style, marks.get(var.label, "")))
    header = ("Characteristic", f"Patients (N = {results.n_patients})")
    return TableSpec("baseline", header, tuple(rows))


def footnote_marks(baseline: tuple[BaselineVariable, ...]) -> dict[str, str]:
    """Row label -> footnote letter, a, b, c in Table 1 order, for the rows with a note
    (the table notes list the footnotes by the same letters)."""
    noted = [var.label for var in baseline if var.note]
    return {label: footnote_mark(i) for i, label in enumerate(noted)}


def baseline_rows(var: BaselineVariable, style: Style, mark: str = "") -> list[Row]:
    key = BASELINE.item(var.label)
    if var.type == "continuous" and var.summary is not None:
        rows = [Row((f"{fmt_label(var.label)}, median (range)",
                     cell("median_range", var.summary, style=style)), "plain",
                    (None, key.field("summary").printed("median_range")), mark)]
        if var.n_missing:
            rows.append(Row(("Missing", cell("count", var.n_missing, style=style)), "item",
                            (None, key.field("n_missing").printed("count"))))
        return rows
    rows = [Row((f"{fmt_label(var.label)}, n (%)", ""), "group", marks=mark)]
    levels = key.field("levels")
    rows += [Row((fmt_label(lv.label), cell("n_pct", lv, style=style)), "item",
                 (None, levels.item(lv.label).printed("n_pct"))) for lv in var.levels]
    if var.n_missing:
        rows.append(Row(("Missing", cell("n_pct", var.n_missing, var.N, style=style)), "item",
                        (None, key.field("n_missing").printed("n_pct"))))
    return rows


def baseline_table_by_cohort(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Table 1, with a column per cohort and the total when study.yaml has `by:`."""
    return by_cohort(baseline_table, results, style)


TABLE = TableArtifact("baseline", "tables/baseline.md.j2", baseline_table_by_cohort,
                      reads=("baseline", "study.n_patients", "cohorts", "by"),
                      name="Baseline characteristics")
