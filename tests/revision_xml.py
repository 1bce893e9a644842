"""Accept-all and reject-all on WordprocessingML, as Word and LibreOffice do them, for tests.

Kept independent of nps_report.compare (only lxml), so the tests check the revision
marks against what the format means rather than against the writer's own idea of it.
"""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def document_xml(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as pkg:
        return etree.fromstring(pkg.read("word/document.xml"))


def _marked(el: etree._Element, holder: str, tag: str) -> bool:
    """Paragraph mark (pPr/rPr) or row (trPr) carrying a w:ins / w:del."""
    props = el.find(w(holder)) if holder == "trPr" else el.find(f"{w('pPr')}/{w('rPr')}")
    return props is not None and props.find(w(tag)) is not None


def resolve(root: etree._Element, accept: bool) -> etree._Element:
    """A copy with every revision accepted (accept=True) or rejected."""
    root = copy.deepcopy(root)
    drop, keep = (w("del"), w("ins")) if accept else (w("ins"), w("del"))
    drop_name = "del" if accept else "ins"
    for tr in [tr for tr in root.iter(w("tr")) if _marked(tr, "trPr", drop_name)]:
        tr.getparent().remove(tr)
    for p in [p for p in root.iter(w("p")) if _marked(p, "pPr", drop_name)]:
        _merge_into_next(p)
    for el in [e for e in root.iter(drop) if e.getparent().tag not in (w("rPr"), w("trPr"))]:
        el.getparent().remove(el)
    for el in list(root.iter(keep, drop)):  # property-level marks and kept wrappers
        parent = el.getparent()
        if parent.tag not in (w("rPr"), w("trPr")):
            for child in list(el):
                el.addprevious(child)
        parent.remove(el)
    for t in root.iter(w("delText")):
        t.tag = w("t")
    for tbl in [t for t in root.iter(w("tbl")) if t.find(w("tr")) is None]:
        tbl.getparent().remove(tbl)
    return root


def _merge_into_next(p: etree._Element) -> None:
    """A removed paragraph mark joins the paragraph's remaining content to the next one."""
    nxt = p.getnext()
    content = [c for c in p if c.tag != w("pPr")]
    if nxt is not None and nxt.tag == w("p"):
        anchor = nxt.find(w("pPr"))
        for c in reversed(content):
            if anchor is not None:
                anchor.addnext(c)
            else:
                nxt.insert(0, c)
    p.getparent().remove(p)


def paragraph_text(p: etree._Element) -> str:
    """The text a reader sees (the word joiners that keep ranges on one line are invisible)."""
    out = []
    for el in p.iter(w("t"), w("delText"), w("tab"), w("br"), w("cr")):
        out.append(el.text or "" if el.tag in (w("t"), w("delText")) else
                   "\t" if el.tag == w("tab") else "\n")
    return "".join(out).replace("\u2060", "")


def body_text(root: etree._Element) -> list[str]:
    """Body paragraphs and table cells in order: ['para', ..., '| cell | cell |', ...]."""
    lines: list[str] = []
    for block in root.find(w("body")):
        if block.tag == w("p"):
            lines.append(paragraph_text(block))
        elif block.tag == w("tbl"):
            for tr in block.iter(w("tr")):
                cells = [" / ".join(paragraph_text(p) for p in tc.iter(w("p")))
                         for tc in tr.iter(w("tc"))]
                lines.append("| " + " | ".join(cells) + " |")
    return lines


def revisions(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(w("ins"), w("del")))


def accepted(docx: bytes) -> list[str]:
    """The body text once every revision is accepted (see body_text)."""
    return body_text(resolve(document_xml(docx), accept=True))


def rejected(docx: bytes) -> list[str]:
    return body_text(resolve(document_xml(docx), accept=False))


def bookmark_texts(root: etree._Element) -> dict[str, str]:
    """Bookmark name -> the text between its start and end markers, read with every
    revision accepted (w:t counts, w:delText does not), within one paragraph."""
    out: dict[str, str] = {}
    for p in root.iter(w("p")):
        text, starts, names = "", {}, {}
        for el in p.iter(w("t"), w("tab"), w("br"), w("bookmarkStart"), w("bookmarkEnd")):
            if el.tag == w("bookmarkStart"):
                starts[el.get(w("id"))] = len(text)
                names[el.get(w("id"))] = el.get(w("name"))
            elif el.tag == w("bookmarkEnd"):
                if el.get(w("id")) in starts:
                    out[names[el.get(w("id"))]] = (starts[el.get(w("id"))], len(text))
            elif any(a.tag == w("del") for a in el.iterancestors()):
                continue
            else:
                text += (el.text or "") if el.tag == w("t") else \
                    "\t" if el.tag == w("tab") else "\n"
        for name, span in list(out.items()):
            if isinstance(span, tuple):
                out[name] = text[span[0]:span[1]]
    return out


def accepted_docx(docx: bytes) -> bytes:
    """The package with every revision of its main document accepted, as Word saves it."""
    root = resolve(document_xml(docx), accept=True)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dest:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dest.writestr(info, data)
    return out.getvalue()
