"""The fonts embedded in manuscript.pdf, on both of WeasyPrint's paths.

With HarfBuzz's subsetter (Debian's libharfbuzz-subset0, which .ci/run installs) each
font goes in as a subset of the glyphs the manuscript uses; without it, whole (fontTools'
fallback subsetter would stamp the time into each font: render/pdf.py). Both paths must
give the same bytes whatever the output path, and text a reader can extract.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from nps_report.paths import FONTS
from nps_report.render import pdf

TEXT = "Median PFS 5.6 months (95% CI 4.7–6.7); grade ≥3 in 2 patients (6.7%), κ = 0.8"


def source() -> pdf.PdfSource:
    css = pdf.STYLESHEET.read_text(encoding="utf-8")
    return pdf.PdfSource(f"<html><head><style>{css}</style></head><body><p>{TEXT}</p>"
                         f"<p><b>Table 1</b> <i>italic</i></p></body></html>", {})


def embedded_fonts(path: Path) -> dict[str, int]:
    """Each embedded TrueType font's name and the size of its font program."""
    fonts: dict[str, int] = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = descriptor["/FontFile2"].get_object().get_data()
                fonts[str(font["/BaseFont"]).lstrip("/")] = len(program)
    return fonts


def write_twice(tmp_path: Path) -> Path:
    """The PDF into two folders; asserts they are the same bytes, with the text readable."""
    first, second = tmp_path / "a" / "manuscript.pdf", tmp_path / "b" / "c" / "manuscript.pdf"
    for path in (first, second):
        path.parent.mkdir(parents=True)
        pdf.write_pdf(source(), path)
    assert first.read_bytes() == second.read_bytes()
    text = " ".join(PdfReader(first).pages[0].extract_text().split())
    assert TEXT in text
    return first


def can_subset() -> bool:
    return pdf.weasyprint_api()[2]


@pytest.mark.skipif(not can_subset() and not os.environ.get("CI"),
                    reason="libharfbuzz-subset0 not installed; CI installs it and runs this")
def test_with_harfbuzz_the_fonts_are_subsets_and_the_bytes_reproducible(tmp_path):
    assert can_subset(), "HarfBuzz's subsetter (libharfbuzz-subset0) is missing"
    fonts = embedded_fonts(write_twice(tmp_path))
    assert len(fonts) == 3  # regular, bold, italic
    for name, size in fonts.items():
        assert name[6] == "+" and name[:6].isupper(), name  # a subset's tag
        assert size < 40_000, (name, size)  # the whole fonts are 370-395 KB


def test_without_harfbuzz_the_fonts_go_in_whole_and_the_bytes_reproducible(tmp_path,
                                                                          monkeypatch):
    html, font_config, _ = pdf.weasyprint_api()
    monkeypatch.setattr(pdf, "weasyprint_api", lambda: (html, font_config, False))
    fonts = embedded_fonts(write_twice(tmp_path))
    whole = min(p.stat().st_size for p in FONTS.glob("LiberationSerif-*.ttf"))
    assert len(fonts) == 3
    assert all(size >= whole * 0.9 for size in fonts.values()), fonts
