"""What a rebuild moved in the headline numbers, in three lines `nps-report build` prints:
what changed, what did not, and how to bring the authors' Word copy up to date.

The numbers are compared as the change report compares them (as printed, changes.py),
so a median that moved from 5.68 to 5.71 months, still printed 5.7, did not change.
"""

from __future__ import annotations

from pathlib import Path

from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from ..present.reported import Reported
from ..results import Results
from .changes import numbers

HEADLINES = {  # key -> what a clinician calls it, in the order they read an abstract
    "study.n_patients": "patients", "efficacy.orr": "ORR", "efficacy.dcr": "DCR",
    "survival.pfs.median": "median PFS", "survival.os.median": "median OS",
    "survival.followup_median": "median follow-up",
    "safety.n_any": "patients with any adverse event",
    "safety.n_grade3plus": "patients with grade ≥3 adverse events"}


def _shown(entry: Reported) -> str:
    """'6 (20.0%)' for an n (%) value, '5.7 months' for a time."""
    value = entry.value
    if entry.label.endswith("n (%)") and value.endswith(")"):
        return value[:-1] + "%)"
    if entry.label.endswith("months") and value[:1].isdigit():
        return f"{value} months"
    return value


def headline_lines(old: Results, new: Results, out_dir: Path, authors_copy: Path | None,
                   catalogue: Catalogue = CATALOGUE) -> list[str]:
    before, after = numbers(old, catalogue), numbers(new, catalogue)
    moved, same = [], []
    for key, name in HEADLINES.items():
        if key not in after:
            continue
        now = _shown(after[key])
        if key in before and before[key].value != after[key].value:
            moved.append(f"{name} {_shown(before[key])} → {now}")
        elif key in before:
            same.append(f"{name} {now}")
    others = sum(1 for key, entry in after.items() if key not in HEADLINES
                 and key in before and before[key].value != entry.value)
    folder = f"{out_dir}/"
    first = (f"Headline numbers since the previous build in {folder}: " + "; ".join(moved) + "."
             if moved else f"No headline number changed since the previous build in {folder}.")
    second = ("Unchanged: " + ", ".join(same) + "." if same else "")
    if others:
        second += (" " if second else "") + (f"{others} other reported number"
                                             f"{'s' if others != 1 else ''} changed too.")
    copy = authors_copy if authors_copy is not None else Path("YOUR-COPY.docx")
    updated = copy.with_name(f"{copy.stem}-updated.docx")
    third = (f"Bring the authors' copy up to date: nps-report update {copy} --build {out_dir}, "
             f"then nps-report check {updated} --build {out_dir}.")
    return [first, second or "Every other reported number is as it was.", third]
