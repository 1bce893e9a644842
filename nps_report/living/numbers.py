"""Numbers the author typed that are an earlier value of a quantity which has since changed.

A number in the author's text is flagged only when that is its best explanation:

- it is a whole token ("3.3" in "3.3%", never in "13.3" or "3.3.1"), with a decimal
  point; whole numbers ("1 patient", "grade 3") are far too common to flag alone, and
  are flagged only beside a flagged decimal of the same quantity ("1 patient (3.3%)");
- it equals the value a quantity had in an earlier build, at a place in its printed form
  where the value has since changed (so a value that stayed is never flagged);
- a bound of a confidence interval ("4.7" of "4.7–6.7") counts only with its other bound
  next to it, as authors quote intervals;
- the words near it name that quantity (a word of its label, its key or its table row's
  label; a column header such as "grade 3" as a phrase counts too, but never alone, as
  "any grade" names no adverse event), and name it better than they name any quantity
  whose current value is the same number.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

NUM = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?!\w|\.\d)")
WORD = re.compile(r"[a-z]{3,}|\d+")
# a range's dash, with the word joiners the writer puts around it (wordxml.text) or spaces
RANGE_GAP = re.compile(r"^[\s\u2060]*(?:[–—-]|to)[\s\u2060]*$")
SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
BEFORE, AFTER = 8, 3  # words of context on each side of a number (a clause, about)
COMMON = 0.25  # a word in more than this share of quantities names none of them


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    partner: str = ""  # the other bound, if this is one end of a range

    @property
    def decimal(self) -> bool:
        return "." in self.text


def tokens(text: str) -> list[Token]:
    found = [Token(m.group(), m.start(), m.end()) for m in NUM.finditer(text)]
    out = list(found)
    for k in range(len(found) - 1):
        a, b = found[k], found[k + 1]
        if RANGE_GAP.match(text[a.end:b.start]):
            out[k] = Token(a.text, a.start, a.end, b.text)
            out[k + 1] = Token(b.text, b.start, b.end, a.text)
    return out


@dataclass
class Quantity:
    """One reported quantity as printed: a bound number's key, or one table cell."""

    label: str
    words: set[str]  # what names it, before common words are dropped
    phrase: str = ""  # a column header, matched as a phrase ("grade 3")
    old: str = ""  # an earlier printed form
    new: str | None = None  # the build's printed form; None: no longer reported


def words_of(*texts: str) -> set[str]:
    return {w for text in texts for w in WORD.findall(text.lower()) if not w.isdigit()}


@dataclass
class Stale:
    quantity: Quantity
    token: Token  # in the old printed form


@dataclass
class Hit:
    """An author-typed stale number: which quantity, and the text [start, end) of it."""

    quantity: Quantity
    start: int
    end: int


@dataclass
class Index:
    stale: dict[str, list[Stale]] = field(default_factory=dict)
    current: dict[str, list[Quantity]] = field(default_factory=dict)
    common: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, changed: list[Quantity], now: list[Quantity]) -> Index:
        index = cls()
        for q in changed:
            old = tokens(q.old)
            new = tokens(q.new or "")
            if len(old) == len(new):
                moved = [o for o, n in zip(old, new, strict=True) if o.text != n.text]
            else:
                moved = [o for o in old if o.text not in {n.text for n in new}]
            for token in moved:
                index.stale.setdefault(token.text, []).append(Stale(q, token))
        for q in now:
            for token in tokens(q.old):
                index.current.setdefault(token.text, []).append(q)
        every = [*changed, *now]
        df = Counter(w for q in every for w in q.words)
        index.common = {w for w, k in df.items() if k >= 3 and k > COMMON * len(every)}
        return index

    def score(self, q: Quantity, window: str, window_words: set[str]) -> tuple[int, int]:
        """(how many of its words the window has, that plus its phrase)."""
        named = len((q.words - self.common) & window_words)
        phrase = bool(q.phrase and re.search(rf"\b{re.escape(q.phrase)}\b", window))
        return named, named + phrase

    def hits(self, text: str) -> list[Hit]:
        """The stale numbers in one stretch of the author's text."""
        found = tokens(text)
        out: list[Hit] = []
        for k, token in enumerate(found):
            if not token.decimal or token.text not in self.stale:
                continue
            window = _window(text, token)
            window_words = words_of(window)
            near = {t.text for t in found[max(0, k - 1):k + 2] if t is not token}
            candidates = [s for s in self.stale[token.text]
                          if not s.token.partner or (s.token.partner in near and _ranged(
                              found, k, s.token.partner))]
            if not candidates:
                continue
            scored = [(self.score(s.quantity, window, window_words), s) for s in candidates]
            scored = [(total, s) for (named, total), s in scored if named]
            if not scored:
                continue
            best = max(total for total, _ in scored)
            rival = max((self.score(q, window, window_words)[1]
                         for q in self.current.get(token.text, [])), default=-1)
            if best <= rival:
                continue
            for total, s in scored:
                if total == best and not any(h.quantity is s.quantity for h in out):
                    out.append(self._hit(text, found, k, s))
        return out

    @staticmethod
    def _hit(text: str, found: list[Token], k: int, s: Stale) -> Hit:
        """The hit's text: the decimal, its range partner, and a whole number just before
        it that is the same quantity's old count ('1 patient (3.3%)')."""
        token = found[k]
        start, end = token.start, token.end
        for t in found[max(0, k - 1):k + 2]:
            if s.token.partner and t.text == s.token.partner:
                start, end = min(start, t.start), max(end, t.end)
        counts = {t.text for t in tokens(s.quantity.old) if not t.decimal}
        new_counts = {t.text for t in tokens(s.quantity.new or "")}
        for t in reversed(found[max(0, k - 2):k]):
            gap = text[t.end:start]
            if (not t.decimal and t.text in counts and t.text not in new_counts
                    and len(WORD.findall(gap)) <= 2 and not SENTENCE_END.search(gap)):
                start = t.start
                break
        if end < len(text) and text[end] == "%":
            end += 1
        if text[start:end].count("(") > text[start:end].count(")") and \
                text[end:end + 1] == ")":
            end += 1
        return Hit(s.quantity, start, end)


def _ranged(found: list[Token], k: int, partner: str) -> bool:
    return any(t.text == partner and t.partner for t in found[max(0, k - 1):k + 2])


def _window(text: str, token: Token) -> str:
    """The words around a number, within its sentence, lower-cased."""
    start = 0
    for m in SENTENCE_END.finditer(text, 0, token.start):
        start = m.end()
    stop = SENTENCE_END.search(text, token.end)
    end = stop.start() if stop else len(text)
    before = [t for t in re.findall(r"\S+", text[start:token.start]) if _wordy(t)][-BEFORE:]
    after = [t for t in re.findall(r"\S+", text[token.end:end]) if _wordy(t)][:AFTER]
    return " ".join([*before, token.text, *after]).lower()


def _wordy(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)
