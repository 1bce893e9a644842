"""HTML to PDF with WeasyPrint, with the bundled fonts and no clock or environment read.

The HTML carries dcterms.created/modified from results.provenance.built_at, we pass
no identifier, and fonts are subset by HarfBuzz (or embedded whole), so two builds of
the same study give the same bytes.
"""

from __future__ import annotations

import io
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..paths import FONTS, TEMPLATES
from ..version import tested
from .fetcher import figure_files, url_fetcher
from .linenumbers import Place, named_places
from .native_libs import import_weasyprint

if TYPE_CHECKING:  # the composer's modules: a PDF worker given a PdfSource never loads them
    from .model import Manuscript

STYLESHEET = TEMPLATES / "manuscript.css"


def weasyprint_api():
    """WeasyPrint, imported on first use (it costs a second), and whether it can subset fonts
    with HarfBuzz. Without the system library libharfbuzz-subset it warns that a future
    version will need it; that warning is about the machine, not this build, so it is muted.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        weasyprint = import_weasyprint()
        from weasyprint.text import ffi
        from weasyprint.text.fonts import FontConfiguration
    return weasyprint.HTML, FontConfiguration, getattr(ffi, "harfbuzz_subset", None) is not None


def _idat(png: bytes) -> bytes | None:
    """The concatenated IDAT data of an 8-bit, non-interlaced RGB or grey PNG, else None.

    That data is exactly what a PDF image with FlateDecode and a PNG predictor holds."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return None
    depth, colour, interlace = png[24], png[25], png[28]
    if depth != 8 or colour not in (0, 2) or interlace != 0:
        return None
    chunks, at = [], 8
    while at + 8 <= len(png):
        length = struct.unpack(">I", png[at:at + 4])[0]
        if png[at + 4:at + 8] == b"IDAT":
            chunks.append(png[at + 8:at + 8 + length])
        at += 12 + length
    return b"".join(chunks)


# WeasyPrint releases whose private RasterImage._get_png_data (a Pillow image in, the IDAT
# data of its PNG encoding out) the pass-through was tested on: tests/test_pdf_images.py
# checks the embedded pixels against the figure files. Keep in step with pyproject.toml.
PNG_PASSTHROUGH_TESTED = ((68, 1), (71,))


@contextmanager
def _png_passthrough() -> Iterator[None]:
    """Let WeasyPrint embed our figure PNGs' compressed data as it is.

    For a PNG, WeasyPrint decodes the image, re-encodes it with Pillow and keeps the
    IDAT data of the result; for the 300 dpi figures that round trip cost 0.2 s of
    every build (BENCHMARKS.md). The figures are already 8-bit RGB, non-interlaced PNGs,
    whose own IDAT data is what the round trip would produce, so it is used directly;
    any other image takes WeasyPrint's path, and so does every image with a WeasyPrint
    outside PNG_PASSTHROUGH_TESTED. Scoped to one write.
    """
    from weasyprint.images import RasterImage

    original = RasterImage.__dict__.get("_get_png_data")
    if not (tested("weasyprint", *PNG_PASSTHROUGH_TESTED) and isinstance(original, staticmethod)):
        yield  # an untested WeasyPrint: its own, slower path
        return

    def get_png_data(pillow_image):  # type: ignore[no-untyped-def]
        source = getattr(pillow_image, "fp", None)
        data = _idat(source.getvalue()) if isinstance(source, io.BytesIO) else None
        return data if data is not None else original.__func__(pillow_image)

    RasterImage._get_png_data = staticmethod(get_png_data)
    try:
        yield
    finally:
        RasterImage._get_png_data = original


@dataclass(frozen=True)
class PdfSource:
    """The manuscript as WeasyPrint reads it, made where it was composed: the HTML and the
    figure files its URLs name. The PDF worker is sent this, so that it imports WeasyPrint
    and this module only, and is ready sooner (parallel.preload_pdf). Line numbers need a
    first layout before the HTML can be written (linenumbers.py): then the manuscript
    itself comes along and the HTML is made here."""

    html: str | None
    figures: dict[str, Path]
    numbered: Manuscript | None = None


def pdf_source(ms: Manuscript) -> PdfSource:
    from .html import to_html
    from .model import FigureImages

    figures = figure_files(p for e in ms.elements if isinstance(e, FigureImages)
                           for p in e.vector_images)
    if ms.line_numbers:
        return PdfSource(None, figures, ms)
    return PdfSource(to_html(ms, STYLESHEET.read_text(encoding="utf-8"), None), figures)


def write_pdf(source: Manuscript | PdfSource, dest: Path,
              places: dict[str, Place] | None = None) -> Path:
    """dest as the manuscript's PDF; the figures are fetched by name (fetcher.py), so the
    bytes do not depend on the folder they were written to. `places`, if given, receives
    where each named place fell (linenumbers.named_places: the checklist's page and line)."""
    if not isinstance(source, PdfSource):
        source = pdf_source(source)
    HTML, FontConfiguration, can_subset = weasyprint_api()
    fonts = FontConfiguration()
    base_url = FONTS.parent.as_uri() + "/"  # the stylesheet's fonts/... URLs resolve here
    fetcher = url_fetcher(source.figures)

    def html(text: str) -> Any:  # a weasyprint.HTML
        return HTML(string=text, base_url=base_url, url_fetcher=fetcher)

    text = source.html
    marks: dict[int, int] | None = None
    if source.numbered is not None:  # a first layout finds where lines start
        from .html import to_html
        from .linenumbers import LINE_NUMBER_CSS, Words, line_starts

        css = STYLESHEET.read_text(encoding="utf-8") + LINE_NUMBER_CSS
        first = html(to_html(source.numbered, css, Words())).render(font_config=fonts)
        marks = line_starts(first)
        text = to_html(source.numbered, css, Words(marks=marks))
    assert text is not None
    # fontTools' fallback subsetter stamps the time into each font, so without HarfBuzz the
    # fonts go in whole (0.2–0.3 MB more a font) to keep the bytes reproducible.
    with _png_passthrough():
        document = html(text).render(font_config=fonts, full_fonts=not can_subset)
        document.write_pdf(dest, full_fonts=not can_subset)
    if places is not None:
        places.update(named_places(document, marks))
    return dest
