"""The reporting checklist says, per item, where it is addressed and whether the manuscript does."""

from __future__ import annotations

import pytest
from docx import Document

from nps_report.checklists import (
    ADDRESSED,
    CONFIRM,
    NOT_APPLICABLE,
    TODO,
    ManuscriptFacts,
    checklist,
    checklist_csv,
    guidelines,
    load_guideline,
    write_checklist_csv,
    write_checklist_docx,
)
from nps_report.checklists.model import _item
from nps_report.journals import load_profile, shipped_profiles

REFERENCE = ManuscriptFacts(
    parts={"title": "authored", "abstract": "generated", "abstract_background": "authored",
           "abstract_conclusions": "placeholder", "introduction": "authored",
           "methods": "placeholder", "statistical_methods": "generated",
           "results": "generated"},
    declarations={"funding": "authored", "ethics_approval": "placeholder"},
    title="Anlotinib monotherapy in recurrent or metastatic nasopharyngeal carcinoma: a "
          "multicentre retrospective case series",
    n_patients=30, n_centres=7, treatment_period=("2019-01-03", "2023-05-20"),
    data_cutoff="2024-12-31", recist_version="1.1",
    proportion_ci_method="t-distribution interval", survival_ci_method="Collett's symmetric "
    "interval", missing_data_rule=True, censoring_rule=True, baseline_table=True,
    median_followup=True, events_reported=True)
HEADINGS = {"methods": "Patients and methods"}


def rows_by_id(guideline: str, facts: ManuscriptFacts = REFERENCE) -> dict:
    return {r.item_id: r for r in checklist(guideline, facts, HEADINGS)}


def test_both_guidelines_are_shipped_and_every_profile_names_one_of_them():
    assert guidelines() == ("case-series", "strobe-cohort")
    assert {load_profile(p).reporting_guideline for p in shipped_profiles()} <= set(guidelines())
    assert len(load_guideline("strobe-cohort").items) == 34
    assert len(load_guideline("case-series").items) == 19


def test_setting_is_addressed_by_the_facts_the_study_states():
    row = rows_by_id("strobe-cohort")["5"]
    assert (row.section, row.status, row.note) == (
        "Patients and methods", ADDRESSED,
        "Number of centres: 7. Treatment period: 2019-01-03 to 2023-05-20. "
        "Data cutoff: 2024-12-31.")


def test_a_missing_fact_asks_for_exactly_that_fact():
    facts = ManuscriptFacts(n_centres=7, data_cutoff="2024-12-31")
    row = rows_by_id("strobe-cohort", facts)["5"]
    assert (row.status, row.note) == (TODO, "State the treatment period.")


def test_funding_is_addressed_only_when_the_declaration_is_written():
    assert rows_by_id("strobe-cohort")["22"].status == ADDRESSED
    row = rows_by_id("case-series")["CS18"]
    assert (row.section, row.status, row.note) == ("Declarations", TODO,
                                                   "Write the ethics approval statement.")
    row = rows_by_id("case-series")["CS19"]
    assert (row.status, row.note) == (TODO, "Write the conflicts of interest statement.")


def test_authored_text_is_for_the_authors_to_confirm_and_placeholders_to_complete():
    rows = rows_by_id("strobe-cohort")
    assert (rows["2"].status, rows["2"].note) == (
        CONFIRM, "Check that manuscript/introduction.md covers it.")
    assert (rows["1b"].status, rows["1b"].note) == (
        TODO, "Write manuscript/abstract_conclusions.md.")
    assert (rows["18"].status, rows["18"].note) == (TODO, "Write manuscript/discussion.md.")
    assert (rows["11"].status, rows["11"].note) == (
        ADDRESSED, "Stated in the generated statistical methods.")


def test_the_design_term_is_found_in_the_title_or_asked_for():
    assert rows_by_id("case-series")["CS1"].note == "The title names the design ('case series')."
    row = rows_by_id("case-series", ManuscriptFacts(title="Anlotinib in NPC",
                                                     abstract="We analysed a single-arm cohort"))
    assert row["CS1"].note == "The abstract names the design ('cohort')."
    row = rows_by_id("case-series", ManuscriptFacts(title="Anlotinib in NPC"))["CS1"]
    assert (row.status, row.note) == (TODO, "Name the design (e.g. 'retrospective case "
                                            "series') in the title or abstract.")


def test_comparative_items_do_not_apply_to_a_single_arm_series_until_such_analyses_exist():
    rows = rows_by_id("strobe-cohort")
    assert (rows["6b"].status, rows["6b"].note) == (
        NOT_APPLICABLE, "Not applicable: single-arm series without matching.")
    assert (rows["12b"].status, rows["12b"].note) == (
        NOT_APPLICABLE, "Not applicable: no subgroup or prognostic-factor analysis is reported.")
    with_cox = ManuscriptFacts(prognostic_analysis=True, parts={"statistical_methods":
                                                                "generated"})
    assert rows_by_id("strobe-cohort", with_cox)["12b"].status == ADDRESSED


def test_adverse_events_need_the_ctcae_version_and_the_attribution():
    row = rows_by_id("case-series")["CS15"]
    assert (row.status, row.note) == (
        TODO, "State the CTCAE version under safety.ctcae_version in study.yaml. State the "
              "adverse-event attribution (all-cause or treatment-related) under safety.events "
              "in study.yaml, or name its attribution_column.")
    facts = ManuscriptFacts(ctcae_version="5.0", ae_attribution="all-cause")
    assert rows_by_id("case-series", facts)["CS15"].note == (
        "CTCAE version: 5.0. Adverse-event attribution (all-cause or treatment-related): "
        "all-cause.")


def test_an_empty_manuscript_has_nothing_addressed():
    statuses = {r.status for r in checklist("strobe-cohort", ManuscriptFacts())}
    assert statuses == {TODO, NOT_APPLICABLE}


def test_an_unknown_guideline_and_broken_guideline_data_are_named():
    with pytest.raises(KeyError, match=r"unknown reporting guideline 'strobe'; expected one of "
                                       r"'case-series', 'strobe-cohort' \(did you mean "
                                       r"'strobe-cohort'\?\)"):
        checklist("strobe", REFERENCE)
    with pytest.raises(ValueError, match=r"x.yaml, item '5': unknown fact 'n_center'; expected "
                                         r".*\(did you mean 'n_centres'\?\)"):
        _item({"id": "5", "topic": "t", "item": "i", "section": "methods",
               "facts": ["n_center"]}, "x.yaml")
    with pytest.raises(ValueError, match=r"unknown key 'fact'"):
        _item({"id": "5", "topic": "t", "item": "i", "section": "methods", "fact": []}, "x.yaml")


def test_the_csv_has_one_row_per_item_in_order(tmp_path):
    rows = checklist("case-series", REFERENCE, HEADINGS)
    text = checklist_csv(rows[3:5])
    assert text == (
        "item,recommendation,section,page,line,status,note\n"
        "CS4,\"Give the centres, the period in which patients started treatment and the data "
        "cutoff.\",Patients and methods,,,addressed,Number of centres: 7. Treatment period: "
        "2019-01-03 to 2023-05-20. Data cutoff: 2024-12-31.\n"
        "CS5,State the inclusion and exclusion criteria and how patients were identified.,"
        "Patients and methods,,,to be completed by the authors,Write manuscript/methods.md.\n")
    path = write_checklist_csv(rows, tmp_path / "checklist.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfitem,")
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 20


def test_the_word_checklist_is_a_landscape_table_with_open_items_in_bold(tmp_path):
    rows = checklist("strobe-cohort", REFERENCE, HEADINGS)
    guideline = load_guideline("strobe-cohort")
    path = write_checklist_docx(rows, guideline, tmp_path / "checklist.docx",
                                study_title="Anlotinib in NPC", built_at="2025-01-02T03:04:05")
    doc = Document(str(path))
    assert doc.sections[0].page_width > doc.sections[0].page_height
    assert doc.paragraphs[0].text == "STROBE checklist for cohort studies"
    assert doc.paragraphs[2].text.startswith("Source: Item wording: STROBE Statement, checklist "
                                             "of items that should be included in reports of "
                                             "cohort studies (STROBE Initiative")
    assert "CC BY" in doc.paragraphs[2].text and "von Elm E" in doc.paragraphs[2].text
    assert doc.paragraphs[4].text == ("addressed: 11; to be completed by the authors: 15; "
                                      "authors to confirm: 2; not applicable: 6.")
    table = doc.tables[0]
    # no Line column: these rows have no line numbers (the manuscript has none)
    assert [c.text for c in table.rows[0].cells] == ["Item", "Recommendation", "Section",
                                                     "Page", "Status", "Note"]
    assert len(table.rows) == len(rows) + 1
    five = next(r for r in table.rows if r.cells[0].text == "5")
    assert [c.text for c in five.cells[2:5]] == ["Patients and methods", "", "addressed"]
    assert five.cells[1].text == ("Describe the setting, locations, and relevant dates, "
                                  "including periods of recruitment, exposure, follow-up, and "
                                  "data collection")  # STROBE's own words
    bold = {r.cells[0].text for r in table.rows[1:] if r.cells[0].paragraphs[0].runs[0].bold}
    assert bold == {r.item_id for r in rows if r.status == TODO}
    assert doc.core_properties.author == "nps-report"
