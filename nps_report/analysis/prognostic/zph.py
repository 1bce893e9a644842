"""Proportional-hazards test as R survival 3.5 `cox.zph(fit, transform = "km")` computes it.

Since survival 3.0, cox.zph is a score test (Grambsch and Therneau) for adding
x * g(t) to the fitted model, evaluated at (beta_hat, 0): g is 1 - KM(t-) of the
model's patients, centred on its mean over the events; the score for the x * g(t)
terms and the 2p x 2p information matrix are accumulated over the event times with
Efron's weights for ties (zph1.c). Each term (a factor, all its levels together) is
tested with the full p-block for beta plus its own g-block, df = its coefficients;
GLOBAL uses everything, df = p. Not the older, residual-correlation version
(survival < 3.0), whose numbers differ.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import chdtrc

from ..km import kaplan_meier
from .efron import tied_deaths


def km_transform(time: np.ndarray, event: np.ndarray) -> np.ndarray:
    """1 - S(t-) for each patient: the KM of all of them, just before their own time."""
    fit = kaplan_meier(time, event)
    before = np.searchsorted(fit.time, time, side="left")  # KM times strictly < t
    return 1.0 - np.concatenate(([1.0], fit.surv))[before]


def score_and_information(time: np.ndarray, event: np.ndarray, x: np.ndarray,
                          beta: np.ndarray, gtime: np.ndarray) -> tuple[np.ndarray,
                                                                        np.ndarray]:
    """u (2p) and imat (2p x 2p) of the model with x and x * g(t), at (beta, 0), Efron ties
    (each of a time's nd tied deaths counts (k + 1) / nd of them in the sums, k = 0..nd-1)."""
    p = x.shape[1]
    x = x - x.mean(axis=0)
    risk = np.exp(x @ beta - np.mean(x @ beta))
    order = np.argsort(time, kind="stable")
    xs, rs, dead = x[order], risk[order], event[order]
    # sums over patients with time >= t (suffix sums over the sorted order)
    s0 = np.concatenate((np.cumsum(rs[::-1])[::-1], [0.0]))
    s1 = np.concatenate((np.cumsum((rs[:, None] * xs)[::-1], axis=0)[::-1], np.zeros((1, p))))
    xx = xs[:, :, None] * xs[:, None, :]
    s2 = np.concatenate((np.cumsum((rs[:, None, None] * xx)[::-1], axis=0)[::-1],
                         np.zeros((1, p, p))))
    died, start, k_over_nd, group, firsts = tied_deaths(time[order], dead)
    u = np.zeros(2 * p)
    imat = np.zeros((2 * p, 2 * p))
    if len(died) == 0:
        return u, imat
    nd = np.diff(np.append(firsts, len(died)))[group]
    frac = k_over_nd + 1.0 / nd  # (k + 1) / nd
    g = gtime[order[died[firsts]]][group]  # g(t) of the death's time
    d0 = np.add.reduceat(rs[died], firsts)[group]
    d1 = np.add.reduceat(rs[died, None] * xs[died], firsts, axis=0)[group]
    d2 = np.add.reduceat(rs[died, None, None] * xx[died], firsts, axis=0)[group]
    denom = s0[start] - d0 + frac * d0
    a = s1[start] - d1 + frac[:, None] * d1
    mean = a / denom[:, None]
    v = (s2[start] - d2 + frac[:, None, None] * d2 - mean[:, :, None] * a[:, None, :]) \
        / denom[:, None, None]
    u[:p] = (xs[died] - mean).sum(axis=0)
    u[p:] = (g[:, None] * (xs[died] - mean)).sum(axis=0)
    imat[:p, :p] = v.sum(axis=0)
    imat[:p, p:] = (g[:, None, None] * v).sum(axis=0)
    imat[p:, p:] = (g[:, None, None] ** 2 * v).sum(axis=0)
    imat[p:, :p] = imat[:p, p:].T
    return u, imat


def ph_test(time: np.ndarray, event: np.ndarray, x: np.ndarray, beta: np.ndarray,
            terms: Sequence[tuple[str, Sequence[int]]]) -> list[tuple[str, float, int, float]]:
    """(term, chisq, df, p) per term and for GLOBAL, as cox.zph(fit)$table.

    Raises numpy.linalg.LinAlgError when the information matrix is singular.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    ttimes = km_transform(time, event)
    gtime = ttimes - ttimes[event].mean()
    u, imat = score_and_information(time, event, np.asarray(x, dtype=float),
                                    np.asarray(beta, dtype=float), gtime)
    p = x.shape[1]
    score = np.concatenate((np.zeros(p), u[p:]))  # u for beta is 0 at the MLE
    out = []
    for name, cols in terms:
        kk = np.concatenate((np.arange(p), np.asarray(cols, dtype=int) + p))
        chisq = _quadratic(imat[np.ix_(kk, kk)], score[kk])
        out.append((name, chisq, len(cols), float(chdtrc(len(cols), chisq))))
    chisq = _quadratic(imat, score)
    out.append(("GLOBAL", chisq, p, float(chdtrc(p, chisq))))
    return out


def _quadratic(info: np.ndarray, u: np.ndarray) -> float:
    """u' info^-1 u; LinAlgError when info is singular (g(t) takes one value over the
    events a covariate varies at, e.g. a one-patient level whose event comes first),
    where R stops with "system is exactly singular" and solve() would return noise."""
    s = np.linalg.svd(info, compute_uv=False)
    if s.min() <= 1e-10 * s.max():
        raise np.linalg.LinAlgError("singular information matrix")
    return float(u @ np.linalg.solve(info, u))
