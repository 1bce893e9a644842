"""Generate synthetic study folders of any size in the contract format (tests, benchmarks).

Vectorised, seeded and self-consistent: progression_date is always the first scan whose
RECIST response is PD, no date passes the cutoff, and every validation rule holds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

TERMS = ("Hypertension", "Fatigue", "Hand-foot syndrome", "Diarrhea", "Proteinuria",
         "Oral mucositis", "Hypothyroidism", "Nausea", "Anorexia", "Rash")
TERM_WEIGHTS = np.array([12, 10, 9, 7, 6, 6, 5, 4, 3, 2], dtype=float)
EPOCH = np.datetime64("2019-01-01")
CUTOFF = dt.date(2024, 6, 30)


def _iso(days_since_epoch: np.ndarray) -> np.ndarray:
    """Day offsets (NaN = blank) to ISO date strings."""
    out = np.full(len(days_since_epoch), "", dtype=object)
    ok = ~np.isnan(days_since_epoch)
    dates = EPOCH + days_since_epoch[ok].astype("int64").astype("timedelta64[D]")
    out[ok] = np.datetime_as_string(dates, unit="D")
    return out


def write_study(folder: str | Path, n_patients: int, seed: int = 1, *,
                with_scans: bool = True, with_aes: bool = True) -> Path:
    """Write study.yaml and the three CSVs for n_patients into folder; returns folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = n_patients
    cutoff = float((np.datetime64(CUTOFF) - EPOCH).astype(int))
    start = rng.integers(0, 4 * 365, n).astype(float)
    prog_true = start + np.ceil(rng.exponential(5.5 * 30.4375 / np.log(2), n))
    death_true = prog_true + np.ceil(rng.exponential(6.0 * 30.4375 / np.log(2), n))
    dropout = start + np.ceil(rng.exponential(60 * 30.4375, n))
    observed_to = np.minimum(dropout, cutoff)
    interval = rng.integers(42, 64, n).astype(float)

    n_before_prog = np.ceil((prog_true - start) / interval)  # index of first scan >= prog
    prog_scan_day = start + n_before_prog * interval
    obs_end = np.minimum(np.minimum(death_true, observed_to), cutoff)
    progressed = with_scans & (prog_scan_day <= obs_end)
    if not with_scans:  # clinical progression dates when there are no scans
        progressed = prog_true <= obs_end
        prog_scan_day = prog_true
    n_scans = np.where(progressed, n_before_prog,
                       np.floor((obs_end - start) / interval)).astype(int)
    n_scans = np.maximum(n_scans, 0) if with_scans else np.zeros(n, dtype=int)
    dead = death_true <= observed_to
    death = np.where(dead, death_true, np.nan)
    progression = np.where(progressed, prog_scan_day, np.nan)
    last_fu = np.where(dead, death_true, observed_to)
    stop = np.where(progressed, progression + rng.integers(0, 15, n), np.nan)
    stop = np.where(~progressed & dead, death, stop)
    stop = np.minimum(stop, np.where(dead, death, cutoff))
    stop = np.where(np.isnan(stop) & (rng.random(n) < 0.3), last_fu, stop)
    ongoing = np.isnan(stop)
    cycles = np.ceil((np.where(ongoing, last_fu, stop) - start + 1) / 21).astype(int)

    ids = np.array([f"S{i:06d}" for i in range(1, n + 1)])
    patients = pd.DataFrame({
        "patient_id": ids,
        "treatment_start": _iso(start),
        "treatment_end": _iso(stop),
        "cycles": cycles,
        "progression_date": _iso(progression),
        "death_date": _iso(death),
        "last_followup": _iso(last_fu),
        "age": np.clip(np.round(rng.normal(56, 10, n)), 18, 90).astype(int),
        "sex": np.where(rng.random(n) < 0.7, "Male", "Female"),
        "ecog": rng.choice([0, 1, 2], n, p=[0.35, 0.5, 0.15]),
        "met_liver": np.where(rng.random(n) < 0.3, "yes", "no"),
        "met_lung": np.where(rng.random(n) < 0.35, "yes", "no"),
    })
    patients.to_csv(folder / "patients.csv", index=False)
    _write_scans(folder, rng, ids, start, interval, n_scans, progressed)
    _write_aes(folder, rng, ids, start, last_fu, with_aes)
    (folder / "study.yaml").write_text(yaml.safe_dump(_config(), sort_keys=False))
    return folder


def _write_scans(folder: Path, rng: np.random.Generator, ids: np.ndarray, start: np.ndarray,
                 interval: np.ndarray, n_scans: np.ndarray, progressed: np.ndarray) -> None:
    n = len(ids)
    base_sum = np.round(rng.uniform(20, 150, n))
    factor = np.clip(rng.normal(0.85, 0.25, n), 0.0, 1.15)
    factor = np.where(factor < 0.05, 0.0, factor)
    per = n_scans + 1
    pid = np.repeat(np.arange(n), per)
    j = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)  # 0 = baseline
    day = start[pid] + j * interval[pid]
    day = np.where(j == 0, start[pid] - rng.integers(0, 15, len(pid)), day)
    shrink = np.minimum(j, 2) / 2
    total = np.round(base_sum[pid] * (1 - (1 - factor[pid]) * shrink), 1)
    nadir = np.round(base_sum[pid] * np.minimum(1.0, factor[pid]), 1)
    last = (j == n_scans[pid]) & progressed[pid] & (j > 0)
    growth = np.round(np.maximum(total, nadir) * 1.3 + 6, 1)
    total = np.where(last, growth, np.minimum(total, base_sum[pid]))
    new_lesions = np.where(last & (rng.random(len(pid)) < 0.25), "yes", "no")
    nontarget = np.where(factor[pid] == 0, "none", "non-CR/non-PD")
    frame = pd.DataFrame({"patient_id": ids[pid], "assessment_date": _iso(day),
                          "target_sum_mm": total, "nontarget": nontarget,
                          "new_lesions": new_lesions})
    frame.to_csv(folder / "tumor_assessments.csv", index=False)


def _write_aes(folder: Path, rng: np.random.Generator, ids: np.ndarray, start: np.ndarray,
               last_fu: np.ndarray, with_aes: bool) -> None:
    count = rng.poisson(2.0, len(ids)) if with_aes else np.zeros(len(ids), dtype=int)
    pid = np.repeat(np.arange(len(ids)), count)
    terms = rng.choice(len(TERMS), len(pid), p=TERM_WEIGHTS / TERM_WEIGHTS.sum())
    grade = rng.choice([1, 2, 3, 4], len(pid), p=[0.5, 0.3, 0.17, 0.03])
    onset = start[pid] + np.floor(rng.random(len(pid)) * (last_fu[pid] - start[pid] + 1))
    frame = pd.DataFrame({"patient_id": ids[pid], "term": np.array(TERMS)[terms],
                          "grade": grade, "onset_date": _iso(onset)})
    frame.to_csv(folder / "adverse_events.csv", index=False)


def _config() -> dict:
    return {
        "title": "Drug X in advanced solid tumours: a synthetic single-arm study",
        "drug": "drug X",
        "population": "patients with advanced solid tumours",
        "data_cutoff": CUTOFF.isoformat(),
        "ci": {"level": 0.95, "proportion": "clopper-pearson", "km": "log-log"},
        "recist": {"confirm_response": False, "sd_min_days": 42},
        "landmarks_months": [6, 12],
        "safety": {"min_incidence_pct": 5},
        "baseline": [
            {"column": "age", "label": "Age (years)", "type": "continuous"},
            {"column": "sex", "label": "Sex", "type": "categorical",
             "levels": ["Male", "Female"]},
            {"column": "ecog", "label": "ECOG performance status", "type": "categorical",
             "levels": {"0-1": [0, 1], "2": [2]}},
            {"label": "Metastatic sites", "type": "multi",
             "columns": {"met_liver": "Liver", "met_lung": "Lung"}},
        ],
    }
