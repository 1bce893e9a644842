"""Lay rendered tiles out in rows, in each file format: how composites are made from panel files.

A composite figure is its panels' own renderings placed side by side (a row) or
one under another (rows), so Figure 1B in the composite is the very swimmer file
in figures/, and a composite costs a paste instead of a second drawing. Each
format is laid out in its own units from the tiles' real sizes: pixels for
rasters, points for PDF pages and SVG documents. Tiles sit at the top left of
their cell; the canvas is white.

pypdf places PDF pages as they are (vectors and embedded TrueType subsets kept),
where hand-written code would have to parse matplotlib's PDF. SVG documents are
nested as <svg> elements with their ids prefixed, so two panels' ids never clash.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TypeVar

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from ._save import CREATOR

T = TypeVar("T")
Rows = Sequence[Sequence[T]]


def positions(sizes: Rows[tuple[float, float]]) -> tuple[float, float,
                                                          list[list[tuple[float, float]]]]:
    """Canvas width and height and each tile's top-left corner for rows of (width, height)."""
    places: list[list[tuple[float, float]]] = []
    top = width = 0.0
    for row in sizes:
        left = 0.0
        places.append([])
        for w, _h in row:
            places[-1].append((left, top))
            left += w
        width = max(width, left)
        top += max((h for _w, h in row), default=0.0)
    return width, top, places


def stitch_raster(rows: Rows[Image.Image]) -> Image.Image:
    width, height, places = positions([[im.size for im in row] for row in rows])
    canvas = Image.new("RGB", (round(width), round(height)), "white")
    for row, at in zip(rows, places, strict=True):
        for image, (x, y) in zip(row, at, strict=True):
            canvas.paste(image, (round(x), round(y)))
    return canvas


def stitch_pdf(rows: Rows[bytes]) -> bytes:
    pages = [[PdfReader(io.BytesIO(data)).pages[0] for data in row] for row in rows]
    width, height, places = positions([[(float(p.mediabox.width), float(p.mediabox.height))
                                        for p in row] for row in pages])
    canvas = PageObject.create_blank_page(width=width, height=height)
    for row, at in zip(pages, places, strict=True):
        for page, (x, y) in zip(row, at, strict=True):
            # PDF's origin is the bottom left corner
            lift = height - y - float(page.mediabox.height)
            canvas.merge_transformed_page(page, Transformation().translate(x, lift))
    writer = PdfWriter()
    writer.add_page(canvas)
    writer.metadata = {"/Creator": CREATOR}
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>")
_SIZE = re.compile(rb'\b(width|height)="([0-9.]+)pt"')
_IDS = re.compile(rb'(\bid="|url\(#|href="#)')


def _svg_size(data: bytes) -> tuple[float, float]:
    root = _SVG_ROOT.search(data)
    if root is None:
        raise ValueError("not an SVG document: no <svg> element")
    sizes = dict(_SIZE.findall(root.group()))
    return float(sizes[b"width"]), float(sizes[b"height"])


def _nested(data: bytes, prefix: bytes, x: float, y: float) -> bytes:
    """The document's <svg> element, placed at (x, y) points, sized in user units."""
    body = data[data.index(b"<svg"):]
    body = _IDS.sub(lambda m: m.group(1) + prefix, body)
    return _SVG_ROOT.sub(lambda m: _SIZE.sub(rb'\1="\2"', m.group()).replace(
        b"<svg ", b'<svg x="%s" y="%s" ' % (_num(x), _num(y)), 1), body, count=1)


def _num(value: float) -> bytes:
    return (f"{value:.4f}".rstrip("0").rstrip(".")).encode()


def stitch_svg(rows: Rows[bytes]) -> bytes:
    width, height, places = positions([[_svg_size(d) for d in row] for row in rows])
    w, h = _num(width), _num(height)
    parts = [b'<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
             b'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="%spt" height="%spt" '
             b'viewBox="0 0 %s %s" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
             % (w, h, w, h)]
    tile = 0
    for row, at in zip(rows, places, strict=True):
        for data, (x, y) in zip(row, at, strict=True):
            tile += 1
            parts.append(_nested(data, b"t%d-" % tile, x, y))
    parts.append(b"</svg>\n")
    return b"".join(parts)
