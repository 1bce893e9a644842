"""Generated prose (paragraphs, legends, table captions and notes) brought to the new
build: merged with the author's edits word by word (merge.py), the build's changes as
tracked changes where the author did not touch the words, the author's words kept where
they did, and each number's bookmark put back on the number it now prints."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from ...wordxml import text as wx
from ...wordxml.record import LEGEND, NUMBER, PARAGRAPH, TABLE_NOTE, Part
from ..edits import delete_block, drop_bookmark, place_bookmark, retext
from ..locate import SEP, where_in
from ..merge import BOTH, Merge, Piece, wording_changed
from ..paragraphs import START, flatten
from ..reading import TYPED, NumberReading, ProseReading
from ..where import sentence, sentence_bounds
from .job import Job
from .notes import changes


def update_prose(job: Job, part: Part) -> None:
    reading = job.reading.prose.get(part.name)
    new = job.partner.get(part.name)
    inner = [p for p in job.old.parts if p.kind == NUMBER and p.container == part.name]
    if reading is None:
        _not_found(job, part, new)
        return
    job.settled.update(n.name for n in inner)
    span = reading.span
    segments = span.segments()
    where = job.where(*segments[0])
    if new is None:
        _dropped(job, reading, where)
        return
    if reading.unsure:
        job.keep(part)
        for number in reading.numbers:
            job.keep(number.part)
        job.notes.left(job.what(part), "cannot tell for certain where nps-report's words end "
                       "and yours begin here (the file's markers are off); nothing changed in "
                       "it. The new build reads «" + sentence(new.text, 0, 0) + "»", where,
                       job.rank(part))
        return
    merge = reading.merge
    assert merge is not None
    if reading.current == reading.base == new.text and not (span.da or span.db):
        job.keep(replace(part, key=new.key, text=new.text, label=new.label or part.label))
        for number in reading.numbers:  # the same text prints the same numbers
            match = job.partner.get(number.part.name)
            job.keep(replace(number.part, text=match.text, label=match.label)
                     if match is not None else number.part)
            if match is not None:
                job.placed.add(match.name)
        return
    pieces = merge.target.split(SEP)
    if len(pieces) != len(segments):  # cannot happen: the author's breaks are theirs
        job.keep(part)
        job.notes.left(job.what(part), "cannot tell where your paragraph breaks go in the new "
                       "build's text; nothing changed in it", where, job.rank(part))
        return
    if merge.target != reading.current:
        for (p, a, b), text in zip(segments, pieces, strict=True):
            retext(p, a, b, text, job.marker)
    target = [(p, a, a + len(text)) for (p, a, _), text in zip(segments, pieces, strict=True)]
    _rebind(job, reading, merge, target)
    job.keep(replace(part, key=new.key, text=merge.recorded, label=new.label or part.label))
    _tell(job, reading, merge, target)


def _not_found(job: Job, part: Part, new: Part | None) -> None:
    job.keep(part)  # remembered as deleted, so that the next update knows it too
    changed = (f"; the new build reads «{sentence(new.text, 0, 0)}»"
               if new is not None and new.text != part.text else "")
    section = job.section_in_build(new)
    where = f"{section + ': ' if section else ''}«{sentence(part.text, 0, 0)}»"
    lost = job.here.lost.get(part.name)
    if lost is not None:
        job.notes.left(job.what(part), "has lost nps-report's marker, and this paragraph "
                       "reads much like it: cannot tell for certain whether it is the generated "
                       f"one, so nothing changed in it{changed}",
                       job.where(lost, 0, len(flatten(lost).text)), job.rank(part))
        return
    if part in job.here.broken:
        job.notes.left(job.what(part), "split or moved apart in your file, so not updated as "
                       f"a whole (its numbers are){changed}", where, job.rank(part))
    else:
        job.notes.left(job.what(part), "deleted in your file, so not updated and not restored"
                       + changed, where, job.rank(part))


def _dropped(job: Job, reading: ProseReading, where: str) -> None:
    """A part the new build no longer has: marked deleted if the author left it alone."""
    part = reading.part
    if reading.untouched and part.kind in (PARAGRAPH, LEGEND, TABLE_NOTE):
        for p, _, _ in reading.span.segments():
            delete_block(p, job.marker)
        job.notes.did(job.what(part), "the new build no longer has it: marked deleted", where,
                      job.rank(part))
        return
    job.keep(part)
    for number in reading.numbers:
        job.keep(number.part)
    job.notes.left(job.what(part), "the new build no longer has it; kept" +
                   ("" if reading.untouched else " because you edited it"), where,
                   job.rank(part))


def _bookmark(segments: list[tuple[etree._Element, int, int]], lo: int, hi: int, name: str,
              number: int) -> tuple[etree._Element, etree._Element]:
    """A bookmark around offsets [lo, hi) of a part's text (over its paragraphs)."""
    p, a = where_in(segments, lo)
    q, b = where_in(segments, hi)
    if p is q:
        return place_bookmark(p, a, b, name, number)
    start, end = place_bookmark(p, a, len(flatten(p).text), name, number)
    _, last = place_bookmark(q, 0, b, name, number)
    end.getparent().remove(end)
    for el in q.iter(START):
        if el.get(wx.w("name")) == name:
            el.getparent().remove(el)
            break
    return start, last


def _rebind(job: Job, reading: ProseReading, merge: Merge,
            target: list[tuple[etree._Element, int, int]]) -> None:
    """The part's bookmark around its new text, and each number's on the number it now
    prints; a number the author typed over keeps its bookmark and its record."""
    new = reading.new
    assert new is not None
    part = reading.part
    stretches = target
    typed = {n.part.name for n in reading.numbers if n.state == TYPED}
    for number in reading.numbers:
        if number.part.name not in typed and number.span is not None:
            drop_bookmark(number.span.start, number.span.end)
    start, end = reading.span.marks
    drop_bookmark(start, end)
    _bookmark(target, 0, len(merge.target), part.name, job.names.bookmark_id())
    old_for = {job.partner[n.part.name].name: n for n in reading.numbers
               if n.part.name in job.partner}
    for num in job.new.parts:
        if num.kind != NUMBER or num.container != new.name:
            continue
        previous = old_for.get(num.name)
        theirs = (num.at, num.at + len(num.text))
        at = merge.place_of("theirs", theirs, "target")
        recorded = merge.place_of("theirs", theirs, "recorded")
        if previous is not None and previous.merges and recorded is not None:
            # typed around, its values updated beside the author's words: the new value
            # is what it prints now, in the author's form; their bookmark stays
            job.placed.add(num.name)
            job.keep(replace(num, name=previous.part.name, container=part.name,
                             at=recorded[0]))
            continue
        if at is None or recorded is None:
            if previous is not None:
                _keep_authors(job, previous, merge)
            continue
        if previous is not None and previous.part.name in typed:
            _keep_authors(job, previous, merge)
            continue
        name, bookmark = (job.names.fresh() if previous is None else
                          (previous.part.name, job.names.bookmark_id()))
        _bookmark(stretches, *at, name, bookmark)
        job.placed.add(num.name)
        job.keep(replace(num, name=name, container=part.name, at=recorded[0]))
    for number in reading.numbers:  # what the new build no longer prints, the author kept
        if number.part.name not in job.partner and number.state == TYPED:
            _keep_authors(job, number, merge)


def _keep_authors(job: Job, number: NumberReading, merge: Merge) -> None:
    """A number the author typed over: its record keeps what was printed, placed in the
    part's new recorded text (which holds the printed text there too)."""
    if number.base is None:
        job.keep(number.part)
        return
    at = merge.place_of("base", number.base, "recorded")
    job.keep(replace(number.part, at=at[0] if at is not None else number.part.at))


def _tell(job: Job, reading: ProseReading, merge: Merge,
          target: list[tuple[etree._Element, int, int]]) -> None:
    """One note per sentence the build's changes went into (each number as it was and is
    now, or that its wording changed), and one per place the author's words were kept
    against the build's."""
    part = reading.part
    numbers = [n for n in reading.numbers if n.base is not None]

    def where(lo: int, hi: int) -> str:
        p, a = where_in(target, lo)
        return job.where(p, a, a + hi - lo)

    def overlapping(piece: Piece) -> list[NumberReading]:
        return [n for n in numbers if n.base is not None and n.base[0] < piece.base[1]
                and piece.base[0] < n.base[1]]

    sentences: dict[int, tuple[tuple[int, int], list[tuple[str, str]], list[bool]]] = {}
    told: set[str] = set()
    for piece in merge.updates:
        lo, hi = _in_target(merge, piece)
        bounds = sentence_bounds(merge.target, lo, hi)
        _, pairs, worded = sentences.setdefault(bounds[0], ((lo, hi), [], []))
        hit = overlapping(piece)
        for n in hit:
            if n.part.name not in told and n.new is not None:
                told.add(n.part.name)
                pairs.append((n.part.text, n.new.text))
        if not hit:
            was, now = _of(merge.base, piece.base), _of(merge.theirs, piece.theirs)
            if wording_changed(was, now):
                worded.append(True)
            else:
                pairs.append((was, now))
    for (lo, hi), pairs, worded in sentences.values():
        says = changes(pairs)
        if worded:
            says = "the new build's wording" + (f", and {says}" if says else "")
        job.notes.did(job.what(part), says, where(lo, hi), job.rank(part))
    for piece in merge.conflicts:
        quoted = where(*_in_target(merge, piece))
        hit = [n for n in overlapping(piece) if n.state == TYPED]
        for n in hit:
            now = n.new.text if n.new is not None else "no longer reported"
            job.notes.left(job.what(n.part), f"you typed «{n.current}» where nps-report had "
                                             f"printed {n.part.text}; the new build says "
                                             f"{now}; yours is kept", quoted, job.rank(part))
        if not hit:
            job.notes.left(job.what(part), "you reworded this, and the new build's wording "
                                           "changed here too; yours is kept. The new build "
                                           f"reads «{sentence(merge.theirs, *piece.theirs)}»",
                           quoted, job.rank(part))


def _in_target(merge: Merge, piece: Piece) -> tuple[int, int]:
    side = "mine" if piece.kind == BOTH else "theirs"
    placed = merge.place_of(side, getattr(piece, side), "target")
    return placed if placed is not None else (0, 0)


def _of(text: str, r: tuple[int, int]) -> str:
    return text[r[0]:r[1]]

