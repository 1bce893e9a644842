"""CSV files as Excel, R, SAS and Windows tools save them: read right, or refused with the fix."""

from __future__ import annotations

import csv

import pytest

from nps_report.errors import StudyError
from nps_report.pipeline import validate

from .studyfiles import YAML, csv_bytes, rows_of, write_study


def problems(folder) -> list[str]:
    with pytest.raises(StudyError) as info:
        validate(folder)
    return [str(p) for p in info.value.problems]


def test_utf8_with_a_bom_and_crlf_lines_as_excel_writes_them(tmp_path):
    rows = rows_of("patients")
    rows[1][8] = "Mâle"  # an accented value survives the round trip
    text = "\ufeff" + csv_bytes(rows)
    study = write_study(tmp_path / "s", YAML.replace("[Male, Female]", "[Mâle, Male, Female]"),
                        patients=text)
    s, _ = validate(study)
    assert list(s.patients.columns[:2]) == ["patient_id", "_row"]
    assert s.patients["sex"].iloc[0] == "Mâle"


def test_windows_1252_csv_is_refused_with_how_to_resave(tmp_path):
    rows = rows_of("adverse_events")
    rows[1][1] = "Fièvre"
    study = write_study(tmp_path / "s", adverse_events=csv_bytes(rows).encode("cp1252"))
    assert problems(study) == [
        "adverse_events.csv: not UTF-8 text: byte 0xE8 on line 2 is not valid UTF-8; it reads "
        "as Windows-1252/Latin-1 text (Western European, as Excel on Windows saves 'CSV "
        "(Comma delimited)'): 'A1,Fièvre,2,2021-02-01'; expected a UTF-8 file: in Excel use "
        "File > Save As > 'CSV UTF-8 (Comma delimited)'; in LibreOffice tick 'Edit filter "
        "settings' and pick 'Unicode (UTF-8)'; in R write.csv(..., fileEncoding = \"UTF-8\")"]


def test_excel_unicode_text_utf16_is_refused(tmp_path):
    text = csv_bytes(rows_of("patients"), delimiter="\t")
    study = write_study(tmp_path / "s", patients=text.encode("utf-16"))  # BOM + UTF-16LE
    (only,) = problems(study)
    assert only.startswith("patients.csv: saved as UTF-16 (what Excel calls 'Unicode Text'), "
                           "not UTF-8; expected a UTF-8 file: in Excel use File > Save As")


@pytest.mark.parametrize(("delimiter", "what"), [
    (";", "semicolons (as Excel saves CSV where the decimal mark is a comma)"),
    ("\t", "tabs (a tab-separated text file)"),
])
def test_other_delimiters_are_refused_naming_them(tmp_path, delimiter, what):
    study = write_study(tmp_path / "s",
                        tumor_assessments=csv_bytes(rows_of("tumor_assessments"),
                                                    delimiter=delimiter))
    (only,) = problems(study)
    assert only.startswith(f"tumor_assessments.csv, row 1: values are separated by {what}, "
                           "not commas (found 'patient_id")
    assert "expected commas between values: in Excel use File > Save As > 'CSV UTF-8" in only


def test_excel_sep_marker_line_is_named(tmp_path):
    text = "sep=;\r\n" + csv_bytes(rows_of("patients"), delimiter=";")
    study = write_study(tmp_path / "s", patients=text)
    (only,) = problems(study)
    assert only.startswith("patients.csv, row 1: the first line is Excel's 'sep=;' marker, "
                           "and the values are separated by semicolons")


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    rows = rows_of("patients")
    text = csv_bytes(rows[:3]) + "\r\n,,,,,,,,\r\n" + csv_bytes(rows[3:])
    text = text.replace("A4,2021-03-20", "A4,2021-13-20")
    study = write_study(tmp_path / "s", patients=text)
    # header 1, A1 2, A2 3, blank line 4, empty cells 5, A3 6, A4 7
    assert problems(study) == [
        "patients.csv, row 7, column 'treatment_start': not a calendar date (found "
        "'2021-13-20'); expected a date as YYYY-MM-DD with a real month and day"]


def test_a_quoted_cell_spanning_lines_keeps_spreadsheet_rows_and_names_the_editor_line(
        tmp_path):
    rows = [[*r, "notes"] if i == 0 else [*r, ""] for i, r in enumerate(rows_of("patients"))]
    rows[1][-1] = "first line\nsecond line"
    rows[3][1] = "2021-03-32"
    study = write_study(tmp_path / "s", patients=csv_bytes(rows))
    assert problems(study) == [
        "patients.csv, row 4, column 'treatment_start': not a calendar date (line 5 in a text "
        "editor) (found '2021-03-32'); expected a date as YYYY-MM-DD with a real month and day"]


def test_r_write_csv_quotes_everything_and_writes_na(tmp_path):
    rows = rows_of("patients")
    text = csv_bytes([[c if c else "NA" for c in r] for r in rows], quoting=csv.QUOTE_ALL)
    text = text.replace('"NA"', "NA")  # R writes NA unquoted
    study = write_study(tmp_path / "s", patients=text)
    found = problems(study)
    assert found[0] == (
        "patients.csv, row 3, column 'treatment_end': not a date (found 'NA'); expected a date "
        "as YYYY-MM-DD, e.g. 2021-03-15; if 'NA' means missing, leave the cell blank or list "
        "it in study.yaml: missing_values: [\"NA\"]")
    study.joinpath("study.yaml").write_text(YAML + 'missing_values: ["NA"]\n')
    s, e = validate(study)
    assert s.patients["treatment_end"].isna().tolist() == [False, True, False, False]
    assert e.patients["os_event"].tolist() == [True, False, True, False]


def test_text_none_or_null_is_a_value_not_a_gap(tmp_path):
    rows = rows_of("patients")
    rows[2][8] = "None"
    study = write_study(tmp_path / "s", patients=csv_bytes(rows))
    assert problems(study) == [
        "patients.csv, row 3, column 'sex': unknown value (found 'None'); expected one of "
        "'Male', 'Female'; if 'None' means missing, leave the cell blank or list it in "
        "study.yaml: missing_values: [\"None\"]"]


def test_a_row_longer_than_the_header_is_refused(tmp_path):
    text = csv_bytes(rows_of("adverse_events")).replace("A1,Fatigue,2", "A1,Fatigue, mild,2")
    study = write_study(tmp_path / "s", adverse_events=text)
    assert problems(study) == [
        "adverse_events.csv, row 2: the row has 5 cells but the header has 4 (found "
        "'A1,Fatigue, mild,2,2021-02-01'); expected as many cells as headers: a value holding "
        "a comma goes in double quotes, e.g. \"Smith, J.\""]


def test_trailing_empty_cells_and_short_rows_are_accepted(tmp_path):
    rows = rows_of("adverse_events")
    text = "".join(",".join(r) + ",,\r\n" for r in rows[:2]) + "A2,Hypertension,3\r\n"
    study = write_study(tmp_path / "s", adverse_events=text)
    s, _ = validate(study)
    assert s.adverse_events["term"].tolist() == ["Fatigue", "Hypertension"]
    assert s.adverse_events["onset_date"].isna().tolist() == [False, True]


def test_two_headers_that_differ_only_by_surrounding_spaces_are_refused(tmp_path):
    rows = rows_of("patients")
    rows[0] = [*rows[0], "age "]
    for r in rows[1:]:
        r.append("1")
    study = write_study(tmp_path / "s", patients=csv_bytes(rows))
    assert problems(study) == [
        "patients.csv, column 'age': 2 columns are named 'age' (found \"H ('age') and J "
        "('age ')\"); expected one column per name: rename or delete the others (surrounding "
        "spaces do not make names differ)"]


def test_a_header_with_other_case_or_spaces_is_suggested_with_both_fixes(tmp_path):
    rows = rows_of("patients")
    rows[0][0] = "Patient ID"
    study = write_study(tmp_path / "s", patients=csv_bytes(rows))
    assert problems(study) == [
        "patients.csv, column 'patient_id': required column missing; expected a column named "
        "'patient_id' (did you mean 'Patient ID'? It differs from 'patient_id' only in case, "
        "spaces or underscores); rename it in the file, or map it in study.yaml: columns: "
        "{patients: {patient_id: \"Patient ID\"}}"]


def test_padded_headers_and_cells_are_trimmed(tmp_path):
    text = csv_bytes(rows_of("patients")).replace("patient_id,", " patient_id ,", 1)
    text = text.replace("54,Female", "54,\u00a0Female ")
    s, _ = validate(write_study(tmp_path / "s", patients=text))
    assert s.patients["sex"].tolist() == ["Male", "Female", "Male", "Female"]


def test_an_empty_file_is_named(tmp_path):
    study = write_study(tmp_path / "s", adverse_events="")
    assert problems(study) == ["adverse_events.csv: the file is empty; expected a header row "
                               "naming the columns, then one row per record"]


def test_an_unclosed_quote_is_named_instead_of_swallowing_the_file(tmp_path):
    text = 'patient_id,term,grade,onset_date\r\nA1,"Fatigue,2,2021-02-01\r\nA2,Rash,1,\r\n'
    assert problems(write_study(tmp_path / "s", adverse_events=text)) == [
        "adverse_events.csv, row 2: a double quote opens a value that is never closed, so the "
        "rest of the file reads as one cell; expected a closing \" after the value (a quote "
        "inside a value is written twice: \"5\"\" tall\")"]


def test_a_quote_inside_an_unquoted_value_is_just_a_character(tmp_path):
    text = 'patient_id,term,grade,onset_date\r\nA1,Lesion 2" wide,2,2021-02-01\r\n'
    s, _ = validate(write_study(tmp_path / "s", adverse_events=text))
    assert s.adverse_events["term"].tolist() == ['Lesion 2" wide']


def test_old_mac_line_ends_are_read(tmp_path):
    text = csv_bytes(rows_of("adverse_events"), newline="\r")
    s, _ = validate(write_study(tmp_path / "s", adverse_events=text))
    assert s.adverse_events["_row"].tolist() == [2, 3, 4]


def test_nul_bytes_mean_not_a_text_file(tmp_path):
    text = csv_bytes(rows_of("adverse_events")).replace("Fatigue", "Fat\0igue")
    (only,) = problems(write_study(tmp_path / "s", adverse_events=text))
    assert only.startswith("adverse_events.csv: holds NUL bytes: not a text file")


def test_na_in_a_table_1_column_without_levels_is_a_value_and_the_build_says_so(tmp_path):
    rows = rows_of("patients")
    rows[0].append("stage")
    for r, v in zip(rows[1:], ["III", "NA", "IV", "NA"], strict=True):
        r.append(v)
    yaml = YAML + "  - {column: stage, label: Stage, type: categorical}\n"
    s, _ = validate(write_study(tmp_path / "s", yaml, patients=csv_bytes(rows)))
    (notice,) = s.notices
    assert str(notice) == (
        "Texts that often mean \"missing\" are counted as values of their own in Table 1 "
        "(patients.csv); if they mean missing, list them under missing_values in study.yaml:\n"
        "    column 'stage': 'NA' in 2 rows")
    s, _ = validate(write_study(tmp_path / "s", yaml + "missing_values: [NA]\n",
                                patients=csv_bytes(rows)))
    assert s.notices == ()


def test_a_column_written_twice_is_refused_even_if_the_study_does_not_read_it(tmp_path):
    rows = [[*r, "x", "y"] for r in rows_of("adverse_events")]
    rows[0][-2:] = ["comment", "comment"]
    (only,) = problems(write_study(tmp_path / "s", adverse_events=csv_bytes(rows)))
    assert only == ("adverse_events.csv, column 'comment': 2 columns are named 'comment' "
                    "(found \"E ('comment') and F ('comment')\"); expected one column per name: "
                    "rename or delete the others (surrounding spaces do not make names differ)")
