"""A .docx package read for update and check: its main document, its record, its styles.

Parts are found through the package relationships and the record by its namespace, not
by file name: Word renumbers customXml/itemN.xml when it saves.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..limits import DOCX_UNZIPPED, human, zip_too_big
from ..wordxml import text as wx
from ..wordxml.record import CUSTOM_PROPS_NS, PROPERTY, Record, RecordError, from_xml, is_record

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = REL_TYPES + "officeDocument"
STYLES = REL_TYPES + "styles"
IMAGE = REL_TYPES + "image"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg",
               "tiff": "image/tiff", "gif": "image/gif", "emf": "image/x-emf"}


class LivingError(Exception):
    """An input update or check cannot use; the message says which file and why."""


@dataclass
class Docx:
    """One .docx: the zip's members as they are, and the parts update and check read."""

    path: str  # for messages
    members: dict[str, bytes]
    infos: list[zipfile.ZipInfo]

    @classmethod
    def read(cls, path: Path) -> Docx:
        try:
            if path.stat().st_size > DOCX_UNZIPPED:
                raise LivingError(f"{path}: {human(path.stat().st_size)}, larger than the "
                                  f"{human(DOCX_UNZIPPED)} nps-report reads")
            data = path.read_bytes()
        except OSError as exc:
            raise LivingError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
        return cls.from_bytes(data, str(path))

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> Docx:
        bomb = zip_too_big(data, name, DOCX_UNZIPPED, "document")
        if bomb is not None:  # checked in the zip's directory, before anything unpacks
            raise LivingError(f"{name}: {bomb.message}; expected {bomb.expected}")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as pkg:
                infos = pkg.infolist()
                members = {i.filename: pkg.read(i) for i in infos}
        except zipfile.BadZipFile as exc:
            raise LivingError(f"{name}: not a .docx file (not a zip package; a password-"
                              "protected or .doc file must be saved as .docx first)") from exc
        doc = cls(name, members, infos)
        if doc.main_name not in members:
            raise LivingError(f"{name}: not a Word document (no main document part)")
        return doc

    @cached_property
    def main_name(self) -> str:
        return self._target("_rels/.rels", OFFICE_DOCUMENT, "") or "word/document.xml"

    def _target(self, rels_name: str, rel_type: str, base: str) -> str | None:
        if rels_name not in self.members:
            return None
        rels = etree.fromstring(self.members[rels_name])
        for rel in rels.iter(f"{{{RELS_NS}}}Relationship"):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join(base, target))
        return None

    @cached_property
    def root(self) -> etree._Element:
        try:
            return etree.fromstring(self.members[self.main_name])
        except etree.XMLSyntaxError as exc:
            raise LivingError(f"{self.path}: its document part is damaged ({exc})") from exc

    @property
    def body(self) -> etree._Element:
        body = self.root.find(wx.w("body"))
        if body is None:
            raise LivingError(f"{self.path}: its document has no body")
        return body

    @cached_property
    def record_name(self) -> str | None:
        for name, data in self.members.items():
            if name.startswith("customXml/") and name.endswith(".xml") and is_record(data):
                return name
        return None

    def record(self) -> Record:
        """The record, or a LivingError saying why this file has none."""
        if self.record_name is None:
            if self.names_a_build():
                raise LivingError(
                    f"{self.path}: its nps-report record was removed by the program that "
                    "last saved it (the custom XML part is gone), so its generated parts "
                    "cannot be told from your text; update the copy saved before that")
            raise LivingError(
                f"{self.path}: not written by nps-report (it has no nps-report record); "
                "use the manuscript.docx a build wrote, or a copy of it edited in Word or "
                "LibreOffice")
        try:
            return from_xml(self.members[self.record_name])
        except RecordError as exc:
            raise LivingError(f"{self.path}: {exc}") from exc

    def names_a_build(self) -> bool:
        data = self.members.get("docProps/custom.xml")
        if data is None:
            return False
        root = etree.fromstring(data)
        return any(p.get("name") == PROPERTY for p in root.iter(f"{{{CUSTOM_PROPS_NS}}}property"))

    @cached_property
    def style_names(self) -> dict[str, str]:
        """Paragraph style id -> style name (lower case), from the styles part."""
        base = posixpath.dirname(self.main_name)
        rels = posixpath.join(base, "_rels", posixpath.basename(self.main_name) + ".rels")
        name = self._target(rels, STYLES, base)
        if name is None or name not in self.members:
            return {}
        out = {}
        for style in etree.fromstring(self.members[name]).iter(wx.w("style")):
            label = style.find(wx.w("name"))
            if label is not None:
                out[style.get(wx.w("styleId"), "")] = (label.get(wx.w("val")) or "").lower()
        return out

    @property
    def main_rels_name(self) -> str:
        base = posixpath.dirname(self.main_name)
        return posixpath.join(base, "_rels", posixpath.basename(self.main_name) + ".rels")

    @cached_property
    def images(self) -> dict[str, str]:
        """The main document's image relationships: id -> the member it names."""
        if self.main_rels_name not in self.members:
            return {}
        base = posixpath.dirname(self.main_name)
        out = {}
        for rel in etree.fromstring(self.members[self.main_rels_name]).iter(
                f"{{{RELS_NS}}}Relationship"):
            if rel.get("Type") == IMAGE and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                out[rel.get("Id", "")] = (target.lstrip("/") if target.startswith("/") else
                                          posixpath.normpath(posixpath.join(base, target)))
        return out

    def image_bytes(self, rel_id: str) -> bytes | None:
        name = self.images.get(rel_id)
        return self.members.get(name) if name is not None else None

    def package(self, replaced: dict[str, bytes], added: dict[str, bytes] | None = None
                ) -> bytes:
        """The package again, with the members in `replaced` swapped in (order and dates
        kept) and those in `added` appended."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
            for info in self.infos:
                dest.writestr(info, replaced.get(info.filename, self.members[info.filename]))
            for name, data in (added or {}).items():
                info = zipfile.ZipInfo(name, date_time=self.infos[0].date_time
                                       if self.infos else (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_STORED if name.endswith(
                    (".png", ".jpeg", ".jpg")) else zipfile.ZIP_DEFLATED
                dest.writestr(info, data)
        return out.getvalue()


class NewImages:
    """Image parts update adds to the author's package, with their relationships."""

    def __init__(self, doc: Docx) -> None:
        self.doc = doc
        self.rels = etree.fromstring(doc.members[doc.main_rels_name])
        self.types = etree.fromstring(doc.members["[Content_Types].xml"])
        self.added: dict[str, bytes] = {}
        taken = {r.get("Id", "") for r in self.rels}
        self._next = 1 + max((int(i[3:]) for i in taken if i.startswith("rId")
                              and i[3:].isdigit()), default=0)
        self._names = set(doc.members)

    def add(self, data: bytes, ext: str) -> str:
        """A new image part holding data; returns its relationship id."""
        base = posixpath.dirname(self.doc.main_name)
        k = 1
        while posixpath.join(base, "media", f"nps-figure{k}.{ext}") in self._names:
            k += 1
        name = posixpath.join(base, "media", f"nps-figure{k}.{ext}")
        self._names.add(name)
        self.added[name] = data
        rel_id = f"rId{self._next}"
        self._next += 1
        etree.SubElement(self.rels, f"{{{RELS_NS}}}Relationship",
                         Id=rel_id, Type=IMAGE, Target=f"media/nps-figure{k}.{ext}")
        defaults = {d.get("Extension", "").lower()
                    for d in self.types.iter(f"{{{TYPES_NS}}}Default")}
        if ext.lower() not in defaults:
            etree.SubElement(self.types, f"{{{TYPES_NS}}}Default", Extension=ext,
                             ContentType=IMAGE_TYPES.get(ext.lower(), "application/octet-stream"))
        return rel_id

    def members(self) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """(replaced, added) members for Docx.package, empty if nothing was added."""
        if not self.added:
            return {}, {}
        return ({self.doc.main_rels_name: serialise(self.rels),
                 "[Content_Types].xml": serialise(self.types)}, self.added)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
