"""manuscript-tracked.docx: the new manuscript with the old one's differences as Word revisions.

Blocks of the body are paired on their text (align.py); paired paragraphs get
word-level marks, paired tables are compared row by row and cell by cell, and blocks
on one side only become whole insertions or deletions. Only the main document part
is compared; headers, footers and pictures are the new document's (the change report
lists moved numbers wherever they are printed).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from ..wordxml import text as wx
from .align import PAIR_AT, align, similarity
from .revisions import Marker

AUTHOR = "nps-report"
SAME_KIND = 0.01  # floor for same-kind blocks, so cell paragraphs pair even when all differ
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   "officeDocument")


def _signature(el: etree._Element) -> str:
    return ("table\x00" if el.tag == wx.TBL else "para\x00") + wx.text_of(el)


def mark_container(old: etree._Element, new: etree._Element, marker: Marker) -> None:
    """Mark, inside `new` (a body or table cell), every difference from `old`."""
    old_b, new_b = wx.blocks(old), wx.blocks(new)
    in_cell = new.tag == wx.TC  # a cell's value is edited in place, however different

    def similar(i: int, j: int) -> float:
        if old_b[i].tag != new_b[j].tag:
            return 0.0
        if old_b[i].tag == wx.TBL:
            return 1.0  # tables keep their places: pair them in order, compare inside
        return max(similarity(wx.text_of(old_b[i]), wx.text_of(new_b[j])), SAME_KIND)

    pending: list[etree._Element] = []
    for i, j in align([_signature(b) for b in old_b], [_signature(b) for b in new_b],
                      similar, pair_at=0.0 if in_cell else PAIR_AT):
        if j is None:
            pending.append(marker.deleted(old_b[i]))
            continue
        for gone in pending:
            new_b[j].addprevious(gone)
        pending = []
        if i is None:
            marker.inserted(new_b[j])
        elif _signature(old_b[i]) == _signature(new_b[j]):
            continue
        elif new_b[j].tag == wx.P:
            marker.edit_paragraph(old_b[i], new_b[j])
        else:
            mark_table(old_b[i], new_b[j], marker)
    end = new.find(wx.w("sectPr"))  # the body's last child: deletions go before it
    for gone in pending:
        if end is not None:
            end.addprevious(gone)
        else:
            new.append(gone)


def mark_table(old: etree._Element, new: etree._Element, marker: Marker) -> None:
    """Rows paired on their text (same first cell = same row), then cell by cell."""
    old_r, new_r = old.findall(wx.TR), new.findall(wx.TR)

    def cells(tr: etree._Element) -> list[etree._Element]:
        return tr.findall(wx.TC)

    def similar(i: int, j: int) -> float:
        a, b = cells(old_r[i]), cells(new_r[j])
        if len(a) != len(b):
            return 0.0
        if a and wx.row_text(old_r[i]).split("\t")[0] == wx.row_text(new_r[j]).split("\t")[0]:
            return 1.0
        return similarity(wx.row_text(old_r[i]), wx.row_text(new_r[j]))

    pending: list[etree._Element] = []
    for i, j in align([wx.row_text(r) for r in old_r], [wx.row_text(r) for r in new_r],
                      similar):
        if j is None:
            pending.append(marker.deleted(old_r[i]))
            continue
        for gone in pending:
            new_r[j].addprevious(gone)
        pending = []
        if i is None:
            marker.inserted(new_r[j])
        elif wx.row_text(old_r[i]) != wx.row_text(new_r[j]):
            for a, b in zip(cells(old_r[i]), cells(new_r[j]), strict=True):
                mark_container(a, b, marker)
    for gone in pending:
        new.append(gone)


def number_revisions(root: etree._Element) -> int:
    """Unique w:id for every revision, above any id the document already uses."""
    marks = list(root.iter(wx.INS, wx.DEL))
    taken = [int(v) for el in root.iter() if el.tag not in (wx.INS, wx.DEL)
             for v in [el.get(wx.w("id"))] if v is not None and v.lstrip("-").isdigit()]
    start = max(taken, default=0) + 1
    for n, el in enumerate(marks):
        el.set(wx.w("id"), str(start + n))
    return len(marks)


def _main_part(pkg: zipfile.ZipFile) -> str:
    """The main document's name inside the package (word/document.xml for python-docx)."""
    rels = etree.fromstring(pkg.read("_rels/.rels"))
    for rel in rels.iter(f"{{{RELS_NS}}}Relationship"):
        if rel.get("Type") == OFFICE_DOCUMENT:
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return "word/document.xml"


def tracked_docx(old: bytes, new: bytes, *, date: str, author: str = AUTHOR) -> bytes:
    """The new .docx with revision marks against the old; accept all = new, reject all = old."""
    with zipfile.ZipFile(io.BytesIO(old)) as old_pkg:
        old_root = etree.fromstring(old_pkg.read(_main_part(old_pkg)))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(new)) as pkg, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        part = _main_part(pkg)
        root = etree.fromstring(pkg.read(part))
        mark_container(old_root.find(wx.w("body")), root.find(wx.w("body")),
                       Marker(author, date))
        number_revisions(root)
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        for info in pkg.infolist():  # same names, order and dates as the new package
            dest.writestr(info, xml if info.filename == part else pkg.read(info))
    return out.getvalue()
