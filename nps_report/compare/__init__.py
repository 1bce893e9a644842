"""Compare two builds: a change report (CSV, HTML, Word) and a tracked-changes manuscript.

`compare_builds(old, new, dest, built_at=...)` is what `nps-report compare` and
`nps-report build --compare-to` run. Old and new are Snapshots (build folders read
into memory), so the new build can be compared while it is still being staged.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from .report_files import write_report
from .snapshot import CompareError, Snapshot, load_build
from .summary import ChangeReport, compare_snapshots
from .tracked import tracked_docx

__all__ = ["TRACKED", "ChangeReport", "CompareError", "Comparison", "Snapshot",
           "compare_builds", "load_build"]
TRACKED = "manuscript-tracked.docx"


@dataclass(frozen=True)
class Comparison:
    report: ChangeReport
    files: tuple[Path, ...]
    tracked: Path | None  # None when either build has no manuscript.docx


def compare_builds(old: Snapshot, new: Snapshot, dest: str | Path, *,
                   built_at: str, catalogue: Catalogue = CATALOGUE) -> Comparison:
    """Write changes.csv/.html/.docx and manuscript-tracked.docx into dest (which must exist).

    built_at dates the revision marks (the CLI resolves SOURCE_DATE_EPOCH into it)."""
    dest = Path(dest)
    report = compare_snapshots(old, new, catalogue)
    tracked_bytes = None
    if old.manuscript_docx is not None and new.manuscript_docx is not None:
        tracked_bytes = tracked_docx(old.manuscript_docx, new.manuscript_docx, date=built_at)
    # Written beside dest first and moved in file by file: a failure leaves dest as it was.
    with tempfile.TemporaryDirectory(prefix=".compare-", dir=dest) as tmp:
        staged = write_report(report, Path(tmp), built_at)
        if tracked_bytes is not None:
            staged.append(Path(tmp) / TRACKED)
            staged[-1].write_bytes(tracked_bytes)
        files = []
        for path in staged:
            os.replace(path, dest / path.name)
            files.append(dest / path.name)
    tracked = dest / TRACKED if tracked_bytes is not None else None
    return Comparison(report, tuple(files), tracked)
