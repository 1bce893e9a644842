"""Duration of response: the contract's efficacy.duration_of_response agrees with R survfit on
a generated study whose responders' durations R computes from the study's own dates
(tests/reference/make_dor_expected.R, the call beside its output), and the figure's
declaration keys its numbers at risk."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.results import Results

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "dor" / "r_expected.json").read_text())
AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def results() -> Results:
    return compute(REF / "dor" / "study", AT)[1]


def test_the_responders_are_those_r_was_given(results):
    with open(REF / "dor" / "responders.csv", encoding="utf-8") as fh:
        ids = [r["patient_id"] for r in csv.DictReader(fh)]
    p = results.patients
    assert ids == [i for i, b in zip(p.patient_id, p.bor, strict=True) if b in ("CR", "PR")]


def test_median_and_its_ci_equal_survfit(results):
    dor = results.to_dict()["efficacy"]["duration_of_response"]
    for name in ("n", "n_events", "n_censored"):
        assert dor[name] == EXPECTED[name], name
    for name in ("median", "ci_low", "ci_high"):
        assert dor[name] == pytest.approx(EXPECTED[name], abs=1e-9), name
    assert dor["method"] == "log-log"


def test_the_contract_key_repeats_the_model_and_reads_back(results):
    data = results.to_dict()
    assert data["efficacy"]["dor"]["median"] == data["efficacy"]["duration_of_response"]["median"]
    assert results.get("efficacy.duration_of_response.median") == results.efficacy.dor.median
    assert Results.from_dict(data).efficacy.dor == results.efficacy.dor


def test_the_figure_shows_with_two_responders_and_keys_its_numbers_at_risk(results):
    figure = CATALOGUE.figure("dor")
    (panel,) = figure.panels(results, None)
    printed = panel.printed(results, panel)
    assert printed and all(str(k).startswith("figures.km_dor.at_risk[") for k in printed)
    assert next(iter(printed.values()))[1] == str(results.efficacy.dor.n)
