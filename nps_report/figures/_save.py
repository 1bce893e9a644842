"""Render one figure as an RGB raster (PNG, TIFF) and as PDF and SVG, with fixed metadata.

The layout is computed once (`freeze_layout`) and then kept: every format shows
the same axes positions, no format pays for constrained layout again, and the
bytes of a file do not depend on which format was drawn before it.

Matplotlib stamps dates (PDF CreationDate, SVG dc:date) and its own version
(PNG Software, PDF Producer, SVG Creator) into files by default; both drift
between builds or upgrades, so they are replaced by a fixed creator and no date.
PNG and TIFF come from the same 300 dpi raster, as RGB without an alpha channel
(journal upload checkers reject RGBA TIFFs, and WeasyPrint would split the alpha
channel out of every embedded PNG); TIFF is LZW-compressed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from ..config.model import FIGURE_FORMATS
from ..version import tested
from ._style import style

DPI = 300
FORMATS = FIGURE_FORMATS
RASTER = ("png", "tiff")
CREATOR = "nps-report"
_LAYOUT_TABLES = ("GPOS", "GSUB", "GDEF", "kern", "BASE", "JSTF", "MATH")
_METADATA = {
    "pdf": {"Creator": CREATOR, "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Creator": CREATOR, "Date": None},
}


def freeze_layout(fig: Figure) -> Figure:
    """Run the figure's layout engine once at the raster resolution, then keep its result;
    a legend placed 'best' keeps the place found then (matplotlib would search for it
    again in every draw, a fifth of the cost of each format of a KM-by-factor panel)."""
    engine = fig.get_layout_engine()
    if engine is not None:
        with style():
            fig.set_dpi(DPI)
            engine.execute(fig)
            _fix_best_legends(fig)
        fig.set_layout_engine("none")
    return fig


def _fix_best_legends(fig: Figure) -> None:
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    renderer = fig.canvas.get_renderer()
    for legend in legends:
        if legend is None or legend._loc != 0:  # 0: "best"
            continue
        box = legend.get_window_extent(renderer)
        anchor = legend.get_bbox_to_anchor()
        legend.set_loc(((box.x0 - anchor.x0) / anchor.width,
                        (box.y0 - anchor.y0) / anchor.height))


def raster(fig: Figure) -> Image.Image:
    """The figure drawn at 300 dpi on its (opaque) facecolor, as an RGB image."""
    with style():
        fig.set_dpi(DPI)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    return Image.fromarray(rgba[..., :3].copy(), "RGB")


# Releases whose call matplotlib -> fontTools.subset.load_font(fontfile, options) the lean
# subsets were tested on (tests/test_figure_files.py reads the embedded fonts and the text
# back); outside them matplotlib subsets as it always does. Keep in step with pyproject.
LEAN_SUBSETS_TESTED = {"matplotlib": ((3, 8, 4), (4,)), "fonttools": ((4, 59, 2), (5,))}


def lean_subsets_apply() -> bool:
    return all(tested(dist, low, high) for dist, (low, high) in LEAN_SUBSETS_TESTED.items())


@contextmanager
def _lean_font_subsets() -> Iterator[None]:
    """Leave the OpenType layout tables out of the fonts matplotlib embeds in a PDF.

    matplotlib subsets each font it embeds with fontTools and keeps GPOS, GSUB, GDEF
    and kern; decompiling and subsetting Liberation Sans's 77 KB GPOS table was half the
    cost of writing a figure PDF (BENCHMARKS.md). Nothing reads those tables from an
    embedded subset: a PDF places every glyph at a position matplotlib already computed.
    matplotlib builds the subsetter's options and then calls fontTools.subset.load_font
    with them (its internals, not an API), so the tables are added to the options' drop
    list there, with the releases in LEAN_SUBSETS_TESTED only.
    """
    if not lean_subsets_apply():
        yield  # untested releases: matplotlib's own subsets
        return
    from fontTools import subset

    original = subset.load_font

    def load_font(fontfile, options, *args, **kwargs):  # type: ignore[no-untyped-def]
        options.drop_tables += [t for t in _LAYOUT_TABLES if t not in options.drop_tables]
        return original(fontfile, options, *args, **kwargs)

    subset.load_font = load_font
    try:
        yield
    finally:
        subset.load_font = original


def vector(fig: Figure, fmt: str) -> bytes:
    """The figure as PDF (TrueType subsets) or SVG (glyphs as paths)."""
    with style(), _lean_font_subsets():
        buf = io.BytesIO()
        # dpi only affects rasterised artists (large waterfalls) in vector files
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buf.getvalue()


def encode_raster(image: Image.Image, fmt: str) -> bytes:
    """PNG (with a fixed Software tag) or LZW TIFF of an RGB image, both marked 300 dpi."""
    buf = io.BytesIO()
    if fmt == "png":
        info = PngInfo()
        info.add_text("Software", CREATOR)
        image.save(buf, format="PNG", dpi=(DPI, DPI), pnginfo=info)
    else:
        image.save(buf, format="TIFF", compression="tiff_lzw", dpi=(DPI, DPI))
    return buf.getvalue()


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(formats)
    unknown = set(wanted) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown figure format(s) {sorted(unknown)}; expected {FORMATS}")
    return wanted


def save_figure(fig: Figure, dest: Path, stem: str,
                formats: Iterable[str] = FORMATS) -> dict[str, Path]:
    """Write fig to dest/stem.<fmt> for each format; returns {format: path}. The figure's
    layout is frozen first (freeze_layout), so later draws of fig keep these positions."""
    wanted = check_formats(formats)
    freeze_layout(fig)
    image = raster(fig) if set(wanted) & set(RASTER) else None
    return write_files(dest, stem, {fmt: encode_raster(image, fmt) if fmt in RASTER
                                    else vector(fig, fmt) for fmt in wanted})


def write_files(dest: Path, stem: str, files: dict[str, bytes]) -> dict[str, Path]:
    """dest/stem.<fmt> for each {fmt: bytes}; returns {format: path}."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt, data in files.items():
        paths[fmt] = dest / f"{stem}.{fmt}"
        paths[fmt].write_bytes(data)
    return paths
