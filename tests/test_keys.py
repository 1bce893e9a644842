"""One grammar for every path into Results: parsed, printed, resolved and labelled in one place
(nps_report/results/keys.py), and every key the reference manuscript holds names a value."""

from __future__ import annotations

import dataclasses

import pytest

from nps_report.paths import REFERENCE_STUDY
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.formats import FORMATS
from nps_report.results.keys import Key, Step, UnknownKey

from .facts_study import write_facts_study
from .lesion_studies import Options, write_lesion_study
from .test_bindings import manuscript


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return manuscript(REFERENCE_STUDY, tmp_path_factory.mktemp("ref"))


@pytest.fixture(scope="module")
def others(tmp_path_factory):
    """Studies with what the reference has not: attribution and dose modifications (the
    facts study); lesions, the investigator's responses and adverse events by severity."""
    facts = write_facts_study(tmp_path_factory.mktemp("facts") / "study")
    lesions = write_lesion_study(tmp_path_factory.mktemp("lesions") / "study", 11,
                                 Options(n_patients=30, grading="severity", disagree=0.25))
    return [manuscript(folder, tmp_path_factory.mktemp("ms"))
            for folder in (facts, lesions.folder)]


@pytest.mark.parametrize("text", [
    "efficacy.orr.estimate", "safety.adverse_events[Hypertension].grade3",
    "prognostic.pfs.univariable[ecog=2].hr", "survival.pfs.landmarks[6]:rate_ci",
    "efficacy.orr:proportion", "methods.software[numpy][1]:value",
    "baseline[Age (years)].summary:median_range", "safety.adverse_events.0.term",
    "prognostic.os.models[multivariable ecog + met_liver].wald[ecog].p",
])
def test_a_key_prints_as_it_was_written(text):
    assert str(Key.parse(text)) == text


def test_an_identity_may_hold_any_text_even_brackets_and_colons():
    key = Key.parse("safety.all_terms").item("Rash [maculo:papular]").field("any").printed("n_pct")
    assert str(key) == "safety.all_terms[Rash [maculo:papular\\]].any:n_pct"
    again = Key.parse(str(key))
    assert again == key and again.steps[2] == Step("Rash [maculo:papular]", item=True)
    assert again.format == "n_pct"


@pytest.mark.parametrize("text, message", [
    ("", "an empty key"), (".orr", "a key starts with a name"),
    ("efficacy..orr", "a name expected at character 10"),
    ("safety.all_terms[Rash", "'[' without its ']'"),
    ("cite:table:efficacy", "a format name after ':'"),
])
def test_a_malformed_key_is_refused_saying_where(text, message):
    with pytest.raises(UnknownKey, match=message.replace("[", r"\[").replace("(", r"\(")):
        Key.parse(text)


def test_keys_are_built_by_steps_not_by_formatting_strings():
    base = Key.parse("survival.pfs")
    assert str(base.field("landmarks").item(6.0).printed("rate_ci")) == \
        "survival.pfs.landmarks[6]:rate_ci"
    assert str(base.field("landmarks").item(1.5)) == "survival.pfs.landmarks[1.5]"
    assert str(Key.parse("efficacy.bor_counts").entry("PR")) == "efficacy.bor_counts.PR"
    assert str(Key.parse("provenance.inputs").entry("patients.csv")) == \
        "provenance.inputs[patients.csv]"
    assert base.covers(base.field("median")) and not base.field("median").covers(base)
    assert Key.parse("efficacy.orr:proportion").path == Key.parse("efficacy.orr")


def test_results_get_reads_every_form_of_a_key(reference):
    results, _ = reference
    hypertension = next(r for r in results.safety.adverse_events if r.term == "Hypertension")
    assert results.get("safety.adverse_events[Hypertension].grade3") == hypertension.grade3
    ecog2 = next(r for r in results.prognostic.pfs.univariable if r.name == "ecog=2")
    assert results.get("prognostic.pfs.univariable[ecog=2].hr") == ecog2.hr
    six = results.survival.pfs.landmark(6.0)
    assert results.get("survival.pfs.landmarks[6].estimate") == six.estimate
    assert results.get("survival.pfs.landmarks.6.estimate") == six.estimate  # results.json's
    assert results.get("safety.adverse_events.0.term") == results.safety.adverse_events[0].term
    assert results.get("efficacy.orr") == results.to_dict()["efficacy"]["orr"]
    assert results.get("efficacy.orr:proportion") == results.get("efficacy.orr")


def test_a_key_that_names_nothing_says_which_step(reference):
    results, _ = reference
    with pytest.raises(KeyError, match=r"^safety.adverse_events\[Headache\].any: "
                                       r"safety.adverse_events has no '\[Headache\]'$"):
        results.get("safety.adverse_events[Headache].any")
    with pytest.raises(KeyError, match="efficacy has no 'orrr'"):
        results.get("efficacy.orrr.estimate")


def test_a_key_labels_itself_from_the_model(reference):
    results, _ = reference
    assert Key.parse("efficacy.orr").label(results, "% (95% CI)") == \
        "Objective response rate: % (95% CI)"
    assert Key.parse("survival.pfs.landmarks[6]").label(results) == \
        "Progression-free survival, 6-month"
    assert Key.parse("methods.software[numpy][1]").label(results) == \
        "Analysis software, numpy, version"
    assert Key.parse("efficacy.bor_counts.PR").label(results, "n") == \
        "Best overall response, Partial response: n"


def test_every_binding_of_the_reference_manuscript_names_a_value_of_its_results(reference,
                                                                                 others):
    for n, (results, ms) in enumerate([reference, *others]):
        keys = [q.key for q in ms.quantities if not q.key.startswith("cite:")]
        assert len(keys) > (100 if n == 0 else 30)
        for text in keys:
            key = Key.parse(text)
            assert key.format, text  # a binding says which format printed it
            key.resolve(results)  # raises UnknownKey for a key that names nothing


def test_every_key_of_every_table_names_a_value_and_the_format_that_printed_it(reference,
                                                                               others):
    built = set()
    for n, (results, _) in enumerate([reference, *others]):
        tables = CATALOGUE.build_tables(results)
        built |= tables.keys()
        keys = [key for spec in tables.values()
                for row in spec.rows for key in row.keys if key is not None]
        assert len(keys) > (100 if n == 0 else 30)
        for key in keys:
            assert FORMATS[_format_name(key.format)].cell is not None, key
            key.resolve(results)  # raises UnknownKey for a key that names nothing
    assert built == {t.key for t in CATALOGUE.tables}  # every table of the catalogue


def _format_name(suffix: str) -> str:
    return next(f.name for f in FORMATS if f.suffix == suffix)


def test_a_key_survives_a_reordering_of_the_model(reference):
    results, _ = reference
    key = Key.parse("safety.all_terms[Hypertension].grade3")
    reordered = dataclasses.replace(results, safety=dataclasses.replace(
        results.safety, all_terms=results.safety.all_terms[::-1]))
    assert key.resolve(reordered) == key.resolve(results)


