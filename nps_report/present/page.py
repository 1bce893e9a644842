"""The page the manuscript prints on, and the frame every figure is drawn for.

A figure is drawn at the size it prints at, so that its 7 pt text prints at 7 pt: a
full-width figure is as wide as the page's text block (or the journal's double column,
when that is narrower) and no figure is taller than the printable height less the line
that labels it. templates/manuscript.css and the Word writer lay the page out with these
same numbers (tests/test_print_size.py measures both against the figure files).
"""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4
PAGE_WIDTH_MM = 210.0  # A4
PAGE_HEIGHT_MM = 297.0
MARGIN_MM = 25.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM  # 160
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - 2 * MARGIN_MM  # 247
# Under a figure on its page: the 'Figure 4' line (12 pt, double-spaced) and its gap
FIGURE_LABEL_MM = 17.0
FIGURE_MAX_HEIGHT_MM = TEXT_HEIGHT_MM - FIGURE_LABEL_MM  # 230
MIN_TEXT_PT = 7.0  # the smallest text a figure may print
DRAWN_DPI = 300  # every raster figure is drawn at this resolution (figures/_save.py)


@dataclass(frozen=True)
class FigureFrame:
    """What a full-width figure is drawn for: its printed width and the tallest it may be."""

    width_mm: float = TEXT_WIDTH_MM
    max_height_mm: float = FIGURE_MAX_HEIGHT_MM

    @property
    def width_in(self) -> float:
        """The width in inches, at a whole and even number of 300 dpi pixels (a hair over,
        as matplotlib truncates), so that two half-width panels are exactly one full width."""
        pixels = int(self.width_mm / MM_PER_INCH * DRAWN_DPI / 2) * 2
        return (pixels + 0.02) / DRAWN_DPI

    @property
    def half_width_in(self) -> float:
        return self.width_in / 2

    @property
    def max_height_in(self) -> float:
        return self.max_height_mm / MM_PER_INCH


def figure_frame(width_mm: float | None = None, max_height_mm: float | None = None,
                 journal_width_mm: float | None = None,
                 journal_height_mm: float | None = None) -> FigureFrame:
    """The frame for a study: study.yaml's figures.width_mm / max_height_mm when given, else
    the page's text block narrowed to the journal's double column and height."""
    width = width_mm or min(TEXT_WIDTH_MM, journal_width_mm or TEXT_WIDTH_MM)
    height = max_height_mm or min(FIGURE_MAX_HEIGHT_MM,
                                  journal_height_mm or FIGURE_MAX_HEIGHT_MM)
    return FigureFrame(float(width), float(height))
