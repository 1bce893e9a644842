"""Prognostic figures draw what the prognostic result says: positions, values, labels.

Forest plots of hazard ratios and of response by subgroup, Kaplan-Meier curves by
level: marker and CI coordinates, reference lines, the texts of every column and
at-risk row, and that each renders at journal sizes (>= 7 pt).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.text import Text

from nps_report.analysis.prognostic import analyse_prognostic
from nps_report.figures._save import raster
from nps_report.figures.forest_hr import hr_rows, plot_hr_forest
from nps_report.figures.forest_orr import plot_orr_forest
from nps_report.figures.km_factor import plot_km_by_factor, step_points
from nps_report.pipeline import validate
from nps_report.present.fmt import fmt_num
from nps_report.present.formats import prose
from nps_report.results import LogRankRow
from tests.test_prognostic_against_r import analysed

REFERENCE = Path(__file__).parent.parent / "data" / "anlotinib_rmnpc"
FACTORS = ["ecog", "platinum_refractory", "met_liver", "age", "stage"]


@pytest.fixture(scope="module")
def result():
    study, endpoints = validate(REFERENCE)
    return analyse_prognostic(endpoints.patients, study.patients, study.config.baseline,
                              FACTORS, ["ecog", "met_liver", "age"], ci_method="clopper-pearson")


def by_gid(ax, gid):
    found = [a for a in ax.findobj() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, found {len(found)}"
    return found[0]


def gids(ax, prefix):
    return sorted(a.get_gid() for a in ax.findobj() if (a.get_gid() or "").startswith(prefix))


def texts_readable(ax) -> None:
    ax.figure.canvas.draw()
    sizes = [t.get_fontsize() for t in ax.figure.findobj(Text) if t.get_text()]
    assert sizes and min(sizes) >= 7.0


# ---------------------------------------------------------------- hazard ratios
def test_hr_forest_draws_each_hazard_ratio_and_its_limits(result):
    ax = plot_hr_forest(result.prognostic, "os")
    low, high = ax.get_xlim()
    os_ = result.prognostic.endpoint("os")
    for series, rows in ((0, os_.univariable), (1, os_.multivariable)):
        for r in rows:
            key = r.factor if r.level is None else f"{r.factor}:{r.level}"
            point = by_gid(ax, f"hr-forest-os-point-{series}-{key}")
            assert list(point.get_xdata()) == [min(max(r.hr, low), high)]
            ci = by_gid(ax, f"hr-forest-os-ci-{series}-{key}")
            assert list(ci.get_xdata()) == [max(r.ci_low, low), min(r.ci_high, high)]
            assert ci.get_ydata()[0] == point.get_ydata()[0]
    assert ax.get_xscale() == "log"
    assert list(by_gid(ax, "hr-forest-os-reference-line").get_xdata()) == [1.0, 1.0]


def test_hr_forest_rows_are_factors_then_levels_with_reference_and_counts(result):
    ax = plot_hr_forest(result.prognostic, "os")
    rows, series = hr_rows(result.prognostic, "os")
    labels = [by_gid(ax, f"hr-forest-os-label-{i}").get_text() for i in range(len(rows))]
    assert labels[:6] == ["ECOG performance status", "0–1", "2", "Platinum-refractory disease",
                          "Yes", "No"]
    assert "Metastatic sites: Liver" in labels and "Age, per year" in labels
    assert [s.name for s in series] == ["Univariable", "Multivariable"]
    ecog = {lv.level: lv for lv in result.prognostic.endpoint("os").curves[0].levels}
    assert by_gid(ax, "hr-forest-os-counts-1").get_text() == (
        f"{ecog['0-1'].n}/{ecog['0-1'].n_events}")
    assert by_gid(ax, "hr-forest-os-text-0-1").get_text() == "Reference"
    assert by_gid(ax, "hr-forest-os-text-1-1").get_text() == "Reference"
    two = next(r for r in result.prognostic.endpoint("os").univariable if r.level == "2")
    assert by_gid(ax, "hr-forest-os-text-0-2").get_text() == (
        f"{fmt_num(two.hr, 2)} ({fmt_num(two.ci_low, 2)}–{fmt_num(two.ci_high, 2)})")
    assert not gids(ax, "hr-forest-os-point-0-ecog:0-1")  # no marker for the reference
    assert not gids(ax, "hr-forest-os-point-1-stage")  # stage is not in the multivariable model
    y = [by_gid(ax, f"hr-forest-os-label-{i}").xy[1] for i in range(len(rows))]
    assert y == [-float(i) for i in range(len(rows))]
    texts_readable(ax)


def test_hr_forest_says_not_estimable_instead_of_drawing():
    result = analysed("n40_no_events_level", "0.95")
    ax = plot_hr_forest(result.prognostic, "pfs")
    rows, _ = hr_rows(result.prognostic, "pfs")
    i = next(k for k, r in enumerate(rows) if r.key == "arm:C")
    assert by_gid(ax, f"hr-forest-pfs-text-0-{i}").get_text() == "not estimable"
    assert not gids(ax, "hr-forest-pfs-point-0-arm:C")
    assert gids(ax, "hr-forest-pfs-point-0-arm:B")


def test_hr_forest_marks_limits_beyond_the_axis_with_an_arrow():
    result = analysed("n25_separation", "0.95")  # one patient in 'single': a huge CI
    ax = plot_hr_forest(result.prognostic, "pfs")
    single = next(r for r in result.prognostic.endpoint("pfs").univariable if r.level == "single")
    assert single.ci_high > ax.get_xlim()[1]
    arrow = by_gid(ax, "hr-forest-pfs-beyond-0-group:single-high")
    assert list(arrow.get_xdata()) == [ax.get_xlim()[1]]


def test_hr_forest_without_a_multivariable_model_has_one_series():
    study, endpoints = validate(REFERENCE)
    result = analyse_prognostic(endpoints.patients, study.patients, study.config.baseline,
                                ["ecog", "age"])
    ax = plot_hr_forest(result.prognostic, "pfs")
    assert [s.name for s in hr_rows(result.prognostic, "pfs")[1]] == ["Univariable"]
    assert not gids(ax, "hr-forest-pfs-point-1-")
    assert by_gid(ax, "hr-forest-pfs-head-0").get_text() == "HR (95% CI)"


# ---------------------------------------------------------------- response by subgroup
def test_orr_forest_draws_rates_in_percent_against_the_overall_rate(result):
    ax = plot_orr_forest(result.prognostic.factors, result.response_by_factor,
                         overall=4 / 30)
    for r in result.response_by_factor:
        key = f"{r.factor}:{r.level}"
        point = by_gid(ax, f"orr-forest-point-0-{key}")
        assert point.get_xdata()[0] == pytest.approx(r.estimate * 100, abs=1e-12)
        ci = by_gid(ax, f"orr-forest-ci-0-{key}")
        assert list(ci.get_xdata()) == pytest.approx([r.ci_low * 100, r.ci_high * 100])
    assert list(by_gid(ax, "orr-forest-overall-line").get_xdata()) == pytest.approx(
        [40 / 3, 40 / 3])
    assert by_gid(ax, "orr-forest-overall-text").get_text() == "Overall 13.3%"
    assert ax.get_xlim() == (0.0, 100.0)
    texts_readable(ax)


def test_orr_forest_shows_responders_per_level_and_fisher_p_per_factor(result):
    ax = plot_orr_forest(result.prognostic.factors, result.response_by_factor)
    labels = [t.get_text() for t in (by_gid(ax, f"orr-forest-label-{i}") for i in range(3))]
    assert labels == ["ECOG performance status", "0–1", "2"]
    ecog = [r for r in result.response_by_factor if r.factor == "ecog"]
    assert by_gid(ax, "orr-forest-counts-1").get_text() == f"{ecog[0].responders}/{ecog[0].n}"
    assert by_gid(ax, "orr-forest-note-0").get_text() == f"Fisher {prose('p_value', ecog[0].p)}"
    assert not gids(ax, "orr-forest-overall")  # no overall rate given, no line


def test_orr_forest_level_without_patients_is_text_only():
    result = analysed("n30_empty_level", "0.95")
    ax = plot_orr_forest(result.prognostic.factors, result.response_by_factor)
    assert not gids(ax, "orr-forest-point-0-stage:III")
    texts = {t.get_text() for t in ax.findobj(Text)}
    assert "no patients" in texts and "0/0" in texts


# ---------------------------------------------------------------- KM by level
def test_km_by_factor_draws_one_curve_per_level_from_the_summaries(result):
    curves = result.prognostic.endpoint("pfs").curves[0]
    lr = result.prognostic.endpoint("pfs").logrank[0]
    ax = plot_km_by_factor(curves, endpoint="pfs", title="ECOG performance status", logrank=lr)
    for i, lv in enumerate(curves.levels):
        line = by_gid(ax, f"km-pfs-ecog-curve-{i}")
        x, y = step_points(lv)
        assert list(line.get_xdata()) == x and list(line.get_ydata()) == y
        assert x[1::2][: len(lv.time)] == list(lv.time)  # corners at the event times
        if lv.censor_time:
            marks = by_gid(ax, f"km-pfs-ecog-censor-{i}")
            assert list(marks.get_xdata()) == list(lv.censor_time)
            assert list(marks.get_ydata()) == list(lv.censor_surv)
        numbers = [by_gid(ax, f"km-pfs-ecog-at-risk-{i}-{k}") for k in range(len(curves.ticks))]
        assert [int(t.get_text()) for t in numbers] == list(lv.at_risk)
        assert [t.xy[0] for t in numbers] == list(curves.ticks)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{lv.level} ({lv.n} patients, {lv.n_events} events)"
                      for lv in curves.levels]
    assert by_gid(ax, "km-pfs-ecog-logrank").get_text() == (
        f"ECOG performance status\nLog-rank {prose('p_value', lr.p)}")
    texts_readable(ax)


def test_km_by_factor_leaves_out_levels_without_patients():
    result = analysed("n30_empty_level", "0.95")
    curves = next(c for c in result.prognostic.endpoint("pfs").curves if c.factor == "stage")
    ax = plot_km_by_factor(curves, endpoint="pfs",
                           logrank=result.prognostic.endpoint("pfs").logrank[0])
    assert gids(ax, "km-pfs-stage-curve-") == ["km-pfs-stage-curve-0", "km-pfs-stage-curve-1",
                                               "km-pfs-stage-curve-3"]
    assert len(ax.get_legend().get_texts()) == 3


def test_km_by_factor_says_when_no_logrank_test_was_possible(result):
    curves = result.prognostic.endpoint("os").curves[0]
    none = LogRankRow("ecog", None, 0, None)
    ax = plot_km_by_factor(curves, endpoint="os", title="ECOG", logrank=none)
    assert by_gid(ax, "km-os-ecog-logrank").get_text() == "ECOG\nLog-rank test not possible"
    ax = plot_km_by_factor(curves, endpoint="os")
    assert by_gid(ax, "km-os-ecog-logrank").get_text() == ""


@pytest.mark.parametrize("draw", [
    lambda r: plot_hr_forest(r.prognostic, "pfs"),
    lambda r: plot_orr_forest(r.prognostic.factors, r.response_by_factor, overall=0.13),
    lambda r: plot_km_by_factor(r.prognostic.endpoint("os").curves[2], endpoint="os",
                                logrank=r.prognostic.endpoint("os").logrank[2]),
], ids=["hr-forest", "orr-forest", "km-by-factor"])
def test_prognostic_figures_render(result, draw):
    image = np.asarray(raster(draw(result).figure).convert("L"))
    assert image.shape[0] > 300 and (image < 128).mean() > 0.01  # something dark was drawn
