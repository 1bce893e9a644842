"""Two-sided Fisher exact test for an r x c table, as R `fisher.test` computes it.

The p-value is the total probability, under the multivariate hypergeometric law of
tables with the observed margins, of the tables no more probable than the observed
one. R compares with a tolerance: for a 2 x 2 table `d <= d_obs * (1 + 1e-7)`
(fisher.test's relErr), for larger tables FEXACT adds tol = 3.45254e-7 to the
observed log path length. Both are used here, so tables tied with the observed one
in exact arithmetic count, as in R.

The tables are enumerated as a network, row by row of the longer dimension, the state
being the column sums still to fill. Each state has an exact closed-form total mass
and bounds on its longest and shortest completions, so a partial table whose
completions all lie below (or all above) the threshold is settled at once; only the
undecided ones are expanded, with equal partial probabilities merged (Mehta and
Patel's network algorithm, without FEXACT's workspace limits).

- 2 x 2 (a yes/no factor against response): R's own 2 x 2 branch, the hypergeometric
  probabilities of the one free cell summed where they are no larger than the observed
  one's (times 1 + 1e-7); linear in n, so 100,000 patients take milliseconds.
- Two columns (response by factor: k levels x responder yes/no): the bounds are exact
  (dynamic programming) and every stage is one vectorised step. 300 patients in 5 or 8
  levels take milliseconds, 1,000 in 5 levels a fraction of a second; the number of
  distinct partial probabilities grows about eightfold per level, so past GRID_LIMIT
  at one stage (e.g. 1,000 patients in 8 levels, a table R's FEXACT also refuses with
  its default workspace) it raises FisherTooLarge.
- Three or more columns: states are tuples, the bounds a cheap valid relaxation, and
  the work Python-level; about 100 patients in a 5 x 3 table are immediate, a few
  hundred take seconds. Past WORK_LIMIT steps (deterministic, about 3 s) it raises
  FisherTooLarge rather than run for minutes, and the caller reports the test as not
  computed and says why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import numpy as np

REL_TOL_2X2 = 1e-7  # R fisher.test: relErr <- 1 + 10^(-7)
LOG_TOL_FEXACT = 3.45254e-7  # R fexact.c: obs = tol + observed path length
WORK_LIMIT = 300_000  # Python-level steps of the general path (about 3 s)
GRID_LIMIT = 30_000_000  # (partial table, next cell) pairs in one stage of the k x 2 path
BOUND_LIMIT = 300_000_000  # (state, next cell) pairs bounded over all stages (about 10 s)
CHUNK = 2_000_000  # cells bounded at once (memory)
ARRAY_COST = 50  # array elements per step
_MERGE = 1e-12  # partial log-probabilities closer than this share one node


class FisherTooLarge(RuntimeError):
    """The exact enumeration would take more than WORK_LIMIT steps."""


def fisher_exact(table: Sequence[Sequence[int]] | np.ndarray) -> float:
    """Two-sided exact p-value; 1.0 when fewer than two rows or columns have any count.

    Empty rows and columns change no table's probability, so they are dropped (R does
    the same inside FEXACT); with one non-empty row or column only the observed table
    is possible and R gives 1.
    """
    t = np.asarray(table)
    if t.ndim != 2 or (t.size and (t.min() < 0 or not np.all(t == np.round(t)))):
        raise ValueError("a table of non-negative whole counts is required")
    t = t.astype(np.int64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 1.0
    log_tol = math.log1p(REL_TOL_2X2) if t.shape == (2, 2) else LOG_TOL_FEXACT
    if t.shape[1] > t.shape[0]:
        t = t.T  # rows are the stages: the longer dimension, so states stay short
    if t.shape == (2, 2):
        p = _two_by_two(t, log_tol)
    else:
        p = _two_columns(t, log_tol) if t.shape[1] == 2 else _network(t, log_tol)
    return min(1.0, max(0.0, p))


def _two_by_two(t: np.ndarray, log_tol: float) -> float:
    """R fisher.test's 2 x 2 branch: dhyper over the support of t[0, 0], normalised, and
    summed where no larger than the observed table's probability (relErr)."""
    m, n, k = int(t[:, 0].sum()), int(t[:, 1].sum()), int(t[0].sum())
    lf = _log_factorials(m + n)
    x = np.arange(max(0, k - n), min(k, m) + 1)
    log_d = (lf[m] + lf[n] + lf[k] + lf[m + n - k] - lf[m + n]
             - lf[x] - lf[k - x] - lf[m - x] - lf[n - k + x])
    d = np.exp(log_d - log_d.max())
    d /= d.sum()
    observed = d[int(t[0, 0]) - x[0]]
    return float(d[d <= observed * math.exp(log_tol)].sum())


def _log_factorials(n: int) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, n + 1)))))


def _two_columns(t: np.ndarray, log_tol: float) -> float:
    """k x 2: the state is what is left of column 1; stages vectorised with numpy."""
    rows = np.sort(t.sum(axis=1))[::-1]
    first, total = int(t[:, 0].sum()), int(t.sum())
    lf = _log_factorials(total)
    const = lf[rows].sum() + lf[first] + lf[total - first] - lf[total]
    threshold = -lf[t].sum() + log_tol
    k = len(rows)
    rest = np.concatenate((np.cumsum(rows[::-1])[::-1], [0]))
    if sum(int(rest[s] + 1) * int(rows[s] + 1) for s in range(k)) > BOUND_LIMIT:
        raise FisherTooLarge(f"the exact test of this {k} x 2 table needs more than "
                             f"{BOUND_LIMIT:,} cells to bound its completions")
    # hi[s][a], lo[s][a]: longest and shortest completion from stage s with a left in
    # column 1 (and rest[s] - a in column 2); -inf / +inf where no completion exists
    hi: list[np.ndarray] = [np.empty(0)] * (k + 1)
    lo: list[np.ndarray] = [np.empty(0)] * (k + 1)
    hi[k] = lo[k] = np.zeros(1)
    for s in range(k - 1, -1, -1):
        hi[s], lo[s] = _bounds(int(rest[s]), int(rows[s]), int(rest[s + 1]), hi[s + 1],
                               lo[s + 1], lf)
    p = 0.0
    state, past, freq = np.array([first]), np.zeros(1), np.ones(1)
    for s in range(k):
        if len(state) * (int(rows[s]) + 1) > GRID_LIMIT:
            raise FisherTooLarge(f"the exact test of this {k} x 2 table needs more than "
                                 f"{GRID_LIMIT:,} partial tables at one stage")
        a, x, w, ok = _grid(state, int(rows[s]), int(rest[s + 1]), lf)
        child = a - x
        tot = past[:, None] + w
        safe = np.where(ok, child, 0)
        settled = ok & (tot + hi[s + 1][safe] <= threshold)
        if settled.any():
            c = child[settled]
            mass = lf[rest[s + 1]] - lf[rows[s + 1:]].sum() - lf[c] - lf[rest[s + 1] - c]
            p += float(np.sum(np.broadcast_to(freq[:, None], tot.shape)[settled]
                              * np.exp(tot[settled] + const + mass)))
        open_ = ok & ~settled & (tot + lo[s + 1][safe] <= threshold)
        state, past, freq = _merge_states(child[open_], tot[open_],
                                          np.broadcast_to(freq[:, None], tot.shape)[open_])
    return p


def _bounds(rest: int, row: int, rest_after: int, hi_next: np.ndarray, lo_next: np.ndarray,
            lf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longest and shortest completions of every state of a stage, a block of states at a
    time so that memory stays near CHUNK cells whatever the study's size."""
    hi, lo = np.empty(rest + 1), np.empty(rest + 1)
    step = max(1, CHUNK // (row + 1))
    for start in range(0, rest + 1, step):
        states = np.arange(start, min(rest + 1, start + step))
        a, x, w, ok = _grid(states, row, rest_after, lf)
        child = np.clip(a - x, 0, rest_after)
        hi[states] = np.where(ok, w + hi_next[child], -np.inf).max(axis=1)
        lo[states] = np.where(ok, w + lo_next[child], np.inf).min(axis=1)
    return hi, lo


def _grid(state: np.ndarray, row: int, rest_after: int,
          lf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every (state, x) pair: x of this row in column 1, its weight, and feasibility."""
    a = state[:, None]
    x = np.arange(row + 1)[None, :]
    left = a - x  # column 1 left after this row; column 2 keeps rest_after - left
    ok = (left >= 0) & (left <= rest_after)
    w = -(lf[x] + lf[row - x])
    return np.broadcast_to(a, ok.shape), np.broadcast_to(x, ok.shape), \
        np.broadcast_to(w, ok.shape), ok


def _merge_states(state: np.ndarray, past: np.ndarray,
                  freq: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Partial tables with the same state and log-probability have the same futures."""
    if len(state) == 0:
        return state, past, freq
    order = np.lexsort((past, state))
    state, past, freq = state[order], past[order], freq[order]
    new = np.concatenate(([True], (np.diff(state) != 0) | (np.diff(past) > _MERGE)))
    starts = np.flatnonzero(new)
    return state[starts], past[starts], np.add.reduceat(freq, starts)


def _network(t: np.ndarray, log_tol: float) -> float:
    rows = tuple(sorted((int(r) for r in t.sum(axis=1)), reverse=True))
    cols = tuple(sorted(int(c) for c in t.sum(axis=0)))
    total = sum(rows)
    lf_list = _log_factorials(total).tolist()  # log k!
    const = sum(lf_list[r] for r in rows) + sum(lf_list[c] for c in cols) - lf_list[total]
    threshold = -float(sum(lf_list[int(x)] for x in t.ravel())) + log_tol
    n_stages = len(rows)
    rest = [sum(rows[s:]) for s in range(n_stages + 1)]
    rows_lf = [sum(lf_list[r] for r in rows[s:]) for s in range(n_stages + 1)]
    work = [0]

    def spend(steps: int) -> None:
        work[0] += steps
        if work[0] > WORK_LIMIT:
            raise FisherTooLarge(f"the exact test of this {t.shape[0]} x {t.shape[1]} table "
                                 f"needs more than {WORK_LIMIT:,} enumeration steps")

    def log_mass(stage: int, state: tuple[int, ...]) -> float:
        """log of the sum over completions of prod 1/x!: M! / (prod rows! prod state!)."""
        return lf_list[rest[stage]] - rows_lf[stage] - sum(lf_list[c] for c in state)

    @cache
    def bounds(stage: int, state: tuple[int, ...]) -> tuple[float, float]:
        """(longest, shortest) completion: max and min of -sum log x! over the rest.

        Exact (dynamic programming) for two columns; with more, each remaining row and
        each column is filled on its own under the other margin's caps, a relaxation
        whose bounds are valid but cheap (exact ones would cost ~(n/2)^(c-1) per state).
        """
        if stage == n_stages:
            return 0.0, 0.0
        if stage == n_stages - 1:  # the last row is forced
            w = -sum(lf_list[c] for c in state)
            return w, w
        if len(state) > 2:
            spend(1)
            return _relaxed_bounds(rows[stage:], state, lf_list)
        hi, lo = -math.inf, math.inf
        spend(1)
        for x, child in _children(rows[stage], state):
            spend(1)
            w = -sum(lf_list[v] for v in x)
            c_hi, c_lo = bounds(stage + 1, child)
            hi, lo = max(hi, w + c_hi), min(lo, w + c_lo)
        return hi, lo

    p = 0.0
    frontier: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {
        cols: (np.zeros(1), np.ones(1))}
    for stage in range(n_stages):
        grown: dict[tuple[int, ...], list[tuple[np.ndarray, np.ndarray]]] = {}
        for state, (past, freq) in frontier.items():
            for x, child in _children(rows[stage], state):
                spend(1 + len(past) // ARRAY_COST)
                total_w = past - sum(lf_list[v] for v in x)
                hi, lo = bounds(stage + 1, child)
                settled_in = total_w + hi <= threshold
                if settled_in.any():
                    mass = const + log_mass(stage + 1, child)
                    p += float(np.sum(freq[settled_in] * np.exp(total_w[settled_in] + mass)))
                open_ = ~settled_in & (total_w + lo <= threshold)
                if open_.any():
                    grown.setdefault(child, []).append((total_w[open_], freq[open_]))
        frontier = {state: _merge(parts) for state, parts in grown.items()}
    return p


def _relaxed_bounds(rows: tuple[int, ...], cols: tuple[int, ...],
                    lf: list[float]) -> tuple[float, float]:
    """Valid (upper, lower) bounds on -sum log x! over tables with these margins.

    Dropping one margin's equality (keeping its values as caps) leaves independent
    lines: -log x! is concave, so a line's maximum spreads its sum as evenly as the
    caps allow and its minimum piles it into the largest caps. The tighter of the two
    relaxations (by rows, by columns) is taken.
    """
    def side(lines: tuple[int, ...], caps: tuple[int, ...]) -> tuple[float, float]:
        hi = lo = 0.0
        for total in lines:
            hi -= sum(lf[v] for v in _even_fill(total, caps))
            left = total
            for cap in sorted(caps, reverse=True):
                take = min(cap, left)
                lo -= lf[take]
                left -= take
        return hi, lo

    hi_r, lo_r = side(rows, cols)
    hi_c, lo_c = side(cols, rows)
    return min(hi_r, hi_c), max(lo_r, lo_c)


def _even_fill(total: int, caps: tuple[int, ...]) -> list[int]:
    """Split total over cells capped by caps as evenly as possible (water-filling)."""
    out = [0] * len(caps)
    order = sorted(range(len(caps)), key=lambda i: caps[i])
    left, open_cells = total, len(caps)
    for i in order:
        share = left // open_cells if open_cells else 0
        take = min(caps[i], share)
        out[i] = take
        left -= take
        open_cells -= 1
    # what could not be placed evenly goes one by one to cells with room, smallest first
    for i in sorted(range(len(caps)), key=lambda j: out[j]):
        if left == 0:
            break
        if out[i] < caps[i]:
            extra = min(caps[i] - out[i], left)
            out[i] += extra
            left -= extra
    return out


def _children(row_sum: int, state: tuple[int, ...]):
    """Every way to fill one row with sum row_sum under the remaining column sums."""
    for x in _compositions(row_sum, state):
        child = tuple(sorted(c - v for c, v in zip(state, x, strict=True)))
        yield x, child


def _compositions(n: int, caps: tuple[int, ...]):
    if len(caps) == 1:
        if n <= caps[0]:
            yield (n,)
        return
    room = sum(caps[1:])
    for v in range(max(0, n - room), min(n, caps[0]) + 1):
        for tail in _compositions(n - v, caps[1:]):
            yield (v, *tail)


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Partial tables with the same state and log-probability have the same futures."""
    past = np.concatenate([a for a, _ in parts])
    freq = np.concatenate([f for _, f in parts])
    order = np.argsort(past, kind="stable")
    past, freq = past[order], freq[order]
    new_group = np.concatenate(([True], np.diff(past) > _MERGE))
    starts = np.flatnonzero(new_group)
    return past[starts], np.add.reduceat(freq, starts)
