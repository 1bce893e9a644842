"""The update's report: what it changed, and what it left to the author and why, each
line saying where (headings and the sentence as it reads after the update)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ...wordxml.text import readable

MAX_CHANGES = 6  # changes listed on one line; more are counted


@dataclass(frozen=True)
class Note:
    """One line of the report: what it is about, what happened, where it is."""

    what: str  # the part for people ('Table 2', 'Objective response rate'); may be empty
    says: str
    where: str = ""  # 'Results › Efficacy: «…sentence…»'
    rank: float = field(default=0.0, compare=False)  # where in the document, for sorting

    def __str__(self) -> str:
        said = f"{self.what}: {self.says}" if self.what else self.says
        return readable(f"{self.where} — {said}" if self.where else said)


Where = str | Callable[[], str]  # a place, or how to read it once every edit is made


@dataclass
class Notes:
    updated: list[Note] = field(default_factory=list)  # changed, as tracked changes
    reported: list[Note] = field(default_factory=list)  # left for the author, and why
    # places read once every edit is made (the sentence as it will read): (list, k, how)
    later: list[tuple[list[Note], int, Callable[[], str]]] = field(default_factory=list)

    def did(self, what: str, says: str, where: Where = "", rank: float = 0.0) -> None:
        self._add(self.updated, Note(what, says, "", rank), where)

    def left(self, what: str, says: str, where: Where = "", rank: float = 0.0) -> None:
        self._add(self.reported, Note(what, says, "", rank), where)

    def _add(self, notes: list[Note], note: Note, where: Where) -> None:
        if callable(where):
            self.later.append((notes, len(notes), where))
        else:
            note = replace(note, where=where)
        notes.append(note)

    def in_order(self) -> None:
        for notes, k, where in self.later:
            notes[k] = replace(notes[k], where=where())
        self.later = []
        self.updated.sort(key=lambda n: n.rank)
        self.reported.sort(key=lambda n: n.rank)


def changes(pairs: list[tuple[str, str]]) -> str:
    """'13.3% → 20.0%; 4 → 6' for (was, now) pairs, the first few of them."""
    pairs = [(was, now) for was, now in pairs if was != now]
    said = [f"{readable(was) or '(nothing)'} → {readable(now) or '(nothing)'}"
            for was, now in pairs[:MAX_CHANGES]]
    more = len(pairs) - MAX_CHANGES
    return "; ".join(said) + (f"; and {more} more" if more > 0 else "")
