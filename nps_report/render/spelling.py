"""The journal's spelling for the generated text, and a word to the authors about theirs.

The templates are written in US English; for an en-GB journal every generated sentence
is converted (present/spelling.py: 'tumor' -> 'tumour'), except the study's own words a
sentence quotes: adverse-event terms, labels, the drug and population, which are the
authors' and print as they wrote them. The authors' Markdown is never rewritten; where
it uses the other spelling, the build says so.
"""

from __future__ import annotations

from pathlib import Path

from ..config import StudyConfig
from ..errors import Notice
from ..present.spelling import to_variant, variant_notice
from ..results import Results
from .authored import FOLDER, AuthoredParts

TEMPLATES_SPELLING = "en-US"


class Spelling:
    def __init__(self, variant: str, results: Results, config: StudyConfig) -> None:
        self.variant = variant
        self.keep = tuple(dict.fromkeys((
            results.study.drug, results.study.population, results.study.title,
            *(r.term for r in results.safety.all_terms),
            *(v.label for v in results.baseline),
            *(lv.label for v in results.baseline for lv in v.levels),
            *(config.manuscript.keywords))))

    def __call__(self, text: str) -> str:
        if self.variant == TEMPLATES_SPELLING:
            return text
        return to_variant(text, self.variant, self.keep)

    def notices(self, authored: AuthoredParts) -> list[Notice]:
        """The authors' parts that use the other spelling (their text stays as it is)."""
        out = []
        for part, text in authored.texts.items():
            notice = variant_notice(text, self.variant, str(Path(FOLDER) / f"{part}.md"),
                                    self.keep)
            if notice is not None:
                out.append(notice)
        return out
