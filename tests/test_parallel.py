"""The figure worker: the same files as one process, embedded PNGs before the rest, failures
surface, and no worker outlives its build (with a job, without one, or when the build fails)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from nps_report import parallel
from nps_report.build import build
from nps_report.errors import StudyError
from nps_report.figures import FIGURES, FORMATS, write_figures
from nps_report.parallel import FigureWorker
from nps_report.pipeline import compute

SMALL = Path(__file__).parent / "studies" / "small"
BROKEN = Path(__file__).parent / "studies" / "broken"
NEEDED = ("figure1", "figure2")


@pytest.fixture(scope="module")
def small():
    study, results = compute(SMALL, "2025-01-01T00:00:00Z")
    return results, study.config.figures


def test_two_processes_write_the_same_bytes_as_one(small, tmp_path):
    results, config = small
    worker = FigureWorker.start()
    assert worker._process is not None  # this machine has fork() and two cores
    promised = worker.draw(results, tmp_path / "a", config, NEEDED)
    worker.wait_embedded()
    assert all(promised[n]["png"].is_file() for n in NEEDED)
    worker.finish()
    alone = write_figures(results, tmp_path / "b", config)
    assert list(promised) == list(FIGURES)
    for name in FIGURES:
        assert list(promised[name]) == list(FORMATS)
        for fmt, path in promised[name].items():
            assert path.read_bytes() == alone[name][fmt].read_bytes(), (name, fmt)
    assert not multiprocessing.active_children()


def test_without_fork_the_same_steps_run_in_one_process(small, tmp_path, monkeypatch):
    results, config = small
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    worker = FigureWorker.start()
    promised = worker.draw(results, tmp_path, config, NEEDED)
    worker.wait_embedded()
    worker.finish()
    assert all(p.is_file() for files in promised.values() for p in files.values())


def test_a_failing_worker_fails_the_build(small, tmp_path, monkeypatch, capfd):
    results, config = small

    def broken(*_args, **_kwargs):
        raise ValueError("worker exploded")

    monkeypatch.setattr(parallel, "draw_all", broken)  # inherited by the fork
    worker = FigureWorker.start()
    worker.draw(results, tmp_path, config, NEEDED)
    with pytest.raises(RuntimeError, match="worker process failed"):
        worker.wait_embedded()
    assert "worker exploded" in capfd.readouterr().err
    assert not multiprocessing.active_children()


def _returns_within(seconds: float, fn) -> bool:
    thread = threading.Thread(target=fn, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def test_a_worker_that_gets_no_job_stops_when_closed():
    worker = FigureWorker.start()
    assert _returns_within(30, worker.close), "the idle worker did not see the pipe close"
    assert not multiprocessing.active_children()
    worker.close()  # idempotent


def test_closing_a_worker_mid_draw_stops_it(small, tmp_path):
    results, config = small
    worker = FigureWorker.start()
    worker.draw(results, tmp_path, config, NEEDED)
    assert _returns_within(30, worker.close)
    assert not multiprocessing.active_children()


def test_a_build_that_fails_validation_leaves_no_worker_and_no_output(tmp_path):
    study = next(p for p in sorted(BROKEN.iterdir()) if p.is_dir())
    with pytest.raises(StudyError):
        build(study, tmp_path / "out")
    assert not multiprocessing.active_children()
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out-staging-*"))
