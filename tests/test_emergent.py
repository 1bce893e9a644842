"""Only treatment-emergent adverse events count, and on the scale study.yaml names.

Onset on the day of treatment_start counts, before it does not; with
safety.window_after_last_dose_days: N, onset on treatment_end + N counts and a day later
does not; a patient still on treatment (blank treatment_end) has no upper limit; an
event without onset_date counts. The build says who and how many.
"""

from __future__ import annotations

import pytest

from nps_report.errors import StudyError
from nps_report.pipeline import compute

from .studyfiles import YAML, rows_of, write_study

BUILT_AT = "2025-01-01T00:00:00Z"
# A1: 2021-01-10 to 2021-04-20; A2: from 2021-02-01, still on treatment


def build(tmp_path, events, yaml=YAML):
    rows = [["patient_id", "term", "grade", "onset_date"], *events]
    folder = write_study(tmp_path / "s", yaml, adverse_events=rows)
    return compute(folder, BUILT_AT)[1]


def terms(results) -> dict[str, int]:
    return {r.term: r.any for r in results.safety.all_terms}


def test_onset_before_the_first_dose_is_not_counted_and_on_its_day_is(tmp_path):
    r = build(tmp_path, [["A1", "Before", "2", "2021-01-09"], ["A1", "On day 1", "3",
                                                               "2021-01-10"]])
    assert terms(r) == {"On day 1": 1}
    assert (r.safety.excluded.before_treatment, r.safety.n_grade3plus) == (1, 1)
    (notice,) = [n for n in r.notices if n.code == "ae_not_treatment_emergent"]
    assert notice.details == ("1 adverse event with onset before treatment_start: A1 (1)",)


WINDOW = YAML + "safety: {window_after_last_dose_days: 30}\n"


@pytest.mark.parametrize(("onset", "counted"), [("2021-05-20", True), ("2021-05-21", False)])
def test_the_window_after_the_last_dose_includes_its_last_day(tmp_path, onset, counted):
    r = build(tmp_path, [["A1", "Late", "1", onset]], WINDOW)
    assert terms(r) == ({"Late": 1} if counted else {})
    assert r.safety.excluded.after_window == (0 if counted else 1)
    assert r.methods.ae_window_days == 30


def test_without_a_window_or_a_last_dose_there_is_no_upper_limit(tmp_path):
    late = [["A1", "Late", "1", "2021-08-30"], ["A2", "Ongoing", "1", "2021-11-30"]]
    assert terms(build(tmp_path / "a", late)) == {"Late": 1, "Ongoing": 1}
    assert terms(build(tmp_path / "b", late, WINDOW)) == {"Ongoing": 1}  # A2: no treatment_end


def test_an_event_without_onset_counts_and_the_build_says_so(tmp_path):
    r = build(tmp_path, [["A1", "Fatigue", "2", ""], ["A2", "Fatigue", "1", ""],
                         ["A2", "Rash", "1", "2021-03-01"]])
    assert terms(r) == {"Fatigue": 2, "Rash": 1}
    assert r.safety.excluded.without_onset == 2
    (notice,) = [n for n in r.notices if n.code == "ae_without_onset"]
    assert notice.message.startswith("2 adverse events counted as treatment-emergent although "
                                     "adverse_events.csv gives no onset_date for them")
    assert notice.details == ("A1 (1), A2 (1)",)


def test_a_file_without_onset_dates_is_said_to_be_unchecked(tmp_path):
    rows = [r[:3] for r in rows_of("adverse_events")]
    r = compute(write_study(tmp_path / "s", adverse_events=rows), BUILT_AT)[1]
    (notice,) = [n for n in r.notices if n.code == "ae_without_onset"]
    assert "has no onset_date column" in notice.message
    assert r.safety.excluded.without_onset == 3


SEVERITY = YAML + "safety: {grading: severity}\n"


def test_severity_is_read_as_words_or_one_to_three_and_reported_by_its_names(tmp_path):
    r = build(tmp_path, [["A1", "Fatigue", "Mild", "2021-02-01"],
                         ["A2", "Fatigue", "severe", "2021-03-01"],
                         ["A1", "Rash", "2", "2021-02-01"]], SEVERITY)
    fatigue = next(row for row in r.safety.all_terms if row.term == "Fatigue")
    assert (fatigue.any, fatigue.mild, fatigue.moderate, fatigue.severe) == (2, 1, 0, 1)
    assert r.safety.n_grade3plus == 1 and r.safety.max_grade == 3
    row = r.to_dict()["safety"]["all_terms"][0]
    assert set(row) == {"term", "any", "mild", "moderate", "severe", "pct_any"}
    assert r.methods.ae_grading == "severity"


def test_a_grade_beyond_the_severity_scale_is_refused(tmp_path):
    with pytest.raises(StudyError) as err:
        build(tmp_path, [["A1", "Fatigue", "4", "2021-02-01"]], SEVERITY)
    (problem,) = err.value.problems
    assert str(problem) == (
        "adverse_events.csv, row 2, column 'grade': not a severity (found '4'); expected mild, "
        "moderate or severe (or 1-3), as study.yaml has safety.grading: severity")


def test_severity_words_under_ctcae_grading_say_which_key_to_set(tmp_path):
    with pytest.raises(StudyError) as err:
        build(tmp_path, [["A1", "Fatigue", "moderate", "2021-02-01"]])
    assert "safety.grading: severity in study.yaml" in str(err.value)
