"""Dummy coding of factors for a Cox model, as R's treatment contrasts do it.

A categorical or yes/no factor gives one 0/1 column per non-reference level; a level
without patients among the model's patients gets no column (R gives it an NA
coefficient); a continuous factor is one column. Each column remembers its factor and
level, each factor its columns (a "term", for the per-factor tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .factors import Factor


@dataclass(frozen=True)
class Column:
    factor: str
    level: str | None  # None for a continuous factor
    reference: str | None


@dataclass(frozen=True)
class Design:
    x: np.ndarray  # patients in the model x columns
    columns: tuple[Column, ...]
    terms: tuple[tuple[str, tuple[int, ...]], ...]  # (factor, its column indices)
    empty_levels: tuple[Column, ...]  # non-reference levels with no patients: no column


def complete_cases(factors: Sequence[Factor]) -> np.ndarray:
    """Patients with a value for every factor."""
    n = len(factors[0].values) if factors else 0
    keep = np.ones(n, dtype=bool)
    for f in factors:
        keep &= np.array([v is not None for v in f.values], dtype=bool)
    return keep


def build_design(factors: Sequence[Factor], keep: np.ndarray) -> Design:
    blocks: list[np.ndarray] = []
    columns: list[Column] = []
    terms: list[tuple[str, tuple[int, ...]]] = []
    empty: list[Column] = []
    for f in factors:
        values = [v for v, k in zip(f.values, keep, strict=True) if k]
        spec = f.spec
        start = len(columns)
        if not spec.categorical:
            blocks.append(np.asarray(values, dtype=float)[:, None])
            columns.append(Column(spec.column, None, None))
        else:
            arr = np.asarray(values, dtype=object)
            for level in spec.levels[1:]:
                col = (arr == level).astype(float)
                if col.any():
                    blocks.append(col[:, None])
                    columns.append(Column(spec.column, level, spec.reference))
                else:
                    empty.append(Column(spec.column, level, spec.reference))
        terms.append((spec.column, tuple(range(start, len(columns)))))
    x = np.hstack(blocks) if blocks else np.zeros((int(keep.sum()), 0))
    return Design(x, tuple(columns), tuple(terms), tuple(empty))
