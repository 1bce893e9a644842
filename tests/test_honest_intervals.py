"""Issue 25: an interval that is no interval is said to be so, in the build and in the table.

The reference study uses the t interval (it reproduces the article's numbers with it): its
0/6 subgroup has the 'interval' 0.0–0.0 and four subgroups have their lower limit cut at
0%. The numbers stay; a notice and a lettered table footnote say what they are.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nps_report.analysis.analyse import analyse
from nps_report.analysis.km import kaplan_meier, median_time, symmetric_median_ci
from nps_report.analysis.proportions import proportion_ci
from nps_report.config import CIConfig
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute, validate
from nps_report.present.catalogue import CATALOGUE
from nps_report.render import compose_documents
from nps_report.render.method_names import method_name_notices
from nps_report.results import DEGENERATE, TRUNCATED, interval_bound

from .test_documents import fake_figures

AT = "2025-01-01T00:00:00Z"


@pytest.mark.parametrize(("n", "total", "method", "expected"), [
    (0, 6, "t", DEGENERATE), (6, 6, "wald", DEGENERATE), (2, 16, "t", TRUNCATED),
    (15, 16, "wald", TRUNCATED), (4, 30, "t", None), (0, 6, "clopper-pearson", None),
    (0, 6, "wilson", None), (2, 16, "wilson", None)])
def test_interval_bound_names_degenerate_and_cut_intervals(n, total, method, expected):
    low, high = proportion_ci(n, total, method, 0.95)
    assert interval_bound(n, total, low, high, method) == expected


@pytest.fixture(scope="module")
def reference():
    return compute(REFERENCE_STUDY, built_at=AT)


def test_the_reference_build_says_which_intervals_are_degenerate_or_cut(reference):
    _, results = reference
    notices = {n.code: n for n in results.notices}
    assert notices["ci_degenerate"].details == ("ORR, ECOG performance status 2: 0/6, "
                                                "0.0%–0.0%",)
    cut = notices["ci_truncated"].details
    assert len(cut) == 4 and all(", 0.0%–" in d for d in cut)
    assert "Metastatic sites: Liver no: 3/19, 0.0%–33.8%" in " ".join(cut)
    # the numbers themselves are the method's (the published ORR 0.4–26.2 is untouched)
    assert results.efficacy.orr.bound is None
    assert (round(results.efficacy.orr.ci_low * 100, 1),
            round(results.efficacy.orr.ci_high * 100, 1)) == (0.4, 26.2)


def test_the_table_marks_them_and_its_notes_say_why(reference, tmp_path):
    study, results = reference
    tables = CATALOGUE.build_tables(results)
    spec = tables["response_by_factor"]
    marked = {r.cells[0]: r.marks for r in spec.rows if r.marks}
    assert marked == {"2": "a", "Yes": "b", "No": "b"}
    assert spec.footnotes == (("a", DEGENERATE), ("b", TRUNCATED))
    ms = compose_documents(results, tables, fake_figures(tmp_path), study.config,
                           REFERENCE_STUDY)
    table = next(e for e in ms.elements if getattr(e, "spec", None) is spec)
    notes = [n.text for n in table.notes]
    assert any(t.startswith("aThe t interval has no width when none or all") for t in notes)
    assert any(t.startswith("bThe t interval reached below 0% or above 100%") for t in notes)
    assert not any(n.code.startswith("ci_") for n in ms.notices)  # said once, by the analysis


def test_exact_intervals_need_no_footnote():
    study, endpoints = validate(REFERENCE_STUDY)
    exact = dataclasses.replace(study, config=dataclasses.replace(
        study.config, ci=CIConfig(0.95, "clopper-pearson", "log-log")))
    results = analyse(exact, endpoints, built_at=AT, generator_version="test")
    assert not [n for n in results.notices if n.code.startswith("ci_")]
    assert not CATALOGUE.build_tables(results)["response_by_factor"].footnotes


def test_a_symmetric_median_interval_below_zero_months_is_cut_at_zero():
    # six patients, the median 2.2 months with a standard error that reaches below 0
    time = np.array([0.5, 0.7, 1.5, 2.2, 2.5, 2.9])
    fit = kaplan_meier(time, np.array([1, 1, 0, 1, 1, 0], dtype=bool))
    low, high = symmetric_median_ci(fit, median_time(fit.time, fit.surv))
    assert low == 0.0 and high == pytest.approx(5.13995, abs=1e-4)


def test_the_authors_text_crediting_a_method_not_used_is_reported(reference):
    _, results = reference  # ci.km: symmetric, ci.proportion: t
    text = {"methods": "Median CIs by Brookmeyer and Crowley [4]; proportions by the exact "
                       "method of Clopper and Pearson [5].",
            "discussion": "Wilson (2019) found the same."}  # a surname, not the method
    (notice,) = method_name_notices(text, results.methods)
    assert notice.code == "method_citation"
    assert notice.details == (
        "manuscript/methods.md names Brookmeyer and Crowley's interval for the median (an "
        "inverted pointwise interval), but the numbers use ci.km: symmetric: Collett's "
        "symmetric interval (median ± z × SE)",
        "manuscript/methods.md names the Clopper–Pearson interval, but the numbers use "
        "ci.proportion: t: the t interval for the mean of the binary response")
    log_log = dataclasses.replace(results.methods, km_ci="log-log")
    assert len(method_name_notices(text, log_log)[0].details) == 1


def test_the_reference_manuscript_cites_the_methods_it_uses(reference, tmp_path):
    study, results = reference
    ms = compose_documents(results, CATALOGUE.build_tables(results), fake_figures(tmp_path),
                           study.config, REFERENCE_STUDY)
    assert not [n for n in ms.notices if n.code in ("method_citation", "references_unused")]
    assert "Collett's symmetric formula" in " ".join(
        b.text for b in ms.elements if hasattr(b, "runs") and hasattr(b, "kind"))
