"""Pick the image files each manuscript figure shows, from what the figures step wrote.

A composite file (figure1: waterfall + swimmer) is used when the figure shows all
its panels; when a panel is dropped (no tumor measurements, so no waterfall) or no
composite was drawn, the remaining panels' own files are used. Both documents get
the 300 dpi PNG: print quality, and WeasyPrint draws an SVG figure path by path in
Python, which cost over half of the PDF's rendering time. The vector files stay in
figures/ for the journal's production team.
"""

from __future__ import annotations

from pathlib import Path

from ..present.figure_data import FIGURE_PANELS
from .model import FigureImages

Figures = dict[str, dict[str, Path]]


def figure_images(number: int, key: str, panels: tuple[str, ...],
                  figures: Figures) -> FigureImages:
    sources = [key] if panels == FIGURE_PANELS[key] and key in figures else list(panels)
    return FigureImages(number, tuple(_file(figures, s, ("png",)) for s in sources),
                        tuple(_file(figures, s, ("png",)) for s in sources))


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
