"""Generated numbers outside a generated paragraph (a title, a bound run in the author's
own paragraph, or one whose paragraph was split): each by its own bookmark."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from ...wordxml.record import Part
from ...wordxml.text import readable
from ..edits import drop_bookmark, place_bookmark, retext
from ..reading import GONE, TYPED, UNSURE, UNTOUCHED
from .job import Job


def update_number(job: Job, part: Part) -> None:
    reading = job.reading.numbers[part.name]
    new = reading.new
    what = job.what(part)
    now = f"; the new build says {new.text}" if new is not None and new.text != part.text \
        else ""
    if reading.state == GONE:
        job.keep(part)  # remembered as gone, so that the next update knows it too
        holder = job.old.by_name().get(part.container)
        if holder is not None and not job.here.located(holder.name):
            return  # its paragraph is gone, and reported
        job.notes.left(what, f"no longer marked in your file (deleted or typed over), so not "
                             f"updated (it was {part.text}{now})", rank=job.rank(part))
        return
    assert reading.p is not None
    start, end = reading.span.marks if reading.span is not None else (None, None)
    where: str | Callable[[], str] = (  # as the paragraph reads once every edit is made
        partial(job.where_marked, reading.p, start, end)
        if start is not None and end is not None
        else job.where(reading.p, reading.a, reading.b))
    if reading.state == UNSURE:
        job.keep(part)
        job.notes.left(what, "cannot be found for certain here (the file's markers are off "
                             f"and the text there reads «{readable(reading.current)}»); not "
                             f"updated (nps-report had printed {part.text}{now})", where,
                       job.rank(part))
        return
    if new is None:
        job.keep(part)
        job.notes.left(what, f"the new build no longer reports it; your «{reading.current}» "
                             "is kept", where, job.rank(part))
        return
    if reading.state == TYPED:
        job.keep(part)  # the author's: kept, with the value it was printed as
        if new.text != part.text:
            job.notes.left(what, f"you typed «{reading.current}» where nps-report had "
                                 f"printed {part.text}; the new build says {new.text}; yours "
                                 "is kept", where, job.rank(part))
        return
    assert reading.state == UNTOUCHED and reading.span is not None
    job.placed.add(new.name)
    job.keep(replace(part, text=new.text, label=new.label or part.label))
    if reading.current == new.text:
        return
    a, b = reading.span.bounds()  # afresh: an edit before it may have moved it
    retext(reading.p, a, b, new.text, job.marker)
    start, end = reading.span.marks
    drop_bookmark(start, end)
    marks = place_bookmark(reading.p, a, a + len(new.text), part.name, job.names.bookmark_id())
    job.notes.did(what, f"{reading.current} → {new.text}",
                  lambda: job.where_marked(reading.p, *marks), job.rank(part))
