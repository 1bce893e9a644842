"""AE terms that differ only in case or white space are one term, printed as CTCAE prints it;
a term that is not a CTCAE v5.0 term is reported with the nearest CTCAE terms, and
safety.term_map renames it (issue 25). The merge, the renaming and the check are reported."""

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
    notice = next(n for n in results.notices if n.code == "ae_terms_merged")
    assert any(n.code == "ae_without_onset" for n in results.notices)  # no onset_date given
    assert notice.details == (
        "'hypertension' (1 row), 'HYPERTENSION' (1 row) -> 'Hypertension'",
        "'Hand-foot\\xa0syndrome' (1 row), 'hand-foot  syndrome' (1 row) -> "
        "'Hand-foot syndrome'",
        "'Hand\\u2009-foot syndrome' (1 row) -> 'Hand -foot syndrome'",
        "'Fatigue\\u200b' (1 row) -> 'Fatigue'")
    listed = json.loads(json.dumps(results.to_dict()))["notices"][0]
    assert listed["message"] == ("Adverse-event terms in adverse_events.csv that differ only "
                                 "in letter case or spacing were counted as one term, printed "
                                 "in CTCAE's spelling where the term is a CTCAE term, else as "
                                 "spelled most often:")
    (other,) = [n for n in results.notices if n.code == "ae_terms_not_ctcae"]
    assert [d.split(";")[0] for d in other.details] == ["'Hand-foot syndrome'",
                                                         "'Hand -foot syndrome'"]


def test_a_ctcae_term_prints_in_ctcaes_spelling_whichever_is_used_most():
    terms = pd.Series(["anemia", "Anemia", "ANEMIA", "anemia", "proteinuria", "PROTEINURIA "])
    merged, notice = merge_terms(terms, "adverse_events.csv")
    assert merged.tolist() == ["Anemia"] * 4 + ["Proteinuria"] * 2
    assert notice.details == ("'anemia' (2 rows), 'ANEMIA' (1 row) -> 'Anemia'",
                              "'proteinuria' (1 row), 'PROTEINURIA ' (1 row) -> 'Proteinuria'")


def test_another_term_prints_in_sentence_case_and_is_never_renamed():
    terms = pd.Series(["hand-Foot syndrome", "hand-Foot syndrome", "Hand-foot syndrome",
                       "ALT increased", "alt increased", "nasal BLEEDING"])
    merged, _ = merge_terms(terms, "adverse_events.csv")
    # the sentence-case spelling over the most used one; capitals of a word in capitals kept;
    # 'ALT increased' is not renamed 'Alanine aminotransferase increased'
    assert merged.tolist() == ["Hand-foot syndrome"] * 3 + ["ALT increased"] * 2 + [
        "Nasal BLEEDING"]


def test_a_tie_goes_to_the_spelling_seen_first():
    terms = pd.Series(["hand-foot syndrome", "Hand-Foot syndrome", "Hand-Foot syndrome",
                       "hand-foot syndrome"])
    merged, notice = merge_terms(terms, "adverse_events.csv")
    assert merged.tolist() == ["Hand-foot syndrome"] * 4  # neither in sentence case: capitalised
    assert notice.details == ("'hand-foot syndrome' (2 rows), 'Hand-Foot syndrome' (2 rows) -> "
                              "'Hand-foot syndrome'",)


def test_a_patient_counts_once_per_merged_term_at_the_worst_grade(tmp_path):
    rows = ae_rows(("A1", "Diarrhoea", "1"), ("A1", "diarrhoea", "3"), ("A1", "DIARRHOEA", "2"))
    _, results = compute(write_study(tmp_path / "s", adverse_events=csv_bytes(rows)),
                         "2025-01-01T00:00:00Z")
    (row,) = results.safety.all_terms
    assert (row.term, row.any, row.grade1, row.grade2, row.grade3) == ("Diarrhoea", 1, 0, 0, 1)
    (other,) = [n for n in results.notices if n.code == "ae_terms_not_ctcae"]
    assert other.details == ("'Diarrhoea'; nearest CTCAE terms: Diarrhea (e.g. safety.term_map: "
                             "{'Diarrhoea': 'Diarrhea'})",)


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
            "spacing were counted as one term, printed in CTCAE's spelling where the term is a "
            "CTCAE term, else as spelled most often:\n    'fatigue' (1 row) -> 'Fatigue'") in out
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["notices"][0]["details"] == ["'fatigue' (1 row) -> 'Fatigue'"]


def test_terms_that_are_not_ctcae_terms_are_reported_with_the_nearest(tmp_path):
    rows = ae_rows(("A1", "Hand-foot syndrome", "2"), ("A2", "Nasal bleeding", "3"),
                   ("A3", "Leukopenia", "1"), ("A4", "Hypertension", "1"),
                   ("A1", "Hypothyroidsm", "1"))
    _, results = compute(write_study(tmp_path / "s", adverse_events=csv_bytes(rows)),
                         "2025-01-01T00:00:00Z")
    (notice,) = [n for n in results.notices if n.code == "ae_terms_not_ctcae"]
    assert "4 adverse-event term(s) in adverse_events.csv are not CTCAE v5.0 terms" in \
        notice.message
    nearest = {d.split("'")[1]: d.split("nearest CTCAE terms: ")[1].split(" (e.g.")[0]
               for d in notice.details}
    assert nearest["Hand-foot syndrome"].startswith("Palmar-plantar erythrodysesthesia syndrome")
    assert nearest["Nasal bleeding"].startswith("Epistaxis")
    assert nearest["Leukopenia"].startswith("White blood cell decreased")
    assert nearest["Hypothyroidsm"].startswith("Hypothyroidism")  # a typing slip


def test_term_map_renames_terms_and_merges_them_with_the_ctcae_term(tmp_path):
    rows = ae_rows(("A1", "Nasal bleeding", "3"), ("A1", "Epistaxis", "1"),
                   ("A2", "hand-foot syndrome", "2"), ("A3", "Fatigue", "1"))
    folder = write_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    with (folder / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write('safety:\n  term_map: {Nasal bleeding: epistaxis, "Hand-foot syndrome": '
                 '"Palmar-plantar erythrodysesthesia syndrome", Nausea: Nausea}\n')
    _, results = compute(folder, "2025-01-01T00:00:00Z")
    got = {r.term: (r.any, r.grade1, r.grade3) for r in results.safety.all_terms}
    assert got == {"Epistaxis": (1, 0, 1), "Fatigue": (1, 1, 0),
                   "Palmar-plantar erythrodysesthesia syndrome": (1, 0, 0)}
    codes = {n.code: n for n in results.notices}
    assert "ae_terms_not_ctcae" not in codes
    assert codes["ae_terms_mapped"].details == (
        "'Nasal bleeding' (1 row) -> 'Epistaxis'",
        "'Hand-foot syndrome' (1 row) -> 'Palmar-plantar erythrodysesthesia syndrome'")
    assert codes["ae_term_map_unused"].details == ("'Nausea'",)


def test_a_study_graded_by_another_ctcae_version_is_not_checked_against_v5(tmp_path):
    rows = ae_rows(("A1", "Nasal bleeding", "3"))
    folder = write_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    with (folder / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write('safety:\n  ctcae_version: "4.03"\n')
    _, results = compute(folder, "2025-01-01T00:00:00Z")
    assert not [n for n in results.notices if n.code == "ae_terms_not_ctcae"]


def test_the_shipped_ctcae_list_is_complete():
    from nps_report.data.ctcae import ctcae_terms

    terms = ctcae_terms()
    assert len(terms) == 837  # CTCAE v5.0 has 837 terms in 26 system organ classes
    assert len({t.soc for t in terms.values()}) == 26
    assert terms["anemia"].meddra_code == "10002272"
    assert terms["palmar plantar erythrodysesthesia syndrome"].soc == \
        "Skin and subcutaneous tissue disorders"
