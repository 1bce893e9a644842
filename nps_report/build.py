"""One build: read the cache, plan, run the stages, then swap the staged folder in.

All or nothing: nothing is written before validation passes, and a failure while
writing leaves the previous output folder exactly as it was. The stages and their
cache keys are graph.py's; what can be reused is decided from the manifest of the
previous build (cache.py) before the analysis, and per figure after it (outputs.py).
The executor is chosen once, when the cache has been read: a forked worker that
preloads matplotlib when figures are to be drawn, WeasyPrint when only the documents
are to be made (parallel.py). The CLI may have started the WeasyPrint worker before
this module loaded (cli._build), when the manifest alone shows the data unchanged.
The figures that read nothing of the prognostic and cohort analyses go to the figure
worker before those analyses run (EarlyFigures), so that it draws while they run.

A build never silently replaces what it did not write: it writes only into a new or
empty folder or one an earlier build wrote (outdir/guard.py); there, a file that the
last build's manifest does not list is carried over unchanged, and an output edited
since it was written (an author's manuscript.docx) is kept beside the new one as
`<name>-edited<suffix>`; both are reported (outdir/carry.py). The finished build is
swapped in atomically, and what a killed build left is cleaned up (outdir/swap.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import graph
from .cache import (
    Fingerprint,
    build_files,
    fingerprint,
    is_current,
    manifest_notices,
    read_manifest,
    same_results,
    write_manifest,
)
from .config import StudyConfig
from .errors import Notice
from .lock import verify_lock
from .outdir import (
    Staging,
    carry_over,
    check_output_folder,
    clean_after_crash,
    private_tempdir,
)
from .outputs import (
    TIMEPOINTS_CSV,
    TITLE_PAGE_FILES,
    ValueDigests,
    documents_key,
    plan_figures,
    reuse_documents,
    write_data_files,
    write_patient_timepoints,
)
from .parallel import (
    Embedded,
    PdfPlaces,
    Worker,
    draw_figures,
    preload_figures,
    preload_pdf,
    write_pdf,
)
from .paths import REFERENCE_STUDY
from .present.artifact import Catalogue
from .present.catalogue import CATALOGUE
from .present.fmt import Style
from .resultcache import load_results, save_results
from .results import Results
from .version import __version__

if TYPE_CHECKING:
    from .compare import ChangeReport
    from .render.submission import SubmissionPlan

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOutput:
    out_dir: Path
    results: Results
    files: tuple[Path, ...]
    changes: ChangeReport | None = None  # with compare_to: what moved since that build
    up_to_date: bool = False  # True when nothing changed and nothing was written
    kept: dict[str, str] = field(default_factory=dict)  # kept file -> why, relative to out
    # what the user must hear: the data's (results.notices) and the documents' (spelling,
    # word limits, references)
    notices: tuple[Notice, ...] = ()


def build(study_dir: str | Path | None = None, out_dir: str | Path = "build", *,
          built_at: str = "1970-01-01T00:00:00Z", compare_to: str | Path | None = None,
          force: bool = False, progress: Progress = lambda _msg: None,
          catalogue: Catalogue = CATALOGUE, worker: Worker | None = None) -> BuildOutput:
    """Build every output for a study; raises StudyError on invalid input (nothing written).

    A locked study is verified first (LockError names each changed file). With
    compare_to, the change report and manuscript-tracked.docx against that earlier
    build are written into the same staging folder, so they land with the build or not
    at all; the old build is read before anything is written, so it may be out_dir.

    Unless force is set, what the previous build in out_dir made from identical inputs
    is reused: nothing is redone when nothing changed, Results when only prose changed,
    a figure when the values it draws did not change. A `worker` already started is used
    instead of starting one, and closed whatever happens."""
    try:
        with private_tempdir():
            return _build(study_dir, out_dir, built_at, compare_to, force, progress,
                          catalogue, worker)
    finally:
        if worker is not None:
            worker.close()


def _build(study_dir: str | Path | None, out_dir: str | Path, built_at: str,
           compare_to: str | Path | None, force: bool, progress: Progress,
           catalogue: Catalogue, worker: Worker | None) -> BuildOutput:
    study_path = Path(study_dir) if study_dir is not None else REFERENCE_STUDY
    out = Path(out_dir)
    for done in clean_after_crash(out, study_path):  # a set-aside build may be put back
        progress(done)
    fp = fingerprint(study_path)
    manifest = None if force else read_manifest(out)
    if manifest and manifest.get("study") != str(study_path.resolve()):
        manifest = None
    if manifest and compare_to is None and is_current(manifest, fp, study_path, out):
        cached = load_results(out, fp, study_path)
        if cached is not None:
            progress("nothing changed since the last build")
            return BuildOutput(out, cached[1], _files(out), None, up_to_date=True)
    lock = verify_lock(study_path)
    target = check_output_folder(out, study_path)
    old = None
    if compare_to is not None:
        from .compare.snapshot import load_build

        old = load_build(compare_to)
    cached = load_results(out, fp, study_path) if manifest and same_results(manifest, fp) \
        else None
    # The one executor decision: with the analysis to run, the figures will most likely
    # be drawn, so a worker imports matplotlib meanwhile; with the analysis reused, it
    # imports WeasyPrint unless the plan (known now) has figures to draw.
    if worker is None:
        plan_now = (_figures_to_draw(cached, catalogue, fp, manifest, study_path) if cached
                    else None)
        worker = Worker.start(preload_figures if cached is None or plan_now else preload_pdf)
    try:
        staging = Staging.create(target.real)
        try:
            early = EarlyFigures(worker, staging.path, study_path, fp, manifest, catalogue) \
                if cached is None and worker.forked else None
            if cached is not None:
                config, results = cached
                progress("data unchanged: reusing the analysis of the last build")
            else:
                config, results = _analyse(study_path, built_at,
                                           lock.lock_id if lock else None, progress, early)
            results = replace(results, provenance=replace(
                results.provenance, built_at=built_at, software=graph.software(__version__)))
            drawn = with_figure_frame(config, study_path)
            keys = write_outputs(results, drawn, study_path, staging.path, fp, out, manifest,
                                 progress, worker, catalogue, early)
            notices = (*results.notices, *keys[2])
            changes = None
            if old is not None:
                from .compare import compare_builds
                from .compare.snapshot import load_build

                changes = compare_builds(old, load_build(staging.path), staging.path,
                                         built_at=built_at, catalogue=catalogue).report
                progress(f"compared with {compare_to}: {len(changes.changes)} changes")
            kept = carry_over(target, staging.path)
            save_results(staging.path, fp, config, results)
            write_manifest(staging.path, fp, study_path, figures=keys[0], documents=keys[1],
                           kept=tuple(kept), notices=keys[2])
            staging.swap_in(target.real)
        except BaseException:
            worker.close()  # before the staging folder goes: it may be writing there
            staging.discard()
            raise
    finally:
        worker.close()
    for rel, why in kept.items():
        progress(f"kept {out / rel}: {why}")
    return BuildOutput(out, results, _files(out), changes, kept=kept, notices=notices)


def with_figure_frame(config: StudyConfig, study_path: Path) -> StudyConfig:
    """The study's figure settings as the figures are drawn: figures.width_mm and
    max_height_mm filled in from the page and the journal's figure specification (double
    column, maximum height), figures.colour from its colour mode, where study.yaml leaves
    them out, and figures.formats: what the documents, the contract and the journal need,
    and what study.yaml asks for (FigureSpec.figure_files). study.yaml's own values are
    kept as written (the cache keeps those)."""
    from .journals import study_profile
    from .present.page import figure_frame

    spec = study_profile(config.journal, study_path).figures
    fig = config.figures
    frame = figure_frame(fig.width_mm, fig.max_height_mm, spec.double_column_mm,
                         spec.max_height_mm)
    colour = fig.colour or ("greyscale" if spec.colour_mode == "greyscale" else "colour")
    return replace(config, figures=replace(fig, width_mm=frame.width_mm,
                                           max_height_mm=frame.max_height_mm, colour=colour,
                                           formats=spec.figure_files(fig.formats)))


def table_style(config: StudyConfig, study_path: Path, results: Results) -> Style:
    """The journal's percentages for the tables (compose.number_style does the prose)."""
    from .journals import study_profile
    from .present.fmt import percent_style

    spec = study_profile(config.journal, study_path).numbers
    return percent_style(results.n_patients, spec.percent_decimals, spec.whole_percent_below_n)


class EarlyFigures:
    """The figures that read nothing the prognostic and cohort analyses add, handed to the
    figure worker with the Results as they stand before those analyses run (analyse's
    `early`), so that the worker draws them instead of waiting idle: with four prognostic
    factors and two cohorts that is most of the drawing (BENCHMARKS.md, issue 26). Only
    figures whose cache key differs from the last build's; `keys` records each figure's
    key, and write_outputs leaves out of its own drawing those the full Results key alike
    (any other it draws again)."""

    def __init__(self, worker: Worker, dest: Path, study_path: Path, fp: Fingerprint,
                 manifest: dict | None, catalogue: Catalogue) -> None:
        self.worker, self.dest, self.study_path, self.fp = worker, dest, study_path, fp
        self.recorded = (manifest or {}).get("figures", {})
        self.catalogue = catalogue
        self.keys: dict[str, str] = {}
        self.files: dict[str, dict[str, Path]] = {}
        self.values: ValueDigests | None = None  # the digests its keys were made from

    def __call__(self, config: StudyConfig, partial: Results) -> None:
        from .outputs import FigurePlan, figure_keys
        from .pipeline import LATE

        figures = with_figure_frame(config, self.study_path).figures
        values = self.values = ValueDigests(partial)

        def reads_nothing_late(panels: tuple) -> bool:
            return not any(r.steps[0].name in LATE for p in panels for r in p.reads)

        keyed = figure_keys(partial, figures, self.catalogue, self.fp, values,
                            keep=reads_nothing_late)
        chosen: dict[str, tuple] = {}
        for name, (panels, key) in keyed.items():
            if self.recorded.get(name) != key:
                self.keys[name], chosen[name] = key, panels
        if self.keys:
            names = tuple(self.keys)
            self.files = FigurePlan(chosen, self.keys, formats=figures.file_formats).files(
                self.dest / "figures", names)
            self.worker.submit(draw_figures, partial, self.dest / "figures", figures,
                               self.catalogue, names, names)


def _analyse(study_path: Path, built_at: str, lock_id: str | None,
             progress: Progress, early: EarlyFigures | None = None
             ) -> tuple[StudyConfig, Results]:
    from .pipeline import compute  # pandas and scipy only when there is analysis

    progress(f"validating {study_path}")
    study, results = compute(study_path, built_at, lock_id, early)
    config = study.config
    # The tables are not needed past Results: free them while the worker draws
    # (the CLI collects cyclic garbage less often than Python's default).
    del study
    gc.collect()
    _return_freed_memory()
    progress(f"analysed {results.n_patients} patients"
             + (f" (locked data, lock {lock_id})" if lock_id else ""))
    return config, results


def _figures_to_draw(cached: tuple[StudyConfig, Results], catalogue: Catalogue,
                     fp: Fingerprint, manifest: dict | None, study_path: Path) -> bool:
    """With the analysis reused, whether any figure's key differs from the last build's."""
    from .outputs import figure_keys

    config, results = cached
    recorded = (manifest or {}).get("figures", {})
    keyed = figure_keys(results, with_figure_frame(config, study_path).figures, catalogue, fp,
                        ValueDigests(results))
    return any(recorded.get(name) != key for name, (_panels, key) in keyed.items())


def write_outputs(results: Results, config: StudyConfig, study_path: Path, dest: Path,
                  fp: Fingerprint, previous_out: Path, manifest: dict | None, progress: Progress,
                  worker: Worker, catalogue: Catalogue = CATALOGUE,
                  early: EarlyFigures | None = None
                  ) -> tuple[dict[str, str], str, tuple[Notice, ...]]:
    """Every output file into dest; returns the figures' and documents' cache keys and what
    composing the documents found to tell the user.

    Figures to draw go to the worker, which reports `Embedded` once the PNGs the
    documents embed exist; the PDF is written by the worker when it has no figures to
    draw, else here, after the DOCX."""
    timepoints = dest / "tables" / TIMEPOINTS_CSV  # takes a second for a large study
    values = ValueDigests(results, early.values if early is not None else None)
    plan = plan_figures(results, config.figures, catalogue, fp, values, previous_out,
                        manifest, dest)
    drawn_early = early.keys if early is not None else {}
    to_draw = tuple(n for n in plan.to_draw if drawn_early.get(n) != plan.keys[n])
    jobs = bool(drawn_early) + bool(to_draw)  # each reports Embedded once
    drawing = jobs > 0
    if to_draw:  # first: the data files are written while the worker draws
        worker.submit(draw_figures, results, dest / "figures", config.figures, catalogue,
                      to_draw, tuple(plan.keys))
    tables = write_data_files(results, dest, catalogue, table_style(config, study_path,
                                                                    results), timepoints=False)
    progress("wrote results.json and tables")
    if plan.reused:
        progress("figures unchanged: reused" if not drawing else "reused unchanged figures: "
                 + ", ".join(n for n in plan.keys if n not in plan.to_draw))
    doc_key = documents_key(results, config, fp, plan, values)
    notices: tuple[Notice, ...] = ()
    submission: SubmissionPlan | None = None
    manuscript = None
    places: dict = {}  # where the PDF's named places fell, for the checklist
    if reuse_documents(previous_out, manifest, doc_key, dest):
        progress("documents unchanged: reused")
        notices = manifest_notices(manifest)
    else:
        from .render import (
            compose_documents,
            prepare_documents,
            write_docx_file,
            write_pdf_file,
        )
        from .render.pdf import pdf_source

        pdf_here = drawing or not worker.forked
        if drawing:  # the documents' own set-up overlaps the drawing; without figures to
            prepare_documents(pdf=pdf_here)  # wait for, composing first starts the PDF sooner
            write_patient_timepoints(results, timepoints)  # every scan of a large study
            worker.wait_for(Embedded, jobs)
        manuscript = compose_documents(results, tables, plan.files(dest / "figures", plan.keys),
                                       config, study_path, catalogue)
        if not pdf_here:
            worker.submit(write_pdf, pdf_source(manuscript), dest / "manuscript.pdf")
        write_docx_file(manuscript, dest / "manuscript.docx")
        if manuscript.title_page is not None:  # blind review: the authors in a file apart
            write_docx_file(manuscript.title_page, dest / TITLE_PAGE_FILES[1])
            write_pdf_file(manuscript.title_page, dest / TITLE_PAGE_FILES[0])
        notices = manuscript.notices
        submission = manuscript.submission
        if pdf_here:
            write_pdf_file(manuscript, dest / "manuscript.pdf", places)
        progress("rendered manuscript.pdf and manuscript.docx")
    if manuscript is None or not drawing:  # while a worker draws or writes the PDF
        write_patient_timepoints(results, timepoints)
    worker.finish()
    if early is not None:  # a figure drawn early that the full Results do not show
        _remove_unplanned(early.files, plan.files(dest / "figures", plan.keys))
    if manuscript is not None:  # after the PDF: the checklist gives its pages and lines
        from .render import write_checklist_files

        for event in worker.reported(PdfPlaces):  # the PDF written by the worker
            places.update(event.places)
        write_checklist_files(manuscript, dest, places)
    if drawing:
        progress("drew figures")
    if submission is not None:  # from the figure files, so once every one is written
        from .render.submission import write_submission_files

        notices = (*notices, *write_submission_files(submission, dest / "figures", dest)[1])
        progress(f"wrote the figure files for {submission.journal} into submission/")
    return plan.keys, doc_key, notices


def _remove_unplanned(written: dict[str, dict[str, Path]],
                      planned: dict[str, dict[str, Path]]) -> None:
    """Delete the files this build wrote early that its plan does not hold (a guard: a
    figure's panels depend only on what it reads, so none is expected)."""
    keep = {path for files in planned.values() for path in files.values()}
    for files in written.values():
        for path in files.values():
            if path not in keep:
                path.unlink(missing_ok=True)


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
    return tuple(build_files(out))
