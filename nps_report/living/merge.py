"""Three texts of one generated part: as nps-report printed it (base), as the author's
file has it now (mine), as the new build prints it (theirs); merged word by word.

What the author changed stays; what the build changed is taken where the author did not
touch it; where both changed the same words the author's stay and the place is a
conflict, for the report. So rewording one sentence leaves the build's changes to the
next one whole ('2 responses were censored' travels with its number), and a number the
author typed over is theirs.

A change touches another when their words overlap, or one is an insertion strictly
inside the other, or both insert at the same place; changes that only meet at an edge
are both taken (the author's 'approximately ' before a number the build moved).
The author's changes are read token by token (numbers are one token, as in align.py);
the build's are joined across spaces, so '1 response was' -> '2 responses were' is
one change that goes in whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from ..compare.align import tokens, word_opcodes

SAME, MINE, THEIRS, BOTH = "same", "mine", "theirs", "both"
Range = tuple[int, int]


@dataclass(frozen=True)
class Change:
    base: Range
    other: Range  # the same place in the changed text


@dataclass(frozen=True)
class Piece:
    """A stretch of the base and where it is in the three texts; `kind` says who changed it."""

    kind: str
    base: Range
    mine: Range
    theirs: Range


def author_changes(base: str, mine: str) -> list[Change]:
    if base == mine:
        return []
    a, b = tokens(base), tokens(mine)
    ca, cb = _starts(a), _starts(b)
    return [Change((ca[i1], ca[i2]), (cb[j1], cb[j2]))
            for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if op != "equal"]


def build_changes(base: str, theirs: str) -> list[Change]:
    if base == theirs:
        return []
    return [Change((i1, i2), (j1, j2)) for op, i1, i2, j1, j2 in word_opcodes(base, theirs)
            if op != "equal"]


def _starts(toks: list[str]) -> list[int]:
    out, pos = [0], 0
    for t in toks:
        pos += len(t)
        out.append(pos)
    return out


def touches(x: Range, y: Range) -> bool:
    (x1, x2), (y1, y2) = x, y
    if x1 < x2 and y1 < y2:
        return x1 < y2 and y1 < x2
    if x1 == x2 and y1 == y2:
        return x1 == y1
    if x1 == x2:
        return y1 < x1 < y2
    return x1 < y1 < x2


def _position(changes: list[Change], i: int, after_insertions: bool) -> int:
    """Where base offset i (not inside a change) is in the changed text; an insertion
    at i counts as before it when after_insertions."""
    shift = 0
    for c in changes:
        (b1, b2), (o1, o2) = c.base, c.other
        if b2 < i or (b2 == i and (b1 < i or after_insertions)):
            shift += (o2 - o1) - (b2 - b1)
    return i + shift


@dataclass
class Merge:
    base: str
    mine: str
    theirs: str

    @cached_property
    def mine_changes(self) -> list[Change]:
        return author_changes(self.base, self.mine)

    def authors_only(self) -> Merge:
        """The same author's text against no change of the build (where they wrote)."""
        alone = Merge(self.base, self.mine, self.base)
        alone.__dict__["mine_changes"] = self.mine_changes
        return alone

    @cached_property
    def pieces(self) -> list[Piece]:
        mine_changes = self.mine_changes
        their_changes = build_changes(self.base, self.theirs)
        tagged = sorted([(c, MINE) for c in mine_changes] + [(c, THEIRS) for c in their_changes],
                        key=lambda t: (t[0].base[0], t[0].base[1]))
        clusters: list[list[tuple[Change, str]]] = []
        for change, side in tagged:
            if clusters and any(touches(change.base, c.base) for c, _ in clusters[-1]):
                clusters[-1].append((change, side))
            else:
                clusters.append([(change, side)])
        clusters = _by_sentence(_joined(clusters), self.base, self.theirs)
        out: list[Piece] = []
        pos = (0, 0, 0)  # base, mine, theirs
        for cluster in clusters:
            lo = min(c.base[0] for c, _ in cluster)
            hi = max(c.base[1] for c, _ in cluster)
            sides = {s for _, s in cluster}
            mine = _range(cluster, MINE, mine_changes, lo, hi)
            theirs = _range(cluster, THEIRS, their_changes, lo, hi)
            if lo > pos[0]:
                out.append(Piece(SAME, (pos[0], lo), (pos[1], mine[0]), (pos[2], theirs[0])))
            kind = BOTH if len(sides) == 2 else sides.pop()
            out.append(Piece(kind, (lo, hi), mine, theirs))
            pos = (hi, mine[1], theirs[1])
        if pos[0] < len(self.base) or not out:
            out.append(Piece(SAME, (pos[0], len(self.base)), (pos[1], len(self.mine)),
                             (pos[2], len(self.theirs))))
        return out

    # -- the texts the merge makes ---------------------------------------------------------

    def _text(self, piece: Piece, side: str) -> str:
        r = getattr(piece, side)
        return getattr(self, side)[r[0]:r[1]]

    def _target_side(self, piece: Piece) -> str:
        return {SAME: "mine", MINE: "mine", THEIRS: "theirs", BOTH: "mine"}[piece.kind]

    def _recorded_side(self, piece: Piece) -> str:
        return {SAME: "base", MINE: "base", THEIRS: "theirs", BOTH: "base"}[piece.kind]

    @cached_property
    def target(self) -> str:
        """The author's text with every change of the build they did not touch."""
        return "".join(self._text(p, self._target_side(p)) for p in self.pieces)

    @cached_property
    def recorded(self) -> str:
        """What nps-report has now printed there: the new build's text, except where the
        author's change won, where it is still the text the author changed."""
        return "".join(self._text(p, self._recorded_side(p)) for p in self.pieces)

    @property
    def conflicts(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind == BOTH]

    @property
    def updates(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind == THEIRS]

    @property
    def authored(self) -> list[Piece]:
        """Stretches the author changed (alone or against the build)."""
        return [p for p in self.pieces if p.kind in (MINE, BOTH)]

    # -- offsets between the texts ---------------------------------------------------------

    def _holds(self, piece: Piece, side: str, output: str) -> bool:
        """Does the output ('target', 'recorded' or 'mine') have `side`'s text where this
        piece is? Where only one party changed a stretch, the other two texts agree."""
        shown = {"target": self._target_side, "recorded": self._recorded_side,
                 "mine": lambda _: "mine"}[output](piece)
        return side == shown or shown in _EQUAL[piece.kind].get(side, ())

    @cached_property
    def _starts(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for output, pick in (("target", self._target_side), ("recorded", self._recorded_side),
                             ("mine", lambda _: "mine")):
            starts, pos = [], 0
            for p in self.pieces:
                starts.append(pos)
                lo, hi = getattr(p, pick(p))
                pos += hi - lo
            out[output] = starts
        return out

    def place_of(self, side: str, r: Range, output: str) -> Range | None:
        """Where text r of `side` ('base', 'mine' or 'theirs') is in the output ('target',
        'recorded' or 'mine'), if the output holds that text unchanged there; else None."""
        a, b = r
        pieces = list(zip(self.pieces, self._starts[output], strict=True))
        for piece, _ in pieces:
            lo, hi = getattr(piece, side)
            if lo < b and a < hi and not self._holds(piece, side, output):
                return None
            if lo == hi and a < lo < b and not self._holds(piece, side, output):
                return None

        def edge(at: int, starting: bool) -> int | None:
            for piece, start in pieces:
                lo, hi = getattr(piece, side)
                inside = (lo <= at <= hi if a == b else
                          lo <= at < hi if starting else lo < at <= hi)
                if inside and self._holds(piece, side, output):
                    return start + (at - lo)
            return None

        first, last = edge(a, True), edge(b, False)
        if first is None or last is None or last < first:
            return None
        return first, last

    def hull(self, side: str, r: Range, output: str) -> Range:
        """Where text r of `side` is in the output, widened to whole pieces where the
        output does not hold it (the author's words over a number they typed over)."""
        a, b = r
        lo: int | None = None
        hi = 0
        for piece, start in zip(self.pieces, self._starts[output], strict=True):
            p_lo, p_hi = getattr(piece, side)
            pick = {"target": self._target_side, "recorded": self._recorded_side,
                    "mine": lambda _: "mine"}[output](piece)
            o_lo, o_hi = getattr(piece, pick)
            length = o_hi - o_lo
            overlaps = (p_lo < b and a < p_hi) or (p_lo == p_hi and a <= p_lo <= b
                                                   and piece.kind != SAME)
            if not overlaps and not (a == b and p_lo <= a <= p_hi):
                continue
            if self._holds(piece, side, output):
                s, e = start + max(a, p_lo) - p_lo, start + min(b, p_hi) - p_lo
            else:
                s, e = start, start + length
            lo = s if lo is None else min(lo, s)
            hi = max(hi, e)
        return (lo, hi) if lo is not None else (0, 0)


_EQUAL = {  # piece kind -> side -> the sides with the same text there
    SAME: {"base": ("mine", "theirs"), "mine": ("base", "theirs"), "theirs": ("base", "mine")},
    MINE: {"base": ("theirs",), "theirs": ("base",)},
    THEIRS: {"base": ("mine",), "mine": ("base",)},
    BOTH: {},
}


def _range(cluster: list[tuple[Change, str]], side: str, changes: list[Change], lo: int,
           hi: int) -> Range:
    """Where base [lo, hi) of a cluster is on one side: its own changes' extent, stretched
    to lo and hi over text that side left equal; or, if that side changed nothing here,
    lo and hi mapped past that side's changes around them."""
    own = [c for c, s in cluster if s == side]
    if not own:
        return (_position(changes, lo, after_insertions=True),
                _position(changes, hi, after_insertions=False) if hi > lo
                else _position(changes, lo, after_insertions=True))
    first = min(own, key=lambda c: (c.base[0], c.other[0]))
    last = max(own, key=lambda c: (c.base[1], c.other[1]))
    return first.other[0] - (first.base[0] - lo), last.other[1] + (hi - last.base[1])


AGREEMENT = {"were": "was", "are": "is", "have": "has", "these": "this", "those": "that"}
NUMBER_WORDS = {  # numbers in words: a count the build changed, not its wording
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "no", "none"}
SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def wording_changed(before: str, after: str) -> bool:
    """Did the build change words, not just numbers and the words that agree with them
    ('1 response was' -> '2 responses were', 'Twenty-five' -> 'Twenty-six')?"""
    def words(text: str) -> list[str]:
        out = []
        for w in re.findall(r"[a-z]+", text.lower()):
            if w in NUMBER_WORDS:
                continue
            w = AGREEMENT.get(w, w)
            out.append(w[:-1] if len(w) > 3 and w.endswith("s") else w)
        return out
    return words(before) != words(after)


def _by_sentence(clusters: list[list[tuple[Change, str]]], base: str, theirs: str
                 ) -> list[list[tuple[Change, str]]]:
    """Where the author changed a sentence and the build changed its wording too, the
    sentence between their changes is one conflict: two rewordings are never mixed."""
    ends = [m.start() for m in SENTENCE.finditer(base)] + [len(base)]

    def sentence_of(i: int) -> int:
        return next(k for k, end in enumerate(ends) if i <= end)

    def wording(cluster: list[tuple[Change, str]]) -> bool:
        return any(side == THEIRS and wording_changed(base[c.base[0]:c.base[1]],
                                               theirs[c.other[0]:c.other[1]])
                   for c, side in cluster)

    def authored(cluster: list[tuple[Change, str]]) -> bool:
        return any(side == MINE for _, side in cluster)

    by: dict[int, list[int]] = {}
    for k, cluster in enumerate(clusters):
        lo = min(c.base[0] for c, _ in cluster)
        hi = max(c.base[1] for c, _ in cluster)
        for s in range(sentence_of(lo), sentence_of(hi) + 1):
            by.setdefault(s, []).append(k)
    join: list[set[int]] = []
    for ks in by.values():
        group = [clusters[k] for k in ks]
        if any(map(authored, group)) and any(map(wording, group)):
            join.append(set(range(min(ks), max(ks) + 1)))
    if not join:
        return clusters
    owner = list(range(len(clusters)))
    for group in join:
        first = min(min(owner[k] for k in group), min(group))
        for k in range(len(owner)):
            if k in group or owner[k] in group:
                owner[k] = first
    out: dict[int, list[tuple[Change, str]]] = {}
    for k, cluster in enumerate(clusters):
        out.setdefault(owner[k], []).extend(cluster)
    return [out[k] for k in sorted(out)]


def _joined(clusters: list[list[tuple[Change, str]]]) -> list[list[tuple[Change, str]]]:
    """Clusters whose extents touch are one (a change can link two that sort apart)."""
    out: list[list[tuple[Change, str]]] = []
    for cluster in clusters:
        extent = (min(c.base[0] for c, _ in cluster), max(c.base[1] for c, _ in cluster))
        if out:
            prev = (min(c.base[0] for c, _ in out[-1]), max(c.base[1] for c, _ in out[-1]))
            if touches(prev, extent) and prev[1] != extent[0]:
                out[-1].extend(cluster)
                continue
        out.append(list(cluster))
    return out
