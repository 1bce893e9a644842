"""Parts only the new build has, put into the author's file as insertions next to their
neighbours in the new build: tables (with caption and notes), paragraphs, legends, table
notes and figures' pictures."""

from __future__ import annotations

from lxml import etree

from ...wordxml import text as wx
from ...wordxml.record import (
    FIGURE,
    LEGEND,
    NUMBER,
    PARAGRAPH,
    TABLE,
    TABLE_NOTE,
    TABLE_TITLE,
    Part,
)
from ..paragraphs import block_of
from ..where import sentence
from .copying import transplant
from .job import Job


def add_new_parts(job: Job) -> None:
    matched = {p.name for p in job.partner.values()}
    in_order = sorted(job.new.parts, key=lambda p: job.there.order.get(p.name, 1 << 30))
    for part in in_order:
        if part.name in matched or part.name in job.placed:
            continue
        if part.kind == TABLE:
            _table(job, part, in_order)
        elif part.kind in (PARAGRAPH, LEGEND):
            _prose(job, part, in_order)
        elif part.kind == TABLE_NOTE and part.key not in job.tables_added:
            _note(job, part)
        elif part.kind == FIGURE:
            _figure(job, part, in_order)
        elif part.kind == NUMBER and not part.container:
            source = job.there.spans.get(part.name)
            where = job.where_new(wx.text_of(source.p), *source.bounds()) if source else ""
            job.notes.left(job.what(part, new_side=True), f"new in the new build ({part.text}) "
                           "but not in a paragraph nps-report can update; not inserted", where,
                           job.rank(part))


def _table(job: Job, part: Part, in_order: list[Part]) -> None:
    job.tables_added.add(part.key)
    copies = [transplant(job, el) for el in _group(job.there, job.build.body, part.key)]
    for el in copies:
        job.marker.inserted(el)
    anchor, after = _table_anchor(job, part, in_order)
    for el in (copies if not after else reversed(copies)):
        (anchor.addnext if after else anchor.addprevious)(el)
    job.notes.did(job.what(part, new_side=True), "a new table in the new build: inserted",
                  rank=job.rank(part))


def _group(found, body: etree._Element, key: str) -> list[etree._Element]:
    """A table key's caption, table and notes in a document, in document order."""
    els = [s.p for s in found.spans.values()
           if s.part.kind in (TABLE_TITLE, TABLE_NOTE) and s.part.key == key]
    els += [t.tbl for t in found.tables.values() if t.part.key == key]
    index = {el: i for i, el in enumerate(body)}
    return sorted({id(e): e for e in els if e in index}.values(), key=lambda e: index[e])


def _table_anchor(job: Job, part: Part, in_order: list[Part]) -> tuple[etree._Element, bool]:
    """(element, after?) where a new table goes: after the table before it in the new
    build, else before the one after it, else before the section properties."""
    tables = [p for p in in_order if p.kind == TABLE]
    at = tables.index(part)
    old_keys = {p.key for p in job.old.parts if p.kind == TABLE}
    for p in reversed(tables[:at]):
        group = _group(job.here, job.body, p.key) if p.key in old_keys else []
        if group:
            return group[-1], True
    for p in tables[at + 1:]:
        group = _group(job.here, job.body, p.key) if p.key in old_keys else []
        if group:
            return group[0], False
    end = job.body.find(wx.w("sectPr"))
    return (end, False) if end is not None else (job.body[-1], True)


def _neighbour(job: Job, part: Part, same_kind: list[Part]) -> tuple[etree._Element | None, bool]:
    """The author's block holding the new part's nearest neighbour of the same kinds in
    the new build (after the one before it, else before the one after it)."""
    back = {new.name: old for old, new in job.partner.items()}
    at = same_kind.index(part)
    for p in reversed(same_kind[:at]):
        block = _located(job, back.get(p.name))
        if block is not None:
            return block, True
    for p in same_kind[at + 1:]:
        block = _located(job, back.get(p.name))
        if block is not None:
            return block, False
    return None, True


def _located(job: Job, old_name: str | None) -> etree._Element | None:
    if old_name is None:
        return None
    if old_name in job.here.spans:
        return block_of(job.here.spans[old_name].p)
    if old_name in job.here.pictures:
        return block_of(job.here.pictures[old_name].p)
    return None


def _prose(job: Job, part: Part, in_order: list[Part]) -> None:
    source = job.there.spans.get(part.name)
    if source is None:
        return
    anchor, after = _neighbour(job, part, [p for p in in_order if p.kind in (PARAGRAPH, LEGEND)])
    if anchor is None:
        job.notes.left(job.what(part, new_side=True), "new in the new build, but no neighbour "
                       f"of it is in your file to place it by; not inserted: «{part.text}»",
                       rank=job.rank(part))
        return
    copied = transplant(job, source.p)
    job.marker.inserted(copied)
    (anchor.addnext if after else anchor.addprevious)(copied)
    job.notes.did(job.what(part, new_side=True), "new in the new build: inserted",
                  f"«{sentence(part.text, 0, 0)}»", job.rank(part))


def _note(job: Job, part: Part) -> None:
    group = _group(job.here, job.body, part.key)
    source = job.there.spans.get(part.name)
    if not group or source is None:
        return
    copied = transplant(job, source.p)
    job.marker.inserted(copied)
    group[-1].addnext(copied)
    job.notes.did(job.what(part, new_side=True), "a new note in the new build: inserted",
                  f"«{sentence(part.text, 0, 0)}»", job.rank(part))


def _figure(job: Job, part: Part, in_order: list[Part]) -> None:
    """A new figure's picture paragraph (and the label paragraph under it), after the
    picture of the figure before it in the new build."""
    source = job.there.pictures.get(part.name)
    if source is None:
        return
    anchor, after = _neighbour(job, part, [p for p in in_order if p.kind == FIGURE])
    what = job.what(part, new_side=True)
    if anchor is None:
        job.notes.left(what, "a new figure in the new build, but no figure of your file to "
                             "place it by; not inserted (it is in the build's figures/)",
                       rank=job.rank(part))
        return
    block = block_of(source.p)
    label = block.getnext()
    copies = [transplant(job, block)]
    if label is not None and label.tag == wx.P and not list(label.iter(wx.w("drawing"))):
        copies.append(transplant(job, label))
    if after:  # after the neighbour's own label paragraph
        nxt = anchor.getnext()
        if nxt is not None and nxt.tag == wx.P and not list(nxt.iter(wx.w("drawing"))):
            anchor = nxt
    for el in copies:
        job.marker.inserted(el)
    for el in (reversed(copies) if after else copies):
        (anchor.addnext if after else anchor.addprevious)(el)
    job.notes.did(what, "a new figure in the new build: inserted", rank=job.rank(part))
