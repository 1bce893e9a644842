"""The living manuscript through LibreOffice: what it keeps of a generated file (every
bookmark, the record), and update/check on a file an author last saved with it.

These need soffice; they are skipped only where it is missing outside CI (CI installs
LibreOffice, and there a missing soffice fails them)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from nps_report.living.check import check_docx
from nps_report.living.package import Docx
from nps_report.living.update import update_docx

from . import living_docs as docs
from .revision_xml import accepted, body_text, bookmark_texts, document_xml, rejected, revisions, w
from .test_living_check import FINDINGS, IN_YOUR_TEXT
from .test_living_update import ACCEPTED, REPORTED, UPDATED

pytestmark = docs.needs_soffice


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """The old build and the author's edited copy, each opened and saved by LibreOffice."""
    folder = tmp_path_factory.mktemp("libreoffice")
    files = docs.old_new_edited(folder)
    profile = folder / "profile"
    return {"old": files["old"], "new": files["new"],
            "lo_old": docs.libreoffice_save(files["old"], folder / "lo", profile),
            "lo_edited": docs.libreoffice_save(files["edited"], folder / "lo", profile),
            "folder": folder}


def lines(text: list[str]) -> list[str]:
    """LibreOffice writes 'page break before' as a page break at the end of the paragraph
    before (or at the start of the paragraph): the text is the same without them."""
    return [line.strip("\n") for line in text]


def test_libreoffice_keeps_every_bookmark_around_the_same_text(saved):
    ours = bookmark_texts(document_xml(saved["old"].read_bytes()))
    theirs = bookmark_texts(document_xml(saved["lo_old"].read_bytes()))
    assert theirs == ours
    assert len(ours) == 26


def test_libreoffice_keeps_the_record_and_the_build_property(saved):
    assert Docx.read(saved["lo_old"]).record() == Docx.read(saved["old"]).record()
    with zipfile.ZipFile(saved["lo_old"]) as pkg:
        assert b"nps-report 0.1.0, built 2025-01-01T00:00:00Z" in pkg.read("docProps/custom.xml")


def test_update_of_a_file_saved_by_libreoffice(saved):
    out = update_docx(Docx.read(saved["lo_edited"]), Docx.read(saved["new"]),
                      date="2025-03-02T09:00:00Z")
    assert lines(accepted(out.docx)) == ACCEPTED
    assert rejected(out.docx) == body_text(document_xml(saved["lo_edited"].read_bytes()))
    assert [str(n) for n in out.updated] == UPDATED
    assert [str(n) for n in out.reported] == REPORTED


def test_check_of_a_file_saved_by_libreoffice(saved):
    found = check_docx(Docx.read(saved["lo_edited"]), Docx.read(saved["new"])).findings
    assert [(f.kind, f.what, f.was, f.now, f.where, f.printed) for f in found] == \
        FINDINGS + IN_YOUR_TEXT


def test_libreoffice_keeps_the_updates_revisions_and_the_authors_comment(saved):
    """The updated file opened and saved by LibreOffice: its tracked changes still accept to
    the new values and reject to the author's file, and are still by nps-report."""
    updated = saved["folder"] / "updated.docx"
    updated.write_bytes(update_docx(Docx.read(saved["lo_edited"]), Docx.read(saved["new"]),
                                    date="2025-03-02T09:00:00Z").docx)
    again = docs.libreoffice_save(updated, saved["folder"] / "lo-again",
                                  saved["folder"] / "profile").read_bytes()
    assert lines(accepted(again)) == ACCEPTED
    edited = lines(body_text(document_xml(saved["lo_edited"].read_bytes())))
    # LibreOffice 7.4 drops the insertion mark of a paragraph that a table follows (the
    # new table's caption): rejecting leaves that paragraph, empty, after Table 2's note.
    note = edited.index("Listed if any-grade incidence > 5%.")
    assert lines(rejected(again)) == [*edited[:note + 1], "", *edited[note + 1:]]
    marks = revisions(document_xml(again))
    assert len(marks) > 40
    assert {m.get(w("author")) for m in marks} == {"nps-report"}
    with zipfile.ZipFile(io.BytesIO(again)) as pkg:
        assert b"Check against the CRFs." in pkg.read("word/comments.xml")
