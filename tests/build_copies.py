"""One build of the small study per test module, copied into each test's own folder.

A build takes seconds; a copy of its folder takes milliseconds. The copy's manifest is
made to name the copied study, so the copy is the up-to-date build of that study."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from nps_report.build import build

SMALL = Path(__file__).parent / "studies" / "small"
STAMP = "2025-01-01T00:00:00Z"


def first_build(root: Path) -> Path:
    """root/study (the small study) and root/out (its build); returns root."""
    study = shutil.copytree(SMALL, root / "study")
    build(study, root / "out", built_at=STAMP)
    return root


def copy_build(source: Path, dest: Path) -> tuple[Path, Path]:
    """source's study and build copied into dest: (study, out), the build up to date."""
    study = shutil.copytree(source / "study", dest / "study")
    out = shutil.copytree(source / "out", dest / "out", symlinks=True)
    manifest = out / ".cache" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["study"] = str(study.resolve())
    manifest.write_text(json.dumps(data))
    return study, out
