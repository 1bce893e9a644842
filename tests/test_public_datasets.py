"""Real public survival data (R survival's lung, veteran, colon) and a registry-style export,
through load -> derive -> analyse, against R to 1e-6.

The study folders and R's numbers are made by tests/reference/contract_studies.R (the
R calls, the mapping of each data set to the contract and the contract's derivation
done independently in R are there); expected values in contract_expected.json.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nps_report.pipeline import compute

from .studyfiles import write_workbook

HERE = Path(__file__).parent
STUDIES = {"lung": HERE / "studies" / "public" / "lung",
           "veteran": HERE / "studies" / "public" / "veteran",
           "colon": HERE / "studies" / "public" / "colon",
           "adam_cutoff": HERE / "studies" / "adam_cutoff"}
EXPECTED = json.loads((HERE / "reference" / "contract_expected.json").read_text())
TOL = 1e-6


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {name: compute(folder, "2025-01-01T00:00:00Z")[1].to_dict()
            for name, folder in STUDIES.items()}


def close(got, want) -> bool:
    return (got is None and want is None) or (
        got is not None and want is not None and abs(got - want) <= TOL)


@pytest.mark.parametrize("name", sorted(STUDIES))
@pytest.mark.parametrize("endpoint", ["pfs", "os"])
def test_kaplan_meier_median_limits_and_landmarks_match_r(results, name, endpoint):
    got, want = results[name]["survival"][endpoint], EXPECTED[name][endpoint]
    assert (got["n"], got["n_events"]) == (want["n"], want["n_events"])
    for key in ("median", "ci_low", "ci_high"):
        assert close(got[key], want[key]), (key, got[key], want[key])
    assert set(got["landmarks"]) == set(want["landmarks"])
    for t, lm in want["landmarks"].items():
        for key in ("estimate", "ci_low", "ci_high"):
            assert close(got["landmarks"][t][key], lm[key]), (t, key)


@pytest.mark.parametrize("name", sorted(STUDIES))
def test_reverse_km_follow_up_matches_r(results, name):
    got, want = results[name]["survival"], EXPECTED[name]["followup"]
    for key in ("median", "ci_low", "ci_high"):
        assert close(got[f"followup_{key}"], want[key]), key


def test_lung_median_os_is_the_310_days_survfit_prints(results):
    assert results["lung"]["survival"]["os"]["median"] == pytest.approx(310 / 30.4375, abs=1e-12)


@pytest.mark.parametrize("name", ["lung", "veteran"])
def test_studies_without_scans_or_adverse_events(results, name):
    r = results[name]
    assert r["efficacy"]["bor_counts"] == {"CR": 0, "PR": 0, "SD": 0, "PD": 0,
                                           "NE": r["n_patients"]}
    assert r["efficacy"]["orr"]["n"] == 0
    assert r["safety"]["n_any"] == 0 and r["safety"]["all_terms"] == []
    assert r["notices"] == []


def test_colon_recurrence_is_progression(results):
    bor = results["colon"]["efficacy"]["bor_counts"]
    assert (bor["PD"], bor["NE"]) == (468, 461)  # recurrences (R: sum(c1$status)) and the rest


def test_registry_export_best_response_and_orr_match_r(results):
    r, want = results["adam_cutoff"], EXPECTED["adam_cutoff"]
    assert r["efficacy"]["bor_counts"] == want["bor_counts"]
    orr = r["efficacy"]["orr"]
    assert orr["n"] == want["orr"]["n"]
    assert close(orr["ci_low"], want["orr"]["ci_low"])
    assert close(orr["ci_high"], want["orr"]["ci_high"])


def test_registry_export_adverse_events_match_r(results):
    got = {row["term"]: {k: row[k] for k in ("any", "grade1", "grade2", "grade3", "grade4",
                                             "grade5")}
           for row in results["adam_cutoff"]["safety"]["all_terms"]}
    assert got == EXPECTED["adam_cutoff"]["adverse_events"]


def test_registry_export_says_what_the_cutoff_and_the_term_merge_did(results):
    notices = {n["code"]: n for n in results["adam_cutoff"]["notices"]}
    deaths = EXPECTED["adam_cutoff"]["n_deaths_after_cutoff"]
    assert any(d.startswith(f"death_date after the cutoff for {deaths} patients (")
               for d in notices["data_cutoff_applied"]["details"])
    assert notices["ae_terms_merged"]["details"] == [
        "'neutropenia' (73 rows), 'NEUTROPENIA' (72 rows) -> 'Neutropenia'"]  # as of the cutoff
    assert EXPECTED["adam_cutoff"]["n_last_contact_before_death"] > 0


def test_the_registry_export_as_a_workbook_gives_the_same_numbers(tmp_path, results):
    """The same tables as typed Excel cells (date cells, number cells) in data.xlsx."""
    import csv

    folder = tmp_path / "xlsx"
    folder.mkdir()
    source = STUDIES["adam_cutoff"]
    (folder / "study.yaml").write_text((source / "study.yaml").read_text())
    sheets = {}
    for table in ("patients", "tumor_assessments", "adverse_events"):
        with (source / f"{table}.csv").open(newline="") as fh:
            rows = list(csv.reader(fh))
        sheets[table] = [rows[0]] + [[_typed(h, v) for h, v in zip(rows[0], r, strict=True)]
                                     for r in rows[1:]]
    write_workbook(folder / "data.xlsx", sheets)
    got = compute(folder, "2025-01-01T00:00:00Z")[1].to_dict()
    for key in ("survival", "efficacy"):
        assert got[key] == results["adam_cutoff"][key]


def _typed(header: str, value: str):
    if value == "":
        return None
    if "date" in header or header in ("treatment_start", "treatment_end", "last_followup"):
        return dt.datetime.fromisoformat(value)
    if header in ("cycles", "age", "grade", "target_sum_mm"):
        return float(value)
    return value
