"""What moved between two builds: numbers, patients, adverse-event rows, methods, inputs.

Compared as printed (formatted strings), never as floats: a median that moves from
5.68 to 5.71 months still reads 5.7 and is not a change a reader can see, while one
that moves from 5.74 to 5.76 reads 5.7 -> 5.8 and is listed, however small.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import FigureConfig
from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from ..present.fmt import fmt_months, fmt_num
from ..present.reported import AE_GRADES, AE_SEVERITY, Reported, reported_numbers
from ..results import Results, SeverityRow
from ..results.keys import Key
from ..vocab import bor_name
from .methods import method_lines
from .snapshot import Snapshot

ABSENT = "not reported"
KINDS = ("study", "input", "method", "number", "patient", "adverse_event")
AE_COLUMNS = {"any": "any grade", **{f"grade{g}": f"grade {g}" for g in range(1, 6)},
              "mild": "mild", "moderate": "moderate", "severe": "severe",
              "table": "listed in the adverse-event table"}
AE_TERMS = Key.parse("safety.all_terms")  # adverse-event cells: reported term by term, apart


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


def numbers(results: Results, catalogue: Catalogue) -> dict[str, Reported]:
    """A build's reported numbers as present/reported.py derives them from its Results.

    The figure settings are not in results.json; the default ones choose the same
    panels whenever the change report can tell them apart (a waterfall with bars)."""
    return reported_numbers(results, catalogue, FigureConfig())


def number_changes(old: dict[str, Reported], new: dict[str, Reported]) -> list[Change]:
    old_n = {k: e for k, e in old.items() if not AE_TERMS.covers(e.key)}
    new_n = {k: e for k, e in new.items() if not AE_TERMS.covers(e.key)}
    sections = {k: e.section for k, e in {**old_n, **new_n}.items()}
    return _pairs({k: (e.label, e.value) for k, e in old_n.items()},
                  {k: (e.label, e.value) for k, e in new_n.items()}, "number", sections)


def study_changes(old: Results, new: Results) -> list[Change]:
    def facts(r: Results) -> dict[str, tuple[str, str]]:
        return {"data_cutoff": ("Data cutoff", r.study.data_cutoff or "not set"),
                "lock_id": ("Data lock", r.provenance.lock_id or "not locked")}
    return _pairs(facts(old), facts(new), "study", "Study")


def input_changes(old: Results, new: Results) -> list[Change]:
    def files(r: Results) -> dict[str, tuple[str, str]]:
        return {name: (name, f"sha256 {digest[:12]}")
                for name, digest in r.provenance.inputs.items()}
    return [Change(c.kind, c.section, c.item, "absent" if c.old == ABSENT else c.old,
                   "absent" if c.new == ABSENT else c.new, c.key)
            for c in _pairs(files(old), files(new), "input", "Input files")]


def method_changes(old: Results, new: Results) -> list[Change]:
    return _pairs(method_lines(old.methods), method_lines(new.methods), "method", "Methods")


def _patient_facts(row: dict[str, str]) -> dict[str, tuple[str, str]]:
    pid = row["patient_id"]

    def timed(months: str, event: str) -> str:
        return f"{fmt_months(float(months))} ({'event' if event == 'True' else 'censored'})"

    bor = row.get("bor", "")
    facts = {"bor": (f"{pid}: best overall response", f"{bor_name(bor)} ({bor})")}
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


def adverse_event_cells(results: Results, reported: dict[str, Reported]
                        ) -> dict[str, dict[str, str]]:
    """term -> {'any': '12 (40.0)', 'grade1': ..., 'table': 'yes'} as the AE table prints them
    (terms below the table's threshold too)."""
    in_table = {r.term for r in results.safety.adverse_events}
    return {r.term: {**{g: reported[str(AE_TERMS.item(r.term).field(g))].value for g in (
        AE_SEVERITY if isinstance(r, SeverityRow) else AE_GRADES)},
                     "table": "yes" if r.term in in_table else "no"}
            for r in results.safety.all_terms}


def adverse_event_changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]
                          ) -> list[Change]:
    """One change per AE cell that prints differently (terms below the table threshold too)."""
    old_cells, new_cells = old, new
    out = []
    for term in [*new_cells, *(t for t in old_cells if t not in new_cells)]:
        o, n = old_cells.get(term, {"table": "no"}), new_cells.get(term, {"table": "no"})
        columns = [*dict.fromkeys([*o, *n])]  # a change of scale shows both sets of columns
        out += [Change("adverse_event", "Adverse events", f"{term}, {AE_COLUMNS[col]}"
                       + (", n (%)" if col != "table" else ""), o.get(col, "0"),
                       n.get(col, "0"), term)
                for col in [*(c for c in columns if c != "table"), "table"]
                if o.get(col, "0") != n.get(col, "0")]
    return out


def all_changes(old: Snapshot, new: Snapshot, catalogue: Catalogue = CATALOGUE) -> list[Change]:
    o, n = old.results, new.results
    old_numbers, new_numbers = numbers(o, catalogue), numbers(n, catalogue)
    return [*study_changes(o, n), *input_changes(o, n), *method_changes(o, n),
            *number_changes(old_numbers, new_numbers), *patient_changes(old, new),
            *adverse_event_changes(adverse_event_cells(o, old_numbers),
                                   adverse_event_cells(n, new_numbers))]
