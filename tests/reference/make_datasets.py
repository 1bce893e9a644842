"""Generate the survival datasets used as an outside (R) reference.

Deterministic: fixed seeds, numpy only.  Writes ``km/<name>.csv`` next to this
file with columns ``time_days,status`` (integer days >= 0; status 1 = event,
0 = censored).  Expected values for these files are produced by
``make_expected.R`` and stored in ``r_expected.json``.

Regenerate everything with::

    python tests/reference/make_datasets.py && Rscript tests/reference/make_expected.R
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT_DIR = Path(__file__).resolve().parent / "km"
SEED = 20240611


def _random_cohort(rng, n, median_event_days, censor_low, censor_high,
                   dropout_median_days=None, round_to=1, min_day=1):
    """Exponential event times, uniform administrative censoring, optional
    exponential dropout; times rounded (up) to a multiple of ``round_to``."""
    ev = rng.exponential(median_event_days / np.log(2), size=n)
    cens = rng.uniform(censor_low, censor_high, size=n)
    if dropout_median_days is not None:
        cens = np.minimum(cens, rng.exponential(dropout_median_days / np.log(2), size=n))
    t = np.minimum(ev, cens)
    status = (ev <= cens).astype(int)
    if round_to > 1:
        days = (np.ceil(t / round_to) * round_to).astype(int)
    else:
        days = np.rint(t).astype(int)
    days = np.maximum(days, min_day)
    return days, status


def build_datasets():
    rng = np.random.default_rng(SEED)
    ds = {}

    # --- hand-written edge cases -------------------------------------------
    # n=5: tiny sample, mixed events/censorings, last observation censored.
    ds["n5_small"] = ([41, 97, 150, 233, 380], [1, 1, 0, 1, 0])

    # n=10: 5 events before any censoring -> S = 0.5 exactly on [130, 300);
    # R reports the median as the midpoint (130 + 300) / 2 days.
    ds["n10_flat_half"] = (
        [20, 45, 70, 95, 130, 300, 330, 420, 500, 610],
        [1, 1, 1, 1, 1, 1, 0, 1, 0, 1],
    )

    # n=10: S = 0.5 exactly from day 130 and never drops below (all later
    # observations censored): R reports the median as 130 (no midpoint).
    ds["n10_half_to_end"] = (
        [20, 45, 70, 95, 130, 200, 260, 330, 400, 520],
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
    )

    # n=12: events and censorings tied on the same day (R: censored subjects
    # are still at risk at their own time; events are processed first).
    ds["n12_event_censor_tie"] = (
        [14, 30, 30, 30, 61, 61, 91, 122, 122, 122, 183, 200],
        [1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0],
    )

    # n=12: zero events (everything censored).
    d = np.sort(rng.integers(20, 700, size=12))
    ds["n12_zero_events"] = (d.tolist(), [0] * 12)

    # n=15: observations at day 0 (an event and a censoring at time 0).
    d, s = _random_cohort(rng, 13, 200, 60, 600, min_day=1)
    ds["n15_day0"] = ([0, 0, *d.tolist()], [1, 0, *s.tolist()])

    # n=30: all events, no censoring (S drops to 0 at the last time).
    d, _ = _random_cohort(rng, 30, 300, 1e9, 1e9 + 1)
    ds["n30_all_events"] = (d.tolist(), [1] * 30)

    # n=30: median reached (S just below 0.5) but heavy censoring afterwards,
    # so the upper confidence limit of the median is not reached.
    ev_days = [15, 33, 48, 60, 77, 95, 110, 128, 150, 171, 190, 214, 240, 262, 291, 318]
    early_cens = [55, 140]
    late_cens = list(range(330, 330 + 12 * 31, 31))
    days = ev_days + early_cens + late_cens
    status = [1] * len(ev_days) + [0] * (len(early_cens) + len(late_cens))
    ds["n30_ucl_not_reached"] = (days, status)

    # n=20: censorings in between, last observation is an event (S -> 0).
    d, s = _random_cohort(rng, 19, 250, 60, 500, dropout_median_days=600)
    d = d.tolist()
    s = s.tolist()
    d.append(int(max(d)) + 45)
    s.append(1)
    ds["n20_last_event"] = (d, s)

    # --- random cohorts ----------------------------------------------------
    ds["n12_basic"] = tuple(x.tolist() for x in _random_cohort(rng, 12, 300, 90, 900))
    ds["n30_moderate"] = tuple(x.tolist() for x in _random_cohort(
        rng, 30, 330, 120, 1100, dropout_median_days=2000))
    # heavy ties: weekly times, short follow-up
    ds["n60_ties7"] = tuple(x.tolist() for x in _random_cohort(
        rng, 60, 90, 14, 210, dropout_median_days=400, round_to=7, min_day=7))
    # heavy censoring: median not reached (S stays well above 0.5)
    ds["n60_heavy_censor"] = tuple(x.tolist() for x in _random_cohort(
        rng, 60, 1500, 30, 540, dropout_median_days=1500))
    # heavy ties: monthly (30-day) times
    ds["n200_ties30"] = tuple(x.tolist() for x in _random_cohort(
        rng, 200, 240, 30, 720, dropout_median_days=1500, round_to=30, min_day=30))
    ds["n500_large"] = tuple(x.tolist() for x in _random_cohort(
        rng, 500, 365, 180, 1800, dropout_median_days=3000))
    return ds


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    ds = build_datasets()
    for name, (days, status) in sorted(ds.items()):
        days = [int(x) for x in days]
        status = [int(x) for x in status]
        assert len(days) == len(status) <= 500
        assert all(x >= 0 for x in days) and set(status) <= {0, 1}
        with open(OUT_DIR / f"{name}.csv", "w", newline="\n") as fh:
            fh.write("time_days,status\n")
            for t, s in zip(days, status, strict=True):
                fh.write(f"{t},{s}\n")
        print(f"{name}: n={len(days)} events={sum(status)} max_day={max(days)}")


if __name__ == "__main__":
    main()
