"""Dose reductions, interruptions and discontinuations for toxicity: yes/no columns study.yaml
names under exposure, counted per patient, stated in the Methods, the Results and the
treatment-exposure table; and the schedule and cycle length the Methods state."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nps_report.config import FigureConfig
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.reported import reported_numbers

from .facts_study import YAML, build_facts, patients, problems, write_facts_study
from .studyfiles import csv_bytes, typed_tables, write_workbook
from .test_documents import docx_text, pdf_text
from .test_prose import prose

AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    b = build_facts(tmp_path_factory.mktemp("facts"))
    return b.study, b.parsed, b.results, b.out


def test_each_modification_is_counted_once_per_patient(facts):
    _, _, results, _ = facts
    ex = results.exposure
    assert (ex.n_dose_reduced, ex.n_interrupted, ex.n_discontinued) == (2, 2, 1)
    assert (ex.schedule, ex.cycle_days) == ("12 mg orally once daily on days 1–14", 21)
    assert ex.modifications_recorded


def test_results_json_holds_the_counts_under_exposure(facts):
    _, _, _, out = facts
    ex = json.loads((out / "results.json").read_text())["exposure"]
    assert {k: ex[k] for k in ("n_dose_reduced", "n_interrupted", "n_discontinued",
                               "schedule", "cycle_days")} == {
        "n_dose_reduced": 2, "n_interrupted": 2, "n_discontinued": 1,
        "schedule": "12 mg orally once daily on days 1–14", "cycle_days": 21}


def test_the_exposure_table_lists_the_modifications_as_n_pct(facts):
    _, _, _, out = facts
    assert (out / "tables" / "exposure.csv").read_text().splitlines() == [
        "Exposure,Patients (N = 4)",
        "\"Cycles received, median (range)\",5 (3–14)",
        "\"≥3 cycles, n (%)\",4 (100.0)",
        "\"Duration of treatment, months, median (range)\",3.3 (1.9–10.0)",
        "\"Because of adverse events, n (%)\",",
        "  Dose reduction,2 (50.0)",
        "  Treatment interruption,2 (50.0)",
        "  Discontinuation,1 (25.0)",
        "\"On treatment at the data cutoff, n (%)\",1 (25.0)",
    ]


def test_methods_and_results_state_schedule_cycles_and_modifications(facts):
    _, _, _, out = facts
    for text in (pdf_text(out / "manuscript.pdf"), docx_text(out / "manuscript.docx")):
        assert "Drug Y was given 12 mg orally once daily on days 1–14, in 21-day cycles." in text
        assert ("Dose reductions, treatment interruptions and discontinuations because of "
                "adverse events were recorded for each patient.") in text
        assert ("Because of adverse events, the dose was reduced in 2 patients (50.0%), "
                "treatment was interrupted in 2 (50.0%) and treatment was discontinued in 1 "
                "(25.0%) (Table 2).") in text
        assert "Table 2. Treatment exposure (4 patients)" in text
        assert "Cycles are of 21 days." in text


def test_each_count_is_a_reported_number_with_its_label(facts):
    _, _, results, _ = facts
    got = reported_numbers(results, CATALOGUE, FigureConfig())
    assert {k: (got[k].section, got[k].label, got[k].value) for k in (
        "exposure.n_dose_reduced", "exposure.n_discontinued")} == {
        "exposure.n_dose_reduced": ("Treatment exposure",
                                    "Because of adverse events: Dose reduction, n (%)",
                                    "2 (50.0)"),
        "exposure.n_discontinued": ("Treatment exposure",
                                    "Because of adverse events: Discontinuation, n (%)",
                                    "1 (25.0)")}


def test_the_reference_methods_state_the_dose_and_the_cycle_length():
    """Today's reference manuscript never says how anlotinib was given."""
    s, results = compute(REFERENCE_STUDY, AT)
    text = prose(results, s.config, "methods.md.j2")
    assert "Anlotinib was given at a starting dose of 12 or 10 mg per day, in 21-day " \
           "cycles." in text
    assert results.exposure.n_dose_reduced is None  # the published numbers give none
    assert "exposure" not in CATALOGUE.build_tables(results)


def test_without_a_schedule_the_methods_ask_for_it(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace(
        "  schedule: 12 mg orally once daily on days 1–14\n  cycle_days: 21\n", ""))
    s, results = compute(study, AT)
    text = prose(results, s.config, "methods.md.j2")
    assert "Drug Y was given [dose and schedule: state them under exposure.schedule in " \
           "study.yaml]." in text


def test_a_count_of_none_is_worded_as_no_patient(tmp_path):
    study = write_facts_study(tmp_path / "s", patients=csv_bytes(patients(
        dose_reduced=["no"] * 4, interrupted=None, stopped_for_toxicity=None)),
        yaml=YAML.replace("  interruption_column: interrupted\n", "").replace(
            "  discontinuation_column: stopped_for_toxicity\n", ""))
    s, results = compute(study, AT)
    assert (results.exposure.n_dose_reduced, results.exposure.n_interrupted) == (0, None)
    parts = prose(results, s.config, "tables/exposure.md.j2", "results")
    # (the part alone: its table is the first it cites)
    assert parts == "Because of adverse events, the dose was reduced in no patient (Table 1)."
    assert "Dose reductions because of adverse events were recorded for each patient." in \
        prose(results, s.config, "methods.md.j2")


def test_blank_and_unknown_flags_are_refused_at_their_row(tmp_path):
    study = write_facts_study(tmp_path / "s", patients=csv_bytes(patients(
        dose_reduced=["yes", "", "no", "maybe"])))
    assert problems(study) == [
        "patients.csv, row 5, column 'dose_reduced': unknown value (found 'maybe'); expected "
        "one of 'yes', 'no' (did you mean 'yes'?)",
        "patients.csv, row 3, column 'dose_reduced': missing value (found ''); expected yes or "
        "no: whether the dose was reduced because of toxicity (a patient without one is 'no')"]


def test_a_patient_stopped_for_toxicity_must_have_a_last_dose(tmp_path):
    study = write_facts_study(tmp_path / "s", patients=csv_bytes(patients(
        stopped_for_toxicity=["no", "yes", "no", "yes"])))
    assert problems(study) == [
        "patients.csv, row 3, column 'stopped_for_toxicity': says treatment was stopped "
        "because of toxicity, but treatment_end is blank (still on treatment); expected the "
        "date of the last dose in treatment_end, or 'no' in stopped_for_toxicity"]


def test_a_stop_for_toxicity_after_the_cutoff_is_not_counted_and_the_build_says_so(tmp_path):
    # A4 stopped for toxicity on 2021-07-01; with the cutoff before it, A4 was on treatment
    study = write_facts_study(tmp_path / "s", YAML.replace("data_cutoff: 2021-12-31",
                                                           "data_cutoff: 2021-06-30"))
    s, results = compute(study, AT)
    assert results.exposure.n_discontinued == 0
    cut = next(n for n in s.notices if n.code == "data_cutoff_applied")
    assert ("discontinuation for toxicity after the cutoff for 1 patient (A4): not counted (on "
            "treatment at the cutoff)") in cut.details


def test_a_column_study_yaml_names_but_the_file_lacks_is_named_with_the_key(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace("reduction_column: dose_reduced",
                                                           "reduction_column: dose_reduction"))
    assert problems(study) == [
        "patients.csv, column 'dose_reduction': column named in study.yaml "
        "(exposure.reduction_column) not found; expected one of 'patient_id', "
        "'treatment_start', 'treatment_end', 'cycles', 'progression_date', 'death_date', "
        "'last_followup', 'age', 'sex', 'site', 'stage', 'dose_reduced', 'interrupted', "
        "'stopped_for_toxicity' (did you mean 'dose_reduced'?)"]


def test_a_users_own_header_is_mapped_under_columns(tmp_path):
    rows = patients()
    rows[0][rows[0].index("dose_reduced")] = "Dose reduced?"
    study = write_facts_study(tmp_path / "s", YAML + 'columns: {patients: {dose_reduced: '
                                                     '"Dose reduced?"}}\n',
                              patients=csv_bytes(rows))
    _, results = compute(study, AT)
    assert results.exposure.n_dose_reduced == 2
    rows[2][rows[0].index("Dose reduced?")] = "perhaps"
    study = write_facts_study(tmp_path / "s2", YAML + 'columns: {patients: {dose_reduced: '
                                                      '"Dose reduced?"}}\n',
                              patients=csv_bytes(rows))
    assert problems(study) == [
        "patients.csv, row 3, column 'Dose reduced?': unknown value (found 'perhaps'); "
        "expected one of 'yes', 'no'"]


def test_excel_boolean_cells_are_yes_and_no(tmp_path):
    sheets = typed_tables()
    rows = sheets["patients"]
    extra = patients()
    for name in ("site", "stage", "dose_reduced", "interrupted", "stopped_for_toxicity"):
        col = extra[0].index(name)
        rows[0].append(name)
        for r, row in enumerate(rows[1:], start=1):
            value = extra[r][col]
            row.append(value.lower() == "yes" if name != "site" and name != "stage" else value)
    sheets["adverse_events"] = [[*r, x] for r, x in zip(
        sheets["adverse_events"], ["relatedness", "related", "unrelated", "related"],
        strict=True)]
    folder = tmp_path / "xlsx"
    write_workbook(folder / "data.xlsx", sheets, patients__B2=dt.datetime(2021, 1, 10))
    (folder / "study.yaml").write_text(YAML, encoding="utf-8")
    _, results = compute(folder, AT)
    assert (results.exposure.n_dose_reduced, results.exposure.n_interrupted,
            results.exposure.n_discontinued) == (2, 2, 1)
    assert results.safety.related.n_any == 2


def test_study_yaml_refuses_a_cycle_of_no_days(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace("cycle_days: 21", "cycle_days: 0"))
    assert problems(study) == [
        "study.yaml, line 13, key 'exposure.cycle_days': invalid value (found 0); expected a "
        "whole number >= 1"]
