"""Figures draw what Results says: bar heights, markers, curve steps and at-risk numbers.

Checks the data handed to matplotlib (artist coordinates, texts, colours), not pixels,
plus what a journal asks of the files: 300 dpi PNG/TIFF (LZW), vector PDF/SVG,
byte-identical rebuilds and small vector files for very large studies.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.font_manager import findfont
from matplotlib.text import Text
from PIL import Image

from nps_report.analysis.survival import summarise
from nps_report.config import FigureConfig, StudyConfig
from nps_report.figures import (
    BOR_COLOURS,
    FORMATS,
    figure1,
    figure2,
    plot_km,
    plot_swimmer,
    plot_waterfall,
    save_figure,
    write_figures,
)
from nps_report.figures._km_text import AT_RISK_LABEL
from nps_report.figures._style import FONT_DIR, font_file
from nps_report.figures.km import MAX_CENSOR_MARKS
from nps_report.figures.waterfall import MAX_NAMED, Y_LABEL
from nps_report.pipeline import compute
from nps_report.present.figure_data import WaterfallData, swimmer_data, waterfall_data
from nps_report.present.fmt import fmt_int
from nps_report.present.formats import prose
from nps_report.synthetic import write_study

REFERENCE = Path(__file__).parent.parent / "data" / "anlotinib_rmnpc"
BUILT_AT = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def reference():
    return compute(REFERENCE, built_at=BUILT_AT)


@pytest.fixture(scope="module")
def results(reference):
    return reference[1]


@pytest.fixture(scope="module")
def written(reference, tmp_path_factory):
    study, res = reference
    return write_figures(res, tmp_path_factory.mktemp("figures"), study.config.figures)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = write_study(tmp_path_factory.mktemp("synthetic"), 80, seed=3)
    return compute(folder, built_at=BUILT_AT)[1]


def by_gid(ax, gid):
    found = [a for a in ax.findobj() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, found {len(found)}"
    return found[0]


def numbered(ax, prefix, kind=None):
    """Artists with gids prefix0, prefix1, ... in that order."""
    return sorted((a for a in ax.findobj(kind) if (a.get_gid() or "").startswith(prefix)
                   and a.get_gid()[len(prefix):].isdigit()),
                  key=lambda a: int(a.get_gid()[len(prefix):]))


def hex_colour(artist):
    return to_hex(artist.get_facecolor())


def survival(n, seed=1, scale=8.0):
    """A SurvivalSummary for n synthetic patients (exponential times, uniform censoring)."""
    rng = np.random.default_rng(seed)
    t = np.ceil(rng.exponential(scale, n) * 30.4375) / 30.4375
    c = np.ceil(rng.uniform(0, 60, n) * 30.4375) / 30.4375
    return summarise("os", "Overall survival", np.minimum(t, c), t <= c,
                     StudyConfig("t", "d", "p"))


# --- waterfall ---------------------------------------------------------------------------

def test_waterfall_bars_are_the_waterfall_data_in_order_coloured_by_bor(results):
    data = waterfall_data(results)
    ax = plot_waterfall(data)
    bars = numbered(ax, "waterfall-bar-")
    assert [b.get_height() for b in bars] == list(data.pct_change)
    assert [b.get_x() + b.get_width() / 2 for b in bars] == list(range(len(data.labels)))
    assert [hex_colour(b) for b in bars] == [BOR_COLOURS[b].lower() for b in data.bor]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(data.labels)
    assert ax.get_ylabel() == Y_LABEL


def test_waterfall_has_dashed_lines_at_plus_20_and_minus_30(results):
    ax = plot_waterfall(waterfall_data(results))
    assert list(by_gid(ax, "waterfall-line-pd").get_ydata()) == [20.0, 20.0]
    assert list(by_gid(ax, "waterfall-line-pr").get_ydata()) == [-30.0, -30.0]
    assert by_gid(ax, "waterfall-line-pr").get_linestyle() == "--"


def test_waterfall_legend_shows_only_the_responses_present(results):
    ax = plot_waterfall(waterfall_data(results))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Partial response (PR)", "Stable disease (SD)",
                      "Progressive disease (PD)"]


def test_waterfall_names_patients_without_a_post_baseline_measurement():
    data = WaterfallData(labels=("Pt 1", "Pt 2"), pct_change=(25.0, -40.0), bor=("PD", "PR"),
                         n_total=4, not_shown=("Pt 7", "Pt 12"))
    ax = plot_waterfall(data)
    note = by_gid(ax, "waterfall-footnote").get_text()
    assert note == "Not shown (no post-baseline measurement, n = 2): Pt 7, Pt 12"


def test_waterfall_footnote_wraps_between_labels_and_counts_the_rest():
    missing = tuple(f"Pt {i}" for i in range(100, 100 + MAX_NAMED + 5))
    data = WaterfallData(("Pt 1",), (10.0,), ("SD",), 1 + len(missing), missing)
    note = by_gid(plot_waterfall(data), "waterfall-footnote").get_text()
    assert "\n" in note
    flat = note.replace("\n", " ")
    assert flat.endswith(f"Pt {100 + MAX_NAMED - 1} and 5 more")
    assert f"n = {len(missing)}" in flat
    assert all(not line.endswith("Pt") for line in note.split("\n"))


def test_waterfall_without_missing_patients_has_no_footnote(results):
    ax = plot_waterfall(waterfall_data(results))
    assert not [a for a in ax.findobj() if a.get_gid() == "waterfall-footnote"]


def test_large_waterfall_draws_one_edgeless_outline_per_bor_and_no_per_bar_labels():
    rng = np.random.default_rng(5)
    values = tuple(sorted(rng.uniform(-100, 80, 300).tolist(), reverse=True))
    bor = tuple("PD" if v > 20 else "PR" if v < -30 else ("SD", "NE")[i % 7 == 0]
                for i, v in enumerate(values))
    data = WaterfallData(tuple(f"Pt {i}" for i in range(300)), values, bor, 300, ())
    ax = plot_waterfall(data)
    layers = {a.get_gid().removeprefix("waterfall-"): a for a in ax.findobj()
              if (a.get_gid() or "").startswith("waterfall-")
              and a.get_gid().removeprefix("waterfall-") in BOR_COLOURS}
    assert sorted(layers) == sorted(set(bor))  # one outline per category, not per bar
    for b, layer in layers.items():
        heights = layer.get_data().values
        assert list(heights) == [v if c == b else 0.0 for v, c in zip(values, bor, strict=True)]
        assert np.array_equal(layer.get_data().edges, np.arange(301) - 0.5)
        assert hex_colour(layer) == BOR_COLOURS[b].lower()
        assert layer.get_linewidth() == 0
    assert list(ax.get_xticks()) == []
    assert ax.get_xlabel() == "Patients (n = 300)"


# --- swimmer -----------------------------------------------------------------------------

def test_swimmer_bars_and_markers_sit_at_the_patients_values(results):
    lanes = swimmer_data(results, 60)
    ax = plot_swimmer(results, lanes)
    p = results.patients
    bars = numbered(ax, "swimmer-bar-")
    assert [b.get_width() for b in bars] == [p.treatment_months[i] for i in lanes.indices]
    assert [hex_colour(b) for b in bars] == [BOR_COLOURS[p.bor[i]].lower()
                                             for i in lanes.indices]
    for kind, values in (("response", p.first_response_months),
                         ("progression", p.progression_months),
                         ("death", p.death_months)):
        expected = [(values[i], y) for y, i in enumerate(lanes.indices) if values[i] is not None]
        line = by_gid(ax, f"swimmer-{kind}")
        assert list(zip(line.get_xdata(), line.get_ydata(), strict=True)) == expected, kind
    ongoing = by_gid(ax, "swimmer-ongoing")
    assert list(zip(ongoing.get_xdata(), ongoing.get_ydata(), strict=True)) == [
        (p.treatment_months[i], y) for y, i in enumerate(lanes.indices) if p.on_treatment[i]]
    tails = by_gid(ax, "swimmer-followup").get_segments()
    assert [tuple(s[1]) for s in tails] == [
        (p.followup_months[i], y) for y, i in enumerate(lanes.indices)
        if p.followup_months[i] > p.treatment_months[i]]
    assert ax.get_xlabel() == "Months since start of treatment"


def test_swimmer_legend_has_every_marker_kind_and_bor_present(results):
    ax = plot_swimmer(results, swimmer_data(results, 60))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Partial response (PR)", "Stable disease (SD)",
                      "Progressive disease (PD)", "Follow-up after treatment",
                      "First response", "Progression", "Death", "Treatment ongoing"]


def test_swimmer_draws_at_most_the_configured_lanes_numbered_when_asked(synthetic):
    lanes = swimmer_data(synthetic, 20, show_ids=False)
    ax = plot_swimmer(synthetic, lanes)
    assert len(numbered(ax, "swimmer-bar-")) == 20
    assert [t.get_text() for t in ax.get_yticklabels()] == list(lanes.labels)
    assert all(label.startswith("Pt ") for label in lanes.labels)
    assert not set(lanes.labels) & set(synthetic.patients.patient_id)
    assert ax.get_ylabel() == "Patients (20 of 80, longest follow-up)"
    shown = plot_swimmer(synthetic, swimmer_data(synthetic, 20))
    ids = [t.get_text() for t in shown.get_yticklabels()]
    assert set(ids) <= set(synthetic.patients.patient_id)


def test_figures_label_patients_as_the_data_name_them(results):
    """Issue 16: the swimmer said 'Pt 21' where the tables and the data say 'P21'."""
    fig = figure1(results, StudyConfig(title="t", drug="d", population="p").figures)
    swimmer = fig.axes[1]
    labels = {t.get_text() for t in swimmer.get_yticklabels()}
    assert labels and labels <= set(results.patients.patient_id)
    assert "P21" in labels and not any(label.startswith("Pt ") for label in labels)
    assert set(waterfall_data(results).labels) <= set(results.patients.patient_id)


def test_figure1_uses_the_configured_lane_limit(synthetic):
    fig = figure1(synthetic, FigureConfig(swimmer_max_patients=12))
    top, bottom = fig.axes
    assert len(numbered(bottom, "swimmer-bar-")) == 12
    assert [top.get_title(loc="left"), bottom.get_title(loc="left")] == ["A", "B"]


# --- Kaplan-Meier ------------------------------------------------------------------------

def test_km_line_is_the_results_step_function_drawn_once(results):
    s = results.survival.pfs
    ax = plot_km(s)
    line = by_gid(ax, "km-pfs-curve")
    assert line.get_drawstyle() == "steps-post"
    tail = [s.max_time] if s.max_time > s.curve.time[-1] else []
    assert list(line.get_xdata()) == [0.0, *s.curve.time, *tail]
    assert list(line.get_ydata()) == [1.0, *s.curve.surv, *[s.curve.surv[-1]] * len(tail)]
    assert ax.get_ylim() == (0.0, 1.0)
    assert ax.get_ylabel() == "Progression-free survival probability"


def test_km_censor_ticks_are_at_the_censoring_times(results):
    s = results.survival.os
    ax = plot_km(s)
    marks = by_gid(ax, "km-os-censor")
    assert marks.get_marker() == "|"
    assert list(marks.get_xdata()) == list(s.curve.censor_time)
    assert list(marks.get_ydata()) == list(s.curve.censor_surv)
    assert ax.get_ylabel() == "Overall survival probability"


def test_km_band_follows_the_confidence_limits_and_can_be_switched_off(results):
    s = results.survival.pfs
    band = by_gid(plot_km(s), "km-pfs-band")
    verts = np.concatenate([p.vertices for p in band.get_paths()])
    for t, low, high in zip(s.curve.time, s.curve.lower, s.curve.upper, strict=True):
        assert any(np.allclose(v, (t, low)) for v in verts)
        assert any(np.allclose(v, (t, high)) for v in verts)
    off = plot_km(s, ci_band=False)
    assert not [a for a in off.findobj() if a.get_gid() == "km-pfs-band"]


def test_km_median_is_drawn_and_printed_with_fmt(results):
    s = results.survival.pfs
    ax = plot_km(s)
    med = by_gid(ax, "km-pfs-median")
    x, y = med.get_xdata(), med.get_ydata()
    assert (x[0], x[1], x[3], x[4]) == (0.0, s.median, s.median, s.median)
    assert (y[0], y[1], y[3], y[4]) == (0.5, 0.5, 0.5, 0.0)
    assert by_gid(ax, "km-pfs-median-text").get_text() == f"Median {prose('median_ci', s)}"


def test_km_without_a_median_draws_no_median_line():
    time = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    event = np.array([1, 0, 0, 0, 1, 0, 0, 0], dtype=bool)
    s = summarise("os", "Overall survival", time, event, StudyConfig("t", "d", "p"))
    assert s.median is None
    ax = plot_km(s)
    assert not [a for a in ax.findobj() if a.get_gid() == "km-os-median"]
    assert by_gid(ax, "km-os-median-text").get_text().startswith("Median not reached")


def rendered_box(ax, artist):
    fig = ax.get_figure()
    fig.canvas.draw()
    return artist.get_window_extent(fig.canvas.get_renderer())


def test_at_risk_numbers_sit_under_their_ticks(results):
    s = results.survival.pfs
    ax = plot_km(s)
    numbers = numbered(ax, "km-pfs-at-risk-", Text)
    ticks = [t for t, _ in s.at_risk]
    assert [n.xy[0] for n in numbers] == ticks
    assert list(ax.get_xticks()) == ticks
    assert [n.get_text() for n in numbers] == [str(n) for _, n in s.at_risk]
    ax.get_figure().canvas.draw()
    renderer = ax.get_figure().canvas.get_renderer()
    for tick, text in zip(ticks, numbers, strict=True):
        box = text.get_window_extent(renderer)
        assert abs((box.x0 + box.x1) / 2 - ax.transData.transform((tick, 0))[0]) < 0.5
        assert box.y1 < ax.xaxis.label.get_window_extent(renderer).y0  # under the x label
    label = by_gid(ax, "km-pfs-at-risk-label")
    assert label.get_text() == AT_RISK_LABEL
    assert label.get_window_extent(renderer).x1 < numbers[0].get_window_extent(renderer).x0


def test_at_risk_row_keeps_numbers_apart_for_large_studies():
    s = survival(100_000)
    ax = plot_km(s)
    numbers = numbered(ax, "km-os-at-risk-", Text)
    at_risk = dict(s.at_risk)
    assert 2 <= len(numbers) < len(s.at_risk)
    assert [n.xy[0] for n in numbers] == list(ax.get_xticks())
    assert all(n.get_text() == fmt_int(at_risk[n.xy[0]]) for n in numbers)  # 100,000
    ax.get_figure().canvas.draw()
    renderer = ax.get_figure().canvas.get_renderer()
    boxes = [n.get_window_extent(renderer) for n in numbers]
    assert all(a.x1 + 2 < b.x0 for a, b in pairwise(boxes))


def test_median_text_stays_clear_of_the_curve(results):
    for s in (results.survival.pfs, results.survival.os, survival(40, seed=2, scale=60.0),
              *(survival(4, seed=k) for k in range(6))):  # a band that fills every corner
        ax = plot_km(s)
        box = rendered_box(ax, by_gid(ax, f"km-{s.endpoint}-median-text"))
        to_data = ax.transData.inverted()
        (t0, y0), (t1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        x, y = (np.asarray(v) for v in by_gid(ax, f"km-{s.endpoint}-curve").get_data())
        inside = (x >= t0) & (x <= t1)
        left = max(np.searchsorted(x, t0, side="right") - 1, 0)
        values = np.concatenate([y[inside], [y[left]]])
        assert ((values > y1) | (values < y0)).all(), s.endpoint


def test_large_study_km_thins_censor_marks_and_stays_a_small_vector_file(tmp_path):
    s = survival(100_000)
    assert len(s.curve.time) > 1000
    ax = plot_km(s)
    marks = by_gid(ax, "km-os-censor")
    assert len(marks.get_xdata()) <= MAX_CENSOR_MARKS + 1
    assert set(marks.get_xdata()) <= set(s.curve.censor_time)
    assert len(by_gid(ax, "km-os-curve").get_xdata()) == len(s.curve.time) + 2
    paths = save_figure(ax.get_figure(), tmp_path, "km_os", formats=("pdf", "svg"))
    assert paths["pdf"].stat().st_size < 2_000_000
    assert paths["svg"].stat().st_size < 2_000_000


# --- composites and files ----------------------------------------------------------------

def test_composites_label_their_panels_and_are_drawn_at_the_page_width(results):
    for fig in (figure1(results), figure2(results)):
        assert fig.get_figwidth() == pytest.approx(160 / 25.4, abs=0.01)  # A4 text width
        assert 3.0 <= fig.get_figheight() <= 230 / 25.4
        assert [ax.get_title(loc="left") for ax in fig.axes] == ["A", "B"]
        letters = [t for t in fig.findobj(Text) if t.get_text() in ("A", "B")]
        assert len(letters) == 2
        assert all(t.get_fontweight() == "bold" for t in letters)
        fig.canvas.draw()
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()
                 and t.get_visible()]
        assert min(sizes) >= 7


def test_all_text_is_drawn_in_the_bundled_liberation_sans(results):
    assert Path(font_file()).parent == FONT_DIR
    assert Path(font_file("bold")).parent == FONT_DIR
    fig = figure2(results)
    fig.canvas.draw()
    files = {findfont(t.get_fontproperties(), fallback_to_default=False)
             for t in fig.findobj(Text) if t.get_text().strip()}
    assert {Path(f).parent for f in files} == {FONT_DIR}


def test_write_figures_writes_every_figure_in_every_format(written):
    prognostic = ["forest_hr", "km_factors", "forest_orr", "forest_hr_pfs", "forest_hr_os",
                  *(f"km_{ep}_{f}" for f in ("ecog", "platinum_refractory", "met_liver")
                    for ep in ("pfs", "os"))]  # the reference study's prognostic block
    # with the reference study's flow: and by: (starting dose), its spider plot and the
    # duration of response of its 4 responders
    assert list(written) == ["flow", "figure1", "spider", "figure2", "dor", "km_cohorts",
                             *prognostic[:3], "waterfall", "swimmer", "km_pfs", "km_os",
                             "km_dor", "km_pfs_by_cohort", "km_os_by_cohort", *prognostic[3:]]
    for name, paths in written.items():
        assert list(paths) == list(FORMATS), name
        assert all(p.is_file() and p.name == f"{name}.{fmt}" for fmt, p in paths.items())
        with Image.open(paths["png"]) as png:
            assert [round(d) for d in png.info["dpi"]] == [300, 300]
        with Image.open(paths["tiff"]) as tiff:
            assert tiff.info["dpi"] == (300, 300)
            assert tiff.info["compression"] == "tiff_lzw"
            assert tiff.mode == "RGB"
        pdf = paths["pdf"].read_bytes()
        assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf
        assert b"/Producer" not in pdf
        svg = ET.parse(paths["svg"]).getroot()
        assert svg.tag.endswith("svg")
        assert b"<dc:date>" not in paths["svg"].read_bytes()


def test_writing_twice_gives_identical_bytes(reference, written, tmp_path):
    study, res = reference
    again = write_figures(res, tmp_path, study.config.figures)
    for name, paths in written.items():
        for fmt, path in paths.items():
            assert again[name][fmt].read_bytes() == path.read_bytes(), f"{name}.{fmt}"


def test_bytes_do_not_depend_on_the_process(written, tmp_path):
    script = textwrap.dedent(f"""
        from pathlib import Path
        from nps_report.figures import write_figures
        from nps_report.pipeline import compute
        study, res = compute({str(REFERENCE)!r}, built_at={BUILT_AT!r})
        write_figures(res, Path({str(tmp_path)!r}), study.config.figures, names=("km_pfs",))
    """)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-W", "error", "-c", script], check=True, env=env)
    for fmt in FORMATS:
        assert (tmp_path / f"km_pfs.{fmt}").read_bytes() == written["km_pfs"][fmt].read_bytes()


def test_drawing_leaves_global_rcparams_alone(results):
    before = dict(matplotlib.rcParams)
    figure2(results)
    after = dict(matplotlib.rcParams)
    changed = {k for k in before if before[k] != after[k] and not (
        isinstance(before[k], float) and math.isnan(before[k]))}
    assert changed == set()


def test_large_increases_are_cut_at_plus_100_and_labelled():
    values = (312.0, 45.0, -10.0, -60.0)
    data = WaterfallData(("Pt 1", "Pt 2", "Pt 3", "Pt 4"), values, ("PD", "PD", "SD", "PR"),
                         4, ())
    ax = plot_waterfall(data)
    assert ax.get_ylim()[1] == pytest.approx(108.0)
    labels = [a for a in ax.findobj(Text) if (a.get_gid() or "").startswith("waterfall-capped")]
    assert [t.get_text() for t in labels] == ["+312%"]
    assert [p.get_height() for p in numbered(ax, "waterfall-bar-")] == list(values)
