"""Line numbers in the PDF margin, for reviewers (manuscript.line_numbers).

CSS cannot number lines, so the PDF is laid out twice. The first layout, with every
word of the running text in its own span, tells which word starts each line and
where; the second adds, inside each such word, an absolutely positioned number. An
absolute box takes no room, so the second layout breaks lines exactly like the first.
Table cells and footnotes have no word spans and are not numbered, as journals expect.
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

    marks: dict[int, tuple[int, float]] = field(default_factory=dict)  # id -> (number, x)
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
                number = (f'<span class="ln" style="margin-left: {-mark[1]:.2f}px">'
                          f"{mark[0]}</span>" if mark else "")
                cls = ' class="nowrap"' if keep else ""
                out.append(f'<span id="w{wid}"{cls}>{number}{escape(piece, quote=False)}</span>')
        return "".join(out)


def line_starts(document: Any) -> dict[int, tuple[int, float]]:
    """From a laid-out WeasyPrint document: first word id of each text line -> (number, offset).

    The offset moves the number from the word's start to a fixed place left of the column.
    """
    from weasyprint.formatting_structure import boxes

    marks: dict[int, tuple[int, float]] = {}
    number = 0
    for page in document.pages:
        page_box = page._page_box
        left = page_box.content_box_x()
        for line in page_box.descendants():
            if not isinstance(line, boxes.LineBox):
                continue
            first = next((b for b in line.descendants() if isinstance(b, boxes.TextBox)), None)
            element = getattr(first, "element", None)
            word = WORD_ID.match(element.get("id") or "") if element is not None else None
            if word is None or first.element_tag != "span":
                continue
            number += 1
            offset = first.position_x - left + GAP_PX + WIDTH_PX
            marks.setdefault(int(word.group(1)), (number, offset))
    return marks


LINE_NUMBER_CSS = f"""
span.ln {{ position: absolute; width: {WIDTH_PX:.0f}px; text-align: right; text-indent: 0;
          font-size: 8pt; line-height: 24pt; font-weight: normal; font-style: normal;
          color: #555; }}
"""
