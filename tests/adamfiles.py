"""A small ADaM set built the way admiral builds one, written as a sponsor hands it over.

Two arms and a screen failure; ADSL with SAFFL, TRT01A, TRTSDT/TRTEDT, DTHDT and
LSTALVDT; ADRS with the timepoint responses (PARAMCD OVR) and the best overall response
derived from them (BOR, confirmation not required, SD at least 42 days after TRTSDT);
ADTTE with PFS, OS and DOR as admiral's derive_param_tte() makes them (AVAL = ADT -
STARTDT + 1 days, CNSR 0 = event, 1 = censored) and AVALU = DAYS; ADAE with TRTEMFL (onset
from TRTSDT to TRTEDT + 30 days) and the grade both as ATOXGR ("1"-"5") and as ASEV.
Written with pyreadstat as SAS transport files (DATE9. dates), or as Parquet or CSV.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

D = dt.date.fromisoformat
STUDY = "CDISCTEST01"
# USUBJID, SAFFL, TRT01A, TRTSDT, TRTEDT, DTHDT, LSTALVDT, AGE, SEX
SUBJECTS = [
    ("T-001", "Y", "Drug X 10 mg", "2021-01-04", "2021-06-30", "", "2022-03-01", 61, "M"),
    ("T-002", "Y", "Drug X 10 mg", "2021-01-11", "2021-03-20", "2021-05-02", "2021-05-02", 54,
     "F"),
    ("T-003", "Y", "Drug X 10 mg", "2021-02-01", "", "", "2022-03-15", 70, "M"),
    ("T-004", "Y", "Drug X 10 mg", "2021-02-15", "2021-04-01", "", "2022-02-20", 45, "F"),
    ("T-005", "Y", "Drug X 20 mg", "2021-02-20", "2021-09-10", "2022-01-05", "2022-01-05", 66,
     "M"),
    ("T-006", "Y", "Drug X 20 mg", "2021-03-01", "2021-03-15", "2021-03-28", "2021-03-28", 72,
     "F"),
    ("T-007", "Y", "Drug X 20 mg", "2021-03-08", "2021-11-01", "", "2022-03-10", 58, "M"),
    ("T-008", "N", "Drug X 20 mg", "2021-03-09", "2021-03-09", "", "2021-04-01", 49, "F"),
    ("T-009", "", "Screen Failure", "", "", "", "", 63, "M"),
]
# USUBJID, ADT, AVALC (timepoint responses by the investigator)
OVR = [
    ("T-001", "2021-02-15", "SD"), ("T-001", "2021-03-29", "PR"), ("T-001", "2021-05-10", "PR"),
    ("T-001", "2021-06-21", "PD"),
    ("T-002", "2021-02-22", "PD"),
    ("T-003", "2021-03-15", "SD"), ("T-003", "2021-04-26", "CR"), ("T-003", "2021-06-07", "CR"),
    ("T-004", "2021-03-29", "NON-CR/NON-PD"), ("T-004", "2021-05-10", "NON-CR/NON-PD"),
    ("T-005", "2021-04-05", "SD"), ("T-005", "2021-05-17", "SD"), ("T-005", "2021-06-28", "PR"),
    ("T-005", "2021-08-09", "PD"),
    ("T-007", "2021-04-19", "NE"), ("T-007", "2021-05-31", "SD"),
]
BOR = {"T-001": ("PR", "2021-03-29"), "T-002": ("PD", "2021-02-22"),
       "T-003": ("CR", "2021-04-26"), "T-004": ("NON-CR/NON-PD", "2021-05-10"),
       "T-005": ("PR", "2021-06-28"), "T-006": ("MISSING", ""), "T-007": ("SD", "2021-05-31"),
       "T-008": ("MISSING", "")}
# USUBJID, AEDECOD, ASTDT, ATOXGR, ASEV
EVENTS = [
    ("T-001", "Fatigue", "2021-01-20", "2", "MODERATE"),
    ("T-001", "Hypertension", "2021-02-01", "3", "SEVERE"),
    ("T-001", "Hypertension", "2021-03-01", "1", "MILD"),
    ("T-001", "Cough", "2020-12-28", "1", "MILD"),  # before the first dose: not emergent
    ("T-002", "Fatigue", "2021-01-15", "1", "MILD"),
    ("T-003", "Diarrhoea", "2021-02-10", "2", "MODERATE"),
    ("T-003", "Fatigue", "2022-02-01", "1", "MILD"),  # on treatment, after the data cutoff
    ("T-005", "Hypertension", "2021-03-10", "2", "MODERATE"),
    ("T-005", "Rash", "2021-10-30", "1", "MILD"),  # more than 30 days after TRTEDT
    ("T-006", "Fatigue", "2021-03-05", "3", "SEVERE"),
    ("T-007", "Diarrhoea", "2021-04-01", "4", "SEVERE"),
    ("T-008", "Rash", "2021-03-09", "1", "MILD"),  # outside the population
]
CUTOFF = "2021-12-31"


def _date(text: str) -> dt.date | None:
    return D(text) if text else None


def adsl() -> pd.DataFrame:
    rows = []
    for usubjid, saffl, arm, start, end, death, last, age, sex in SUBJECTS:
        rows.append({"STUDYID": STUDY, "USUBJID": usubjid, "SUBJID": usubjid[-3:],
                     "SITEID": "101" if usubjid < "T-005" else "102", "SAFFL": saffl,
                     "TRT01P": arm, "TRT01A": arm, "TRTSDT": _date(start),
                     "TRTEDT": _date(end), "DTHDT": _date(death), "DTHFL": "Y" if death else "",
                     "LSTALVDT": _date(last), "AGE": float(age), "SEX": sex})
    return pd.DataFrame(rows)


def _start(usubjid: str) -> dt.date:
    return next(D(s[3]) for s in SUBJECTS if s[0] == usubjid)


def adrs() -> pd.DataFrame:
    rows = [{"STUDYID": STUDY, "USUBJID": u, "PARAMCD": "OVR",
             "PARAM": "Overall Response by Investigator", "AVALC": r, "ADT": D(day),
             "ANL01FL": "Y"} for u, day, r in OVR]
    rows += [{"STUDYID": STUDY, "USUBJID": u, "PARAMCD": "BOR",
              "PARAM": "Best Overall Response by Investigator (confirmation not required)",
              "AVALC": r, "ADT": _date(day), "ANL01FL": "Y"} for u, (r, day) in BOR.items()]
    return pd.DataFrame(rows)


def _tte(usubjid: str, paramcd: str, start: dt.date, end: dt.date, event: bool,
         what: str) -> dict:
    return {"STUDYID": STUDY, "USUBJID": usubjid, "PARAMCD": paramcd, "STARTDT": start,
            "ADT": end, "AVAL": float((end - start).days + 1), "AVALU": "DAYS",
            "CNSR": 0.0 if event else 1.0, "EVNTDESC": what}


def adtte() -> pd.DataFrame:
    rows = []
    scans: dict[str, list[tuple[dt.date, str]]] = {}
    for u, day, r in OVR:
        scans.setdefault(u, []).append((D(day), r))
    for usubjid, saffl, _, start, _, death, last, _, _ in SUBJECTS:
        if saffl != "Y":
            continue
        t0 = D(start)
        seen = scans.get(usubjid, [])
        first_pd = next((d for d, r in seen if r == "PD"), None)
        died = _date(death)
        if first_pd or died:
            end = min(d for d in (first_pd, died) if d)
            rows.append(_tte(usubjid, "PFS", t0, end, True, "Disease Progression"
                             if end == first_pd else "Death"))
        else:
            end = max((d for d, _ in seen), default=t0)
            rows.append(_tte(usubjid, "PFS", t0, end, False, "Last Tumor Assessment"))
        rows.append(_tte(usubjid, "OS", t0, died or D(last), bool(died),
                         "Death" if died else "Alive"))
        r, day = BOR[usubjid]
        if r in ("CR", "PR"):
            first = next(d for d, x in seen if x in ("CR", "PR"))
            pfs = rows[-2]
            rows.append(_tte(usubjid, "DOR", first, pfs["ADT"], pfs["CNSR"] == 0,
                             pfs["EVNTDESC"]))
    return pd.DataFrame(rows)


def adae() -> pd.DataFrame:
    rows = []
    for usubjid, term, onset, grade, sev in EVENTS:
        subject = next(s for s in SUBJECTS if s[0] == usubjid)
        start, end = D(subject[3]), _date(subject[4])
        day = D(onset)
        emergent = day >= start and (end is None or day <= end + dt.timedelta(days=30))
        rows.append({"STUDYID": STUDY, "USUBJID": usubjid, "AETERM": term.upper(),
                     "AEDECOD": term, "ASTDT": day, "TRTEMFL": "Y" if emergent else "",
                     "ATOXGR": grade, "AETOXGR": grade, "ASEV": sev,
                     "ASEVN": float(("MILD", "MODERATE", "SEVERE").index(sev) + 1)})
    return pd.DataFrame(rows)


DATASETS = {"adsl": adsl, "adrs": adrs, "adtte": adtte, "adae": adae}

YAML = f"""\
title: Drug X in advanced disease
drug: drug X
population: patients with advanced disease
data_cutoff: {CUTOFF}
landmarks_months: [6]
source:
  adam: adam/
  population: SAFFL
  response: {{paramcd: BOR}}
  pfs: {{paramcd: PFS}}
  os: {{paramcd: OS}}
  duration_of_response: {{paramcd: DOR}}
  adverse_events: {{flag: TRTEMFL, grade: ATOXGR, term: AEDECOD}}
baseline:
  - {{column: AGE, label: Age (years), type: continuous}}
  - {{column: SEX, label: Sex, type: categorical, levels: {{Male: [M], Female: [F]}}}}
"""


def write_dataset(frame: pd.DataFrame, path: Path) -> Path:
    """One data set in the format its suffix names, dates as dates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dates = [c for c in frame if c.endswith("DT")]
    if path.suffix == ".xpt":
        import pyreadstat

        pyreadstat.write_xport(frame, path, table_name=path.stem.upper()[:8],
                               variable_format={c: "DATE9." for c in dates})
    elif path.suffix == ".parquet":
        out = frame.copy()
        for c in dates:
            out[c] = pd.to_datetime(out[c])
        out.to_parquet(path, engine="fastparquet", index=False)
    elif path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        raise ValueError(path.suffix)
    return path


def write_adam_study(folder: Path, suffix: str = ".xpt", yaml: str = YAML,
                     **frames: pd.DataFrame) -> Path:
    """study.yaml and the four data sets under adam/ (a data set given is used instead)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "study.yaml").write_text(yaml, encoding="utf-8")
    for name, make in DATASETS.items():
        frame = frames.get(name)
        write_dataset(make() if frame is None else frame, folder / "adam" / f"{name}{suffix}")
    return folder
