"""The Efron partial log-likelihood with its score and information, for checks and starts.

lifelines does the fitting (cox.py). This is the independent arithmetic around it:
the score at lifelines' answer must vanish (so an answer is a maximum, not where an
iteration stopped), and when lifelines' undamped Newton steps overshoot on sparse data
(one patient with an early event: its second step lands at beta ~ 85 and diverges),
`damped_newton` gives it a starting point, halving steps that lower the likelihood
as R's coxph does.
"""

from __future__ import annotations

import numpy as np


def efron(time: np.ndarray, event: np.ndarray, x: np.ndarray, beta: np.ndarray,
          strata: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray]:
    """(log-likelihood, score, information) at beta; strata compared separately."""
    if strata is None:
        strata = np.zeros(len(time), dtype=np.int64)
    p = x.shape[1]
    ll, u, info = 0.0, np.zeros(p), np.zeros((p, p))
    for s in np.unique(strata):
        m = strata == s
        a, b, c = _one_stratum(time[m], event[m], x[m], beta)
        ll, u, info = ll + a, u + b, info + c
    return ll, u, info


def _one_stratum(time: np.ndarray, event: np.ndarray, x: np.ndarray,
                 beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    p = x.shape[1]
    order = np.argsort(time, kind="stable")
    t, e, xs = time[order], event[order], x[order] - x.mean(axis=0)
    eta = xs @ beta
    shift = eta.max(initial=0.0)
    r = np.exp(eta - shift)
    s0 = np.concatenate((np.cumsum(r[::-1])[::-1], [0.0]))
    s1 = np.concatenate((np.cumsum((r[:, None] * xs)[::-1], axis=0)[::-1], np.zeros((1, p))))
    xx = xs[:, :, None] * xs[:, None, :]
    s2 = np.concatenate((np.cumsum((r[:, None, None] * xx)[::-1], axis=0)[::-1],
                         np.zeros((1, p, p))))
    died, start, frac, group, firsts = tied_deaths(t, e)
    if len(died) == 0:
        return 0.0, np.zeros(p), np.zeros((p, p))
    # Efron: the tied deaths of a time leave the risk set a fraction (k / nd) at a time
    d0 = np.add.reduceat(r[died], firsts)[group]
    d1 = np.add.reduceat(r[died, None] * xs[died], firsts, axis=0)[group]
    d2 = np.add.reduceat(r[died, None, None] * xx[died], firsts, axis=0)[group]
    denom = s0[start] - frac * d0
    mean = (s1[start] - frac[:, None] * d1) / denom[:, None]
    ll = float(eta[died].sum() - (np.log(denom) + shift).sum())
    u = xs[died].sum(axis=0) - mean.sum(axis=0)
    info = ((s2[start] - frac[:, None, None] * d2) / denom[:, None, None]).sum(axis=0) \
        - mean.T @ mean
    return ll, u, info


def tied_deaths(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, ...]:
    """For sorted times t and events e: each death's position, the first position of its
    time (where its risk set starts), k / nd (its rank among the nd deaths of its time),
    the index of its time among the times with deaths, and where each such time's
    deaths start in the list of deaths (for np.add.reduceat)."""
    _, first = np.unique(t, return_index=True)
    died = np.flatnonzero(e)
    if len(died) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), empty, empty
    time_of = np.searchsorted(first, died, side="right") - 1  # distinct time of each death
    firsts = np.flatnonzero(np.concatenate(([True], np.diff(time_of) != 0)))
    group = np.cumsum(np.concatenate(([False], np.diff(time_of) != 0)))
    nd = np.diff(np.append(firsts, len(died)))[group]
    k = np.arange(len(died)) - firsts[group]
    return died, first[time_of], k / nd, group, firsts


def damped_newton(time: np.ndarray, event: np.ndarray, x: np.ndarray,
                  strata: np.ndarray | None = None, steps: int = 30) -> np.ndarray:
    """Newton-Raphson from 0 that halves any step lowering the likelihood (R's rule)."""
    beta = np.zeros(x.shape[1])
    ll, u, info = efron(time, event, x, beta, strata)
    for _ in range(steps):
        try:
            step = np.linalg.solve(info, u)
        except np.linalg.LinAlgError:
            break
        for _halving in range(30):
            trial = beta + step
            ll_new, u_new, info_new = efron(time, event, x, trial, strata)
            if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * abs(ll):
                break
            step /= 2
        else:
            break
        converged = abs(ll_new - ll) <= 1e-12 * (1 + abs(ll))
        beta, ll, u, info = trial, ll_new, u_new, info_new
        if converged:
            break
    return beta
