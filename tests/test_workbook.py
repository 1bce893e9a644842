"""data.xlsx cell by cell: Excel's own types read as such, and what cannot be read is named."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nps_report.errors import StudyError
from nps_report.pipeline import validate

from .studyfiles import YAML, rows_of, typed_tables, write_study, write_workbook


def folder_with(tmp_path, sheets=None, yaml: str = YAML, **cells):
    folder = tmp_path / "xlsx"
    folder.mkdir(exist_ok=True)
    (folder / "study.yaml").write_text(yaml)
    write_workbook(folder / "data.xlsx", sheets or typed_tables(), **cells)
    return folder


def problems(folder) -> list[str]:
    with pytest.raises(StudyError) as info:
        validate(folder)
    return [str(p) for p in info.value.problems]


def test_typed_cells_give_the_same_study_as_the_csvs(tmp_path):
    s_x, e_x = validate(folder_with(tmp_path))
    s_c, e_c = validate(write_study(tmp_path / "csv"))
    pd.testing.assert_frame_equal(s_x.patients, s_c.patients)
    pd.testing.assert_frame_equal(e_x.patients, e_c.patients)
    assert s_x.patients["cycles"].tolist() == [5, 14, 3, 5]  # 5.0 in Excel is 5
    assert s_x.sources["patients"] == "data.xlsx [patients]"


def test_text_cells_holding_na_or_none_are_values_not_gaps(tmp_path):
    sheets = typed_tables()
    sheets["patients"][2][2] = "NA"  # treatment_end of A2, typed as text
    sheets["patients"][3][8] = "None"
    assert problems(folder_with(tmp_path, sheets)) == [
        "data.xlsx [patients], row 3, column 'treatment_end': not a date (found 'NA'); "
        "expected a date as YYYY-MM-DD, e.g. 2021-03-15; if 'NA' means missing, leave the "
        "cell blank or list it in study.yaml: missing_values: [\"NA\"]",
        "data.xlsx [patients], row 4, column 'sex': unknown value (found 'None'); expected one "
        "of 'Male', 'Female'; if 'None' means missing, leave the cell blank or list it in "
        "study.yaml: missing_values: [\"None\"]"]
    yaml = YAML.replace("[Male, Female]", "[Male, Female, None]") + "missing_values: [NA]\n"
    s, _ = validate(folder_with(tmp_path, sheets, yaml))
    assert pd.isna(s.patients["treatment_end"].iloc[1])
    assert s.patients["sex"].tolist() == ["Male", "Female", "None", "Female"]


def test_a_date_cell_with_a_time_of_day_is_refused(tmp_path):
    folder = folder_with(tmp_path, patients__B3=dt.datetime(2021, 2, 1, 14, 30))
    assert problems(folder) == [
        "data.xlsx [patients], row 3, column 'treatment_start': a date with a time of day "
        "(14:30) (found '2021-02-01 14:30:00'); expected the date alone: 2021-02-01"]


def test_a_time_cell_and_a_number_in_a_date_column(tmp_path):
    sheets = typed_tables()
    sheets["patients"][2][1] = dt.time(9, 0)
    sheets["patients"][3][1] = 44260  # a General-format number cell
    folder = folder_with(tmp_path, sheets)
    assert problems(folder) == [
        "data.xlsx [patients], row 3, column 'treatment_start': a time of day, not a date "
        "(found '09:00:00'); expected a date as YYYY-MM-DD",
        "data.xlsx [patients], row 4, column 'treatment_start': a number, not a date: as an "
        "Excel date serial number it is 2021-03-05 (found '44260'); expected YYYY-MM-DD "
        "(2021-03-05), or the column formatted as dates in Excel before saving"]


def test_a_number_cell_formatted_as_a_date_is_a_date(tmp_path):
    import openpyxl

    folder = folder_with(tmp_path)
    book = openpyxl.load_workbook(folder / "data.xlsx")
    cell = book["patients"]["B2"]
    cell.value, cell.number_format = 44206, "dd/mm/yyyy"  # what Excel stores for 2021-01-10
    book.save(folder / "data.xlsx")
    s, _ = validate(folder)
    assert s.patients["treatment_start"].iloc[0] == pd.Timestamp("2021-01-10")


def test_a_date_cell_in_a_number_column_says_how_to_fix_the_format(tmp_path):
    folder = folder_with(tmp_path, patients__D2=dt.datetime(1900, 1, 5))
    assert problems(folder) == [
        "data.xlsx [patients], row 2, column 'cycles': not a whole number (found "
        "'1900-01-05'); expected a whole number >= 0; the cell holds a date: format the "
        "column as Number in Excel"]


def test_boolean_cells_read_as_excel_writes_them(tmp_path):
    sheets = typed_tables()
    for row in sheets["tumor_assessments"][1:]:
        row[4] = row[4] == "yes"  # TRUE / FALSE cells
    s, _ = validate(folder_with(tmp_path, sheets))
    assert s.assessments["new_lesions"].tolist() == [False] * 8 + [False, True]


def test_error_cells_are_refused_not_read_as_blank(tmp_path):
    folder = folder_with(tmp_path, adverse_events__C3="#N/A")  # openpyxl stores an error
    assert problems(folder) == [
        "data.xlsx [adverse_events], row 3: an Excel error value in cell C3 (found '#N/A'); "
        "expected a value, or an empty cell (fix the formula or paste the values you mean)"]


def test_formulas_without_a_saved_result_are_refused(tmp_path):
    folder = folder_with(tmp_path, patients__H2="=50+11")  # openpyxl saves no result
    assert problems(folder) == [
        "data.xlsx [patients], row 2: cell H2 holds a formula with no saved result; expected "
        "the workbook opened and saved once in Excel or LibreOffice (which store each "
        "formula's result), or the formulas replaced by their values"]


def test_formulas_with_a_saved_result_use_it(tmp_path):
    import zipfile

    folder = folder_with(tmp_path, patients__H2="=50+11")
    path = folder / "data.xlsx"
    with zipfile.ZipFile(path) as z:  # as Excel saves it: the formula and its result
        files = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in files if n.startswith("xl/worksheets/") and b"50+11" in files[n])
    files[sheet] = files[sheet].replace(b"<f>50+11</f><v></v>", b"<f>50+11</f><v>61</v>")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    s, _ = validate(folder)
    assert s.patients["age"].iloc[0] == "61"


def test_empty_rows_and_columns_extra_sheets_and_sheet_name_case(tmp_path):
    sheets = typed_tables()
    sheets["Patients "] = sheets.pop("patients")
    sheets["Patients "].insert(3, [None] * 9)  # an empty row: numbers below stay the sheet's
    sheets["Patients "][4][1] = "2021-13-05"
    sheets["README"] = [["notes about the study"]]
    folder = folder_with(tmp_path, sheets)
    import openpyxl

    book = openpyxl.load_workbook(folder / "data.xlsx")
    book["Patients "]["L40"].number_format = "0.00"  # a formatted empty cell far below
    book.save(folder / "data.xlsx")
    assert problems(folder) == [
        "data.xlsx [Patients ], row 5, column 'treatment_start': not a calendar date (found "
        "'2021-13-05'); expected a date as YYYY-MM-DD with a real month and day"]


def test_a_missing_sheet_lists_the_sheets_found(tmp_path):
    sheets = typed_tables()
    del sheets["adverse_events"]
    sheets["AEs"] = rows_of("adverse_events")
    assert problems(folder_with(tmp_path, sheets)) == [
        "data.xlsx: sheet 'adverse_events' not found (found ['patients', 'tumor_assessments', "
        "'AEs']); expected sheets named patients, tumor_assessments, adverse_events"]


def test_a_folder_with_both_the_workbook_and_csvs_is_refused(tmp_path):
    folder = write_study(tmp_path / "s")
    write_workbook(folder / "data.xlsx", typed_tables())
    (only,) = problems(folder)
    assert only.startswith("data.xlsx: the folder holds both data.xlsx and patients.csv, "
                           "tumor_assessments.csv, adverse_events.csv (found ")
    assert only.endswith("expected either data.xlsx or the three CSV files: move or delete "
                         "the ones that are not your data")


def test_a_file_that_is_not_a_workbook(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "study.yaml").write_text(YAML)
    (folder / "data.xlsx").write_text("patient_id,treatment_start\n")
    (only,) = problems(folder)
    assert only.startswith("data.xlsx: cannot be read as an Excel workbook (")
    assert only.endswith("expected a .xlsx file saved by Excel or LibreOffice (not .xls, not "
                         "password-protected)")
