"""Copying a piece of the new build into the author's file: a paragraph, a table, a row
or a picture, with its bookmarks renamed to fresh names (and recorded), its styles mapped
to the file's style ids, and its pictures' images added to the author's package."""

from __future__ import annotations

import copy
from dataclasses import replace

from lxml import etree

from ...wordxml import text as wx
from ..locate import BLIP, EMBED
from ..paragraphs import END, START
from .job import Job

DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def transplant(job: Job, el: etree._Element) -> etree._Element:
    copied = copy.deepcopy(el)
    by_name = job.new.by_name()
    names: dict[str, str] = {}
    ids: dict[str, str] = {}
    for start in list(copied.iter(START)):
        old = start.get(wx.w("name"), "")
        if old not in by_name:
            start.getparent().remove(start)
            continue
        name, number = job.names.fresh()
        names[old] = name
        ids[start.get(wx.w("id"), "")] = str(number)
        start.set(wx.w("name"), name)
        start.set(wx.w("id"), str(number))
    for end in list(copied.iter(END)):
        number = ids.get(end.get(wx.w("id"), ""))
        if number is None:
            end.getparent().remove(end)
        else:
            end.set(wx.w("id"), number)
    for old, name in names.items():
        part = by_name[old]
        job.placed.add(old)
        job.keep(replace(part, name=name, container=names.get(part.container, part.container)))
    for tag in ("pStyle", "rStyle", "tblStyle"):
        for ref in list(copied.iter(wx.w(tag))):
            mapped = job.styles.get(ref.get(wx.w("val"), ""))
            if mapped is None:
                ref.getparent().remove(ref)
            else:
                ref.set(wx.w("val"), mapped)
    relink_pictures(job, copied)
    return copied


def relink_pictures(job: Job, el: etree._Element) -> None:
    """Pictures copied from the build show their image from the author's package: the
    image added there, the drawing given a drawing id the file does not use yet."""
    for blip in el.iter(BLIP):
        data = job.build.image_bytes(blip.get(EMBED, ""))
        if data is None:
            continue
        name = job.build.images.get(blip.get(EMBED, ""), "image.png")
        blip.set(EMBED, job.images.add(data, name.rsplit(".", 1)[-1].lower()))
    taken = {int(v) for d in job.body.iter(DOC_PR) if (v := d.get("id", "")).isdigit()}
    for doc_pr in el.iter(DOC_PR):
        number = max(taken, default=0) + 1
        taken.add(number)
        doc_pr.set("id", str(number))
