"""Derived against investigator-assessed best overall response: agreement and Cohen's kappa.

Over the patients who have both (those the investigator assessed at a scan after
treatment_start); the categories are the BOR categories CR, PR, SD, PD and NE, a
non-CR/non-PD having counted as SD in both. Cohen's kappa = (po - pe) / (1 - pe), po the
observed agreement and pe the agreement expected from the two margins; it is undefined
(None) when pe is 1, i.e. both assessments put every patient in one and the same category.
Checked against R: tests/reference/concordance.R.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Notice
from ..results import BorPair, Concordance
from ..vocab import BOR_ORDER

SHOW_PATIENTS = 12


def cohen_kappa(table: np.ndarray) -> float | None:
    """Unweighted Cohen's kappa of a square table of counts (rows: one rater)."""
    n = table.sum()
    if n == 0:
        return None
    po = np.trace(table) / n
    pe = float((table.sum(axis=1) / n) @ (table.sum(axis=0) / n))
    if pe >= 1 - 1e-12:
        return None
    return float((po - pe) / (1 - pe))


def assessed_by_both(endpoints: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per patient: whether both responses exist, and whether they agree (the rule of the
    counts here and of the patients behind them, counted.py)."""
    both = endpoints["bor_investigator"].notna().to_numpy()
    agree = both & endpoints["bor_derived"].astype(str).eq(
        endpoints["bor_investigator"].astype(str)).to_numpy()
    return both, agree


def describe_concordance(endpoints: pd.DataFrame, reported: str
                         ) -> tuple[Concordance | None, tuple[Notice, ...]]:
    """The concordance (None unless both BORs exist) and the build's notice of it."""
    if "bor_investigator" not in endpoints:
        return None, ()
    assessed, agree = assessed_by_both(endpoints)
    if not assessed.any():
        return None, ()
    both = endpoints[assessed]
    derived = both["bor_derived"].astype(str).to_numpy()
    investigator = both["bor_investigator"].astype(str).to_numpy()
    index = {c: i for i, c in enumerate(BOR_ORDER)}
    counts = np.zeros((len(BOR_ORDER), len(BOR_ORDER)), dtype=int)
    np.add.at(counts, ([index[c] for c in derived], [index[c] for c in investigator]), 1)
    differ = ~agree[assessed]
    pairs = tuple(BorPair(str(pid), d, i) for pid, d, i in zip(
        both["patient_id"].to_numpy()[differ], derived[differ], investigator[differ],
        strict=True))
    found = Concordance(
        n_agree=int((~differ).sum()), n=len(both), kappa=cohen_kappa(counts), patients=pairs,
        table={d: {i: int(counts[a, b]) for b, i in enumerate(BOR_ORDER)}
               for a, d in enumerate(BOR_ORDER)},
        reported=reported)
    return found, (_notice(found),)


def _notice(c: Concordance) -> Notice:
    kappa = "undefined" if c.kappa is None else f"{c.kappa:.3f}"
    head = (f"Best overall response derived from the measurements and as the investigator "
            f"assessed it agree for {c.n_agree} of {c.n} patients (Cohen's kappa {kappa}; "
            f"the {c.reported} response is reported)")
    if not c.patients:
        return Notice("response_concordance", head + ".")
    shown = [f"{p.patient_id}: derived {p.derived}, investigator {p.investigator}"
             for p in c.patients[:SHOW_PATIENTS]]
    if len(c.patients) > SHOW_PATIENTS:
        shown.append(f"and {len(c.patients) - SHOW_PATIENTS} more (results.json "
                     "efficacy.concordance.patients)")
    return Notice("response_concordance", head + "; they differ for:", tuple(shown))
