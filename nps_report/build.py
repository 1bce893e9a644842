"""One build: validate, analyse, then write every output into a staging folder and swap it in.

All or nothing: nothing is written before validation passes, and a failure while
writing leaves the previous output folder exactly as it was.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import (
    CACHE_DIR,
    Fingerprint,
    fingerprint,
    is_current,
    read_manifest,
    same_results,
    write_manifest,
)
from .config import StudyConfig
from .lock import verify_lock
from .outputs import figures_key, load_results, reuse_figures, save_results, write_data_files
from .parallel import FigureWorker, PdfWorker, Worker
from .paths import REFERENCE_STUDY
from .present.figure_data import figures_needed
from .results import Results

if TYPE_CHECKING:
    from .compare import ChangeReport

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOutput:
    out_dir: Path
    results: Results
    files: tuple[Path, ...]
    changes: ChangeReport | None = None  # with compare_to: what moved since that build
    up_to_date: bool = False  # True when nothing changed and nothing was written


def build(study_dir: str | Path | None = None, out_dir: str | Path = "build", *,
          built_at: str = "1970-01-01T00:00:00Z", compare_to: str | Path | None = None,
          force: bool = False, progress: Progress = lambda _msg: None) -> BuildOutput:
    """Build every output for a study; raises StudyError on invalid input (nothing written).

    A locked study is verified first (LockError names each changed file). With
    compare_to, the change report and manuscript-tracked.docx against that earlier
    build are written into the same staging folder, so they land with the build or not
    at all; the old build is read before anything is written, so it may be out_dir.

    Unless force is set, what the previous build in out_dir made from identical inputs
    is reused (see cache.py): nothing is redone when nothing changed, Results when only
    prose changed, figures when the values they draw did not change."""
    study_path = Path(study_dir) if study_dir is not None else REFERENCE_STUDY
    out = Path(out_dir)
    fp = fingerprint(study_path)
    manifest = None if force else read_manifest(out)
    if manifest and manifest.get("study") != str(study_path.resolve()):
        manifest = None
    if manifest and compare_to is None and is_current(manifest, fp, study_path, out):
        cached = load_results(out, fp)
        if cached is not None:
            progress("nothing changed since the last build")
            return BuildOutput(out, cached[1], _files(out), None, up_to_date=True)
    lock = verify_lock(study_path)
    # Forked before anything heavy loads, as decided from the manifest alone. With analysis
    # to do, it imports matplotlib meanwhile and then draws the figures (or stops if the
    # last build's figures can be reused after all); with the analysis reused, it loads
    # WeasyPrint while the parent reads the cache and composes, then writes the PDF.
    worker: Worker = (PdfWorker.start() if manifest and same_results(manifest, fp)
                      else FigureWorker.start())
    try:
        old = None
        if compare_to is not None:
            from .compare.snapshot import load_build

            old = load_build(compare_to)
        cached = load_results(out, fp) if manifest else None
        if cached is not None:
            config, results = cached
            results = replace(results,
                              provenance=replace(results.provenance, built_at=built_at))
            progress("data unchanged: reusing the analysis of the last build")
        else:
            from .pipeline import compute  # pandas and scipy only when there is analysis

            progress(f"validating {study_path}")
            study, results = compute(study_path, built_at, lock.lock_id if lock else None)
            config = study.config
            # The tables are not needed past Results: free them while the worker draws
            # (the CLI collects cyclic garbage less often than Python's default).
            del study
            gc.collect()
            _return_freed_memory()
            progress(f"analysed {results.n_patients} patients"
                     + (f" (locked data, lock {lock.lock_id})" if lock else ""))
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
        changes = None
        try:
            fig_key = write_outputs(results, config, study_path, staging, fp, out, manifest,
                                    progress, worker)
            if old is not None:
                from .compare import compare_builds
                from .compare.snapshot import load_build

                changes = compare_builds(old, load_build(staging), staging,
                                         built_at=built_at).report
                progress(f"compared with {compare_to}: {len(changes.changes)} changes")
            save_results(staging, fp, config, results)
            write_manifest(staging, fp, study_path, figures_key=fig_key)
            _swap_in(staging, out)
        except BaseException:
            worker.close()  # before the staging folder goes: it may be writing there
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        worker.close()
    return BuildOutput(out, results, _files(out), changes)


def write_outputs(results: Results, config: StudyConfig, study_path: Path, dest: Path,
                  fp: Fingerprint, previous_out: Path, manifest: dict | None,
                  progress: Progress, worker: Worker | None = None) -> str:
    """Every output file into dest; returns the figures' content key for the manifest.

    Figures that must be drawn go to a FigureWorker (`worker` if it is one, else a new
    one); a PdfWorker writes the PDF. The documents are rendered as soon as the figures
    they embed exist."""
    tables = write_data_files(results, dest)
    progress("wrote results.json and tables")
    key = figures_key(results, config, fp)
    figures = reuse_figures(previous_out, manifest, key, dest)
    drawing = figures is None
    if not drawing:
        progress("figures unchanged: reused")
        if isinstance(worker, FigureWorker):
            worker.close()  # started on speculation before the analysis; not needed
            worker = None
    else:
        if not isinstance(worker, FigureWorker):
            if worker is not None:
                worker.close()
            worker = FigureWorker.start()
        figures = worker.draw(results, dest / "figures", config.figures,
                              figures_needed(results, config.figures))
    pdf_worker = worker if isinstance(worker, PdfWorker) else None
    try:
        from .render import prepare_documents, write_documents  # the document stack

        prepare_documents(pdf=pdf_worker is None)  # overlaps the drawing
        if isinstance(worker, FigureWorker):
            worker.wait_embedded()
        write_documents(results, tables, figures, config, study_path, dest,
                        pdf_writer=pdf_worker.write if pdf_worker else None)
        if worker is not None:
            worker.finish()
        progress("rendered manuscript.pdf and manuscript.docx")
        if drawing:
            progress("drew figures")
    except BaseException:
        if worker is not None:
            worker.close()  # a worker still working stops before its folder is removed
        raise
    return key


def _return_freed_memory() -> None:
    """Hand the heap pages freed with the analysis tables back to the OS (glibc only).

    Python's allocator and glibc's malloc keep freed memory for reuse, so after the
    analysis of a large study the parent would go on holding its peak while the worker
    draws; with 100,000 patients that is the difference between the two processes
    summing to about 0.7 GiB or 1 GiB (BENCHMARKS.md)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


def _files(out: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in out.rglob("*") if p.is_file()
                        and CACHE_DIR not in p.relative_to(out).parts))


def _swap_in(staging: Path, out: Path) -> None:
    """Replace out by staging with renames, so readers never see a half-written folder."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
