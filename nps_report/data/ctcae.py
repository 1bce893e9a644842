"""CTCAE v5.0 terms: the reference a term in adverse_events.csv is checked against.

The Methods say events were graded by CTCAE, so a term that is not a CTCAE term
('Hand-foot syndrome', 'Nasal bleeding') is reported with the CTCAE terms nearest to it,
for the authors to map it (`safety.term_map`). A term that is a CTCAE term apart from
letter case and spacing prints in CTCAE's spelling ('anemia' -> 'Anemia'): the same word,
never another one. The list (ctcae_v5.csv, 837 terms with their MedDRA system organ class
and code) and its source are described in ctcae_v5.md.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

VERSION = "5.0"
# Names clinicians and case report forms often use for a CTCAE term; a key is matched
# without regard to case, spacing or hyphens. Offered first among the nearest terms.
SYNONYMS = {
    "hand-foot syndrome": "Palmar-plantar erythrodysesthesia syndrome",
    "hand-foot skin reaction": "Palmar-plantar erythrodysesthesia syndrome",
    "hfsr": "Palmar-plantar erythrodysesthesia syndrome",
    "nasal bleeding": "Epistaxis", "nosebleed": "Epistaxis",
    "oral mucositis": "Mucositis oral", "stomatitis": "Mucositis oral",
    "leukopenia": "White blood cell decreased", "leucopenia": "White blood cell decreased",
    "neutropenia": "Neutrophil count decreased",
    "thrombocytopenia": "Platelet count decreased",
    "lymphopenia": "Lymphocyte count decreased",
    "positive urinary occult blood": "Hematuria", "urine occult blood": "Hematuria",
    "elevated alt": "Alanine aminotransferase increased",
    "alt increased": "Alanine aminotransferase increased",
    "elevated ast": "Aspartate aminotransferase increased",
    "ast increased": "Aspartate aminotransferase increased",
    "hyperbilirubinemia": "Blood bilirubin increased",
    "loss of appetite": "Anorexia", "decreased appetite": "Anorexia",
    "hair loss": "Alopecia", "diarrhoea": "Diarrhea", "anaemia": "Anemia",
    "oedema": "Edema limbs",
}
# Words too common in CTCAE terms to make two terms alike ('Nephrotic syndrome' is not near
# 'Hand-foot syndrome')
GENERIC_WORDS = {"of", "and", "the", "in", "or", "other", "specify", "syndrome", "disorder",
                 "disorders", "site", "increased", "decreased", "pain", "-"}
_FOLD = re.compile(r"[\s\-‐‑–]+")


@dataclass(frozen=True)
class CtcaeTerm:
    term: str
    soc: str
    meddra_code: str


def fold(term: str) -> str:
    """The comparison key: case, spacing and hyphenation ignored."""
    return _FOLD.sub(" ", term).strip().casefold()


@cache
def ctcae_terms() -> dict[str, CtcaeTerm]:
    """fold(term) -> the CTCAE v5.0 term."""
    text = (resources.files(__package__) / "ctcae_v5.csv").read_text(encoding="utf-8")
    return {fold(row["term"]): CtcaeTerm(row["term"], row["soc"], row["meddra_code"])
            for row in csv.DictReader(text.splitlines())}


def ctcae_term(term: str) -> CtcaeTerm | None:
    """The CTCAE term `term` is, apart from case, spacing and hyphenation; else None."""
    return ctcae_terms().get(fold(term))


def nearest(term: str, n: int = 3) -> tuple[str, ...]:
    """The CTCAE terms nearest to `term`: its usual CTCAE name first, then the most alike
    in spelling, then those sharing the most words."""
    terms = ctcae_terms()
    key = fold(term)
    found: list[str] = []
    usual = {fold(k): v for k, v in SYNONYMS.items()}.get(key)
    if usual:
        found.append(usual)
    found += [terms[k].term for k in difflib.get_close_matches(key, list(terms), n=n,
                                                               cutoff=0.75)]
    words = set(key.split()) - GENERIC_WORDS
    if words:
        shared = sorted(((len(words & set(k.split())), -len(k), k) for k in terms),
                        reverse=True)
        found += [terms[k].term for common, _, k in shared[:n] if common]
    return tuple(dict.fromkeys(found))[:n]
