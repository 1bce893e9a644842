"""A second outside reference: lifelines agrees on the curve; we differ only where R does.

lifelines takes the median as the first time S(t) <= 0.5; R (and we) take the midpoint
of a curve flat at exactly 0.5. Everything else (the step function) must be identical.
"""

from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter

from nps_report.analysis.km import kaplan_meier, median_time

from .test_km_against_r import EXPECTED, load


@pytest.mark.parametrize("name", list(EXPECTED["km"]))
def test_survival_curve_matches_lifelines(name):
    time, status = load(name)
    ours = kaplan_meier(time, status)
    kmf = KaplanMeierFitter().fit(time, status)
    theirs = kmf.survival_function_at_times(ours.time).to_numpy()
    np.testing.assert_allclose(ours.surv, theirs, atol=1e-12)


def test_flat_half_median_is_the_midpoint_where_lifelines_takes_the_start():
    time, status = load("n10_flat_half")
    ours = kaplan_meier(time, status)
    kmf = KaplanMeierFitter().fit(time, status)
    assert median_time(ours.time, ours.surv) > kmf.median_survival_time_
    assert median_time(ours.time, ours.surv) == pytest.approx(215 / 30.4375)
