"""Pick the image file each manuscript figure shows, from what the figures step wrote.

Every figure has its own file (a multi-panel figure is its panels pasted under
letter strips; a one-panel figure is that panel's file). Both documents get the 300
dpi PNG: print quality, and WeasyPrint draws an SVG figure path by path in Python,
which cost over half of the PDF's rendering time. The vector files stay in
figures/ for the journal's production team.
"""

from __future__ import annotations

from pathlib import Path

from .model import FigureImages

Figures = dict[str, dict[str, Path]]


def figure_images(number: int, key: str, figures: Figures, alt: str = "") -> FigureImages:
    image = _file(figures, key, ("png",))
    return FigureImages(number, (image,), (image,), alt, key)


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
