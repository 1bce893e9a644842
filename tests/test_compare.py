"""Rebuild after a data change with --compare-to: exactly the moved numbers, tracked in Word.

The reference study is built once; a copy is edited as a data manager would after a
query (patient P04: a confirmatory scan moves progression two months later, which
turns PD into SD; and a grade 3 oral mucositis is added), locked, and rebuilt into
the same folder with --compare-to it.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from nps_report.build import build
from nps_report.cli import main
from nps_report.compare import compare_builds, load_build
from nps_report.lock import lock_study
from nps_report.outputs import write_patient_endpoints
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute

from .revision_xml import body_text, document_xml, resolve, revisions, w

OLD_AT, NEW_AT = "2025-01-15T08:00:00Z", "2025-06-30T17:30:00Z"
EDITS = {
    "patients.csv": ("P04,2019-08-29,2019-10-09,2,2019-10-20,",
                     "P04,2019-08-29,2019-10-09,2,2019-12-20,"),
    "tumor_assessments.csv": ("P04,2019-10-20,41,non-CR/non-PD,no\n",
                              "P04,2019-10-20,30,non-CR/non-PD,no\n"
                              "P04,2019-12-20,41,non-CR/non-PD,no\n"),
    "adverse_events.csv": ("P04,Oral mucositis,1,2019-10-08\n",
                           "P04,Oral mucositis,1,2019-10-08\nP04,Oral mucositis,3,2019-11-02\n"),
}
TABLE = "Tumor response and survival"
MOVED_NUMBERS = {
    (TABLE, "Best overall response (RECIST 1.1): Stable disease, n (%)", "18 (60.0)",
     "19 (63.3)"),
    (TABLE, "Best overall response (RECIST 1.1): Progressive disease, n (%)", "8 (26.7)",
     "7 (23.3)"),
    (TABLE, "Disease control rate (CR + PR + SD), n (%)", "22 (73.3)", "23 (76.7)"),
    (TABLE, "Disease control rate (CR + PR + SD), 95% CI", "56.5–90.1", "60.6–92.7"),
    ("Safety", "Patients with grade ≥3 adverse events, n (%)", "12 (40.0)", "13 (43.3)"),
    ("Figures", "PFS curve, number at risk at 3 months", "21", "22"),
}


def edit(study: Path, edits: dict[str, tuple[str, str]]) -> None:
    for name, (old, new) in edits.items():
        text = (study / name).read_text()
        assert text.count(old) == 1, name
        (study / name).write_text(text.replace(old, new))


def without_prognostic(folder: Path) -> Path:
    """The reference study without its prognostic block: these tests follow exactly the
    numbers an edit moves, and the prognostic ones (which it moves too) are followed in
    test_prognostic_build.py."""
    shutil.copytree(REFERENCE_STUDY, folder)
    text = (folder / "study.yaml").read_text()
    (folder / "study.yaml").write_text(text[:text.index("prognostic:")])
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compare")
    base = without_prognostic(tmp / "base")
    old = build(base, tmp / "old", built_at=OLD_AT).out_dir
    study = tmp / "study"
    shutil.copytree(base, study)
    edit(study, EDITS)
    lock, _ = lock_study(study, locked_at=NEW_AT, generator_version="test")
    out = tmp / "out"
    shutil.copytree(old, out)  # rebuild into the folder it is compared with
    result = build(study, out, built_at=NEW_AT, compare_to=out)
    return {"old": old, "new": out, "report": result.changes, "lock": lock.lock_id, "tmp": tmp}


def rows(report, kind: str) -> set[tuple[str, ...]]:
    return {(c.item, c.old, c.new) for c in report.of(kind)}


def test_the_changed_numbers_are_exactly_those_the_edit_moved(builds):
    report = builds["report"]
    assert {(c.section, c.item, c.old, c.new) for c in report.of("number")} == MOVED_NUMBERS


def test_patients_whose_best_response_or_endpoints_changed_are_listed(builds):
    assert rows(builds["report"], "patient") == {
        ("P04: best overall response", "Progressive disease (PD)", "Stable disease (SD)"),
        ("P04: PFS, months", "1.7 (event)", "3.7 (event)"),
        ("P04: best change in target lesions, %", "32.3", "−3.2"),
    }


def test_the_adverse_event_row_that_changed_is_listed_cell_by_cell(builds):
    assert rows(builds["report"], "adverse_event") == {
        ("Oral mucositis, grade 1, n (%)", "5 (16.7)", "4 (13.3)"),
        ("Oral mucositis, grade 3, n (%)", "4 (13.3)", "5 (16.7)"),
    }


def test_inputs_lock_and_methods_are_reported(builds):
    report = builds["report"]
    assert {c.item for c in report.of("input")} == set(EDITS)
    assert rows(report, "study") == {("Data lock", "not locked", builds["lock"])}
    assert report.of("method") == []


def test_unchanged_numbers_are_not_listed(builds):
    items = {c.item for c in builds["report"].changes}
    assert not items & {"Progression-free survival: Median PFS, months",
                        "Overall survival: Median OS, months",
                        "Objective response rate (CR + PR), n (%)", "Patients, n"}
    assert all(c.old != c.new for c in builds["report"].changes)


def test_the_summary_reads_as_a_reply_to_reviewers(builds):
    summary = builds["report"].summary
    assert summary.startswith("Compared with the previous version, the revised manuscript uses "
                              f"the same data cutoff (2024-12-31) and the locked data set "
                              f"{builds['lock']}.")
    assert "Six reported numbers changed, among them: disease control rate (CR + PR + SD), " \
           "from 22 (73.3%) to 23 (76.7%); patients with grade ≥3 adverse events, from 12 " \
           "(40.0%) to 13 (43.3%);" in summary
    assert "Best overall response changed for one patient (P04: progressive disease (PD) to " \
           "stable disease (SD))." in summary
    assert "Adverse-event counts changed for one term (Oral mucositis:" in summary


def test_changes_csv_holds_one_row_per_change(builds):
    with (builds["new"] / "changes.csv").open(encoding="utf-8") as fh:
        got = [tuple(r.values()) for r in csv.DictReader(fh)]
    assert got == [(c.kind, c.section, c.item, c.old, c.new) for c in builds["report"].changes]
    header = (builds["new"] / "changes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "kind,section,item,old,new"


def test_changes_html_and_docx_carry_the_summary_and_every_row(builds):
    report = builds["report"]
    page = (builds["new"] / "changes.html").read_text(encoding="utf-8")
    assert "Patients with grade ≥3 adverse events, n (%)" in page
    assert "grade ≥3" in page and "P04: best overall response" in page
    doc = Document(str(builds["new"] / "changes.docx"))
    assert report.summary in [p.text for p in doc.paragraphs]
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert {c.item for c in report.changes} <= cells
    assert doc.core_properties.author == "nps-report"


def test_results_json_carries_the_lock_id_and_the_data_cutoff(builds):
    new = json.loads((builds["new"] / "results.json").read_text())
    old = json.loads((builds["old"] / "results.json").read_text())
    assert new["provenance"]["lock_id"] == builds["lock"] and old["provenance"]["lock_id"] is None
    assert new["study"]["data_cutoff"] == "2024-12-31"
    assert set(new["provenance"]["inputs"]) == {"study.yaml", *EDITS}
    assert new["provenance"]["config_hash"] and new["methods"]["proportion_ci"] == "t"


@pytest.fixture(scope="module")
def tracked(builds):
    return document_xml((builds["new"] / "manuscript-tracked.docx").read_bytes())


def test_the_tracked_manuscript_accepts_to_the_new_and_rejects_to_the_old(builds, tracked):
    assert body_text(resolve(tracked, accept=True)) == \
        body_text(document_xml((builds["new"] / "manuscript.docx").read_bytes()))
    assert body_text(resolve(tracked, accept=False)) == \
        body_text(document_xml((builds["old"] / "manuscript.docx").read_bytes()))


def marks(root, tag: str) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(w(tag))
            if el.getparent().tag not in (w("rPr"), w("trPr"))]


def test_moved_numbers_are_word_level_revisions_in_prose_and_tables(tracked):
    deleted, inserted = marks(tracked, "del"), marks(tracked, "ins")
    for old, new in (("73.3", "76.7"), ("56.5", "60.6"), ("90.1", "92.7"), ("40.0", "43.3")):
        assert old in deleted and new in inserted
        assert deleted.count(old) >= 2  # the abstract or Results prose, and a table cell
    assert "11.5" not in deleted and "5.7" not in deleted  # median OS and PFS did not move
    marks_ = revisions(tracked)
    assert {m.get(w("author")) for m in marks_} == {"nps-report"}
    assert {m.get(w("date")) for m in marks_} == {NEW_AT}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_shows_each_revision_of_the_real_manuscript(builds, tracked):
    dest = builds["tmp"] / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{dest}/profile",
                    "--convert-to", "fodt", "--outdir", str(dest),
                    str(builds["new"] / "manuscript-tracked.docx")],
                   check=True, capture_output=True, timeout=120)
    xml = (dest / "manuscript-tracked.fodt").read_text(encoding="utf-8")
    ours = [m for m in revisions(tracked) if m.getparent().tag not in (w("rPr"), w("trPr"))]
    assert xml.count("<text:changed-region ") == len(ours) > 0


def test_compare_command_writes_the_report_into_new_by_default(builds, capsys):
    dest = builds["tmp"] / "compare-cli"
    assert main(["compare", str(builds["old"]), str(builds["new"]), "--out", str(dest)]) == 0
    assert {p.name for p in dest.iterdir()} == {"changes.csv", "changes.html", "changes.docx",
                                                "manuscript-tracked.docx"}
    assert builds["report"].summary in capsys.readouterr().out


def test_compare_to_a_folder_that_is_not_a_build_fails_before_writing(builds, capsys):
    out = builds["tmp"] / "untouched"
    code = main(["build", str(REFERENCE_STUDY), "--out", str(out), "--compare-to",
                 str(builds["tmp"] / "study")])
    err = capsys.readouterr().err
    assert code == 2 and "not an nps-report build folder: results.json not found" in err
    assert "Nothing was written." in err and not out.exists()


def snapshot(study: Path, dest: Path):
    """A build folder with only results.json and the patient table: enough to compare."""
    _, results = compute(study, "2025-01-01T00:00:00Z")
    (dest / "tables").mkdir(parents=True)
    (dest / "results.json").write_text(json.dumps(results.to_dict()))
    write_patient_endpoints(results, dest / "tables" / "patient_endpoints.csv")
    return load_build(dest)


def test_a_method_change_is_listed_with_every_number_it_moved(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(REFERENCE_STUDY, study)
    edit(study, {"study.yaml": ("proportion: t\n", "proportion: clopper-pearson\n")})
    result = compare_builds(snapshot(REFERENCE_STUDY, tmp_path / "a"),
                            snapshot(study, tmp_path / "b"), tmp_path, built_at=NEW_AT)
    report = result.report
    assert rows(report, "method") == {("Confidence interval for response rates",
                                       "t interval for the mean of the binary response",
                                       "Clopper–Pearson exact interval")}
    by_level = {(f"{level}, ORR, % (95% CI)", old, new) for level, old, new in (
        ("ECOG performance status: 0–1", "16.7 (0.6–32.7)", "16.7 (4.7–37.4)"),
        ("ECOG performance status: 2", "0.0 (0.0–0.0)", "0.0 (0.0–45.9)"),
        ("Platinum-refractory disease: Yes", "12.5 (0.0–30.7)", "12.5 (1.6–38.3)"),
        ("Platinum-refractory disease: No", "14.3 (0.0–35.3)", "14.3 (1.8–42.8)"),
        ("Metastatic sites: Liver: No", "15.8 (0.0–33.8)", "15.8 (3.4–39.6)"),
        ("Metastatic sites: Liver: Yes", "9.1 (0.0–29.3)", "9.1 (0.2–41.3)"))}
    whole = {c for c in report.of("number") if not c.section.startswith("Cohort ")
             and "mg/day" not in c.item}  # each starting-dose cohort's CIs moved as well
    assert {(c.item, c.old, c.new) for c in whole} == {
        ("Objective response rate (CR + PR), 95% CI", "0.4–26.2", "3.8–30.7"),
        ("Disease control rate (CR + PR + SD), 95% CI", "56.5–90.1", "54.1–87.7"), *by_level}
    assert ("Objective response rate (CR + PR), 95% CI, 12 mg/day", "0.7–37.4",
            "5.4–41.9") in rows(report, "number")
    assert "the confidence interval for response rates changed from the t interval for the " \
           "mean of the binary response to the Clopper–Pearson exact interval" in report.summary
    assert result.tracked is None  # no manuscript.docx in these folders


def test_the_locked_manuscript_cites_the_lock_identifier(builds):
    from docx import Document

    text = "\n".join(p.text for p in Document(builds["new"] / "manuscript.docx").paragraphs)
    assert f"lock identifier {builds['lock']}" in text
    old = "\n".join(p.text for p in Document(builds["old"] / "manuscript.docx").paragraphs)
    assert "lock identifier" not in old


def test_a_failing_comparison_writes_nothing(builds, tmp_path, monkeypatch):
    import nps_report.compare as compare

    def explode(*_args, **_kwargs):
        raise ValueError("bad docx")

    monkeypatch.setattr(compare, "write_report", explode)
    dest = tmp_path / "report"
    dest.mkdir()
    with pytest.raises(ValueError, match="bad docx"):
        compare.compare_builds(compare.load_build(builds["old"]),
                               compare.load_build(builds["new"]), dest, built_at=NEW_AT)
    assert list(dest.iterdir()) == []
