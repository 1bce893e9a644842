"""The k-sample log-rank test exactly as R `survival::survdiff(rho = 0)` computes it.

Computed here rather than with lifelines.statistics.multivariate_logrank_test, whose
chi-square agrees with survdiff but whose degrees of freedom are always k - 1: survdiff
leaves out groups with no expected events (every patient censored before the first
event) and gives df = (groups with E > 0) - 1, and a test with one such group has none.
tests/test_prognostic_against_r.py checks both against R, and this against lifelines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc


@dataclass(frozen=True)
class LogRank:
    observed: np.ndarray
    expected: np.ndarray
    chisq: float | None  # None when fewer than two groups have expected events
    df: int
    p: float | None


def logrank(time: np.ndarray, event: np.ndarray, group: np.ndarray) -> LogRank:
    """Observed and expected events per group (sorted group codes) and the chi-square."""
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    _, g = np.unique(np.asarray(group), return_inverse=True)
    k = int(g.max()) + 1 if len(g) else 0
    times = np.unique(time[event])
    # at-risk and event counts per (event time, group)
    n_risk = np.zeros((len(times), k))
    deaths = np.zeros((len(times), k))
    for j in range(k):
        tj, ej = time[g == j], event[g == j]
        n_risk[:, j] = len(tj) - np.searchsorted(np.sort(tj), times, side="left")
        deaths[:, j] = np.bincount(np.searchsorted(times, tj[ej]), minlength=len(times))
    n = n_risk.sum(axis=1)
    d = deaths.sum(axis=1)
    observed = deaths.sum(axis=0)
    expected = (n_risk * (d / n)[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        kt = np.where(n > 1, d * (n - d) / (n * (n - 1)), 0.0)
    # survdiff2.c: var[j,j] += kt n_j (1 - n_j / n); var[j,k] -= kt n_j n_k / n
    frac = n_risk / n[:, None]
    var = np.einsum("t,tj,tk->jk", kt, n_risk, -frac)
    var[np.diag_indices(k)] += (kt[:, None] * n_risk).sum(axis=0)
    used = np.flatnonzero(expected > 0)
    df = len(used) - 1
    if df < 1:
        return LogRank(observed, expected, None, max(df, 0), None)
    keep = used[1:]  # survdiff drops the first group with expected events
    diff = (observed - expected)[keep]
    chisq = float(diff @ np.linalg.solve(var[np.ix_(keep, keep)], diff))
    return LogRank(observed, expected, chisq, df, float(chdtrc(df, chisq)))
