"""Generate the prognostic-factor datasets used as an outside (R) reference.

Deterministic: fixed seed, numpy only. Writes ``prognostic/<name>.csv`` (one row per
patient: patient_id, pfs_days, pfs_event, os_days, os_event, bor, then the factor
columns; a blank cell is a missing value) and ``prognostic/factors.csv`` (the manifest:
each dataset's factors with kind, levels in order, reference first, and whether the
multivariable model holds them). Expected values: ``make_prognostic_expected.R``,
which also writes ``prognostic/veteran.csv`` from R's survival::veteran.

    python tests/reference/make_prognostic_datasets.py
    Rscript tests/reference/make_prognostic_expected.R
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

OUT_DIR = Path(__file__).resolve().parent / "prognostic"
SEED = 20250115
BOR = ("CR", "PR", "SD", "PD", "NE")


def _times(rng, log_hr, median_days, censor_days, round_to=1):
    """Exponential event times with hazard ratio exp(log_hr), uniform censoring."""
    scale = median_days / np.log(2) / np.exp(log_hr)
    ev = rng.exponential(scale)
    cens = rng.uniform(censor_days[0], censor_days[1], size=len(ev))
    t = np.minimum(ev, cens)
    days = np.maximum(np.ceil(t / round_to) * round_to, round_to).astype(int)
    return days, (ev <= cens).astype(int)


def _endpoints(rng, log_hr, round_to=1, pfs_median=150, os_median=330,
               censor=(200, 900)):
    pfs_days, pfs_event = _times(rng, log_hr, pfs_median, censor, round_to)
    extra, os_event = _times(rng, 0.8 * log_hr, os_median, (censor[0] / 2, censor[1]),
                             round_to)
    os_days = np.where(pfs_event == 1, pfs_days + extra, np.maximum(pfs_days, extra))
    os_event = np.where(pfs_event == 1, os_event, os_event & (extra >= pfs_days))
    return pfs_days, pfs_event, os_days.astype(int), os_event.astype(int)


def _bor(rng, logit):
    p = 1 / (1 + np.exp(-logit))
    responder = rng.random(len(p)) < p
    other = rng.choice(["SD", "PD", "NE"], size=len(p), p=[0.5, 0.35, 0.15])
    return np.where(responder, rng.choice(["CR", "PR"], size=len(p), p=[0.2, 0.8]), other)


def _level(rng, n, levels, probs):
    return rng.choice(levels, size=n, p=probs)


def _blank(rng, values, fraction):
    values = values.astype(object)
    values[rng.random(len(values)) < fraction] = ""
    return values


def reference_like(rng):
    """30 patients like the shipped study: weekly times (ties), two missing values."""
    n = 30
    ecog = _level(rng, n, ["0-1", "2"], [0.7, 0.3])
    liver = _level(rng, n, ["no", "yes"], [0.65, 0.35])
    stage = _level(rng, n, ["II", "III", "IV"], [0.15, 0.3, 0.55])
    plat = _level(rng, n, ["Yes", "No"], [0.5, 0.5])
    age = rng.normal(52, 10, n).round()
    lp = 1.0 * (ecog == "2") + 0.4 * (liver == "yes") - 0.6 * (plat == "No")
    ep = _endpoints(rng, lp, round_to=7)
    bor = _bor(rng, -1.5 + 0.5 * (plat == "No"))
    cols = {"ecog": _blank(rng, ecog, 0.05), "met_liver": liver, "stage": stage,
            "platinum_refractory": plat, "age": _blank(rng, age, 0.05)}
    spec = [("ecog", "categorical", ["0-1", "2"], 1), ("met_liver", "binary", ["no", "yes"], 1),
            ("stage", "categorical", ["II", "III", "IV"], 0),
            ("platinum_refractory", "categorical", ["Yes", "No"], 0),
            ("age", "continuous", [], 1)]
    return ep, bor, cols, spec


def heavy_ties(rng):
    """60 patients, times in 30-day steps: Efron's tie handling matters; 3 levels."""
    n = 60
    site = _level(rng, n, ["A", "B", "C"], [0.4, 0.35, 0.25])
    smoker = _level(rng, n, ["no", "yes"], [0.6, 0.4])
    ldh = np.exp(rng.normal(5.5, 0.4, n)).round(1)
    lp = 0.5 * (site == "B") + 0.9 * (site == "C") + 0.3 * (smoker == "yes") + 0.002 * (ldh - 250)
    ep = _endpoints(rng, lp, round_to=30)
    bor = _bor(rng, -1.0 - 0.8 * (site == "C"))
    cols = {"site": site, "smoker": smoker, "ldh": _blank(rng, ldh, 0.1)}
    spec = [("site", "categorical", ["A", "B", "C"], 1), ("smoker", "binary", ["no", "yes"], 1),
            ("ldh", "continuous", [], 1)]
    return ep, bor, cols, spec


def small(rng):
    """12 patients, few events."""
    n = 12
    grp = np.array(["low"] * 6 + ["high"] * 6)
    rng.shuffle(grp)
    score = rng.normal(0, 1, n).round(2)
    ep = _endpoints(rng, 0.7 * (grp == "high"), censor=(100, 500))
    bor = _bor(rng, np.full(n, -0.5))
    cols = {"grp": grp, "score": score}
    spec = [("grp", "categorical", ["low", "high"], 1), ("score", "continuous", [], 1)]
    return ep, bor, cols, spec


def few_events_level(rng):
    """40 patients; level C has 5 patients and about two events."""
    n = 40
    arm = np.array(["A"] * 20 + ["B"] * 15 + ["C"] * 5)
    rng.shuffle(arm)
    flag = _level(rng, n, ["no", "yes"], [0.5, 0.5])
    lp = 0.4 * (arm == "B") - 1.5 * (arm == "C") + 0.3 * (flag == "yes")
    ep = _endpoints(rng, lp, round_to=7, censor=(150, 400))
    bor = _bor(rng, -1.0 + 1.0 * (arm == "C"))
    cols = {"arm": arm, "flag": flag}
    spec = [("arm", "categorical", ["A", "B", "C"], 1), ("flag", "binary", ["no", "yes"], 1)]
    return ep, bor, cols, spec


def no_events_level(rng):
    """40 patients; nobody in level C progresses or dies: its HR is not estimable, the
    other levels' are (R: 'coefficient may be infinite' for C only)."""
    n = 40
    arm = np.array(["A"] * 18 + ["B"] * 16 + ["C"] * 6)
    rng.shuffle(arm)
    flag = _level(rng, n, ["no", "yes"], [0.5, 0.5])
    ep = list(_endpoints(rng, 0.5 * (arm == "B") + 0.3 * (flag == "yes"), round_to=7))
    for i in (1, 3):
        ep[i] = np.where(arm == "C", 0, ep[i])
    bor = _bor(rng, -0.8 + 0.0 * (arm == "C"))
    cols = {"arm": arm, "flag": flag}
    spec = [("arm", "categorical", ["A", "B", "C"], 1), ("flag", "binary", ["no", "yes"], 1)]
    return tuple(ep), bor, cols, spec


def separation(rng):
    """25 patients; level 'early' (3 patients) has all its events before any other patient
    has one: monotone likelihood towards +inf. Level 'single' is one patient with an event
    among others at risk: estimable, but an HR from one patient."""
    n = 25
    group = np.array(["rest"] * 21 + ["early"] * 3 + ["single"])
    pfs_days = np.concatenate((rng.integers(60, 600, 21), [5, 12, 20], [150]))
    pfs_event = np.concatenate(((rng.random(21) < 0.75).astype(int), [1, 1, 1], [1]))
    os_days = pfs_days + rng.integers(10, 300, n)
    os_event = (rng.random(n) < 0.6).astype(int)
    cont = rng.normal(0, 1, n).round(2)
    bor = _bor(rng, np.full(n, -1.0))
    cols = {"group": group, "marker": cont}
    spec = [("group", "categorical", ["rest", "early", "single"], 1),
            ("marker", "continuous", [], 1)]
    return (pfs_days, pfs_event, os_days, os_event), bor, cols, spec


def large(rng):
    """300 patients, a 5-level factor, two continuous factors, missing values."""
    n = 300
    region = _level(rng, n, ["N", "E", "S", "W", "C"], [0.3, 0.2, 0.2, 0.2, 0.1])
    female = _level(rng, n, ["no", "yes"], [0.55, 0.45])
    age = rng.normal(60, 9, n).round()
    bmi = rng.normal(24, 3.5, n).round(1)
    lp = (0.2 * (region == "E") - 0.3 * (region == "S") + 0.5 * (region == "C")
          - 0.25 * (female == "yes") + 0.02 * (age - 60))
    ep = _endpoints(rng, lp, round_to=7, censor=(100, 1200))
    bor = _bor(rng, -1.2 + 0.6 * (region == "S"))
    cols = {"region": region, "female": female, "age": _blank(rng, age, 0.03),
            "bmi": _blank(rng, bmi, 0.05)}
    spec = [("region", "categorical", ["N", "E", "S", "W", "C"], 1),
            ("female", "binary", ["no", "yes"], 1), ("age", "continuous", [], 1),
            ("bmi", "continuous", [], 1)]
    return ep, bor, cols, spec


def empty_level(rng):
    """30 patients; level 'III' of stage is configured but nobody has it; all events
    (no censoring) for PFS."""
    n = 30
    stage = _level(rng, n, ["I", "II", "IV"], [0.3, 0.3, 0.4])
    marker = _blank(rng, rng.gamma(2.0, 1.5, n).round(2), 0.1)
    lp = 0.4 * (stage == "IV")
    ep = list(_endpoints(rng, lp, round_to=1))
    ep[1] = np.ones(n, dtype=int)
    bor = _bor(rng, np.full(n, -1.2))
    cols = {"stage": stage, "marker": marker}
    spec = [("stage", "categorical", ["I", "II", "III", "IV"], 1),
            ("marker", "continuous", [], 1)]
    return tuple(ep), bor, cols, spec


DATASETS = {"n30_reference_like": reference_like, "n60_heavy_ties": heavy_ties,
            "n12_small": small, "n40_few_events_level": few_events_level,
            "n40_no_events_level": no_events_level, "n25_separation": separation,
            "n300_large": large, "n30_empty_level": empty_level}


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    manifest = []
    for name, make in DATASETS.items():
        (pfs_days, pfs_event, os_days, os_event), bor, cols, spec = make(rng)
        n = len(bor)
        with open(OUT_DIR / f"{name}.csv", "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["patient_id", "pfs_days", "pfs_event", "os_days", "os_event", "bor",
                        *cols])
            for i in range(n):
                w.writerow([f"P{i + 1:03d}", int(pfs_days[i]), int(pfs_event[i]),
                            int(os_days[i]), int(os_event[i]), bor[i],
                            *(_cell(cols[c][i]) for c in cols)])
        for column, kind, levels, multi in spec:
            manifest.append([name, column, kind, "|".join(levels), multi])
        print(f"{name}: n={n} pfs events={int(np.sum(pfs_event))} "
              f"os events={int(np.sum(os_event))}")
    manifest += [["veteran", "celltype", "categorical", "squamous|smallcell|adeno|large", 1],
                 ["veteran", "trt", "categorical", "standard|test", 1],
                 ["veteran", "prior", "binary", "no|yes", 1],
                 ["veteran", "karno", "continuous", "", 1],
                 ["veteran", "age", "continuous", "", 1],
                 ["veteran", "diagtime", "continuous", "", 0]]
    with open(OUT_DIR / "factors.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["dataset", "column", "kind", "levels", "multivariable"])
        w.writerows(manifest)


def _cell(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(float(value)) if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
