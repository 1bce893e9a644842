"""Every broken study folder is refused with a message naming file, row, column and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from nps_report.cli import main
from nps_report.errors import StudyError
from nps_report.pipeline import validate

STUDIES = Path(__file__).parent / "studies"
BROKEN = STUDIES / "broken"

# case -> (file, row, column, words the message must contain)
EXPECTED = {
    "missing_file": ("adverse_events.csv", None, None, "file not found"),
    "missing_column": ("patients.csv", None, "last_followup", "did you mean 'last_follow_up'"),
    "duplicate_patient": ("patients.csv", 4, "patient_id", "duplicate patient_id"),
    "unknown_patient": ("tumor_assessments.csv", 10, "patient_id", "did you mean 'A4'"),
    "bad_date": ("patients.csv", 5, "treatment_start", "YYYY-MM-DD"),
    "death_before_start": ("patients.csv", 4, "death_date", "death before treatment_start"),
    "progression_after_death": ("patients.csv", 2, "progression_date", "progression after death"),
    "assessment_after_death": ("tumor_assessments.csv", 9, "assessment_date",
                               "after the patient's death_date"),
    "followup_before_event": ("patients.csv", 5, "last_followup", "before progression_date"),
    "grade_out_of_range": ("adverse_events.csv", 2, "grade", "from 1 to 5"),
    "unknown_nontarget": ("tumor_assessments.csv", 3, "nontarget",
                          "did you mean 'non-CR/non-PD'"),
    "negative_sum": ("tumor_assessments.csv", 7, "target_sum_mm", ">= 0"),
    "baseline_column_absent": ("patients.csv", None, "ecog", "named in study.yaml"),
    "unknown_yaml_key": ("study.yaml", 7, "landmark_months", "did you mean 'landmarks_months'"),
    "unknown_level": ("patients.csv", 3, "sex", "did you mean 'Female'"),
    "progression_disagrees_with_scans": ("patients.csv", 2, "progression_date",
                                         "2021-04-15, the first assessment"),
    "followup_after_death": ("patients.csv", 4, "last_followup", "after death_date"),
    "yaml_boolean_level": ("study.yaml", 11, "baseline[2].levels[3]",
                           'YAML reads the unquoted No as the boolean false'),
    "ambiguous_date": ("patients.csv", 3, "treatment_start",
                       "YYYY-MM-DD: 2021-02-01 or 2021-01-02"),
    "na_text_in_date": ("patients.csv", 3, "treatment_end", 'missing_values: ["NA"]'),
    "semicolons": ("patients.csv", 1, None, "separated by semicolons"),
    "windows_1252": ("adverse_events.csv", None, None, "Windows-1252"),
    "header_case": ("patients.csv", None, "patient_id", "did you mean 'Patient_ID'?"),
    "ae_after_death": ("adverse_events.csv", 5, "onset_date", "after the patient's death_date"),
    "sum_after_baseline_without_targets": ("tumor_assessments.csv", 10, "target_sum_mm",
                                           "baseline scan had no target lesions"),
}


def test_every_broken_folder_has_an_expectation():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_folder_is_refused_with_file_row_and_column(case):
    file, row, column, words = EXPECTED[case]
    with pytest.raises(StudyError) as info:
        validate(BROKEN / case)
    first = info.value.problems[0]
    assert (first.file, first.row, first.column) == (file, row, column)
    assert words in str(first)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_cli_validate_exits_2_without_traceback(case, capsys):
    assert main(["validate", str(BROKEN / case)]) == 2
    err = capsys.readouterr().err
    assert EXPECTED[case][0] in err
    assert "Traceback" not in err


def test_reference_and_small_studies_are_valid(capsys):
    assert main(["validate"]) == 0
    assert "valid (30 patients" in capsys.readouterr().out
    assert main(["validate", str(STUDIES / "small")]) == 0


def test_all_problems_are_reported_at_once(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    text = (study / "patients.csv").read_text()
    text = text.replace("A4,2021-03-20", "A4,2021-03-32").replace("54,Female", "54,F")
    (study / "patients.csv").write_text(text)
    ae = (study / "adverse_events.csv").read_text().replace("Fatigue,2", "Fatigue,0")
    (study / "adverse_events.csv").write_text(ae)
    with pytest.raises(StudyError) as info:
        validate(study)
    where = {(p.file, p.row, p.column) for p in info.value.problems}
    assert {("patients.csv", 5, "treatment_start"), ("patients.csv", 3, "sex"),
            ("adverse_events.csv", 2, "grade")} <= where


def test_progression_check_can_be_switched_off_in_study_yaml(tmp_path):
    study = shutil.copytree(BROKEN / "progression_disagrees_with_scans", tmp_path / "s")
    with open(study / "study.yaml", "a") as fh:
        fh.write("validation: {progression_must_match_assessments: false}\n")
    validate(study)


def test_study_in_one_excel_workbook_loads_like_csvs(tmp_path):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    shutil.copy(STUDIES / "small" / "study.yaml", folder)
    with pd.ExcelWriter(folder / "data.xlsx") as xl:
        for sheet in ("patients", "tumor_assessments", "adverse_events"):
            frame = pd.read_csv(STUDIES / "small" / f"{sheet}.csv", dtype=str,
                                keep_default_na=False)
            frame.to_excel(xl, sheet_name=sheet, index=False)
    _, from_xlsx = validate(folder)
    _, from_csv = validate(STUDIES / "small")
    pd.testing.assert_frame_equal(from_xlsx.patients, from_csv.patients)


def test_workbook_with_a_missing_sheet_is_refused(tmp_path):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    shutil.copy(STUDIES / "small" / "study.yaml", folder)
    with pd.ExcelWriter(folder / "data.xlsx") as xl:
        pd.read_csv(STUDIES / "small" / "patients.csv").to_excel(xl, sheet_name="patients")
    with pytest.raises(StudyError, match="sheet 'tumor_assessments' not found"):
        validate(folder)


def test_tables_with_a_header_and_no_rows_are_valid(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    for name in ("tumor_assessments.csv", "adverse_events.csv"):
        header = (study / name).read_text().splitlines()[0]
        (study / name).write_text(header + "\n")
    _, endpoints = validate(study)
    assert set(endpoints.patients["bor"]) == {"NE", "PD"}  # PD where progression is dated


def test_patients_file_with_no_rows_is_refused(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    header = (study / "patients.csv").read_text().splitlines()[0]
    (study / "patients.csv").write_text(header + "\n")
    with pytest.raises(StudyError, match="no patients"):
        validate(study)


def test_invalid_yaml_names_the_line(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    (study / "study.yaml").write_text("title: x\ndrug: [unclosed\n")
    with pytest.raises(StudyError) as info:
        validate(study)
    assert info.value.problems[0].file == "study.yaml"
    assert info.value.problems[0].row is not None


def test_wrong_yaml_values_name_the_key_and_the_options(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    text = (study / "study.yaml").read_text().replace("km: log-log", "km: loglog")
    (study / "study.yaml").write_text(text.replace("level: 0.95", "level: 95"))
    with pytest.raises(StudyError) as info:
        validate(study)
    messages = [str(p) for p in info.value.problems]
    assert any("key 'ci.km'" in m and "did you mean 'log-log'" in m for m in messages)
    assert any("key 'ci.level'" in m and "between 0 and 1" in m for m in messages)


def test_cells_padded_with_spaces_are_read_as_trimmed(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    text = (study / "patients.csv").read_text().replace("54,Female", "54, Female ")
    (study / "patients.csv").write_text(text)
    s, _ = validate(study)
    assert list(s.patients["sex"]) == ["Male", "Female", "Male", "Female"]


def test_patient_starting_after_the_cutoff_is_refused(tmp_path):
    study = shutil.copytree(STUDIES / "small", tmp_path / "s")
    text = (study / "study.yaml").read_text().replace("2021-12-31", "2021-03-10")
    (study / "study.yaml").write_text(text)
    with pytest.raises(StudyError) as info:
        validate(study)
    rows = {(p.row, p.column) for p in info.value.problems}
    assert rows == {(5, "treatment_start")}  # A4 started 2021-03-20
    assert "after the data cutoff" in str(info.value.problems[0])
