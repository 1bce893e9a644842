"""One build: validate, analyse, then write every output into a staging folder and swap it in.

All or nothing: nothing is written before validation passes, and a failure while
writing leaves the previous output folder exactly as it was.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .compare import ChangeReport, compare_builds, load_build
from .lock import verify_lock
from .paths import REFERENCE_STUDY
from .pipeline import compute
from .present.tables import all_tables
from .results import Results

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOutput:
    out_dir: Path
    results: Results
    files: tuple[Path, ...]
    changes: ChangeReport | None = None  # with compare_to: what moved since that build


def build(study_dir: str | Path | None = None, out_dir: str | Path = "build", *,
          built_at: str = "1970-01-01T00:00:00Z", compare_to: str | Path | None = None,
          progress: Progress = lambda _msg: None) -> BuildOutput:
    """Build every output for a study; raises StudyError on invalid input (nothing written).

    A locked study is verified first (LockError names each changed file). With
    compare_to, the change report and manuscript-tracked.docx against that earlier
    build are written into the same staging folder, so they land with the build or not
    at all; the old build is read before anything is written, so it may be out_dir."""
    study_path = Path(study_dir) if study_dir is not None else REFERENCE_STUDY
    out = Path(out_dir)
    progress(f"validating {study_path}")
    lock = verify_lock(study_path)
    old = load_build(compare_to) if compare_to is not None else None
    study, results = compute(study_path, built_at, lock.lock_id if lock else None)
    progress(f"analysed {results.n_patients} patients"
             + (f" (locked data, lock {lock.lock_id})" if lock else ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    changes = None
    try:
        write_outputs(results, study.config, study_path, staging, progress)
        if old is not None:
            changes = compare_builds(old, load_build(staging), staging,
                                     built_at=built_at).report
            progress(f"compared with {compare_to}: {len(changes.changes)} changes")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = tuple(sorted(p for p in out.rglob("*") if p.is_file()))
    return BuildOutput(out, results, files, changes)


def write_outputs(results: Results, config, study_path: Path, dest: Path,
                  progress: Progress) -> None:
    (dest / "results.json").write_text(
        json.dumps(results.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tables = all_tables(results)
    (dest / "tables").mkdir()
    for key, spec in tables.items():
        (dest / "tables" / f"{key}.csv").write_text(spec.to_csv(), encoding="utf-8")
    _write_patient_endpoints(results, dest / "tables" / "patient_endpoints.csv")
    progress("wrote results.json and tables")
    from .figures import write_figures

    figures = write_figures(results, dest / "figures", config.figures)
    progress("drew figures")
    from .render import write_documents

    write_documents(results, tables, figures, config, study_path, dest)
    progress("rendered manuscript.pdf and manuscript.docx")


def _write_patient_endpoints(results: Results, path: Path) -> None:
    """The derived per-patient dataset behind every figure and number (unrounded)."""
    rows = results.patients.rows()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["patient_id"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()}
                         for row in rows)


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
