"""manuscript-tracked.docx: native Word revisions that accept to the new text and reject to the old.

Documents are made with python-docx (as the renderer makes manuscript.docx), so these
tests run without a build; test_compare.py repeats the key checks on real manuscripts.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Inches

from nps_report.compare.align import tokens, word_opcodes
from nps_report.compare.tracked import tracked_docx

from .revision_xml import body_text, document_xml, resolve, revisions, w

DATE = "2025-03-01T12:00:00Z"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


def make(paragraphs: list[str], rows: list[list[str]], picture: bool = False) -> bytes:
    """A .docx: paragraphs (text between *stars* bold), a table, a closing paragraph."""
    doc = Document()
    for text in paragraphs:
        p = doc.add_paragraph()
        for k, part in enumerate(text.split("*")):
            p.add_run(part).bold = k % 2 == 1
    if picture:
        doc.add_picture(io.BytesIO(PNG), width=Inches(1))
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    doc.add_paragraph("Figure 2. Median PFS was 5.7 months.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


OLD = make(["Results",
            "Median PFS was *5.7 months* (95% CI 4.7–6.7) in 30 patients.",
            "A paragraph the new version drops entirely.",
            "Unchanged paragraph."],
           [["Adverse event", "Any grade", "Grade 3"], ["Fatigue", "8 (26.7)", "0"],
            ["Rash", "2 (6.7)", "0"], ["Nausea", "1 (3.3)", "0"]], picture=True)
NEW = make(["Results",
            "Median PFS was *5.8 months* (95% CI 4.0–7.7) in 30 patients.",
            "Unchanged paragraph.",
            "A paragraph only the new version has."],
           [["Adverse event", "Any grade", "Grade 3"], ["Fatigue", "9 (30.0)", "1 (3.3)"],
            ["Nausea", "1 (3.3)", "0"], ["Cough", "1 (3.3)", "0"]])


@pytest.fixture(scope="module")
def tracked():
    return document_xml(tracked_docx(OLD, NEW, date=DATE))


def marked_text(root, tag: str) -> list[str]:
    return ["".join(t.text or "" for t in el.iter(w("t"), w("delText")))
            for el in root.iter(w(tag)) if el.getparent().tag not in (w("rPr"), w("trPr"))]


def test_accepting_all_revisions_gives_the_new_document_text(tracked):
    assert body_text(resolve(tracked, accept=True)) == body_text(document_xml(NEW))


def test_rejecting_all_revisions_gives_the_old_document_text(tracked):
    assert body_text(resolve(tracked, accept=False)) == body_text(document_xml(OLD))


def test_a_moved_number_is_one_deleted_and_one_inserted_word(tracked):
    deleted, inserted = marked_text(tracked, "del"), marked_text(tracked, "ins")
    for old, new in (("5.7", "5.8"), ("4.7", "4.0"), ("6.7", "7.7"), ("8", "9"),
                     ("26.7", "30.0")):
        assert old in deleted and new in inserted
    assert "30" not in deleted  # '30 patients' did not change
    assert "Median" not in " ".join(deleted + inserted)


def test_the_new_documents_run_formatting_is_kept_in_insertions_and_deletions(tracked):
    ins = next(el for el in tracked.iter(w("ins")) if "5.8" in "".join(el.itertext()))
    dele = next(el for el in tracked.iter(w("del")) if "5.7" in "".join(el.itertext()))
    for el in (ins, dele):
        assert el.find(f"{w('r')}/{w('rPr')}/{w('b')}") is not None
    assert ins.getprevious() is dele  # Word's order: the deletion, then the insertion


def test_revisions_carry_the_author_the_build_date_and_unique_ids(tracked):
    marks = revisions(tracked)
    assert len(marks) > 10
    assert {m.get(w("author")) for m in marks} == {"nps-report"}
    assert {m.get(w("date")) for m in marks} == {DATE}
    ids = [m.get(w("id")) for m in marks]
    assert len(set(ids)) == len(ids)


def test_whole_paragraphs_and_rows_are_marked_on_their_paragraph_mark_and_row(tracked):
    body = tracked.find(w("body"))
    gone = next(p for p in body.iter(w("p")) if "drops entirely" in "".join(p.itertext()))
    new = next(p for p in body.iter(w("p")) if "only the new" in "".join(p.itertext()))
    assert gone.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
    assert new.find(f"{w('pPr')}/{w('rPr')}/{w('ins')}") is not None
    rows = {"".join(tr.find(w("tc")).itertext()): tr for tr in body.iter(w("tr"))}
    assert rows["Rash"].find(f"{w('trPr')}/{w('del')}") is not None
    assert rows["Cough"].find(f"{w('trPr')}/{w('ins')}") is not None
    assert rows["Nausea"].find(w("trPr")) is None


def test_a_changed_table_cell_is_edited_in_place_not_split_into_paragraphs(tracked):
    fatigue = next(tr for tr in tracked.iter(w("tr")) if "Fatigue" in "".join(tr.itertext()))
    grade3 = fatigue.findall(w("tc"))[2]
    assert len(grade3.findall(w("p"))) == 1
    assert marked_text(grade3, "del") == ["0"]
    assert marked_text(grade3, "ins") == ["1 (3.3)"]


def test_a_deleted_picture_leaves_no_dangling_relationship(tracked):
    assert not list(tracked.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    assert body_text(resolve(tracked, accept=False)) == body_text(document_xml(OLD))


def blocks_docx(blocks: list) -> bytes:
    """Paragraphs (str) and tables (list of rows) in order."""
    doc = Document()
    for block in blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
            continue
        table = doc.add_table(rows=0, cols=len(block[0]))
        for row in block:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("old", "new"), [
    (["a", "b", "c"], ["a", "b"]),
    (["a", [["x", "1"], ["y", "2"]], "b"], ["a", "b"]),
    (["a", "b"], ["a", [["x", "1"], ["y", "2"]], "b"]),
    ([], ["a", [["x", "1"]], "b"]),
    (["a", [["x", "1"]], "b"], []),
    (["a", [["x", "1"], ["y", "2"]]], ["a", [["x", "1", "3"], ["y", "2", "4"]]]),
    (["a\tb  c", "x"], ["a\tb c d", "x"]),
    (["The quick brown fox.", "Second."], ["Completely different text here.", "Second!"]),
], ids=["last paragraph removed", "table removed", "table added", "from empty", "to empty",
        "column added", "tabs and spaces", "rewritten paragraph"])
def test_accept_and_reject_round_trip_whatever_the_edit(old, new):
    before, after = blocks_docx(old), blocks_docx(new)
    root = document_xml(tracked_docx(before, after, date=DATE))
    assert body_text(resolve(root, accept=True)) == body_text(document_xml(after))
    assert body_text(resolve(root, accept=False)) == body_text(document_xml(before))


def test_identical_documents_get_no_revisions():
    assert revisions(document_xml(tracked_docx(NEW, NEW, date=DATE))) == []


def test_the_package_keeps_every_part_of_the_new_document():
    out = tracked_docx(OLD, NEW, date=DATE)
    with zipfile.ZipFile(io.BytesIO(out)) as a, zipfile.ZipFile(io.BytesIO(NEW)) as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist() if n != "word/document.xml")


def test_numbers_are_single_tokens_and_whitespace_between_changes_joins_them():
    assert tokens("4.7–6.7 (13.3%)") == ["4.7", "–", "6.7", " ", "(", "13.3", "%", ")"]
    ops = [op for op in word_opcodes("was 5.7 months", "was 6.1 months") if op[0] != "equal"]
    assert ops == [("replace", 4, 7, 4, 7)]
    joined = [op for op in word_opcodes("a 1 2 b", "a 3 4 b") if op[0] != "equal"]
    assert joined == [("replace", 2, 5, 2, 5)]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_reads_the_marks_as_tracked_changes(tmp_path: Path):
    """LibreOffice turns each w:ins / w:del into one of its own change records."""
    src = tmp_path / "tracked.docx"
    src.write_bytes(tracked_docx(OLD, NEW, date=DATE))
    ours = [m for m in revisions(document_xml(src.read_bytes()))
            if m.getparent().tag not in (w("rPr"), w("trPr"))]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "fodt", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    xml = (tmp_path / "tracked.fodt").read_text(encoding="utf-8")
    assert xml.count("<text:changed-region ") == len(ours)
    assert xml.count("<text:insertion>") == sum(m.tag == w("ins") for m in ours)
    assert xml.count("<text:deletion>") == sum(m.tag == w("del") for m in ours)
    assert "<dc:creator>nps-report</dc:creator>" in xml
    assert "2025-03-01T12:00:00" in xml
