"""What a generated manuscript.docx printed, kept inside the file: the record.

One custom XML part (customXml/itemN.xml, with its itemProps) in the namespace
`urn:nps-report:living:1`. LibreOffice 7.4 keeps such a part byte for byte through a
DOCX save (whitespace, tabs and newlines in element text included) and Word keeps its
custom XML data store, so the record travels with the author's file; a custom document
property (docProps/custom.xml, values of at most 255 characters in Word) names the build
too, so that a file whose record part was stripped can be told from one nps-report
never wrote (see bindings.py for the evidence).

The record lists every bound part of the document by its bookmark name: what kind of
part it is, its key, the text it was generated with (a table: its rows of cells) and a
human label; plus the build it came from and the texts that earlier builds printed for
the same quantities ("earlier"), so `check` can recognise an old value an author typed
by hand long after the update that replaced the generated one.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from lxml import etree

NS = "urn:nps-report:living:1"
FORMAT = "1"
PREFIX = "_nps"  # hidden bookmarks: Word hides names starting with '_'; <= 40 characters
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NS)).upper() + "}"
PROPERTY = "nps-report build"  # the custom document property naming the build
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"

NUMBER, PARAGRAPH, LEGEND, TABLE, TABLE_TITLE, TABLE_NOTE, FIGURE = (
    "number", "paragraph", "legend", "table", "table-title", "table-note", "figure")
CONTAINERS = (PARAGRAPH, LEGEND, TABLE_TITLE, TABLE_NOTE)  # parts that hold prose
KINDS = (NUMBER, *CONTAINERS, TABLE, FIGURE)


def n(tag: str) -> str:
    return f"{{{NS}}}{tag}"


class RecordError(ValueError):
    """The record part is present but cannot be read (damaged, or a newer format)."""


@dataclass(frozen=True)
class BuildIdentity:
    """Which build a document's generated parts come from."""

    results_digest: str  # SHA-256 of the Results the text was made from
    data_cutoff: str | None
    generator: str  # "nps-report 0.1.0"
    built_at: str  # ISO 8601, from the build's provenance

    def short(self) -> str:
        cutoff = f", data cutoff {self.data_cutoff}" if self.data_cutoff else ""
        return (f"{self.generator}, built {self.built_at}{cutoff}, "
                f"results {self.results_digest[:12]}")


@dataclass(frozen=True)
class TableRow:
    kind: str  # header | group | item | plain
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One bound part of the document, found by the bookmark `name`."""

    name: str
    kind: str  # one of KINDS
    key: str  # Results key (number), paragraph key, table key, figure key
    text: str = ""  # the generated text; a table's is in rows; a figure's image's SHA-256
    label: str = ""  # what the quantity is, for people ("Median PFS")
    container: str = ""  # a number: the name of the prose part it sits in
    at: int = 0  # a number: where it starts in its container's text
    index: int = 0  # a table note: its place under the table; a figure: its image's
    rows: tuple[TableRow, ...] = ()

    @property
    def ident(self) -> tuple[str, str, int]:
        """What pairs this part with its counterpart in another build (numbers: see pair.py)."""
        return (self.kind, self.key, self.index)


@dataclass(frozen=True)
class Earlier:
    """A text an earlier build printed for a quantity: a number's key, a prose part, or one
    table cell (key = table key, row = row label path, column = column header)."""

    kind: str
    key: str
    text: str
    row: str = ""
    column: str = ""


@dataclass(frozen=True)
class Record:
    build: BuildIdentity
    parts: tuple[Part, ...] = ()  # in document order when written
    earlier: tuple[Earlier, ...] = field(default=())

    def by_name(self) -> dict[str, Part]:
        return {p.name: p for p in self.parts}

    def earlier_texts(self) -> dict[tuple[str, str, str, str], set[str]]:
        """(kind, key, row, column) -> the texts earlier builds printed there."""
        out: dict[tuple[str, str, str, str], set[str]] = {}
        for e in self.earlier:
            out.setdefault((e.kind, e.key, e.row, e.column), set()).add(e.text)
        return out


# -- XML ------------------------------------------------------------------------------------


def to_xml(record: Record) -> bytes:
    """The record part's bytes; lxml escapes every text, nothing is spliced into strings."""
    root = etree.Element(n("manuscript"), nsmap={None: NS})
    root.set("format", FORMAT)
    b = record.build
    build = etree.SubElement(root, n("build"), {
        "results-digest": b.results_digest, "generator": b.generator, "built-at": b.built_at})
    if b.data_cutoff:
        build.set("data-cutoff", b.data_cutoff)
    for part in record.parts:
        el = etree.SubElement(root, n("part"), {"name": part.name, "kind": part.kind,
                                                "key": part.key})
        for attr, value in (("label", part.label), ("container", part.container)):
            if value:
                el.set(attr, value)
        if part.kind == NUMBER and part.container:
            el.set("at", str(part.at))
        if part.kind in (TABLE_NOTE, FIGURE):
            el.set("index", str(part.index))
        if part.kind == TABLE:
            for row in part.rows:
                r = etree.SubElement(el, n("row"), kind=row.kind)
                for cell in row.cells:
                    etree.SubElement(r, n("cell")).text = cell
        else:
            etree.SubElement(el, n("text")).text = part.text
    for e in record.earlier:
        el = etree.SubElement(root, n("earlier"), kind=e.kind, key=e.key)
        if e.kind == TABLE:
            el.set("row", e.row)
            el.set("column", e.column)
        el.text = e.text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def from_xml(data: bytes) -> Record:
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise RecordError(f"its nps-report record is not readable XML ({exc})") from exc
    if root.tag != n("manuscript"):
        raise RecordError("its nps-report record is not one")
    if root.get("format") != FORMAT:
        raise RecordError(f"its nps-report record has format {root.get('format')!r}; this "
                          f"version reads format {FORMAT} (update nps-report)")
    build = root.find(n("build"))
    if build is None:
        raise RecordError("its nps-report record names no build")
    identity = BuildIdentity(build.get("results-digest", ""), build.get("data-cutoff"),
                             build.get("generator", ""), build.get("built-at", ""))
    parts = []
    for el in root.iter(n("part")):
        kind = el.get("kind", "")
        if kind not in KINDS:
            continue  # a kind from a newer writer: not ours to update
        rows = tuple(TableRow(r.get("kind", "plain"),
                              tuple(c.text or "" for c in r.iter(n("cell"))))
                     for r in el.iter(n("row")))
        text = el.find(n("text"))
        parts.append(Part(el.get("name", ""), kind, el.get("key", ""),
                          (text.text or "") if text is not None else "", el.get("label", ""),
                          el.get("container", ""), int(el.get("at", "0")),
                          int(el.get("index", "0")), rows))
    earlier = tuple(Earlier(el.get("kind", ""), el.get("key", ""), el.text or "",
                            el.get("row", ""), el.get("column", ""))
                    for el in root.iter(n("earlier")))
    return Record(identity, tuple(parts), earlier)


def item_props() -> bytes:
    """The datastore item properties Word expects beside a custom XML part."""
    root = etree.Element(f"{{{DS_NS}}}datastoreItem", nsmap={"ds": DS_NS})
    root.set(f"{{{DS_NS}}}itemID", ITEM_ID)
    refs = etree.SubElement(root, f"{{{DS_NS}}}schemaRefs")
    etree.SubElement(refs, f"{{{DS_NS}}}schemaRef").set(f"{{{DS_NS}}}uri", NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def is_record(data: bytes) -> bool:
    """Cheap test of a customXml item: is its root our element?"""
    head = data[:400]
    return NS.encode() in head and b"manuscript" in head


def content_digest(parts: tuple[Part, ...]) -> str:
    """A digest of what the parts print, for a document whose build passed no results digest."""
    h = hashlib.sha256()
    for part in parts:
        h.update("\x1f".join((part.kind, part.key, part.text)).encode())
        for row in part.rows:
            h.update("\x1e".join(row.cells).encode())
    return h.hexdigest()
