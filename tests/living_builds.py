"""The reference study's manuscript.docx at two data states, made by the real pipeline
(validate, analyse, compose, write), for the living-manuscript tests.

OLD is the shipped reference study. NEW is the same study after a data correction that
moves the numbers co-authors quote: patients P01 and P03 become partial responses (ORR
13.3% -> 20.0%, 4 -> 6 responders, a second response censored), and two grade 3 nasal
bleeds are added (grade >= 3 events 12 -> 13 patients; nasal bleeding now heads the list
of the most common grade >= 3 events). Survival does not change.

Figures are small PNGs whose pixels stand for the data they draw: the response figures
(figure1, forest_orr) differ between the states, the survival ones do not. Both states
are made once per test process (about 4 s) and shared.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.render import write_docx_file
from nps_report.render.compose import compose
from nps_report.results import Results

BUILT = {"old": "2025-01-01T00:00:00Z", "new": "2025-03-01T00:00:00Z",
         "third": "2025-04-01T00:00:00Z"}
CHANGED_FIGURES = {"figure1", "forest_orr"}  # what the data change redraws
COLOURS = {"old": (200, 60, 60), "new": (60, 60, 200), "third": (60, 160, 60)}


@dataclass(frozen=True)
class Builds:
    folder: Path
    old: Path  # manuscript.docx of the shipped study
    new: Path  # manuscript.docx after the data change
    old_dir: Path  # a build folder holding old as manuscript.docx
    new_dir: Path
    results: dict[str, Results]  # "old", "new": what each was made from


def change_data(study: Path) -> None:
    """P01 and P03 shrink by more than 30% (partial responses, P03's still ongoing); two
    more patients have a grade 3 nasal bleed."""
    ta = study / "tumor_assessments.csv"
    text = ta.read_text()
    for old, new in (("P01,2019-06-15,42,", "P01,2019-06-15,30,"),
                     ("P01,2019-08-12,40,", "P01,2019-08-12,32,"),
                     ("P03,2019-07-03,84,", "P03,2019-07-03,50,"),
                     ("P03,2019-08-14,82,", "P03,2019-08-14,50,"),
                     ("P03,2019-09-26,82,", "P03,2019-09-26,50,")):
        assert old in text, old
        text = text.replace(old, new)
    ta.write_text(text)
    ae = study / "adverse_events.csv"
    ae.write_text(ae.read_text() + "P04,Nasal bleeding,3,2019-09-10\n"
                                   "P05,Nasal bleeding,3,2019-09-30\n")


def figures(folder: Path, state: str) -> dict[str, dict[str, Path]]:
    out = {}
    for figure in CATALOGUE.figures:
        colour = COLOURS[state] if figure.key in CHANGED_FIGURES else (90, 90, 90)
        png = folder / f"{state}-{figure.key}.png"
        # a figure's own shade, so no two figures share an image part
        shade = sum(map(ord, figure.key)) % 50
        Image.new("RGB", (160, 100), tuple(c + shade for c in colour)).save(png)
        out[figure.key] = {"png": png}
    return out


def manuscript_docx(study: Path, state: str, dest: Path) -> Path:
    return _manuscript(study, state, dest)[0]


def _manuscript(study: Path, state: str, dest: Path) -> tuple[Path, Results]:
    s, results = compute(study, BUILT[state])
    ms = compose(results, CATALOGUE.build_tables(results), figures(dest.parent, state),
                 s.config, study)
    return write_docx_file(ms, dest), results


def change_more(study: Path) -> None:
    """A third data state: P07 responds too (ORR 20.0% -> 23.3%)."""
    ta = study / "tumor_assessments.csv"
    text = ta.read_text()
    for old, new in (("P07,2020-06-26,98,", "P07,2020-06-26,60,"),
                     ("P07,2020-08-20,104,", "P07,2020-08-20,62,"),
                     ("P07,2020-10-13,104,", "P07,2020-10-13,62,")):
        assert old in text, old
        text = text.replace(old, new)
    ta.write_text(text)


@functools.cache
def third() -> Path:
    """manuscript.docx of the third data state (after builds())."""
    folder = builds().folder
    study = folder / "study"
    change_more(study)
    (folder / "build-third").mkdir()
    return manuscript_docx(study, "third", folder / "build-third" / "manuscript.docx")


def without_cohorts_and_flow(study: Path) -> None:
    """The reference study without its `by:` and `flow:` blocks (the end of its study.yaml):
    these tests follow the numbers and figures an edit moves in the manuscript as the
    living-manuscript issues wrote it; tests/test_cohorts.py and test_flow.py build those."""
    text = (study / "study.yaml").read_text(encoding="utf-8")
    cut = text.index("\n# Cohorts by starting dose")
    (study / "study.yaml").write_text(text[:cut + 1], encoding="utf-8")


@functools.cache
def builds() -> Builds:
    folder = Path(tempfile.mkdtemp(prefix="nps-living-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    study = folder / "study"
    shutil.copytree(REFERENCE_STUDY, study)
    without_cohorts_and_flow(study)
    old_dir, new_dir = folder / "build-old", folder / "build-new"
    old_dir.mkdir()
    new_dir.mkdir()
    old, old_results = _manuscript(study, "old", old_dir / "manuscript.docx")
    change_data(study)
    new, new_results = _manuscript(study, "new", new_dir / "manuscript.docx")
    return Builds(folder, old, new, old_dir, new_dir, {"old": old_results, "new": new_results})
