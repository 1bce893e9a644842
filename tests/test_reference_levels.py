"""Issue 25: a factor's reference level is chosen in study.yaml and stated the same way in
the Methods, the tables, the figures and the text.

`prognostic.factors` takes `{column: x, reference: "No"}` beside plain column names
(contract section 2); the named level goes first, so each hazard ratio and response
rate is compared with it, and the Methods list every factor's reference level.
"""

from __future__ import annotations

import pytest

from nps_report.analysis.prognostic import analyse_prognostic
from nps_report.errors import StudyError
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute, validate
from nps_report.present.catalogue import CATALOGUE
from nps_report.render import compose_documents
from nps_report.synthetic import write_study

from .test_documents import fake_figures

AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def reference():
    return validate(REFERENCE_STUDY)


def analysed(reference, references):
    study, endpoints = reference
    return analyse_prognostic(endpoints.patients, study.patients, study.config.baseline,
                              ["platinum_refractory", "met_liver"], references=references,
                              ci_method="t", level=0.95, km_method="symmetric").prognostic


def test_a_named_reference_level_goes_first_and_inverts_the_hazard_ratio(reference):
    first = analysed(reference, {})  # Table 1 lists Yes first: Yes is the reference
    named = analysed(reference, {"platinum_refractory": "no", "met_liver": "YES"})
    assert first.factor("platinum_refractory").levels == ("Yes", "No")
    assert named.factor("platinum_refractory").levels == ("No", "Yes")  # matched in any case
    assert named.factor("met_liver").levels == ("yes", "no")
    a = next(r for r in first.pfs.univariable if r.factor == "platinum_refractory")
    b = next(r for r in named.pfs.univariable if r.factor == "platinum_refractory")
    assert (a.level, a.reference, b.level, b.reference) == ("No", "Yes", "Yes", "No")
    assert b.hr == pytest.approx(1 / a.hr, rel=1e-6)
    assert (b.ci_low, b.ci_high) == pytest.approx((1 / a.ci_high, 1 / a.ci_low), rel=1e-6)
    assert b.p == pytest.approx(a.p, rel=1e-6)


def with_prognostic(tmp_path, block: str):
    study = write_study(tmp_path / "s", 30, seed=4)
    text = (study / "study.yaml").read_text(encoding="utf-8")
    (study / "study.yaml").write_text(text + block, encoding="utf-8")
    return study


def test_an_unquoted_no_is_the_level_no(tmp_path):
    study = with_prognostic(tmp_path, "prognostic:\n  factors: [{column: met_liver, "
                                      "reference: yes}, ecog]\n")
    s, _ = validate(study)
    assert s.config.prognostic.references == {"met_liver": "Yes"}
    assert s.config.prognostic.columns == ("met_liver", "ecog")


@pytest.mark.parametrize(("entry", "message"), [
    ('{column: ecog, reference: "3"}', "not a level of this factor (found '3'); expected "),
    ('{column: age, reference: "60"}', "a continuous factor has no reference level"),
    ('{column: met_liver, reference: "maybe"}', "not a level of this yes/no factor"),
    ('{column: ecog, referense: "2"}', "unknown key"),
    ('{reference: "2"}', "no column given"),
])
def test_a_reference_that_is_no_level_is_refused_with_the_levels(tmp_path, entry, message):
    study = with_prognostic(tmp_path, f"prognostic:\n  factors: [{entry}]\n")
    with pytest.raises(StudyError) as err:
        validate(study)
    text = " ".join(str(p) for p in err.value.problems)
    assert message in text and "prognostic.factors[1]" in text


def test_the_methods_the_tables_and_the_text_state_the_same_reference(tmp_path):
    study = with_prognostic(tmp_path, "prognostic:\n  factors: [ecog, {column: met_liver, "
                                      "reference: \"yes\"}]\n")
    s, results = compute(study, built_at=AT)
    tables = CATALOGUE.build_tables(results)
    ms = compose_documents(results, tables, fake_figures(tmp_path / "f"), s.config, study)
    text = " ".join(b.text for b in ms.elements if hasattr(b, "kind"))
    assert "which was 0–1 for ECOG performance status and yes for metastatic sites: liver" \
        in text
    assert "metastatic sites: liver (no versus yes)" in text
    cox = tables["cox_pfs"]
    rows = [r.cells[:4] for r in cox.rows if r.kind == "item"]
    liver = rows[rows.index(next(r for r in rows if r[0] == "Yes")):][:2]
    assert [r[0] for r in liver] == ["Yes", "No"] and liver[0][3] == "Reference"


def test_the_abstract_reports_the_cox_models_and_log_rank_tests_it_announces(tmp_path):
    from nps_report.render.layout import WORD_COUNT  # noqa: F401  (the module loads)

    s, results = compute(REFERENCE_STUDY, built_at=AT)
    ms = compose_documents(results, CATALOGUE.build_tables(results),
                           fake_figures(tmp_path), s.config, REFERENCE_STUDY)
    blocks = [b for b in ms.elements if hasattr(b, "kind")]
    start = next(i for i, b in enumerate(blocks) if b.text == "Abstract")
    end = next(i for i, b in enumerate(blocks) if i > start and b.kind == "heading"
               and b.level == 1)
    abstract = " ".join(b.text for b in blocks[start:end])
    assert "explored with Cox proportional-hazards models and log-rank tests" in abstract
    for endpoint in ("PFS", "OS"):
        assert f"In univariable Cox models of {endpoint}, the " in abstract
    assert "ECOG performance status (2 versus 0–1), HR 3.36 (95% CI 1.26–8.94)" in abstract
    assert "log-rank tests gave p = 0.010 for ECOG performance status, p = 0.005 for " \
           "platinum-refractory disease" in abstract
