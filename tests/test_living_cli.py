"""`nps-report update` and `nps-report check` as the contract (section 4) says: where the
updated file goes, what is printed, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from nps_report.cli import main
from nps_report.living.check import Finding

from . import living_docs as docs
from .revision_xml import accepted
from .test_living_check import FINDINGS, IN_YOUR_TEXT
from .test_living_update import ACCEPTED


@pytest.fixture
def study(tmp_path) -> dict[str, Path]:
    """build/ with the new manuscript, and the author's copy of the old one."""
    build = tmp_path / "build"
    build.mkdir()
    docs.write("new", build / "manuscript.docx")
    old = docs.write("old", tmp_path / "old.docx")
    return {"build": build, "edited": docs.edited(old, tmp_path / "paper.docx")}


def test_update_writes_edited_updated_beside_it_and_leaves_the_edited_file(study, capsys,
                                                                          monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740906000")
    before = study["edited"].read_bytes()
    assert main(["update", str(study["edited"]), "--build", str(study["build"])]) == 0
    out = study["edited"].with_name("paper-updated.docx")
    assert accepted(out.read_bytes()) == ACCEPTED
    assert b'w:date="2025-03-02T09:00:00Z"' in zipfile.ZipFile(out).read(
        "word/document.xml")
    assert study["edited"].read_bytes() == before
    printed = capsys.readouterr().out.splitlines()
    assert printed[2] == (f"Wrote {out}: 76 tracked changes by nps-report; "
                          f"{study['edited']} is unchanged.")
    assert "Updated (as tracked changes):" in printed
    assert "Left as you have it — look at these:" in printed


def test_update_writes_where_out_says_and_never_over_its_input(study, capsys):
    dest = study["build"].parent / "answers" / "paper-v2.docx"
    assert main(["update", str(study["edited"]), "--build", str(study["build"]),
                 "--out", str(dest)]) == 0
    assert accepted(dest.read_bytes()) == ACCEPTED
    before = study["edited"].read_bytes()
    assert main(["update", str(study["edited"]), "--build", str(study["build"]),
                 "--out", str(study["edited"])]) == 2
    assert study["edited"].read_bytes() == before
    assert capsys.readouterr().err.strip() == (
        f"nps-report update: {study['edited']}: update never writes over the file it "
        "updates; give another --out")


def test_check_lists_the_stale_numbers_and_exits_1(study, capsys):
    assert main(["check", str(study["edited"]), "--build", str(study["build"])]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith(f"{study['edited']}: 19 numbers or parts do not match "
                                 f"{study['build']} (nps-report 0.1.0, built "
                                 "2025-03-01T00:00:00Z, results ")
    assert printed[1:20] == [f"  {Finding(*f)}" for f in FINDINGS + IN_YOUR_TEXT]
    assert printed[1:20][-2] == (
        "  Table 2, Hypertension, Grade 3: «1 patient (3.3%)» → «2 patients (6.7%)» (in your "
        "text; printed as 1 (3.3)) — Discussion: «In our cohort, grade 3 hypertension in 1 "
        "patient (3.3%) was manageable, and the median PFS of 5.7…»")


def test_check_of_a_builds_own_manuscript_exits_0(study, capsys):
    manuscript = study["build"] / "manuscript.docx"
    assert main(["check", str(manuscript), "--build", str(study["build"])]) == 0
    assert capsys.readouterr().out.startswith(f"{manuscript}: every number matches ")


@pytest.mark.parametrize("command", ["check", "update"])
def test_input_errors_exit_2_with_the_reason(study, tmp_path, capsys, command):
    plain = tmp_path / "letter.docx"
    docx.Document().save(str(plain))
    assert main([command, str(plain), "--build", str(study["build"])]) == 2
    assert capsys.readouterr().err.strip() == (
        f"nps-report {command}: {plain}: not written by nps-report (it has no nps-report "
        "record); use the manuscript.docx a build wrote, or a copy of it edited in Word or "
        "LibreOffice")
    empty = tmp_path / "empty-build"
    empty.mkdir()
    assert main([command, str(study["edited"]), "--build", str(empty)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"nps-report {command}: {empty}: has no manuscript.docx; give the folder "
        "`nps-report build` wrote (e.g. --build build)")
    assert main([command, str(tmp_path / "missing.docx"), "--build", str(study["build"])]) == 2
    assert capsys.readouterr().err.strip() == (
        f"nps-report {command}: {tmp_path / 'missing.docx'}: no such file")


def test_a_build_whose_manuscript_has_no_record_is_an_input_error(study, capsys):
    shutil.copy(study["edited"], study["build"] / "paper.docx")
    docx.Document().save(str(study["build"] / "manuscript.docx"))
    assert main(["check", str(study["build"] / "paper.docx"), "--build",
                 str(study["build"])]) == 2
    assert "manuscript.docx: not written by nps-report" in capsys.readouterr().err


def test_a_build_older_than_the_files_own_is_pointed_out(tmp_path, capsys):
    (tmp_path / "old-build").mkdir()
    docs.write("old", tmp_path / "old-build" / "manuscript.docx")
    paper = docs.write("new", tmp_path / "paper.docx")
    assert main(["check", str(paper), "--build", str(tmp_path / "old-build")]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"Note: {tmp_path / 'old-build'} was built (2025-01-01T00:00:00Z) before the build "
        f"{paper} came from (2025-03-01T00:00:00Z); is it the right folder?")
