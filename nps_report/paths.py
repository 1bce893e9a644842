"""Where the shipped pieces live: templates, fonts, the reference study, journal profiles and
reporting guidelines.

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
JOURNAL_PROFILES = PACKAGE / "journals"  # one YAML file per journal (nps_report.journals)
GUIDELINES = PACKAGE / "checklists"  # one YAML file per reporting guideline


def shipped_ids(folder: Path) -> tuple[str, ...]:
    """Ids of the YAML files shipped in a folder of the package, sorted: what study.yaml may
    name as a journal or a reporting guideline. Here, below both, so that config can check
    a name without importing the packages that use the files."""
    return tuple(sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                        if p.name.endswith(".yaml")))


def shipped_root(package: Path = PACKAGE) -> Path:
    """The folder holding templates/ and data/: the wheel's copy, else the checkout."""
    inside = package / "_shipped"
    return inside if (inside / "templates").is_dir() else package.parent


ROOT = shipped_root()
TEMPLATES = ROOT / "templates"
REFERENCE_STUDY = ROOT / "data" / "anlotinib_rmnpc"
