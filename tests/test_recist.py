"""RECIST 1.1 timepoint responses and best overall response, rule by rule."""

from __future__ import annotations

import pandas as pd
import pytest

from nps_report.config import RecistConfig
from nps_report.derive.recist import best_overall_response, timepoint_responses

START = pd.Timestamp("2022-01-01")


def scans(rows: list[tuple[int, float | None, str, bool]], pid: str = "P1") -> pd.DataFrame:
    """rows of (day since start, target sum, non-target status, new lesion)."""
    return pd.DataFrame({
        "patient_id": pid,
        "assessment_date": [START + pd.Timedelta(d, unit="D") for d, *_ in rows],
        "target_sum_mm": [s for _, s, _, _ in rows],
        "nontarget": [nt for _, _, nt, _ in rows],
        "new_lesions": [new for *_, new in rows],
        "_row": range(2, len(rows) + 2),
    })


def responses(rows, pid="P1") -> list[str]:
    tp = timepoint_responses(scans(rows, pid), pd.Series({pid: START}))
    return list(tp["overall"])


DEFAULT_RULES = RecistConfig()


def bor(rows, rules=DEFAULT_RULES, progressed=False) -> str:
    tp = timepoint_responses(scans(rows), pd.Series({"P1": START}))
    out = best_overall_response(tp, pd.Series(["P1"]), pd.Series([progressed]), rules)
    return out["bor"].iloc[0]


NT = "non-CR/non-PD"


def test_thirty_percent_shrinkage_is_pr_and_twenty_nine_is_sd():
    assert responses([(-3, 100, NT, False), (42, 71, NT, False)]) == ["SD"]
    assert responses([(-3, 100, NT, False), (42, 70, NT, False)]) == ["PR"]


def test_pd_needs_twenty_percent_and_five_mm_above_the_nadir():
    base = [(-3, 20, NT, False), (42, 15, NT, False)]
    assert responses([*base, (84, 19, NT, False)])[-1] == "SD"  # +27 % but only +4 mm
    assert responses([*base, (84, 20, NT, False)])[-1] == "PD"  # +33 % and +5 mm
    big = [(-3, 100, NT, False), (42, 60, NT, False)]
    assert responses([*big, (84, 70, NT, False)])[-1] == "PR"  # +17 % above nadir, -30 % vs base
    assert responses([*big, (84, 71, NT, False)])[-1] == "SD"  # +18 %: neither PR nor PD
    assert responses([*big, (84, 72, NT, False)])[-1] == "PD"  # +20 % above nadir


def test_nadir_includes_baseline_when_nothing_shrank():
    assert responses([(-3, 50, NT, False), (42, 60, NT, False)]) == ["PD"]


def test_cr_needs_non_target_cr_or_none():
    assert responses([(-3, 30, "CR", False), (42, 0, "CR", False)]) == ["CR"]
    assert responses([(-3, 30, "none", False), (42, 0, "none", False)]) == ["CR"]
    assert responses([(-3, 30, NT, False), (42, 0, NT, False)]) == ["PR"]
    assert responses([(-3, 30, "NE", False), (42, 0, "NE", False)]) == ["PR"]


def test_new_lesion_or_non_target_pd_is_pd_whatever_the_target():
    assert responses([(-3, 30, NT, False), (42, 10, NT, True)]) == ["PD"]
    assert responses([(-3, 30, NT, False), (42, 10, "PD", False)]) == ["PD"]


def test_missing_target_sum_is_not_evaluable():
    assert responses([(-3, 30, NT, False), (42, None, NT, False)]) == ["NE"]


def test_non_measurable_disease_uses_non_target_status():
    assert responses([(-3, 0, NT, False), (42, 0, NT, False)]) == ["SD"]
    assert responses([(-3, 0, NT, False), (42, 0, "CR", False)]) == ["CR"]


def test_scan_on_the_start_day_is_baseline_and_latest_pre_scan_wins():
    rows = [(-30, 200, NT, False), (0, 100, NT, False), (42, 65, NT, False)]
    tp = timepoint_responses(scans(rows), pd.Series({"P1": START}))
    assert list(tp["baseline_sum"]) == [100]
    assert list(tp["overall"]) == ["PR"]


def test_best_response_ignores_scans_after_the_first_pd():
    rows = [(-3, 100, NT, False), (42, 100, NT, True), (84, 50, NT, False)]
    assert bor(rows) == "PD"


def test_sd_counts_only_after_the_minimum_duration():
    early = [(-3, 100, NT, False), (35, 95, NT, False)]
    assert bor(early) == "NE"
    assert bor(early, progressed=True) == "PD"
    assert bor([(-3, 100, NT, False), (42, 95, NT, False)]) == "SD"
    assert bor(early, RecistConfig(sd_min_days=30)) == "SD"


def test_unconfirmed_response_is_sd_when_confirmation_is_required():
    rules = RecistConfig(confirm_response=True, sd_min_days=42)
    single = [(-3, 100, NT, False), (56, 60, NT, False)]
    assert bor(single) == "PR"
    assert bor(single, rules) == "SD"
    too_soon = [*single, (70, 60, NT, False)]
    assert bor(too_soon, rules) == "SD"
    confirmed = [*single, (84, 60, NT, False)]
    assert bor(confirmed, rules) == "PR"


def test_cr_confirmed_only_by_a_later_cr():
    rules = RecistConfig(confirm_response=True)
    rows = [(-3, 40, "CR", False), (56, 0, "CR", False), (112, 0, NT, False)]
    assert bor(rows, rules) == "PR"  # CR then PR: best confirmed response PR
    rows = [(-3, 40, "CR", False), (56, 0, "CR", False), (112, 0, "CR", False)]
    assert bor(rows, rules) == "CR"


def test_no_post_baseline_scan_is_ne():
    assert bor([(-3, 100, NT, False)]) == "NE"


@pytest.mark.parametrize("pid", ["P1", "patient with spaces"])
def test_patient_ids_are_used_as_given(pid):
    assert responses([(-3, 100, NT, False), (42, 60, NT, False)], pid) == ["PR"]


def test_non_measurable_disease_with_blank_sums_uses_non_target_status():
    """No target lesions: target_sum_mm blank at baseline and after (contract v2)."""
    base = (-3, None, NT, False)
    assert responses([base, (42, None, NT, False)]) == ["SD"]  # non-CR/non-PD counts as SD
    assert responses([base, (42, None, "CR", False)]) == ["CR"]
    assert responses([base, (42, None, "PD", False)]) == ["PD"]
    assert responses([base, (42, None, NT, True)]) == ["PD"]  # a new lesion
    assert responses([base, (42, None, "NE", False)]) == ["NE"]
    assert responses([base, (42, 0, NT, False)]) == ["SD"]  # 0 is no target lesions too


def test_non_measurable_non_cr_non_pd_needs_the_sd_minimum_duration():
    base = (-3, None, NT, False)
    assert bor([base, (35, None, NT, False)]) == "NE"
    assert bor([base, (42, None, NT, False)]) == "SD"
    assert bor([base, (35, None, NT, False)], progressed=True) == "PD"
    assert bor([base, (56, None, "CR", False)]) == "CR"
    assert bor([base, (42, None, NT, False), (84, None, NT, True)]) == "SD"


def test_no_target_and_no_non_target_lesions_is_not_evaluable_unless_new_lesions():
    base = (-3, None, "none", False)
    assert responses([base, (42, None, "none", False)]) == ["NE"]
    assert responses([base, (42, None, "none", True)]) == ["PD"]


def test_a_blank_sum_at_one_follow_up_of_measurable_disease_is_ne_at_that_scan():
    rows = [(-3, 100, NT, False), (42, None, NT, False), (84, 60, NT, False)]
    assert responses(rows) == ["NE", "PR"]
    assert bor(rows) == "PR"
    assert responses([(-3, 100, NT, False), (42, None, "PD", False)]) == ["PD"]


def test_scans_without_a_baseline_scan_are_not_evaluable_unless_progression_is_certain():
    assert responses([(42, 50, NT, False), (84, 30, NT, False)]) == ["NE", "NE"]
    assert responses([(42, 50, NT, True)]) == ["PD"]
