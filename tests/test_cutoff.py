"""last_followup is the last date known alive; what is dated after the cutoff does not count."""

from __future__ import annotations

import pytest

from nps_report.cli import main
from nps_report.derive.endpoints import DAYS_PER_MONTH
from nps_report.errors import StudyError
from nps_report.pipeline import compute, validate

from .studyfiles import YAML, csv_bytes, rows_of, write_study

CUT = YAML.replace("data_cutoff: 2021-12-31", "data_cutoff: 2021-06-01")


def months(days: int) -> float:
    return days / DAYS_PER_MONTH


def study_with(tmp_path, yaml=YAML, **edits):
    """edits: table -> {(row, column name): value} on the base tables."""
    tables = {}
    for table, changes in edits.items():
        rows = rows_of(table)
        for (r, col), value in changes.items():
            if r >= len(rows):
                rows.append([""] * len(rows[0]))
            rows[r][rows[0].index(col)] = value
        tables[table] = csv_bytes(rows)
    return write_study(tmp_path / "s", yaml, **tables)


def endpoints(folder):
    return validate(folder)[1].patients.set_index("patient_id")


def refused(folder) -> list[str]:
    with pytest.raises(StudyError) as info:
        validate(folder)
    return [str(p) for p in info.value.problems]


def test_last_contact_before_death_is_accepted_and_os_runs_to_the_death(tmp_path):
    folder = study_with(tmp_path, patients={(1, "last_followup"): "2021-06-15"})  # A1 dies 09-01
    e = endpoints(folder)
    assert bool(e.loc["A1", "os_event"])
    assert e.loc["A1", "os_months"] == pytest.approx(months(234))  # 01-10 -> 09-01


def test_last_followup_after_death_is_refused(tmp_path):
    folder = study_with(tmp_path, patients={(3, "last_followup"): "2021-06-20"})
    assert refused(folder) == [
        "patients.csv, row 4, column 'last_followup': last_followup after death_date (found "
        "'2021-06-20'); expected the death date or an earlier date (last_followup is the last "
        "date the patient was known alive) (2021-05-20)"]


def test_a_death_after_the_cutoff_is_censored_at_last_contact_or_the_cutoff(tmp_path):
    # A1 dies 09-01, after the 06-01 cutoff; last contact 05-01 (before the cutoff)
    folder = study_with(tmp_path, CUT, patients={(1, "last_followup"): "2021-05-01"})
    e = endpoints(folder)
    assert not e.loc["A1", "os_event"]
    assert e.loc["A1", "os_months"] == pytest.approx(months(111))  # 01-10 -> 05-01
    assert e.loc["A2", "os_months"] == pytest.approx(months(120))  # alive: 02-01 -> cutoff
    assert pd_isna(e.loc["A1", "death_months"])


def pd_isna(value) -> bool:
    return value != value


def test_a_progression_after_the_cutoff_censors_pfs_at_the_last_scan_before_it(tmp_path):
    e = endpoints(study_with(tmp_path, CUT))
    assert not e.loc["A4", "pfs_event"]  # progressed 06-30, after the cutoff
    assert e.loc["A4", "pfs_months"] == pytest.approx(months(46))  # 03-20 -> scan 05-05
    assert e.loc["A4", "bor"] == "SD"
    assert pd_isna(e.loc["A4", "progression_months"])


def test_treatment_ending_after_the_cutoff_is_ongoing_at_the_cutoff(tmp_path):
    e = endpoints(study_with(tmp_path, CUT))
    assert bool(e.loc["A4", "on_treatment"])  # treatment_end 07-01
    assert e.loc["A4", "treatment_months"] == pytest.approx(months(73))  # 03-20 -> cutoff
    assert not e.loc["A1", "on_treatment"]


def test_checks_between_dates_look_only_at_what_counts(tmp_path):
    # A2: death 07-01, scan 07-15 and AE 07-20 after it, last_followup 08-01 after it;
    # all after the 06-01 cutoff, so none of it counts and nothing is contradictory.
    folder = study_with(
        tmp_path, CUT,
        patients={(2, "death_date"): "2021-07-01", (2, "last_followup"): "2021-08-01",
                  (2, "treatment_end"): "2021-07-10"},
        tumor_assessments={(11, "patient_id"): "A2", (11, "assessment_date"): "2021-07-15",
                           (11, "target_sum_mm"): "48", (11, "nontarget"): "none",
                           (11, "new_lesions"): "no"},
        adverse_events={(4, "patient_id"): "A2", (4, "term"): "Rash", (4, "grade"): "2",
                        (4, "onset_date"): "2021-07-20"})
    e = endpoints(folder)
    assert not e.loc["A2", "os_event"]
    assert bool(e.loc["A2", "on_treatment"])
    # the same dates with a later cutoff are contradictions
    later = folder / "study.yaml"
    later.write_text(YAML)
    assert refused(folder) == [
        "patients.csv, row 3, column 'treatment_end': treatment_end after death (found "
        "'2021-07-10'); expected a date on or before death_date (2021-07-01)",
        "patients.csv, row 3, column 'last_followup': last_followup after death_date (found "
        "'2021-08-01'); expected the death date or an earlier date (last_followup is the last "
        "date the patient was known alive) (2021-07-01)",
        "tumor_assessments.csv, row 12, column 'assessment_date': assessment after the "
        "patient's death_date (found '2021-07-15'); expected a date on or before death_date "
        "(2021-07-01)",
        "adverse_events.csv, row 5, column 'onset_date': adverse event onset after the "
        "patient's death_date (found '2021-07-20'); expected a date on or before death_date "
        "(2021-07-01)"]


def test_adverse_events_after_the_cutoff_are_not_counted_and_those_without_onset_are(tmp_path):
    folder = study_with(
        tmp_path, CUT,
        adverse_events={(4, "patient_id"): "A4", (4, "term"): "Rash", (4, "grade"): "3",
                        (4, "onset_date"): "2021-06-02",
                        (5, "patient_id"): "A3", (5, "term"): "Rash", (5, "grade"): "1",
                        (5, "onset_date"): ""})
    _, results = compute(folder, "2025-01-01T00:00:00Z")
    rash = next(r for r in results.safety.all_terms if r.term == "Rash")
    assert (rash.any, rash.grade1, rash.grade3) == (1, 1, 0)
    assert results.safety.n_grade3plus == 1  # A2's hypertension only


def test_the_build_says_what_the_cutoff_left_out(tmp_path, capsys):
    folder = study_with(tmp_path, CUT, patients={(1, "last_followup"): "2021-05-01"})
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == [
        "Note: Data dated after the data cutoff (2021-06-01, study.yaml) were left out:",
        "    progression_date after the cutoff for 1 patient (A4): not counted: "
        "progression-free at the cutoff",
        "    death_date after the cutoff for 1 patient (A1): not counted: alive at the cutoff, "
        "OS censored at last_followup or the cutoff",
        "    treatment_end after the cutoff for 1 patient (A4): counted as still on treatment "
        "at the cutoff",
        "    last_followup after the cutoff for 2 patients: taken as the cutoff",
        "    1 tumour assessment after the cutoff: not used"]
    _, results = compute(folder, "2025-01-01T00:00:00Z")
    (notice,) = results.to_dict()["notices"]
    assert notice["code"] == "data_cutoff_applied"
    assert len(notice["details"]) == 5


def test_duration_of_response_stops_at_the_cutoff(tmp_path):
    # A2 responds (PR at 03-15) and would progress 2021-09-01, after the cutoff
    folder = study_with(
        tmp_path, CUT, patients={(2, "progression_date"): "2021-09-01"},
        tumor_assessments={(11, "patient_id"): "A2", (11, "assessment_date"): "2021-09-01",
                           (11, "target_sum_mm"): "80", (11, "nontarget"): "none",
                           (11, "new_lesions"): "no"})
    e = endpoints(folder)
    assert e.loc["A2", "bor"] == "PR"
    assert not e.loc["A2", "dor_event"]
    assert e.loc["A2", "dor_months"] == pytest.approx(months(98) - months(42))  # 03-15 -> 05-10


def test_a_progression_seen_on_a_scan_before_the_cutoff_but_dated_after_it(tmp_path):
    # A4's scan of 05-05 grows to 60 mm (PD), but progression_date says 06-30 (after cutoff)
    folder = study_with(tmp_path, CUT, tumor_assessments={(9, "target_sum_mm"): "60"})
    assert refused(folder) == [
        "patients.csv, row 5, column 'progression_date': progression_date disagrees with the "
        "tumour assessments (it is after the data cutoff, so it does not count) (found "
        "'2021-06-30'); expected 2021-05-05, the first assessment of patient A4 whose RECIST "
        "1.1 timepoint response is PD (or set validation.progression_must_match_assessments: "
        "false in study.yaml)"]
