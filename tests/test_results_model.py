"""results.json holds the contract's stable keys (study-contract.md, section 3)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from nps_report.codec import CodecError
from nps_report.pipeline import compute
from nps_report.results import Results
from nps_report.synthetic import write_study

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "anlotinib_rmnpc"
PROPORTION = {"n", "N", "estimate", "ci_low", "ci_high", "method"}
SURVIVAL = {"n_events", "n_censored", "median", "ci_low", "ci_high", "method", "landmarks"}


@pytest.fixture(scope="module")
def reference():
    return compute(REFERENCE, "2025-01-01T00:00:00Z")[1]


def contract_keys(d: dict) -> None:
    assert isinstance(d["n_patients"], int)
    assert set(d["efficacy"]["bor_counts"]) == {"CR", "PR", "SD", "PD", "NE"}
    for key in ("orr", "dcr"):
        assert set(d["efficacy"][key]) >= PROPORTION
    for key in ("pfs", "os"):
        s = d["survival"][key]
        assert set(s) >= SURVIVAL
        assert set(s["landmarks"]) >= {"6", "12"}
        for lm in s["landmarks"].values():
            assert {"estimate", "ci_low", "ci_high"} <= set(lm)
    assert "followup_median" in d["survival"]
    for row in d["safety"]["adverse_events"]:
        assert {"term", "any", "grade1", "grade2", "grade3", "grade4", "grade5"} <= set(row)
    assert {"inputs", "generator_version", "built_at"} <= set(d["provenance"])


def test_reference_results_hold_the_contract_keys(reference):
    d = reference.to_dict()
    contract_keys(d)
    assert set(d["provenance"]["inputs"]) == {"patients.csv", "tumor_assessments.csv",
                                              "adverse_events.csv", "study.yaml"}
    assert all(len(h) == 64 for h in d["provenance"]["inputs"].values())


def test_proportions_are_fractions_and_times_are_months(reference):
    assert 0 <= reference.get("efficacy.orr.estimate") <= 1
    assert reference.get("efficacy.orr.estimate") == pytest.approx(4 / 30)
    assert 5 < reference.get("survival.pfs.median") < 7


def test_results_json_is_strict_json_with_null_for_unreached(tmp_path):
    study = write_study(tmp_path / "s", 12, seed=4)
    patients = pd.read_csv(study / "patients.csv", dtype=str, keep_default_na=False)
    patients["death_date"] = ""  # nobody died: OS median and its limits are not reached
    patients.to_csv(study / "patients.csv", index=False)
    _, results = compute(study, "x")
    d = json.loads(json.dumps(results.to_dict(), allow_nan=False))
    contract_keys(d)
    assert d["survival"]["os"]["median"] is None
    assert d["survival"]["os"]["ci_high"] is None


def test_every_float_is_finite(reference):
    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, float):
            assert math.isfinite(node)
    walk(reference.to_dict())


def test_dotted_get_reads_the_same_values_as_attributes(reference):
    assert reference.get("survival.os.median") == reference.survival.os.median
    assert reference.get("safety.adverse_events.0.term") == reference.safety.adverse_events[0].term


def test_study_with_no_scans_and_no_adverse_events(tmp_path):
    study = write_study(tmp_path / "s", 25, seed=9, with_scans=False, with_aes=False)
    _, results = compute(study, "x")
    assert results.efficacy.bor_counts["CR"] + results.efficacy.bor_counts["PR"] == 0
    assert results.efficacy.bor_counts["SD"] == 0
    assert results.efficacy.orr.estimate == 0
    assert results.safety.n_any == 0 and results.safety.adverse_events == ()
    assert results.efficacy.dor is None


def test_results_json_reads_back_into_the_same_model(reference):
    text = json.dumps(reference.to_dict(), allow_nan=False)
    again = Results.from_dict(json.loads(text))
    assert again == reference
    assert json.dumps(again.to_dict(), allow_nan=False) == text


def test_a_results_json_of_another_shape_is_refused_naming_the_key(reference):
    d = reference.to_dict()
    del d["efficacy"]["orr"]["ci_low"]
    with pytest.raises(CodecError, match=r"Results\.efficacy\.orr: no 'ci_low'"):
        Results.from_dict(d)
    d = reference.to_dict()
    d["survival"]["pfs"]["median"] = "5.7"
    with pytest.raises(CodecError, match=r"Results\.survival\.pfs\.median"):
        Results.from_dict(d)
