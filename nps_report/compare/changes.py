"""What moved between two builds: numbers, patients, adverse-event rows, methods, inputs.

Compared as printed (formatted strings), never as floats: a median that moves from
5.68 to 5.71 months still reads 5.7 and is not a change a reader can see, while one
that moves from 5.74 to 5.76 reads 5.7 -> 5.8 and is listed, however small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..present.fmt import fmt_months, fmt_num
from ..present.tables import BOR_LABELS
from .catalogue import AE_GRADES, adverse_event_cells, catalogue
from .methods import method_lines
from .snapshot import Snapshot

ABSENT = "not reported"
KINDS = ("study", "input", "method", "number", "patient", "adverse_event")
AE_COLUMNS = {"any": "any grade", **{f"grade{g}": f"grade {g}" for g in range(1, 6)},
              "table": "listed in the adverse-event table"}


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    section: str
    item: str  # as a reader would say it: 'Median PFS, months', 'P07: best overall response'
    old: str
    new: str
    key: str = ""  # stable id within its kind (catalogue key, patient id, term, method)


def _pairs(old: dict[str, tuple[str, str]], new: dict[str, tuple[str, str]], kind: str,
           section: str | dict[str, str]) -> list[Change]:
    """key -> (label, value) maps to the changes between them, in new order then old-only."""
    out = []
    for key in [*new, *(k for k in old if k not in new)]:
        label, new_value = new.get(key, (old.get(key, ("", ""))[0], ABSENT))
        old_value = old.get(key, ("", ABSENT))[1]
        if old_value != new_value:
            sec = section if isinstance(section, str) else section[key]
            out.append(Change(kind, sec, label, old_value, new_value, key))
    return out


def number_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    old_cat = {e.key: e for e in catalogue(old)}
    new_cat = {e.key: e for e in catalogue(new)}
    sections = {k: e.section for k, e in {**old_cat, **new_cat}.items()}
    return _pairs({k: (e.label, e.value) for k, e in old_cat.items()},
                  {k: (e.label, e.value) for k, e in new_cat.items()}, "number", sections)


def study_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def facts(d: dict[str, Any]) -> dict[str, tuple[str, str]]:
        return {"data_cutoff": ("Data cutoff", d.get("study", {}).get("data_cutoff") or
                                "not set"),
                "lock_id": ("Data lock", d.get("provenance", {}).get("lock_id") or
                            "not locked")}
    return _pairs(facts(old), facts(new), "study", "Study")


def input_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def files(d: dict[str, Any]) -> dict[str, tuple[str, str]]:
        inputs = d.get("provenance", {}).get("inputs", {})
        return {name: (name, f"sha256 {digest[:12]}") for name, digest in inputs.items()}
    return [Change(c.kind, c.section, c.item, "absent" if c.old == ABSENT else c.old,
                   "absent" if c.new == ABSENT else c.new, c.key)
            for c in _pairs(files(old), files(new), "input", "Input files")]


def method_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return _pairs(method_lines(old.get("methods", {})), method_lines(new.get("methods", {})),
                  "method", "Methods")


def _patient_facts(row: dict[str, str]) -> dict[str, tuple[str, str]]:
    pid = row["patient_id"]

    def timed(months: str, event: str) -> str:
        return f"{fmt_months(float(months))} ({'event' if event == 'True' else 'censored'})"

    bor = row.get("bor", "")
    facts = {"bor": (f"{pid}: best overall response", f"{BOR_LABELS.get(bor, bor)} ({bor})")}
    if row.get("pfs_months"):
        facts["pfs"] = (f"{pid}: PFS, months", timed(row["pfs_months"], row["pfs_event"]))
    if row.get("followup_months"):
        facts["os"] = (f"{pid}: OS, months", timed(row["followup_months"], row["os_event"]))
    if "best_pct_change" in row:
        pct = row["best_pct_change"]
        facts["pct"] = (f"{pid}: best change in target lesions, %",
                        fmt_num(float(pct), 1) if pct else "no post-baseline scan")
    return {f"{pid}.{k}": v for k, v in facts.items()}


def patient_changes(old: Snapshot, new: Snapshot) -> list[Change]:
    """Per patient: BOR, PFS, OS and best target change; whole patients added or removed."""
    old_rows = {r["patient_id"]: r for r in old.patients}
    new_rows = {r["patient_id"]: r for r in new.patients}
    out = []
    for pid in [*new_rows, *(p for p in old_rows if p not in new_rows)]:
        if pid not in old_rows or pid not in new_rows:
            out.append(Change("patient", "Patients", f"{pid}: patient",
                              "included" if pid in old_rows else "not in the study",
                              "included" if pid in new_rows else "not in the study", pid))
            continue
        out += _pairs(_patient_facts(old_rows[pid]), _patient_facts(new_rows[pid]), "patient",
                      "Patients")
    return out


def adverse_event_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """One change per AE cell that prints differently (terms below the table threshold too)."""
    old_cells, new_cells = adverse_event_cells(old), adverse_event_cells(new)
    absent = dict.fromkeys(AE_GRADES, "0") | {"table": "no"}
    out = []
    for term in [*new_cells, *(t for t in old_cells if t not in new_cells)]:
        o, n = old_cells.get(term, absent), new_cells.get(term, absent)
        out += [Change("adverse_event", "Adverse events", f"{term}, {AE_COLUMNS[col]}"
                       + (", n (%)" if col != "table" else ""), o[col], n[col], term)
                for col in (*AE_GRADES, "table") if o[col] != n[col]]
    return out


def all_changes(old: Snapshot, new: Snapshot) -> list[Change]:
    o, n = old.results, new.results
    return [*study_changes(o, n), *input_changes(o, n), *method_changes(o, n),
            *number_changes(o, n), *patient_changes(old, new), *adverse_event_changes(o, n)]
