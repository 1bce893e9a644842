"""The words that name a reported quantity, and the words around a number in the
author's text, reduced to comparable stems: 'responded' and 'response' are one word,
'PFS' and 'progression-free survival' name each other (vocab.ABBREVIATIONS), and
'grade 3-5', 'grade >= 3' and 'severe' are one severity, as 'any grade' and 'all grades'
are another."""

from __future__ import annotations

import re

from ..vocab import ABBREVIATIONS

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
SHORT = {"os", "hr", "cr", "pr", "sd", "pd", "ae", "ci"}  # two-letter words that name things
# words that name nothing: English, and the formatter and section words of keys
STOP = {"the", "and", "with", "was", "were", "had", "has", "have", "for", "from", "that",
        "this", "than", "our", "its", "their", "which", "who", "all", "any", "per", "not",
        "are", "been", "being", "into", "onto", "over", "under", "value", "values", "auto",
        "count", "start", "spell", "level", "label", "pct", "months", "month", "efficacy",
        "safety", "results", "reported", "number"}


def stem(word: str) -> str:
    """'respon' for response, responded, responders; 'patien'; 'grade' for grades."""
    word = word.lower().strip("'-")
    if len(word) >= 6:
        return word[:6]
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


# how authors and labels say a severity: one word each, so 'grade 3-5' names 'grade ≥3'
SEVERE = re.compile(r"\bgrades?\s*(?:≥\s*|>=\s*|(?:3|III)\s*(?:or|and)\s*(?:higher|above|more|"
                    r"greater|worse)|3\s*[–-]\s*[45]|III\s*[–-]\s*IV|3\s*\+)\s*3?|grade3plus|"
                    r"\bsevere\b", re.I)
ANY_GRADE = re.compile(r"\b(?:any|all)[\s-]grades?\b", re.I)


PHRASE = re.compile(rf"{SEVERE.pattern}|{ANY_GRADE.pattern}|{WORD.pattern}", re.I)


def words(text: str) -> list[str]:
    text = ANY_GRADE.sub(" anygrade ", SEVERE.sub(" severegrade ", text))
    out = []
    for w in re.findall(r"[A-Za-z]+", text):
        low = w.lower()
        if (len(low) >= 3 or low in SHORT) and low not in STOP:
            out.append(stem(low))
    return out


_EXPANSIONS = {abbr.lower(): frozenset(words(text)) for abbr, text in ABBREVIATIONS.items()}


def naming(*texts: str) -> frozenset[str]:
    """The stems that name a quantity: its words, and abbreviations both ways ('pfs' for
    progression-free survival, and the words of 'ORR')."""
    found = set()
    for text in texts:
        found.update(words(text.replace("_", " ").replace(".", " ")))
    for abbr, spelled in _EXPANSIONS.items():
        if stem(abbr) in found:
            found |= spelled
        elif spelled and spelled <= found:
            found.add(stem(abbr))
    return frozenset(found)


# -- the values a printed text holds -------------------------------------------------------
