"""Issue 16: figure files to the journal's specification — one file per figure, numbered as
the manuscript numbers it, in the journal's format, colour mode, width and resolution."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from nps_report.build import build
from nps_report.journals.profile import FigureSpec
from nps_report.paths import REFERENCE_STUDY
from nps_report.render.submission import print_width_mm

SMALL = Path(__file__).parent / "studies" / "small"
BMC = Path(__file__).parent.parent / "nps_report" / "journals" / "bmc-cancer.yaml"
AT = "2025-01-01T00:00:00Z"


def opened(path: Path) -> Image.Image:
    """The image, read and its file closed."""
    with Image.open(path) as image:
        image.load()
        return image


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return build(REFERENCE_STUDY, tmp_path_factory.mktemp("ref") / "out", built_at=AT)


def test_a_journal_taking_separate_figures_gets_one_file_per_figure(reference):
    out = reference.out_dir
    files = sorted(p.name for p in (out / "submission").iterdir())
    n = len(files) // 2
    assert n >= 5  # the reference study's figures, the prognostic ones included
    # Radiology and Oncology takes TIFF and PDF: the first raster and the vector it lists
    assert files == sorted(f"Figure{i}.{ext}" for i in range(1, n + 1) for ext in ("tiff", "pdf"))


def test_figure_numbers_follow_the_manuscript_and_pixels_are_the_figure_files(reference):
    out = reference.out_dir
    order = ["flow", "figure1", "spider", "dor", "figure2", "km_cohorts", "forest_hr",
             "km_factors", "forest_orr"]  # as cited
    for number, key in enumerate(order, start=1):
        tiff = opened(out / "submission" / f"Figure{number}.tiff")
        png = opened(out / "figures" / f"{key}.png")
        assert tiff.mode == "RGB" and tiff.info["compression"] == "tiff_lzw"
        assert tuple(round(d) for d in tiff.info["dpi"]) == (300, 300)
        assert np.array_equal(np.asarray(tiff), np.asarray(png.convert("RGB")))
        assert (out / "submission" / f"Figure{number}.pdf").read_bytes() == \
               (out / "figures" / f"{key}.pdf").read_bytes()


def own_journal(study: Path, **figures: object) -> None:
    profile = yaml.safe_load(BMC.read_text(encoding="utf-8"))
    profile["name"] = "Journal of Examples"
    profile["figures"].update(figures)
    (study / "my-journal.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    with (study / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write("journal: my-journal.yaml\n")


def test_the_journal_width_colour_and_format_are_kept(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    own_journal(study, formats=["JPEG", "EPS"], colour_mode="CMYK", single_column_mm=75,
                double_column_mm=150, max_height_mm=100)
    result = build(study, tmp_path / "out", built_at=AT)
    folder = result.out_dir / "submission"
    names = sorted(p.name for p in folder.iterdir())
    assert names and all(re.fullmatch(r"Figure\d+\.jpeg", n) for n in names)  # no EPS
    for path in folder.iterdir():
        image = opened(path)
        assert image.mode == "CMYK"
        printed_mm = image.width / image.info["dpi"][0] * 25.4
        # drawn for the journal's double column (narrower than the page), printed at it
        assert printed_mm == pytest.approx(150, abs=0.2)
        assert image.info["dpi"][0] == pytest.approx(300, abs=0.5)  # never resampled
    (too_tall,) = [n for n in result.notices if n.code == "figure_too_tall"]
    assert "Journal of Examples" in too_tall.message
    assert any(d.startswith("Figure 1 (figure1): ") and "the journal allows 100 mm" in d
               for d in too_tall.details)


def test_greyscale_tiff_for_a_journal_that_prints_in_grey(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    own_journal(study, formats=["TIFF"], colour_mode="greyscale")
    folder = build(study, tmp_path / "out", built_at=AT).out_dir / "submission"
    assert {opened(p).mode for p in folder.iterdir()} == {"L"}


def test_no_files_for_a_journal_that_takes_figures_in_the_manuscript(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    out = build(study, tmp_path / "out", built_at=AT).out_dir  # default profile: embedded
    assert not (out / "submission").exists()
    with (study / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write("figures: {submission_files: true}\n")
    again = build(study, out, built_at=AT).out_dir
    assert sorted(p.suffix for p in (again / "submission").iterdir())[:1] == [".pdf"]


def test_reused_documents_keep_their_figure_files(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    with (study / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write("figures: {submission_files: true}\n")
    out = tmp_path / "out"
    build(study, out, built_at=AT)
    before = {p.name: p.read_bytes() for p in (out / "submission").iterdir()}
    (out / "results.json").unlink()
    messages: list[str] = []
    build(study, out, built_at=AT, progress=messages.append)
    assert "documents unchanged: reused" in messages
    assert {p.name: p.read_bytes() for p in (out / "submission").iterdir()} == before


@pytest.mark.parametrize(("drawn", "single", "double", "printed"), [
    (177.8, 85, 170, 170),    # a full-width figure shrinks to the double column
    (88.9, 85, 170, 85),      # a half-width one to the single column
    (177.8, 85, 180, 177.8),  # never enlarged: it would print below the drawn 300 dpi
    (88.9, None, None, 88.9),  # no widths: as drawn
    (120.0, 85, None, 85),    # only a single column given
])
def test_print_width(drawn, single, double, printed):
    spec = FigureSpec("RGB", ("TIFF",), "separate", single_column_mm=single,
                      double_column_mm=double)
    assert print_width_mm(drawn, spec) == pytest.approx(printed)
