"""Line numbers in manuscript.pdf, checked on the PDF itself: every line of running text has
one number, the numbers count up in reading order, and they stand in one column left of
the text. This is the output that linenumbers.py reads WeasyPrint's layout for, so a
WeasyPrint upgrade that changes what Page.anchors reports fails here, not in a user's PDF.
Words and positions come from poppler's pdftotext (poppler-utils, which .ci/run installs).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nps_report.paths import REFERENCE_STUDY
from nps_report.render.linenumbers import GAP_PX, WIDTH_PX

from .test_documents import fake_figures, render

PT_PER_PX = 0.75
A4_HEIGHT_PT = 841.89
MARGIN_PT = 2.5 / 2.54 * 72  # templates/manuscript.css: @page margin 2.5cm
INTRODUCTION = """\
Nasopharyngeal carcinoma is endemic in southern China, and patients whose disease recurs
or spreads after chemoradiotherapy have few options once platinum-based chemotherapy and
immunotherapy have failed; anlotinib, an oral multi-target tyrosine kinase inhibitor of
VEGFR, FGFR, PDGFR and c-Kit, is used off-label in this setting in several centres.

- a first point that is long enough to wrap onto a second line of the page, so that the
  hanging indent of a list item is numbered too, like every other line
- a second, short point
  - a nested point

A closing paragraph with *italic*, **bold** and a range such as 0.4–26.2 kept together.
"""


@dataclasses.dataclass(frozen=True)
class Word:
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def pdf_words(pdf: Path) -> list[list[Word]]:
    """The words on each page, with their boxes in points from the top left."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pattern = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">([^<]*)<')
    return [[Word(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
             pattern.findall(page)] for page in html.split("<page ")[1:]]


def text_lines(words: list[Word]) -> list[list[Word]]:
    """Words of the text column (not the footer's page number) grouped into lines."""
    lines: list[list[Word]] = []
    for w in sorted((w for w in words if w.x_min >= MARGIN_PT - 1
                     and w.y_max < A4_HEIGHT_PT - MARGIN_PT), key=lambda w: w.y_max):
        if lines and w.y_max - lines[-1][0].y_max < 7:  # a superscript sits on its line
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[list[Word]]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    work = tmp_path_factory.mktemp("numbered")
    study = shutil.copytree(REFERENCE_STUDY, work / "study")
    yaml = (study / "study.yaml").read_text(encoding="utf-8")  # tables at the end, unnumbered
    (study / "study.yaml").write_text(yaml.replace("journal: radiology-and-oncology",
                                                   "journal: default"), encoding="utf-8")
    (study / "manuscript").mkdir(exist_ok=True)
    (study / "manuscript" / "introduction.md").write_text(INTRODUCTION, encoding="utf-8")

    def numbered(results, config):
        ms = dataclasses.replace(config.manuscript, line_numbers=True)
        return results, dataclasses.replace(config, manuscript=ms)

    _, (pdf, _) = render(study, work / "out", fake_figures(work / "figures"), numbered)
    return pdf_words(pdf)


def numbers_on(page: list[Word]) -> list[Word]:
    return [w for w in page if w.x_max < MARGIN_PT - 1]


def test_every_line_of_running_text_has_exactly_one_number(pages):
    numbered_pages = 0
    for index, page in enumerate(pages):
        numbers, lines = numbers_on(page), text_lines(page)
        if not numbers:  # tables and figures: not numbered, as journals expect
            continue
        numbered_pages += 1
        for line in lines:
            here = [n for n in numbers if abs(n.y_max - line[0].y_max) < 9]
            words = " ".join(w.text for w in line[:5])
            assert len(here) == 1, f"page {index + 1}, line {words!r}: numbers {here}"
        assert len(numbers) == len(lines), f"page {index + 1}"
    assert numbered_pages >= 5


def test_numbers_count_up_in_reading_order_across_pages(pages):
    values = [int(n.text) for page in pages for n in sorted(numbers_on(page),
                                                             key=lambda w: w.y_max)]
    assert values == list(range(1, len(values) + 1))
    assert len(values) > 100


def test_numbers_stand_in_one_column_left_of_the_text_whatever_the_indent(pages):
    numbers = [n for page in pages for n in numbers_on(page)]
    right_edges = {round(n.x_max, 1) for n in numbers}
    assert max(right_edges) - min(right_edges) < 0.5  # right-aligned, one column
    expected = MARGIN_PT - GAP_PX * PT_PER_PX
    assert abs(max(right_edges) - expected) < 1.5
    assert all(n.x_min > MARGIN_PT - (GAP_PX + WIDTH_PX) * PT_PER_PX - 0.5 for n in numbers)


def test_list_items_and_their_wrapped_lines_are_numbered(pages):
    page = next(p for p in pages if any(w.text == "hanging" for w in p))
    lines = text_lines(page)
    start = next(i for i, line in enumerate(lines) if any(w.text == "first" for w in line))
    item_lines = lines[start:start + 4]  # the wrapped first point, the second, the nested one
    numbers = numbers_on(page)
    assert all(any(abs(n.y_max - line[0].y_max) < 9 for n in numbers) for line in item_lines)
