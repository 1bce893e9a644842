"""Where the shipped pieces live: the reference study and the templates."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_STUDY = ROOT / "data" / "anlotinib_rmnpc"
TEMPLATES = ROOT / "templates"
