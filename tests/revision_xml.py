"""Accept-all and reject-all on WordprocessingML, as Word and LibreOffice do them, for tests.

Insertions and moves-to stay (accept) or go (reject) with everything inside them,
deletions and moves-from the other way round, so a deletion nested in another author's
insertion goes either way; a paragraph or row whose mark is removed goes with it (its
text joins the next paragraph, as in Word). With `author`, only that author's revisions
are resolved: rejecting only nps-report's must give the co-author's file back. Pictures
read as "[image <digest of the image part>]", so that accept-all can be compared with a
build's pictures too.

Kept independent of nps_report.compare (only lxml), so the tests check the revision
marks against what the format means rather than against the writer's own idea of it.
"""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def document_xml(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as pkg:
        return etree.fromstring(pkg.read("word/document.xml"))


ADDED, REMOVED = (w("ins"), w("moveTo")), (w("del"), w("moveFrom"))
RANGES = tuple(w(t) for t in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                              "moveToRangeEnd"))


def _marks(el: etree._Element, holder: str, tags: tuple[str, ...], author: str | None
           ) -> bool:
    """Paragraph mark (pPr/rPr) or row (trPr) carrying one of tags (by author, if given)."""
    props = el.find(w(holder)) if holder == "trPr" else el.find(f"{w('pPr')}/{w('rPr')}")
    return props is not None and any(
        c.tag in tags and (author is None or c.get(w("author")) == author) for c in props)


def resolve(root: etree._Element, accept: bool, author: str | None = None) -> etree._Element:
    """A copy with every revision accepted (accept=True) or rejected, as Word's Accept All
    and Reject All do: insertions and moves-to stay or go, deletions and moves-from go or
    stay, with what is nested inside them. With `author`, only that author's revisions
    are resolved (Word's "reviewers" filter); the others stay as they are."""
    root = copy.deepcopy(root)
    drop, keep = (REMOVED, ADDED) if accept else (ADDED, REMOVED)

    def mine(el: etree._Element) -> bool:
        return author is None or el.get(w("author")) == author

    for tr in [tr for tr in root.iter(w("tr")) if _marks(tr, "trPr", drop, author)]:
        tr.getparent().remove(tr)
    for p in [p for p in root.iter(w("p")) if _marks(p, "pPr", drop, author)]:
        _merge_into_next(p)
    for el in [e for e in root.iter(*drop) if mine(e)
               and e.getparent() is not None and e.getparent().tag not in (w("rPr"), w("trPr"))]:
        if el.getparent() is not None:
            el.getparent().remove(el)
    for el in [e for e in root.iter(*keep, *drop) if mine(e)]:  # marks and kept wrappers
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag not in (w("rPr"), w("trPr")):
            for child in list(el):
                el.addprevious(child)
        parent.remove(el)
    if author is None:
        for el in list(root.iter(*RANGES)):
            el.getparent().remove(el)
    for t in root.iter(w("delText")):
        if not any(a.tag in REMOVED for a in t.iterancestors()):
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


BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
Images = dict[str, str]  # relationship id -> a short digest of the image part it names


def paragraph_text(p: etree._Element, images: Images | None = None) -> str:
    """The text a reader sees (the word joiners that keep ranges on one line are invisible);
    a picture reads as [image <digest>] when the package's images are given."""
    out = []
    for el in p.iter(w("t"), w("delText"), w("tab"), w("br"), w("cr"), BLIP):
        if el.tag == BLIP:
            if images is not None:
                out.append(f"[image {images.get(el.get(EMBED, ''), '?')}]")
            continue
        out.append(el.text or "" if el.tag in (w("t"), w("delText")) else
                   "\t" if el.tag == w("tab") else "\n")
    return "".join(out).replace("\u2060", "")


def body_text(root: etree._Element, images: Images | None = None) -> list[str]:
    """Body paragraphs and table cells in order: ['para', ..., '| cell | cell |', ...]."""
    lines: list[str] = []
    for block in root.find(w("body")):
        if block.tag == w("p"):
            lines.append(paragraph_text(block, images))
        elif block.tag == w("tbl"):
            for tr in block.iter(w("tr")):
                cells = [" / ".join(paragraph_text(p, images) for p in tc.iter(w("p")))
                         for tc in tr.iter(w("tc"))]
                lines.append("| " + " | ".join(cells) + " |")
    return lines


def images_of(docx: bytes) -> Images:
    """Each image relationship of the main document -> the digest of the bytes it names."""
    with zipfile.ZipFile(io.BytesIO(docx)) as pkg:
        rels = etree.fromstring(pkg.read("word/_rels/document.xml.rels"))
        out = {}
        for rel in rels:
            target = rel.get("Target", "")
            if rel.get("Type", "").endswith("/image") and rel.get("TargetMode") != "External":
                name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
                out[rel.get("Id")] = hashlib.sha256(pkg.read(name)).hexdigest()[:12]
        return out


def text_with_images(docx: bytes) -> list[str]:
    """body_text of the document as it is, pictures named by their image's digest."""
    return body_text(document_xml(docx), images_of(docx))


def revisions(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(w("ins"), w("del")))


def accepted(docx: bytes, author: str | None = None, images: bool = False) -> list[str]:
    """The body text once every revision (of `author`, if given) is accepted (see
    body_text); with images=True pictures read as [image <digest>]."""
    return body_text(resolve(document_xml(docx), accept=True, author=author),
                     images_of(docx) if images else None)


def rejected(docx: bytes, author: str | None = None, images: bool = False) -> list[str]:
    return body_text(resolve(document_xml(docx), accept=False, author=author),
                     images_of(docx) if images else None)


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


def accepted_docx(docx: bytes, author: str | None = None) -> bytes:
    """The package with every revision of its main document accepted, as Word saves it."""
    return resolved_docx(docx, True, author)


def rejected_docx(docx: bytes, author: str | None = None) -> bytes:
    return resolved_docx(docx, False, author)


def resolved_docx(docx: bytes, accept: bool, author: str | None = None) -> bytes:
    root = resolve(document_xml(docx), accept=accept, author=author)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dest:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            dest.writestr(info, data)
    return out.getvalue()
