"""Line numbers in the PDF margin, for reviewers (manuscript.line_numbers).

CSS cannot number lines, so the PDF is laid out twice. The first layout, with every
word of the running text in its own span (id "wN"), tells which word starts each line;
the second adds, inside each such word, an absolutely positioned number. An absolute
box takes no room, so the second layout breaks lines exactly like the first. Its
`left` is measured from the page's content box (no ancestor is positioned), so every
number sits in one column left of the text, however the paragraph is indented.
Table cells and footnotes have no word spans and are not numbered, as journals expect.

Where lines start is read from WeasyPrint's documented API only: `Document.pages[i]
.anchors` maps each element id to its box on the page (x1, y1, x2, y2 in CSS px since
WeasyPrint 65). tests/test_line_numbers.py checks the numbers on the PDF itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

WORD_ID = re.compile(r"w(\d+)$")
SPACES = re.compile(r"(\s+)")
# A word is cut after a hyphen, dash or slash, where a line may break...
PIECES = re.compile(r"[^-–—/]+[-–—/]*|[-–—/]+")
# ...except a numeric range such as '0.4–26.2', which is kept on one line.
RANGE = re.compile(r"\d[\d.]*–[\d.]*\d")
GAP_PX = 12.0  # space between the number and the text column (CSS px)
WIDTH_PX = 30.0  # the number's box, right-aligned


@dataclass
class Words:
    """Gives each word of the running text a stable id, and its number where a line starts."""

    marks: dict[int, int] = field(default_factory=dict)  # word id -> line number
    next_id: int = 0

    def wrap(self, text: str) -> str:
        """Escaped HTML of `text` with each word in <span id="wN">; numbers where marked."""
        out = []
        for token in SPACES.split(text):
            if not token or token.isspace():
                out.append(token)
                continue
            keep = RANGE.search(token) is not None
            for piece in [token] if keep else PIECES.findall(token):
                wid, self.next_id = self.next_id, self.next_id + 1
                mark = self.marks.get(wid)
                number = f'<span class="ln">{mark}</span>' if mark else ""
                cls = ' class="nowrap"' if keep else ""
                out.append(f'<span id="w{wid}"{cls}>{number}{escape(piece, quote=False)}</span>')
        return "".join(out)


def line_starts(document: Any) -> dict[int, int]:
    """From a laid-out WeasyPrint document: first word id of each text line -> line number.

    Only the documented API is read: each page's `anchors`, the box of every element
    with an id, here the word spans. Page by page, top to bottom, a word whose vertical
    middle lies inside the box of a line's first word is on that line (a superscript
    moves a few pixels, the next line a whole line height); the leftmost word of each
    line starts it. Geometry, not the ids' order: a list marker is written after its
    item's text but stands before it.
    """
    marks: dict[int, int] = {}
    number = 0
    for page in document.pages:
        words = sorted(((y1 + y2) / 2, x1, y2, int(word.group(1)))
                       for name, (x1, y1, _x2, y2) in page.anchors.items()
                       if (word := WORD_ID.match(name)))
        lines: list[tuple[float, list[tuple[float, int]]]] = []  # (bottom, [(x, id)])
        for middle, x, bottom, wid in words:
            if lines and middle < lines[-1][0]:
                lines[-1][1].append((x, wid))
            else:
                lines.append((bottom, [(x, wid)]))
        for _, line in lines:
            number += 1
            marks[min(line)[1]] = number
    return marks


LINE_NUMBER_CSS = f"""
span.ln {{ position: absolute; left: {-(GAP_PX + WIDTH_PX):.0f}px; width: {WIDTH_PX:.0f}px;
          text-align: right; text-indent: 0;
          font-size: 8pt; line-height: 24pt; font-weight: normal; font-style: normal;
          color: #555; }}
"""


# The manuscript's named places a checklist points to (layout.py, compose.py name them)
PLACE_PREFIXES = ("section-", "part-", "declaration-")


@dataclass(frozen=True)
class Place:
    """Where a named place fell in the PDF: its page (1-based, as printed at its foot) and
    the number of its first line (None without line numbers)."""

    page: int
    line: int | None = None


def named_places(document: Any, marks: dict[int, int] | None = None) -> dict[str, Place]:
    """From the laid-out document that is written: each named place's page, and, with the
    line numbers (`marks`, word id -> line number, as this layout prints them), the number
    of the line its first word starts. Read from the documented `Page.anchors` only."""
    places: dict[str, Place] = {}
    for index, page in enumerate(document.pages):
        anchors = page.anchors
        words = [(int(m.group(1)), box) for name, box in anchors.items()
                 if marks and (m := WORD_ID.match(name))]
        for name, (_x1, y1, _x2, y2) in anchors.items():
            if not name.startswith(PLACE_PREFIXES) or name in places:
                continue
            line = None
            if marks:
                inside = sorted(wid for wid, (_a, b1, _c, b2) in words
                                if y1 <= (b1 + b2) / 2 <= max(y2, y1 + 1) and wid in marks)
                line = marks[inside[0]] if inside else None
            places[name] = Place(index + 1, line)
    return places
