"""Lesion-level study folders, seeded, written as a site's export would be (csv module).

Each patient has target lesions (nodal ones by short axis, 15 mm or more at baseline) and
non-target lesions, or non-target disease only; scans every five to nine weeks follow a
course (response, stability, progression, mixed) in which non-nodal lesions disappear,
nodes shrink under 10 mm (nodal complete response with a sum above 0), lesions become too
small to measure (TSTM), measurements are missing or a lesion's row is left out,
non-target lesions disappear, progress or are not evaluated, and new lesions appear.
progression_date is the first PD by the independent reference (recist_reference.py),
or a clinical progression without one. The investigator's response is that reference's
timepoint response, changed at random for some scans. Adverse events include some with
onset before the first dose, long after the last dose and without an onset date, graded
by CTCAE or by severity (written mild, Moderate, 3 ...).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from .recist_reference import patient_timepoints

SITES = ("liver", "lung", "adrenal", "peritoneum", "kidney", "soft tissue")
TERMS = ("Hypertension", "Fatigue", "Proteinuria", "Diarrhea", "Hand-foot syndrome",
         "Oral mucositis", "Nausea")
NEIGHBOUR = {"CR": "PR", "PR": "SD", "SD": "PR", "PD": "SD", "NE": "SD",
             "non-CR/non-PD": "CR"}
LESION_HEADER = ["patient_id", "assessment_date", "lesion_id", "lesion_type", "site", "nodal",
                 "diameter_mm", "status"]


@dataclass(frozen=True)
class Options:
    n_patients: int = 24
    confirm: bool = False
    sd_min_days: int = 42
    too_small_values: tuple[str, ...] = ()  # texts besides TSTM written for tiny lesions
    window: int | None = None
    grading: str = "ctcae"
    investigator: float = 0.7  # share of patients with the investigator's responses
    disagree: float = 0.12  # share of their scans where the investigator says otherwise
    source: str | None = None  # recist.response_source
    sums: bool = False  # target_sum_mm beside the lesions (the lesions' own sums)
    assessments: bool = True  # tumor_assessments.csv with dates (and responses)
    cutoff: dt.date | None = dt.date(2023, 3, 31)
    lesion_rules: str | None = None
    extra_yaml: str = ""


@dataclass
class Written:
    folder: Path
    options: Options
    lesions: list[list[str]] = field(default_factory=list)


def iso(d: dt.date) -> str:
    return d.isoformat()


def study_yaml(o: Options) -> str:
    lines = ["title: Drug Z in advanced head and neck cancer", "drug: drug Z",
             "population: patients with advanced head and neck cancer",
             "landmarks_months: [6]"]
    if o.cutoff is not None:
        lines.append(f"data_cutoff: {iso(o.cutoff)}")
    recist = [f"confirm_response: {'true' if o.confirm else 'false'}",
              f"sd_min_days: {o.sd_min_days}"]
    if o.too_small_values:
        recist.append("too_small_values: [" + ", ".join(f'"{t}"' for t in o.too_small_values)
                      + "]")
    if o.source:
        recist.append(f"response_source: {o.source}")
    if o.lesion_rules:
        recist.append(f"lesion_rules: {o.lesion_rules}")
    lines += ["recist:", *(f"  {r}" for r in recist)]
    safety = ["min_incidence_pct: 0", f"grading: {o.grading}"]
    if o.window is not None:
        safety.append(f"window_after_last_dose_days: {o.window}")
    if o.grading == "ctcae":
        safety.append('ctcae_version: "5.0"')
    lines += ["safety:", *(f"  {s}" for s in safety)]
    return "\n".join(lines) + "\n" + o.extra_yaml


def _size(rng: random.Random, d0: float, ratio: float, nodal: bool) -> float:
    size = d0 * ratio
    if nodal:
        return round(max(size, rng.choice((4.0, 5.0, 6.0))), 0 if rng.random() < 0.5 else 1)
    if ratio < 0.12:
        return 0.0
    return round(size, 0 if rng.random() < 0.6 else 1)


def _patient(rng: random.Random, o: Options, pid: str) -> tuple[dict[str, str],
                                                              list[list[str]],
                                                              list[list[str]],
                                                              list[list[str]]]:
    start = dt.date(2021, 1, 4) + dt.timedelta(days=rng.randrange(0, 420))
    base = start - dt.timedelta(days=rng.choice((0, 0, 3, 7, 14, 21)))
    measurable = rng.random() > 0.1
    targets: list[tuple[str, str, bool, float]] = []  # id, site, nodal, baseline size
    if measurable:
        sites = [s for s in SITES for _ in range(2)]
        rng.shuffle(sites)
        n_nodes = 0
        for k in range(rng.randint(1, 5)):
            nodal = n_nodes < 2 and rng.random() < 0.4
            n_nodes += nodal
            site = "neck lymph node" if nodal else sites.pop()
            d0 = float(rng.randint(15, 32) if nodal else rng.choice((10, 12, rng.randint(10,
                                                                                    70))))
            targets.append((f"T{k + 1}", site, nodal, d0))
    nontargets = [(f"NT{k + 1}", rng.choice((*SITES, "mediastinal node")))
                  for k in range(rng.randint(0 if measurable else 1, 3))]
    course = rng.choice(("response", "response", "stable", "progression", "mixed", "cr"))
    drift = {"response": -0.3, "stable": 0.0, "progression": 0.18, "mixed": 0.05,
             "cr": -0.8}[course]
    rows: list[list[str]] = []

    def lesion_rows(when: dt.date, ratios: dict[str, float], statuses: dict[str, str],
                    new: int) -> None:
        for lid, site, nodal, d0 in targets:
            if when > base and rng.random() < 0.03:
                continue  # the lesion's row left out: not evaluated
            size = d0 if when <= base else _size(rng, d0, ratios[lid], nodal)
            text = f"{size:g}"
            if when > base and rng.random() < 0.05:
                text = ""  # not measured
            elif when > base and 0 < size < 5 and rng.random() < 0.6:
                text = rng.choice(("TSTM", "tstm", *o.too_small_values))
            rows.append([pid, iso(when), lid, "target", site, "yes" if nodal else "no", text,
                         ""])
        for lid, site in nontargets:
            if when > base and rng.random() < 0.02:
                continue
            rows.append([pid, iso(when), lid, "non-target", site,
                         "yes" if "node" in site else "no", "", statuses.get(lid, "present")])
        for k in range(new):
            rows.append([pid, iso(when), f"N{when:%m%d}{k}", "new", rng.choice(SITES), "no",
                         rng.choice(("", "8")), ""])

    if rng.random() < 0.1:  # an earlier screening scan: the later one is the baseline
        lesion_rows(base - dt.timedelta(days=30), {}, {}, 0)
    lesion_rows(base, {}, {}, 0)
    ratios = {lid: 1.0 for lid, *_ in targets}
    statuses = {lid: "present" for lid, _ in nontargets}
    when = start
    dates = []
    for _ in range(rng.randint(0, 7)):
        when += dt.timedelta(days=rng.randint(33, 63))
        for lid in ratios:
            ratios[lid] *= math.exp(rng.gauss(drift, 0.2))
        for lid in statuses:
            u = rng.random()
            if statuses[lid] == "progression":
                continue
            if course in ("response", "cr") and u < 0.3:
                statuses[lid] = "absent"
            elif course == "progression" and u < 0.2:
                statuses[lid] = "progression"
            elif u < 0.05:
                statuses[lid] = "not-evaluated"
            elif statuses[lid] == "not-evaluated":
                statuses[lid] = "present"
        new = 1 if rng.random() < (0.12 if course == "progression" else 0.03) else 0
        lesion_rows(when, ratios, statuses, new)
        dates.append(when)
    extra_dates = []
    if dates and rng.random() < 0.04:  # a scan at which no lesion was recorded
        extra_dates.append(dates[-1] + dt.timedelta(days=40))
    return ({"patient_id": pid, "start": iso(start), "base": iso(base)}, rows,
            [[d] for d in dates], [[iso(d)] for d in extra_dates])


def write_lesion_study(folder: Path, seed: int, options: Options = Options()) -> Written:
    """A lesion-level study folder; `options` also tells the reference what to apply."""
    rng = random.Random(seed)
    o = options
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.yaml").write_text(study_yaml(o), encoding="utf-8")
    patients = [["patient_id", "treatment_start", "treatment_end", "cycles",
                 "progression_date", "death_date", "last_followup"]]
    lesions = [list(LESION_HEADER)]
    assessments = [["patient_id", "assessment_date", *(["target_sum_mm"] if o.sums else []),
                    "investigator_response"]]
    aes = [["patient_id", "term", "grade", "onset_date"]]
    small = {t.casefold() for t in ("TSTM", *o.too_small_values)}
    for i in range(o.n_patients):
        pid = f"S{seed % 1000:03d}-{i + 1:02d}"
        info, rows, _, extra = _patient(rng, o, pid)
        lesions += rows
        start = dt.date.fromisoformat(info["start"])
        dates = {dt.date.fromisoformat(e[0]) for e in extra}
        points = patient_timepoints(_dicts(rows), dates, start, small)
        scan_days = sorted({dt.date.fromisoformat(r[1]) for r in rows} | dates)
        first_pd = next((t.date for t in points if t.overall == "PD"), None)
        last_scan = max(scan_days[-1], start)
        progression = first_pd
        if progression is None and rng.random() < 0.05:
            progression = last_scan + dt.timedelta(days=20)  # clinical progression
        death = None
        if rng.random() < 0.3:
            death = max(last_scan, progression or last_scan) + dt.timedelta(
                days=rng.randint(10, 200))
        last = death or max(last_scan, progression or last_scan) + dt.timedelta(
            days=rng.randint(0, 90))
        end = None if rng.random() < 0.2 else min(progression or last_scan, last)
        if end is not None and end < start:
            end = start
        patients.append([pid, iso(start), iso(end) if end else "", str(rng.randint(1, 12)),
                         iso(progression) if progression else "",
                         iso(death) if death else "", iso(last)])
        investigator = rng.random() < o.investigator
        by_date = {t.date: t for t in points}
        for d in scan_days:
            if not o.assessments:
                break
            t = by_date.get(d)
            response = ""
            if investigator and d > start:
                response = t.overall if t is not None else "NE"
                if rng.random() < o.disagree:
                    response = NEIGHBOUR[response]
                if rng.random() < 0.04:
                    response = ""
            total = []
            if o.sums:
                total = [_lesion_sum(rows, d, small)]
            assessments.append([pid, iso(d), *total, response])
        for _ in range(rng.randint(0, 4)):
            onset = start + dt.timedelta(days=rng.randint(-30, 260))
            onset = min(onset, death or onset, last)
            if rng.random() < 0.1:
                onset_text = ""
            else:
                onset_text = iso(onset)
            if o.grading == "severity":
                grade = rng.choice(("mild", "Mild", "moderate", "Moderate", "severe", "1", "2",
                                    "3"))
            else:
                grade = str(rng.choice((1, 1, 2, 2, 3, 4, 5)) if death else
                            rng.choice((1, 1, 2, 2, 3, 4)))
            aes.append([pid, rng.choice(TERMS), grade, onset_text])
    _write(folder / "patients.csv", patients)
    _write(folder / "tumor_lesions.csv", lesions)
    if o.assessments:
        _write(folder / "tumor_assessments.csv", assessments)
    _write(folder / "adverse_events.csv", aes)
    return Written(folder, o, lesions)


def _lesion_sum(rows: list[list[str]], when: dt.date, small: set[str]) -> str:
    """The target sum of a scan as a site would type it (blank when one is missing)."""
    sizes = [r[6] for r in rows if r[1] == iso(when) and r[3] == "target"]
    if not sizes or any(s == "" for s in sizes):
        return ""
    return f"{sum(5.0 if s.casefold() in small else float(s) for s in sizes):g}"


def _dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(LESION_HEADER, r, strict=True)) for r in rows]


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)



