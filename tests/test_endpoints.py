"""PFS, OS and exposure derivations follow the study contract, including the data cutoff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nps_report.derive.endpoints import DAYS_PER_MONTH
from nps_report.errors import StudyError
from nps_report.pipeline import validate

SMALL = Path(__file__).parent / "studies" / "small"


def endpoints(folder: Path):
    return validate(folder)[1].patients.set_index("patient_id")


def months(days: int) -> float:
    return days / DAYS_PER_MONTH


def edit(tmp_path: Path, name: str, old: str, new: str) -> Path:
    study = tmp_path / "s"
    if not study.exists():
        shutil.copytree(SMALL, study)
    text = (study / name).read_text()
    assert old in text
    (study / name).write_text(text.replace(old, new))
    return study


def test_pfs_is_the_earlier_of_progression_and_death():
    e = endpoints(SMALL)
    assert e.loc["A1", "pfs_months"] == pytest.approx(months(95))  # 2021-01-10 -> 04-15
    assert e.loc["A3", "pfs_months"] == pytest.approx(months(76))  # death 2021-05-20
    assert bool(e.loc["A1", "pfs_event"]) and bool(e.loc["A3", "pfs_event"])


def test_pfs_censored_at_the_last_scan_after_baseline():
    e = endpoints(SMALL)
    assert not e.loc["A2", "pfs_event"]
    assert e.loc["A2", "pfs_months"] == pytest.approx(months(98))  # 2021-02-01 -> 05-10


def test_pfs_censored_at_start_without_any_post_baseline_scan(tmp_path):
    study = edit(tmp_path, "tumor_assessments.csv", "A2,2021-03-15,50,none,no\n"
                 "A2,2021-05-10,48,none,no\n", "")
    e = endpoints(study)
    assert e.loc["A2", "pfs_months"] == 0.0
    assert not e.loc["A2", "pfs_event"]
    assert e.loc["A2", "bor"] == "NE"


def test_os_censored_at_last_followup():
    e = endpoints(SMALL)
    assert not e.loc["A4", "os_event"]
    assert e.loc["A4", "os_months"] == pytest.approx(months(255))  # 03-20 -> 11-30


def test_events_after_the_cutoff_are_ignored_and_followup_is_capped(tmp_path):
    study = edit(tmp_path, "study.yaml", "data_cutoff: 2021-12-31", "data_cutoff: 2021-06-01")
    e = endpoints(study)
    # A1 progressed 04-15 (kept) and died 09-01 (after cutoff: alive at cutoff)
    assert bool(e.loc["A1", "pfs_event"]) and not e.loc["A1", "os_event"]
    assert e.loc["A1", "os_months"] == pytest.approx(months(142))  # 01-10 -> 06-01
    # A4 progressed 06-30 after the cutoff: censored at its last scan before it (05-05)
    assert not e.loc["A4", "pfs_event"]
    assert e.loc["A4", "pfs_months"] == pytest.approx(months(46))
    assert e.loc["A4", "bor"] == "SD"


def test_treatment_ongoing_at_cutoff_when_no_end_date_and_alive():
    e = endpoints(SMALL)
    assert bool(e.loc["A2", "on_treatment"])
    assert not e.loc["A1", "on_treatment"]


def test_best_change_uses_scans_up_to_the_first_pd():
    e = endpoints(SMALL)
    assert e.loc["A1", "best_pct_change"] == pytest.approx(-10.0)
    assert e.loc["A2", "best_pct_change"] == pytest.approx(-40.0)
    assert e.loc["A2", "first_response_months"] == pytest.approx(months(42))


def test_progression_and_death_on_the_same_day_is_one_event(tmp_path):
    study = edit(tmp_path, "patients.csv", "2021-04-15,2021-09-01,2021-09-01",
                 "2021-04-15,2021-04-15,2021-04-15")
    study = edit(tmp_path, "patients.csv", "A1,2021-01-10,2021-04-20",
                 "A1,2021-01-10,2021-04-15")
    e = endpoints(study)
    assert e.loc["A1", "pfs_months"] == e.loc["A1", "os_months"] == pytest.approx(months(95))


def test_non_measurable_patients_are_flagged_and_have_no_waterfall_value(tmp_path):
    study = edit(tmp_path, "tumor_assessments.csv", "A4,2021-03-18,40,", "A4,2021-03-18,,")
    study = edit(tmp_path, "tumor_assessments.csv", "A4,2021-05-05,38,", "A4,2021-05-05,,")
    study = edit(tmp_path, "tumor_assessments.csv", "A4,2021-06-30,38,", "A4,2021-06-30,,")
    s, e = validate(study)
    p = e.patients.set_index("patient_id")
    assert p["measurable"].tolist() == [True, True, True, False]
    assert p.loc["A4", "bor"] == "SD"  # non-CR/non-PD at day 46, then a new lesion (PD)
    assert p.loc["A4", "best_pct_change"] != p.loc["A4", "best_pct_change"]  # NaN
    assert bool(p.loc["A4", "has_post_baseline_scan"])
    from nps_report.analysis.analyse import analyse

    r = analyse(s, e, built_at="x", generator_version="t")
    assert r.efficacy.n_non_measurable == 1
    assert r.patients.measurable == (True, True, True, False)
    assert r.to_dict()["efficacy"]["n_non_measurable"] == 1


def test_a_patient_without_a_baseline_scan_has_measurable_none(tmp_path):
    study = edit(tmp_path, "tumor_assessments.csv", "A3,2021-03-01,30,non-CR/non-PD,no\n", "")
    p = endpoints(study)
    assert p.loc["A3", "measurable"] is None


def test_a_target_sum_after_a_baseline_without_targets_is_refused(tmp_path):
    study = edit(tmp_path, "tumor_assessments.csv", "A4,2021-03-18,40,", "A4,2021-03-18,,")
    with pytest.raises(StudyError) as info:
        validate(study)
    assert [str(p) for p in info.value.problems] == [
        "tumor_assessments.csv, row 10, column 'target_sum_mm': a target lesion sum, but the "
        "patient's baseline scan had no target lesions (found 38.0); expected blank for "
        "disease without target lesions (judged on non-target and new lesions); a lesion "
        "first seen after baseline is a new lesion (new_lesions: yes); or the baseline scan's "
        "target_sum_mm, if it was left out",
        "tumor_assessments.csv, row 11, column 'target_sum_mm': a target lesion sum, but the "
        "patient's baseline scan had no target lesions (found 38.0); expected blank for "
        "disease without target lesions (judged on non-target and new lesions); a lesion "
        "first seen after baseline is a new lesion (new_lesions: yes); or the baseline scan's "
        "target_sum_mm, if it was left out"]
