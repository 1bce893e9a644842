"""The prognostic analysis says what it cannot estimate, and why, instead of a big number.

Not-estimable hazard ratios, events per coefficient, doubtful proportional hazards,
skipped tests; the study.yaml adapter; plain values in the results; and lifelines
loaded only by a fit. (Agreement with R: test_prognostic_against_r.py.)
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nps_report.analysis.prognostic import (
    Factor,
    FactorSpec,
    analyse_factors,
    analyse_prognostic,
    factors_from_baseline,
)
from nps_report.analysis.prognostic.fisher import FisherTooLarge, fisher_exact
from nps_report.errors import Notice, StudyError
from nps_report.pipeline import validate
from tests.test_prognostic_against_r import analysed

REFERENCE = Path(__file__).parent.parent / "data" / "anlotinib_rmnpc"
YES_NO = ("no", "yes")


def frame(time, event, bor=None) -> pd.DataFrame:
    n = len(time)
    return pd.DataFrame({"patient_id": [f"P{i}" for i in range(n)],
                         "pfs_months": np.asarray(time, dtype=float),
                         "pfs_event": np.asarray(event, dtype=bool),
                         "os_months": np.asarray(time, dtype=float),
                         "os_event": np.asarray(event, dtype=bool),
                         "bor": bor if bor is not None else ["SD"] * n})


def categorical(column, levels, values) -> Factor:
    return Factor(FactorSpec(column, column, "categorical", tuple(levels)), tuple(values))


def notice(result, code) -> Notice:
    found = [n for n in result.notices if n.code == code]
    assert len(found) == 1, [n.code for n in result.notices]
    return found[0]


def model_of(result, endpoint, factor):
    return next(m for m in result.prognostic.endpoint(endpoint).models if m.factors == (factor,))


# ---------------------------------------------------------------- not estimable
def test_a_level_without_events_is_not_estimable_and_the_other_levels_are():
    result = analysed("n40_no_events_level", "0.95")
    for ep in ("pfs", "os"):
        rows = {r.level: r for r in result.prognostic.endpoint(ep).univariable if r.factor == "arm"}
        assert rows["C"].n_events == 0
        assert (rows["C"].hr, rows["C"].ci_low, rows["C"].ci_high, rows["C"].p) == (
            None, None, None, None)
        assert rows["B"].hr is not None and 0.05 < rows["B"].hr < 20
        model = model_of(result, ep, "arm")
        assert "not_estimable" in model.warnings
        assert [(ne.level, ne.reason) for ne in model.not_estimable] == [
            ("C", "no events in level 'C'")]
    assert "OS, univariable arm: arm = C: no events in level 'C'" in notice(
        result, "prognostic_not_estimable").details


def test_a_group_whose_events_all_come_first_is_not_estimable():
    """Monotone likelihood towards +infinity: no level is free of events."""
    result = analysed("n25_separation", "0.95")
    rows = {r.level: r for r in result.prognostic.endpoint("pfs").univariable
            if r.factor == "group"}
    assert rows["early"].n_events == 3 and rows["early"].hr is None
    model = model_of(result, "pfs", "group")
    (ne,) = model.not_estimable
    assert ne.level == "early" and "monotone likelihood" in ne.reason
    assert rows["single"].hr is not None  # one patient, but a finite maximum
    assert model.ph == () and "ph_not_assessed" in model.warnings


def test_a_level_without_patients_has_a_row_with_no_estimate():
    result = analysed("n30_empty_level", "0.95")
    row = next(r for r in result.prognostic.endpoint("pfs").univariable if r.level == "III")
    assert (row.n, row.n_events, row.hr) == (0, 0, None)
    model = model_of(result, "pfs", "stage")
    assert [ne.reason for ne in model.not_estimable] == ["no patients in level 'III'"]
    assert model.n_parameters == 2  # II and IV against I
    assert [r.level for r in result.response_by_factor if r.factor == "stage"] == [
        "I", "II", "III", "IV"]
    empty = next(r for r in result.response_by_factor if r.level == "III")
    assert (empty.n, empty.estimate, empty.ci_low) == (0, None, None)


def test_no_hazard_ratio_against_an_empty_reference_level():
    """R would silently report the others against its last level; we report none."""
    rng = np.random.default_rng(1)
    time = rng.exponential(10, 30)
    event = rng.random(30) < 0.8
    f = categorical("stage", ["I", "II", "III"], rng.choice(["II", "III"], 30))
    result = analyse_factors(frame(time, event), [f], endpoint_names=("pfs",))
    assert [r.hr for r in result.prognostic.endpoint("pfs").univariable] == [None, None]
    reasons = {ne.reason for ne in model_of(result, "pfs", "stage").not_estimable}
    assert reasons == {"no patients in the reference level 'I'"}


def test_a_reference_level_without_events_makes_every_hazard_ratio_not_estimable():
    rng = np.random.default_rng(2)
    values = np.array(["a"] * 10 + ["b"] * 10 + ["c"] * 10)
    time = rng.exponential(10, 30)
    event = (values != "a") & (rng.random(30) < 0.8)
    result = analyse_factors(frame(time, event), [categorical("g", "abc", values)],
                             endpoint_names=("pfs",))
    assert [r.hr for r in result.prognostic.endpoint("pfs").univariable] == [None, None]
    assert {ne.reason for ne in model_of(result, "pfs", "g").not_estimable} == {
        "no events in the reference level 'a'"}


def test_a_continuous_factor_that_orders_every_event_is_not_estimable():
    """Every event has the largest value at risk: the HR per unit runs to infinity."""
    time = np.arange(1.0, 21.0)
    value = tuple(float(v) for v in 100 - time)  # earlier events, larger values
    f = Factor(FactorSpec("ldh", "LDH", "continuous"), value)
    result = analyse_factors(frame(time, np.ones(20, dtype=bool)), [f], endpoint_names=("pfs",))
    (row,) = result.prognostic.endpoint("pfs").univariable
    assert row.hr is None and row.n == 20
    (ne,) = model_of(result, "pfs", "ldh").not_estimable
    assert "monotone likelihood" in ne.reason


def test_a_continuous_factor_without_variation_is_not_estimable():
    rng = np.random.default_rng(6)
    f = Factor(FactorSpec("dose", "Dose", "continuous"), (10.0,) * 20)
    result = analyse_factors(frame(rng.exponential(5, 20), np.ones(20, dtype=bool)), [f],
                             endpoint_names=("pfs",))
    assert result.prognostic.endpoint("pfs").univariable[0].hr is None
    (ne,) = model_of(result, "pfs", "dose").not_estimable
    assert ne.reason == "every patient has the same value"


def test_a_not_estimable_level_leaves_the_other_factors_of_a_multivariable_model():
    result = analysed("n40_no_events_level", "0.95")
    rows = {(r.factor, r.level): r for r in result.prognostic.endpoint("pfs").multivariable}
    assert rows[("arm", "C")].hr is None
    assert rows[("flag", "yes")].hr is not None and rows[("arm", "B")].hr is not None


def test_a_fit_that_does_not_reach_the_maximum_is_reported_as_not_estimable(monkeypatch):
    """Whatever lifelines returns is checked (score ~ 0); a stalled answer is not printed."""
    import nps_report.analysis.prognostic.cox as cox

    def stalled(time, event, x, strata, start):
        return np.full(x.shape[1], 0.1), np.eye(x.shape[1])

    monkeypatch.setattr(cox, "_lifelines", stalled)
    endpoints, f = crossing_hazards()
    result = analyse_factors(endpoints, [f], endpoint_names=("pfs",))
    assert result.prognostic.endpoint("pfs").univariable[0].hr is None
    (ne,) = model_of(result, "pfs", "g").not_estimable
    assert ne.reason == "the fit did not reach the maximum of the partial likelihood"


# ---------------------------------------------------------------- events per coefficient
def test_models_with_fewer_than_ten_events_per_coefficient_are_flagged():
    small = analysed("n12_small", "0.95")
    model = model_of(small, "os", "score")
    assert (model.n_events, model.n_parameters, model.events_per_parameter) == (2, 1, 2.0)
    assert "low_epv" in model.warnings
    details = notice(small, "prognostic_low_events_per_parameter").details
    assert "OS, univariable score: 2 events for 1 coefficient (2.0 per coefficient)" in details
    large = analysed("n300_large", "0.95")
    assert all("low_epv" not in m.warnings for m in large.prognostic.endpoint("pfs").models)
    assert all(n.code != "prognostic_low_events_per_parameter" for n in large.notices)


def test_a_three_level_factor_counts_two_coefficients():
    model = model_of(analysed("n60_heavy_ties", "0.95"), "os", "site")
    assert model.n_parameters == 2
    assert model.events_per_parameter == model.n_events / 2


# ---------------------------------------------------------------- proportional hazards
def crossing_hazards(n=200, seed=7):
    """Group b dies early or survives long; group a in between: curves cross."""
    rng = np.random.default_rng(seed)
    group = np.array(["a", "b"] * (n // 2))
    early = rng.random(n) < 0.5
    time = np.where(group == "a", rng.exponential(10, n),
                    np.where(early, rng.exponential(2, n), rng.exponential(40, n)))
    event = time < 30
    return frame(np.minimum(time, 30), event), categorical("g", "ab", group)


def test_doubtful_proportional_hazards_is_reported_with_what_was_tested():
    endpoints, f = crossing_hazards()
    result = analyse_factors(endpoints, [f], endpoint_names=("pfs",))
    model = model_of(result, "pfs", "g")
    assert [t.term for t in model.ph] == ["g", "GLOBAL"]
    assert model.ph[0].p < 0.05 and "ph_doubtful" in model.warnings
    n = notice(result, "prognostic_ph_doubtful")
    assert "may not hold" in n.message and "significant" not in str(n).lower()
    assert n.details[0].startswith("PFS, univariable g: g: chi-square ")


def test_proportional_hazards_that_hold_raise_no_warning():
    rng = np.random.default_rng(3)
    group = np.array(["a", "b"] * 100)
    time = rng.exponential(np.where(group == "a", 10.0, 5.0))
    result = analyse_factors(frame(time, np.ones(200, dtype=bool)), [categorical(
        "g", "ab", group)], endpoint_names=("pfs",))
    model = model_of(result, "pfs", "g")
    assert model.ph[0].p > 0.05 and model.warnings == ()
    assert result.notices == ()


def test_no_ph_test_when_the_information_is_singular():
    """One patient in a level, dying at the first event time together with another
    patient: a finite HR, but the level is at risk at one event time only, so g(t)
    takes one value where x varies (R: cox.zph stops, 'system is exactly singular')."""
    rng = np.random.default_rng(4)
    time = np.concatenate(([0.5, 0.5], rng.uniform(1, 20, 18)))
    values = ["rare"] + ["common"] * 19
    result = analyse_factors(frame(time, np.ones(20, dtype=bool)), [categorical(
        "g", ["common", "rare"], values)], endpoint_names=("pfs",))
    model = model_of(result, "pfs", "g")
    assert result.prognostic.endpoint("pfs").univariable[0].hr is not None
    assert model.ph == () and "ph_not_assessed" in model.warnings


# ---------------------------------------------------------------- tests skipped
def test_no_logrank_or_fisher_test_when_one_level_has_all_patients():
    rng = np.random.default_rng(5)
    f = categorical("g", "ab", ["a"] * 20)
    result = analyse_factors(frame(rng.exponential(5, 20), np.ones(20, dtype=bool),
                                   ["PR"] * 5 + ["PD"] * 15), [f], endpoint_names=("pfs",))
    (lr,) = result.prognostic.endpoint("pfs").logrank
    assert (lr.chisq, lr.df, lr.p) == (None, 0, None)
    assert all(r.p is None for r in result.response_by_factor)
    assert notice(result, "prognostic_fisher_not_computed").details == (
        "g: fewer than two levels with patients",)
    assert notice(result, "prognostic_logrank_not_possible").details == ("PFS: g",)


def test_fisher_refuses_rather_than_runs_for_minutes_on_huge_tables():
    rng = np.random.default_rng(2)
    levels = rng.integers(0, 6, 2000)
    resp = rng.integers(0, 2, 2000)
    table = np.zeros((6, 2), dtype=int)
    np.add.at(table, (levels, resp), 1)
    with pytest.raises(FisherTooLarge):
        fisher_exact(table)


@pytest.mark.parametrize(("table", "p"), [
    # R 4.2.2: print(fisher.test(matrix(c(1200, 1500, 3800, 3500), 2))$p.value, digits = 17)
    ([[1200, 3800], [1500, 3500]], 1.5834970631324278e-11),
    # fisher.test(matrix(c(12000, 15000, 38000, 35000), 2))$p.value
    ([[12000, 38000], [15000, 35000]], 2.1205906248494996e-101),
    # fisher.test(matrix(c(300, 320, 330, 3000, 3100, 2950), 3))$p.value
    ([[300, 3000], [320, 3100], [330, 2950]], 0.3844041386384528),
])
def test_fisher_on_large_studies_is_quick_and_agrees_with_r(table, p):
    """A yes/no factor of 100,000 patients takes R's 2 x 2 route (linear in n); a k x 2
    table bounds its completions a block at a time, so memory does not grow with n^2."""
    import time

    start = time.perf_counter()
    assert fisher_exact(table) == pytest.approx(p, rel=1e-6)
    assert time.perf_counter() - start < 5


def test_the_2x2_route_agrees_with_the_network_on_every_small_table():
    import math

    from nps_report.analysis.prognostic import fisher

    tol = math.log1p(fisher.REL_TOL_2X2)
    for a in range(6):
        for b in range(6):
            for c in range(6):
                for d in range(1, 6):
                    t = np.array([[a, b], [c, d]])
                    if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
                        continue
                    assert fisher._two_by_two(t, tol) == pytest.approx(
                        fisher._two_columns(t, tol), rel=1e-12), t


def test_fisher_refuses_a_k_by_2_table_too_large_to_bound_before_allocating_it():
    import time

    start = time.perf_counter()
    with pytest.raises(FisherTooLarge, match="to bound its completions"):
        fisher_exact([[3000, 30000], [3200, 31000], [3300, 29500]])  # R: FEXACT error 40
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(("table", "p"), [
    ([[0, 0], [5, 6]], 1.0),  # no responders: one possible table
    ([[3, 0], [4, 0]], 1.0),
    ([[5]], 1.0),
    ([[1, 0], [0, 1]], 1.0),
    ([[4, 0], [0, 4]], 1 / 35),  # R: fisher.test(matrix(c(4, 0, 0, 4), 2))$p.value
])
def test_fisher_on_degenerate_and_small_tables(table, p):
    assert fisher_exact(table) == pytest.approx(p, rel=1e-12)


def test_fisher_rejects_tables_that_are_not_counts():
    with pytest.raises(ValueError, match="non-negative whole counts"):
        fisher_exact([[1, -1], [2, 3]])
    with pytest.raises(ValueError, match="non-negative whole counts"):
        fisher_exact([[1.5, 1], [2, 3]])


# ---------------------------------------------------------------- adapter and inputs
@pytest.fixture(scope="module")
def reference():
    return validate(REFERENCE)


def test_factors_come_from_the_baseline_rows_of_study_yaml(reference):
    study, _ = reference
    ecog, liver, age, lines = factors_from_baseline(
        study.config.baseline, study.patients, ["ecog", "met_liver", "age", "prior_lines"])
    assert (ecog.spec.kind, ecog.spec.levels) == ("categorical", ("0-1", "2"))
    raw = study.patients["ecog"].tolist()
    assert [v for v, r in zip(ecog.values, raw, strict=True) if r in ("0", "1")] == [
        "0-1"] * sum(r in ("0", "1") for r in raw)
    assert (liver.spec.kind, liver.spec.levels, liver.spec.group, liver.spec.label) == (
        "binary", YES_NO, "Metastatic sites", "Liver")
    assert set(liver.values) == set(YES_NO)
    assert age.spec.kind == "continuous" and all(isinstance(v, float) for v in age.values)
    assert lines.spec.levels == ("0", "1", "≥2") and "≥2" in lines.values


def test_an_unknown_factor_is_refused_with_the_nearest_name(reference):
    study, _ = reference
    with pytest.raises(StudyError) as info:
        factors_from_baseline(study.config.baseline, study.patients, ["ecgo"])
    text = str(info.value)
    assert "prognostic.factors" in text and "'ecgo'" in text and "did you mean 'ecog'" in text


def test_blank_cells_are_missing_and_left_out_of_that_factor_only(reference):
    study, endpoints = reference
    patients = study.patients.copy()
    patients.loc[[0, 1], "ecog"] = ""
    result = analyse_prognostic(endpoints.patients, patients, study.config.baseline,
                                ["ecog", "age"], endpoint_names=("os",))
    assert model_of(result, "os", "ecog").n == 28
    assert model_of(result, "os", "ecog").n_excluded == 2
    assert model_of(result, "os", "age").n == 30
    assert result.prognostic.factor("ecog").n_missing == 2
    assert notice(result, "prognostic_missing_values").details == ("ecog: 2 of 30 patients",)


def test_factor_specs_and_values_are_checked():
    with pytest.raises(ValueError, match="kind"):
        FactorSpec("x", "x", "ordinal")
    with pytest.raises(ValueError, match="yes/no"):
        FactorSpec("x", "x", "binary", ("yes", "maybe"))
    assert FactorSpec("x", "x", "binary", ("yes", "no")).reference == "yes"  # named first
    with pytest.raises(ValueError, match="not one of"):
        categorical("x", "ab", ["a", "c"])
    with pytest.raises(ValueError, match="finite number"):
        Factor(FactorSpec("x", "x", "continuous"), (1.0, float("nan")))


def test_the_reference_study_gives_one_row_per_non_reference_level(reference):
    study, endpoints = reference
    result = analyse_prognostic(endpoints.patients, study.patients, study.config.baseline,
                                ["ecog", "stage", "age"], ["ecog", "age"],
                                ci_method="t", level=0.95, km_method="symmetric")
    pfs = result.prognostic.endpoint("pfs")
    assert [(r.factor, r.level, r.reference) for r in pfs.univariable] == [
        ("ecog", "2", "0-1"), ("stage", "III", "II"), ("stage", "IV", "II"),
        ("age", None, None)]
    assert [(r.factor, r.level) for r in pfs.multivariable] == [("ecog", "2"), ("age", None)]
    assert [r.factor for r in pfs.logrank] == ["ecog", "stage"]
    assert sum(lv.n for lv in pfs.curves[1].levels) == 30
    assert [r.level for r in result.response_by_factor] == ["0-1", "2", "II", "III", "IV"]
    methods = result.prognostic.methods
    assert methods.proportion_ci == "t" and methods.km_ci == "symmetric"


def test_results_hold_plain_python_values_only(reference):
    """results.json is written straight from these objects: no numpy or pandas scalars."""
    study, endpoints = reference
    result = analyse_prognostic(endpoints.patients, study.patients, study.config.baseline,
                                ["ecog", "met_liver", "age"], ["ecog", "age"])

    def walk(obj):
        if dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name))
        elif isinstance(obj, tuple):
            for item in obj:
                walk(item)
        else:
            assert obj is None or type(obj) in (str, int, float, bool), (type(obj), obj)

    walk(result)
    row = dataclasses.asdict(result.prognostic.endpoint("os").univariable[0])
    assert list(row) == ["factor", "level", "reference", "n", "n_events", "hr", "ci_low",
                         "ci_high", "p"]


def test_serialised_like_results_json_the_keys_are_the_contracts(reference):
    """Walked as Results.to_dict walks dataclasses: prognostic.{pfs,os}.* rows carry
    exactly the contract's keys (study-contract.md section 3)."""
    from nps_report.codec import encode as _plain

    study, endpoints = reference
    analysis = _plain(analyse_prognostic(endpoints.patients, study.patients,
                                         study.config.baseline, ["ecog", "age"],
                                         ["ecog", "age"]))
    d = analysis["prognostic"]
    for ep in ("pfs", "os"):
        assert list(d[ep]["univariable"][0]) == ["factor", "level", "reference", "n",
                                                 "n_events", "hr", "ci_low", "ci_high", "p"]
        assert list(d[ep]["logrank"][0]) == ["factor", "chisq", "df", "p"]
        assert list(d[ep]["multivariable"][0]) == ["factor", "level", "reference", "hr",
                                                   "ci_low", "ci_high", "p"]
    assert list(analysis["response_by_factor"][0]) == [
        "factor", "level", "n", "responders", "estimate", "ci_low", "ci_high", "p"]
    assert d["pfs"]["univariable"][1]["level"] is None  # age: continuous


# ---------------------------------------------------------------- import cost
def imported_after(code: str) -> list[str]:
    probe = (f"import sys; {code}; print([m for m in ('pandas', 'numpy', 'scipy', "
             "'lifelines') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()
    return eval(out)


def test_the_result_model_imports_without_the_analysis_stack():
    assert imported_after("import nps_report.analysis.prognostic") == []
    assert imported_after("from nps_report.results import Prognostic") == []


def test_lifelines_is_imported_only_when_a_model_is_fitted():
    assert "lifelines" not in imported_after(
        "from nps_report.analysis.prognostic import analyse_prognostic, analyse_factors")
    assert "lifelines" not in imported_after("import nps_report.pipeline")
