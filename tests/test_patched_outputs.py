"""The outputs that nps-report's three scoped patches of library internals touch, checked
directly, and the version fences that keep each patch to the releases it was tested on.

  render/pdf.py _png_passthrough           the images embedded in manuscript.pdf
  figures/_save.py _lean_font_subsets      the fonts embedded in the figure PDFs
  render/native_libs.py import_weasyprint  the shared libraries WeasyPrint loads

A WeasyPrint, matplotlib, fontTools or cffi upgrade inside a fence that breaks a patch
fails here; outside a fence the library's own path is taken (tested below too).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from nps_report.build import build
from nps_report.figures import _save
from nps_report.paths import REFERENCE_STUDY
from nps_report.present.catalogue import CATALOGUE
from nps_report.render import native_libs, pdf

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(REFERENCE_STUDY, tmp_path_factory.mktemp("built") / "out",
                 built_at="2025-01-01T00:00:00Z").out_dir


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def embedded_images(manuscript: Path) -> dict[str, Image.Image]:
    """Every image XObject of the PDF, decoded by pypdf (its own Flate and PNG predictor)."""
    found: dict[str, Image.Image] = {}
    for page in PdfReader(manuscript).pages:
        for image in page.images:
            found.setdefault(image.name, image.image)
    return found


def shown_figures(built) -> set[str]:
    """The PNG of every catalogue figure this build drew: the files the PDF embeds."""
    return {f"{a.key}.png" for a in CATALOGUE.figures
            if (built / "figures" / f"{a.key}.png").is_file()}


def test_embedded_images_are_the_figure_files_pixel_for_pixel(built):
    figures = {path.name: pixels(Image.open(path)) for path in (built / "figures").glob("*.png")}
    embedded = embedded_images(built / "manuscript.pdf")
    shown = shown_figures(built)
    assert len(embedded) == len(shown) >= 2  # each figure once, its composite PNG
    matched = set()
    for name, image in embedded.items():
        same = [f for f, px in figures.items() if px.shape == pixels(image).shape
                and np.array_equal(px, pixels(image))]
        assert same, f"embedded image {name} {image.size} is no figure file's pixels"
        matched.update(same)
    assert shown <= matched


def test_the_passthrough_embeds_the_png_data_itself(built):
    reader = PdfReader(built / "manuscript.pdf")
    streams = [x.get_object() for page in reader.pages
               for x in page.get("/Resources", {}).get("/XObject", {}).values()]
    assert streams
    idats = {pdf._idat((built / "figures" / f).read_bytes()) for f in shown_figures(built)}
    for stream in streams:
        assert stream["/Filter"] == "/FlateDecode"
        assert stream["/DecodeParms"]["/Predictor"] >= 10  # PNG rows, as IDAT holds them
        assert stream["/DecodeParms"]["/Colors"] == 3 and stream["/BitsPerComponent"] == 8
        assert stream._data in idats


def _get_png_data_during(monkeypatch, is_tested: bool) -> tuple[object, object, object]:
    from weasyprint.images import RasterImage

    monkeypatch.setattr(pdf, "tested", lambda *_a: is_tested)
    before = RasterImage.__dict__["_get_png_data"]
    with pdf._png_passthrough():
        during = RasterImage.__dict__["_get_png_data"]
    return before, during, RasterImage.__dict__["_get_png_data"]


def test_png_passthrough_applies_only_to_tested_weasyprint_releases(monkeypatch):
    before, during, after = _get_png_data_during(monkeypatch, is_tested=True)
    assert during is not before and after is before  # scoped to one write
    before, during, after = _get_png_data_during(monkeypatch, is_tested=False)
    assert during is before and after is before  # WeasyPrint's own path


def test_the_passthrough_gives_way_to_weasyprint_for_other_pngs():
    def png(image: Image.Image) -> bytes:
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        return buf.getvalue()

    rgb = png(Image.new("RGB", (4, 4), "red"))
    assert pdf._idat(rgb)  # what the figures are: 8-bit RGB, not interlaced
    interlaced = rgb[:28] + b"\x01" + rgb[29:]  # Pillow writes none; the IHDR flag is enough
    others = (png(Image.new("LA", (3, 2), (90, 128))), png(Image.new("I;16", (2, 2), 300)),
              png(Image.new("P", (2, 2))), interlaced, b"not a png")
    assert [pdf._idat(data) for data in others] == [None] * len(others)


def figure_pdf_fonts(path: Path) -> list[TTFont]:
    fonts = []
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            fonts.append(TTFont(io.BytesIO(data)))
    return fonts


@pytest.mark.parametrize("name", ["km_pfs", "km_os", "waterfall", "swimmer", "figure1",
                                  "figure2"])
def test_figure_pdfs_embed_valid_fonts_whose_text_poppler_reads(built, name):
    path = built / "figures" / f"{name}.pdf"
    fonts = figure_pdf_fonts(path)
    assert fonts
    for font in fonts:  # a complete TrueType subset: outlines, metrics, a character map
        assert {"glyf", "loca", "hmtx", "cmap", "head"} <= set(font.keys())
        assert font.getBestCmap()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    expected = {"km_pfs": "Progression-free survival", "km_os": "Overall survival",
                "waterfall": "Best change", "swimmer": "Months", "figure1": "Best change",
                "figure2": "No. at risk"}[name]
    assert expected in " ".join(text.split())


def _figure_pdf(monkeypatch, is_tested: bool) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    monkeypatch.setattr(_save, "tested", lambda *_a: is_tested)
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "Overall survival (months)")
    return _save.vector(fig, "pdf")


def test_lean_subsets_apply_only_to_tested_matplotlib_and_fonttools(monkeypatch, tmp_path):
    layout_tables = {"GPOS", "GSUB", "GDEF"}
    for is_tested in (True, False):
        path = tmp_path / f"{is_tested}.pdf"
        path.write_bytes(_figure_pdf(monkeypatch, is_tested))
        (font,) = figure_pdf_fonts(path)
        assert bool(layout_tables & set(font.keys())) is not is_tested
        assert "Overall survival" in PdfReader(path).pages[0].extract_text()


def _loaded_libraries(code: str) -> set[str]:
    """The shared objects a fresh interpreter has mapped after running code."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        import os
        with open(f"/proc/{os.getpid()}/maps") as maps:
            print("\\n".join(sorted({line.split()[-1] for line in maps if ".so" in line})))
    """)
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout
    # the standard library's own extension modules (lib-dynload) depend on what else was
    # imported (importlib.metadata brings _csv), not on how WeasyPrint found its libraries
    return {os.path.realpath(p) for p in out.split() if "/lib-dynload/" not in p}


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_the_quick_import_maps_the_very_same_shared_objects_as_the_plain_import():
    assert native_libs.quick_lookup_applies()  # this machine's releases are the tested ones
    quick = _loaded_libraries("""
        from nps_report.render.native_libs import import_weasyprint
        import_weasyprint()
    """)
    plain = _loaded_libraries("import nps_report.render.native_libs; import weasyprint")
    assert any("pango" in p for p in quick) and any("harfbuzz" in p for p in quick)
    assert quick == plain


def test_the_quick_lookup_applies_only_to_tested_releases(monkeypatch):
    monkeypatch.setattr(native_libs, "tested", lambda dist, *_a: dist != "cffi")
    assert not native_libs.quick_lookup_applies()
    monkeypatch.setattr(native_libs, "tested", lambda *_a: True)
    assert native_libs.quick_lookup_applies() is sys.platform.startswith("linux")


def pyproject_bounds() -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """{distribution: (lower, upper)} from pyproject.toml's >=X,<Y dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower()
        low = re.search(r">=\s*([\d.]+)", requirement).group(1)
        high = re.search(r"<\s*([\d.]+)", requirement).group(1)
        bounds[name] = tuple(map(int, low.split("."))), tuple(map(int, high.split(".")))
    return bounds


def test_every_fence_is_the_range_pyproject_pins():
    bounds = pyproject_bounds()
    fences = [("weasyprint", pdf.PNG_PASSTHROUGH_TESTED),
              ("weasyprint", native_libs.QUICK_LOOKUP_TESTED["weasyprint"]),
              ("matplotlib", _save.LEAN_SUBSETS_TESTED["matplotlib"]),
              ("fonttools", _save.LEAN_SUBSETS_TESTED["fonttools"])]
    for dist, fence in fences:
        assert bounds[dist] == tuple(fence), f"{dist}: fence {fence}, pyproject {bounds[dist]}"
