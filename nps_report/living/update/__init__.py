"""nps-report update: the author's edited manuscript.docx brought to a new build's values,
as tracked changes by "nps-report", the author's own text left as it is.

Rules, part by part (printed = what the file's record says nps-report printed there;
now = what the file says, with every tracked change accepted; new = the new build):

- generated prose (a paragraph, legend, table caption or note): merged word by word
  (merge.py): the build's changes go in where the author did not touch those words, the
  author's words stay where they did, and where both changed the same words the
  author's stay and the place is reported with the new build's wording. Each number's
  bookmark is put back on the number it now prints.
- a number outside generated prose: now == printed (or an earlier build's text) ->
  replaced by new; anything else the author typed -> kept, and reported if new differs.
- a table: cell by cell like a number; rows the data added are inserted, rows it
  removed are deleted unless edited; a table whose columns changed is replaced whole.
- a figure's picture: still the image a build put there -> replaced by the new build's
  picture when it differs; a picture the author replaced is theirs, and reported.
- a part the author deleted (its bookmark gone) is reported, never put back; a part the
  new build no longer has is marked deleted if untouched, else kept and reported; a
  part only the new build has is inserted next to its neighbours in the new build.
- a part whose place in the file cannot be told for certain is left as it is and
  reported with its section and sentence; a stale generated number is never relabelled
  as the author's.
- tracked changes already in the file are updated over: nps-report's own pending ones
  (an update not yet accepted) are replaced, so rejecting still gives the author's file,
  and another author's stay theirs (edits.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...compare.tracked import number_revisions
from ...wordxml.record import (
    CONTAINERS,
    FIGURE,
    NUMBER,
    TABLE,
    BuildIdentity,
    Earlier,
    Record,
    to_xml,
)
from ..package import Docx, serialise
from ..paragraphs import START
from ..tables import column_name, column_names, row_paths
from .additions import add_new_parts
from .job import Job
from .notes import Note
from .numbers import update_number
from .paragraphs import update_prose
from .pictures import update_picture
from .tables import update_table

__all__ = ["Note", "UpdateResult", "update_docx"]


@dataclass
class UpdateResult:
    docx: bytes
    revisions: int  # revision marks in the written file (its own and the author's)
    updated: list[Note] = field(default_factory=list)  # changed, as tracked changes
    reported: list[Note] = field(default_factory=list)  # left for the author, and why
    since: BuildIdentity | None = None  # the build the edited file came from
    build: BuildIdentity | None = None  # the build it was brought to


def update_docx(edited: Docx, build: Docx, *, date: str) -> UpdateResult:
    """The edited file brought to the build's values; see the module docstring for the rules."""
    job = Job.start(edited, build, date)
    for part in job.old.parts:
        if part.kind == TABLE:
            update_table(job, part)
    for part in job.old.parts:
        if part.kind in CONTAINERS and part.name not in job.settled:
            update_prose(job, part)
    for part in job.old.parts:
        if part.kind == NUMBER and part.name not in job.settled:
            update_number(job, part)
    for part in job.old.parts:
        if part.kind == FIGURE:
            update_picture(job, part)
    add_new_parts(job)
    job.notes.in_order()
    revisions = number_revisions(edited.root)
    record = Record(job.new.build, _in_document_order(job), _earlier(job.old))
    replaced, added = job.images.members()
    data = edited.package({**replaced, edited.main_name: serialise(edited.root),
                           edited.record_name or "": to_xml(record)}, added)
    return UpdateResult(data, revisions, job.notes.updated, job.notes.reported, job.old.build,
                        job.new.build)


def _in_document_order(job: Job) -> tuple:
    """The updated record's parts in document order; a part no longer in the file (its
    bookmark gone) stays after the part it followed, so parts keep their order."""
    name = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name"
    position: dict[str, float] = {el.get(name): float(i)
                                  for i, el in enumerate(job.body.iter(START))}
    last = -1.0
    for part in job.old.parts:  # the gone ones: just after the one before them
        if part.name in position:
            last = position[part.name]
        elif part.name in job.kept:
            last += 1e-3
            position[part.name] = last
    return tuple(part for _, part in sorted(job.kept.items(),
                                            key=lambda kv: position.get(kv[0], 1e12)))


def _earlier(old: Record) -> tuple[Earlier, ...]:
    """What the file printed before: the old record's earlier texts and its own."""
    out = dict.fromkeys(old.earlier)
    for part in old.parts:
        if part.kind == TABLE:
            columns = column_names(part.rows[0].cells) if part.rows else []
            for path, row in zip(row_paths(part.rows), part.rows, strict=True):
                for c, cell in enumerate(row.cells[1:], start=1):
                    column = column_name(columns, c)
                    out[Earlier(TABLE, part.key, cell, path, column)] = None
        else:
            out[Earlier(part.kind, part.key, part.text)] = None
    return tuple(out)
