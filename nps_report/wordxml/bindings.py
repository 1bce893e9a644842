"""How a generated part keeps its identity in the author's Word file: hidden bookmarks.

Chosen by round-tripping candidates through LibreOffice 7.4.7 (`soffice --headless
--convert-to docx`) and reading the XML back (tests/test_living_libreoffice.py keeps
the evidence that matters to us):

- content controls (w:sdt): inline ones come back with an empty w:sdtPr (tag, alias
  and id gone); a block-level one around a paragraph or a table comes back as a FILLIN
  field. Unusable with LibreOffice 7.4.
- bookmarks: kept with their names, around one run or several, around a whole
  paragraph, nested (a paragraph's bookmark holding its numbers' bookmarks), adjacent
  (LibreOffice may write the next one's start before the previous one's end: read
  positions as text offsets, never as element order), collapsed (a point) and inside a
  table cell, and inside a w:del. Names longer than 40 characters are cut to 40 (Word's
  limit too), so names are short (`_nps12`) and the record maps them to keys. A
  bookmark from a caption paragraph across a table to its note paragraph does NOT
  survive (LibreOffice splits it in two with the same name), nor one at body level around
  a table: a table is therefore found by a point bookmark in its first cell, with its
  caption's bookmark as a fallback, and caption, table and notes are separate parts.
- table alternative text (w:tblCaption) is dropped; document variables (w:docVars) are
  dropped; custom XML parts and custom document properties (even 1000-character values)
  are kept exactly.
- a bookmark around a picture's run is kept, and so are the image's bytes (the part may be
  renamed, and identical images are stored once): a figure is found by its bookmark and
  known by its image's SHA-256, which the record holds.
- with a comment anchored in a paragraph, LibreOffice 7.4 writes every bookmark end after
  it one character early (per comment): locate.py checks each part's text against what it
  printed and moves the ends back, and trusts no offset it could not check.

Word keeps bookmarks whose names start with '_' (hidden, like its own _Toc and _Ref),
custom XML parts (its CustomXMLParts data store) and custom properties (values of at
most 255 characters). Word drops a bookmark whose whole text is typed over: such a
part reads as deleted, and `check` still finds the old value if it was typed again.
"""

from __future__ import annotations

from collections.abc import Mapping

from .record import (
    FIGURE,
    NUMBER,
    PREFIX,
    BuildIdentity,
    Part,
    Record,
    TableRow,
    content_digest,
)


class Binder:
    """Names the bound parts as the DOCX writer adds them, and collects the record.

    The writer asks for a name, puts a bookmark of that name around the part's runs,
    and tells the binder what the part printed; `record()` then holds it all."""

    def __init__(self, labels: Mapping[str, str] | None = None) -> None:
        self.labels = dict(labels or {})
        self.parts: list[Part] = []
        self.count = 0

    def name(self) -> tuple[str, int]:
        """A fresh bookmark name and its w:id (the same number)."""
        self.count += 1
        return f"{PREFIX}{self.count}", self.count

    def prose(self, name: str, kind: str, key: str, text: str, label: str = "",
              index: int = 0) -> None:
        self.parts.append(Part(name, kind, key, text, label or self.labels.get(key, ""),
                               index=index))

    def number(self, name: str, key: str, text: str, container: str, at: int) -> None:
        self.parts.append(Part(name, NUMBER, key, text, self.labels.get(key, ""),
                               container=container, at=at))

    def table(self, name: str, key: str, rows: tuple[TableRow, ...], label: str) -> None:
        self.parts.append(Part(name, "table", key, label=self.labels.get(key, label),
                               rows=rows))

    def figure(self, name: str, key: str, digest: str, label: str, index: int = 0) -> None:
        """A figure's picture: the SHA-256 of its image, so that a later build can tell
        whether the data it draws changed."""
        self.parts.append(Part(name, FIGURE, key, digest, label, index=index))

    def record(self, build: BuildIdentity | None, generator: str, built_at: str) -> Record:
        # names are handed out in document order (a paragraph's before its numbers')
        parts = tuple(sorted(self.parts, key=lambda p: int(p.name[len(PREFIX):])))
        if build is None:  # no results digest passed: name the build by what it printed
            build = BuildIdentity(content_digest(parts), None, generator, built_at)
        return Record(build, parts)
