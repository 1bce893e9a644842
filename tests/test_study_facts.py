"""The facts a Methods section states about the setting: the number of centres (from the
column study.yaml names), the treatment period (first and last treatment_start), the staging
system, and the definitions behind Table 1 rows as lettered footnotes."""

from __future__ import annotations

import io
import json
import re

import docx
import pytest

from nps_report.build import build
from nps_report.config import FigureConfig
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.fmt import fmt_month, footnote_mark
from nps_report.present.reported import reported_numbers
from nps_report.render.html import table_body

from .facts_study import YAML, build_facts, patients, problems, write_facts_study
from .revision_xml import accepted_docx
from .studyfiles import YAML as SMALL_YAML
from .studyfiles import csv_bytes, write_study
from .test_prose import prose

AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    b = build_facts(tmp_path_factory.mktemp("facts"))
    return b.parsed, b.results, b.out, b.pdf, b.docx


def test_centres_are_counted_however_their_names_are_typed(facts):
    s, results, _, _, _ = facts
    assert results.study.n_centres == 2  # 'Site 1' and 'site 1' are one centre
    merged = next(n for n in s.notices if n.code == "centres_merged")
    assert str(merged) == (
        "Centres in patients.csv that differ only in letter case or spacing were counted as "
        "one centre, under the spelling used most often:\n    'site 1' (1 row) -> 'Site 1'")


def test_the_treatment_period_runs_from_the_first_to_the_last_start(facts):
    _, results, out, _, _ = facts
    assert (results.study.first_start, results.study.last_start) == ("2021-01-10", "2021-03-20")
    study = json.loads((out / "results.json").read_text())["study"]
    assert {k: study[k] for k in ("n_centres", "first_start", "last_start", "staging")} == {
        "n_centres": 2, "first_start": "2021-01-10", "last_start": "2021-03-20",
        "staging": "AJCC 8th edition"}


def test_the_methods_state_who_was_treated_where_and_when(facts):
    _, _, _, pdf, word = facts
    for text in (pdf, word):
        assert ("Patients and treatment Patients with advanced disease who started drug Y "
                "between January 2021 and March 2021 at two centers were included. Stage was "
                "classified according to the AJCC 8th edition.") in text


def test_the_reference_methods_state_its_centres_and_treatment_period():
    """Today the reference manuscript states neither, though the data has a center column."""
    s, results = compute(REFERENCE_STUDY, AT)
    text = prose(results, s.config, "methods.md.j2")
    assert ("Patients with recurrent or metastatic nasopharyngeal carcinoma who started "
            "anlotinib between April 2019 and June 2023 at three centers were included.") in text
    # its source names no staging system, and Table 1 reports the stage: the Methods ask
    assert ("Stage was classified according to [the staging system and its edition, e.g. the "
            "AJCC 8th edition: state it under staging in study.yaml].") in text


def test_without_a_centre_column_or_stage_row_the_methods_ask_only_for_the_centres(tmp_path):
    study = write_study(tmp_path / "s")
    s, results = compute(study, AT)
    text = prose(results, s.config, "methods.md.j2")
    assert ("who started drug Y between January 2021 and March 2021 at [number of centers: "
            "name the column of patients.csv that holds each patient's center under "
            "centre_column in study.yaml] were included.") in text
    assert "Stage was classified" not in text  # Table 1 has no stage row


def test_one_start_month_is_worded_as_in(tmp_path):
    rows = patients()
    for row in rows[1:]:
        row[1] = "2021-03-0" + row[0][-1]  # A1..A4 start on 1-4 March
    study = write_facts_study(tmp_path / "s", patients=csv_bytes(rows))
    s, results = compute(study, AT)
    assert "who started drug Y in March 2021 at two centers" in prose(
        results, s.config, "methods.md.j2")


def test_the_centre_count_and_period_are_reported_numbers(facts):
    _, results, _, _, _ = facts
    got = reported_numbers(results, CATALOGUE, FigureConfig())
    assert [(got[k].section, got[k].label, got[k].value) for k in (
        "study.n_centres", "study.first_start", "study.last_start")] == [
        ("Study", "Centres, n", "2"), ("Study", "First start of treatment", "January 2021"),
        ("Study", "Last start of treatment", "March 2021")]


def test_a_blank_centre_is_refused(tmp_path):
    study = write_facts_study(tmp_path / "s", patients=csv_bytes(patients(
        site=["Site 1", "", "Site 2", "Site 2"])))
    assert problems(study) == [
        "patients.csv, row 3, column 'site': missing value (found ''); expected the patient's "
        "centre (centre_column in study.yaml names this column)"]


def test_centre_spelt_the_american_way_gets_its_did_you_mean(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace("centre_column", "center_column"))
    problem = problems(study)[0]
    assert problem.startswith("study.yaml, line 6, key 'center_column': unknown key; expected "
                              "one of 'title', ")
    assert problem.endswith("(did you mean 'centre_column'?)")


# --- Table 1 footnotes -------------------------------------------------------------------


def test_rows_with_a_note_carry_letters_in_table_order(facts):
    _, results, _, _, _ = facts
    table = CATALOGUE.build_tables(results)["baseline"]
    assert [(r.cells[0], r.marks) for r in table.rows if r.marks] == [
        ("Age (years), median (range)", "a"), ("Stage at diagnosis, n (%)", "b")]
    assert '<td>Stage at diagnosis, n (%)<sup>b</sup></td>' in table_body(table)
    assert [footnote_mark(i) for i in (0, 1, 25, 26)] == ["a", "b", "z", "aa"]


def test_the_notes_follow_under_their_letters_in_pdf_and_docx(facts):
    _, _, out, pdf, word = facts
    for text in (pdf, word):
        assert "Age (years), median (range)a 58 (45–70)" in text
        # without spaces: pdftotext splits 'IVA' as 'IV A' under some WeasyPrint releases
        assert ("Percentages may not total 100 because of rounding. aAt the first dose of drug "
                "Y bStage IVA and IVB are counted as IV").replace(" ", "") in text.replace(" ", "")
    document = docx.Document(str(out / "manuscript.docx"))
    label = document.tables[0].rows[1].cells[0].paragraphs[0].runs
    assert [(r.text, bool(r.font.superscript)) for r in label] == [
        ("Age (years), median (range)", False), ("a", True)]
    notes = [p for p in document.paragraphs if p.text.startswith("bStage")]
    assert [(r.text, bool(r.font.superscript)) for r in notes[0].runs][:2] == [
        ("b", True), ("Stage IVA and IVB are counted as IV", False)]


def test_the_table_csv_keeps_its_labels_plain(facts):
    _, _, out, _, _ = facts
    lines = (out / "tables" / "baseline.csv").read_text().splitlines()
    assert lines[1] == '"Age (years), median (range)",58 (45–70)'


def test_an_empty_note_is_refused_at_its_line(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace("note: At the first dose of drug Y",
                                                           "note: ''"))
    assert problems(study) == [
        "study.yaml, line 18, key 'baseline[1].note': empty value (found ''); expected text, "
        "e.g. note: \"Progression within 6 months of platinum-based chemotherapy\""]


def test_a_note_is_read_from_small_study_yaml_as_well(tmp_path):
    yaml = SMALL_YAML.replace("type: continuous}", "type: continuous, note: Years at entry}")
    _, results = compute(write_study(tmp_path / "s", yaml), AT)
    assert results.baseline[0].note == "Years at entry"
    assert results.baseline[1].note is None


def test_months_print_as_a_methods_section_says_them():
    assert (fmt_month("2019-04-18"), fmt_month(None)) == ("April 2019", "–")


def test_a_lettered_row_is_not_taken_for_an_author_edit_by_the_living_manuscript(facts,
                                                                                 tmp_path):
    from nps_report.living.check import check_docx
    from nps_report.living.package import Docx
    from nps_report.living.update import update_docx

    _, _, out, _, _ = facts
    built = Docx.read(out / "manuscript.docx")
    assert check_docx(built, built).findings == []
    rows = patients()
    rows[3][rows[0].index("age")] = "72"  # A3 older: the range in Table 1's lettered row moves
    study = write_facts_study(tmp_path / "s", patients=csv_bytes(rows))
    new = build(study, tmp_path / "out", built_at=AT).out_dir
    result = update_docx(built, Docx.read(new / "manuscript.docx"), date=AT)
    assert [n for n in result.reported if "Table 1" in str(n)] == []
    assert ("Table 1", "1 cell updated") in {(n.what, n.says) for n in result.updated}
    cells = docx.Document(io.BytesIO(accepted_docx(result.docx))).tables[0].rows[1].cells
    shown = tuple(c.text.replace("\u2060", "") for c in cells[:2])  # word joiners: wordxml.text
    assert shown == ("Age (years), median (range)a", "58 (45–72)")


def test_every_new_number_in_the_text_is_bound_to_its_results_key(tmp_path):
    """Schedule digits, cycle length, centres, period and modification counts included."""
    from .test_bindings import LITERAL, generated_runs, manuscript

    study = write_facts_study(tmp_path / "study")
    _, ms = manuscript(study, tmp_path)
    loose = [r.text for r in generated_runs(ms)
             if r.binding is None and re.search(r"\d", LITERAL.sub("", r.text))]
    assert loose == []
    keys = {q.key for q in ms.quantities}
    assert {"exposure.schedule:value", "exposure.cycle_days:value", "study.n_centres:spell",
            "study.first_start:month", "study.last_start:month", "study.staging:value",
            "methods.ctcae_version:value", "exposure.n_dose_reduced:count",
            "safety.related.n_any:count"} <= keys
