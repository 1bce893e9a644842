"""Issue 25: every figure's text prints at 7 pt or more, and every figure fits the page, in
the manuscript PDF, the Word file and the journal's upload files, measured on the files.

The scale is what the outputs do with the drawing: the manuscript PDF's image resolution
(300 dpi is 1:1), the Word picture's width against the drawing's, the submission TIFF's
marked resolution. Two builds: the reference study (Radiology and Oncology, five figures
with the prognostic ones) and a fresh `nps-report init` study for BMC Cancer (a journal
with a double column and a maximum figure height).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nps_report.build import build
from nps_report.paths import REFERENCE_STUDY
from nps_report.present.page import FIGURE_MAX_HEIGHT_MM, MIN_TEXT_PT, TEXT_WIDTH_MM, FigureFrame
from nps_report.scaffold import init_study

from .printsize import docx_image_widths_mm, drawn, pdf_image_ppi, submission_scale

AT = "2025-01-01T00:00:00Z"
FIGURES = ("flow", "figure1", "spider", "dor", "figure2", "km_cohorts", "forest_hr",
           "km_factors", "forest_orr")  # in the order they are cited
HALF_WIDTH_MM = FigureFrame().half_width_in * 25.4
BMC_HEIGHT_MM = 225  # nps_report/journals/bmc-cancer.yaml figures.max_height_mm


def init_for(folder: Path, journal: str, prognostic: bool = True) -> Path:
    init_study(folder)
    text = (folder / "study.yaml").read_text(encoding="utf-8")
    text += f"journal: {journal}\n"
    if prognostic:
        text = text.replace("# prognostic:", "prognostic:").replace(
            "#   factors: [ecog, met_liver, age]", "  factors: [ecog, met_liver, age]")
    (folder / "study.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["reference", "init-bmc-cancer"])
def built(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    study = REFERENCE_STUDY if request.param == "reference" else init_for(
        tmp / "study", "bmc-cancer")
    return build(study, tmp / "out", built_at=AT).out_dir


def shown(out: Path) -> list[str]:
    return [k for k in FIGURES if (out / "figures" / f"{k}.pdf").is_file()]


def test_figures_are_drawn_at_the_width_they_print_and_within_the_page_height(built):
    keys = shown(built)
    assert {"figure1", "figure2"} <= set(keys)
    for key in keys:
        d = drawn(built / "figures", key)
        # a one-panel figure may be a column wide (the duration of response)
        assert any(d.width_mm == pytest.approx(w, abs=0.5)
                   for w in (TEXT_WIDTH_MM, HALF_WIDTH_MM)), key
        assert d.height_mm <= FIGURE_MAX_HEIGHT_MM + 0.1, key
        assert d.min_text_pt >= MIN_TEXT_PT - 1e-6, key


def test_text_prints_at_7_pt_or_more_in_the_manuscript_pdf(built):
    placed = pdf_image_ppi(built / "manuscript.pdf")
    for key in shown(built):
        d = drawn(built / "figures", key)
        scale = 300 / placed[d.pixels]
        assert d.min_text_pt * scale >= MIN_TEXT_PT - 0.05, (key, scale)


def test_text_prints_at_7_pt_or_more_in_the_word_file(built):
    widths = docx_image_widths_mm(built / "manuscript.docx")
    for key in shown(built):
        d = drawn(built / "figures", key)
        scale = widths[d.pixels] / d.width_mm
        assert d.min_text_pt * scale >= MIN_TEXT_PT - 0.05, (key, scale)
        assert d.height_mm * scale <= FIGURE_MAX_HEIGHT_MM + 0.5, key


def test_the_journals_upload_files_print_the_text_at_7_pt_and_fit_its_height(built):
    files = sorted((built / "submission").glob("Figure*.tiff"),
                   key=lambda p: int(re.findall(r"\d+", p.name)[0]))
    keys = shown(built)
    assert len(files) == len(keys)
    limit = BMC_HEIGHT_MM if "init" in built.parent.name else FIGURE_MAX_HEIGHT_MM
    for path, key in zip(files, keys, strict=True):  # numbered in citation order
        d = drawn(built / "figures", key)
        scale = submission_scale(path)
        assert d.min_text_pt * scale >= MIN_TEXT_PT - 0.05, (path.name, scale)
        assert d.height_mm * scale <= limit + 0.5, path.name


def test_a_figure_larger_than_the_page_is_reported(tmp_path):
    study = init_for(tmp_path / "study", "default", prognostic=False)
    with (study / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write("figures: {max_height_mm: 60}\n")  # less than Figure 1 can be
    result = build(study, tmp_path / "out", built_at=AT)
    (notice,) = [n for n in result.notices if n.code == "figure_too_large"]
    assert any(d.startswith("Figure 1: ") and "pt" in d for d in notice.details)
