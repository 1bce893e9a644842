"""Cohen's kappa of derived vs investigator-assessed best overall response, against R.

The cases are tests/reference/concordance_cases.csv; R computed each kappa by hand,
(po - pe) / (1 - pe), in tests/reference/concordance.R (irr::kappa2's unweighted
formula; irr is not installed), into concordance_expected.json.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from nps_report.analysis.concordance import describe_concordance

HERE = Path(__file__).parent / "reference"
EXPECTED = json.loads((HERE / "concordance_expected.json").read_text())


def cases() -> dict[str, pd.DataFrame]:
    with (HERE / "concordance_cases.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    frame = pd.DataFrame(rows).rename(columns={"derived": "bor_derived",
                                               "investigator": "bor_investigator"})
    return {name: group.reset_index(drop=True) for name, group in frame.groupby("case")}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_kappa_and_agreement_match_r(case):
    found, notices = describe_concordance(cases()[case], "derived")
    want = EXPECTED[case]
    assert (found.n, found.n_agree) == (want["n"], want["n_agree"])
    if want["kappa"] is None:
        assert found.kappa is None
    else:
        assert found.kappa == pytest.approx(want["kappa"], abs=1e-12)
    assert found.agreement == pytest.approx(want["po"], abs=1e-12)
    assert len(found.patients) == want["n"] - want["n_agree"]
    assert sum(sum(row.values()) for row in found.table.values()) == want["n"]
    assert notices[0].code == "response_concordance"


def test_patients_without_an_investigator_response_are_left_out():
    frame = pd.DataFrame({"patient_id": ["A", "B", "C"], "bor_derived": ["PR", "SD", "PD"],
                          "bor_investigator": ["PR", None, "SD"]})
    found, _ = describe_concordance(frame, "investigator")
    assert (found.n, found.n_agree) == (2, 1)
    assert [(p.patient_id, p.derived, p.investigator) for p in found.patients] == [
        ("C", "PD", "SD")]
    assert found.reported == "investigator"


def test_no_concordance_without_both_responses():
    frame = pd.DataFrame({"patient_id": ["A"], "bor": ["PR"]})
    assert describe_concordance(frame, "derived") == (None, ())
