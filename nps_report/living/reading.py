"""How each recorded part reads in the author's file now, against the new build: what
`update` changes and `check` lists, decided once for both.

A generated number is found by what it is: in a prose part, by merging the part as
printed, as the author's file has it and as the new build prints it (merge.py), so that
its place is read off the words around it and a bookmark a little off cannot make it
look typed over; outside prose, by its bookmark, checked against the text it printed.
Each number then is one of:

- untouched: it still reads as printed (or as an earlier build printed it);
- typed: the author changed those very characters (theirs, kept);
- gone: its bookmark and its words are no longer in the file;
- unsure: its place cannot be told for certain (its markers are off and the text there is
  not what it printed); nothing is changed there, and the report says where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..wordxml.record import CONTAINERS, NUMBER, Part, Record
from .locate import Found, Span
from .merge import Merge
from .paragraphs import flatten

UNTOUCHED, TYPED, GONE, UNSURE = "untouched", "typed", "gone", "unsure"


@dataclass
class NumberReading:
    part: Part  # as recorded in the author's file
    new: Part | None  # its partner in the new build
    state: str
    current: str = ""  # what the file shows there (untouched: the printed or an earlier text)
    p: etree._Element | None = None  # where it is: the paragraph and accepted offsets
    a: int = 0
    b: int = 0
    span: Span | None = None  # its own bookmark, outside prose
    base: tuple[int, int] | None = None  # in prose: its place in the merge's base text
    merges: bool = False  # in prose, typed around: the build's change goes in beside it
    reworded: bool = False  # in prose, in words both the author and the build changed:
    # the author's words stay, and this number with them

    @property
    def stale(self) -> bool:
        return self.new is not None and self.current != self.new.text


@dataclass
class ProseReading:
    part: Part
    new: Part | None
    span: Span
    current: str  # the part's accepted text in the file
    base: str  # as printed (an earlier build's numbers where the file still shows them)
    merge: Merge | None  # base, current and the new build's text (None: no new part)
    numbers: list[NumberReading] = field(default_factory=list)
    unsure: bool = False  # its edges cannot be told for certain

    @property
    def untouched(self) -> bool:
        return self.current == self.base


@dataclass
class Reading:
    prose: dict[str, ProseReading]  # by the old part's name
    numbers: dict[str, NumberReading]


def known_texts(record: Record, part: Part) -> set[str]:
    return {part.text} | record.earlier_texts().get((part.kind, part.key, "", ""), set())


def read(record: Record, found: Found, partner: dict[str, Part]) -> Reading:
    earlier = record.earlier_texts()
    inner: dict[str, list[Part]] = {}
    for part in record.parts:
        if part.kind == NUMBER and part.container:
            inner.setdefault(part.container, []).append(part)
    prose: dict[str, ProseReading] = {}
    numbers: dict[str, NumberReading] = {}
    for part in record.parts:
        if part.kind not in CONTAINERS or part.name not in found.spans:
            continue
        reading = _prose(part, partner.get(part.name), found.spans[part.name],
                         inner.get(part.name, []), partner, found, earlier)
        prose[part.name] = reading
        numbers.update({n.part.name: n for n in reading.numbers})
    for part in record.parts:
        if part.kind == NUMBER and part.name not in numbers:
            numbers[part.name] = _loose(part, partner.get(part.name), found,
                                        {part.text} | earlier.get((NUMBER, part.key, "", ""),
                                                                  set()))
    return Reading(prose, numbers)


def _loose(part: Part, new: Part | None, found: Found, known: set[str]) -> NumberReading:
    """A number outside a readable prose part: by its own bookmark."""
    span = found.spans.get(part.name)
    if span is None:
        return NumberReading(part, new, GONE)
    flat = flatten(span.p)
    a, b = span.bounds(flat)
    current = flat.text[a:b]
    state = UNTOUCHED if current in known else UNSURE if span.shaky else TYPED
    return NumberReading(part, new, state, current, span.p, a, b, span)


def _prose(part: Part, new: Part | None, span: Span, numbers: list[Part],
           partner: dict[str, Part], found: Found,
           earlier: dict[tuple[str, str, str, str], set[str]]) -> ProseReading:
    current = span.text  # (a part the author split: its paragraphs joined by SEP)
    known = {part.text} | earlier.get((part.kind, part.key, "", ""), set())
    base = current if current in known else part.text
    places = {n.name: (n.at, n.at + len(n.text)) for n in numbers} if base == part.text else {}
    if base == part.text and current != base:
        base, places = _with_earlier_numbers(base, current, numbers, earlier)
    merge = Merge(base, current, new.text if new is not None else base)
    reading = ProseReading(part, new, span, current, base, merge if new is not None else None)
    mine = merge.authors_only()  # where the author's text differs from the base
    for number in numbers:
        place = places.get(number.name)
        if place is None or not _fits(base, place, number, earlier):
            # the record's offsets do not fit (an earlier build's text of a reworded
            # part): its own bookmark says where it is
            reading.numbers.append(_loose(number, partner.get(number.name), found,
                                          {number.text} | earlier.get((NUMBER, number.key,
                                                                       "", ""), set())))
            continue
        held = mine.place_of("base", place, "mine")
        if held is not None:
            state, (lo, hi) = UNTOUCHED, held
        else:
            state, (lo, hi) = TYPED, mine.hull("base", place, "mine")
        (p, a), (p_end, b) = span.where(lo), span.where(hi)
        if p_end is not p:  # the author put a paragraph break inside it
            state, b = TYPED, len(flatten(p).text)
        conflict = any(c.base[0] < place[1] and place[0] < c.base[1]
                       for c in merge.conflicts)
        reading.numbers.append(NumberReading(
            number, partner.get(number.name), state, current[lo:hi], p, a, b,
            found.spans.get(number.name), base=place, merges=state == TYPED and not conflict,
            reworded=conflict))
    if span.shaky and not reading.untouched:
        edges = [p for p in mine.authored if p.base[0] == 0 or p.base[1] == len(base)]
        reading.unsure = bool(edges)
    return reading


def _fits(base: str, place: tuple[int, int], number: Part,
          earlier: dict[tuple[str, str, str, str], set[str]]) -> bool:
    text = base[place[0]:place[1]]
    return text == number.text or text in earlier.get((NUMBER, number.key, "", ""), set())


def _with_earlier_numbers(base: str, current: str, numbers: list[Part],
                          earlier: dict[tuple[str, str, str, str], set[str]]
                          ) -> tuple[str, dict[str, tuple[int, int]]]:
    """The base with each number the author's file still shows at an earlier build's value
    (a rejected update) put back as that value, so that it reads as generated, not typed;
    and every number's place in that base."""
    mine = Merge(base, current, base)
    swaps: list[tuple[Part, str]] = []
    for number in numbers:
        place = (number.at, number.at + len(number.text))
        if base[place[0]:place[1]] != number.text or mine.place_of("base", place, "mine"):
            continue
        lo, hi = mine.hull("base", place, "mine")
        shown = current[lo:hi]
        if shown in earlier.get((NUMBER, number.key, "", ""), set()):
            swaps.append((number, shown))
    places: dict[str, tuple[int, int]] = {}
    shift = 0
    out = base
    swapped = {n.name: text for n, text in swaps}
    for number in sorted(numbers, key=lambda n: n.at):
        at = number.at + shift
        text = swapped.get(number.name, number.text)
        if number.name in swapped:
            out = out[:at] + text + out[at + len(number.text):]
            shift += len(text) - len(number.text)
        places[number.name] = (at, at + len(text))
    return out, places
