"""What the adverse-event numbers are: the CTCAE version they were graded by, whether they are
all-cause or treatment-related, and, with an attribution column, a treatment-related table
beside the all-cause one (same layout), its prose and its numbers in every output."""

from __future__ import annotations

import json

import pytest

from nps_report.config import FigureConfig
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.labels import describe
from nps_report.present.reported import reported_numbers
from nps_report.results import Results

from .facts_study import YAML, adverse_events, build_facts, problems, write_facts_study
from .studyfiles import YAML as SMALL_YAML
from .studyfiles import csv_bytes, write_study
from .test_prose import prose

AT = "2025-01-01T00:00:00Z"
RELATED_CSV = [
    "Adverse event,Any grade,Grade 1,Grade 2,Grade 3,Grade 4",
    "Fatigue,2 (50.0),1 (25.0),1 (25.0),0,0",
    "Hypertension,1 (25.0),1 (25.0),0,0,0",
    "Rash,1 (25.0),0,0,1 (25.0),0",
]


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    b = build_facts(tmp_path_factory.mktemp("facts"))
    return b.parsed, b.results, b.out, b.pdf, b.docx


@pytest.fixture(scope="module")
def reference():
    s, results = compute(REFERENCE_STUDY, AT)
    return s, results


# --- CTCAE version ---------------------------------------------------------------------


def test_the_reference_methods_and_table_note_state_the_ctcae_version(reference):
    """Today: 'graded according to the Common Terminology Criteria for Adverse Events (CTCAE);'."""
    s, results = reference
    assert results.methods.ctcae_version == "5.0"
    methods = prose(results, s.config, "methods.md.j2")
    assert ("Adverse events were graded according to the Common Terminology Criteria for "
            "Adverse Events (CTCAE) version 5.0; each patient was counted once per adverse "
            "event term, at the highest grade recorded.") in methods
    notes = prose(results, s.config, "tables/adverse_events.md.j2", "notes")
    assert notes.startswith("Data are n (%). Adverse events were graded according to the "
                            "CTCAE version 5.0; each patient is counted once per term, at the "
                            "highest grade recorded.")


def test_without_a_version_the_methods_and_the_note_ask_for_it(reference):
    s, results = reference
    import dataclasses

    bare = dataclasses.replace(results, methods=dataclasses.replace(results.methods,
                                                                    ctcae_version=None))
    ask = "version [version: state it under safety.ctcae_version in study.yaml]"
    assert ask in prose(bare, s.config, "methods.md.j2")
    assert ask in prose(bare, s.config, "tables/adverse_events.md.j2", "notes")


def test_the_version_is_kept_as_typed_and_a_name_with_it_is_refused(tmp_path):
    study = write_study(tmp_path / "a", SMALL_YAML + "safety: {ctcae_version: 4.03}\n")
    _, results = compute(study, AT)
    assert results.methods.ctcae_version == "4.03"
    study = write_study(tmp_path / "b", SMALL_YAML + "safety: {ctcae_version: CTCAE v5}\n")
    assert problems(study) == [
        "study.yaml, line 9, key 'safety.ctcae_version': invalid value (found 'CTCAE v5'); "
        "expected the version number alone, e.g. \"5.0\": write \"5\""]


# --- all-cause or treatment-related ------------------------------------------------------


def test_the_reference_says_it_cannot_tell_all_cause_from_treatment_related(reference):
    """Today nothing says which the events are; the reference's source does not say either."""
    s, results = reference
    assert results.safety.attribution is None and results.safety.related is None
    ask = ("[All-cause or treatment-related adverse events? State it under safety.events in "
           "study.yaml]")
    assert ask in prose(results, s.config, "methods.md.j2")
    assert ask in prose(results, s.config, "tables/adverse_events.md.j2", "notes")
    assert prose(results, s.config, "tables/adverse_events.md.j2", "title").startswith(
        "Adverse events by highest grade")


@pytest.mark.parametrize("events, title, methods, note", [
    ("all-cause", "All-cause adverse events by highest grade (4 patients)",
     "All adverse events were recorded, whatever their attribution to drug Y (all-cause).",
     "All adverse events are included, whatever their attribution to drug Y (all-cause)."),
    ("treatment-related", "Treatment-related adverse events by highest grade (4 patients)",
     "Only adverse events considered related to drug Y were recorded (treatment-related).",
     "Only adverse events considered related to drug Y were recorded (treatment-related)."),
])
def test_safety_events_says_what_the_file_holds(tmp_path, events, title, methods, note):
    study = write_study(tmp_path / "s", SMALL_YAML + f"safety: {{events: {events}}}\n")
    s, results = compute(study, AT)
    assert results.safety.attribution == events
    assert prose(results, s.config, "tables/adverse_events.md.j2", "title") == title
    assert methods in prose(results, s.config, "methods.md.j2")
    assert note in prose(results, s.config, "tables/adverse_events.md.j2", "notes")
    said = prose(results, s.config)
    if events == "treatment-related":
        assert "Two patients (50.0%) had at least one treatment-related adverse event of any " \
               "grade" in said
    else:
        assert "Two patients (50.0%) had at least one adverse event of any grade" in said


# --- the attribution column ----------------------------------------------------------------


def test_related_events_are_tallied_by_highest_related_grade(facts):
    _, results, _, _, _ = facts
    related = results.safety.related
    assert results.safety.attribution == "all-cause"
    assert (related.N, related.n_any, related.n_grade3plus, related.max_grade) == (4, 3, 1, 3)
    # A2's hypertension was grade 3 (unlikely related) and grade 1 (related): grade 1 here
    assert [(r.term, r.any, r.grade1, r.grade2, r.grade3) for r in related.all_terms] == [
        ("Fatigue", 2, 1, 1, 0), ("Hypertension", 1, 1, 0, 0), ("Rash", 1, 0, 0, 1)]
    assert next(r for r in results.safety.all_terms if r.term == "Hypertension").grade3 == 1
    assert related.related_values == ("related", "probably related", "possibly related")
    assert (related.column, related.n_unattributed) == ("relatedness", 0)


def test_the_treatment_related_table_has_the_all_cause_layout(facts):
    _, _, out, _, _ = facts
    related = (out / "tables" / "related_adverse_events.csv").read_text().splitlines()
    assert related == RELATED_CSV
    assert (out / "tables" / "adverse_events.csv").read_text().splitlines()[0] == \
        RELATED_CSV[0]


def test_both_tables_say_what_they_count_in_pdf_and_docx(facts):
    _, _, _, pdf, word = facts
    for text in (pdf, word):
        assert "Table 4. All-cause adverse events by highest grade (4 patients)" in text
        assert "All adverse events are included, whatever their attribution to drug Y " \
               "(all-cause)." in text
        assert "Table 5. Treatment-related adverse events by highest grade (4 patients)" in text
        assert ("Data are n (%). Treatment-related: events whose attribution to drug Y was "
                "recorded as “related”, “probably related” or “possibly related”. Adverse "
                "events were graded according to the CTCAE version 5.0; each patient is counted "
                "once per term, at the highest grade recorded.") in text
        assert ("All adverse events were recorded, whatever their attribution to drug Y "
                "(all-cause); those whose attribution was recorded as “related”, “probably "
                "related” or “possibly related” were counted as treatment-related.") in text
        assert ("Treatment-related adverse events occurred in 3 patients (75.0%), of grade 3 or "
                "higher in 1 (25.0%) (Table 5). The most common treatment-related adverse "
                "events were fatigue (n = 2, 50.0%), hypertension (n = 1, 25.0%) and rash "
                "(n = 1, 25.0%); of grade 3 or higher, rash (n = 1, 25.0%).") in text


def test_results_json_holds_the_related_tally_and_reads_back(facts):
    _, results, out, _, _ = facts
    data = json.loads((out / "results.json").read_text())
    related = data["safety"]["related"]
    assert (related["n_any"], related["n_grade3plus"], related["related_values"]) == (
        3, 1, ["related", "probably related", "possibly related"])
    assert related["all_terms"][2] == {"term": "Rash", "any": 1, "grade1": 0, "grade2": 0,
                                       "grade3": 1, "grade4": 0, "grade5": 0, "pct_any": 0.25,
                                       "grade3plus": 1}
    assert data["safety"]["attribution"] == "all-cause"
    assert data["methods"]["ctcae_version"] == "5.0"
    assert Results.from_dict(data).safety.related == results.safety.related


def test_related_numbers_are_reported_apart_from_the_all_cause_ones(facts):
    _, results, _, _, _ = facts
    got = reported_numbers(results, CATALOGUE, FigureConfig())
    assert (got["safety.related.all_terms[Fatigue].any"].section,
            got["safety.related.all_terms[Fatigue].any"].value) == (
        "Treatment-related adverse events", "2 (50.0)")
    assert got["safety.all_terms[Fatigue].any"].section == "Adverse events"
    n_any = got["safety.related.n_any"]
    assert (n_any.label, n_any.value) == (
        "Patients with any treatment-related adverse event, n (%)", "3 (75.0)")
    assert describe(results, "safety.related.all_terms[Rash].grade3plus:pct_of") == \
        "Treatment-related adverse events, Rash, grade ≥3: %"


def test_an_unknown_attribution_is_refused_with_the_nearest_value(tmp_path):
    rows = adverse_events()
    rows[1][4] = "posibly related"
    rows[3][4] = ""
    study = write_facts_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    assert problems(study) == [
        "adverse_events.csv, row 2, column 'relatedness': unknown attribution (found "
        "'posibly related'); expected one of 'related', 'definitely related', 'definite', "
        "'probably related', 'probable', 'possibly related', 'possible', 'yes', 'unrelated', "
        "'not related', 'unlikely related', 'unlikely', 'no' (did you mean 'possibly "
        "related'?); or list it under safety.related_values or safety.unrelated_values in "
        "study.yaml",
        "adverse_events.csv, row 4, column 'relatedness': missing value (found ''); expected "
        "the event's attribution to the drug; or set safety.attribution_missing: related in "
        "study.yaml to count events without one as treatment-related (or unrelated)"]


def test_events_without_attribution_count_as_study_yaml_says_and_the_text_says_so(tmp_path):
    rows = adverse_events()
    rows[3][4] = ""  # A2's grade 1 hypertension
    yaml = YAML.replace("attribution_column: relatedness",
                        "attribution_column: relatedness\n  attribution_missing: related")
    study = write_facts_study(tmp_path / "s", yaml, adverse_events=csv_bytes(rows))
    s, results = compute(study, AT)
    related = results.safety.related
    assert (related.n_unattributed, related.unattributed_as, related.n_any) == (1, "related", 3)
    assert ", as were the 1 event without a recorded attribution." in prose(
        results, s.config, "methods.md.j2")
    notice = next(n for n in s.notices if n.code == "ae_attribution")
    assert str(notice) == (
        "Adverse events in adverse_events.csv were counted as treatment-related or not by the "
        "column 'relatedness':\n"
        "    treatment-related: 'Possibly related' (1 row), 'possibly  related' (1 row), "
        "'probably related' (1 row)\n"
        "    not treatment-related: 'Unrelated' (1 row), 'unlikely related' (1 row)\n"
        "    no attribution, counted as related: 1 row")


def test_study_yaml_lists_replace_the_default_convention(tmp_path):
    """A plan that counts 'unlikely related' as related: the default lists give way."""
    yaml = YAML.replace("attribution_column: relatedness", "attribution_column: relatedness\n"
                        "  related_values: [related, probably related, possibly related, "
                        "unlikely related]")
    study = write_facts_study(tmp_path / "s", yaml)
    _, results = compute(study, AT)
    related = results.safety.related
    assert (related.n_any, related.n_grade3plus) == (3, 2)  # A2's grade 3 now counts
    assert related.related_values[-1] == "unlikely related"


def test_inconsistent_attribution_keys_are_refused_at_their_lines(tmp_path):
    yaml = YAML.replace("attribution_column: relatedness", "attribution_column: relatedness\n"
                        "  events: treatment-related\n  related_values: [related]\n"
                        "  unrelated_values: [unrelated, Related]")
    study = write_facts_study(tmp_path / "s", yaml)
    assert problems(study)[:2] == [
        "study.yaml, line 13, key 'safety.unrelated_values[2]': value listed as both related "
        "and unrelated (found 'Related'); expected each value on one list only: "
        "safety.related_values or safety.unrelated_values",
        "study.yaml, line 11, key 'safety.events': an attribution column cannot split a file "
        "of treatment-related events only (found 'treatment-related'); expected 'all-cause' "
        "(adverse_events.csv holds every event, and the column 'relatedness' says which are "
        "treatment-related), or no attribution_column"]


def test_an_attribution_column_missing_from_the_file_is_named_with_its_key(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace("attribution_column: relatedness",
                                                           "attribution_column: relation"))
    assert problems(study) == [
        "adverse_events.csv, column 'relation': column named in study.yaml "
        "(safety.attribution_column) not found; expected one of 'patient_id', 'term', "
        "'grade', 'onset_date', 'relatedness' (did you mean 'relatedness'?)"]


def test_a_misspelt_key_gets_its_did_you_mean(tmp_path):
    study = write_facts_study(tmp_path / "s", YAML.replace("attribution_column",
                                                           "atribution_column"))
    assert problems(study)[0] == (
        "study.yaml, line 10, key 'safety.atribution_column': unknown key; expected one of "
        "'min_incidence_pct', 'ctcae_version', 'events', 'attribution_column', "
        "'related_values', 'unrelated_values', 'attribution_missing', 'term_map', "
        "'window_after_last_dose_days', 'grading' (did you mean 'attribution_column'?)")


def test_no_related_event_is_worded_and_no_table_is_shown(tmp_path):
    rows = adverse_events()
    for row in rows[1:]:
        row[4] = "unrelated"
    study = write_facts_study(tmp_path / "s", adverse_events=csv_bytes(rows))
    s, results = compute(study, AT)
    assert results.safety.related.n_any == 0
    assert not CATALOGUE.table("related_adverse_events").shown(results)
    assert "No adverse event was considered related to drug Y." in prose(results, s.config)
