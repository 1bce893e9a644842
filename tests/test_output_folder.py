"""A build never silently replaces what it did not write: an author's edited manuscript.docx
is kept beside the new one, files nps-report did not write stay, and a folder that is not
a build folder is refused before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from nps_report.build import build
from nps_report.cli import main
from nps_report.errors import StudyError

SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"


@pytest.fixture()
def built(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    out = build(study, tmp_path / "out", built_at=AT).out_dir
    return study, out


def edit_docx(path: Path, sentence: str) -> None:
    doc = Document(str(path))
    doc.add_paragraph(sentence)
    doc.save(str(path))


def test_an_edited_manuscript_is_kept_beside_the_new_one_even_with_unchanged_data(built):
    study, out = built
    edit_docx(out / "manuscript.docx", "The authors' own discussion.")
    messages: list[str] = []
    result = build(study, out, built_at=AT, progress=messages.append)
    kept = out / "manuscript-edited.docx"
    assert "The authors' own discussion." in [p.text for p in Document(str(kept)).paragraphs]
    assert "The authors' own discussion." not in [p.text for p in
                                                  Document(str(out / "manuscript.docx")).paragraphs]
    assert result.kept == {"manuscript-edited.docx": "manuscript.docx was edited after the "
                           "last build wrote it; the new manuscript.docx is beside it"}
    assert f"kept {kept}: manuscript.docx was edited after the last build wrote it; the new " \
           "manuscript.docx is beside it" in messages
    # the kept file is the author's: later builds carry it over and never claim it
    assert build(study, out, built_at=AT).up_to_date
    (study / "manuscript").mkdir()
    (study / "manuscript" / "discussion.md").write_text("New text.\n")
    again = build(study, out, built_at=AT)
    assert again.kept == {"manuscript-edited.docx": "kept from the previous build"}
    assert "The authors' own discussion." in [p.text for p in Document(str(kept)).paragraphs]


def test_a_second_edit_does_not_overwrite_the_first_kept_copy(built):
    study, out = built
    edit_docx(out / "manuscript.docx", "First edit.")
    build(study, out, built_at=AT)
    edit_docx(out / "manuscript.docx", "Second edit.")
    build(study, out, built_at=AT)
    first = [p.text for p in Document(str(out / "manuscript-edited.docx")).paragraphs]
    second = [p.text for p in Document(str(out / "manuscript-edited-2.docx")).paragraphs]
    assert "First edit." in first and "Second edit." in second


def test_files_nps_report_did_not_write_stay_in_the_build_folder(built):
    study, out = built
    (out / "notes for the reviewers.txt").write_text("mine")
    (out / "figures" / "figure1-annotated.png").write_bytes(b"mine too")
    result = build(study, out, built_at=AT, force=True)
    assert (out / "notes for the reviewers.txt").read_text() == "mine"
    assert (out / "figures" / "figure1-annotated.png").read_bytes() == b"mine too"
    assert set(result.kept) == {"notes for the reviewers.txt", "figures/figure1-annotated.png"}


def test_a_folder_that_is_not_a_build_folder_is_refused(tmp_path, capsys):
    study = shutil.copytree(SMALL, tmp_path / "study")
    home = tmp_path / "Documents"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(StudyError, match="not an nps-report build folder, and not empty"):
        build(study, home, built_at=AT)
    assert [p.name for p in home.iterdir()] == ["thesis.docx"]
    assert main(["build", str(study), "--out", str(home)]) == 2
    assert "building here would replace files nps-report did not write" in capsys.readouterr().err


def test_an_empty_folder_is_fine(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    (tmp_path / "empty").mkdir()
    assert build(study, tmp_path / "empty", built_at=AT).files
