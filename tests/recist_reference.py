"""An independent reference for RECIST 1.1 from lesions and for which adverse events count.

Written from the study contract's text (section 1: tumor_lesions.csv, the investigator's
response, adverse events), not from nps_report's code: plain Python, one patient and
one scan at a time, RECIST 1.1's Tables 1-3 (Eisenhauer et al., Eur J Cancer 2009) written
out as lookups. It reads the CSV files a study folder holds, so that what the tests
compare is what a user hands over. Nothing here imports nps_report.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

TOO_SMALL_MM = 5.0
RANK = {"CR": 0, "PR": 1, "SD": 2, "PD": 3, "NE": 4}

# RECIST 1.1 Table 1 (target and non-target disease), without new lesions:
# (target, non-target) -> overall; a new lesion makes any timepoint PD.
TABLE_1 = {
    ("CR", "CR"): "CR", ("CR", "none"): "CR",
    ("CR", "non-CR/non-PD"): "PR", ("CR", "NE"): "PR",
    ("PR", "CR"): "PR", ("PR", "non-CR/non-PD"): "PR", ("PR", "NE"): "PR",
    ("PR", "none"): "PR",
    ("SD", "CR"): "SD", ("SD", "non-CR/non-PD"): "SD", ("SD", "NE"): "SD",
    ("SD", "none"): "SD",
    ("NE", "CR"): "NE", ("NE", "non-CR/non-PD"): "NE", ("NE", "NE"): "NE",
    ("NE", "none"): "NE",
}
# RECIST 1.1 Table 2 (non-target disease only), without new lesions.
TABLE_2 = {"CR": "CR", "non-CR/non-PD": "non-CR/non-PD", "NE": "NE", "none": "NE"}


def overall(target: str, nontarget: str, new: bool) -> str:
    if new or target == "PD" or nontarget == "PD":
        return "PD"
    if target == "none":
        return TABLE_2[nontarget]
    return TABLE_1[(target, nontarget)]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class Lesion:
    lesion_id: str
    kind: str  # target | non-target | new
    nodal: bool
    diameter: float | None
    status: str


@dataclass
class Timepoint:
    date: dt.date
    days: int
    target: str
    nontarget: str
    new: bool
    overall: str
    total: float | None


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def diameter(text: str, too_small: set[str]) -> float | None:
    if text == "":
        return None
    if text.casefold() in too_small:
        return TOO_SMALL_MM
    return float(text)


def patient_timepoints(lesions: list[dict[str, str]], extra_dates: set[dt.date],
                       start: dt.date, too_small: set[str]) -> list[Timepoint]:
    """One patient's timepoints after treatment_start, per the contract's lesion rules."""
    scans: dict[dt.date, dict[str, Lesion]] = {}
    for row in lesions:
        kind = row["lesion_type"].lower()
        le = Lesion(row["lesion_id"], kind, row["nodal"].lower() in ("yes", "y", "true", "1"),
                    diameter(row["diameter_mm"], too_small) if kind == "target" else None,
                    row.get("status", "").lower())
        scans.setdefault(day(row["assessment_date"]), {})[le.lesion_id] = le
    before = [d for d in scans if d <= start]
    after = sorted({d for d in scans if d > start} | {d for d in extra_dates if d > start})
    if not before:
        out = []
        for d in after:
            here = scans.get(d, {}).values()
            new = any(le.kind == "new" for le in here)
            prog = any(le.kind == "non-target" and le.status == "progression" for le in here)
            result = "PD" if new or prog else "NE"
            out.append(Timepoint(d, (d - start).days, "NE", "PD" if prog else "NE", new,
                                 result, None))
        return out
    base = scans[max(before)]
    targets = {k: le for k, le in base.items() if le.kind == "target"}
    nontargets = [k for k, le in base.items() if le.kind == "non-target"]
    base_sum = sum(le.diameter for le in targets.values())  # type: ignore[misc]
    complete_sums: list[tuple[float, dict[str, float]]] = [
        (base_sum, {k: le.diameter for k, le in targets.items()})]  # type: ignore[misc]
    out = []
    for d in after:
        here = scans.get(d, {})
        sizes = {k: (here[k].diameter if k in here else None) for k in targets}
        measured = {k: v for k, v in sizes.items() if v is not None}
        complete = len(measured) == len(targets)
        total = sum(measured.values()) if complete and targets else None
        if not targets:
            target = "none"
        else:
            nadir, at_nadir = min(complete_sums, key=lambda s: s[0])  # first smallest
            cr = complete and all((v < 10) if targets[k].nodal else (v == 0)
                                  for k, v in measured.items())
            judged = sum(min(v, at_nadir[k]) if targets[k].nodal and v < 10 else v
                         for k, v in measured.items())
            progression = bool(measured) and judged >= 1.2 * nadir - 1e-9 \
                and judged - nadir >= 5 - 1e-9
            if cr:
                target = "CR"
            elif progression:
                target = "PD"
            elif not complete:
                target = "NE"
            elif total <= 0.7 * base_sum + 1e-9:  # type: ignore[operator]
                target = "PR"
            else:
                target = "SD"
        if nontargets:
            status = [here[k].status if k in here else "not-evaluated" for k in nontargets]
            if "progression" in status:
                nontarget = "PD"
            elif "not-evaluated" in status:
                nontarget = "NE"
            elif all(s == "absent" for s in status):
                nontarget = "CR"
            else:
                nontarget = "non-CR/non-PD"
        else:
            nontarget = "none"
        new = any(le.kind == "new" for le in here.values())
        out.append(Timepoint(d, (d - start).days, target, nontarget, new,
                             overall(target, nontarget, new), total))
        if complete and targets:
            complete_sums.append((total, measured))  # type: ignore[arg-type]
    return out


def best_response(points: list[tuple[int, str]], progressed: bool, sd_min_days: int,
                  confirm: bool, confirm_days: int = 28) -> tuple[str, int | None]:
    """BOR from (day, timepoint response) in date order; the day of the first response."""
    until_pd: list[tuple[int, str]] = []
    for d, r in points:
        r = "SD" if r == "non-CR/non-PD" else r
        until_pd.append((d, r))
        if r == "PD":
            break
    responses: list[tuple[str, int]] = []
    for i, (d, r) in enumerate(until_pd):
        if r not in ("CR", "PR"):
            continue
        if not confirm:
            responses.append((r, d))
            continue
        for d2, r2 in until_pd[i + 1:]:
            if r2 not in ("CR", "PR"):
                break  # something other than CR or PR between: not confirmed
            if d2 - d >= confirm_days:
                responses.append(("CR" if r == "CR" and r2 == "CR" else "PR", d))
                if r == "CR" and r2 != "CR":
                    continue  # a later CR may still confirm it as CR
                break
    if responses:
        best = min(RANK[r] for r, _ in responses)
        first = min(d for _, d in responses)
        return ("CR", "PR")[best], first
    if any(r in ("SD", "CR", "PR") and d >= sd_min_days for d, r in until_pd):
        return "SD", None
    if progressed or any(r == "PD" for _, r in until_pd):
        return "PD", None
    return "NE", None


@dataclass
class Reference:
    bor: dict[str, str] = field(default_factory=dict)  # the reported response
    bor_derived: dict[str, str] = field(default_factory=dict)
    investigator_bor: dict[str, str] = field(default_factory=dict)
    timepoints: dict[str, list[Timepoint]] = field(default_factory=dict)
    ae_rows: list[dict[str, object]] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)

    def counts(self, which: str = "bor") -> dict[str, int]:
        values = getattr(self, which).values()
        return {c: sum(1 for v in values if v == c) for c in RANK}

    def concordance(self) -> tuple[int, int, float | None, list[str]]:
        """(n_agree, n, kappa, ids that differ) over patients with an investigator BOR."""
        ids = [p for p in self.bor if p in self.investigator_bor]
        derived = {p: self.bor_derived[p] for p in ids}
        inv = {p: self.investigator_bor[p] for p in ids}
        n = len(ids)
        agree = sum(derived[p] == inv[p] for p in ids)
        if not n:
            return 0, 0, None, []
        po = agree / n
        pe = sum((sum(v == c for v in derived.values()) / n)
                 * (sum(v == c for v in inv.values()) / n) for c in RANK)
        kappa = None if abs(1 - pe) < 1e-12 else (po - pe) / (1 - pe)
        return agree, n, kappa, [p for p in ids if derived[p] != inv[p]]


def reference(folder: Path, *, sd_min_days: int = 42, confirm: bool = False,
              too_small: tuple[str, ...] = (), window: int | None = None,
              source: str = "derived", cutoff: dt.date | None = None) -> Reference:
    """Every patient's BOR (derived, investigator's), and the adverse events that count."""
    patients = read_csv(folder / "patients.csv")
    lesions = read_csv(folder / "tumor_lesions.csv")
    assessments_path = folder / "tumor_assessments.csv"
    assessments = read_csv(assessments_path) if assessments_path.exists() else []
    small = {t.casefold() for t in ("TSTM", *too_small)}
    ref = Reference()
    for p in patients:
        pid, start = p["patient_id"], day(p["treatment_start"])
        progressed = p["progression_date"] != "" and (
            cutoff is None or day(p["progression_date"]) <= cutoff)
        mine = [r for r in lesions if r["patient_id"] == pid
                and (cutoff is None or day(r["assessment_date"]) <= cutoff)]
        rows = [r for r in assessments if r["patient_id"] == pid
                and (cutoff is None or day(r["assessment_date"]) <= cutoff)]
        points = patient_timepoints(mine, {day(r["assessment_date"]) for r in rows}, start,
                                    small)
        ref.timepoints[pid] = points
        derived, _ = best_response([(t.days, t.overall) for t in points], progressed,
                                   sd_min_days, confirm)
        ref.bor_derived[pid] = derived
        given = [(day(r["assessment_date"]), r.get("investigator_response", ""))
                 for r in rows if day(r["assessment_date"]) > start]
        if any(resp for _, resp in given):
            seen: dict[dt.date, str] = {}
            for d, resp in sorted(given, key=lambda g: g[0]):
                if not seen.get(d):
                    seen[d] = resp
            inv = [((d - start).days, seen[d] or "NE") for d in sorted(seen)]
            ref.investigator_bor[pid], _ = best_response(inv, progressed, sd_min_days,
                                                         confirm)
        ref.bor[pid] = derived if source == "derived" else ref.investigator_bor.get(
            pid, best_response([], progressed, sd_min_days, confirm)[0])
    ref.ae_rows, ref.excluded = emergent_events(folder, patients, window, cutoff)
    return ref


SEVERITY = {"mild": 1, "moderate": 2, "severe": 3}


def emergent_events(folder: Path, patients: list[dict[str, str]], window: int | None,
                    cutoff: dt.date | None) -> tuple[list[dict[str, object]], dict[str, int]]:
    """Adverse events that count (treatment-emergent, on or before the cutoff)."""
    by_id = {p["patient_id"]: p for p in patients}
    kept, excluded = [], {"before_treatment": 0, "after_window": 0, "without_onset": 0}
    for row in read_csv(folder / "adverse_events.csv"):
        onset = day(row["onset_date"]) if row.get("onset_date") else None
        if onset is not None and cutoff is not None and onset > cutoff:
            continue
        p = by_id[row["patient_id"]]
        end = p["treatment_end"]
        if end and cutoff is not None and day(end) > cutoff:
            end = ""  # on treatment at the cutoff
        if onset is not None and onset < day(p["treatment_start"]):
            excluded["before_treatment"] += 1
            continue
        if onset is not None and window is not None and end and \
                onset > day(end) + dt.timedelta(days=window):
            excluded["after_window"] += 1
            continue
        if onset is None:
            excluded["without_onset"] += 1
        grade = row["grade"].strip().lower()
        kept.append({"patient_id": row["patient_id"], "term": row["term"],
                     "grade": SEVERITY.get(grade) or int(grade)})
    return kept, excluded


def ae_summary(rows: list[dict[str, object]]) -> tuple[int, int, dict[str, list[int]]]:
    """(patients with any event, with grade >= 3, term -> [any, grade1, ..., grade5])."""
    worst: dict[tuple[str, str], int] = {}
    per_patient: dict[str, int] = {}
    for r in rows:
        key = (str(r["term"]), str(r["patient_id"]))
        worst[key] = max(worst.get(key, 0), int(r["grade"]))  # type: ignore[arg-type]
        per_patient[key[1]] = max(per_patient.get(key[1], 0), int(r["grade"]))  # type: ignore
    terms: dict[str, list[int]] = {}
    for (term, _), g in worst.items():
        row = terms.setdefault(term, [0] * 6)
        row[0] += 1
        row[g] += 1
    return len(per_patient), sum(g >= 3 for g in per_patient.values()), terms
