"""The authors' own words: Markdown files in <study>/manuscript/, or a marked placeholder.

Introduction, discussion and the like cannot come from data; a missing file shows a
highlighted '[Introduction: write in manuscript/introduction.md]' so that nobody
submits a gap by mistake, and a near-miss file name is pointed out.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .markdown import to_blocks
from .model import Block, Run

FOLDER = "manuscript"
PARTS: dict[str, str] = {
    "abstract_background": "Background",
    "abstract_conclusions": "Conclusions",
    "introduction": "Introduction",
    "methods": "Study design, patients and treatment",
    "discussion": "Discussion",
    "conclusions": "Conclusions",
    "acknowledgments": "Acknowledgments, funding and conflicts of interest",
    "references": "References",
}


def authored(study_path: Path, part: str, role: str = "") -> list[Block]:
    """The part's Markdown as Blocks (an author's '#' becomes a level-2 heading)."""
    path = study_path / FOLDER / f"{part}.md"
    if path.is_file():
        blocks = to_blocks(path.read_text(encoding="utf-8"), heading_offset=1, role=role)
        if blocks:
            return blocks
    return [placeholder(study_path, part, role)]


def placeholder(study_path: Path, part: str, role: str = "") -> Block:
    text = f"[{PARTS[part]}: write in {FOLDER}/{part}.md"
    folder = study_path / FOLDER
    present = sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []
    close = difflib.get_close_matches(f"{part}.md", present, n=1, cutoff=0.8)
    if close and close[0] != f"{part}.md":
        text += f" (found {FOLDER}/{close[0]}: rename it?)"
    return Block((Run(text + "]", mark=True),), role=role)

