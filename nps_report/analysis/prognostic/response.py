"""Objective response by level of each categorical or yes/no factor, with a Fisher test.

Responders are patients whose best overall response is CR or PR, out of all patients
of the level (NE counts as no response, as for the overall ORR). Each level's rate has
the study's proportion CI; the factor's levels x (responder, non-responder) table has
one two-sided Fisher exact p, repeated on its rows. Patients with a missing value are
left out; a level without patients keeps its row with n = 0 and no estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...results import ResponseRow
from ..proportions import proportion_ci
from .factors import Factor
from .fisher import FisherTooLarge, fisher_exact

RESPONSE = ("CR", "PR")


def response_by_factor(factors: Sequence[Factor], bor: Sequence[str], ci_method: str,
                       level: float) -> tuple[tuple[ResponseRow, ...], tuple[str, ...]]:
    """Rows for every level of every categorical factor; and factors whose test was skipped.

    A Fisher test is skipped (p None) when fewer than two levels have patients, or
    when the exact enumeration is too large (fisher.py says where that starts).
    """
    responder = np.array([b in RESPONSE for b in bor], dtype=bool)
    rows: list[ResponseRow] = []
    too_large: list[str] = []
    for f in factors:
        if not f.spec.categorical:
            continue
        values = np.asarray(f.values, dtype=object)
        table = np.array([[int((responder & (values == lv)).sum()),
                           int((~responder & (values == lv)).sum())] for lv in f.spec.levels])
        p = None
        if (table.sum(axis=1) > 0).sum() >= 2:
            try:
                p = fisher_exact(table)
            except FisherTooLarge:
                too_large.append(f.column)
        for lv, (yes, no) in zip(f.spec.levels, table.tolist(), strict=True):
            n = yes + no
            low, high = proportion_ci(yes, n, ci_method, level)
            rows.append(ResponseRow(f.column, lv, n, yes, yes / n if n else None, low, high, p))
    return tuple(rows), tuple(too_large)
