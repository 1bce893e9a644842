"""The output folder: which folder a build may write, and how a finished build gets there.

guard.py decides whether a folder may be written (ours or nothing); the build is made
in a staging folder beside it (swap.py) that takes in what the old folder holds and no
build wrote (carry.py), then is swapped in atomically; scratch.py keeps every temporary
file of a command in one folder that goes with it.
"""

from pathlib import Path

from .carry import carry_over
from .guard import (
    OutputFolderError,
    Target,
    check_output_folder,
    read_own_manifest,
    refuse_forbidden,
)
from .scratch import clean_stale_tempdirs, private_tempdir
from .swap import Staging, clean_leftovers


def clean_after_crash(out: Path, study: Path | None = None) -> list[str]:
    """What killed commands left: staging and set-aside folders beside `out` (a set-aside
    build is put back if `out` is missing) and their private temporary folders. Refuses
    first an output folder that may never be one (the home folder, the study folder)."""
    refuse_forbidden(out, study)
    clean_stale_tempdirs()
    return clean_leftovers(Path(out).resolve())


__all__ = ["OutputFolderError", "Staging", "Target", "carry_over", "check_output_folder",
           "clean_after_crash", "clean_leftovers", "private_tempdir", "read_own_manifest",
           "refuse_forbidden"]
