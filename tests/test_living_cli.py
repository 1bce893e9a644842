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


# -- the loop closes: update over its own output, check's advice, the build's three lines --


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from .living_builds import builds

    pair = builds()
    folder = tmp_path_factory.mktemp("cli-reference")
    paper = folder / "paper.docx"
    shutil.copy(pair.old, paper)
    return pair, paper


def test_update_of_its_own_output_brings_the_pending_changes_along(reference, capsys):
    pair, paper = reference
    assert main(["update", str(paper), "--build", str(pair.new_dir)]) == 0
    capsys.readouterr()
    updated = paper.with_name("paper-updated.docx")
    again = paper.with_name("again.docx")
    assert main(["update", str(updated), "--build", str(pair.new_dir), "--out",
                 str(again)]) == 0
    printed = capsys.readouterr().out
    assert "already held" in printed and "brought to this build with the rest" in printed
    assert "Nothing to update: every generated part already has the build's values." in printed
    assert "accept or reject" not in printed
    assert main(["check", str(updated), "--build", str(pair.new_dir)]) == 0
    assert "every number matches" in capsys.readouterr().out


def test_checks_advice_never_sends_the_author_back_to_update_for_their_own_numbers(
        reference, tmp_path, capsys):
    from .word_edits import Doc

    pair, paper = reference
    assert main(["update", str(paper), "--build", str(pair.new_dir)]) == 0
    doc = Doc(paper.with_name("paper-updated.docx").read_bytes())
    doc.write_over("[Discussion", "We saw an ORR of 13.3% with a median PFS of 5.7 months.")
    mine = tmp_path / "mine.docx"
    mine.write_bytes(doc.bytes())
    capsys.readouterr()
    assert main(["check", str(mine), "--build", str(pair.new_dir)]) == 1
    printed = capsys.readouterr().out
    assert f"nps-report update {mine}" not in printed
    assert "These are numbers you typed or typed over" in printed
    assert main(["check", str(paper), "--build", str(pair.new_dir)]) == 1
    assert f"`nps-report update {paper} --build {pair.new_dir}`" in capsys.readouterr().out


def test_a_rebuild_says_in_three_lines_what_moved_in_the_headline_numbers():
    from nps_report.compare.headlines import headline_lines

    from .living_builds import builds

    pair = builds()
    lines = headline_lines(pair.results["old"], pair.results["new"], Path("build"),
                           Path("build/manuscript-edited.docx"))
    assert lines == [
        "Headline numbers since the previous build in build/: ORR 4 (13.3%) → 6 (20.0%); "
        "patients with grade ≥3 adverse events 12 (40.0%) → 13 (43.3%).",
        "Unchanged: patients 30, DCR 22 (73.3%), median PFS 5.7 months, median OS 11.5 months, "
        "median follow-up 24.0 months, patients with any adverse event 25 (83.3%). "
        + lines[1].rsplit(". ", 1)[1],
        "Bring the authors' copy up to date: nps-report update build/manuscript-edited.docx "
        "--build build, then nps-report check build/manuscript-edited-updated.docx --build "
        "build."]
    assert lines[1].endswith("other reported numbers changed too.")
    same = headline_lines(pair.results["old"], pair.results["old"], Path("build"), None)
    assert same[0] == "No headline number changed since the previous build in build/."
    assert same[2].startswith("Bring the authors' copy up to date: nps-report update "
                              "YOUR-COPY.docx --build build")


def test_nps_report_build_prints_the_three_lines_after_the_data_changed(tmp_path, capsys):
    study = shutil.copytree(Path(__file__).parent / "studies" / "small", tmp_path / "study")
    out = tmp_path / "build"
    assert main(["build", str(study), "--out", str(out)]) == 0
    assert "Headline numbers" not in capsys.readouterr().out  # nothing to compare with
    with (study / "adverse_events.csv").open("a", encoding="utf-8") as fh:
        fh.write("A3,Headache,3,2021-04-01\n")
    assert main(["build", str(study), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    k = next(i for i, line in enumerate(printed) if "since the previous build" in line)
    assert printed[k].startswith(f"Headline numbers since the previous build in {out}/: ")
    assert "patients with grade ≥3 adverse events" in printed[k]
    assert printed[k + 1].startswith("Unchanged: patients 4, ORR ")
    assert printed[k + 2] == (
        f"Bring the authors' copy up to date: nps-report update YOUR-COPY.docx --build {out}, "
        f"then nps-report check YOUR-COPY-updated.docx --build {out}.")
