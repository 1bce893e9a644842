"""Pick the image file each manuscript figure shows, from what the figures step wrote.

Every figure has its own file (a multi-panel figure is its panels pasted under
letter strips; a one-panel figure is that panel's file). Both documents get the 300
dpi PNG: print quality, and WeasyPrint draws an SVG figure path by path in Python,
which cost over half of the PDF's rendering time. The vector files stay in
figures/ for the journal's production team.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import Notice
from ..present.page import FigureFrame
from .model import FigureImages

Figures = dict[str, dict[str, Path]]
DRAWN_DPI = 300  # figures/_save.py draws every raster at this resolution
MM_PER_INCH = 25.4


def figure_images(number: int, key: str, figures: Figures, alt: str = "") -> FigureImages:
    image = _file(figures, key, ("png",))
    return FigureImages(number, (image,), (image,), alt, drawn_size_mm(image),
                        key)


def drawn_size_mm(png: Path) -> tuple[float, float] | None:
    """Width and height a 300 dpi PNG was drawn for, from its header (None if unreadable)."""
    with open(png, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width / DRAWN_DPI * MM_PER_INCH, height / DRAWN_DPI * MM_PER_INCH


def _file(figures: Figures, name: str, formats: tuple[str, ...]) -> Path:
    """The first of `formats` drawn for figure `name`; a clear error if there is none."""
    files = figures.get(name)
    if files is None:
        raise KeyError(f"no figure {name!r} was drawn (figures drawn: {', '.join(figures)})")
    for fmt in formats:
        if fmt in files and Path(files[fmt]).is_file():
            return Path(files[fmt])
    raise FileNotFoundError(f"figure {name!r} has no {' or '.join(formats)} file "
                            f"(have: {', '.join(f'{k}={v}' for k, v in files.items())})")


def page_fit_notices(images: list[FigureImages], frame: FigureFrame,
                     text_pt: float) -> list[Notice]:
    """A notice for each figure larger than its frame (the page's text block, or the
    journal's or study.yaml's figure width and height): it could not be laid out to fit,
    and prints smaller, its smallest text with it."""
    details = []
    for figure in images:
        if figure.size_mm is None:
            continue
        w, h = figure.size_mm
        scale = min(1.0, frame.width_mm / w, frame.max_height_mm / h)
        if scale < 0.995:
            details.append(f"Figure {figure.number}: {w:.0f} × {h:.0f} mm, the frame is "
                           f"{frame.width_mm:.0f} × {frame.max_height_mm:.0f} mm; fitted, it "
                           f"prints at {scale:.0%}, its smallest text at {text_pt * scale:.1f} pt")
    if not details:
        return []
    return [Notice("figure_too_large", f"{len(details)} figure(s) could not be laid out within "
                   "the figure frame (the page's text block, narrowed by the journal's figure "
                   "size or study.yaml's figures.width_mm and max_height_mm); shown as they "
                   f"are, they print smaller than the {text_pt:g} pt minimum once fitted. Show "
                   "fewer panels or patients, or split the figure.", tuple(details))]
