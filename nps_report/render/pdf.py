"""HTML to PDF with WeasyPrint, with the bundled fonts and no clock or environment read.

The HTML carries dcterms.created/modified from results.provenance.built_at, we pass
no identifier, and fonts are subset by HarfBuzz (or embedded whole), so two builds of
the same study give the same bytes.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..paths import TEMPLATES
from .html import to_html
from .linenumbers import LINE_NUMBER_CSS, Words, line_starts
from .model import Manuscript

FONTS = Path(__file__).resolve().parent.parent / "fonts"
STYLESHEET = TEMPLATES / "manuscript.css"


def weasyprint_api():
    """WeasyPrint, imported on first use (it costs a second), and whether it can subset fonts
    with HarfBuzz. Without the system library libharfbuzz-subset it warns that a future
    version will need it; that warning is about the machine, not this build, so it is muted.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        import weasyprint
        from weasyprint.text import ffi
        from weasyprint.text.fonts import FontConfiguration
    return weasyprint.HTML, FontConfiguration, getattr(ffi, "harfbuzz_subset", None) is not None


def write_pdf(ms: Manuscript, dest: Path) -> Path:
    HTML, FontConfiguration, can_subset = weasyprint_api()
    css = STYLESHEET.read_text(encoding="utf-8")
    fonts = FontConfiguration()
    base_url = FONTS.parent.as_uri() + "/"  # the stylesheet's fonts/... URLs resolve here
    words = None
    if ms.line_numbers:  # a first layout finds where lines start (see linenumbers.py)
        css += LINE_NUMBER_CSS
        words = Words()
        first = HTML(string=to_html(ms, css, words), base_url=base_url).render(font_config=fonts)
        words = Words(marks=line_starts(first))
    html = to_html(ms, css, words)
    # fontTools' fallback subsetter stamps the time into each font, so without HarfBuzz the
    # fonts go in whole (about 1 MB more) to keep the bytes reproducible.
    HTML(string=html, base_url=base_url).write_pdf(dest, font_config=fonts,
                                                   full_fonts=not can_subset)
    return dest
