"""Prognostic-factor statistics agree with R (survival 3.5.3, stats) to 1e-6.

Expected values: tests/reference/prognostic_expected.json, made by
tests/reference/make_prognostic_expected.R from the datasets of
make_prognostic_datasets.py and R's survival::veteran (R calls beside each block).
The suite itself needs no R. Relative tolerance 1e-6 (absolute 1e-9 near zero).
"""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nps_report.analysis.prognostic import Factor, FactorSpec, analyse_factors
from nps_report.analysis.prognostic.fisher import fisher_exact
from nps_report.analysis.prognostic.logrank import logrank

REF = Path(__file__).parent / "reference"
EXPECTED = json.loads((REF / "prognostic_expected.json").read_text())
DATASETS = EXPECTED["datasets"]
DAYS_PER_MONTH = 30.4375
REL, ABS = 1e-6, 1e-9


def close(actual: float | None, expected: float | None) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=REL, abs_tol=ABS)


def manifest(name: str) -> list[dict[str, str]]:
    with open(REF / "prognostic" / "factors.csv") as fh:
        return [r for r in csv.DictReader(fh) if r["dataset"] == name]


def load(name: str) -> tuple[pd.DataFrame, list[Factor], list[Factor]]:
    with open(REF / "prognostic" / f"{name}.csv") as fh:
        rows = list(csv.DictReader(fh))
    frame = {"patient_id": [r["patient_id"] for r in rows]}
    for ep in ("pfs", "os"):
        if f"{ep}_days" in rows[0]:
            frame[f"{ep}_months"] = [int(r[f"{ep}_days"]) / DAYS_PER_MONTH for r in rows]
            frame[f"{ep}_event"] = [r[f"{ep}_event"] == "1" for r in rows]
    if "bor" in rows[0]:
        frame["bor"] = [r["bor"] for r in rows]
    factors, multi = [], []
    for m in manifest(name):
        levels = tuple(m["levels"].split("|")) if m["levels"] else ()
        spec = FactorSpec(m["column"], m["column"], m["kind"], levels)
        cells = [r[m["column"]] for r in rows]
        if m["kind"] == "continuous":
            values = tuple(float(c) if c else None for c in cells)
        else:
            values = tuple(c or None for c in cells)
        factor = Factor(spec, values)
        factors.append(factor)
        if m["multivariable"] == "1":
            multi.append(factor)
    return pd.DataFrame(frame), factors, multi


@cache
def analysed(name: str, level: str):
    endpoints, factors, multi = load(name)
    return analyse_factors(endpoints, factors, multi, endpoint_names=DATASETS[name]["endpoints"],
                           ci_method="clopper-pearson", level=float(level), km_method="log-log")


CASES = [(name, level, ep) for name, d in DATASETS.items() for level in d["conf_levels"]
         for ep in d["endpoints"]]
IDS = [f"{n}-{lv}-{ep}" for n, lv, ep in CASES]


def assert_rows(ours, expected_block) -> None:
    expected = expected_block["rows"]
    infinite = set(expected_block["r_infinite"])
    assert [(r.factor, r.level, r.reference) for r in ours] == [
        (e["factor"], e["level"], e["reference"]) for e in expected]
    for r, e in zip(ours, expected, strict=True):
        name = e["factor"] + (e["level"] or "")
        if name in infinite or e["coef"] is None:
            assert (r.hr, r.ci_low, r.ci_high, r.p) == (None, None, None, None), name
            continue
        for key in ("hr", "ci_low", "ci_high", "p"):
            assert close(getattr(r, key), e[key]), (name, key, getattr(r, key), e[key])


def assert_ph(model, expected_zph) -> None:
    table = expected_zph["table"]
    if model.not_estimable and len(model.not_estimable) > sum(
            "no patients" in ne.reason for ne in model.not_estimable):
        assert model.ph == () and "ph_not_assessed" in model.warnings
        return
    if isinstance(table, dict):  # R could not compute it (singular information)
        assert model.ph == () and "ph_not_assessed" in model.warnings
        return
    assert [t.term for t in model.ph] == [e["term"] for e in table]
    for t, e in zip(model.ph, table, strict=True):
        assert t.df == e["df"]
        assert close(t.chisq, e["chisq"]) and close(t.p, e["p"]), (t, e)


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_univariable_cox_models_match_coxph(name, level, ep):
    result = analysed(name, level).prognostic.endpoint(ep)
    for factor, block in DATASETS[name][level][ep]["univariable"].items():
        rows = [r for r in result.univariable if r.factor == factor]
        assert [(r.n, r.n_events) for r in rows] == [(e["n"], e["n_events"])
                                                     for e in block["rows"]]
        assert_rows(rows, block)
        model = next(m for m in result.models if m.kind == "univariable"
                     and m.factors == (factor,))
        assert (model.n, model.n_events) == (block["n"], block["n_events"])


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_factor_wald_tests_match_r(name, level, ep):
    result = analysed(name, level).prognostic.endpoint(ep)
    blocks = dict(DATASETS[name][level][ep]["univariable"])
    for model in result.models:
        block = (blocks[model.factors[0]] if model.kind == "univariable"
                 else DATASETS[name][level][ep]["multivariable"])
        for test in model.wald:
            expected = block["wald"][test.term]
            if any(ne.factor == test.term and "no patients" not in ne.reason
                   for ne in model.not_estimable):
                assert test.chisq is None
                continue
            assert test.df == expected["df"]
            assert close(test.chisq, expected["chisq"]) and close(test.p, expected["p"])


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_proportional_hazards_tests_match_cox_zph(name, level, ep):
    result = analysed(name, level).prognostic.endpoint(ep)
    univariable = DATASETS[name][level][ep]["univariable"]
    for model in result.models:
        if model.kind == "univariable":
            assert_ph(model, univariable[model.factors[0]]["zph"])
        else:
            assert_ph(model, DATASETS[name][level][ep]["multivariable"]["zph"])


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_logrank_tests_match_survdiff(name, level, ep):
    result = analysed(name, level).prognostic.endpoint(ep)
    expected = DATASETS[name][level][ep]["logrank"]
    assert [r.factor for r in result.logrank] == list(expected)
    for row in result.logrank:
        e = expected[row.factor]
        assert row.df == e["df"]
        assert close(row.chisq, e["chisq"]) and close(row.p, e["p"]), (row, e)


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_multivariable_model_matches_coxph(name, level, ep):
    result = analysed(name, level).prognostic.endpoint(ep)
    block = DATASETS[name][level][ep]["multivariable"]
    assert_rows(result.multivariable, block)
    model = next(m for m in result.models if m.kind == "multivariable")
    assert (model.n, model.n_events) == (block["n"], block["n_events"])
    assert model.n_excluded == DATASETS[name]["n"] - block["n"]


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_medians_by_level_match_survfit(name, level, ep):
    result = analysed(name, level).prognostic.endpoint(ep)
    for curves in result.curves:
        expected = DATASETS[name][level][ep]["km"][curves.factor]
        for lv in curves.levels:
            if lv.n == 0:
                assert lv.level not in expected
                continue
            e = expected[lv.level]
            assert (lv.n, lv.n_events) == (e["n"], e["n_events"])
            assert close(lv.median, e["median"])
            assert close(lv.ci_low, e["lower"]) and close(lv.ci_high, e["upper"])


RESPONSE_CASES = [(n, lv) for n, d in DATASETS.items() for lv in d["conf_levels"]
                  if "response" in d[lv]]


@pytest.mark.parametrize(("name", "level"), RESPONSE_CASES)
def test_response_by_factor_matches_binom_and_fisher_test(name, level):
    result = analysed(name, level)
    expected = DATASETS[name][level]["response"]
    assert list(dict.fromkeys(r.factor for r in result.response_by_factor)) == list(expected)
    for factor, e in expected.items():
        rows = [r for r in result.response_by_factor if r.factor == factor]
        assert [r.level for r in rows] == [lv["level"] for lv in e["levels"]]
        for r, lv in zip(rows, e["levels"], strict=True):
            assert (r.n, r.responders) == (lv["n"], lv["responders"])
            assert close(r.estimate, lv["estimate"])
            assert close(r.ci_low, lv["ci_low"]) and close(r.ci_high, lv["ci_high"])
            assert close(r.p, e["fisher_p"]), (factor, r.p, e["fisher_p"])


@pytest.mark.parametrize("case", EXPECTED["fisher_tables"], ids=lambda c: c["r_call"][:60])
def test_fisher_exact_matches_fisher_test_on_larger_tables(case):
    table = np.array(case["column_major"]).reshape(case["ncol"], case["nrow"]).T
    assert close(fisher_exact(table), case["p"])


def test_veteran_celltype_hazard_ratios_are_the_textbook_ones():
    """survival::veteran, coxph(Surv(time, status) ~ celltype): HR 2.72 (smallcell),
    3.15 (adeno), 1.26 (large) against squamous (also in the JSON, to 1e-6)."""
    rows = [r for r in analysed("veteran", "0.95").prognostic.endpoint("os").univariable
            if r.factor == "celltype"]
    assert [round(r.hr, 2) for r in rows] == [2.72, 3.15, 1.26]


@pytest.mark.parametrize(("name", "level", "ep"), CASES, ids=IDS)
def test_logrank_agrees_with_lifelines_where_their_df_rules_agree(name, level, ep):
    from lifelines.statistics import multivariate_logrank_test

    endpoints, factors, _ = load(name)
    time = endpoints[f"{ep}_months"].to_numpy()
    event = endpoints[f"{ep}_event"].to_numpy()
    for f in factors:
        if not f.spec.categorical:
            continue
        keep = np.array([v is not None for v in f.values])
        groups = np.array([v for v in f.values if v is not None])
        ours = logrank(time[keep], event[keep], groups)
        if ours.df != len(set(groups)) - 1:
            continue  # a group without expected events: survdiff's df, not lifelines'
        theirs = multivariate_logrank_test(time[keep], groups, event[keep])
        assert math.isclose(ours.chisq, theirs.test_statistic, rel_tol=1e-9, abs_tol=1e-12)
