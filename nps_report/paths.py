"""Where the shipped pieces live: templates, fonts and the reference study.

In a checkout (an editable install, or `python -m nps_report` run from it) they are the
top-level templates/ and data/ folders beside the package. A wheel has no checkout, so
setup.py copies both into the package as nps_report/_shipped/; that folder, when it
exists, wins. The package must be a folder on disk (every wheel install is): WeasyPrint
and the Jinja loader read these as real files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files(__package__ or "nps_report")))
FONTS = PACKAGE / "fonts"


def shipped_root(package: Path = PACKAGE) -> Path:
    """The folder holding templates/ and data/: the wheel's copy, else the checkout."""
    inside = package / "_shipped"
    return inside if (inside / "templates").is_dir() else package.parent


ROOT = shipped_root()
TEMPLATES = ROOT / "templates"
REFERENCE_STUDY = ROOT / "data" / "anlotinib_rmnpc"
