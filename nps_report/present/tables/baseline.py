"""Table 1: baseline characteristics as study.yaml lists them."""

from __future__ import annotations

from ...results import BaselineVariable, Results
from ..fmt import (
    DEFAULT,
    Style,
    distribution_decimals,
    fmt_label,
    fmt_n_pct,
    fmt_num,
    fmt_range,
    footnote_mark,
)
from .spec import Row, TableSpec


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
    key = f"baseline[{var.label}]"
    if var.type == "continuous" and var.summary is not None:
        s = var.summary
        decimals = distribution_decimals(s.min, s.max)
        rows = [Row((f"{fmt_label(var.label)}, median (range)",
                     f"{fmt_num(s.median, decimals)} ({fmt_range(s.min, s.max, decimals, style)})"
                     ), "plain", (None, f"{key}.summary"), mark)]
        if var.n_missing:
            rows.append(Row(("Missing", str(var.n_missing)), "item",
                            (None, f"{key}.n_missing")))
        return rows
    rows = [Row((f"{fmt_label(var.label)}, n (%)", ""), "group", marks=mark)]
    rows += [Row((fmt_label(lv.label), fmt_n_pct(lv.n, lv.pct, style)), "item",
                 (None, f"{key}.levels[{lv.label}]")) for lv in var.levels]
    if var.n_missing:
        rows.append(Row(("Missing", fmt_n_pct(var.n_missing, var.n_missing / var.N, style)),
                        "item", (None, f"{key}.n_missing")))
    return rows
