"""Adverse-event terms typed several ways are one term, printed as CTCAE prints it.

`Hypertension`, `hypertension ` and `HYPERTENSION` (or with a non-breaking space) are
one term: left apart they would split one toxicity over several rows of the safety
table. The key ignores letter case and all Unicode white space (leading, trailing,
repeated, non-breaking, zero-width). A term that is a CTCAE v5.0 term prints in CTCAE's
spelling ('anemia' -> 'Anemia'); any other prints as spelled most often among the
spellings in sentence case ('Hand-foot syndrome' over 'hand-Foot syndrome'), else as
spelled most often with a capital first letter, the first seen winning a tie. Letters
are never changed into other letters: a term is renamed only by the study's own
`safety.term_map`. The merge and the renaming are reported, and so is every term that
is not a CTCAE term, with the CTCAE terms nearest to it (data/ctcae.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from ..errors import Notice
from .ctcae import VERSION, ctcae_term, nearest

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def tidy(term: str) -> str:
    """White space as one ordinary space between words, none at the ends."""
    return " ".join(_ZERO_WIDTH.sub("", term).split())


def term_key(term: str) -> str:
    return tidy(term).casefold()


def merge_terms(terms: pd.Series, source: str) -> tuple[pd.Series, Notice | None]:
    """Each term replaced by its group's display spelling (CTCAE's for a CTCAE term), and a
    Notice of the merges."""
    merged, notice = merge_spellings(terms, source, "ae_terms_merged", "Adverse-event terms",
                                     "term", display=term_display)
    if notice is not None:
        notice = Notice(notice.code, f"Adverse-event terms in {source} that differ only in "
                        "letter case or spacing were counted as one term, printed in CTCAE's "
                        "spelling where the term is a CTCAE term, else as spelled most often:",
                        notice.details)
    return merged, notice


def term_display(spellings: Mapping[str, int]) -> str:
    """The spelling a group of one term's spellings prints in ({tidy spelling: rows}, in the
    order first seen): CTCAE's, a sentence-case one, or the most used, capitalised."""
    official = ctcae_term(next(iter(spellings)))
    if official is not None:  # the same letters: only case, spacing or hyphens differ
        return official.term
    formed = {s: n for s, n in spellings.items() if s == sentence_case(s)}
    chosen = max(formed or spellings, key=(formed or spellings).get)
    return chosen[:1].upper() + chosen[1:]


def sentence_case(text: str) -> str:
    """'Hand-foot syndrome' for 'hand-Foot syndrome': a capital first letter, the rest in
    lower case except words in capitals ('ALT increased', 'QT prolonged')."""
    words = [w if len(w) > 1 and w.isupper() else w.lower() for w in text.split(" ")]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def map_terms(terms: pd.Series, term_map: tuple[tuple[str, str], ...], source: str
              ) -> tuple[pd.Series, list[Notice]]:
    """safety.term_map applied: each mapped term (matched without regard to case and
    spacing) renamed to the term it names; a Notice of the renaming, and one naming the
    map's terms that the file does not hold."""
    if not term_map:
        return terms, []
    wanted = {term_key(old): (official.term if (official := ctcae_term(new)) else new)
              for old, new in term_map}
    keys = terms.map(term_key)
    hit = keys.isin(list(wanted))
    out = terms.where(~hit, keys.map(wanted))
    details = [f"{old!r} ({_rows(int((keys == term_key(old)).sum()))}) -> "
               f"{wanted[term_key(old)]!r}" for old, _ in term_map if (keys == term_key(old)).any()]
    unused = [old for old, _ in term_map if not (keys == term_key(old)).any()]
    notices = []
    if details:
        notices.append(Notice("ae_terms_mapped", f"Adverse-event terms in {source} renamed "
                              "as safety.term_map in study.yaml says:", tuple(details)))
    if unused:
        notices.append(Notice("ae_term_map_unused", f"safety.term_map names terms that {source} "
                              "does not hold (check their spelling):",
                              tuple(repr(t) for t in unused)))
    return out, notices


def ctcae_check(terms: pd.Series, source: str) -> Notice | None:
    """A Notice listing each term that is not a CTCAE v5.0 term, with the nearest CTCAE terms
    and the safety.term_map line that would map it."""
    details = []
    for term in dict.fromkeys(terms.dropna().astype(str)):
        if ctcae_term(term) is None:
            near = nearest(term)
            hint = f"; nearest CTCAE terms: {', '.join(near)}" if near else ""
            example = f" (e.g. safety.term_map: {{{term!r}: {near[0]!r}}})" if near else ""
            details.append(f"{term!r}{hint}{example}")
    if not details:
        return None
    return Notice("ae_terms_not_ctcae", f"{len(details)} adverse-event term(s) in {source} are "
                  f"not CTCAE v{VERSION} terms, although the Methods say events were graded by "
                  f"CTCAE; map each to its CTCAE term under safety.term_map in study.yaml, or "
                  f"write the CTCAE term in {source}. The terms, and the CTCAE terms nearest "
                  "to each:", tuple(details))


def merge_spellings(terms: pd.Series, source: str, code: str, what: str, noun: str,
                    display: Callable[[Mapping[str, int]], str] | None = None
                    ) -> tuple[pd.Series, Notice | None]:
    """The same for any column of names (centres): one name however it is typed, printed as
    `display` chooses from its spellings (default: the one used most often)."""
    codes, uniques = pd.factorize(terms, sort=False)  # uniques in order of first appearance
    if not len(uniques):
        return terms, None
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    groups: dict[str, dict[str, int]] = {}  # key -> tidy spelling -> rows (insertion = first)
    for raw, n in zip(uniques, counts, strict=True):
        spelled = tidy(str(raw))
        bucket = groups.setdefault(spelled.casefold(), {})
        bucket[spelled] = bucket.get(spelled, 0) + int(n)
    choose = display or (lambda b: max(b, key=b.get))  # max keeps the first tie
    shown = {key: choose(b) for key, b in groups.items()}
    mapping = {raw: shown[term_key(str(raw))] for raw in uniques}
    changed = [raw for raw in uniques if mapping[raw] != raw]
    if not changed:
        return terms, None
    out = pd.Series(np.asarray([mapping[u] for u in uniques], dtype=object)[codes],
                    index=terms.index)
    details = []
    per_raw = dict(zip(uniques, counts, strict=True))
    for key, name in shown.items():
        variants = [u for u in uniques if term_key(str(u)) == key and u != name]
        if variants:
            listed = ", ".join(f"{u!r} ({_rows(int(per_raw[u]))})" for u in variants)
            details.append(f"{listed} -> {name!r}")
    return out, Notice(
        code, f"{what} in {source} that differ only in letter case or spacing were counted "
        f"as one {noun}, under the spelling used most often:", tuple(details))


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"
