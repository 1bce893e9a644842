"""The spider plot reads the per-scan responses of tables/patient_timepoints.csv (never a
second derivation): its points are that file's percentage changes, for the patients with
measurable disease and a post-baseline measurement, up to the first progression."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nps_report.build import build
from nps_report.config import FigureConfig
from nps_report.figures.files import draw_panel
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.figures.spider import spider_data
from nps_report.synthetic import write_study

from .recording import recording

AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("spider")
    return build(write_study(tmp / "s", 24, seed=9), tmp / "out", built_at=AT).out_dir


def test_points_are_the_timepoint_tables_changes(built):
    with open(built / "tables" / "patient_timepoints.csv", encoding="utf-8") as fh:
        scans = [r for r in csv.DictReader(fh) if r["counts_for_bor"] == "yes"
                 and r["pct_change_from_baseline"] != ""]
    results = compute(built.parent / "s", AT)[1]
    data = spider_data(results)
    expected: dict[str, list[tuple[float, float]]] = {}
    for r in scans:
        expected.setdefault(r["patient_id"], []).append(
            (int(r["day"]) / 30.4375, float(r["pct_change_from_baseline"])))
    assert {line.patient_id for line in data.lines} == set(expected)
    bor = dict(zip(results.patients.patient_id, results.patients.bor, strict=True))
    for line in data.lines:
        assert line.months[0] == 0.0 and line.pct_change[0] == 0.0
        months, pct = zip(*sorted(expected[line.patient_id]), strict=True)
        assert line.months[1:] == pytest.approx(months)
        assert line.pct_change[1:] == pytest.approx(pct)
        assert line.bor == bor[line.patient_id]


def test_the_figure_is_in_every_format_with_its_legend(built):
    for fmt in ("png", "tiff", "pdf", "svg"):
        assert (built / "figures" / f"spider.{fmt}").is_file()
    svg = (built / "figures" / "spider.svg").read_text(encoding="utf-8")
    assert 'id="spider-line-pd"' in svg and 'id="spider-line-pr"' in svg
    assert 'id="spider-legend"' in svg


def test_it_draws_only_what_it_declares(built):
    results = compute(built.parent / "s", AT)[1]
    (panel,) = CATALOGUE.figure("spider").panels(results, FigureConfig())
    proxy, recorder = recording(results)
    draw_panel(panel, proxy, FigureConfig(colour="greyscale"))
    assert recorder.reads and recorder.undeclared(panel.reads) == []


def test_no_measured_scan_no_spider(tmp_path):
    results = compute(write_study(tmp_path / "s", 6, seed=2, with_scans=False), AT)[1]
    assert CATALOGUE.figure("spider").panels(results, FigureConfig()) == ()


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A 300-patient study: more lines than one artist per patient is drawn for."""
    return compute(write_study(tmp_path_factory.mktemp("large") / "s", 300, seed=3), AT)[1]


def test_a_large_plot_keeps_the_longest_courses_and_says_so(large):
    every = spider_data(large)
    assert len(every.lines) > 60 and not every.limited
    shown = spider_data(large, 60)
    assert len(shown.lines) == 60 and shown.limited and shown.n_eligible == len(every.lines)
    last = sorted((line.months[-1] for line in every.lines), reverse=True)
    assert min(line.months[-1] for line in shown.lines) == last[59]
    order = [line.patient_id for line in every.lines]
    assert [order.index(line.patient_id) for line in shown.lines] == sorted(
        order.index(line.patient_id) for line in shown.lines)  # in patient order


def test_many_lines_are_one_artist_per_response_with_the_same_points(large):
    from nps_report.figures.spider import GROUPED_FROM

    data = spider_data(large)
    assert len(data.lines) >= GROUPED_FROM
    fig = draw_panel(CATALOGUE.figure("spider").panels(large, FigureConfig())[0], large,
                     FigureConfig(spider_max_patients=len(data.lines)))
    grouped = {line.get_gid(): line for line in fig.axes[0].lines
               if str(line.get_gid()).startswith("spider-lines-")}
    assert set(grouped) == {f"spider-lines-{b.lower()}" for b in set(data.bor)}
    for name, artist in grouped.items():
        xs = [x for x in artist.get_xdata() if x == x]  # the gaps between patients are NaN
        assert xs == [m for line in data.lines if f"spider-lines-{line.bor.lower()}" == name
                      for m in line.months]
