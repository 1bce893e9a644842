"""The figure files: composites are their panel files pasted under letter strips, in every
format; panels share axes edges with their composite partners; PDFs embed lean subsets."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from nps_report.figures import DPI, panel_figures, write_figures
from nps_report.figures.assemble import positions, stitch_pdf, stitch_raster, stitch_svg
from nps_report.figures.composite import LABEL_STRIP
from nps_report.figures.files import FigureSet
from nps_report.pipeline import compute

REFERENCE = Path(__file__).parent.parent / "data" / "anlotinib_rmnpc"
BUILT_AT = "2025-01-01T00:00:00Z"
STRIP_PX = round(LABEL_STRIP * DPI)


@pytest.fixture(scope="module")
def reference():
    return compute(REFERENCE, built_at=BUILT_AT)


@pytest.fixture(scope="module")
def files(reference, tmp_path_factory):
    study, res = reference
    return write_figures(res, tmp_path_factory.mktemp("figures"), study.config.figures)


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def test_positions_stack_rows_and_place_tiles_left_to_right():
    width, height, places = positions([[(10, 2)], [(4, 3), (6, 5)]])
    assert (width, height) == (10, 7)
    assert places == [[(0, 0)], [(0, 2), (4, 2)]]


def test_composite_rasters_are_the_panel_files_pasted_under_letter_strips(files):
    f1, waterfall, swimmer = (pixels(files[n]["png"]) for n in ("figure1", "waterfall",
                                                                  "swimmer"))
    assert f1.shape[0] == 2 * STRIP_PX + waterfall.shape[0] + swimmer.shape[0]
    top = STRIP_PX
    assert np.array_equal(f1[top:top + waterfall.shape[0]], waterfall)
    top += waterfall.shape[0] + STRIP_PX
    assert np.array_equal(f1[top:], swimmer)
    f2, pfs, os_ = (pixels(files[n]["png"]) for n in ("figure2", "km_pfs", "km_os"))
    assert f2.shape == (STRIP_PX + pfs.shape[0], pfs.shape[1] + os_.shape[1], 3)
    assert np.array_equal(f2[STRIP_PX:, :pfs.shape[1]], pfs)
    assert np.array_equal(f2[STRIP_PX:, pfs.shape[1]:], os_)
    # the strips carry dark letter pixels at the left of each panel, nothing else
    strip = f2[:STRIP_PX]
    dark_columns = np.flatnonzero((strip < 100).all(axis=2).any(axis=0))
    assert dark_columns.size and dark_columns.max() < pfs.shape[1] + 0.3 * DPI
    assert dark_columns.min() < 0.3 * DPI
    assert (dark_columns >= pfs.shape[1]).any()
    # the TIFF is the same raster
    assert np.array_equal(pixels(files["figure1"]["tiff"]), f1)


def test_composite_pdf_is_one_page_holding_both_panels_as_vectors(files):
    page = PdfReader(files["figure2"]["pdf"]).pages[0]
    panel = PdfReader(files["km_pfs"]["pdf"]).pages[0]
    assert float(page.mediabox.width) == pytest.approx(2 * float(panel.mediabox.width))
    assert float(page.mediabox.height) == pytest.approx(float(panel.mediabox.height)
                                                        + LABEL_STRIP * 72)
    text = page.extract_text()
    assert "Progression-free survival" in text and "Overall survival" in text
    assert re.search(r"\bA\b", text) and re.search(r"\bB\b", text)
    raw = files["figure2"]["pdf"].read_bytes()
    assert b"/FontFile2" in raw and b"/Subtype /Image" not in raw
    assert b"/Producer" not in raw and b"CreationDate" not in raw


def test_composite_svg_nests_the_panels_with_unique_ids(files):
    root = ET.parse(files["figure1"]["svg"]).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    nested = root.findall(f"{ns}svg")
    assert len(nested) == 4  # strip A, waterfall, strip B, swimmer
    ids = Counter(e.get("id") for e in root.iter() if e.get("id"))
    assert ids and max(ids.values()) == 1
    data = files["figure1"]["svg"].read_text()
    for ref in re.findall(r'(?:url\(#|href="#)([^")]+)', data):
        assert ref in ids, f"dangling reference #{ref}"
    heights = [float(s.get("height")) for s in nested]
    assert float(root.get("height").removesuffix("pt")) == pytest.approx(sum(heights))
    assert [float(s.get("y")) for s in nested] == pytest.approx(
        [sum(heights[:i]) for i in range(4)])


def test_panels_share_axes_edges_with_their_composite_partners(reference):
    study, res = reference
    figs = panel_figures(res, study.config.figures)

    def inches(name):
        fig = figs[name]
        x0, y0, x1, y1 = fig.axes[0].get_position().extents
        w, h = fig.get_size_inches()
        return x0 * w, y0 * h, (1 - x1) * w, (1 - y1) * h  # left, bottom, right, top margins

    waterfall, swimmer = inches("waterfall"), inches("swimmer")
    assert waterfall[0] == pytest.approx(swimmer[0]) and waterfall[2] == pytest.approx(
        swimmer[2])
    pfs, os_ = inches("km_pfs"), inches("km_os")
    assert pfs[1] == pytest.approx(os_[1]) and pfs[3] == pytest.approx(os_[3])
    # the layout is frozen: drawing again does not move anything
    before = figs["swimmer"].axes[0].get_position().extents
    figs["swimmer"].canvas.draw()
    assert np.allclose(figs["swimmer"].axes[0].get_position().extents, before)


def test_a_file_is_the_same_bytes_whatever_else_is_written_and_in_what_order(reference, files,
                                                                               tmp_path):
    study, res = reference
    figures = FigureSet(res, study.config.figures)
    figures.write(tmp_path, ("km_os", "figure2"), ("svg", "pdf"))
    figures.write(tmp_path, ("figure1",), ("tiff", "png"))
    for name, fmt in [("km_os", "svg"), ("km_os", "pdf"), ("figure2", "pdf"),
                      ("figure2", "svg"), ("figure1", "png"), ("figure1", "tiff")]:
        assert (tmp_path / f"{name}.{fmt}").read_bytes() == files[name][fmt].read_bytes(), (
            name, fmt)


def test_pdf_fonts_are_embedded_without_layout_tables_and_text_survives(files):
    from fontTools import subset

    original = subset.load_font
    reader = PdfReader(files["km_pfs"]["pdf"])
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            fonts.append(TTFont(io.BytesIO(data)))
    assert fonts
    for font in fonts:
        assert "glyf" in font and not {"GPOS", "GSUB", "GDEF", "kern"} & set(font.keys())
    assert "Progression-free survival probability" in reader.pages[0].extract_text()
    assert subset.load_font is original  # the patch is scoped to writing a PDF


def test_stitchers_accept_any_row_shapes():
    red = Image.new("RGB", (3, 2), "red")
    blue = Image.new("RGB", (2, 4), "blue")
    out = np.asarray(stitch_raster([[red, blue], [red]]))
    assert out.shape == (6, 5, 3)
    assert tuple(out[0, 0]) == (255, 0, 0) and tuple(out[3, 4]) == (0, 0, 255)
    assert tuple(out[3, 0]) == (255, 255, 255)  # below the short tile: white canvas
    assert tuple(out[5, 2]) == (255, 0, 0)


def test_svg_stitch_rejects_what_is_not_svg():
    with pytest.raises(ValueError, match="not an SVG"):
        stitch_svg([[b"<html></html>"]])


def test_pdf_stitch_is_deterministic(files):
    page = files["km_os"]["pdf"].read_bytes()
    assert stitch_pdf([[page, page]]) == stitch_pdf([[page, page]])
