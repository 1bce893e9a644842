"""Figures drawn across two processes are the same files as drawn in one; failures surface."""

from __future__ import annotations

from pathlib import Path

import pytest

from nps_report import parallel
from nps_report.figures import FIGURES, FORMATS, write_figures
from nps_report.pipeline import compute

SMALL = Path(__file__).parent / "studies" / "small"
NEEDED = ("figure1", "figure2")


@pytest.fixture(scope="module")
def small():
    study, results = compute(SMALL, "2025-01-01T00:00:00Z")
    return results, study.config.figures


def test_two_processes_write_the_same_bytes_as_one(small, tmp_path):
    results, config = small
    seen: list[dict] = []

    def render(figures):
        seen.append({n: {f: p.is_file() for f, p in files.items()} for n, files in
                     figures.items()})

    together = parallel.figures_and_documents(results, tmp_path / "a", config, NEEDED, render)
    alone = write_figures(results, tmp_path / "b", config)
    assert list(together) == list(FIGURES)
    for name in FIGURES:
        assert set(together[name]) == set(FORMATS)
        for fmt, path in together[name].items():
            assert path.read_bytes() == alone[name][fmt].read_bytes(), (name, fmt)
    # documents were rendered once, with the needed figures' embedded formats on disk
    assert len(seen) == 1 and set(seen[0]) == set(NEEDED)
    assert all(seen[0][n]["png"] for n in NEEDED)


def test_a_failing_worker_fails_the_build(small, tmp_path, monkeypatch, capfd):
    results, config = small

    def broken(*_args):
        raise ValueError("worker exploded")

    monkeypatch.setattr(parallel, "_rest", broken)
    with pytest.raises(RuntimeError, match="worker process failed"):
        parallel.figures_and_documents(results, tmp_path, config, NEEDED, lambda _f: None)
    assert "worker exploded" in capfd.readouterr().err
