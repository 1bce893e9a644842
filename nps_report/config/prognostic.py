"""`prognostic:` checked against `baseline:` when study.yaml is read, at the lines written.

A factor must name a column of a Table 1 row (config.baseline.factor_rows): the analysis
reads its kind and levels there. Each problem names its key (`prognostic.factors[2]`)
and the nearest column that would do.
"""

from __future__ import annotations

from ..errors import Problem, did_you_mean
from .at import At
from .baseline import BaselineItem, factor_rows
from .model import StudyConfig
from .yamlfile import FILE

EXAMPLE = "e.g. [ecog, met_liver, age]"


def check_prognostic(config: StudyConfig, at: At) -> None:
    """Report every problem of config.prognostic to at's context (nothing without one)."""
    p = config.prognostic
    if p is None:
        return
    at = at.child("prognostic")
    if not p.endpoints:
        at.child("endpoints").bad("empty value", None, "pfs, os or both, e.g. [pfs, os]")
    if not p.factors:  # reported at the `prognostic:` line when the key is not there
        sub = at.child("factors")
        spot = sub.spot or at.spot
        at.ctx.problems.append(Problem(FILE, "no factors given", row=spot.key_line if spot
                                       else None, column=sub.dotted,
                                       expected=f"a list of columns of baseline rows, {EXAMPLE}"))
    rows = factor_rows(config.baseline)
    available = list(rows)
    for i, choice in enumerate(p.factors):
        if choice.reference is not None and choice.column in rows:
            _check_reference(choice.reference, rows[choice.column],
                             _item(at.child("factors"), i).child("reference"))
    for name, columns in (("factors", p.columns), ("multivariable", p.multivariable)):
        seen: set[str] = set()
        for i, column in enumerate(columns):
            sub = _item(at.child(name), i)
            if column in seen:
                sub.bad("factor listed twice", column, "each factor once")
            elif column not in available:
                sub.bad("not a column of a categorical, yes/no or continuous baseline row",
                        column, did_you_mean(column, available) if available else
                        "a column of a row under baseline: (Table 1); add its row there first")
            seen.add(column)
    if len(set(p.multivariable)) == 1:
        at.child("multivariable").bad(
            "a multivariable model needs at least two factors", list(p.multivariable),
            "two or more factors, e.g. [ecog, met_liver], or no multivariable key (each "
            "factor has its univariable model)")


def _item(at: At, index: int) -> At:
    """The list entry's position; the key's own when it was written as one text."""
    sub = at.child(index)
    return at if sub.spot is None and at.spot is not None else sub


def _check_reference(reference: str, row: BaselineItem, at: At) -> None:
    """The level must be one of the row's: its printed labels, or yes/no for a yes/no column;
    a continuous factor has none. Rows without configured levels are checked on the data."""
    if row.type == "continuous":
        at.bad("a continuous factor has no reference level", reference,
               "no reference: its hazard ratio is per unit")
    elif row.type == "multi":
        if reference.strip().casefold() not in ("yes", "no"):
            at.bad("not a level of this yes/no factor", reference, '"yes" or "no"')
    elif row.levels:
        labels = [label for label, _ in row.levels]
        if reference not in labels and reference.casefold() not in {
                label.casefold() for label in labels}:
            at.bad("not a level of this factor", reference, did_you_mean(reference, labels))
