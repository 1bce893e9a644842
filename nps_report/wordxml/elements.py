"""The bits of WordprocessingML python-docx has no API for: fields, rules, repeat headers,
bookmarks, and the parts that carry the living-manuscript record.

Kept apart from the writer so that the writer reads as 'what goes where' and this
module as 'how Word spells it'.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from .record import CUSTOM_PROPS_NS


def add_field(paragraph: Paragraph, instruction: str, shown: str, bold: bool = False) -> None:
    """A complex field (SEQ, PAGE) with its current result, so it reads right before an update."""
    def run_with(child: OxmlElement) -> None:
        run = paragraph.add_run()
        run.bold = bold
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown).bold = bold
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _border(tag: str, size: int) -> OxmlElement:
    el = OxmlElement(tag)
    if size:
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))  # eighths of a point
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
    else:
        el.set(qn("w:val"), "nil")
    return el


def journal_rules(table: Table) -> None:
    """A rule above and below the table, none inside and no vertical lines."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", 12), ("left", 0), ("bottom", 12), ("right", 0),
                       ("insideH", 0), ("insideV", 0)):
        borders.append(_border(f"w:{side}", size))
    # The schema orders tblPr's children; Word rejects a tblBorders after tblLayout/tblLook.
    later = (tbl_pr.find(qn(tag)) for tag in ("w:shd", "w:tblLayout", "w:tblCellMar",
                                               "w:tblLook", "w:tblCaption", "w:tblDescription"))
    anchor = next((el for el in later if el is not None), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def rule_below(row: _Row, size: int = 6) -> None:
    """The thin rule under the header row."""
    for cell in row.cells:
        tc_pr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        borders.append(_border("w:bottom", size))
        tc_pr.append(borders)


def repeat_header(row: _Row) -> None:
    """Mark the row as a header row that Word repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def keep_row_whole(row: _Row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def line_numbers(section: Section) -> None:
    """Word's own continuous line numbering (w:lnNumType), placed where the schema wants it."""
    sect_pr = section._sectPr
    el = OxmlElement("w:lnNumType")
    el.set(qn("w:countBy"), "1")
    el.set(qn("w:restart"), "continuous")
    el.set(qn("w:distance"), "283")  # 0.5 cm from the text, in twentieths of a point
    anchors = (sect_pr.find(qn(tag)) for tag in ("w:pgNumType", "w:cols", "w:docGrid"))
    anchor = next((a for a in anchors if a is not None), None)  # lxml: no `or` on elements
    if anchor is not None:
        anchor.addprevious(el)
    else:
        sect_pr.append(el)


def all_fonts(rpr_parent, name: str) -> None:
    """Set ascii, hAnsi, eastAsia and cs fonts, so no script falls back to a theme font."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def drop_borders(style_element) -> None:
    """Remove paragraph borders a built-in style brings (the Title style's underline)."""
    ppr = style_element.find(qn("w:pPr"))
    if ppr is not None:
        for bdr in ppr.findall(qn("w:pBdr")):
            ppr.remove(bdr)


def bookmark(first: OxmlElement, last: OxmlElement | None, name: str, number: int) -> None:
    """A bookmark from before `first` to after `last` (a point before `first` if None)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    first.addprevious(start)
    if last is None:
        start.addnext(end)
    else:
        last.addnext(end)


VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
PROPERTY_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one Word uses for user properties
WORD_PROPERTY_MAX = 255  # Word's limit on a text property's value


def attach_record(doc: DocxDocument, record: bytes, props: bytes, property_name: str,
                  property_value: str) -> None:
    """The record as a custom XML part of the main document (with its datastore item
    properties), and one custom document property naming the build."""
    package = doc.part.package
    item = Part(package.next_partname("/customXml/item%d.xml"), CT.XML, record, package)
    props_name = PackURI(item.partname.replace("/item", "/itemProps"))
    item.relate_to(Part(props_name, CT.OFC_CUSTOM_XML_PROPERTIES, props, package),
                   RT.CUSTOM_XML_PROPS)
    doc.part.relate_to(item, RT.CUSTOM_XML)
    root = etree.Element(f"{{{CUSTOM_PROPS_NS}}}Properties",
                         nsmap={None: CUSTOM_PROPS_NS, "vt": VT_NS})
    prop = etree.SubElement(root, f"{{{CUSTOM_PROPS_NS}}}property",
                            fmtid=PROPERTY_FMTID, pid="2", name=property_name)
    etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = property_value[:WORD_PROPERTY_MAX]
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob,
                           package), RT.CUSTOM_PROPERTIES)


def language(style_element, tag: str) -> None:
    """The style's proofing language (w:lang), e.g. 'en-GB' for a British journal: Word's
    spelling checker then checks what the journal asks for."""
    rpr = style_element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def alt_text(run: Run, title: str, description: str) -> None:
    """The picture in `run` gets its alternative text (wp:docPr descr), which Word shows in
    Alt Text and screen readers read; python-docx's add_picture leaves it empty."""
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("title", title)
        doc_pr.set("descr", description)


def current_compatibility(doc: DocxDocument) -> None:
    """Word 2013+ layout: python-docx's template says compatibilityMode 14 (Word 2010), so
    Word opens the manuscript in Compatibility Mode."""
    for setting in doc.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def clean_package(data: bytes, generator: str, created: str) -> bytes:
    """The saved package without what python-docx's template leaves behind: docProps/app.xml
    naming 'Microsoft Macintosh Word' 14 with stale page and word counts (now just the
    generator), and its stock thumbnail image (with its relationship and content type).
    Entries are dated `created` (the build's time), so the zip does not carry the clock."""
    when = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as pkg, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        thumbnails = {name for name in pkg.namelist() if name.startswith("docProps/thumbnail")}
        for info in pkg.infolist():
            if info.filename in thumbnails:
                continue
            body = pkg.read(info)
            if info.filename == "docProps/app.xml":
                body = _app_xml(generator)
            elif info.filename == "_rels/.rels":
                body = _without_thumbnail_rel(body)
            elif info.filename == "[Content_Types].xml" and not any(
                    n.endswith((".jpeg", ".jpg")) for n in pkg.namelist() if n not in thumbnails):
                body = _without_default(body, "jpeg")
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dest.writestr(entry, body)
    return out.getvalue()


def _app_xml(generator: str) -> bytes:
    root = etree.Element(f"{{{APP_NS}}}Properties", nsmap={None: APP_NS})
    for tag, text in (("Application", generator), ("DocSecurity", "0"), ("ScaleCrop", "false"),
                      ("LinksUpToDate", "false"), ("SharedDoc", "false"),
                      ("HyperlinksChanged", "false")):
        etree.SubElement(root, f"{{{APP_NS}}}{tag}").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_thumbnail_rel(body: bytes) -> bytes:
    root = etree.fromstring(body)
    for rel in root.findall(f"{{{RELS_NS}}}Relationship"):
        if rel.get("Type") == THUMBNAIL_REL:
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_default(body: bytes, extension: str) -> bytes:
    root = etree.fromstring(body)
    for default in root.findall(f"{{{TYPES_NS}}}Default"):
        if default.get("Extension") == extension:
            root.remove(default)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
