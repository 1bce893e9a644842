"""Which Cox coefficients have no finite estimate (monotone likelihood), found exactly.

The partial likelihood (Breslow or Efron) increases without bound along a direction d
exactly when, at every event, the patient with the event has the largest x.d among
those at risk (Bryson and Johnson 1981): a level with no events, a reference level
with none, a group whose events all come before the others are at risk. A d with
x.d equal across every comparison (a level without patients, collinear columns) leaves
the likelihood flat: not identifiable either. Both are the cone
{d : x_i.d >= x_j.d for every event i and every j at risk then}. This module finds
that cone's span with linear programs, so the rule is a property of the data, not of
how far an optimiser wandered (R's "coefficient may be infinite" warning and
lifelines' convergence warnings are heuristics).

Flat directions come from an SVD; whether any other direction exists is one LP (the
largest total slack is zero when none does), and only then are the span's coordinates
searched, two LPs each. The LPs stay small: with m_k the largest x.d at risk at the
k-th event time (m is non-increasing in time, because risk sets shrink), "x_j.d <= m_k
for every event time at which j is at risk" needs one constraint per patient, and
"x_i.d >= m_k" one per event: about n + 2 * events rows, not n^2.

Along the cone the likelihood tends to that of a stratified model (patients compared
only with those of equal x.d), which is what R's coxph reaches after its iterations
and what the estimable coefficients are fitted on (cox.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIRECTION_TOL = 1e-6  # a box-bounded cone direction component above this is real
_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


@dataclass(frozen=True)
class Separation:
    directions: np.ndarray  # (p, r) orthonormal basis of the diverging/flat span; r = 0: none
    strata: np.ndarray  # per patient: patients compared only within a stratum in the limit

    @property
    def estimable(self) -> np.ndarray:
        """Coefficients orthogonal to every diverging direction keep a finite estimate."""
        if self.directions.shape[1] == 0:
            return np.ones(self.directions.shape[0], dtype=bool)
        return np.abs(self.directions).max(axis=1) < 1e-9


def find_separation(time: np.ndarray, event: np.ndarray, x: np.ndarray) -> Separation:
    """The span of the monotone-likelihood cone, and the limit model's strata.

    Searched repeatedly: once some directions are found, the limit problem (compare
    only within strata of equal x.d, coefficients restricted to the orthogonal
    complement) is searched again, until it has none; each round adds at least one
    dimension, so there are at most p rounds.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    n, p = x.shape
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = x / scale  # comparable components; directions are mapped back below
    basis = np.eye(p)
    found: list[np.ndarray] = []
    strata = np.zeros(n, dtype=np.int64)
    while basis.shape[1] > 0:
        reduced = xs @ basis
        dirs = _cone_directions(time, event, reduced, strata)
        if not dirs:
            break
        new = [basis @ d for d in dirs]
        found.extend(new)
        for d in new:
            # by each direction, not their sum: +d and -d (a flat direction) would cancel;
            # for cone members, equal on the sum is equal on each
            strata = _refine(strata, xs @ d)
        span = _orthonormal(np.column_stack(found))
        basis = complement(span)
    if not found:
        return Separation(np.zeros((p, 0)), strata)
    beta_dirs = np.column_stack(found) / scale[:, None]  # x.beta = xs.(scale * beta)
    return Separation(_orthonormal(beta_dirs), strata)


def _cone_directions(time: np.ndarray, event: np.ndarray, x: np.ndarray,
                     strata: np.ndarray) -> list[np.ndarray]:
    """Box-bounded cone members maximising +d_q and -d_q for each q (2p small LPs)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    p = x.shape[1]
    rows: list[np.ndarray] = []  # (row, col, value) triplets of A_ub z <= 0
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    n_rows = 0
    m_offset = p
    for s in np.unique(strata):
        idx = np.flatnonzero(strata == s)
        ev_times = np.unique(time[idx][event[idx]])
        if len(ev_times) == 0:
            continue
        k_of = np.searchsorted(ev_times, time[idx], side="right") - 1  # last event time <= t
        at_risk = idx[k_of >= 0]
        k_risk = k_of[k_of >= 0] + m_offset
        # x_j.d - m_k(j) <= 0
        r = n_rows + np.arange(len(at_risk))
        rows += [np.repeat(r, p), r]
        cols += [np.tile(np.arange(p), len(at_risk)), k_risk]
        vals += [x[at_risk].ravel(), -np.ones(len(at_risk))]
        n_rows += len(at_risk)
        # m_{k+1} - m_k <= 0
        chain = np.arange(len(ev_times) - 1) + m_offset
        r = n_rows + np.arange(len(chain))
        rows += [r, r]
        cols += [chain + 1, chain]
        vals += [np.ones(len(chain)), -np.ones(len(chain))]
        n_rows += len(chain)
        # m_k(i) - x_i.d <= 0 for every event i
        dead = idx[event[idx]]
        k_dead = np.searchsorted(ev_times, time[dead]) + m_offset
        r = n_rows + np.arange(len(dead))
        rows += [r, np.repeat(r, p)]
        cols += [k_dead, np.tile(np.arange(p), len(dead))]
        vals += [np.ones(len(dead)), -x[dead].ravel()]
        n_rows += len(dead)
        m_offset += len(ev_times)
    if m_offset == p:
        return [np.eye(p)[:, q] for q in range(p)]  # no events: nothing is estimable
    a_ub = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n_rows, m_offset)).tocsr()
    bounds = [(-1.0, 1.0)] * p + [(None, None)] * (m_offset - p)
    flat = _flat_directions(time, event, x, strata)
    if flat:
        return flat  # the next round searches their complement for the rest
    # One LP settles the usual case: the largest total slack is 0 exactly when no
    # direction makes any comparison strict; only then are the 2p LPs below needed.
    res = linprog(np.asarray(a_ub.sum(axis=0)).ravel(), A_ub=a_ub, b_ub=np.zeros(n_rows),
                  bounds=bounds, method="highs", options=_LP_OPTIONS)
    if res.status == 0 and -res.fun <= DIRECTION_TOL:
        return []
    found = []
    for q in range(p):
        for sign in (1.0, -1.0):
            c = np.zeros(m_offset)
            c[q] = -sign  # maximise sign * d_q
            res = linprog(c, A_ub=a_ub, b_ub=np.zeros(n_rows), bounds=bounds,
                          method="highs", options=_LP_OPTIONS)
            if res.status != 0 or -res.fun <= DIRECTION_TOL:
                continue
            d = np.where(np.abs(res.x[:p]) < 1e-8, 0.0, res.x[:p])  # solver noise
            if _is_cone_member(time, event, x, strata, d):
                found.append(d)
    return found


def _flat_directions(time: np.ndarray, event: np.ndarray, x: np.ndarray,
                     strata: np.ndarray) -> list[np.ndarray]:
    """Directions with x.d constant over everyone ever compared: the patients at risk at
    each stratum's first event time (later risk sets are subsets). Their null space."""
    blocks = []
    for s in np.unique(strata):
        idx = np.flatnonzero(strata == s)
        if not event[idx].any():
            continue
        compared = x[idx][time[idx] >= time[idx][event[idx]].min()]
        blocks.append(compared - compared.mean(axis=0))
    m = np.vstack([*blocks, np.zeros((x.shape[1], x.shape[1]))])  # >= p rows: vt is p x p
    _, sv, vt = np.linalg.svd(m, full_matrices=False)
    rank = int(np.sum(sv > 1e-10 * max(sv.max(initial=0.0), 1.0)))
    return [vt[i] for i in range(rank, x.shape[1])]


def _is_cone_member(time: np.ndarray, event: np.ndarray, x: np.ndarray, strata: np.ndarray,
                    d: np.ndarray) -> bool:
    """Check an LP answer directly: every event has the largest x.d at risk (to 1e-9)."""
    score = x @ d
    tol = 1e-9 * (1.0 + np.abs(score).max())
    for s in np.unique(strata):
        idx = np.flatnonzero(strata == s)
        order = idx[np.argsort(time[idx], kind="stable")]
        t, sc = time[order], score[order]
        running = np.maximum.accumulate(sc[::-1])[::-1]  # max over time >= t (by position)
        first = np.searchsorted(t, t, side="left")  # ties: the whole tied group is at risk
        ev = event[order]
        if np.any(sc[ev] < running[first][ev] - tol):
            return False
    return True


def _refine(strata: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Split strata further by equal values (within rounding) of x.d."""
    order = np.argsort(values, kind="stable")
    v = values[order]
    tol = 1e-9 * (1.0 + np.abs(v).max(initial=0.0))
    group = np.empty(len(v), dtype=np.int64)
    group[order] = np.concatenate(([0], np.cumsum(np.diff(v) > tol)))
    _, combined = np.unique(np.column_stack((strata, group)), axis=0, return_inverse=True)
    return combined.ravel().astype(np.int64)


def _orthonormal(a: np.ndarray) -> np.ndarray:
    u, s, _ = np.linalg.svd(a, full_matrices=False)
    return u[:, s > 1e-10 * max(s.max(initial=0.0), 1.0)]


def complement(span: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the orthogonal complement of span's columns."""
    p = span.shape[0]
    if span.shape[1] == 0:
        return np.eye(p)
    u, _, _ = np.linalg.svd(span, full_matrices=True)
    return u[:, span.shape[1]:]
