"""Tumour response and survival: BOR, ORR/DCR with CIs, PFS/OS medians and landmark rates."""

from __future__ import annotations

from ...results import Results
from ...results.keys import Key
from ...vocab import BOR_NAMES, BOR_ORDER, ENDPOINT_ABBREVIATIONS
from ..artifact import TableArtifact
from ..fmt import DEFAULT, Style, fmt_confidence, fmt_landmark_label
from ..formats import cell
from ..intervals import MEDIAN_CUT, Footnotes
from .cohort_columns import by_cohort
from .spec import Row, TableSpec

EFFICACY, SURVIVAL = Key.parse("efficacy"), Key.parse("survival")


def efficacy_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    eff, surv = results.efficacy, results.survival
    notes = Footnotes()  # intervals that are not real intervals: a lettered note each
    header = ("Outcome", f"Patients (N = {eff.N})", f"{fmt_confidence(eff.orr.level)} CI")
    rows = [Row(("Best overall response (RECIST 1.1), n (%)", "", ""), "group")]
    counts = EFFICACY.field("bor_counts")
    for code in BOR_ORDER:
        rows.append(Row((BOR_NAMES[code], cell("n_pct", eff.bor_counts[code], eff.N, style=style),
                         ""), "item", (None, counts.entry(code).printed("n_pct"))))
    for name, label in (("orr", "Objective response rate (CR + PR)"),
                        ("dcr", "Disease control rate (CR + PR + SD)")):
        p, at = getattr(eff, name), EFFICACY.field(name)
        rows.append(Row((f"{label}, n (%)", cell("n_pct", p, style=style),
                         cell("ci", p, style=style)), "plain",
                        (None, at.printed("n_pct"), at.printed("ci")), notes.mark(p.bound)))
    for s in (surv.pfs, surv.os):
        abbrev, base = ENDPOINT_ABBREVIATIONS[s.endpoint], SURVIVAL.field(s.endpoint)
        rows.append(Row((s.label, "", ""), "group"))
        rows.append(Row(("Events, n (%)", cell("n_pct", s.n_events, s.n, style=style), ""),
                        "item", (None, base.field("n_events").printed("n_pct"))))
        ci = cell("ci", s, style=style) if s.median is not None or s.ci_low is not None else ""
        rows.append(Row((f"Median {abbrev}, months", cell("months", s.median, style=style), ci),
                        "item", (None, base.field("median").printed("months"),
                                 base.printed("ci")), notes.mark(s.bound and MEDIAN_CUT)))
        for lm in s.landmarks:
            if lm.estimate is None:
                continue
            at = base.field("landmarks").item(lm.months)
            rows.append(Row((f"{fmt_landmark_label(lm.months)} {abbrev} rate, %",
                             cell("pct", lm.estimate, style=style), cell("ci", lm, style=style)),
                            "item", (None, at.field("estimate").printed("pct"),
                                     at.printed("ci"))))
    return TableSpec("efficacy", header, tuple(rows), footnotes=notes.footnotes)


def efficacy_table_by_cohort(results: Results, style: Style = DEFAULT) -> TableSpec:
    """The efficacy table, with a column per cohort and the total when study.yaml has `by:`
    (its CIs then on rows of their own)."""
    return by_cohort(efficacy_table, results, style)


TABLE = TableArtifact("efficacy", "tables/efficacy.md.j2", efficacy_table_by_cohort,
                      reads=("efficacy.N", "efficacy.bor_counts", "efficacy.orr", "efficacy.dcr",
                             "survival.pfs", "survival.os", "cohorts", "by", "study.n_patients"),
                      section="Efficacy",
                      name="Tumor response and survival")
