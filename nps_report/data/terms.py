"""Adverse-event terms typed several ways are one term, under the spelling used most often.

`Hypertension`, `hypertension ` and `HYPERTENSION` (or with a non-breaking space) are
one term: left apart they would split one toxicity over several rows of the safety
table. The key ignores letter case and all Unicode white space (leading, trailing,
repeated, non-breaking, zero-width); the term is shown as spelled most often in the
file, white space tidied, the first spelling seen winning a tie. The merge is reported.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import Notice

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def tidy(term: str) -> str:
    """White space as one ordinary space between words, none at the ends."""
    return " ".join(_ZERO_WIDTH.sub("", term).split())


def term_key(term: str) -> str:
    return tidy(term).casefold()


def merge_terms(terms: pd.Series, source: str) -> tuple[pd.Series, Notice | None]:
    """Each term replaced by its group's display spelling, and a Notice of the merges."""
    return merge_spellings(terms, source, "ae_terms_merged", "Adverse-event terms", "term")


def merge_spellings(terms: pd.Series, source: str, code: str, what: str, noun: str
                    ) -> tuple[pd.Series, Notice | None]:
    """The same for any column of names (centres): one name however it is typed."""
    codes, uniques = pd.factorize(terms, sort=False)  # uniques in order of first appearance
    if not len(uniques):
        return terms, None
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    groups: dict[str, dict[str, int]] = {}  # key -> tidy spelling -> rows (insertion = first)
    for raw, n in zip(uniques, counts, strict=True):
        spelled = tidy(str(raw))
        bucket = groups.setdefault(spelled.casefold(), {})
        bucket[spelled] = bucket.get(spelled, 0) + int(n)
    display = {key: max(b, key=b.get) for key, b in groups.items()}  # max keeps the first tie
    mapping = {raw: display[term_key(str(raw))] for raw in uniques}
    changed = [raw for raw in uniques if mapping[raw] != raw]
    if not changed:
        return terms, None
    out = pd.Series(np.asarray([mapping[u] for u in uniques], dtype=object)[codes],
                    index=terms.index)
    details = []
    per_raw = dict(zip(uniques, counts, strict=True))
    for key, shown in display.items():
        variants = [u for u in uniques if term_key(str(u)) == key and u != shown]
        if variants:
            listed = ", ".join(f"{u!r} ({_rows(int(per_raw[u]))})" for u in variants)
            details.append(f"{listed} -> {shown!r}")
    return out, Notice(
        code, f"{what} in {source} that differ only in letter case or spacing were counted "
        f"as one {noun}, under the spelling used most often:", tuple(details))


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"
