"""Figure files to upload: one file per figure, numbered as the manuscript numbers it, in
the formats, colour mode, width and resolution the journal profile asks for.

`figures/` keeps the contract's files (every figure and panel as PNG and PDF, and TIFF
and SVG where the journal takes them, named by key); `submission/` holds what the
journal's upload form takes: Figure1.tiff
(and Figure1.pdf or .jpeg where the journal takes them), made from those very files.
A raster drawn wider than the journal's column is marked at a higher resolution so that
it prints at the column width (the pixels are never resampled); it is never enlarged, so
the resolution never falls below the 300 dpi it was drawn at. EPS is not written: it
cannot carry the transparency of the Kaplan-Meier confidence bands; a journal that takes
EPS takes TIFF too, and gets that.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import Notice
from ..journals.profile import FigureSpec

FOLDER = "submission"
DRAWN_DPI = 300  # figures/_save.py draws every raster at this resolution
VECTOR_FORMATS = {"PDF": "pdf"}
MODES = {"RGB": "RGB", "CMYK": "CMYK", "greyscale": "L"}
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class SubmissionPlan:
    """What to write: (figure number, figure key) in manuscript order, and the journal's spec."""

    journal: str
    spec: FigureSpec
    figures: tuple[tuple[int, str], ...]

    @property
    def raster(self) -> str:
        return self.spec.raster

    @property
    def vectors(self) -> tuple[str, ...]:
        return tuple(VECTOR_FORMATS[f] for f in self.spec.formats if f in VECTOR_FORMATS)


def print_width_mm(width_mm: float, spec: FigureSpec) -> float:
    """The width the figure prints at: the journal's single or double column if it was
    drawn wider than that (a figure is double-column when it is wider than 1.1 single
    columns), else its own width."""
    columns = [w for w in (spec.single_column_mm, spec.double_column_mm) if w]
    if not columns:
        return width_mm
    single = spec.single_column_mm or min(columns)
    column = spec.double_column_mm if spec.double_column_mm and width_mm > 1.1 * single \
        else single
    return min(width_mm, column)


def write_submission_files(plan: SubmissionPlan, figures: Path, dest: Path
                           ) -> tuple[list[Path], list[Notice]]:
    """submission/Figure<n>.<ext> for every figure; returns the files and what to tell."""
    from PIL import Image

    folder = dest / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    too_tall: list[str] = []
    for number, key in plan.figures:
        with Image.open(figures / f"{key}.png") as png:
            size, as_drawn = png.size, plan.spec.colour_mode == "RGB"
            width_mm = size[0] / DRAWN_DPI * MM_PER_INCH
            printed = print_width_mm(width_mm, plan.spec)
            if printed != width_mm or not as_drawn or plan.raster not in ("tiff", "png"):
                image = png.convert(MODES[plan.spec.colour_mode])
                as_drawn = False
        dpi = round(size[0] / (printed / MM_PER_INCH), 1)
        height_mm = size[1] / dpi * MM_PER_INCH
        if plan.spec.max_height_mm and height_mm > plan.spec.max_height_mm:
            too_tall.append(f"Figure {number} ({key}): {height_mm:.0f} mm high at "
                            f"{printed:.0f} mm wide; the journal allows "
                            f"{plan.spec.max_height_mm:g} mm")
        path = folder / f"Figure{number}.{plan.raster}"
        if as_drawn:  # the figure file itself: same pixels, mode and resolution
            shutil.copyfile(figures / f"{key}.{plan.raster}", path)
        else:
            _save_raster(image, path, plan.raster, dpi)
        written.append(path)
        for ext in plan.vectors:
            target = folder / f"Figure{number}.{ext}"
            shutil.copyfile(figures / f"{key}.{ext}", target)
            written.append(target)
    notices = [Notice("figure_too_tall", f"{len(too_tall)} figure(s) are taller than "
                      f"{plan.journal} allows; shorten them or ask the editor.",
                      tuple(too_tall))] if too_tall else []
    if plan.spec.min_dpi and plan.spec.min_dpi > DRAWN_DPI:
        notices.append(Notice("figure_resolution", f"{plan.journal} asks for "
                              f"{plan.spec.min_dpi} dpi; the figure files are drawn at "
                              f"{DRAWN_DPI} dpi, use the PDF files where the journal takes "
                              "them."))
    return written, notices


def _save_raster(image, path: Path, fmt: str, dpi: float) -> None:
    """TIFF LZW-compressed, JPEG at quality 95 without chroma subsampling (thin lines and
    small text stay sharp), PNG as drawn; each marked with its print resolution."""
    options: dict[str, object] = {"dpi": (dpi, dpi)}
    if fmt == "tiff":
        options["compression"] = "tiff_lzw"
    elif fmt == "jpeg":
        options.update(quality=95, subsampling=0)
    image.save(path, format=fmt.upper(), **options)
