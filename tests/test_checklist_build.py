"""Issue 16: every build writes the reporting checklist for its design (the guideline the
journal profile or study.yaml names), with the section addressing each item, and says which
items the manuscript cannot answer yet."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest

from nps_report.build import build
from nps_report.cli import main
from nps_report.errors import StudyError

SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"


def rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "checklist.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["item"]: r for r in csv.DictReader(fh)}


def study_with(tmp_path: Path, extra_yaml: str = "") -> Path:
    study = shutil.copytree(SMALL, tmp_path / "study")
    if extra_yaml:
        with (study / "study.yaml").open("a", encoding="utf-8") as fh:
            fh.write(extra_yaml)
    return study


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("checklist")
    study = study_with(tmp)
    return study, build(study, tmp / "out", built_at=AT)


def test_the_default_profile_asks_for_strobe_and_says_what_is_missing(small_build):
    _, result = small_build
    found = rows(result.out_dir)
    assert list(found)[:3] == ["1a", "1b", "2"]  # STROBE items, in order
    assert {r["status"] for r in found.values()} <= {
        "addressed", "authors to confirm", "to be completed by the authors", "not applicable"}
    # the small study names no centres: the item asks, and says where to give them
    centres = next(r for r in found.values() if "centre" in r["note"].lower())
    assert centres["status"] == "to be completed by the authors"
    assert "centre_column in study.yaml" in centres["note"]
    open_items = [n for n in result.notices if n.code == "checklist_open"]
    assert len(open_items) == 1
    todo = [k for k, r in found.items() if r["status"] == "to be completed by the authors"]
    assert open_items[0].message == (f"checklist.docx (STROBE checklist for cohort studies): "
                                     f"{len(todo)} of {len(found)} items are still to be "
                                     "completed by the authors.")
    # each thing to do once, with the items it answers
    details = open_items[0].details
    assert len(details) == len(set(details))
    named = [i for d in details for i in d.rsplit("(item", 1)[1].split(" ", 1)[1]
             .rstrip(").").split(", ")]
    assert set(named) == set(todo)
    assert "State the number of centres by naming the patients' centre column under " \
           "centre_column in study.yaml (item 5)." in details


def test_the_checklist_names_the_section_where_each_item_is_answered(small_build):
    _, result = small_build
    found = rows(result.out_dir)
    assert found["1a"]["section"] == "Title page"
    assert {r["section"] for r in found.values()} >= {"Methods", "Results", "Discussion"}


def test_the_word_checklist_is_dated_by_the_build_and_in_the_manuscript_language(small_build,
                                                                                  tmp_path):
    study, result = small_build
    again = build(study, tmp_path / "elsewhere", built_at=AT).out_dir
    first = (result.out_dir / "checklist.docx").read_bytes()
    assert first == (again / "checklist.docx").read_bytes()  # not the clock, not the folder
    with zipfile.ZipFile(result.out_dir / "checklist.docx") as pkg:
        assert {i.date_time[:3] for i in pkg.infolist()} == {(2025, 1, 1)}
        styles = pkg.read("word/styles.xml").decode()
        settings = pkg.read("word/settings.xml").decode()
        assert not any(n.startswith("docProps/thumbnail") for n in pkg.namelist())
    assert 'w:lang w:val="en-US"' in styles
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"' \
           ' w:val="15"' in settings


def test_study_yaml_chooses_the_guideline_and_authors_text_moves_an_item(tmp_path):
    study = study_with(tmp_path, "manuscript: {reporting_guideline: case-series}\n")
    out = build(study, tmp_path / "out", built_at=AT).out_dir
    before = rows(out)
    assert next(iter(before)) == "CS1"
    assert before["CS16"]["status"] == "to be completed by the authors"
    assert before["CS16"]["note"] == "Write manuscript/discussion.md."
    (study / "manuscript").mkdir()
    (study / "manuscript" / "discussion.md").write_text("Our series is small.\n")
    after = rows(build(study, out, built_at=AT).out_dir)
    assert after["CS16"]["status"] == "authors to confirm"
    assert after["CS16"]["note"] == "Check that manuscript/discussion.md covers it."


def test_a_stated_fact_is_addressed_with_its_value(tmp_path):
    study = study_with(tmp_path, 'manuscript: {reporting_guideline: case-series}\n'
                                 'exposure: {schedule: "at 12 mg once daily", cycle_days: 21}\n')
    found = rows(build(study, tmp_path / "out", built_at=AT).out_dir)
    # the schedule is stated, the dose modifications allowed are not: not yet addressed
    assert found["CS7"]["status"] == "to be completed by the authors"
    assert found["CS7"]["note"].startswith("Say which dose modifications were allowed in "
                                           "manuscript/methods.md, or name the dose-modification "
                                           "columns")
    assert found["CS4"]["note"].startswith("State the number of centres by naming")


def test_an_unknown_guideline_is_refused_at_its_line(tmp_path):
    study = study_with(tmp_path, "manuscript: {reporting_guideline: case-serie}\n")
    with pytest.raises(StudyError) as err:
        build(study, tmp_path / "out", built_at=AT)
    (problem,) = err.value.problems
    assert "manuscript.reporting_guideline" in str(problem)
    assert "case-serie" in str(problem) and "did you mean 'case-series'" in str(problem)
    assert not (tmp_path / "out").exists()


def test_the_cli_lists_the_open_items(tmp_path, capsys):
    study = study_with(tmp_path)
    assert main(["build", str(study), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert f"  {tmp_path / 'out' / 'checklist.docx'}" in printed
    assert "Note: checklist.docx (STROBE checklist for cohort studies): " in printed
    assert "still to be completed by the authors" in printed


def test_reused_documents_keep_their_checklist_and_its_notice(tmp_path):
    study = study_with(tmp_path)
    out = tmp_path / "out"
    first = build(study, out, built_at=AT)
    (out / "results.json").unlink()  # the next build is needed, its documents are not
    messages: list[str] = []
    second = build(study, out, built_at=AT, progress=messages.append)
    assert "documents unchanged: reused" in messages
    assert (out / "checklist.csv").read_bytes() == (first.out_dir / "checklist.csv").read_bytes()
    assert (out / "checklist.docx").is_file()
    assert [n for n in second.notices if n.code == "checklist_open"] == \
           [n for n in first.notices if n.code == "checklist_open"] != []


def test_a_profile_naming_an_unknown_guideline_is_refused_by_validate(tmp_path):
    from nps_report.pipeline import validate

    study = study_with(tmp_path, "journal: my-journal.yaml\n")
    bmc = Path(__file__).parent.parent / "nps_report" / "journals" / "bmc-cancer.yaml"
    (study / "my-journal.yaml").write_text(bmc.read_text(encoding="utf-8").replace(
        "reporting_guideline: strobe-cohort", "reporting_guideline: consort"), encoding="utf-8")
    with pytest.raises(StudyError) as err:
        validate(study)
    assert [str(p) for p in err.value.problems] == [
        "my-journal.yaml, key 'reporting_guideline': is not a shipped reporting "
        "guideline (found 'consort'); expected one of 'case-series', 'strobe-cohort' "
        "(did you mean 'strobe-cohort'?)"]
