#!/usr/bin/env python3
"""Build (or check) the synthetic reference study for nps-report.

The four files next to this script (patients.csv, tumor_assessments.csv,
adverse_events.csv, study.yaml) are a SYNTHETIC patient-level reconstruction
of a published case series: anlotinib monotherapy in 30 patients with
recurrent or metastatic nasopharyngeal carcinoma (Radiology and Oncology 2025,
DOI 10.2478/raon-2025-0059, CC BY 4.0). No patient record was used; the data
were invented so that their aggregates reproduce every number the article
prints (Table 1, best overall response, ORR/DCR, median PFS/OS with 95% CI,
exposure, adverse-event table).

How it is built
  * The per-patient outcome skeleton (best response, PFS and OS in days from
    the first dose, how each patient progressed or was censored, how long
    treatment lasted) and every baseline covariate are fixed by hand in
    PATIENTS below: these are the reconstruction choices. PFS and OS times were
    tuned so that the KM medians and their symmetric CIs hit the published
    values with a margin of at least 0.02 month from any rounding boundary.
  * A seeded generator (numpy default_rng(SEED)) adds what the article does not
    constrain: calendar dates, scan-to-scan intervals (42-63 days), target-lesion
    sums and which patients carry each adverse event.  Every random draw is
    checked against the RECIST 1.1 rules and redrawn if it would change a
    patient's intended response pattern.

Usage
  python reconstruct.py            write the four files into this folder
  python reconstruct.py --check    re-read the files and assert every
                                   published aggregate (prints target vs achieved)

Only numpy, pandas and PyYAML are needed; nps_report is deliberately not
imported, so the check is independent of the package it serves.
"""
from __future__ import annotations

import argparse
import math
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
SEED = 20250059
CUTOFF = date(2024, 12, 31)
DAYS_PER_MONTH = 30.4375
CYCLE_DAYS = 21
SCAN_GAP = (42, 63)  # days between consecutive scans
SD_MIN_DAYS = 42

# ---------------------------------------------------------------------------
# Reconstruction choices: one row per patient, in no particular order
# (patient_id is assigned afterwards, by treatment_start).
#
#   bor      intended best overall response
#   pfs      PFS time in days: day of the progression scan, of death without
#            progression, or of the last scan (censored)
#   kind     "prog" (PD on a scan), "death" (died without progression),
#            "lost" (lost to follow-up), "ongoing" (on treatment at cutoff)
#   os       OS time in days: death day, or last_followup for the alive
#   dead     1 if died
#   end      last dose: day offset, "prog" (at or shortly after progression),
#            or None (still on treatment)
#   via      how progression shows on the scan: "target" (>= 20 % growth),
#            "new" (new lesion), "nontarget" (non-target PD); "-" if none
#   then the Table 1 covariates; mets = (liver, lung, bone, distant LN)
# ---------------------------------------------------------------------------
COLUMNS = ("bor", "pfs", "kind", "os", "dead", "end", "via",
           "age", "sex", "ecog", "stage", "status", "mets", "lines",
           "plat", "dose", "rt", "surg", "io", "center")
LR, MET, BOTH = "Local recurrence", "Metastatic disease", "Both"
PATIENTS = [
    # early progressors: PD at the first scan; six stopped before it
    ("PD", 42, "prog", 118, 1, 35, "target", 63, "Male", 2, "IV", MET, (1, 1, 0, 1), 2, "Yes", 10, "No", "No", "No", "Center A"),
    ("PD", 44, "prog", 165, 1, 27, "new", 58, "Male", 1, "IV", MET, (1, 0, 1, 0), 1, "Yes", 12, "No", "No", "No", "Center B"),
    ("PD", 45, "prog", 212, 1, 38, "target", 47, "Female", 1, "IV", BOTH, (1, 1, 0, 0), 3, "Yes", 12, "No", "No", "Yes", "Center A"),
    ("PD", 47, "prog", 96, 1, 19, "target", 71, "Male", 2, "III", MET, (0, 1, 1, 1), 1, "Yes", 10, "No", "No", "No", "Center C"),
    ("PD", 49, "prog", 262, 1, 40, "new", 52, "Male", 1, "IV", MET, (1, 0, 0, 0), 2, "Yes", 12, "No", "No", "No", "Center A"),
    ("PD", 52, "prog", 301, 1, 41, "target", 44, "Male", 1, "IV", LR, (0, 0, 0, 0), 1, "Yes", 12, "Yes", "No", "No", "Center B"),
    ("PD", 55, "prog", 143, 1, "prog", "new", 67, "Male", 2, "IV", MET, (1, 0, 1, 0), 1, "Yes", 10, "No", "No", "No", "Center A"),
    ("PD", 60, "prog", 318, 1, "prog", "target", 55, "Male", 1, "III", BOTH, (0, 0, 1, 1), 1, "No", 12, "No", "No", "No", "Center C"),
    # stable disease; the first stopped after 2 cycles (grade 3 epistaxis)
    ("SD", 88, "prog", 250, 1, 40, "target", 76, "Male", 2, "III", LR, (0, 0, 0, 0), 0, "No", 10, "No", "No", "No", "Center A"),
    ("SD", 97, "prog", 322, 1, "prog", "new", 39, "Female", 1, "IV", MET, (1, 0, 0, 1), 2, "Yes", 12, "No", "No", "Yes", "Center B"),
    ("SD", 108, "prog", 290, 1, "prog", "target", 69, "Male", 2, "III", MET, (0, 1, 1, 0), 2, "Yes", 10, "No", "No", "No", "Center A"),
    ("SD", 121, "prog", 410, 1, "prog", "target", 56, "Male", 1, "II", LR, (0, 0, 0, 0), 1, "No", 12, "No", "Yes", "No", "Center C"),
    ("SD", 131, "lost", 200, 0, 150, "-", 50, "Male", 1, "IV", BOTH, (0, 1, 0, 0), 0, "No", 12, "No", "No", "No", "Center B"),
    ("SD", 160, "prog", 338, 1, "prog", "nontarget", 61, "Male", 1, "IV", MET, (1, 0, 1, 1), 2, "Yes", 12, "No", "No", "No", "Center A"),
    ("SD", 166, "prog", 350, 1, "prog", "target", 35, "Male", 0, "IV", MET, (1, 1, 0, 0), 1, "Yes", 12, "No", "No", "No", "Center A"),
    ("SD", 173, "prog", 431, 1, "prog", "target", 59, "Female", 1, "III", LR, (0, 0, 0, 0), 0, "No", 10, "No", "No", "No", "Center C"),
    ("SD", 178, "prog", 344, 1, "prog", "new", 53, "Male", 1, "IV", BOTH, (0, 0, 1, 0), 1, "Yes", 12, "Yes", "No", "No", "Center B"),
    ("SD", 184, "prog", 612, 0, "prog", "target", 48, "Male", 0, "III", LR, (0, 0, 0, 0), 1, "No", 12, "No", "No", "No", "Center A"),
    ("SD", 228, "prog", 520, 1, "prog", "new", 57, "Male", 1, "IV", MET, (0, 1, 0, 1), 4, "Yes", 12, "No", "No", "Yes", "Center A"),
    ("SD", 251, "death", 251, 1, 240, "-", 73, "Male", 2, "IV", LR, (0, 0, 0, 0), 0, "No", 10, "No", "No", "No", "Center B"),
    ("SD", 270, "prog", 705, 0, "prog", "target", 45, "Male", 0, "III", LR, (0, 0, 0, 0), 1, "No", 12, "No", "Yes", "No", "Center C"),
    ("SD", 335, "prog", 560, 1, "prog", "nontarget", 54, "Female", 1, "IV", BOTH, (1, 0, 1, 0), 2, "Yes", 12, "No", "No", "No", "Center A"),
    ("SD", 390, "prog", 790, 0, "prog", "target", 42, "Male", 0, "IV", MET, (0, 1, 0, 0), 0, "No", 12, "No", "No", "No", "Center B"),
    ("SD", 455, "prog", 655, 1, "prog", "new", 65, "Male", 1, "II", LR, (0, 0, 0, 0), 1, "No", 10, "No", "No", "No", "Center A"),
    ("SD", 520, "ongoing", 560, 0, None, "-", 55, "Male", 0, "IV", BOTH, (1, 0, 0, 1), 1, "No", 12, "No", "No", "No", "Center C"),
    ("SD", 610, "ongoing", 640, 0, None, "-", 60, "Male", 1, "III", LR, (0, 0, 0, 0), 0, "No", 10, "No", "No", "No", "Center B"),
    # partial responders
    ("PR", 205, "prog", 470, 1, "prog", "target", 51, "Female", 0, "IV", MET, (0, 1, 1, 0), 1, "Yes", 12, "No", "No", "No", "Center A"),
    ("PR", 298, "prog", 880, 0, "prog", "new", 46, "Male", 0, "III", LR, (0, 0, 0, 0), 0, "No", 12, "Yes", "No", "No", "Center C"),
    ("PR", 480, "prog", 720, 1, "prog", "target", 62, "Male", 1, "IV", MET, (1, 0, 0, 1), 2, "Yes", 12, "No", "No", "No", "Center A"),
    ("PR", 700, "ongoing", 730, 0, None, "-", 38, "Male", 0, "IV", BOTH, (0, 1, 1, 0), 0, "No", 12, "No", "No", "No", "Center B"),
]
# Day of the last scan of the patient who died without progression (day 251).
LAST_SCAN_BEFORE_DEATH = 215

# Adverse events: published max-grade counts (g1, g2, g3) per term, plus three
# single-patient terms below the 5 % display threshold.
AE_COUNTS = {
    "Hand-foot syndrome": (6, 5, 4),
    "Hypertension": (8, 3, 1),
    "Oral mucositis": (5, 2, 4),
    "Hypothyroidism": (7, 2, 0),
    "Fatigue": (5, 3, 0),
    "Proteinuria": (5, 0, 0),
    "Positive urinary occult blood": (4, 0, 0),
    "Leukopenia": (3, 0, 0),
    "Nasal bleeding": (0, 0, 3),
    "Arthralgia": (0, 1, 1),
    "Diarrhea": (1, 0, 0),
    "Nausea": (1, 0, 0),
    "Anorexia": (0, 1, 0),
}
# The patient who stopped after two cycles did so for grade 3 epistaxis.
EPISTAXIS_STOP = 8  # index into PATIENTS

# ---------------------------------------------------------------------------
# Published aggregates (from shared/reference/published-aggregates.yaml)
# ---------------------------------------------------------------------------
PUBLISHED = {
    "n_patients": 30,
    "bor": {"CR": 0, "PR": 4, "SD": 18, "PD": 8, "NE": 0},
    "orr": (13.3, 0.4, 26.2),
    "dcr": (73.3, 56.5, 90.1),
    "pfs": (5.7, 4.7, 6.7),
    "os": (11.5, 7.5, 15.5),
    "cycles_ge3": 23,
    "age": {"median": 55, "min": 35, "max": 76},
    "table1": {
        "Sex": {"Male": 25, "Female": 5},
        "ECOG performance status": {"0-1": 24, "2": 6},
        "Stage at diagnosis": {"II": 2, "III": 9, "IV": 19},
        "Disease status at start of anlotinib": {LR: 10, MET: 13, BOTH: 7},
        "Metastatic sites": {"Liver": 11, "Lung": 10, "Bone": 10, "Distant lymph node": 8},
        "Prior systemic therapy lines": {"0": 8, "1": 13, "≥2": 9},
        "Platinum-refractory disease": {"Yes": 16, "No": 14},
        "Starting dose (mg/day)": {"12": 21, "10": 9},
        "Radiotherapy for recurrent or metastatic lesions": {"Yes": 3, "No": 27},
        "Surgery for recurrent lesions": {"Yes": 2, "No": 28},
        "Immunotherapy before anlotinib": {"Yes": 3, "No": 27},
    },
    "ae": {  # any, g1, g2, g3, g4
        "Hand-foot syndrome": (15, 6, 5, 4, 0),
        "Hypertension": (12, 8, 3, 1, 0),
        "Oral mucositis": (11, 5, 2, 4, 0),
        "Hypothyroidism": (9, 7, 2, 0, 0),
        "Fatigue": (8, 5, 3, 0, 0),
        "Proteinuria": (5, 5, 0, 0, 0),
        "Positive urinary occult blood": (4, 4, 0, 0, 0),
        "Leukopenia": (3, 3, 0, 0, 0),
        "Nasal bleeding": (3, 0, 0, 3, 0),
        "Arthralgia": (2, 0, 1, 1, 0),
    },
}

STUDY_YAML = """\
# Reference study shipped with nps-report.
# SYNTHETIC reconstruction of a published case series (Radiology and Oncology 2025,
# DOI 10.2478/raon-2025-0059, CC BY 4.0): not patient records. See README.md.
# Generated by reconstruct.py; edit that script, not this file.
title: "Anlotinib monotherapy in recurrent or metastatic nasopharyngeal carcinoma: a multicenter case-series analysis"
short_title: Anlotinib in recurrent or metastatic nasopharyngeal carcinoma
journal: radiology-and-oncology
drug: anlotinib
population: patients with recurrent or metastatic nasopharyngeal carcinoma
data_cutoff: {cutoff}
# The centre column is synthetic (README.md): the aggregates do not give the number of centres.
centre_column: center
# staging: the aggregates do not name the staging system, so the Methods ask for it.
ci:
  level: 0.95
  proportion: t
  km: symmetric
recist:
  confirm_response: false
  sd_min_days: {sd_min_days}
landmarks_months: [6, 12]
safety:
  min_incidence_pct: 5
  # The aggregates held here do not name the CTCAE version; 5.0 (current throughout the
  # 2019-2023 treatment period) is assumed. Check it against the article before citing it.
  ctcae_version: "5.0"
  # events: whether the published table is all-cause or treatment-related is not in the
  # aggregates, and there is no attribution column, so the manuscript asks.
exposure:
  cycles_threshold: 3
  dose_column: starting_dose_mg
  dose_unit: mg/day
  # Starting doses as the aggregates give them, 21-day cycles as the reconstruction counts
  # `cycles`; the days on treatment within a cycle are not in the aggregates.
  schedule: at a starting dose of 12 or 10 mg per day
  cycle_days: {cycle_days}
manuscript:
  # Example authors (the reconstruction names none of the article's): how authors,
  # affiliations and the corresponding author are given.
  authors:
    - {{name: A. Example, affiliations: [1], corresponding: true, email: a.example@example.org, orcid: 0000-0002-1825-0097}}
    - {{name: B. Example, affiliations: [1, 2]}}
    - {{name: C. Example, affiliations: [2]}}
  affiliations:
    - Department of Radiation Oncology, Example University Hospital, Example City
    - Department of Medical Oncology, Example Cancer Centre, Example City
  correspondence_address: Department of Radiation Oncology, Example University Hospital, 1 Example Street, Example City
  keywords: [anlotinib, nasopharyngeal carcinoma, tyrosine kinase inhibitor, case series, survival]
baseline:
  - {{column: age, label: Age (years), type: continuous}}
  - {{column: sex, label: Sex, type: categorical, levels: [Male, Female]}}
  - {{column: ecog, label: ECOG performance status, type: categorical, levels: {{"0-1": [0, 1], "2": [2]}}}}
  - {{column: stage, label: Stage at diagnosis, type: categorical, levels: [II, III, IV]}}
  - {{column: disease_status, label: Disease status at start of anlotinib, type: categorical, levels: [Local recurrence, Metastatic disease, Both]}}
  - {{label: Metastatic sites, type: multi, columns: {{met_liver: Liver, met_lung: Lung, met_bone: Bone, met_distant_ln: Distant lymph node}}}}
  - {{column: prior_lines, label: Prior systemic therapy lines, type: categorical, levels: {{"0": [0], "1": [1], "≥2": [2, 3, 4]}}}}
  - {{column: platinum_refractory, label: Platinum-refractory disease, type: categorical, levels: ["Yes", "No"]}}
  - {{column: starting_dose_mg, label: Starting dose (mg/day), type: categorical, levels: {{"12": [12], "10": [10]}}}}
  - {{column: prior_rt, label: Radiotherapy for recurrent or metastatic lesions, type: categorical, levels: ["Yes", "No"]}}
  - {{column: prior_surgery, label: Surgery for recurrent lesions, type: categorical, levels: ["Yes", "No"]}}
  - {{column: prior_immunotherapy, label: Immunotherapy before anlotinib, type: categorical, levels: ["Yes", "No"]}}
# Prognostic factors from Table 1 (shows the feature; the synthetic pairing of covariates
# with outcomes has no clinical meaning, see README.md). Two factors in the multivariable
# model keep it above 10 events per coefficient for PFS and OS.
prognostic:
  endpoints: [pfs, os]
  # Each factor's reference level is its first in Table 1 unless named (a yes/no column of
  # a multi row: "no"); named here for platinum_refractory, whose Table 1 row lists Yes first.
  factors: [ecog, {{column: platinum_refractory, reference: "Yes"}}, met_liver, age]
  multivariable: [ecog, platinum_refractory]
# Cohorts by starting dose (Table 1 gives it, 12 vs 10 mg/day): Table 1, the efficacy and
# adverse-event tables get a column per dose, and the Results each dose's ORR, DCR and medians.
by: starting_dose_mg
# ILLUSTRATIVE patient flow (README.md): the aggregates give no screening numbers; these are
# counts a 30-patient multicentre series would report, to show the patient-flow diagram.
flow:
  screened: 41
  excluded: {{No measurable disease at baseline: 5, Declined anlotinib: 3, ECOG performance status 3 or 4: 2, Lost to follow-up before the first dose: 1}}
"""

# ---------------------------------------------------------------------------
# RECIST 1.1 (shared by the generator's self-check and --check)
# ---------------------------------------------------------------------------
RANK = {"CR": 4, "PR": 3, "SD": 2, "PD": 1, "NE": 0}


def timepoint_responses(sums, nontarget, new_lesions):
    """Timepoint responses of post-baseline scans; index 0 is the baseline."""
    base = sums[0]
    out = []
    for i in range(1, len(sums)):
        nadir = min(sums[:i])
        s = sums[i]
        if s == 0:
            target = "CR"
        elif s >= 1.2 * nadir and s - nadir >= 5:
            target = "PD"
        elif s <= 0.7 * base:
            target = "PR"
        else:
            target = "SD"
        nt = nontarget[i]
        if target == "PD" or nt == "PD" or new_lesions[i] == "yes":
            out.append("PD")
        elif target == "CR":
            out.append("CR" if nt in ("CR", "none") else "PR")
        else:
            out.append(target)
    return out


def best_overall_response(days, responses, sd_min_days=SD_MIN_DAYS):
    """BOR without confirmation; days are post-baseline offsets from treatment start."""
    best = "NE"
    for d, r in zip(days, responses):
        if r == "SD" and d < sd_min_days:
            continue
        if RANK[r] > RANK[best]:
            best = r
    return best


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------
def _scan_days(rng, last_day):
    """Post-baseline scan days, 42-63 days apart, the last exactly on last_day."""
    lo, hi = SCAN_GAP
    k = min(max(round(last_day / 52.5), math.ceil(last_day / hi)), last_day // lo)
    while True:
        gaps = rng.uniform(lo, hi, size=k)
        gaps = np.round(gaps * last_day / gaps.sum()).astype(int)
        gaps[-1] += last_day - gaps.sum()
        if gaps.min() >= lo and gaps.max() <= hi:
            return np.cumsum(gaps).tolist()


def _tumour_course(rng, bor, n_scans, via, progressed):
    """Target sums (baseline first) and non-target/new-lesion status per scan."""
    base = int(rng.integers(25, 151))
    ratios = []
    if bor == "PR":
        deepest = rng.uniform(0.34, 0.66)
        reach = int(rng.integers(2, 4))
    else:
        deepest = rng.uniform(0.74, 1.12)
        reach = int(rng.integers(1, 4))
    n_pre = n_scans - 1 if progressed else n_scans
    for i in range(n_pre):
        if bor == "PR" and i == 0:
            r = rng.uniform(0.74, 0.9)
        elif i + 1 < reach:
            r = 1 - (1 - deepest) * (i + 1) / reach
        else:
            r = deepest * (1 + rng.uniform(0.0, 0.08) * min(i + 1 - reach, 3) / 3)
        ratios.append(r * (1 + rng.uniform(-0.03, 0.03)))  # measurement noise
    sums = [base] + [int(round(base * r)) for r in ratios]
    has_nt = via == "nontarget" or rng.random() < 0.6
    nt = ["non-CR/non-PD" if has_nt else "none"] * (n_scans + 1)
    new = ["no"] * (n_scans + 1)
    if progressed:
        nadir = min(sums)
        if via == "target":
            grow = rng.uniform(1.22, 1.6)
            sums.append(max(math.ceil(nadir * grow), nadir + 5))
        else:  # progression by a new lesion or by non-target lesions
            lo = 0.86 if bor == "PD" else 0.98
            sums.append(int(round(nadir * rng.uniform(lo, 1.12))))
            if via == "new":
                new[-1] = "yes"
            else:
                nt[-1] = "PD"
    return sums, nt, new


def build(rng):
    rows = [dict(zip(COLUMNS, p)) for p in PATIENTS]

    # calendar: the alive are followed up to (nearly) the cutoff; others start at random
    for r in rows:
        if r["dead"] or r["kind"] == "lost":
            latest = min(date(2023, 6, 30), CUTOFF - timedelta(days=r["os"] + 90))
            first = date(2019, 3, 1)
            r["start"] = first + timedelta(days=int(rng.integers(0, (latest - first).days + 1)))
        else:
            lfu = CUTOFF - timedelta(days=int(rng.integers(0, 6)))
            r["start"] = lfu - timedelta(days=r["os"])
    order = sorted(range(len(rows)), key=lambda i: rows[i]["start"])

    patients, scans = [], []
    for n, i in enumerate(order, start=1):  # patient ids follow treatment start
        r = rows[i]
        r["pid"] = pid = f"P{n:02d}"
        start = r["start"]

        def day(d):
            return (start + timedelta(days=int(d))).isoformat()

        progressed = r["kind"] == "prog"
        last_scan = LAST_SCAN_BEFORE_DEATH if r["kind"] == "death" else r["pfs"]
        sdays = _scan_days(rng, last_scan)
        while True:  # redraw until the course shows the intended RECIST pattern
            sums, nt, new = _tumour_course(rng, r["bor"], len(sdays), r["via"], progressed)
            tp = timepoint_responses(sums, nt, new)
            want_pre = {"PR": {"SD", "PR"}, "SD": {"SD"}, "PD": set()}[r["bor"]]
            ok = all(t in want_pre for t in (tp[:-1] if progressed else tp))
            ok &= (tp[-1] == "PD") == progressed
            ok &= best_overall_response(sdays, tp) == r["bor"]
            if ok:
                break
        base_day = -int(rng.integers(0, 22))
        for d, s, n, w in zip([base_day] + sdays, sums, nt, new):
            scans.append({"patient_id": pid, "assessment_date": day(d), "target_sum_mm": s,
                          "nontarget": n, "new_lesions": w})

        if r["end"] is None:
            end_day, end = r["os"], ""
        else:
            end_day = r["end"]
            if end_day == "prog":
                end_day = min(r["pfs"] + int(rng.integers(0, 15)), r["os"] - 1 if r["dead"] else r["os"])
            end = day(end_day)
        r["_end_day"] = end_day
        patients.append({
            "patient_id": pid,
            "treatment_start": start.isoformat(),
            "treatment_end": end,
            "cycles": math.ceil((end_day + 1) / CYCLE_DAYS),
            "progression_date": day(r["pfs"]) if progressed else "",
            "death_date": day(r["os"]) if r["dead"] else "",
            "last_followup": day(r["os"]),
            "age": r["age"], "sex": r["sex"], "ecog": r["ecog"], "stage": r["stage"],
            "disease_status": r["status"],
            **{c: ("yes" if m else "no") for c, m in
               zip(("met_liver", "met_lung", "met_bone", "met_distant_ln"), r["mets"])},
            "prior_lines": r["lines"], "platinum_refractory": r["plat"],
            "starting_dose_mg": r["dose"], "prior_rt": r["rt"], "prior_surgery": r["surg"],
            "prior_immunotherapy": r["io"], "center": r["center"],
        })

    aes = _adverse_events(rng, rows)
    return pd.DataFrame(patients), pd.DataFrame(scans), aes


def _adverse_events(rng, rows):
    """Assign each term's published max-grade counts to patients, weighted by exposure."""
    exposure = np.array([r["_end_day"] for r in rows], float)
    events = []
    for term, counts in AE_COUNTS.items():
        grades = [g for g, c in zip((1, 2, 3), counts) for _ in range(c)]
        grades = [int(g) for g in rng.permutation(grades)]
        eligible = np.ones(len(rows), bool)
        if term == "Hypothyroidism":  # needs weeks of exposure to appear
            eligible = exposure >= 90
        chosen = []
        if term == "Nasal bleeding":  # all grade 3; one of them is the patient who stopped for it
            chosen.append(EPISTAXIS_STOP)
            eligible[EPISTAXIS_STOP] = False
        w = np.sqrt(np.minimum(exposure, 365)) * eligible
        chosen += [int(i) for i in rng.choice(len(rows), size=len(grades) - len(chosen),
                                              replace=False, p=w / w.sum())]
        for i, g in zip(chosen, grades):
            r = rows[i]
            lo = 42 if term == "Hypothyroidism" else 4
            hi = max(lo, min(r["_end_day"], 200))
            if i == EPISTAXIS_STOP and term == "Nasal bleeding":
                lo = hi = r["_end_day"]
            onset = int(rng.integers(lo, hi + 1))
            if g >= 2 and onset - lo > 14 and rng.random() < 0.5:  # escalated from a lower grade
                first = int(rng.integers(lo, onset - 7))
                events.append((r["pid"], term, g - 1, r["start"] + timedelta(days=first)))
            events.append((r["pid"], term, g, r["start"] + timedelta(days=onset)))
    df = pd.DataFrame(events, columns=["patient_id", "term", "grade", "onset_date"])
    df = df.sort_values(["patient_id", "onset_date", "term", "grade"], kind="stable")
    df["onset_date"] = [d.isoformat() for d in df["onset_date"]]
    return df.reset_index(drop=True)


def write(folder=HERE):
    rng = np.random.default_rng(SEED)
    patients, scans, aes = build(rng)
    for name, df in (("patients", patients), ("tumor_assessments", scans), ("adverse_events", aes)):
        df.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    (folder / "study.yaml").write_text(
        STUDY_YAML.format(cutoff=CUTOFF.isoformat(), sd_min_days=SD_MIN_DAYS,
                          cycle_days=CYCLE_DAYS), encoding="utf-8")
    print(f"wrote {len(patients)} patients, {len(scans)} assessments, {len(aes)} adverse-event rows to {folder}")


# ---------------------------------------------------------------------------
# Check: re-read the files and recompute every published aggregate
# ---------------------------------------------------------------------------
def km_table(t, e):
    """Kaplan-Meier step values and Greenwood sums at each distinct event time."""
    t, e = np.asarray(t, float), np.asarray(e, int)
    s, gw, out = 1.0, 0.0, []
    for x in np.unique(t[e == 1]):
        n = int((t >= x).sum())
        d = int(((t == x) & (e == 1)).sum())
        s *= 1 - d / n
        gw += d / (n * (n - d)) if n > d else math.inf
        out.append((x, s, gw))
    return out


def km_median_symmetric(t_months, e, z=1.959964):
    tab = km_table(t_months, e)
    for x, s, gw in tab:
        if math.isclose(s, 0.5):
            raise AssertionError("KM curve is flat at exactly 0.5; median would be a midpoint")
        if s < 0.5:
            med, s_med, gw_med = x, s, gw
            break
    else:
        return None, None, None
    u, s_u = max((x, s) for x, s, _ in tab if s >= 0.55)
    l, s_l = min((x, s) for x, s, _ in tab if s <= 0.45)
    f = (s_u - s_l) / (l - u)
    se = s_med * math.sqrt(gw_med) / f
    return med, med - z * se, med + z * se


def t_quantile(p, df):
    """Student t quantile by bisection on a numerically integrated density."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf(x):
        g = np.linspace(0.0, x, 20001)
        dens = c * (1 + g ** 2 / df) ** (-(df + 1) / 2)
        return 0.5 + float(np.sum((dens[1:] + dens[:-1]) / 2 * np.diff(g)))

    lo, hi = 0.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def t_interval(k, n, level=0.95):
    x = np.r_[np.ones(k), np.zeros(n - k)]
    est = x.mean()
    half = t_quantile(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return 100 * est, 100 * (est - half), 100 * (est + half)


def check(folder=HERE):
    cfg = yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))
    cutoff = pd.Timestamp(cfg["data_cutoff"])
    pt = pd.read_csv(folder / "patients.csv", dtype={"treatment_end": str})
    sc = pd.read_csv(folder / "tumor_assessments.csv")
    ae = pd.read_csv(folder / "adverse_events.csv")
    for df, cols in ((pt, ["treatment_start", "treatment_end", "progression_date", "death_date",
                           "last_followup"]), (sc, ["assessment_date"]), (ae, ["onset_date"])):
        for c in cols:
            df[c] = pd.to_datetime(df[c])
    rows, failures = [], []

    def record(what, target, achieved, ok):
        rows.append((what, target, achieved, "ok" if ok else "FAIL"))
        if not ok:
            failures.append(what)

    def rounds_to(x, target, nd=1, margin=0.01):
        step = 10 ** -nd / 2
        return abs(x - target) < step - margin

    # --- consistency of the records -------------------------------------------------
    problems = []
    bor, pfs_t, pfs_e, os_t, os_e, best_change = {}, [], [], [], [], {}
    for p in pt.itertuples():
        start = p.treatment_start
        s = sc[sc.patient_id == p.patient_id].sort_values("assessment_date")
        base = s[s.assessment_date <= start]
        post = s[s.assessment_date > start]
        if base.empty or base.target_sum_mm.iloc[-1] <= 0:
            problems.append(f"{p.patient_id}: no measurable baseline")
        if (start - base.assessment_date.iloc[-1]).days > 21:
            problems.append(f"{p.patient_id}: baseline scan too early")
        b = base.iloc[-1]
        sums = [b.target_sum_mm] + post.target_sum_mm.tolist()
        tp = timepoint_responses(sums, [b.nontarget] + post.nontarget.tolist(),
                                 [b.new_lesions] + post.new_lesions.tolist())
        days = [(d - start).days for d in post.assessment_date]
        bor[p.patient_id] = best_overall_response(days, tp, cfg["recist"]["sd_min_days"])
        best_change[p.patient_id] = 100 * (min(sums[1:]) - sums[0]) / sums[0] if len(sums) > 1 else None
        gaps = np.diff([0] + days) if days else []
        if len(gaps) and (min(gaps) < SCAN_GAP[0] or max(gaps) > SCAN_GAP[1]):
            problems.append(f"{p.patient_id}: scan gap outside 42-63 days")
        first_pd = next((d for d, r in zip(post.assessment_date, tp) if r == "PD"), None)
        if first_pd is not None and p.progression_date != first_pd:
            problems.append(f"{p.patient_id}: progression_date is not the first PD scan")
        if "PD" in tp[:-1]:
            problems.append(f"{p.patient_id}: scans continue after PD")
        if bor[p.patient_id] == "PR" and best_change[p.patient_id] > -30:
            problems.append(f"{p.patient_id}: PR without 30 % shrinkage")
        if bor[p.patient_id] == "PD" and tp[0] == "PD" and not (
                sums[1] >= 1.2 * sums[0] or post.new_lesions.iloc[0] == "yes"):
            problems.append(f"{p.patient_id}: PD at first scan without 20 % growth or new lesion")
        # endpoints
        ev = [d for d in (p.progression_date, p.death_date) if pd.notna(d)]
        if ev:
            pfs_t.append((min(ev) - start).days); pfs_e.append(1)
        else:
            pfs_t.append((post.assessment_date.max() - start).days if len(post) else 0); pfs_e.append(0)
        if pd.notna(p.death_date):
            os_t.append((p.death_date - start).days); os_e.append(1)
            if p.last_followup != p.death_date:
                problems.append(f"{p.patient_id}: last_followup != death_date")
        else:
            os_t.append((p.last_followup - start).days); os_e.append(0)
        dates = [d for d in (p.treatment_end, p.progression_date, p.death_date) if pd.notna(d)]
        dates += s.assessment_date.tolist() + ae[ae.patient_id == p.patient_id].onset_date.tolist()
        if any(d > p.last_followup for d in dates) or p.last_followup > cutoff:
            problems.append(f"{p.patient_id}: a date after last_followup or cutoff")
        if not (date(2019, 1, 1) <= start.date() <= date(2023, 12, 31)):
            problems.append(f"{p.patient_id}: treatment_start outside 2019-2023")
        if pd.notna(p.treatment_end):
            if p.treatment_end <= start or (pd.notna(p.death_date) and p.treatment_end > p.death_date):
                problems.append(f"{p.patient_id}: treatment_end out of order")
            dur = (p.treatment_end - start).days + 1
        else:
            if pd.notna(p.death_date) or pd.notna(p.progression_date):
                problems.append(f"{p.patient_id}: ongoing treatment after progression or death")
            dur = (p.last_followup - start).days + 1
        if p.cycles != math.ceil(dur / CYCLE_DAYS):
            problems.append(f"{p.patient_id}: cycles inconsistent with treatment duration")
        mets = sum(getattr(p, c) == "yes" for c in ("met_liver", "met_lung", "met_bone", "met_distant_ln"))
        if (p.disease_status == LR) != (mets == 0):
            problems.append(f"{p.patient_id}: disease status vs metastatic sites")
        if p.prior_lines == 0 and "Yes" in (p.platinum_refractory, p.prior_immunotherapy):
            problems.append(f"{p.patient_id}: prior therapy flags without prior lines")
    if ae.grade.max() > 3:
        problems.append("grade 4/5 adverse event present")
    record("record consistency (dates, RECIST, coherence)", "no problems",
           "; ".join(problems) or "no problems", not problems)

    # --- efficacy ---------------------------------------------------------------------
    n = len(pt)
    record("patients", PUBLISHED["n_patients"], n, n == PUBLISHED["n_patients"])
    counts = pd.Series(bor).value_counts()
    for k_, v in PUBLISHED["bor"].items():
        record(f"BOR {k_}", v, int(counts.get(k_, 0)), int(counts.get(k_, 0)) == v)
    for name, k_ in (("ORR", counts.get("CR", 0) + counts.get("PR", 0)),
                     ("DCR", counts.get("CR", 0) + counts.get("PR", 0) + counts.get("SD", 0))):
        got = t_interval(int(k_), n)
        want = PUBLISHED[name.lower()]
        record(f"{name} % (95% CI, t)", "%.1f (%.1f-%.1f)" % want, "%.4f (%.4f-%.4f)" % got,
               all(rounds_to(g, w, margin=0.0) for g, w in zip(got, want)))
    for name, t, e in (("PFS", pfs_t, pfs_e), ("OS", os_t, os_e)):
        got = km_median_symmetric(np.array(t) / DAYS_PER_MONTH, e)
        want = PUBLISHED[name.lower()]
        record(f"median {name} months (95% CI, symmetric)", "%.1f (%.1f-%.1f)" % want,
               "%.4f (%.4f-%.4f)" % got, all(rounds_to(g, w) for g, w in zip(got, want)))
        record(f"{name} events / censored", "-", f"{sum(e)} / {len(e) - sum(e)}", True)

    # --- exposure ---------------------------------------------------------------------
    k3 = int((pt.cycles >= cfg["exposure"]["cycles_threshold"]).sum())
    record("cycles >= 3", PUBLISHED["cycles_ge3"], k3, k3 == PUBLISHED["cycles_ge3"])

    # --- Table 1 via the study.yaml baseline spec -------------------------------------
    age = pt.age
    for stat, v in PUBLISHED["age"].items():
        got = float(getattr(age, stat)())
        record(f"age {stat}", v, got, got == v)
    for item in cfg["baseline"]:
        if item["type"] == "multi":
            got = {lab: int((pt[c] == "yes").sum()) for c, lab in item["columns"].items()}
        elif item["type"] == "categorical":
            levels = item["levels"]
            if isinstance(levels, list):
                levels = {str(v): [v] for v in levels}
            got = {lab: int(pt[item["column"]].isin(raw).sum()) for lab, raw in levels.items()}
            if sum(got.values()) != n:
                failures.append(f"{item['label']}: levels do not cover every patient")
        else:
            continue
        want = PUBLISHED["table1"][item["label"]]
        record(f"Table 1: {item['label']}", want, got, got == want)

    # --- adverse events ---------------------------------------------------------------
    worst = ae.groupby(["term", "patient_id"]).grade.max().reset_index()
    shown = []
    for term, g in worst.groupby("term"):
        cells = (len(g),) + tuple(int((g.grade == k_).sum()) for k_ in (1, 2, 3, 4))
        pct = 100 * len(g) / n
        if pct > cfg["safety"]["min_incidence_pct"]:
            shown.append(term)
            want = PUBLISHED["ae"].get(term)
            record(f"AE {term} [any,g1,g2,g3,g4]", want, cells, tuple(want or ()) == cells)
        else:
            record(f"AE {term} (below threshold, {pct:.1f}%)", "not shown", "not shown", True)
    missing = sorted(set(PUBLISHED["ae"]) - set(shown))
    record("AE published terms all shown", "all", missing or "all", not missing)

    # --- descriptive extras -----------------------------------------------------------
    bc = [v for v in best_change.values() if v is not None]
    record("waterfall best % change range", "-", f"{min(bc):.1f} to {max(bc):.1f}", True)
    record("no death recorded / on treatment at cutoff", "-",
           f"{int(pt.death_date.isna().sum())} / {int(pt.treatment_end.isna().sum())}", True)

    w = max(len(r[0]) for r in rows)
    print(f"{'check':<{w}}  {'target':<28}  achieved")
    for what, target, achieved, status in rows:
        print(f"{what:<{w}}  {target!s:<28}  {achieved}  [{status}]")
    if failures:
        print("\nFAILED: " + ", ".join(failures))
        return 1
    print("\nall published aggregates reproduced")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="verify the files against the published aggregates")
    args = ap.parse_args(argv)
    if args.check:
        return check()
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
