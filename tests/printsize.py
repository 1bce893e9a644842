"""What a figure's text measures on paper: its size in the figure file times the scale at
which the manuscript (PDF, Word) or the journal's upload file prints the figure.

Read from the outputs themselves, never from the code that made them: the figure PDFs
give the drawn width and every text size (pypdf), the manuscript PDF gives the resolution
each image is placed at (poppler's pdfimages), the Word file each picture's extent, and
the submission TIFFs the resolution they are marked to print at.
"""

from __future__ import annotations

import io
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from PIL import Image
from pypdf import PdfReader

DRAWN_DPI = 300
MM_PER_INCH = 25.4
EMU_PER_INCH = 914400


@dataclass(frozen=True)
class Drawn:
    width_mm: float
    height_mm: float
    pixels: tuple[int, int]
    min_text_pt: float


def drawn(figures: Path, key: str) -> Drawn:
    """A figure as drawn: its size (PDF page), raster pixels and smallest text."""
    page = PdfReader(figures / f"{key}.pdf").pages[0]
    sizes: list[float] = []

    def visit(text, cm, tm, _font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            sizes.append(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]))

    page.extract_text(visitor_text=visit)
    with Image.open(figures / f"{key}.png") as png:
        pixels = png.size
    pt = 72 / MM_PER_INCH
    return Drawn(float(page.mediabox.width) / pt, float(page.mediabox.height) / pt, pixels,
                 min(sizes))


def pdf_image_ppi(pdf: Path) -> dict[tuple[int, int], float]:
    """(width px, height px) -> the resolution the manuscript PDF places that image at."""
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    out = {}
    for line in listed:
        cols = line.split()
        out[(int(cols[3]), int(cols[4]))] = float(cols[12])
    return out


def docx_image_widths_mm(docx: Path) -> dict[tuple[int, int], float]:
    """(width px, height px) -> the width the Word file prints that picture at."""
    doc = Document(str(docx))
    out = {}
    for shape in doc.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        blob = doc.part.related_parts[rid].blob
        with Image.open(io.BytesIO(blob)) as image:
            out[image.size] = shape.width / EMU_PER_INCH * MM_PER_INCH
    return out


def submission_scale(path: Path) -> float:
    """How much the journal's upload file prints the drawing: 300 dpi over its marked dpi."""
    with Image.open(path) as image:
        return DRAWN_DPI / image.info["dpi"][0]
