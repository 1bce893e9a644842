"""Dates: ISO YYYY-MM-DD (with at most a midnight time) is a date; anything else is explained."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nps_report.config.dates import explain_date, parse_date
from nps_report.errors import StudyError
from nps_report.pipeline import validate

from .studyfiles import csv_bytes, rows_of, write_study


@pytest.mark.parametrize("text", ["2021-03-15", "2021-03-15 00:00:00", "2021-03-15T00:00:00",
                                  "2021-03-15 00:00", "2021-03-15T00:00:00.000",
                                  "2021-03-15T00:00:00Z", "2021-3-15"])
def test_iso_dates_and_midnight_date_times_are_dates(text):
    assert parse_date(text) == dt.date(2021, 3, 15)


@pytest.mark.parametrize(("text", "read", "write"), [
    ("15/03/2021", "a date written as day/month/year (15 March 2021)", "YYYY-MM-DD: 2021-03-15"),
    ("03/15/2021", "a date written as month/day/year (15 March 2021)", "YYYY-MM-DD: 2021-03-15"),
    ("03/04/2021", "day and month could be either way round: 3 April 2021 (day/month/year) or "
                   "4 March 2021 (month/day/year)", "YYYY-MM-DD: 2021-04-03 or 2021-03-04"),
    ("04.04.2021", "a date written as day/month/year (4 April 2021)", "YYYY-MM-DD: 2021-04-04"),
    ("15MAR2021", "a date written as day month year with the month's name (15 March 2021, as "
                  "SAS prints dates)", "YYYY-MM-DD: 2021-03-15"),
    ("15-Mar-2021", "a date written as day month year with the month's name (15 March 2021, "
                    "as SAS prints dates)", "YYYY-MM-DD: 2021-03-15"),
    ("March 15, 2021", "a date written as month day, year with the month's name (15 March "
                       "2021, as SAS prints dates)", "YYYY-MM-DD: 2021-03-15"),
    ("2021-03-15 14:30", "a date with a time of day (14:30)", "the date alone: 2021-03-15"),
    ("2021/03/15", "a date written as year/month/day", "YYYY-MM-DD: 2021-03-15"),
    ("20210315", "a date written without separators (YYYYMMDD)", "YYYY-MM-DD: 2021-03-15"),
    ("44270", "a number, not a date: as an Excel date serial number it is 2021-03-15",
     "YYYY-MM-DD (2021-03-15), or the column formatted as dates in Excel before saving"),
    ("15/03/21", "a date with a two-digit year (the century is not certain)",
     "YYYY-MM-DD with the four-digit year"),
    ("2021-02-29", "not a calendar date", "a date as YYYY-MM-DD with a real month and day"),
    ("1021-03-15", "year 1021 is outside 1678-2261 (a typo?)", "a date as YYYY-MM-DD"),
    ("2021", "a year without month and day", "a date as YYYY-MM-DD"),
    ("14:30", "a time of day, not a date", "a date as YYYY-MM-DD"),
    ("soon", "not a date", "a date as YYYY-MM-DD, e.g. 2021-03-15"),
])
def test_other_forms_are_refused_with_how_they_read_and_what_to_write(text, read, write):
    assert parse_date(text) is None
    assert explain_date(text) == (read, write)


def test_date_columns_accept_midnight_times_and_explain_the_rest(tmp_path):
    rows = rows_of("patients")
    rows[1][1] = "2021-01-10 00:00:00"  # as pandas or R write date-times
    rows[2][1] = "2021-02-01T00:00:00"
    rows[3][1] = "05/03/2021"
    rows[4][1] = "20MAR2021"
    study = write_study(tmp_path / "s", patients=csv_bytes(rows))
    with pytest.raises(StudyError) as info:
        validate(study)
    assert [str(p) for p in info.value.problems] == [
        "patients.csv, row 4, column 'treatment_start': day and month could be either way "
        "round: 5 March 2021 (day/month/year) or 3 May 2021 (month/day/year) (found "
        "'05/03/2021'); expected YYYY-MM-DD: 2021-03-05 or 2021-05-03",
        "patients.csv, row 5, column 'treatment_start': a date written as day month year with "
        "the month's name (20 March 2021, as SAS prints dates) (found '20MAR2021'); expected "
        "YYYY-MM-DD: 2021-03-20"]
    rows[3][1], rows[4][1] = "2021-03-05", "2021-03-20"
    s, _ = validate(write_study(tmp_path / "s", patients=csv_bytes(rows)))
    assert s.patients["treatment_start"].tolist() == [pd.Timestamp(d) for d in (
        "2021-01-10", "2021-02-01", "2021-03-05", "2021-03-20")]


def test_a_whole_column_in_another_form_lists_25_and_counts_the_rest(tmp_path):
    rows = [rows_of("adverse_events")[0]]
    rows += [["A1", "Fatigue", "1", f"{d:02d}/01/2021"] for d in range(1, 31)]
    study = write_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    with pytest.raises(StudyError) as info:
        validate(study)
    found = [str(p) for p in info.value.problems]
    assert len(found) == 26
    assert found[-1] == ("adverse_events.csv, column 'onset_date': 5 more rows with dates not "
                         "written as YYYY-MM-DD")
