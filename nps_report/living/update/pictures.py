"""Figures' pictures brought to the new build: a picture still showing the image a build
put there is replaced by the new build's, when that differs, as a tracked change (the
old picture deleted, the new one inserted beside it, its image a new part of the
package); a picture the author replaced is theirs, and reported."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace

from lxml import etree

from ...wordxml import text as wx
from ...wordxml.record import FIGURE, Part
from ..edits import drop_bookmark, place_next_to, strike
from ..paragraphs import END, START
from .copying import relink_pictures
from .job import Job


def digest(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def update_picture(job: Job, part: Part) -> None:
    here = job.here.pictures.get(part.name)
    new = job.partner.get(part.name)
    what = job.what(part)
    if here is None:
        job.keep(part)
        job.notes.left(what, "its picture is no longer in your file; not restored",
                       rank=job.rank(part))
        return
    shown = digest(job.edited.image_bytes(here.rel_id))
    if new is None:
        job.keep(part)
        job.notes.left(what, "the new build no longer has this figure; its picture is kept",
                       rank=job.rank(part))
        return
    if shown == new.text:
        job.keep(replace(part, text=new.text, label=new.label))
        return
    earlier = job.old.earlier_texts().get((FIGURE, part.key, "", ""), set())
    if shown != part.text and shown not in earlier:
        job.keep(part)
        job.notes.left(what, "the picture in your file is not the one nps-report put there, "
                             "so it is kept; the new build's figure has changed (figures/ in "
                             "the build folder)", rank=job.rank(part))
        return
    there = job.there.pictures.get(new.name)
    if there is None:
        job.keep(part)
        job.notes.left(what, "the new build's picture cannot be found in its manuscript.docx; "
                             "not updated", rank=job.rank(part))
        return
    run = copy.deepcopy(there.run)
    relink_pictures(job, run)
    ins = job.marker.mark(wx.INS)
    ins.append(run)
    place_next_to(here.run, ins, after=True)
    strike(job.marker, [here.run])
    drop_bookmark(here.start, here.end)
    _bookmark(job, ins, part.name)
    job.keep(replace(part, text=new.text, label=new.label))
    job.notes.did(what, "the picture replaced: the data it draws changed", rank=job.rank(part))


def _bookmark(job: Job, ins: etree._Element, name: str) -> None:
    """The figure's bookmark around the new picture (and the deleted one before it)."""
    number = str(job.names.bookmark_id())
    start = etree.Element(START)
    start.set(wx.w("id"), number)
    start.set(wx.w("name"), name)
    end = etree.Element(END)
    end.set(wx.w("id"), number)
    first = ins.getprevious() if ins.getprevious() is not None and \
        ins.getprevious().tag == wx.DEL else ins
    first.addprevious(start)
    ins.addnext(end)
