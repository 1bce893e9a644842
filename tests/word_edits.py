"""Edits to a .docx made the way Word writes them, with lxml only (independent of
nps_report): text typed over a phrase, comments inside a sentence, tracked insertions and
deletions by another author, moved paragraphs (w:moveFrom/w:moveTo), renamed headings,
split runs, field codes, edited table cells.

A Doc is the package's members and its parsed main document; `Doc.bytes()` writes it back.
Phrases are found in a paragraph's text as a reader sees it (every tracked change
accepted), and runs are split at the phrase's edges, as Word splits them where you type.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DATE = "2025-02-10T10:00:00Z"
COAUTHOR = "C. Coauthor"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _text_runs(p: etree._Element) -> Iterator[etree._Element]:
    """Runs whose w:t a reader sees: not inside w:del or w:moveFrom."""
    for r in p.iter(w("r")):
        if any(a.tag in (w("del"), w("moveFrom")) for a in r.iterancestors()):
            continue
        if r.find(w("t")) is not None:
            yield r


def text(p: etree._Element) -> str:
    return "".join((r.find(w("t")).text or "") for r in _text_runs(p))


def _set(t: etree._Element, value: str) -> None:
    t.text = value
    t.set(XML_SPACE, "preserve")


def _split(run: etree._Element, at: int) -> etree._Element:
    """Split a one-w:t run at a character; returns the second half."""
    t = run.find(w("t"))
    second = copy.deepcopy(run)
    value = t.text or ""
    _set(t, value[:at])
    _set(second.find(w("t")), value[at:])
    run.addnext(second)
    return second


def isolate(p: etree._Element, phrase: str, occurrence: int = 0) -> list[etree._Element]:
    """The runs that hold exactly `phrase` (its n-th occurrence), split out of their
    neighbours."""
    whole = text(p)
    if phrase not in whole:  # ranges are printed with word joiners around the dash
        phrase = phrase.replace("–", "\u2060–\u2060")
    start = -1
    for _ in range(occurrence + 1):
        start = whole.index(phrase, start + 1)
    end = start + len(phrase)
    for cut in (start, end):
        pos = 0
        for r in list(_text_runs(p)):
            n = len(r.find(w("t")).text or "")
            if pos < cut < pos + n:
                _split(r, cut - pos)
                break
            pos += n
    out, pos = [], 0
    for r in _text_runs(p):
        n = len(r.find(w("t")).text or "")
        if start <= pos and pos + n <= end and n:
            out.append(r)
        pos += n
    return out


class Doc:
    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as pkg:
            self.members = {i.filename: pkg.read(i) for i in pkg.infolist()}
        self.root = etree.fromstring(self.members["word/document.xml"])
        self.body = self.root.find(w("body"))
        self._ids = 9000

    def bytes(self) -> bytes:
        self.members["word/document.xml"] = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pkg:
            for name, data in self.members.items():
                pkg.writestr(name, data)
        return out.getvalue()

    def next_id(self) -> str:
        self._ids += 1
        return str(self._ids)

    # -- finding ---------------------------------------------------------------------------

    def paragraphs(self) -> list[etree._Element]:
        return list(self.body.iter(w("p")))

    def paragraph(self, containing: str, occurrence: int = 0) -> etree._Element:
        found = [p for p in self.paragraphs()
                 if containing in text(p).replace("\u2060", "")]
        if not found:
            raise LookupError(f"no paragraph contains {containing!r}")
        return found[occurrence]

    def heading(self, title: str) -> etree._Element:
        return next(p for p in self.body.findall(w("p")) if text(p) == title
                    and p.find(f"{w('pPr')}/{w('pStyle')}") is not None
                    and "Heading" in p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"), ""))

    # -- typing ----------------------------------------------------------------------------

    def replace(self, containing: str, phrase: str, new: str, occurrence: int = 0) -> None:
        """Type `new` over `phrase` in the paragraph containing `containing` (tracking off)."""
        p = self.paragraph(containing)
        runs = isolate(p, phrase, occurrence)
        _set(runs[0].find(w("t")), new)
        for r in runs[1:]:
            r.getparent().remove(r)

    def insert_after(self, containing: str, phrase: str, new: str) -> None:
        p = self.paragraph(containing)
        last = isolate(p, phrase)[-1]
        run = copy.deepcopy(last)
        _set(run.find(w("t")), new)
        last.addnext(run)

    def append_paragraph(self, after: str, words: str, style: str | None = None
                         ) -> etree._Element:
        """A new paragraph of the author's after the one containing `after`."""
        anchor = self.paragraph(after)
        p = etree.Element(w("p"))
        if style:
            ppr = etree.SubElement(p, w("pPr"))
            etree.SubElement(ppr, w("pStyle")).set(w("val"), style)
        r = etree.SubElement(p, w("r"))
        _set(etree.SubElement(r, w("t")), words)
        anchor.addnext(p)
        return p

    def write_over(self, containing: str, words: str) -> etree._Element:
        """The whole text of a paragraph replaced (e.g. a placeholder): one run, no marks."""
        p = self.paragraph(containing)
        for child in [c for c in p if c.tag != w("pPr")]:
            p.remove(child)
        r = etree.SubElement(p, w("r"))
        _set(etree.SubElement(r, w("t")), words)
        return p

    # -- comments --------------------------------------------------------------------------

    def comment(self, containing: str, phrase: str, words: str, author: str = COAUTHOR) -> None:
        """A comment anchored on a phrase inside a sentence, as Word writes it."""
        self._comments_part()
        cid = str(len(self.comments.findall(w("comment"))))
        runs = isolate(self.paragraph(containing), phrase)
        start = etree.Element(w("commentRangeStart"), {w("id"): cid})
        end = etree.Element(w("commentRangeEnd"), {w("id"): cid})
        runs[0].addprevious(start)
        runs[-1].addnext(end)
        ref = etree.Element(w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): cid})
        end.addnext(ref)
        c = etree.SubElement(self.comments, w("comment"), {
            w("id"): cid, w("author"): author, w("date"): DATE, w("initials"): "CC"})
        cp = etree.SubElement(c, w("p"))
        _set(etree.SubElement(etree.SubElement(cp, w("r")), w("t")), words)
        self.members["word/comments.xml"] = etree.tostring(
            self.comments, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _comments_part(self) -> None:
        if hasattr(self, "comments"):
            return
        if "word/comments.xml" in self.members:
            self.comments = etree.fromstring(self.members["word/comments.xml"])
            return
        self.comments = etree.Element(w("comments"), nsmap={"w": W})
        rels_name = "word/_rels/document.xml.rels"
        rels = etree.fromstring(self.members[rels_name])
        ns = rels.nsmap[None]
        etree.SubElement(rels, f"{{{ns}}}Relationship", {
            "Id": "rIdComments9", "Target": "comments.xml",
            "Type": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "comments"})
        self.members[rels_name] = etree.tostring(rels, xml_declaration=True,
                                                 encoding="UTF-8", standalone=True)
        types = etree.fromstring(self.members["[Content_Types].xml"])
        tns = types.nsmap[None]
        etree.SubElement(types, f"{{{tns}}}Override", {
            "PartName": "/word/comments.xml",
            "ContentType": "application/vnd.openxmlformats-officedocument."
                           "wordprocessingml.comments+xml"})
        self.members["[Content_Types].xml"] = etree.tostring(
            types, xml_declaration=True, encoding="UTF-8", standalone=True)

    # -- tracked changes by a co-author ----------------------------------------------------

    def _mark(self, tag: str, author: str) -> etree._Element:
        return etree.Element(w(tag), {w("id"): self.next_id(), w("author"): author,
                                      w("date"): DATE})

    def tracked_insert(self, containing: str, after: str, words: str,
                       author: str = COAUTHOR) -> None:
        """Words inserted after a phrase with Track Changes on."""
        last = isolate(self.paragraph(containing), after)[-1]
        ins = self._mark("ins", author)
        run = copy.deepcopy(last)
        _set(run.find(w("t")), words)
        ins.append(run)
        last.addnext(ins)

    def tracked_delete(self, containing: str, phrase: str, author: str = COAUTHOR) -> None:
        runs = isolate(self.paragraph(containing), phrase)
        dele = self._mark("del", author)
        runs[0].addprevious(dele)
        for r in runs:
            dele.append(r)
            t = r.find(w("t"))
            t.tag = w("delText")

    def tracked_replace(self, containing: str, phrase: str, new: str,
                        author: str = COAUTHOR) -> None:
        runs = isolate(self.paragraph(containing), phrase)
        dele = self._mark("del", author)
        runs[0].addprevious(dele)
        ins = self._mark("ins", author)
        run = copy.deepcopy(runs[0])
        _set(run.find(w("t")), new)
        ins.append(run)
        for r in runs:
            dele.append(r)
            r.find(w("t")).tag = w("delText")
        dele.addnext(ins)

    def tracked_new_paragraph(self, after: str, words: str, author: str = COAUTHOR) -> None:
        """A whole paragraph inserted with Track Changes on (its mark inserted too)."""
        p = self.append_paragraph(after, "")
        for child in [c for c in p if c.tag != w("pPr")]:
            p.remove(child)
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            p.insert(0, ppr)
        rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._mark("ins", author))
        ins = self._mark("ins", author)
        run = etree.SubElement(ins, w("r"))
        _set(etree.SubElement(run, w("t")), words)
        p.append(ins)

    def tracked_move(self, containing: str, before: str, author: str = COAUTHOR) -> None:
        """The paragraph containing `containing` moved before the one containing `before`,
        with Track Changes on: w:moveFrom where it was, w:moveTo where it went (the
        bookmarks go with the text, as Word moves them)."""
        source = self.paragraph(containing)
        target = self.paragraph(before)
        name = f"move{self.next_id()}"
        moved = copy.deepcopy(source)
        # the source keeps the text as moved-from, without bookmarks
        for el in list(source.iter(w("bookmarkStart"), w("bookmarkEnd"),
                                   w("commentRangeStart"), w("commentRangeEnd"))):
            el.getparent().remove(el)
        self._wrap_move(source, "moveFrom", name, author)  # its text stays in w:t
        self._wrap_move(moved, "moveTo", name, author)
        target.addprevious(moved)

    def _wrap_move(self, p: etree._Element, tag: str, name: str, author: str) -> None:
        content = [c for c in p if c.tag != w("pPr")]
        start = etree.Element(w(f"{tag}RangeStart"), {w("id"): self.next_id(),
                                                      w("author"): author, w("date"): DATE,
                                                      w("name"): name})
        end = etree.Element(w(f"{tag}RangeEnd"), {w("id"): start.get(w("id"))})
        wrapper = self._mark(tag, author)
        if content:  # the runs and the bookmarks among them, in order
            content[0].addprevious(wrapper)
            wrapper.extend(content)
        else:
            p.append(wrapper)
        wrapper.addprevious(start)
        wrapper.addnext(end)
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._mark(tag, author))

    # -- structure -------------------------------------------------------------------------

    def move(self, containing: str, before: str) -> None:
        """Cut and paste with Track Changes off: the paragraph simply goes elsewhere."""
        p = self.paragraph(containing)
        self.paragraph(before).addprevious(p)

    def split(self, containing: str, at: str) -> None:
        """Enter pressed before `at`: the paragraph becomes two (bookmarks stay with their
        text; one spanning the cut ends in the second paragraph)."""
        p = self.paragraph(containing)
        first = isolate(p, at)[0]
        second = copy.deepcopy(p)
        kids = list(p)
        k = kids.index(first)
        for el in kids[k:]:
            p.remove(el)
        for el in list(second)[1 if second.find(w("pPr")) is not None else 0:k]:
            if el.tag != w("pPr"):
                second.remove(el)
        p.addnext(second)

    def rename_heading(self, title: str, new: str) -> None:
        p = self.heading(title)
        runs = [r for r in _text_runs(p)]
        _set(runs[0].find(w("t")), new)
        for r in runs[1:]:
            r.getparent().remove(r)

    def field(self, containing: str, phrase: str, instruction: str) -> None:
        """The phrase made the result of a field (as a cross-reference Word inserts)."""
        runs = isolate(self.paragraph(containing), phrase)

        def char(kind: str) -> etree._Element:
            r = etree.Element(w("r"))
            etree.SubElement(r, w("fldChar"), {w("fldCharType"): kind})
            return r
        instr = etree.Element(w("r"))
        it = etree.SubElement(instr, w("instrText"))
        it.text = f" {instruction} "
        it.set(XML_SPACE, "preserve")
        runs[0].addprevious(char("begin"))
        runs[0].addprevious(instr)
        runs[0].addprevious(char("separate"))
        runs[-1].addnext(char("end"))

    def bookmark_around(self, containing: str, phrase: str) -> str:
        """The name of the bookmark whose text is exactly phrase, in that paragraph."""
        p = self.paragraph(containing)
        open_: dict[str, tuple[str, int]] = {}
        seen = ""
        for el in p.iter(w("bookmarkStart"), w("bookmarkEnd"), w("t")):
            if el.tag == w("t"):
                if not any(a.tag in (w("del"), w("moveFrom")) for a in el.iterancestors()):
                    seen += el.text or ""
            elif el.tag == w("bookmarkStart"):
                open_[el.get(w("id"))] = (el.get(w("name")), len(seen))
            elif el.get(w("id")) in open_:
                name, at = open_.pop(el.get(w("id")))
                if seen[at:] == phrase:
                    return name
        raise LookupError(phrase)

    def split_runs(self, containing: str) -> None:
        """Every run of the paragraph cut in two (rsids, spell-check sessions)."""
        p = self.paragraph(containing)
        for r in list(_text_runs(p)):
            value = r.find(w("t")).text or ""
            if len(value) >= 4:
                _split(r, len(value) // 2).set(w("rsidR"), "00A1B2C3")

    def table(self, caption_start: str) -> etree._Element:
        """The table under the caption paragraph starting with caption_start."""
        cap = next(p for p in self.body.findall(w("p")) if text(p).startswith(caption_start))
        node = cap.getnext()
        while node is not None and node.tag != w("tbl"):
            node = node.getnext()
        return node

    def cell(self, caption_start: str, row_label: str, column: int) -> etree._Element:
        tbl = self.table(caption_start)
        for tr in tbl.iter(w("tr")):
            tcs = tr.findall(w("tc"))
            if tcs and text(tcs[0].find(w("p"))).strip() == row_label:
                return tcs[column]
        raise KeyError(row_label)

    def edit_cell(self, caption_start: str, row_label: str, column: int, new: str) -> None:
        p = self.cell(caption_start, row_label, column).find(w("p"))
        runs = list(_text_runs(p))
        _set(runs[0].find(w("t")), new)
        for r in runs[1:]:
            r.getparent().remove(r)
