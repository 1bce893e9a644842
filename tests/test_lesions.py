"""RECIST 1.1 from the lesions, rule by rule, through derive.lesions.lesion_timepoints (the
entry point any source of lesions uses), and RECIST 1.1's Tables 1-3 as Eisenhauer et al.
(Eur J Cancer 2009;45:228-47) print them."""

from __future__ import annotations

import pandas as pd
import pytest

from nps_report.config import RecistConfig
from nps_report.derive.investigator import AS_TIMEPOINT
from nps_report.derive.lesions import lesion_timepoints
from nps_report.derive.recist import best_overall_response, with_counts

START = pd.Timestamp("2022-01-01")
NT = "non-CR/non-PD"


def lesion(day: int, lesion_id: str, kind: str = "target", d: float | None = None, *,
           nodal: bool = False, status: str = "", site: str = "liver",
           pid: str = "P1") -> dict:
    return {"patient_id": pid, "assessment_date": START + pd.Timedelta(day, "D"),
            "lesion_id": lesion_id, "lesion_type": kind, "site": site, "nodal": nodal,
            "diameter_mm": float("nan") if d is None else float(d), "too_small": False,
            "status": status}


def scans(rows: list[dict], extra_days: tuple[int, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["_row"] = range(2, len(frame) + 2)
    extra = pd.DataFrame({"patient_id": "P1", "assessment_date": [
        START + pd.Timedelta(d, "D") for d in extra_days]}) if extra_days else None
    found = lesion_timepoints(frame, pd.Series({"P1": START}), RecistConfig(), extra)
    assert not found.problems and not found.violations, found.problems + found.violations
    return found.scans


def column(rows: list[dict], name: str = "overall") -> list:
    return list(scans(rows)[name])


# A liver lesion of 40 mm and a neck node of 20 mm short axis at baseline.
BASE = [lesion(-7, "T1", d=40), lesion(-7, "T2", d=20, nodal=True, site="neck")]


def visit(day: int, liver: float | None, node: float | None) -> list[dict]:
    return [lesion(day, "T1", d=liver), lesion(day, "T2", d=node, nodal=True, site="neck")]


def test_the_sum_adds_longest_diameters_and_the_short_axes_of_nodes():
    got = scans([*BASE, *visit(42, 30, 12)])
    assert list(got["target_sum_mm"]) == [42.0] and list(got["baseline_sum"]) == [60.0]
    assert list(got["target"]) == ["PR"]  # -30 %


def test_nodes_under_10_mm_and_other_targets_gone_are_a_complete_response_above_zero():
    got = scans([*BASE, *visit(42, 0, 9)])
    assert list(got["target_sum_mm"]) == [9.0]
    assert list(got["target"]) == ["CR"] and list(got["overall"]) == ["CR"]


def test_a_node_of_10_mm_is_not_normal():
    assert column([*BASE, *visit(42, 0, 10)], "target") == ["PR"]


def test_a_non_nodal_target_must_disappear_for_a_complete_response():
    assert column([*BASE, *visit(42, 1, 5)], "target") == ["PR"]


def test_a_target_not_evaluated_makes_the_target_part_not_evaluable():
    got = scans([*BASE, *visit(42, None, 10)])
    assert list(got["target"]) == ["NE"] and list(got["overall"]) == ["NE"]
    assert got["target_sum_mm"].isna().all()


def test_unless_the_lesions_evaluated_already_show_progression():
    # nadir 60 at baseline; the liver lesion alone at 75 mm is +25 % and +15 mm
    assert column([*BASE, *visit(42, 75, None)], "target") == ["PD"]
    assert column([*BASE, *visit(42, 65, None)], "target") == ["NE"]


def test_a_lesion_without_a_row_at_a_scan_was_not_evaluated():
    assert column([*BASE, lesion(42, "T1", d=20)], "target") == ["NE"]


def test_a_scan_with_no_lesion_rows_is_not_evaluable():
    got = scans([*BASE, *visit(42, 30, 12)], extra_days=(84,))
    assert list(got["overall"]) == ["PR", "NE"]


def test_the_nadir_is_the_smallest_sum_of_a_scan_where_every_target_was_measured():
    # 42: incomplete (liver 10 only); 84: 30 + 12 = 42 is the nadir for 126
    rows = [*BASE, lesion(42, "T1", d=10), *visit(84, 30, 12), *visit(126, 40, 12)]
    got = scans(rows)
    assert list(got["nadir"])[1:] == [60.0, 42.0]
    assert list(got["target"]) == ["NE", "PR", "PD"]  # 52 is +24 % and +10 mm over 42


def test_progression_needs_twenty_percent_and_five_millimetres_over_the_nadir():
    small = [lesion(-7, "T1", d=15), lesion(42, "T1", d=10)]
    assert column([*small, lesion(84, "T1", d=14)], "target")[-1] == "SD"  # +40 %, +4 mm
    assert column([*small, lesion(84, "T1", d=15)], "target")[-1] == "PD"  # +50 %, +5 mm


def test_a_normal_node_that_grows_counts_toward_progression_only_once_it_reaches_10_mm():
    # nadir: liver 10 + node 4 = 14; the node at 9 mm is still normal: its growth is ignored
    rows = [*BASE, *visit(42, 10, 4)]
    assert column([*rows, *visit(84, 10, 9)], "target")[-1] == "PR"  # plain sum 19: +36 %
    # once it reaches 10 mm it counts: 10 + 10 = 20 is +43 % and +6 mm over 14
    assert column([*rows, *visit(84, 10, 10)], "target")[-1] == "PD"


def test_a_complete_response_is_judged_before_progression():
    # nodes 4 + 4 at nadir, 9 + 9 later: +125 % and +10 mm, yet both nodes are normal
    two = [lesion(-7, "N1", d=20, nodal=True, site="neck"),
           lesion(-7, "N2", d=16, nodal=True, site="axilla")]
    rows = [*two, lesion(42, "N1", d=4, nodal=True, site="neck"),
            lesion(42, "N2", d=4, nodal=True, site="axilla"),
            lesion(84, "N1", d=9, nodal=True, site="neck"),
            lesion(84, "N2", d=9, nodal=True, site="axilla")]
    assert column(rows, "target") == ["CR", "CR"]


def test_non_target_status_comes_from_the_lesions():
    nts = [lesion(-7, "NT1", "non-target", status="present"),
           lesion(-7, "NT2", "non-target", status="present", nodal=True, site="neck")]

    def status(*found: str) -> str:
        rows = [*BASE, *nts, *visit(42, 30, 12)]
        rows += [lesion(42, f"NT{i + 1}", "non-target", status=s) for i, s in enumerate(found)
                 if s]
        return column(rows, "nontarget")[0]

    assert status("absent", "absent") == "CR"
    assert status("present", "absent") == NT
    assert status("progression", "not-evaluated") == "PD"
    assert status("absent", "not-evaluated") == "NE"
    assert status("absent", "") == "NE"  # no row for NT2: not evaluated
    assert column([*BASE, *visit(42, 30, 12)], "nontarget") == ["none"]


def test_a_new_lesion_makes_the_timepoint_progression_and_its_diameter_is_ignored():
    rows = [*BASE, *visit(42, 0, 5), lesion(42, "N1", "new", d=3, site="lung")]
    got = scans(rows)
    assert list(got["new_lesions"]) == [True]
    assert list(got["overall"]) == ["PD"] and list(got["target"]) == ["CR"]


def test_the_baseline_is_the_latest_lesion_scan_on_or_before_the_start():
    rows = [lesion(-40, "T1", d=80), lesion(0, "T1", d=40), lesion(42, "T1", d=28)]
    got = scans(rows)
    assert list(got["baseline_sum"]) == [40.0] and list(got["target"]) == ["PR"]


def test_disease_without_target_lesions_is_judged_on_the_non_targets():
    rows = [lesion(-7, "NT1", "non-target", status="present"),
            lesion(42, "NT1", "non-target", status="present"),
            lesion(84, "NT1", "non-target", status="absent")]
    got = scans(rows)
    assert list(got["target"]) == ["none", "none"]
    assert list(got["overall"]) == ["SD", "CR"]  # non-CR/non-PD counts as SD


# --- RECIST 1.1 Table 1: target x non-target x new lesions -> overall response ---------------
# Each target state from the lesions: CR (liver gone, node 8 mm), PR (-40 %), SD (-10 %),
# PD (+25 %, +15 mm), NE (the node not measured).
TARGET = {"CR": (0, 8), "PR": (20, 16), "SD": (36, 18), "PD": (55, 20), "NE": (30, None)}
NONTARGET = {"CR": "absent", NT: "present", "NE": "not-evaluated", "PD": "progression"}
TABLE_1 = [  # (target, non-target, new) -> overall, as Eisenhauer 2009 Table 1 reads
    ("CR", "CR", False, "CR"),
    ("CR", NT, False, "PR"),
    ("CR", "NE", False, "PR"),
    ("PR", NT, False, "PR"), ("PR", "CR", False, "PR"), ("PR", "NE", False, "PR"),
    ("SD", NT, False, "SD"), ("SD", "CR", False, "SD"), ("SD", "NE", False, "SD"),
    ("NE", NT, False, "NE"), ("NE", "CR", False, "NE"),
    *[("PD", nt, new, "PD") for nt in ("CR", NT, "NE", "PD") for new in (False, True)],
    *[(t, "PD", new, "PD") for t in TARGET for new in (False, True)],
    *[(t, nt, True, "PD") for t in TARGET for nt in NONTARGET],
]


@pytest.mark.parametrize(("target", "nontarget", "new", "expected"), TABLE_1,
                         ids=lambda v: str(v))
def test_recist_table_1_target_and_non_target_disease(target, nontarget, new, expected):
    liver, node = TARGET[target]
    rows = [*BASE, lesion(-7, "NT1", "non-target", status="present"), *visit(42, liver, node),
            lesion(42, "NT1", "non-target", status=NONTARGET[nontarget])]
    if new:
        rows.append(lesion(42, "N1", "new", site="bone"))
    got = scans(rows)
    assert (got["target"].iloc[0], got["nontarget"].iloc[0]) == (target, nontarget)
    assert got["overall"].iloc[0] == expected


TABLE_2 = [  # non-target disease only (Table 2): non-CR/non-PD counts as SD for BOR
    ("CR", False, "CR"), (NT, False, "SD"), ("NE", False, "NE"), ("PD", False, "PD"),
    *[(nt, True, "PD") for nt in NONTARGET],
]


@pytest.mark.parametrize(("nontarget", "new", "expected"), TABLE_2, ids=lambda v: str(v))
def test_recist_table_2_non_target_disease_only(nontarget, new, expected):
    rows = [lesion(-7, "NT1", "non-target", status="present"),
            lesion(42, "NT1", "non-target", status=NONTARGET[nontarget])]
    if new:
        rows.append(lesion(42, "N1", "new", site="bone"))
    got = scans(rows)
    assert got["target"].iloc[0] == "none" and got["overall"].iloc[0] == expected


def bor(responses: list[tuple[int, str]], rules: RecistConfig, progressed: bool = False) -> str:
    tp = pd.DataFrame({"patient_id": "P1", "day": [d for d, _ in responses],
                       "assessment_date": [START + pd.Timedelta(d, "D") for d, _ in responses],
                       "overall": [AS_TIMEPOINT.get(r, r) for _, r in responses]})
    out = best_overall_response(with_counts(tp), pd.Series(["P1"]), pd.Series([progressed]),
                                rules)
    return out["bor"].iloc[0]


CONFIRM = RecistConfig(confirm_response=True, sd_min_days=42)
TABLE_3 = [  # first, subsequent time point -> BOR with confirmation (Table 3); the first at
    # day 56 meets the SD minimum of 42 days, at day 28 it does not (nor, at day 10, the
    # second 28 days later)
    ("CR", "CR", 56, "CR"),
    ("CR", "PR", 56, "PR"),  # 'SD, PD or PR': the CR is taken as a PR (contract)
    ("CR", "SD", 56, "SD"), ("CR", "SD", 10, "PD"),
    ("CR", "PD", 56, "SD"), ("CR", "PD", 28, "PD"),
    ("CR", "NE", 56, "SD"), ("CR", "NE", 28, "NE"),
    ("PR", "CR", 56, "PR"),
    ("PR", "PR", 56, "PR"),
    ("PR", "SD", 56, "SD"),
    ("PR", "PD", 56, "SD"), ("PR", "PD", 28, "PD"),
    ("PR", "NE", 56, "SD"), ("PR", "NE", 28, "NE"),
    ("NE", "NE", 56, "NE"),
]


@pytest.mark.parametrize(("first", "second", "day", "expected"), TABLE_3, ids=lambda v: str(v))
def test_recist_table_3_best_response_when_confirmation_is_required(first, second, day,
                                                                    expected):
    # the CR-then-SD 'otherwise PD' rows: progression documented later (progression_date)
    progressed = expected == "PD"
    assert bor([(day, first), (day + 28, second)], CONFIRM, progressed) == expected


def test_a_response_is_confirmed_only_with_nothing_but_responses_between():
    assert bor([(56, "PR"), (70, "PR"), (98, "PR")], CONFIRM) == "PR"
    assert bor([(56, "PR"), (70, "SD"), (98, "PR")], CONFIRM) == "SD"
    assert bor([(56, "PR"), (70, "NE"), (98, "PR")], CONFIRM) == "SD"
    assert bor([(56, "CR"), (70, "PR"), (98, "CR")], CONFIRM) == "CR"


def test_without_confirmation_a_single_response_counts_at_any_time():
    assert bor([(28, "PR")], RecistConfig()) == "PR"
    assert bor([(28, "SD")], RecistConfig()) == "NE"
    assert bor([(42, "non-CR/non-PD")], RecistConfig()) == "SD"
