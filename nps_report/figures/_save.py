"""Write one figure as PNG, TIFF, PDF and SVG with fixed metadata, so rebuilds are byte-identical.

Matplotlib stamps dates (PDF CreationDate, SVG dc:date) and its own version
(PNG Software, PDF Producer, SVG Creator) into files by default; both drift
between builds or upgrades, so they are replaced by a fixed creator and no date.
TIFF goes through Pillow from the same 300 dpi raster as the PNG, as RGB without
an alpha channel (journal upload checkers reject RGBA TIFFs), LZW-compressed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from matplotlib.figure import Figure
from PIL import Image

from ._style import style

DPI = 300
FORMATS = ("png", "tiff", "pdf", "svg")
CREATOR = "nps-report"
_METADATA = {
    "png": {"Software": CREATOR},
    "pdf": {"Creator": CREATOR, "Producer": None, "CreationDate": None, "ModDate": None},
    "svg": {"Creator": CREATOR, "Date": None},
}


def save_figure(fig: Figure, dest: Path, stem: str,
                formats: Iterable[str] = FORMATS) -> dict[str, Path]:
    """Write fig to dest/stem.<fmt> for each format; returns {format: path}."""
    dest.mkdir(parents=True, exist_ok=True)
    wanted = tuple(formats)
    unknown = set(wanted) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown figure format(s) {sorted(unknown)}; expected {FORMATS}")
    paths: dict[str, Path] = {}
    with style():
        if "png" in wanted or "tiff" in wanted:
            png = _png_bytes(fig)
            if "png" in wanted:
                paths["png"] = _write(dest / f"{stem}.png", png)
            if "tiff" in wanted:
                paths["tiff"] = _write(dest / f"{stem}.tiff", _tiff_bytes(png))
        for fmt in ("pdf", "svg"):
            if fmt in wanted:
                buf = io.BytesIO()
                # dpi only affects rasterised artists (large waterfalls) in vector files
                fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
                paths[fmt] = _write(dest / f"{stem}.{fmt}", buf.getvalue())
    return {fmt: paths[fmt] for fmt in wanted}


def _png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata=_METADATA["png"])
    return buf.getvalue()


def _tiff_bytes(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as img:
        rgb = img.convert("RGB")
    buf = io.BytesIO()
    rgb.save(buf, format="TIFF", compression="tiff_lzw", dpi=(DPI, DPI))
    return buf.getvalue()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
