"""Which old block goes with which new one, and which words changed inside a paragraph.

Blocks (paragraphs, table rows) are matched on their text with difflib; in a
stretch where both sides changed, blocks are paired in order when the counts agree
(a value edited in place), otherwise each new block is paired with the most similar
old block still unpaired, so an edited paragraph shows word-level changes instead
of a whole deletion and insertion. Words are diffed as tokens in
which a number such as 4.7 is one token, so a moved number is marked as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|\s+|[^\w\s]")
PAIR_AT = 0.5  # similarity from which two changed blocks count as one edited block

Pair = tuple[int | None, int | None]  # (old index, new index); None = only on one side


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, tokens(a), tokens(b), autojunk=False).ratio()


def align(old: Sequence[str], new: Sequence[str],
          similar: Callable[[int, int], float] | None = None,
          pair_at: float = PAIR_AT) -> list[Pair]:
    """Pair old and new blocks in document order; unpaired ones are deleted or inserted.

    Two changed blocks pair when similar(i, j) >= pair_at; pair_at=0 pairs every
    same-kind block of a changed stretch with as many blocks on each side (a table cell)."""
    similar = similar or (lambda i, j: similarity(old[i], new[j]))

    def pairs_with(score: float) -> bool:
        return score > 0 and score >= pair_at
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        if i2 - i1 == j2 - j1 and all(pairs_with(similar(i, j)) for i, j in
                                      zip(range(i1, i2), range(j1, j2), strict=True)):
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))  # edited in place
            continue
        i = i1
        for j in range(j1, j2):
            scores = [(similar(k, j), k) for k in range(i, i2)]
            best = max(scores, default=(0.0, -1), key=lambda s: (s[0], -s[1]))
            if not pairs_with(best[0]):
                pairs.append((None, j))
                continue
            pairs += [(k, None) for k in range(i, best[1])]
            pairs.append((best[1], j))
            i = best[1] + 1
        pairs += [(k, None) for k in range(i, i2)]
    return pairs


def word_opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """Character-range opcodes of a word-level diff; whitespace between two changes joins them,
    so '5.7 months (95% CI 4.7' -> '6.1 months (95% CI 5.0' reads as edits, not confetti."""
    a, b = tokens(old), tokens(new)
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    merged: list[list] = []
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        gap = (op == "equal" and 0 < k < len(ops) - 1 and "".join(a[i1:i2]).isspace())
        if (op != "equal" or gap) and merged and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
            merged[-1][0] = "replace"
        else:
            merged.append([op if not gap else "replace", i1, i2, j1, j2])
    ca = [0, *_cumulative(a)]
    cb = [0, *_cumulative(b)]
    return [(op, ca[i1], ca[i2], cb[j1], cb[j2]) for op, i1, i2, j1, j2 in merged]


def _cumulative(toks: list[str]) -> list[int]:
    out, pos = [], 0
    for t in toks:
        pos += len(t)
        out.append(pos)
    return out
