"""The shipped reference study reproduces every number the article published.

Published numbers are typed once, in tests/fixtures/published.yaml (a copy of
shared/reference/published-aggregates.yaml). They are checked against the Results
computed from the patient-level CSVs, under the methods data/anlotinib_rmnpc/study.yaml
names (t interval, symmetric KM median CI), at the published one decimal.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from nps_report.analysis.analyse import analyse
from nps_report.config import CIConfig
from nps_report.pipeline import validate
from nps_report.present.fmt import fmt_num

PUBLISHED = yaml.safe_load((Path(__file__).parent / "fixtures" / "published.yaml").read_text())
REFERENCE = Path(__file__).parent.parent / "data" / "anlotinib_rmnpc"

TABLE1_LABELS = {
    "sex": "Sex",
    "ecog": "ECOG performance status",
    "stage_at_diagnosis": "Stage at diagnosis",
    "disease_status_at_start": "Disease status at start of anlotinib",
    "metastatic_sites": "Metastatic sites",
    "prior_systemic_lines": "Prior systemic therapy lines",
    "platinum_refractory": "Platinum-refractory disease",
    "starting_dose_mg": "Starting dose (mg/day)",
    "rt_for_recurrent_or_metastatic_lesions": "Radiotherapy for recurrent or metastatic lesions",
    "surgery_for_recurrent_lesions": "Surgery for recurrent lesions",
    "immunotherapy_before_anlotinib": "Immunotherapy before anlotinib",
}


@pytest.fixture(scope="module")
def study():
    return validate(REFERENCE)


@pytest.fixture(scope="module")
def results(study):
    return analyse(*study, built_at="2025-01-01T00:00:00Z", generator_version="test")


def one(x: float | None) -> str:
    return fmt_num(x, 1)


def test_patient_count(results):
    assert results.n_patients == PUBLISHED["study"]["n_patients"]


def test_age_median_and_range(results):
    age = next(v for v in results.baseline if v.label == "Age (years)").summary
    assert (age.median, age.min, age.max) == tuple(
        PUBLISHED["baseline"]["age_years"][k] for k in ("median", "min", "max"))


@pytest.mark.parametrize("key", sorted(TABLE1_LABELS))
def test_table1_counts(results, key):
    var = next(v for v in results.baseline if v.label == TABLE1_LABELS[key])
    got = {lv.label.replace("≥", ">="): lv.n for lv in var.levels}
    want = {str(k): v for k, v in PUBLISHED["baseline"][key].items()}
    assert got == want


def test_best_overall_response_from_the_scans(results):
    assert {k: v for k, v in results.efficacy.bor_counts.items() if k != "NE"} == \
        PUBLISHED["efficacy"]["bor"]
    assert results.efficacy.bor_counts["NE"] == 0


@pytest.mark.parametrize("name", ["orr", "dcr"])
def test_orr_and_dcr_with_the_articles_t_interval(results, name):
    p = getattr(results.efficacy, name)
    want = PUBLISHED["efficacy"][name]
    assert p.method == "t"
    assert one(p.estimate * 100) == one(want["percent"])
    assert [one(p.ci_low * 100), one(p.ci_high * 100)] == [one(v) for v in want["ci95"]]


@pytest.mark.parametrize("name", ["pfs", "os"])
def test_median_survival_with_the_articles_symmetric_ci(results, name):
    s = getattr(results.survival, name)
    want = PUBLISHED["survival"][name]
    assert s.method == "symmetric"
    assert one(s.median) == one(want["median"])
    assert [one(s.ci_low), one(s.ci_high)] == [one(v) for v in want["ci95"]]


def test_patients_with_at_least_three_cycles(results):
    assert results.exposure.cycles_threshold == 3
    assert results.exposure.n_at_least_threshold == \
        PUBLISHED["treatment"]["received_at_least_3_cycles"]


def test_adverse_event_table_cell_by_cell(results):
    got = {r.term: [r.any, r.grade1, r.grade2, r.grade3, r.grade4]
           for r in results.safety.adverse_events}
    assert got == PUBLISHED["adverse_events"]
    assert all(r.grade5 == 0 for r in results.safety.all_terms)


def test_terms_below_the_threshold_exist_but_are_not_listed(results):
    hidden = ({r.term for r in results.safety.all_terms}
              - {r.term for r in results.safety.adverse_events})
    assert hidden
    assert all(r.pct_any * 100 <= 5 for r in results.safety.all_terms if r.term in hidden)


def test_default_methods_give_r_values(study):
    """Clopper-Pearson and log-log, checked against R on the reference study's endpoints.

    R 4.2.2, survival 3.5.3, times = derived PFS/OS days / 30.4375:
      summary(survfit(Surv(pfs, pfs_event) ~ 1, conf.type = "log-log"))$table
        -> median 5.68377823408624, 0.95LCL 3.18685831622177, 0.95UCL 8.24640657084189
      same for OS -> 11.4989733059548, 9.52772073921971, 18.3983572895277
      summary(fit_pfs, times = c(6, 12))$surv -> 0.458823529411765, 0.211764705882353
      summary(survfit(Surv(os, 1 - os_event) ~ 1))$table["median"] -> 23.9835728952772
      binom.test(4, 30)$conf.int -> 0.0375534963383633, 0.3072183502761268
      binom.test(22, 30)$conf.int -> 0.541106348605249, 0.877205190127645
    """
    s, e = study
    config = dataclasses.replace(s.config, ci=CIConfig())
    r = analyse(dataclasses.replace(s, config=config), e, built_at="x", generator_version="t")
    approx = pytest.approx
    pfs, os_ = r.survival.pfs, r.survival.os
    assert (pfs.median, pfs.ci_low, pfs.ci_high) == approx(
        (5.68377823408624, 3.18685831622177, 8.24640657084189), abs=1e-9)
    assert (os_.median, os_.ci_low, os_.ci_high) == approx(
        (11.4989733059548, 9.52772073921971, 18.3983572895277), abs=1e-9)
    assert [lm.estimate for lm in pfs.landmarks] == approx([0.458823529411765,
                                                            0.211764705882353], abs=1e-9)
    assert r.survival.followup_median == approx(23.9835728952772, abs=1e-9)
    assert (r.efficacy.orr.ci_low, r.efficacy.orr.ci_high) == approx(
        (0.0375534963383633, 0.3072183502761268), abs=1e-9)
    assert (r.efficacy.dcr.ci_low, r.efficacy.dcr.ci_high) == approx(
        (0.541106348605249, 0.877205190127645), abs=1e-9)
