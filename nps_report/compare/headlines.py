"""What a rebuild moved in the headline numbers, in three lines `nps-report build` prints:
what changed, what did not, and how to bring the authors' Word copy up to date.

The numbers are compared as the change report compares them (as printed, changes.py),
so a median that moved from 5.68 to 5.71 months, still printed 5.7, did not change.
"""

from __future__ import annotations

from pathlib import Path

from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from ..present.formats import cell, prose
from ..results import Results
from ..results.keys import Key
from .changes import numbers

# key -> what a clinician calls it and the format that prints it, in the order they read
# an abstract
HEADLINES: dict[str, tuple[str, str]] = {
    "study.n_patients": ("patients", "count"), "efficacy.orr": ("ORR", "n_pct"),
    "efficacy.dcr": ("DCR", "n_pct"), "survival.pfs.median": ("median PFS", "months"),
    "survival.os.median": ("median OS", "months"),
    "survival.followup_median": ("median follow-up", "months"),
    "safety.n_any": ("patients with any adverse event", "n_pct"),
    "safety.n_grade3plus": ("patients with grade ≥3 adverse events", "n_pct")}


def _shown(results: Results, key: str, format: str) -> str:
    """The number as running text prints it (the format registry): '6 (20.0%)' for an
    n (%), '5.7 months' for a time, '30' for a count."""
    *_, holder, value = Key.parse(key).walk(results)
    if format == "n_pct":  # a count of patients, of all those its holder counts
        return prose(format, value, getattr(holder, "N", None))
    return cell(format, value) if format == "count" else prose(format, value)


def headline_lines(old: Results, new: Results, out_dir: Path, authors_copy: Path | None,
                   catalogue: Catalogue = CATALOGUE) -> list[str]:
    before, after = numbers(old, catalogue), numbers(new, catalogue)
    moved, same = [], []
    for key, (name, format) in HEADLINES.items():
        if key not in after:
            continue
        now = _shown(new, key, format)
        if key in before and before[key].value != after[key].value:
            moved.append(f"{name} {_shown(old, key, format)} → {now}")
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
