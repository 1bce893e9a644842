"""Tumour response and survival: BOR, ORR/DCR with CIs, PFS/OS medians and landmark rates."""

from __future__ import annotations

from ...results import Results, landmark_key
from ...vocab import BOR_NAMES, BOR_ORDER, ENDPOINT_ABBREVIATIONS
from ..fmt import (
    DEFAULT,
    Style,
    fmt_ci_months,
    fmt_ci_pct,
    fmt_ci_rate,
    fmt_landmark_label,
    fmt_months,
    fmt_n_pct,
    fmt_pct,
    level_label,
)
from ..intervals import MEDIAN_CUT, Footnotes
from .spec import Row, TableSpec


def efficacy_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    eff, surv = results.efficacy, results.survival
    notes = Footnotes()
    lvl = level_label(eff.orr.level)
    header = ("Outcome", f"Patients (N = {eff.N})", f"{lvl} CI")
    rows = [Row(("Best overall response (RECIST 1.1), n (%)", "", ""), "group")]
    for code in BOR_ORDER:
        n = eff.bor_counts[code]
        rows.append(Row((BOR_NAMES[code], fmt_n_pct(n, n / eff.N if eff.N else None, style),
                         ""), "item", (None, f"efficacy.bor_counts.{code}")))
    for key, name in (("orr", "Objective response rate (CR + PR)"),
                      ("dcr", "Disease control rate (CR + PR + SD)")):
        p = getattr(eff, key)
        rows.append(Row((f"{name}, n (%)", fmt_n_pct(p.n, p.estimate, style),
                         fmt_ci_pct(p, style)), "plain",
                        (None, f"efficacy.{key}", f"efficacy.{key}.ci"), notes.mark(p.bound)))
    for s in (surv.pfs, surv.os):
        abbrev, base = ENDPOINT_ABBREVIATIONS[s.endpoint], f"survival.{s.endpoint}"
        rows.append(Row((s.label, "", ""), "group"))
        rows.append(Row(("Events, n (%)", fmt_n_pct(s.n_events, s.n_events / s.n if s.n
                                                    else None, style), ""), "item",
                        (None, f"{base}.n_events")))
        ci = fmt_ci_months(s, style) if s.median is not None or s.ci_low is not None else ""
        rows.append(Row((f"Median {abbrev}, months", fmt_months(s.median, style, short=True), ci),
                        "item", (None, f"{base}.median", f"{base}.median.ci"),
                        notes.mark(s.bound and MEDIAN_CUT)))
        for lm in s.landmarks:
            if lm.estimate is None:
                continue
            at = f"{base}.landmarks[{landmark_key(lm.months)}]"
            rows.append(Row((f"{fmt_landmark_label(lm.months)} {abbrev} rate, %",
                             fmt_pct(lm.estimate, style),
                             fmt_ci_rate(lm.ci_low, lm.ci_high, style)), "item",
                            (None, at, f"{at}.ci")))
    return TableSpec("efficacy", header, tuple(rows), footnotes=notes.footnotes)
