"""Every number the generated text prints carries the key of the Results value it prints, with
a label a reader understands: what the living Word manuscript finds again after a rebuild."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from PIL import Image

from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.formats import prose
from nps_report.render.compose import compose
from nps_report.render.model import Block
from nps_report.render.tracking import Bound, track, unwrap
from nps_report.results.keys import Key
from nps_report.synthetic import write_study

# Numbers that are words of the method, not values: 'grade 3 or higher', days per month.
LITERAL = re.compile(r"grade \d( or \d)?|30\.4375|RECIST 1\.1|\d+(st|nd|rd|th)\b|\(0/1\)|n − 1")


def manuscript(study: Path, tmp_path: Path):
    s, results = compute(study, "2025-01-01T00:00:00Z")
    png = tmp_path / "figure.png"
    Image.new("RGB", (8, 8), "white").save(png)
    figures = {f.key: {"png": png} for f in CATALOGUE.figures}
    return results, compose(results, CATALOGUE.build_tables(results), figures, s.config, study)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return manuscript(REFERENCE_STUDY, tmp_path_factory.mktemp("ref"))


def generated_runs(ms):
    for e in ms.elements:
        if isinstance(e, Block) and e.binding is not None:
            yield from e.runs


def test_no_digit_of_generated_text_is_outside_a_binding(reference, tmp_path):
    for _results, ms in (reference, manuscript(write_study(tmp_path / "s", 40, seed=3),
                                               tmp_path)):
        loose = [r.text for r in generated_runs(ms)
                 if r.binding is None and re.search(r"\d", LITERAL.sub("", r.text))]
        assert loose == [], loose


def test_a_binding_prints_what_its_key_names(reference):
    results, ms = reference
    printed = {q.key: q.text for q in ms.quantities}
    assert printed["efficacy.orr:proportion"] == prose("proportion", results.efficacy.orr) == \
        "13.3% (95% CI 0.4–26.2)"
    assert printed["survival.pfs.landmarks[6]:rate_ci"] == "45.9% (95% CI 27.5–62.5)"
    assert printed["efficacy.bor_counts.PR:count"] == "4 patients"
    assert printed["safety.all_terms[Hand-foot syndrome].grade3plus:value"] == "4"
    assert printed["baseline[Age (years)].summary:median_range"] == "55 years (range 35–76)"
    assert printed["cite:table:efficacy"] == "Table 2"
    assert printed["methods.software[numpy][1]:value"] == results.methods.software[2][1]


def test_every_binding_has_a_label_in_words(reference):
    _, ms = reference
    labels = {q.key: q.label for q in ms.quantities}
    assert labels["efficacy.orr:proportion"] == "Objective response rate: % (95% CI)"
    assert labels["safety.all_terms[Oral mucositis].grade3plus:pct_of"] == \
        "Adverse events, Oral mucositis, grade ≥3: %"
    assert labels["exposure.n_at_least_threshold:count"] == "Patients receiving ≥3 cycles: n"
    assert labels["methods.software[numpy][1]:value"] == "Analysis software, numpy, version"
    assert not [k for k, v in labels.items() if "." in v.split(":")[0] and "(" not in v], labels


def test_keys_name_items_by_identity_so_they_survive_a_reordering(reference):
    results, _ = reference
    model = track(results, Key())
    rows = model.safety.all_terms
    assert [r.term for r in rows][:2] == ["Hand-foot syndrome", "Hypertension"]
    reordered = dataclasses.replace(results.safety, all_terms=results.safety.all_terms[::-1])
    again = track(dataclasses.replace(results, safety=reordered), Key()).safety.all_terms
    assert {r.any.path for r in rows} == {r.any.path for r in again}
    assert str(rows[0].any.path) == "safety.all_terms[Hand-foot syndrome].any"


def test_tracked_values_behave_as_the_plain_model(reference):
    results, _ = reference
    model = track(results, Key())
    assert isinstance(model.efficacy.orr, type(results.efficacy.orr))
    assert model.efficacy.orr == results.efficacy.orr and unwrap(model.efficacy) is \
        results.efficacy
    assert model.efficacy.bor_counts["SD"] + 1 == results.efficacy.bor_counts["SD"] + 1
    assert model.survival.pfs.median > 5 and model.safety.adverse_events
    assert len(model.safety.adverse_events) == len(results.safety.adverse_events)
    assert model.patients is results.patients  # per-patient columns stay plain


def test_bound_text_is_text(reference):
    bound = Bound("4 patients", "efficacy.bor_counts.PR:count")
    assert bound == "4 patients" and bound.key == "efficacy.bor_counts.PR:count"
