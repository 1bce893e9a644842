"""The workers: the same files as one process, embedded PNGs before the rest, the PDF written
by a worker is the same bytes, failures surface, and no worker outlives its build (with a
job, without one, or when the build fails)."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from nps_report import parallel
from nps_report.build import build
from nps_report.errors import StudyError
from nps_report.figures import FORMATS, write_figures
from nps_report.outputs import write_data_files
from nps_report.parallel import Embedded, Worker
from nps_report.pipeline import compute
from nps_report.present.catalogue import CATALOGUE
from nps_report.render.compose import compose
from nps_report.render.pdf import pdf_source, write_pdf

SMALL = Path(__file__).parent / "studies" / "small"
BROKEN = Path(__file__).parent / "studies" / "broken"
NEEDED = ("figure1", "figure2")


@pytest.fixture(scope="module")
def small():
    study, results = compute(SMALL, "2025-01-01T00:00:00Z")
    return results, study.config.figures


FIGURES = ("figure1", "spider", "figure2", "waterfall", "swimmer", "km_pfs", "km_os")
DRAWN = tuple(n for n in FIGURES if n != "spider")  # figure1, figure2 and their panels


def draw(worker, results, config, dest):
    worker.submit(parallel.draw_figures, results, dest, config, CATALOGUE,
                  ("figure1", "figure2"), NEEDED)
    return {n: {f: dest / f"{n}.{f}" for f in FORMATS} for n in DRAWN}


def test_two_processes_write_the_same_bytes_as_one(small, tmp_path):
    results, config = small
    worker = Worker.start(parallel.preload_figures)
    assert worker.forked  # this machine has fork() and two cores
    promised = draw(worker, results, config, tmp_path / "a")
    worker.wait_for(Embedded)
    assert all(promised[n]["png"].is_file() for n in NEEDED)
    worker.finish()
    alone = write_figures(results, tmp_path / "b", config)
    assert list(alone) == list(FIGURES)
    for name in FIGURES:
        assert list(alone[name]) == list(FORMATS)
        for fmt, path in promised.get(name, {}).items():
            assert path.read_bytes() == alone[name][fmt].read_bytes(), (name, fmt)
    assert not multiprocessing.active_children()


def test_without_fork_the_same_steps_run_in_one_process(small, tmp_path, monkeypatch):
    results, config = small
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    worker = Worker.start(parallel.preload_figures)
    promised = draw(worker, results, config, tmp_path)
    assert not promised["figure1"]["png"].exists()  # nothing runs before it is waited for
    worker.wait_for(Embedded)
    worker.finish()
    assert all(p.is_file() for files in promised.values() for p in files.values())


def broken(*_args, **_kwargs):
    raise ValueError("worker exploded")


def test_a_failing_worker_fails_the_build(small, capfd):
    results, _config = small
    worker = Worker.start(parallel.preload_figures)
    worker.submit(broken, results)
    with pytest.raises(RuntimeError, match="worker process failed"):
        worker.wait_for(Embedded)
    assert "worker exploded" in capfd.readouterr().err
    assert not multiprocessing.active_children()


def _returns_within(seconds: float, fn) -> bool:
    thread = threading.Thread(target=fn, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def test_a_worker_that_gets_no_job_stops_when_closed():
    worker = Worker.start(parallel.preload_figures)
    assert _returns_within(30, worker.close), "the idle worker did not see the pipe close"
    assert not multiprocessing.active_children()
    worker.close()  # idempotent


def descendants() -> set[int]:
    """Every process below this one (the worker's helper is a grandchild), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = set(), [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def test_closing_a_worker_mid_draw_stops_it_and_its_helper(small, tmp_path):
    results, config = small
    before = descendants()
    worker = Worker.start(parallel.preload_figures)
    draw(worker, results, config, tmp_path)
    deadline = time.monotonic() + 30
    while len(descendants() - before) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # the worker forks its helper once it has the job
    assert len(descendants() - before) == 2
    assert _returns_within(30, worker.close)
    assert not multiprocessing.active_children()
    assert descendants() <= before  # the helper went with the worker, not orphaned
    files = {p.name for p in tmp_path.rglob("*")}
    time.sleep(0.3)
    assert {p.name for p in tmp_path.rglob("*")} == files  # nothing writes there any more


def test_figures_are_shared_whole_by_their_panels_in_their_own_order():
    counts = {"flow": 1, "figure1": 3, "spider": 1, "figure2": 3, "km_factors": 7,
              "forest_orr": 1}
    mine, theirs = parallel.share_figures(counts)
    assert sorted((*mine, *theirs)) == sorted(counts)
    assert mine == ("spider", "km_factors") and theirs == ("flow", "figure1", "figure2",
                                                           "forest_orr")  # 8 and 8
    assert parallel.share_figures({"km_pfs": 1}) == (("km_pfs",), ())


def share_failing(error: BaseException):
    real = parallel._draw

    def draw_share(results, dest, config, catalogue, names, embedded, on_embedded):
        if "figure2" in names:  # the helper's share: figure1 and figure2 weigh the same
            raise error
        real(results, dest, config, catalogue, names, embedded, on_embedded)
    return draw_share


def test_a_full_disk_in_the_helper_is_the_same_oserror_in_the_build(small, tmp_path,
                                                                    monkeypatch):
    results, config = small
    monkeypatch.setattr(parallel, "_draw", share_failing(
        OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "figure2.png"))))
    before = descendants()
    worker = Worker.start(parallel.preload_figures)  # forked: it has the patched _draw
    draw(worker, results, config, tmp_path)
    with pytest.raises(OSError) as err:
        worker.wait_for(Embedded)
    assert err.value.errno == errno.ENOSPC and err.value.filename == str(
        tmp_path / "figure2.png")
    worker.close()
    assert descendants() <= before


def test_a_helper_that_fails_fails_the_build_with_its_traceback(small, tmp_path, monkeypatch,
                                                                capfd):
    results, config = small
    monkeypatch.setattr(parallel, "_draw", share_failing(ValueError("helper exploded")))
    worker = Worker.start(parallel.preload_figures)
    draw(worker, results, config, tmp_path)
    with pytest.raises(RuntimeError, match="worker process failed"):
        worker.wait_for(Embedded)
    assert "helper exploded" in capfd.readouterr().err
    worker.close()
    assert not multiprocessing.active_children()


def test_a_build_that_fails_validation_leaves_no_worker_and_no_output(tmp_path):
    study = next(p for p in sorted(BROKEN.iterdir()) if p.is_dir())
    with pytest.raises(StudyError):
        build(study, tmp_path / "out")
    assert not multiprocessing.active_children()
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out-staging-*"))


def test_a_pdf_written_by_the_worker_is_the_same_bytes(small, tmp_path, monkeypatch):
    results, _config = small
    study, _ = compute(SMALL, "2025-01-01T00:00:00Z")
    figures = write_figures(results, tmp_path / "figures", study.config.figures)
    manuscript = compose(results, write_data_files(results, tmp_path), figures, study.config,
                         SMALL)
    worker = Worker.start(parallel.preload_pdf)
    assert worker.forked
    worker.submit(parallel.write_pdf, pdf_source(manuscript), tmp_path / "worker.pdf")
    worker.finish()
    write_pdf(manuscript, tmp_path / "here.pdf")
    assert (tmp_path / "worker.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    alone = Worker.start(parallel.preload_pdf)
    alone.submit(parallel.write_pdf, pdf_source(manuscript), tmp_path / "alone.pdf")
    assert not (tmp_path / "alone.pdf").exists()  # nothing happens before finish()
    alone.finish()
    assert (tmp_path / "alone.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()
    assert not multiprocessing.active_children()


def test_a_prose_edit_rebuild_writes_the_pdf_in_the_worker_preloaded_for_it(tmp_path,
                                                                           monkeypatch):
    from pypdf import PdfReader

    from nps_report import build as build_module

    study, out = tmp_path / "study", tmp_path / "out"
    shutil.copytree(SMALL, study)
    build(study, out)
    started: list[object] = []
    jobs: list[object] = []

    class Spy(Worker):
        @classmethod
        def start(cls, preload):
            started.append(preload)
            return super().start(preload)

        def submit(self, fn, *args):
            jobs.append((fn, self.forked))
            return super().submit(fn, *args)

    monkeypatch.setattr(build_module, "Worker", Spy)
    (study / "manuscript").mkdir(exist_ok=True)
    (study / "manuscript" / "introduction.md").write_text("A freshly edited introduction.\n")
    messages: list[str] = []
    build(study, out, progress=messages.append)
    assert started == [parallel.preload_pdf]
    assert jobs == [(parallel.write_pdf, True)]
    assert "data unchanged: reusing the analysis of the last build" in messages
    text = " ".join(p.extract_text() for p in PdfReader(out / "manuscript.pdf").pages)
    assert "freshly edited introduction" in " ".join(text.split())
    assert not multiprocessing.active_children()


def test_after_a_prose_edit_the_cli_forks_the_pdf_worker_before_the_build_loads(tmp_path):
    """The worker is forked from the CLI once the manifest shows the data unchanged, before
    the build's own modules load, and is sent the HTML ready-made: it loads WeasyPrint and
    the PDF writer only, so it is ready about when the manuscript is composed (a tenth of
    a second off a prose-edit rebuild, BENCHMARKS.md)."""
    study, out, seen = tmp_path / "study", tmp_path / "out", tmp_path / "seen.json"
    shutil.copytree(SMALL, study)
    build(study, out)
    (study / "manuscript").mkdir(exist_ok=True)
    (study / "manuscript" / "introduction.md").write_text("A freshly edited introduction.\n")
    spy = textwrap.dedent("""
        import json, os, sys
        from pathlib import Path
        PARENT = os.getpid()
        import nps_report.render.pdf as pdf
        original = pdf.write_pdf
        def write_pdf(source, dest, *more):
            heavy = ("nps_report.build", "nps_report.results", "nps_report.render.html",
                     "nps_report.present.tables", "pandas", "docx", "jinja2")
            Path(sys.argv[3]).write_text(json.dumps({
                "worker": os.getpid() != PARENT, "source": type(source).__name__,
                "loaded": [m for m in heavy if m in sys.modules]}))
            return original(source, dest, *more)
        pdf.write_pdf = write_pdf
        from nps_report.cli import main
        sys.exit(main(["build", sys.argv[1], "--out", sys.argv[2]]))
    """)
    subprocess.run([sys.executable, "-c", spy, str(study), str(out), str(seen)],
                   check=True, capture_output=True)
    assert json.loads(seen.read_text()) == {"worker": True, "source": "PdfSource",
                                            "loaded": []}


@pytest.mark.parametrize(("limit", "processes"), [(-1, 1), (0, 2)])
def test_a_large_study_draws_in_the_worker_alone(small, tmp_path, monkeypatch, limit,
                                                 processes):
    """Above HELPER_MAX_PATIENTS the worker forks no helper (a second copy-on-write view
    of a large study's Results for little gain); at or below it, one; the files are the
    same."""
    results, config = small
    monkeypatch.setattr(parallel, "HELPER_MAX_PATIENTS", results.n_patients + limit)
    before = descendants()
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(len(descendants() - before))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    worker = Worker.start(parallel.preload_figures)  # forked: it has the patched limit
    watcher.start()
    promised = draw(worker, results, config, tmp_path / "a")
    worker.wait_for(Embedded)
    worker.finish()
    done.set()
    watcher.join()
    assert max(seen) == processes
    alone = write_figures(results, tmp_path / "b", config)
    for name, files in promised.items():
        for fmt, path in files.items():
            assert path.read_bytes() == alone[name][fmt].read_bytes(), (name, fmt)
