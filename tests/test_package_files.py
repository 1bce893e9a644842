"""Tables kept as SPSS, SAS, Stata, Parquet and R files read as the packages mean them.

Files are written by the packages' own libraries (packagefiles.py) or, for SAS data sets
and R, taken from files SAS and R wrote (fixtures/packages). Each is held to the CSV
rules: the same study, the same messages naming file, row, column and value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nps_report.data.packages import read_package_file
from nps_report.errors import StudyError
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute, validate

from .packagefiles import FORMATS, csv_rows, write_table, write_tables
from .studyfiles import YAML, rows_of, write_study, write_workbook

FIXTURES = Path(__file__).parent / "fixtures" / "packages"
AT = "2025-01-01T00:00:00Z"


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal but for `_row`, the row numbers of messages (a CSV's first record is row 2,
    a package file's row 1)."""
    pd.testing.assert_frame_equal(got.drop(columns="_row"), expected.drop(columns="_row"))
    assert (got["_row"] == expected["_row"] - 1).all()


def problems(folder: Path) -> list[str]:
    with pytest.raises(StudyError) as info:
        validate(folder)
    return [str(p) for p in info.value.problems]


def study_in(tmp_path: Path, formats: dict[str, str], tables=None, yaml: str = YAML) -> Path:
    """The small study with the tables named in the formats given, the others as CSV."""
    folder = write_study(tmp_path / "s", yaml)
    for table in formats:
        (folder / f"{table}.csv").unlink()
    return write_tables(folder, formats, tables)


@pytest.fixture(scope="module")
def csv_study(tmp_path_factory):
    return validate(write_study(tmp_path_factory.mktemp("csv") / "s"))


@pytest.mark.parametrize("suffix", FORMATS)
def test_each_format_gives_the_same_study_as_the_csvs(tmp_path, suffix, csv_study):
    folder = study_in(tmp_path, dict.fromkeys(("patients", "tumor_assessments",
                                               "adverse_events"), suffix))
    study, endpoints = validate(folder)
    same(study.patients, csv_study[0].patients)
    same(study.assessments, csv_study[0].assessments)
    same(study.adverse_events, csv_study[0].adverse_events)
    pd.testing.assert_frame_equal(endpoints.patients, csv_study[1].patients)
    assert study.sources["patients"] == f"patients{suffix}"
    assert set(study.input_hashes) == {"study.yaml", f"patients{suffix}",
                                       f"tumor_assessments{suffix}", f"adverse_events{suffix}"}


def test_a_parquet_file_written_by_pyarrow(tmp_path, csv_study):
    """date32 dates, a dictionary-encoded factor, int32 counts, a UTC midnight timestamp."""
    folder = study_in(tmp_path, {})
    (folder / "patients.csv").unlink()
    shutil.copy(FIXTURES / "pyarrow" / "patients.parquet", folder)
    study, _ = validate(folder)
    same(study.patients, csv_study[0].patients)


def test_a_parquet_date_time_whose_zone_the_file_does_not_say_is_not_guessed(tmp_path):
    """00:30 in Vienna on 10 January is stored as 23:30 UTC on the 9th, the zone only in
    Arrow's own schema: the day is not certain, so the date column refuses it."""
    folder = study_in(tmp_path, {})
    (folder / "patients.csv").unlink()
    shutil.copy(FIXTURES / "pyarrow" / "zoned.parquet", folder / "patients.parquet")
    assert problems(folder)[0] == (
        "patients.parquet, row 1, column 'treatment_start': a date-time stored as a UTC "
        "instant (23:30 UTC) in a file that does not say its time zone, so its day is not "
        "certain (found '2021-01-09 23:30 UTC'); expected the column saved as dates "
        "(2021-01-09 if the day in UTC is meant): in R as.Date(), in pandas .dt.date, in "
        "Parquet the date32 type")


def test_a_parquet_date_time_with_its_zone_in_pandas_metadata_counts_as_its_local_date(
        tmp_path):
    frame = pd.DataFrame({"t": pd.to_datetime(["2021-01-10 00:30", None]).tz_localize(
        "Europe/Vienna"), "u": pd.to_datetime(["2021-01-10 23:30", None])})
    frame.to_parquet(tmp_path / "t.parquet", engine="fastparquet", index=False)
    table, _ = read_package_file(tmp_path / "t.parquet", "x")
    assert table.frame.to_dict("list") == {"t": ["2021-01-10", ""], "u": ["2021-01-10", ""]}


def test_spss_value_labels_print_as_labels_and_user_missing_codes_are_blank(tmp_path):
    rows = rows_of("patients")
    rows[2][2] = "99"  # A2's treatment_end: a numeric code, declared missing below
    path = tmp_path / "patients.sav"
    frame = pd.DataFrame({
        "patient_id": ["A1", "A2"], "sex": [1.0, 9.0], "ecog": [0.0, 1.0],
        "start": [dt.date(2021, 1, 10), dt.date(2021, 2, 1)],
        "stamp": [dt.datetime(2021, 1, 10, 23, 59), None], "cycles": [5.0, 99.0],
        "reason": ["toxicity", "n/a"]})
    import pyreadstat

    pyreadstat.write_sav(frame, path, variable_value_labels={
        "sex": {1: "Male", 2: "Female", 9: "Not recorded"}, "ecog": {0: "0", 1: "1"}},
        missing_ranges={"sex": [9], "cycles": [{"lo": 90, "hi": 99}], "reason": ["n/a"]},
        variable_format={"start": "ADATE10", "stamp": "DATETIME20"})
    table, found = read_package_file(path, "patients")
    assert found == []
    assert table.frame.to_dict("list") == {
        "patient_id": ["A1", "A2"], "sex": ["Male", ""], "ecog": ["0", "1"],
        "start": ["2021-01-10", "2021-02-01"], "stamp": ["2021-01-10", ""],
        "cycles": ["5", ""], "reason": ["toxicity", ""]}
    assert table.rows.tolist() == [1, 2]


def test_stata_value_labels_and_missing_codes(tmp_path):
    import pyreadstat

    path = tmp_path / "patients.dta"
    frame = pd.DataFrame({"patient_id": ["A1", "A2", "A3"], "sex": [1.0, 2.0, None],
                          "age": [61.0, 54.5, None]})
    pyreadstat.write_dta(frame, path, variable_value_labels={"sex": {1: "Male", 2: "Female"}})
    table, _ = read_package_file(path, "patients")
    assert table.frame.to_dict("list") == {"patient_id": ["A1", "A2", "A3"],
                                           "sex": ["Male", "Female", ""],
                                           "age": ["61", "54.5", ""]}


def test_stata_extended_missing_values_a_to_z_are_blank():
    """missing_test.dta (pyreadstat's test data, written by Stata): .a .b .c .x .y .z ."""
    table, _ = read_package_file(FIXTURES / "sas" / "missing_test.dta", "patients")
    assert table.frame.iloc[0].tolist() == [""] * 8 + ["1"]


def test_sas_special_missing_values_are_blank_and_dates_are_dates():
    """Files written by SAS (pyreadstat's test data): .A .B .C .X .Y .Z ._ and ., then 1;
    DATE, DATETIME and TIME formats."""
    table, _ = read_package_file(FIXTURES / "sas" / "missing_test.sas7bdat", "x")
    assert table.frame.iloc[0].tolist() == [""] * 8 + ["1"]
    table, _ = read_package_file(FIXTURES / "sas" / "dates.sas7bdat", "x")
    assert table.frame.iloc[0].tolist() == ["2061-04-15", "2061-04-15", "07:38:33"]


def test_a_sas_format_catalog_beside_the_data_set_gives_the_labels(tmp_path):
    for name in ("test_data_linux.sas7bdat", "test_data_linux.sas7bcat"):
        shutil.copy(FIXTURES / "sas" / name, tmp_path)
    table, _ = read_package_file(tmp_path / "test_data_linux.sas7bdat", "x")
    assert table.frame.to_dict("list") == {"ID": ["ID1", "ID2", "ID3"],
                                           "SEXA": ["Male", "Female", "Male"],
                                           "SEXB": ["Male", "Female", "Male"]}


def test_sas_transport_dates_and_date_times_in_the_usual_formats(tmp_path):
    import pyreadstat

    frame = pd.DataFrame({"a": [dt.date(2021, 1, 2)] * 3, "dtm": [dt.datetime(2021, 1, 2, 23)] * 3,
                          "n": [1.0, 2.5, float("nan")]})
    formats = ("DATE9.", "E8601DA.", "YYMMDD10.")
    for fmt in formats:
        path = tmp_path / f"t{fmt[:3]}.xpt"
        pyreadstat.write_xport(frame, path, variable_format={"a": fmt, "dtm": "E8601DT."})
        table, _ = read_package_file(path, "x")
        assert table.frame.to_dict("list") == {"a": ["2021-01-02"] * 3,
                                               "dtm": ["2021-01-02"] * 3,
                                               "n": ["1", "2.5", ""]}


def test_a_transport_file_whose_text_is_not_utf8_is_read_as_sas_on_windows_writes_it(
        tmp_path):
    import pyreadstat

    path = tmp_path / "adverse_events.xpt"
    pyreadstat.write_xport(pd.DataFrame({"term": ["Fièvre"], "grade": [1.0]}), path)
    path.write_bytes(path.read_bytes().replace("Fièvre".encode(), "Fièvre ".encode("cp1252")))
    table, found = read_package_file(path, "adverse_events")
    assert found == [] and table.frame["term"].tolist() == ["Fièvre"]


def test_r_data_frames_written_by_r(tmp_path):
    table, _ = read_package_file(FIXTURES / "reference_rds" / "patients.rds", "patients")
    first = table.frame.iloc[0]
    assert (first["treatment_start"], first["sex"], first["cycles"], first["met_liver"]) == (
        "2019-04-18", "Male", "8", "yes")


def test_numbers_keep_every_digit_and_whole_numbers_are_integers(tmp_path):
    import pyreadstat

    values = [0.1, 3.0, 1e-20, 2 / 3, -0.0, 2.0**60, float("nan")]
    pyreadstat.write_sav(pd.DataFrame({"x": values}), tmp_path / "t.sav")
    table, _ = read_package_file(tmp_path / "t.sav", "x")
    assert table.frame["x"].tolist() == ["0.1", "3", "1e-20", "0.6666666666666666", "0",
                                         "1.152921504606847e+18", ""]
    assert [float(t) for t in table.frame["x"][:-1]] == values[:-1]


def test_a_table_in_two_formats_is_refused_naming_both(tmp_path):
    folder = study_in(tmp_path, {"patients": ".sav"})
    write_table(rows_of("patients"), folder / "patients.dta")
    assert problems(folder) == [
        "patients.dta: the table 'patients' is in 2 files: patients.sav and patients.dta; "
        "expected one file per table: move or delete the ones that are not your data"]
    (folder / "patients.dta").unlink()
    write_workbook(folder / "data.xlsx")
    found = problems(folder)
    assert "data.xlsx (its sheet 'patients') and patients.sav" in found[0]
    assert len(found) == 3  # the workbook is a file of every table


def test_mixed_formats_build_one_study(tmp_path, csv_study):
    folder = study_in(tmp_path, {"patients": ".sav", "tumor_assessments": ".parquet"})
    study, _ = validate(folder)
    same(study.patients, csv_study[0].patients)
    assert study.sources == {"patients": "patients.sav",
                             "tumor_assessments": "tumor_assessments.parquet",
                             "adverse_events": "adverse_events.csv"}


def test_upper_case_suffixes_as_sas_on_windows_writes_them(tmp_path, csv_study):
    folder = study_in(tmp_path, {"patients": ".xpt"})
    (folder / "patients.xpt").rename(folder / "patients.XPT")
    study, _ = validate(folder)
    assert study.sources["patients"] == "patients.XPT"


def test_bad_cells_are_named_by_file_record_column_and_value(tmp_path):
    rows = rows_of("adverse_events")
    rows[2][2] = "7"  # record 2's grade
    folder = study_in(tmp_path, {"adverse_events": ".sav"}, {"adverse_events": rows})
    assert problems(folder) == [
        "adverse_events.sav, row 2, column 'grade': out of range (found '7'); expected a "
        "whole number from 1 to 5"]


def test_columns_mapping_and_missing_values_apply_to_package_files(tmp_path):
    rows = rows_of("patients")
    rows[0][0] = "SUBJID"
    rows[2][8] = "NA"  # A2's sex, as text
    yaml = (YAML.replace("[Male, Female]", "[Male, Female]") + "missing_values: [NA]\n"
            "columns: {patients: {patient_id: SUBJID}}\n")
    import pyreadstat

    folder = study_in(tmp_path, {}, yaml=yaml)
    (folder / "patients.csv").unlink()
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    frame["treatment_start"] = [dt.date.fromisoformat(v) for v in frame["treatment_start"]]
    pyreadstat.write_dta(frame, folder / "patients.dta")
    study, _ = validate(folder)
    assert study.patients["sex"].tolist() == ["Male", "", "Male", "Female"]
    assert study.sources["patients"] == "patients.dta"


def test_a_file_that_is_not_what_its_name_says_is_refused(tmp_path):
    folder = study_in(tmp_path, {})
    (folder / "patients.csv").unlink()
    (folder / "patients.sav").write_text("patient_id,treatment_start\nA1,2021-01-01\n")
    (only,) = problems(folder)
    assert only.startswith("patients.sav: cannot be read as an SPSS data file (")
    assert only.endswith("expected the file saved again from SPSS (File > Save As > SPSS "
                         "Statistics .sav)")


def test_an_r_file_holding_several_data_frames_names_them(tmp_path):
    import pyreadr

    path = tmp_path / "patients.rda"
    pyreadr.write_rdata(path, pd.DataFrame({"x": [1.0]}), df_name="first")
    table, found = read_package_file(path, "patients")
    assert table is not None and found == []  # one data frame: whatever its name
    # written by R: x <- data.frame(a=1); y <- data.frame(b=2); save(x, y, file="two.rda")
    table, found = read_package_file(FIXTURES / "two.rda", "patients")
    assert [str(p) for p in found] == [
        "two.rda: holds 2 data frames and none is named 'patients' (found ['x', 'y']); "
        "expected one data frame, or one named patients"]


def test_a_csv_study_never_imports_the_package_readers():
    code = ("import sys; from nps_report.pipeline import validate; "
            f"validate({str(REFERENCE_STUDY)!r}); "
            "print([m for m in ('pyreadstat', 'pyreadr', 'pyarrow', 'fastparquet') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# ---- the reference study in every format ---------------------------------------------

def _results(folder: Path) -> dict:
    """results.json but for the input files' names and hashes (provenance.inputs), and
    the file names the notices give (a notice names the file it is about: 'terms in
    adverse_events.sav ...')."""
    _, results = compute(folder, AT)
    d = json.loads(json.dumps(results.to_dict(), default=str))
    d["provenance"].pop("inputs")
    for cohort in (d.get("cohorts") or {}).values():  # each cohort names the same inputs
        cohort["provenance"].pop("inputs")
    text = json.dumps(d["notices"])
    for table in ("patients", "tumor_assessments", "adverse_events"):
        text = re.sub(rf"\b{table}\.(sav|xpt|dta|parquet|rds)\b", f"{table}.csv", text)
    d["notices"] = json.loads(text)
    return d


@pytest.fixture(scope="module")
def reference_results():
    return _results(REFERENCE_STUDY)


def _reference_as(folder: Path, formats: dict[str, str]) -> Path:
    folder.mkdir()
    shutil.copy(REFERENCE_STUDY / "study.yaml", folder)
    for table in ("patients", "tumor_assessments", "adverse_events"):
        suffix = formats.get(table, ".csv")
        if suffix == ".csv":
            shutil.copy(REFERENCE_STUDY / f"{table}.csv", folder)
        elif suffix == ".rds":  # written by R: fixtures/packages/reference_rds/make.R
            shutil.copy(FIXTURES / "reference_rds" / f"{table}.rds", folder)
        else:
            write_table(csv_rows(REFERENCE_STUDY / f"{table}.csv"), folder / f"{table}{suffix}")
    return folder


@pytest.mark.parametrize("formats", [
    {"patients": ".sav", "tumor_assessments": ".sav", "adverse_events": ".sav"},
    {"patients": ".xpt", "tumor_assessments": ".xpt", "adverse_events": ".xpt"},
    {"patients": ".dta", "tumor_assessments": ".dta", "adverse_events": ".dta"},
    {"patients": ".parquet", "tumor_assessments": ".parquet", "adverse_events": ".parquet"},
    {"patients": ".rds", "tumor_assessments": ".rds", "adverse_events": ".rds"},
    {"patients": ".sav", "tumor_assessments": ".parquet", "adverse_events": ".rds"},
], ids=lambda f: "+".join(dict.fromkeys(f.values())))
def test_the_reference_study_in_each_format_gives_the_same_results(tmp_path, formats,
                                                                   reference_results):
    got = _results(_reference_as(tmp_path / "ref", formats))
    assert got == reference_results


def test_the_cache_and_the_lock_hash_package_files(tmp_path):
    from nps_report.cache import fingerprint
    from nps_report.lock import input_hashes

    folder = study_in(tmp_path, {"patients": ".sav"})
    assert set(input_hashes(folder)) == {"study.yaml", "patients.sav",
                                         "tumor_assessments.csv", "adverse_events.csv"}
    before = fingerprint(folder).data
    rows = rows_of("patients")
    rows[1][3] = "6"
    write_table(rows, folder / "patients.sav")
    assert fingerprint(folder).data != before
    write_table(rows, folder / "patients.dta")  # a second format: refused, but seen first
    assert "patients.dta" in input_hashes(folder)


def test_a_file_holding_more_than_is_read_is_refused_before_its_cells_are(tmp_path,
                                                                         monkeypatch):
    from nps_report.data import packages

    path = write_table(rows_of("patients"), tmp_path / "patients.sav")
    monkeypatch.setattr(packages, "CELLS", 20)  # the header says 4 rows of 9 columns
    assert [str(p) for p in read_package_file(path, "patients")[1]] == [
        "patients.sav: the table has 4 rows of 9 columns, more than nps-report reads "
        "(5,000,000 rows, 200,000 columns, 20 cells); expected only the rows and columns the "
        "study uses"]
    monkeypatch.setattr(packages, "TABLE_BYTES", 100)
    (found,) = read_package_file(path, "patients")[1]
    assert "more than the 0 MB nps-report reads" in str(found)
    monkeypatch.setattr(packages, "TABLE_BYTES", 2000)  # patients.rds: 1.4 kB, 4 kB unpacked
    (found,) = read_package_file(FIXTURES / "reference_rds" / "patients.rds", "patients")[1]
    assert str(found).startswith("patients.rds: the file unpacks to more than the")
