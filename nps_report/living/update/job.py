"""One update: the two files, what was found in them, and what has been decided so far.

Each step (prose, numbers, tables, pictures, new parts) reads the job and adds to it:
the parts of the updated file's record (`keep`), the old parts it settled as part of
another (`settled`), the new build's parts it put into the file (`placed`) and the notes
of the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from ...compare.revisions import Marker
from ...wordxml import text as wx
from ...wordxml.record import PREFIX, Part, Record
from ..locate import Found, locate
from ..package import Docx, LivingError, NewImages
from ..pair import pair
from ..paragraphs import END, START, flatten, read_only
from ..reading import Reading, read
from ..where import Sections, part_name, place, sentence, table_name
from .notes import Notes

AUTHOR = "nps-report"


class BookmarkNames:
    """Fresh bookmark names and ids for the parts update adds or re-places."""

    def __init__(self, body: etree._Element, record: Record) -> None:
        numbers = [int(p.name[len(PREFIX):]) for p in record.parts
                   if p.name[len(PREFIX):].isdigit()]
        numbers += [int(n[len(PREFIX):]) for el in body.iter(START)
                    if (n := el.get(wx.w("name"), "")).startswith(PREFIX)
                    and n[len(PREFIX):].isdigit()]
        self.next_name = max(numbers, default=0) + 1
        ids = [int(v) for el in body.iter(START, END)
               if (v := el.get(wx.w("id"), "")).isdigit()]
        self.next_id = max(ids, default=0) + 1

    def fresh(self) -> tuple[str, int]:
        name = f"{PREFIX}{self.next_name}"
        self.next_name += 1
        return name, self.bookmark_id()

    def bookmark_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


@dataclass
class Job:
    edited: Docx
    build: Docx
    old: Record  # what the author's file records it printed
    new: Record  # what the new build printed
    here: Found  # the old record's parts in the author's file
    there: Found  # the new record's parts in the build's file
    partner: dict[str, Part]  # old part name -> its part in the new build
    reading: Reading  # how each old part reads now (reading.py)
    marker: Marker
    sections: Sections
    names: BookmarkNames
    styles: dict[str, str]  # the build's style ids -> the author's file's
    images: NewImages
    notes: Notes = field(default_factory=Notes)
    kept: dict[str, Part] = field(default_factory=dict)  # the updated record, by name
    settled: set[str] = field(default_factory=set)  # old parts dealt with by another's step
    placed: set[str] = field(default_factory=set)  # new parts put into the file
    tables_added: set[str] = field(default_factory=set)  # table keys inserted whole

    @classmethod
    def start(cls, edited: Docx, build: Docx, date: str) -> Job:
        new, old = build.record(), edited.record()
        with read_only():
            return cls._start(edited, build, date, new, old)

    @classmethod
    def _start(cls, edited: Docx, build: Docx, date: str, new: Record, old: Record) -> Job:
        here, there = locate(edited.body, old), locate(build.body, new)
        if old.parts and not (here.spans or here.tables or here.pictures):
            raise LivingError(
                f"{edited.path}: none of the {len(old.parts)} generated parts its record "
                "lists are in its text (was the text pasted into another document?); "
                "nothing can be updated")
        partner = pair(old.parts, new.parts)
        return cls(edited, build, old, new, here, there, partner, read(old, here, partner),
                   Marker(AUTHOR, date), Sections(edited.body, edited.style_names),
                   BookmarkNames(edited.body, old),
                   _style_map(build.style_names, edited.style_names), NewImages(edited))

    @property
    def body(self) -> etree._Element:
        return self.edited.body

    def keep(self, part: Part) -> None:
        self.kept[part.name] = part

    # -- naming things for people ------------------------------------------------------------

    def what(self, part: Part, new_side: bool = False) -> str:
        """The part as a reader names it; new_side: a part of the new build."""
        partner = part if new_side else self.partner.get(part.name)
        return part_name(part, partner, self.new, self.old)

    def table_name(self, key: str) -> str:
        return table_name(key, self.new, self.old)

    def where(self, p: etree._Element, a: int, b: int) -> str:
        return place(self.sections, p, a, b)

    def where_marked(self, p: etree._Element, start: etree._Element, end: etree._Element
                     ) -> str:
        """The place of the text between two markers, as the paragraph reads now."""
        flat = flatten(p)
        return self.where(p, flat.at.get(start, 0), flat.at.get(end, len(flat.text)))

    @cached_property
    def build_sections(self) -> Sections:
        return Sections(self.build.body, self.build.style_names)

    def section_in_build(self, part: Part | None) -> str:
        """The headings a part of the new build sits under there."""
        span = self.there.spans.get(part.name) if part is not None else None
        return self.build_sections.of(span.p) if span is not None else ""

    def where_new(self, text: str, a: int = 0, b: int = 0) -> str:
        """A stretch of a new build's text, quoted."""
        return f"«{sentence(text, a, b)}»"

    def rank(self, part: Part) -> float:
        """Where a part is in the document, for the report's order."""
        return float(self.here.order.get(part.name, self._new_rank(part)))

    def _new_rank(self, part: Part) -> float:
        order = self.there.order.get(part.name)
        if order is None:
            return 1e9
        back = {n.name: self.here.order.get(o) for o, n in self.partner.items()}
        before = [r for name, r in back.items() if r is not None
                  and self.there.order.get(name, 1 << 30) < order]
        return max(before, default=-1) + 0.5


def _style_map(new: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    """New-build style id -> the author's file's id for the style of the same name."""
    by_name = {name: sid for sid, name in old.items()}
    return {sid: by_name[name] for sid, name in new.items() if name in by_name}

