"""The change report as one object, with a paragraph an author can paste into a reply letter.

The paragraph says what was done (data cutoff, lock, inputs, methods) before what it
moved, because that is how a response to reviewers is read: cause, then effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from ..present.fmt import plural, spell_number
from .changes import Change, all_changes
from .methods import METHODS, method_phrase
from .snapshot import Snapshot

HEADLINES = ("efficacy.orr", "survival.pfs.median", "survival.os.median", "efficacy.dcr",
             "safety.n_grade3plus", "survival.followup_median", "study.n_patients",
             "safety.n_any")
SHOWN = 4  # numbers named in the paragraph; the report lists them all
LISTED = 5  # patients or adverse-event terms detailed in the paragraph before it defers


@dataclass(frozen=True)
class ChangeReport:
    old: str  # what the previous build was: 'data cutoff 2024-12-31, lock ..., built ...'
    new: str
    changes: tuple[Change, ...]
    summary: str

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def compare_snapshots(old: Snapshot, new: Snapshot,
                      catalogue: Catalogue = CATALOGUE) -> ChangeReport:
    changes = tuple(all_changes(old, new, catalogue))
    return ChangeReport(old.label, new.label, changes, summarise(old, new, changes))


def _lower(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _headline(c: Change) -> str:
    """'median PFS, from 5.7 to 6.1 months' from 'Median PFS, months: 5.7 -> 6.1'."""
    name, _, unit = c.item.rpartition(", ") if ", " in c.item else (c.item, "", "")
    what, _, ci = name.rpartition(", ")
    if ci.endswith(" CI"):
        name = f"the {ci} of the {_lower(what)}"
    old, new = c.old, c.new
    if unit == "n (%)":
        old, new = (re.sub(r"\((.+)\)$", r"(\1%)", v) for v in (old, new))
    elif unit == "%":
        old, new = f"{old}%", f"{new}%"
    elif unit == "months" and not new.startswith("not"):
        new = f"{new} months"
    elif unit:
        name = c.item
    return f"{_lower(name)}, from {old} to {new}"


def _count(n: int, noun: str, capitalise: bool = False) -> str:
    return f"{spell_number(n, capitalise)} {plural(n, noun)}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _setting(old: Snapshot, new: Snapshot, changes: tuple[Change, ...]) -> list[str]:
    cut_old = old.results.study.data_cutoff or "not set"
    cut_new = new.results.study.data_cutoff or "not set"
    lock = new.results.provenance.lock_id
    data = (f"uses the data cutoff of {cut_new} (previously {cut_old})" if cut_new != cut_old
            else f"uses the same data cutoff ({cut_new})")
    out = [f"Compared with the previous version, the revised manuscript {data}"
           + (f" and the locked data set {lock}." if lock else ".")]
    files = [c.item for c in changes if c.kind == "input"]
    if files:
        out.append(f"The input data changed in {_join(files)}.")
    methods = [c for c in changes if c.kind == "method" and c.key in METHODS]
    if methods:
        out.append("Methods changed: " + "; ".join(
            method_phrase(c.key, c.item, c.old, c.new) for c in methods) + ".")
    software = [c for c in changes if c.kind == "method" and c.key not in METHODS]
    if software:
        out.append("Software versions differ: " + "; ".join(
            f"{c.item.removeprefix('Software: ')} {c.old} to {c.new}" for c in software) + ".")
    return out


def _is_headline(c: Change) -> bool:
    return c.kind == "number" and c.section != "Figures" and " CI" not in c.item


def _patient_phrase(c: Change) -> str:
    """'P05: PFS 5.7 to 7.5 months' (the event status only when it changed)."""
    pid, _, fact = c.item.partition(": ")
    if fact == "patient":
        return f"{pid} {'added' if c.new == 'included' else 'removed'}"
    if c.key.endswith(".bor"):
        return f"{pid}: {_lower(c.old)} to {_lower(c.new)}"
    name, _, unit = fact.partition(", ")
    old, new = c.old, c.new
    if old.endswith(")") and new.endswith(")") and old.rsplit("(", 1)[1] == new.rsplit("(", 1)[1]:
        old, new = old.rsplit(" (", 1)[0], new.rsplit(" (", 1)[0]
    if unit == "%" and old[-1].isdigit() and new[-1].isdigit():
        old, new = f"{old}%", f"{new}%"
    return f"{pid}: {_lower(name)} {_lower(old)} to {_lower(new)}" + (
        " months" if unit == "months" and not new.endswith(")") else "")


def _ae_phrase(c: Change) -> str:
    """'grade 3 0 to 1 (3.3%)' for one adverse-event cell."""
    column = c.item.removeprefix(f"{c.key}, ").removesuffix(", n (%)")
    old, new = (re.sub(r"\((.+)\)$", r"(\1%)", v) for v in (c.old, c.new))
    return f"{column} {old} to {new}"


def _effects(changes: tuple[Change, ...]) -> list[str]:
    numbers = [c for c in changes if c.kind == "number"]
    order = {k: i for i, k in enumerate(HEADLINES)}
    top = sorted((c for c in numbers if c.key in order), key=lambda c: order[c.key])
    top += [c for c in numbers if c.key not in order and _is_headline(c)]
    top = (top or numbers)[:SHOWN]
    out = []
    if numbers:
        listed = "; ".join(_headline(c) for c in top)
        out.append(f"{_count(len(numbers), 'reported number', True)} changed"
                   + (", among them: " if len(numbers) > len(top) else ": ") + listed
                   + ". The change report lists each with its previous and revised value.")
    patients = [c for c in changes if c.kind == "patient"]
    groups = (("Best overall response changed", [c for c in patients if c.key.endswith(".bor")]),
              ("The set of patients changed", [c for c in patients if "." not in c.key]),
              ("Endpoints changed", [c for c in patients if "." in c.key
                                     and not c.key.endswith(".bor")]))
    for head, group in groups:
        if group:
            who = len({c.item.split(":")[0] for c in group})
            detail = ("listed in the change report" if who > LISTED
                      else "; ".join(_patient_phrase(c) for c in group))
            out.append(f"{head} for {_count(who, 'patient')} ({detail}).")
    aes = [c for c in changes if c.kind == "adverse_event"]
    terms = list(dict.fromkeys(c.key for c in aes))
    if terms:
        out.append(f"Adverse-event counts changed for {_count(len(terms), 'term')} ("
                   + ("listed in the change report" if len(terms) > LISTED else "; ".join(
                       f"{t}: " + ", ".join(_ae_phrase(c) for c in aes if c.key == t)
                       for t in terms)) + ").")
    out.append("No other reported number changed." if numbers or aes or patients
               else "No reported number changed.")
    return out


def summarise(old: Snapshot, new: Snapshot, changes: tuple[Change, ...]) -> str:
    return " ".join([*_setting(old, new, changes), *_effects(changes)])
