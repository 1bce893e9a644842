"""Where each number comes from: the patient sets, the data-keys, provenance.json.

Every patient set is checked against the count it stands behind (a set that disagrees
with its number would be a silently wrong answer to "which patients?"), the data-keys of
printed texts against the values they resolve to, and provenance.json against results.json.
"""

from __future__ import annotations

import json

import pytest

from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.provenance.export import numeric_keys, provenance
from nps_report.provenance.keys import resolve, split
from nps_report.provenance.records import record
from nps_report.results import Results
from nps_report.synthetic import write_study
from nps_report.vocab import BOR_ORDER, RESPONSE


@pytest.fixture(scope="module")
def reference() -> Results:
    return compute(REFERENCE_STUDY, "2025-01-01T00:00:00Z")[1]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Results:
    return compute(write_study(tmp_path_factory.mktemp("s") / "study", 120, seed=4),
                   "2025-01-01T00:00:00Z")[1]


def counts(results: Results) -> dict[str, int]:
    """Each patient set's name -> the count of the model it must equal."""
    out = {"study.n_patients": results.n_patients, "efficacy.orr": results.efficacy.orr.n,
           "efficacy.dcr": results.efficacy.dcr.n,
           "efficacy.n_no_post_baseline_scan": results.efficacy.n_no_post_baseline_scan,
           "efficacy.n_measurable": results.efficacy.n_measurable,
           "safety.n_any": results.safety.n_any, "safety.n_grade3plus":
           results.safety.n_grade3plus, "exposure.n_ongoing": results.exposure.n_ongoing,
           "exposure.n_at_least_threshold": results.exposure.n_at_least_threshold}
    out.update({f"efficacy.bor_counts.{c}": results.efficacy.bor_counts[c] for c in BOR_ORDER})
    for s in (results.survival.pfs, results.survival.os):
        out[f"survival.{s.endpoint}.events"] = s.n_events
        out[f"survival.{s.endpoint}.censored"] = s.n_censored
        for lm in s.landmarks:
            if lm.n_at_risk is not None:
                out[f"survival.{s.endpoint}.landmarks[{lm.months:g}].at_risk"] = lm.n_at_risk
    if results.efficacy.dor is not None:
        out["efficacy.dor.events"] = results.efficacy.dor.n_events
    for row in results.safety.all_terms:
        for field in ("any", "grade1", "grade2", "grade3", "grade4", "grade5", "grade3plus"):
            out[f"safety.all_terms[{row.term}].{field}"] = getattr(row, field)
    for var in results.baseline:
        out[f"baseline[{var.label}].n_missing"] = var.n_missing
        for level in var.levels:
            out[f"baseline[{var.label}].levels[{level.label}]"] = level.n
    for level in results.exposure.dose_levels:
        out[f"exposure.dose_levels[{level.label}]"] = level.n
    return out


@pytest.mark.parametrize("study", ["reference", "synthetic"])
def test_every_patient_set_has_as_many_patients_as_its_count(study, request):
    results = request.getfixturevalue(study)
    expected = counts(results)
    for name, n in expected.items():
        rows = results.counted.rows(name)
        assert rows is not None, f"no patient set for {name}"
        assert len(rows) == n, f"{name}: {len(rows)} patients in the set, the count is {n}"


def test_the_patients_behind_the_orr_are_the_responders_of_the_endpoints(reference):
    patients = reference.patients
    responders = [pid for pid, bor in zip(patients.patient_id, patients.bor, strict=True)
                  if bor in RESPONSE]
    rec = record(reference, "efficacy.orr.estimate")
    assert rec["patients"] == responders and len(responders) == reference.efficacy.orr.n
    assert rec["value"] == reference.efficacy.orr.estimate
    assert "responders" in rec["method"]
    # the rows are the lines of tables/patient_endpoints.csv (header on line 1)
    assert [patients.patient_id[line - 2] for line in rec["rows"]] == responders


def test_a_km_median_names_the_patients_with_an_event_and_its_ci_method(reference):
    rec = record(reference, "survival.pfs.median")
    assert len(rec["patients"]) == reference.survival.pfs.n_events
    low = record(reference, "survival.pfs.ci_low")
    assert "Brookmeyer" in low["method"] or "symmetric" in low["method"]


def test_an_ae_count_names_the_patients_of_that_worst_grade(reference):
    row = next(r for r in reference.safety.adverse_events if r.grade3)
    rec = record(reference, f"safety.adverse_events[{row.term}].grade3")
    assert rec["value"] == row.grade3 == len(rec["patients"])
    assert "grade 3" in rec["method"]


def test_each_printed_number_gets_its_own_key(reference):
    orr = reference.efficacy.orr
    text = (f"{orr.estimate * 100:.1f}% (95% CI {orr.ci_low * 100:.1f}–"
            f"{orr.ci_high * 100:.1f})")
    keyed = [k for _, k in split(reference, "efficacy.orr:proportion", text) if k]
    assert keyed == ["efficacy.orr.estimate", "efficacy.orr.level", "efficacy.orr.ci_low",
                     "efficacy.orr.ci_high"]
    n = reference.efficacy.bor_counts["PR"]
    cell = split(reference, "efficacy.bor_counts.PR", f"{n} ({n / orr.N * 100:.1f})")
    assert [k for _, k in cell if k] == ["efficacy.bor_counts.PR", "efficacy.bor_counts.PR.pct"]
    assert resolve(reference, "efficacy.bor_counts.PR.pct") == pytest.approx(n / orr.N)
    term = reference.safety.adverse_events[0]
    assert split(reference, f"safety.all_terms[{term.term}].any", str(term.any))[0][1] == \
        f"safety.adverse_events[{term.term}].any"


def test_a_text_whose_numbers_do_not_match_keeps_one_key_for_the_whole(reference):
    pieces = split(reference, "efficacy.orr:proportion", "99.9% (95% CI 1.0–2.0)")
    assert pieces == [("99.9% (95% CI 1.0–2.0)", "efficacy.orr")]
    assert split(reference, "cite:table:baseline", "Table 1") == []


def test_provenance_json_has_a_record_for_every_number_of_results_json(reference):
    doc = json.loads(json.dumps(provenance(reference)))
    records = doc["records"]
    assert records["efficacy.orr.estimate"]["value"] == reference.efficacy.orr.estimate
    responders = doc["sets"][records["efficacy.orr.n"]["set"]]
    assert responders == record(reference, "efficacy.orr.n")["patients"]
    assert {"survival.pfs.median", "safety.n_grade3plus", "survival.pfs.landmarks[6].estimate",
            "baseline[Sex].levels[Male].pct"} <= set(records)
    for key in numeric_keys(reference):
        if key in records:
            assert records[key]["value"] == resolve(reference, key)
    assert "counted" not in reference.to_dict()  # results.json keeps its contract keys
