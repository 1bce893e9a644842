"""Where a named place of the manuscript fell in the PDF: its page, and its line number.

The HTML names the places a checklist points to (`id` on a section's heading, on a
declaration's heading and on the generated Methods' subsections: layout.py, compose.py),
and WeasyPrint writes each id as a named destination: page and top. The line is read
from the line numbers printed in the margin (linenumbers.py): the number level with the
first line at or below the place's top. Reading the finished PDF, not a layout kept
aside, makes the checklist agree with the file the journal gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MARGIN_PT = 2.5 / 2.54 * 72  # templates/manuscript.css: @page margin 2.5cm
PREFIXES = ("section-", "part-", "declaration-")


@dataclass(frozen=True)
class Place:
    page: int  # 1-based, as printed at the foot of the page
    line: int | None  # None when the manuscript has no line numbers


def pdf_places(pdf: Path, numbered: bool) -> dict[str, Place]:
    """anchor -> Place for every named place of the manuscript PDF."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    tops: dict[str, tuple[int, float]] = {}
    for name, dest in reader.named_destinations.items():
        if str(name).startswith(PREFIXES):
            top = dest.get("/Top")
            tops[str(name)] = (reader.get_destination_page_number(dest),
                               float(top) if top is not None else 0.0)
    labels: dict[int, list[tuple[float, int]]] = {}
    if numbered:
        for index in sorted({i for i, _ in tops.values()}):
            labels[index] = line_labels(reader.pages[index])
    places = {}
    for name, (index, top) in tops.items():
        below = [(y, n) for y, n in labels.get(index, []) if y <= top + 0.5]
        line = max(below)[1] if below else None
        places[name] = Place(index + 1, line)
    return places


def line_labels(page) -> list[tuple[float, int]]:  # page: a pypdf PageObject
    """(baseline y, number) of every line number printed in the page's left margin."""
    found: list[tuple[float, int]] = []

    def visit(text, cm, tm, _font, _size):  # type: ignore[no-untyped-def]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip().isdigit() and x < MARGIN_PT - 1:
            found.append((y, int(text.strip())))

    page.extract_text(visitor_text=visit)
    return found
