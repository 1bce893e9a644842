"""Objective response by level of each categorical or yes/no factor, with its Fisher test.

A factor is a group row carrying its two-sided Fisher exact p (one test of all its
levels against response); each level row gives its patients, its responders and the
response rate with the study's proportion CI. Every cell is keyed by the Results value
it prints (the p by the factor's first row, on which it is repeated).
"""

from __future__ import annotations

from ...results import ResponseRow, Results, interval_bound
from ..factors import factor_label, level_label
from ..fmt import DEFAULT, Style, fmt_ci_rate, fmt_int, fmt_p, fmt_pct
from ..fmt import level_label as ci_level
from ..intervals import Footnotes
from .spec import Row, TableSpec, content_widths


def response_by_factor_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    prognostic = results.prognostic
    if prognostic is None or results.response_by_factor is None:
        raise ValueError("no response by factor in these results")
    lvl = ci_level(prognostic.methods.level)
    header = ("Factor", "n", "Responders", f"ORR, % ({lvl} CI)", "p")
    labels = ("Factor", "n", "responders", f"ORR, % ({lvl} CI)", "Fisher exact p")
    by_factor: dict[str, list[ResponseRow]] = {}
    for r in results.response_by_factor:
        by_factor.setdefault(r.factor, []).append(r)
    rows: list[Row] = []
    notes = Footnotes()
    method = prognostic.methods.proportion_ci
    for f in prognostic.factors:
        levels = by_factor.get(f.column)
        if not levels:
            continue
        first = f"response_by_factor[{levels[0].name}]"
        rows.append(Row((factor_label(f), "", "", "", fmt_p(levels[0].p, style)), "group",
                        (None, None, None, None, f"{first}.p")))
        for r in levels:
            at = f"response_by_factor[{r.name}]"
            bound = interval_bound(r.responders, r.n, r.ci_low, r.ci_high, method)
            rows.append(Row((level_label(f, r.level), fmt_int(r.n, style),
                             fmt_int(r.responders, style), rate_cell(r, style), ""), "item",
                            (None, f"{at}.n", f"{at}.responders", at, None), notes.mark(bound)))
    return TableSpec("response_by_factor", header, tuple(rows), labels,
                     content_widths(header, tuple(rows)), notes.footnotes)


def rate_cell(r: ResponseRow, style: Style = DEFAULT) -> str:
    """'16.7 (0.6–32.7)'; the rate alone without limits; style.missing for no patients."""
    if r.estimate is None or r.n == 0:
        return style.missing
    ci = fmt_ci_rate(r.ci_low, r.ci_high, style)
    return f"{fmt_pct(r.estimate, style)} ({ci})" if ci else fmt_pct(r.estimate, style)
