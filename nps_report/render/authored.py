"""The authors' own words: Markdown files in <study>/manuscript/, or a marked placeholder.

Introduction, discussion, declarations and the like cannot come from data; a missing
file shows a highlighted '[Introduction: write in manuscript/introduction.md]' so that
nobody submits a gap by mistake, and a near-miss file name is pointed out. When the
study has manuscript/references.bib, the `[@key]` citations of every part are numbered
in reading order and the reference list is formatted in the journal's style
(nps_report.references); without it, a hand-written references.md is used as it is.
Each file is read only if it is the study's own (no link out of the study), within the
size limits, and holds no character a document cannot hold.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, StudyError
from ..inside import check_file, read_text
from ..limits import BIB_BYTES, MARKDOWN_BYTES, MARKDOWN_TOTAL, control_character, human
from .markdown import to_blocks
from .model import Block, Run

if TYPE_CHECKING:
    from ..errors import Notice
    from ..journals.profile import ReferenceSpec

FOLDER = "manuscript"
PARTS: dict[str, str] = {
    "abstract_background": "Background",
    "abstract_conclusions": "Conclusions",
    "introduction": "Introduction",
    "methods": "Study design, patients and treatment",
    "discussion": "Discussion",
    "conclusions": "Conclusions",
    "acknowledgments": "Acknowledgments",
    "references": "References",
}


def authored(study_path: Path, part: str, role: str = "") -> list[Block]:
    """The part's Markdown as Blocks (an author's '#' becomes a level-2 heading)."""
    return AuthoredParts.read(study_path, (part,)).blocks(part, role)


def placeholder(study_path: Path, part: str, role: str = "", name: str | None = None) -> Block:
    text = f"[{name or PARTS.get(part, part.replace('_', ' ').capitalize())}: write in " \
           f"{FOLDER}/{part}.md"
    folder = study_path / FOLDER
    present = sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []
    close = difflib.get_close_matches(f"{part}.md", present, n=1, cutoff=0.8)
    if close and close[0] != f"{part}.md":
        text += f" (found {FOLDER}/{close[0]}: rename it?)"
    return Block((Run(text + "]", mark=True),), role=role)


@dataclass
class AuthoredParts:
    """Every author-written part of one manuscript, read once, citations resolved."""

    study_path: Path
    texts: dict[str, str]  # part -> Markdown, citations rewritten as the journal prints them
    reference_list: str = ""  # the References section's Markdown ('' when there is none)
    notices: tuple[Notice, ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # part -> what a placeholder calls it

    @classmethod
    def read(cls, study_path: Path, order: tuple[str, ...], spec: ReferenceSpec | None = None,
             language: str = "en-US", names: dict[str, str] | None = None) -> AuthoredParts:
        """The parts in reading order (citations are numbered in that order)."""
        folder = study_path / FOLDER
        found = [(part, folder / f"{part}.md") for part in order
                 if part != "references" and _present(folder / f"{part}.md")]
        texts = _read_texts(study_path, found)
        bib = folder / "references.bib"
        handwritten = folder / "references.md"
        if _present(bib) and (problem := check_file(study_path, bib, limit=BIB_BYTES,
                                                    what="BibTeX file")) is not None:
            raise StudyError([problem])
        if spec is None or not (bib.is_file() or any("[@" in t or "@{" in t
                                                      for t in texts.values())):
            listed = _read_texts(study_path, [("references", handwritten)])["references"] \
                if _present(handwritten) else ""
            return cls(study_path, texts, listed, (), names or {})
        from ..references import reference_list, resolve_references

        refs = resolve_references([(part, f"{FOLDER}/{part}.md", texts[part])
                                   for part, _ in found], bib if bib.is_file() else None,
                                  spec, language)
        if _present(handwritten):
            _read_texts(study_path, [("references", handwritten)])  # checked before it is used
        listed, more = reference_list(refs, handwritten)
        return cls(study_path, {p.name: p.text for p in refs.parts}, listed,
                   (*refs.notices, *more), names or {})

    def has(self, part: str) -> bool:
        text = self.reference_list if part == "references" else self.texts.get(part, "")
        return bool(text.strip())

    def blocks(self, part: str, role: str = "") -> list[Block]:
        text = self.reference_list if part == "references" else self.texts.get(part, "")
        blocks = to_blocks(text, heading_offset=1, role=role) if text.strip() else []
        return blocks or [placeholder(self.study_path, part, role, self.names.get(part))]


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _read_texts(study_path: Path, found: list[tuple[str, Path]]) -> dict[str, str]:
    """The parts' Markdown; StudyError naming a file that is a link out of the study, too
    large, or holds a control character (with its line)."""
    texts, problems, total = {}, [], 0
    for part, path in found:
        rel = f"{FOLDER}/{path.name}"
        text = read_text(study_path, path, limit=MARKDOWN_BYTES, what="Markdown file")
        total += len(text.encode())
        if total > MARKDOWN_TOTAL:
            raise StudyError([Problem(rel, f"the Markdown files of {FOLDER}/ come to more "
                                           f"than {human(MARKDOWN_TOTAL)} together",
                                      expected="the manuscript's own text, not more")])
        if (found_char := control_character(text)) is not None:
            at = next(i for i, ch in enumerate(text) if control_character(ch))
            problems.append(Problem(f"{rel}, line {text.count(chr(10), 0, at) + 1}",
                                    f"holds a control character ({found_char}) that no "
                                    "document can hold", expected="the text without it (it "
                                    "may come from copying out of another program)"))
        texts[part] = text
    if problems:
        raise StudyError(problems)
    return texts
