"""Figures drawn in two processes are the same files as drawn in one, and failures surface."""

from __future__ import annotations

from pathlib import Path

import pytest

from nps_report import parallel
from nps_report.figures import FIGURES, write_figures
from nps_report.pipeline import compute

SMALL = Path(__file__).parent / "studies" / "small"


@pytest.fixture(scope="module")
def small():
    study, results = compute(SMALL, "2025-01-01T00:00:00Z")
    return results, study.config.figures


def test_two_processes_write_the_same_bytes_as_one(small, tmp_path):
    results, config = small
    together = parallel.draw_all_figures(results, tmp_path / "a", config)
    alone = write_figures(results, tmp_path / "b", config)
    assert list(together) == list(FIGURES)
    for name in FIGURES:
        assert together[name].keys() == alone[name].keys()
        for fmt, path in together[name].items():
            assert path.read_bytes() == alone[name][fmt].read_bytes(), (name, fmt)


def test_a_failing_worker_fails_the_build(small, tmp_path, monkeypatch, capfd):
    results, config = small
    monkeypatch.setattr(parallel, "PANELS", ("no_such_figure",))
    with pytest.raises(RuntimeError, match="single-panel figures failed"):
        parallel.draw_all_figures(results, tmp_path, config)
    assert "no_such_figure" in capfd.readouterr().err
