"""Proportion CIs agree with R (binom.test, prop.test, t.test) to 1e-6.

Expected values and the R calls: tests/reference/r_expected.json ("proportions").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nps_report.analysis.proportions import proportion_ci

CASES = json.loads((Path(__file__).parent / "reference" / "r_expected.json").read_text())[
    "proportions"]
KEYS = {"clopper-pearson": "clopper_pearson", "wilson": "wilson", "wald": "wald", "t": "t"}


def case_id(c: dict) -> str:
    return f"{c['x']}of{c['n']}@{c['conf_level']}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("method", list(KEYS))
def test_interval_matches_r(case, method):
    ref = case[KEYS[method]]
    low, high = proportion_ci(case["x"], case["n"], method, case["conf_level"])
    if method == "t" and ref["lower"] is None:
        # R's t.test has no interval when the 0/1 data are constant or n = 1; we report
        # the degenerate interval (p, p) for constant data and nothing for n = 1.
        if case["n"] == 1:
            assert (low, high) == (None, None)
        else:
            assert low == high == case["x"] / case["n"]
        return
    # t and Wald limits outside [0, 1] are clipped (R's t.test does not clip).
    assert low == pytest.approx(max(0.0, ref["lower"]), abs=1e-6)
    assert high == pytest.approx(min(1.0, ref["upper"]), abs=1e-6)


def test_t_interval_reproduces_the_articles_orr_and_dcr():
    low, high = proportion_ci(4, 30, "t", 0.95)
    assert (round(low * 100, 1), round(high * 100, 1)) == (0.4, 26.2)
    low, high = proportion_ci(22, 30, "t", 0.95)
    assert (round(low * 100, 1), round(high * 100, 1)) == (56.5, 90.1)


def test_no_patients_gives_no_interval():
    assert proportion_ci(0, 0, "clopper-pearson", 0.95) == (None, None)
