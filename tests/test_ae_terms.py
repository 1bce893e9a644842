"""AE terms that differ only in case or white space are one term, and the merge is reported."""

from __future__ import annotations

import json

import pandas as pd

from nps_report.cli import main
from nps_report.data.terms import merge_terms
from nps_report.pipeline import compute

from .studyfiles import csv_bytes, rows_of, write_study


def ae_rows(*events: tuple[str, str, str]) -> list[list[str]]:
    return [rows_of("adverse_events")[0]] + [[p, t, g, ""] for p, t, g in events]


def test_case_and_unicode_spaces_are_one_term_under_the_most_used_spelling(tmp_path):
    rows = ae_rows(("A1", "hypertension", "1"), ("A2", "Hypertension", "2"),
                   ("A3", "HYPERTENSION ", "3"), ("A4", "Hypertension", "1"),
                   ("A1", "Hand-foot\u00a0syndrome", "2"), ("A2", "hand-foot  syndrome", "1"),
                   ("A3", "Hand\u2009-foot syndrome", "1"), ("A4", "Fatigue\u200b", "1"))
    folder = write_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    _, results = compute(folder, "2025-01-01T00:00:00Z")
    got = {r.term: (r.any, r.grade1, r.grade2, r.grade3) for r in results.safety.all_terms}
    assert got == {"Hypertension": (4, 2, 1, 1), "Hand-foot syndrome": (2, 1, 1, 0),
                   "Hand -foot syndrome": (1, 1, 0, 0), "Fatigue": (1, 1, 0, 0)}
    notice, unchecked = results.notices  # (the events have no onset_date: said last)
    assert (notice.code, unchecked.code) == ("ae_terms_merged", "ae_without_onset")
    assert notice.details == (
        "'hypertension' (1 row), 'HYPERTENSION' (1 row) -> 'Hypertension'",
        "'Hand-foot\\xa0syndrome' (1 row), 'hand-foot  syndrome' (1 row) -> "
        "'Hand-foot syndrome'",
        "'Hand\\u2009-foot syndrome' (1 row) -> 'Hand -foot syndrome'",
        "'Fatigue\\u200b' (1 row) -> 'Fatigue'")
    listed = json.loads(json.dumps(results.to_dict()))["notices"][0]
    assert listed["message"] == ("Adverse-event terms in adverse_events.csv that differ only "
                                 "in letter case or spacing were counted as one term, under "
                                 "the spelling used most often:")


def test_a_tie_goes_to_the_spelling_seen_first():
    terms = pd.Series(["nausea", "Nausea", "NAUSEA", "Nausea", "nausea"])
    merged, notice = merge_terms(terms, "adverse_events.csv")
    assert merged.tolist() == ["nausea"] * 5
    assert notice.details == ("'Nausea' (2 rows), 'NAUSEA' (1 row) -> 'nausea'",)


def test_a_patient_counts_once_per_merged_term_at_the_worst_grade(tmp_path):
    rows = ae_rows(("A1", "Diarrhoea", "1"), ("A1", "diarrhoea", "3"), ("A1", "DIARRHOEA", "2"))
    _, results = compute(write_study(tmp_path / "s", adverse_events=csv_bytes(rows)),
                         "2025-01-01T00:00:00Z")
    (row,) = results.safety.all_terms
    assert (row.term, row.any, row.grade1, row.grade2, row.grade3) == ("Diarrhoea", 1, 0, 0, 1)


def test_terms_spelled_one_way_give_no_notice(tmp_path):
    _, results = compute(write_study(tmp_path / "s"), "2025-01-01T00:00:00Z")
    assert results.notices == ()
    assert results.to_dict()["notices"] == []


def test_the_merge_is_printed_in_the_build_output(tmp_path, capsys):
    rows = ae_rows(("A1", "Fatigue", "1"), ("A2", "fatigue", "1"), ("A3", "Fatigue", "2"))
    folder = write_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert ("Note: Adverse-event terms in adverse_events.csv that differ only in letter case or "
            "spacing were counted as one term, under the spelling used most often:\n"
            "    'fatigue' (1 row) -> 'Fatigue'") in out
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["notices"][0]["details"] == ["'fatigue' (1 row) -> 'Fatigue'"]
