"""`nps-report init FOLDER --from-adam DIR`: a study.yaml for a sponsor's ADaM data sets.

It looks at what the data sets hold and writes the usual choices (SAFFL, TRT01A, the
PARAMCDs found in ADRS and ADTTE, ATOXGR or ASEV, TRTEMFL, AGE and SEX for Table 1),
each with a comment saying what was found and what to check. The data stay where they
are: study.yaml points at DIR.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import Problem, StudyError
from .inputs import ADAM_SUFFIXES

ROLES = ("adsl", "adrs", "adtte", "adae", "adtr")
FLAGS = ("SAFFL", "ITTFL", "FASFL", "EFFFL", "RANDFL", "ENRLFL")
ARMS = ("TRT01A", "ACTARM", "ARM", "TRT01P")
GRADES = ("ATOXGR", "AETOXGR", "ATOXGRN", "AETOXGRN", "ASEV", "AESEV", "ASEVN")
SEVERITY = ("ASEV", "AESEV", "ASEVN")
PFS = ("PFS", "PFSINV", "PFSIRC", "PFSI")
OS = ("OS",)
DOR = ("DOR", "DURRSP", "RSD", "DURR", "DOR1")
UNITS = {"DAYS": "days", "DAY": "days", "WEEKS": "weeks", "MONTHS": "months", "YEARS": "years"}


def q(text: object) -> str:
    """A YAML scalar that stays text (double-quoted where it must be)."""
    s = str(text)
    plain = re.fullmatch(r"[A-Za-z_][\w ./-]*[\w/]|[A-Za-z_]", s) is not None and \
        s.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "y", "n")
    return s if plain else json.dumps(s, ensure_ascii=False)


@dataclass
class Found:
    """What the data sets hold, as far as the study.yaml needs it."""

    files: dict[str, Path] = field(default_factory=dict)
    others: dict[str, list[str]] = field(default_factory=dict)  # role -> other candidates
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)


def find_datasets(folder: Path) -> Found:
    found = Found()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        raise StudyError([Problem(str(folder), "folder not found",
                                  expected="the folder holding the ADaM data sets")]) from None
    for role in ROLES:
        candidates = [n for n in names if Path(n).suffix.lower() in ADAM_SUFFIXES and (
            Path(n).stem.casefold() == role or Path(n).stem.casefold().startswith(role + "_"))]
        exact = [n for n in candidates if Path(n).stem.casefold() == role]
        pick = (exact or candidates)[:1]
        if pick:
            found.files[role] = folder / pick[0]
            found.others[role] = [n for n in candidates if n != pick[0]]
    if "adsl" not in found.files:
        raise StudyError([Problem(str(folder), "no ADSL data set found",
                                  expected="adsl.xpt (or .sas7bdat, .parquet, .csv, .rds) in "
                                           "the folder")])
    from .data.load import read_table_file

    for role, path in found.files.items():
        table, problems, _ = read_table_file(path, role, path.name)
        if table is None:
            raise StudyError(problems)
        found.frames[role] = table.frame
    return found


def _first(options: tuple[str, ...], frame: pd.DataFrame) -> str | None:
    return next((o for o in options if o in frame.columns), None)


def _params(frame: pd.DataFrame | None) -> list[tuple[str, str, int]]:
    """(PARAMCD, PARAM, records) in order of appearance."""
    if frame is None or "PARAMCD" not in frame:
        return []
    labels = frame["PARAM"] if "PARAM" in frame else pd.Series([""] * len(frame))
    out = []
    for code in dict.fromkeys(frame["PARAMCD"]):
        if code:
            mask = frame["PARAMCD"].eq(code)
            out.append((code, str(labels[mask].iloc[0]), int(mask.sum())))
    return out


def _pick(params: list[tuple[str, str, int]], codes: tuple[str, ...], words: tuple[str, ...]
          ) -> str | None:
    for code, _, _ in params:
        if code.upper() in codes:
            return code
    for code, label, _ in params:
        if any(w in label.lower() for w in words):
            return code
    return None


def _dataset_key(found: Found, role: str) -> str:
    path = found.files.get(role)
    if path is None or path.stem.casefold() == role:
        return ""
    return f", dataset: {q(path.stem)}"


def study_yaml(adam: Path, found: Found, where: str) -> str:
    adsl = found.frames["adsl"]
    lines = ["# study.yaml for the ADaM data sets in " + where + ", written by",
             "# nps-report init --from-adam. Lines marked CHECK are guesses: read them",
             "# against the SAP and the sponsor's tables, then run nps-report validate.",
             "title: \"CHECK: the manuscript's title\"", "drug: \"CHECK: the drug\"",
             "population: \"CHECK: patients with ...\"", *_cutoff(found), *_centre(adsl),
             "source:", f"  adam: {q(where)}"]
    flag = _first(FLAGS, adsl)
    others = [f for f in FLAGS if f in adsl and f != flag]
    if flag is None:
        lines.append("  population: SAFFL   # CHECK: ADSL has no usual population flag")
        arm_lines: list[str] = []
        n = 0
    else:
        inside = adsl[flag].str.strip().eq("Y")
        n = int(inside.sum())
        lines.append(f"  population: {flag}   # {n} patients with {flag} = Y"
                     + (f"; also found: {', '.join(others)}" if others else ""))
        arm_lines = _arms(adsl, inside)
    lines += arm_lines
    lines += _response(found)
    lines += _times(found)
    lines += _events(found)
    lines += ["landmarks_months: [6, 12]", *_safety(found), "baseline:   # rows of Table 1: "
              "ADSL variables (CHECK the levels' labels)", *_baseline(adsl)]
    return "\n".join(lines) + "\n"


def _cutoff(found: Found) -> list[str]:
    latest = None
    for role, variables in (("adsl", ("LSTALVDT", "DTHDT", "TRTEDT", "TRTEDTM")),
                            ("adae", ("ASTDT", "ASTDTM")), ("adtte", ("ADT",)),
                            ("adrs", ("ADT", "ADTM"))):
        frame = found.frames.get(role)
        for v in variables:
            if frame is not None and v in frame:
                days = pd.to_datetime(frame[v].where(frame[v].ne("")), errors="coerce",
                                      format="%Y-%m-%d").max()
                if pd.notna(days) and (latest is None or days > latest):
                    latest = days
    day = latest.date().isoformat() if latest is not None else "2024-12-31"
    return [f"data_cutoff: {day}   # CHECK: ADaM carries no data cutoff; this is the latest "
            "date in the data sets. Write the study's own."]


def _centre(adsl: pd.DataFrame) -> list[str]:
    if "SITEID" not in adsl:
        return []
    return [f"centre_column: SITEID   # {adsl['SITEID'].nunique()} sites in ADSL"]


def _arms(adsl: pd.DataFrame, inside: pd.Series) -> list[str]:
    variable = _first(ARMS, adsl)
    if variable is None:
        return []
    counts = adsl.loc[inside, variable].str.strip().value_counts(sort=False)
    listed = ", ".join(f"{a} ({k})" for a, k in counts.items())
    if len(counts) <= 1:
        return [f"  # one arm ({variable}): {listed}"]
    first = q(next(iter(counts.index)))
    return [f"  # {len(counts)} arms in {variable}: {listed}. Without arm: all are pooled.",
            f"  # CHECK: report one arm: arm: {{variable: {variable}, value: {first}}}",
            f"  #        or several, pooled: arm: {{variable: {variable}, values: [...]}}"]


def _response(found: Found) -> list[str]:
    params = _params(found.frames.get("adrs"))
    listed = "; ".join(f"{c} = {label} ({n})" for c, label, n in params)
    codes = [c for c, _, _ in params]
    key = _dataset_key(found, "adrs")
    best = _pick(params, ("BOR",), ("best overall response", "best confirmed overall "
                                         "response"))
    timepoints = next((c for c in codes if c.upper().startswith("OVR")), None)
    if best is not None:
        line = (f"  response: {{paramcd: {q(best)}{key}}}   # CHECK: the sponsor's best overall "
                "response")
    elif timepoints is not None:
        line = (f"  response: {{paramcd: {q(timepoints)}{key}}}   # CHECK: timepoint responses "
                "(no BOR found)")
    elif "adtr" in found.files:
        line = "  response: {derive: adtr}   # CHECK: no BOR or OVR in ADRS"
    else:
        line = "  response: {paramcd: BOR}   # CHECK: no ADRS data set found"
    out = [line]
    if listed:
        out.append(f"  # ADRS parameters: {listed}")
    if "CBOR" in codes:
        out.append("  # CHECK: CBOR is the confirmed best overall response: use it if the "
                   "sponsor reports confirmed responses")
    return out


def _times(found: Found) -> list[str]:
    frame = found.frames.get("adtte")
    params = _params(frame)
    unit = ""
    if frame is None or "AVALU" not in frame:
        unit = ", unit: days"
        note = "   # CHECK: ADTTE has no AVALU; days assumed (AVAL = ADT - STARTDT + 1)"
    key = _dataset_key(found, "adtte")
    out = []
    for name, codes, words, required in (
            ("pfs", PFS, ("progression-free", "progression free"), True),
            ("os", OS, ("overall survival",), True),
            ("duration_of_response", DOR, ("duration of response", "response duration",
                                           "duration of confirmed response"), False)):
        code = _pick(params, codes, words)
        if code is not None and not unit:
            assert frame is not None
            given = frame.loc[frame["PARAMCD"].eq(code), "AVALU"]
            units = sorted({UNITS.get(u.strip().upper(), u) for u in given if u})
            note = f"   # AVALU: {', '.join(units)}"
        if code is None:
            out.append(f"  {'' if required else '# '}{name}: {{paramcd: CHECK{unit}{key}}}"
                       "   # CHECK: no such parameter recognised in ADTTE")
        else:
            out.append(f"  {name}: {{paramcd: {q(code)}{unit}{key}}}{note}")
    if params:
        out.append("  # ADTTE parameters: " + "; ".join(f"{c} = {label} ({n})"
                                                       for c, label, n in params))
    return out


def _events(found: Found) -> list[str]:
    frame = found.frames.get("adae")
    if frame is None:
        return ["  adverse_events: {flag: TRTEMFL, grade: ATOXGR, term: AEDECOD}   # CHECK: "
                "no ADAE data set found"]
    flag = "TRTEMFL" if "TRTEMFL" in frame else "CHECK"
    grade = _first(GRADES, frame) or "CHECK"
    term = "AEDECOD" if "AEDECOD" in frame else "AETERM" if "AETERM" in frame else "CHECK"
    found_grades = [g for g in GRADES if g in frame]
    key = _dataset_key(found, "adae")
    return [f"  adverse_events: {{flag: {flag}, grade: {grade}, term: {term}{key}}}",
            f"  # CHECK: {flag} = Y marks the events counted; grade variables found: "
            f"{', '.join(found_grades) or 'none'}"]


def _safety(found: Found) -> list[str]:
    frame = found.frames.get("adae")
    grade = _first(GRADES, frame) if frame is not None else None
    out = ["safety:", "  events: all-cause   # CHECK: all treatment-emergent events, "
                      "whatever their attribution"]
    if grade in SEVERITY:
        out.append("  grading: severity   # the events are graded mild, moderate, severe")
    else:
        out.append("  ctcae_version: \"5.0\"   # CHECK: the CTCAE version of the grades")
    return out


def _baseline(adsl: pd.DataFrame) -> list[str]:
    out = []
    if "AGE" in adsl:
        out.append("  - {column: AGE, label: Age (years), type: continuous}")
    if "SEX" in adsl:
        names = {"F": "Female", "M": "Male", "U": "Unknown"}
        values = [v for v in dict.fromkeys(adsl["SEX"].str.strip()) if v]
        levels = ", ".join(f"{q(names.get(v, v))}: [{q(v)}]" for v in values)
        out.append(f"  - {{column: SEX, label: Sex, type: categorical, levels: {{{levels}}}}}")
    for column, label in (("RACE", "Race"), ("ECOGBL", "ECOG performance status"),
                          ("ECOG", "ECOG performance status")):
        if column in adsl:
            out.append(f"  - {{column: {column}, label: {label}, type: categorical}}")
    return out or ["  []"]


def init_from_adam(folder: str | Path, adam: str | Path) -> list[Path]:
    """Write FOLDER/study.yaml for the ADaM data sets in adam (FOLDER new, or one without
    a study.yaml, such as the folder holding the data sets' folder)."""
    from .scaffold import INTRODUCTION

    folder, adam = Path(folder), Path(adam)
    if (folder / "study.yaml").exists() or (folder.exists() and not folder.is_dir()):
        raise StudyError([Problem(str(folder / "study.yaml"), "already exists",
                                  expected="a folder without study.yaml (a new one, or the "
                                           "one holding the ADaM folder), so nothing is "
                                           "overwritten")])
    found = find_datasets(adam)
    # inside the study: relative, so the folder moves with it; outside: absolute, the one
    # way a study reads outside its own folder
    where = Path(os.path.relpath(adam.resolve(), folder.resolve())).as_posix()
    if where.startswith(".."):
        where = adam.resolve().as_posix()
    text = study_yaml(adam, found, where.rstrip("/") + "/")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manuscript").mkdir(exist_ok=True)
    written = [folder / "study.yaml"]
    written[0].write_text(text, encoding="utf-8")
    introduction = folder / "manuscript" / "introduction.md"
    if not introduction.exists():
        introduction.write_text(INTRODUCTION, encoding="utf-8")
        written.append(introduction)
    return written
