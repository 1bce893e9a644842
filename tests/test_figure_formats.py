"""The figure files' formats: what the documents embed (PNG) and the contract promises (a
vector format, PDF) always; TIFF and SVG where the journal takes them; more on request
(figures.formats in study.yaml); a format that is no figure format is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nps_report.build import build, with_figure_frame
from nps_report.config import load_config
from nps_report.errors import StudyError
from nps_report.journals import shipped_profiles, study_profile

SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"


@pytest.mark.parametrize(("journal", "formats"), [
    ("default", ("png", "tiff", "pdf", "svg")),  # lists TIFF, PDF, PNG and SVG
    ("radiology-and-oncology", ("png", "tiff", "pdf")),  # TIFF, JPEG, EPS, PDF
    ("bmc-cancer", ("png", "tiff", "pdf")),
    ("frontiers-in-oncology", ("png", "tiff", "pdf")),  # TIFF, JPEG, EPS
])
def test_each_journal_gets_png_pdf_and_the_formats_it_takes(journal, formats):
    assert journal in shipped_profiles()
    assert study_profile(journal, SMALL).figures.figure_files(None) == formats


def test_asked_formats_come_with_png_pdf_and_the_journals_upload_raster():
    spec = study_profile("radiology-and-oncology", SMALL).figures
    assert spec.figure_files(("svg",)) == ("png", "tiff", "pdf", "svg")
    assert spec.figure_files(()) == ("png", "tiff", "pdf")


def study(tmp_path: Path, figures: str = "", journal: str = "radiology-and-oncology") -> Path:
    folder = shutil.copytree(SMALL, tmp_path / "study")
    yaml = folder / "study.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f"journal: {journal}\n"
                    + (f"figures: {figures}\n" if figures else ""), encoding="utf-8")
    return folder


def suffixes(out: Path) -> set[str]:
    return {p.suffix for p in (out / "figures").iterdir()}


def test_a_journal_without_svg_gets_no_svg_files_until_study_yaml_asks(tmp_path):
    folder = study(tmp_path)
    out = build(folder, tmp_path / "out", built_at=AT).out_dir
    assert suffixes(out) == {".png", ".tiff", ".pdf"}
    assert {p.suffix for p in (out / "submission").iterdir()} == {".tiff", ".pdf"}
    yaml = folder / "study.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "figures: {formats: [svg]}\n",
                    encoding="utf-8")
    out = build(folder, out, built_at=AT).out_dir  # the figures' cache key names the formats
    assert suffixes(out) == {".png", ".tiff", ".pdf", ".svg"}
    assert (out / "figures" / "km_pfs.svg").read_bytes().startswith(b"<?xml")


def test_the_build_fills_in_the_formats_and_study_yaml_keeps_what_it_said(tmp_path):
    folder = study(tmp_path, "{formats: [svg, png]}")
    config = load_config(folder)
    assert config.figures.formats == ("svg", "png")
    assert with_figure_frame(config, folder).figures.file_formats == ("png", "tiff", "pdf",
                                                                      "svg")


def test_a_format_that_is_no_figure_format_is_refused_with_the_choices(tmp_path):
    folder = study(tmp_path, "{formats: [eps]}")
    with pytest.raises(StudyError) as err:
        build(folder, tmp_path / "out", built_at=AT)
    text = str(err.value)
    assert "figures.formats" in text and "eps" in text and "svg" in text
    assert not (tmp_path / "out").exists()
