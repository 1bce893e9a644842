"""Objective response by level of each categorical or yes/no factor, with its Fisher test.

A factor is a group row carrying its two-sided Fisher exact p (one test of all its
levels against response); each level row gives its patients, its responders and the
response rate with the study's proportion CI. Every cell is keyed by the Results value
it prints (the p by the factor's first row, on which it is repeated).
"""

from __future__ import annotations

from ...results import ResponseRow, Results, interval_bound
from ...results.keys import Key
from ..artifact import TableArtifact
from ..factors import factor_label, level_label
from ..fmt import DEFAULT, Style, fmt_confidence
from ..formats import cell
from ..intervals import Footnotes
from .spec import Row, TableSpec, content_widths

RESPONSE = Key.parse("response_by_factor")


def response_by_factor_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    prognostic = results.prognostic
    if prognostic is None or results.response_by_factor is None:
        raise ValueError("no response by factor in these results")
    lvl = fmt_confidence(prognostic.methods.level)
    header = ("Factor", "n", "Responders", f"ORR, % ({lvl} CI)", "p")
    labels = ("Factor", "n", "responders", f"ORR, % ({lvl} CI)", "Fisher exact p")
    by_factor: dict[str, list[ResponseRow]] = {}
    for r in results.response_by_factor:
        by_factor.setdefault(r.factor, []).append(r)
    rows: list[Row] = []
    notes = Footnotes()  # intervals that are not real intervals: a lettered note each
    method = prognostic.methods.proportion_ci
    for f in prognostic.factors:
        levels = by_factor.get(f.column)
        if not levels:
            continue
        first = RESPONSE.item(levels[0].name)
        rows.append(Row((factor_label(f), "", "", "", cell("p_value", levels[0].p, style=style)),
                        "group", (None, None, None, None, first.field("p").printed("p"))))
        for r in levels:
            at = RESPONSE.item(r.name)
            bound = interval_bound(r.responders, r.n, r.ci_low, r.ci_high, method)
            rows.append(Row((level_label(f, r.level), cell("count", r.n, style=style),
                             cell("count", r.responders, style=style),
                             cell("rate_ci", r, style=style), ""), "item",
                            (None, at.field("n").printed("count"),
                             at.field("responders").printed("count"), at.printed("rate_ci"),
                             None), notes.mark(bound)))
    return TableSpec("response_by_factor", header, tuple(rows), labels,
                     content_widths(header, tuple(rows)), notes.footnotes)


def has_response_by_factor(results: Results) -> bool:
    return bool(results.response_by_factor)


TABLE = TableArtifact("response_by_factor", "tables/response_by_factor.md.j2",
                      response_by_factor_table,
                      reads=("response_by_factor", "prognostic.factors", "prognostic.methods"),
                      applies=has_response_by_factor, section="Prognostic factors",
                      name="Response by factor")
