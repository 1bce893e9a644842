"""Table specs built from Results only: header, rows of formatted cells, row kinds.

Titles and footnotes are prose and come from templates; a spec holds the body. The
same spec feeds the HTML table, the native Word table and the CSV file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..results import BaselineVariable, Results
from .fmt import (
    DEFAULT,
    Style,
    distribution_decimals,
    fmt_ci_months,
    fmt_ci_pct,
    fmt_ci_rate,
    fmt_landmark_label,
    fmt_months,
    fmt_n_pct,
    fmt_num,
    fmt_pct,
    fmt_range,
    level_label,
)

BOR_LABELS = {"CR": "Complete response", "PR": "Partial response", "SD": "Stable disease",
              "PD": "Progressive disease", "NE": "Not evaluable"}


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    kind: str = "item"  # group: a heading row; item: indented under a group; plain: neither


@dataclass(frozen=True)
class TableSpec:
    key: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.header)
        for row in self.rows:
            label = row.cells[0] if row.kind != "item" else "  " + row.cells[0]
            writer.writerow((label, *row.cells[1:]))
        return buf.getvalue()


def baseline_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Table 1: continuous as median (range), categories as n (%)."""
    rows: list[Row] = []
    for var in results.baseline:
        rows.extend(baseline_rows(var, style))
    header = ("Characteristic", f"Patients (N = {results.n_patients})")
    return TableSpec("baseline", header, tuple(rows))


def baseline_rows(var: BaselineVariable, style: Style) -> list[Row]:
    if var.type == "continuous" and var.summary is not None:
        s = var.summary
        decimals = distribution_decimals(s.min, s.max)
        rows = [Row((f"{var.label}, median (range)",
                     f"{fmt_num(s.median, decimals)} ({fmt_range(s.min, s.max, decimals, style)})"
                     ), "plain")]
        if var.n_missing:
            rows.append(Row(("Missing", str(var.n_missing)), "item"))
        return rows
    rows = [Row((f"{var.label}, n (%)", ""), "group")]
    rows += [Row((lv.label, fmt_n_pct(lv.n, lv.pct, style)), "item") for lv in var.levels]
    if var.n_missing:
        rows.append(Row(("Missing", fmt_n_pct(var.n_missing, var.n_missing / var.N, style)),
                        "item"))
    return rows


def adverse_event_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Patients by maximum grade per term, n (%), for terms above the incidence threshold."""
    safety = results.safety
    present = safety.grade_present
    grades = [1, 2, 3, 4] + ([5] if present[5] else [])
    header = ("Adverse event", "Any grade", *(f"Grade {g}" for g in grades))
    rows = []
    for r in safety.rows:
        cells = [r.term, fmt_n_pct(r.any, r.pct_any, style)]
        for g in grades:
            n = getattr(r, f"grade{g}")
            cells.append(fmt_n_pct(n, n / safety.N, style) if n else "0")
        rows.append(Row(tuple(cells), "plain"))
    return TableSpec("adverse_events", header, tuple(rows))


def efficacy_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Best overall response, ORR/DCR with CIs, and PFS/OS medians and landmark rates."""
    eff, surv = results.efficacy, results.survival
    lvl = level_label(eff.orr.level)
    header = ("Outcome", f"Patients (N = {eff.N})", f"{lvl} CI")
    rows = [Row(("Best overall response (RECIST 1.1), n (%)", "", ""), "group")]
    for code, label in BOR_LABELS.items():
        n = eff.bor_counts[code]
        rows.append(Row((label, fmt_n_pct(n, n / eff.N if eff.N else None, style), ""), "item"))
    rows.append(Row(("Objective response rate (CR + PR), n (%)",
                     fmt_n_pct(eff.orr.n, eff.orr.estimate, style), fmt_ci_pct(eff.orr, style)),
                     "plain"))
    rows.append(Row(("Disease control rate (CR + PR + SD), n (%)",
                     fmt_n_pct(eff.dcr.n, eff.dcr.estimate, style), fmt_ci_pct(eff.dcr, style)),
                     "plain"))
    for s in (surv.pfs, surv.os):
        abbrev = s.endpoint.upper()
        rows.append(Row((f"{s.label}", "", ""), "group"))
        rows.append(Row(("Events, n (%)", fmt_n_pct(s.n_events, s.n_events / s.n if s.n
                                                    else None, style), ""), "item"))
        ci = fmt_ci_months(s, style) if s.median is not None or s.ci_low is not None else ""
        rows.append(Row((f"Median {abbrev}, months", fmt_months(s.median, style, short=True), ci),
                        "item"))
        for lm in s.landmarks:
            if lm.estimate is None:
                continue
            rows.append(Row((f"{fmt_landmark_label(lm.months)} {abbrev} rate, %",
                             fmt_pct(lm.estimate, style),
                             fmt_ci_rate(lm.ci_low, lm.ci_high, style)), "item"))
    return TableSpec("efficacy", header, tuple(rows))


def all_tables(results: Results, style: Style = DEFAULT) -> dict[str, TableSpec]:
    return {t.key: t for t in (baseline_table(results, style), adverse_event_table(results, style),
                               efficacy_table(results, style))}

