"""nps-report update on files as authors make them: the new build's numbers, tables and
legends as tracked changes; accept all = the new values with the author's edits kept,
reject all = the author's file; what the author changed is kept and reported."""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from nps_report.living.check import check_docx
from nps_report.living.package import Docx, LivingError
from nps_report.living.update import update_docx
from nps_report.render.docx_writer import write_docx
from nps_report.render.model import Block, FigureLegend, Run

from . import living_docs as docs
from .revision_xml import (
    accepted,
    accepted_docx,
    body_text,
    bookmark_texts,
    document_xml,
    rejected,
    revisions,
    w,
)

DATE = "2025-03-02T09:00:00Z"

# EDITED (living_docs.edit_as_author on the old build) brought to the new build, accepted
ACCEPTED = [
    "Anlotinib in recurrent nasopharyngeal carcinoma",
    "Abstract",
    "Results: The ORR was 16.7% and the median PFS 6.1 months.",
    "Results",
    "The best overall response was complete response in 1 patient (3.3%), partial response "
    "in 4 patients (13.3%) and stable disease in 17 (56.7%).",
    "The objective response rate (ORR) was 13 % (95% CI 5.6–34.7).",  # '13 %' is the author's
    "Median PFS reached 6.1 months (95% CI 5.0–7.2).",  # reworded: rewording kept
    "These responses were durable.",
    "Grade 3 adverse events occurred in 10 (33.3%) of patients (Table 2).",
    "There were no grade 4 or 5 events.",  # reworded: kept, and reported
    "Discussion",
    "Our study adds to the evidence.",
    docs.DISCUSSION,  # the author's own text is never touched
    docs.DISCUSSION_2,
    "Table 1. Baseline characteristics",
    "| Characteristic | Patients (N = 30) |",
    "| Sex, n (%) |  |",
    "| Male | 25 (83.3) |",
    "| Female | 5 (16.7) |",
    "Table 2. Adverse events by highest grade",
    "| Adverse event | Any grade | Grade 3 |",
    "| Hand-foot syndrome | 15 (50.0) | 4 (13.3) |",
    "| Hypertension | 9 (30.0) | 2 (6.7) |",
    "| Proteinuria | 3 (10%) | 1 (3.3) |",  # the author's '3 (10%)' kept; value unchanged
    "| Cough | 2 (6.7) | 0 |",  # a row the data added; Rash's row is gone
    "Listed if any-grade incidence > 5%.",
    "Table 3. Prognostic factors for PFS",  # a table only the new build has
    "| Factor | HR (95% CI) | p |",
    "| ECOG 2 vs 0-1 | 2.10 (0.85–5.19) | 0.108 |",
    "Figure legends",
    "Figure 1. Tumor response. Waterfall plot of the best change in 29 patients.",
    "Figure 2. Survival. Kaplan–Meier estimates of PFS and OS.",
]

UPDATED = [
    "Abstract: «Results: The ORR was 16.7% and the median PFS 6.1 months.» — Objective "
    "response rate: 13.3% → 16.7%",
    "Abstract: «Results: The ORR was 16.7% and the median PFS 6.1 months.» — Median PFS: "
    "5.7 → 6.1",
    "Results: «The best overall response was complete response in 1 patient (3.3%), partial "
    "response in 4 patients…» — the new build's wording, and 18 → 17; 60.0% → 56.7%",
    "Results: «The objective response rate (ORR) was 13 % (95% CI 5.6–34.7).» — 3.8–30.7 → "
    "5.6–34.7",
    "Results: «Median PFS reached 6.1 months (95% CI 5.0–7.2).» — 5.7 → 6.1; 4.7–6.7 → "
    "5.0–7.2",
    "Results: «Grade 3 adverse events occurred in 10 (33.3%) of patients (Table 2).» — "
    "9 (30.0%) → 10 (33.3%)",
    "Table 2: 3 cells updated; rows added: «Cough»; rows removed: «Rash»",
    "Figure legends: «Waterfall plot of the best change in 29 patients.» — Figure 1 legend: "
    "28 → 29",
    "Table 3: a new table in the new build: inserted",
]

REPORTED = [
    "Results: «The objective response rate (ORR) was 13 % (95% CI 5.6–34.7).» — Objective "
    "response rate: you typed «13 %» where nps-report had printed 13.3%; the new build says "
    "16.7%; yours is kept",
    "Results: «The median overall survival was 11.5 months.» — deleted in your file, so not "
    "updated and not restored; the new build reads «The median overall survival was 12.0 "
    "months.»",
    "Results: «There were no grade 4 or 5 events.» — you reworded this, and the new build's "
    "wording changed here too; yours is kept. The new build reads «One grade 4 adverse event "
    "(hypertension) occurred.»",
]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return docs.old_new_edited(tmp_path_factory.mktemp("update"))


def update(edited: Path | bytes, new: Path):
    source = (Docx.from_bytes(edited, "edited.docx") if isinstance(edited, bytes)
              else Docx.read(edited))
    return update_docx(source, Docx.read(new), date=DATE)


@pytest.fixture(scope="module")
def result(files):
    return update(files["edited"], files["new"])


def test_accepting_all_gives_the_new_values_with_the_authors_edits_kept(result):
    assert accepted(result.docx) == ACCEPTED


def test_rejecting_all_gives_the_edited_file(files, result):
    assert rejected(result.docx) == body_text(document_xml(files["edited"].read_bytes()))


def test_the_report_lists_what_changed_and_what_was_left_to_the_author(result):
    assert [str(n) for n in result.updated] == UPDATED
    assert [str(n) for n in result.reported] == REPORTED


def test_every_revision_is_by_nps_report_with_the_date_and_a_unique_id(result):
    marks = revisions(document_xml(result.docx))
    assert result.revisions == len(marks) > 40
    assert {m.get(w("author")) for m in marks} == {"nps-report"}
    assert {m.get(w("date")) for m in marks} == {DATE}
    ids = [m.get(w("id")) for m in marks]
    assert len(set(ids)) == len(ids)


def test_a_moved_number_is_marked_as_the_number_alone(result):
    root = document_xml(result.docx)
    p = next(p for p in root.iter(w("p")) if "Median PFS reached" in "".join(p.itertext()))
    deleted = ["".join(d.itertext()) for d in p.iter(w("del"))]
    inserted = ["".join(i.itertext()) for i in p.iter(w("ins"))]
    assert (deleted, inserted) == (["5.7", "4.7", "6.7"], ["6.1", "5.0", "7.2"])


def test_the_authors_comment_on_a_generated_paragraph_stays_anchored(result):
    root = document_xml(result.docx)
    p = next(p for p in root.iter(w("p")) if "Grade 3 adverse events" in "".join(p.itertext()))
    assert p.find(w("commentRangeStart")) is not None
    assert p.find(w("commentRangeEnd")) is not None
    assert p.find(f".//{w('commentReference')}") is not None


def test_the_edited_file_is_never_modified(files):
    before = files["edited"].read_bytes()
    update(files["edited"], files["new"])
    assert files["edited"].read_bytes() == before


def test_only_the_document_and_the_record_change_in_the_package(files, result):
    with zipfile.ZipFile(files["edited"]) as a, zipfile.ZipFile(io.BytesIO(result.docx)) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed == ["word/document.xml", Docx.read(files["edited"]).record_name]


def test_bookmarks_sit_on_the_new_values_after_accepting(result):
    """The next update must find every part again, with the value it now prints."""
    root = document_xml(accepted_docx(result.docx))
    texts = bookmark_texts(root)
    record = Docx.from_bytes(result.docx, "u").record()
    assert record.build.built_at == "2025-03-01T00:00:00Z"  # the new build
    by_key = {}
    for part in record.parts:
        if part.kind == "number" and part.name in texts:
            by_key.setdefault(part.key, set()).add((texts[part.name], part.text))
    assert by_key["survival.pfs:median"] == {("6.1", "6.1")}
    assert by_key["efficacy.bor_counts.CR:n_pct"] == {("1 patient (3.3%)", "1 patient (3.3%)")}
    assert by_key["efficacy.bor_counts.SD:count"] == {("17", "17")}
    assert by_key["efficacy.orr:pct_ci"] == {("16.7%", "16.7%"), ("13 %", "13.3%")}


def test_updating_again_after_accepting_changes_nothing_and_reports_the_same(files, result):
    again = update(accepted_docx(result.docx), files["new"])
    assert again.revisions == 0
    assert again.updated == []
    assert [str(n) for n in again.reported] == REPORTED  # the author's, told again


def test_updating_again_before_accepting_adds_no_revision(files, result):
    again = update(result.docx, files["new"])
    assert again.revisions == result.revisions
    assert accepted(again.docx) == ACCEPTED
    assert rejected(again.docx) == rejected(result.docx)


def test_an_untouched_manuscript_accepts_to_the_new_build_and_rejects_to_the_old(files):
    out = update(files["old"], files["new"])
    assert accepted(out.docx) == body_text(document_xml(files["new"].read_bytes()))
    assert rejected(out.docx) == body_text(document_xml(files["old"].read_bytes()))
    assert out.reported == []


def test_a_file_last_saved_by_word_is_updated_the_same(files, result):
    """Runs split with rsids, proofing marks, bookmarks ended at body level, style ids
    renamed, custom XML items renumbered."""
    saved = docs.as_word_saves(files["edited"].read_bytes())
    out = update(saved, files["new"])
    assert accepted(out.docx) == ACCEPTED
    assert rejected(out.docx) == body_text(document_xml(saved))
    assert [str(n) for n in out.updated + out.reported] == UPDATED + REPORTED
    root = document_xml(out.docx)
    caption = next(p for p in root.iter(w("p")) if "Prognostic factors" in "".join(p.itertext()))
    assert caption.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "CaptionW"


def test_a_number_inside_the_authors_own_tracked_change_is_updated_within_it(files):
    """Another author's pending insertion holding a generated number: the number is
    deleted inside their insertion and the new one inserted beside it, so accepting all
    gives the new value and rejecting all still takes their insertion away."""
    d = docx.Document(str(files["old"]))
    p = docs.paragraph_starting(d, "Grade 3 adverse events")
    run = p.runs[1]._r  # the bound '9 (30.0%)'
    ins = etree.SubElement(p._p, w("ins"), {w("id"): "901", w("author"): "B. Author",
                                             w("date"): "2025-02-01T00:00:00Z"})
    run.addprevious(ins)
    ins.append(run)
    edited = docs.docx_bytes(d)
    out = update(edited, files["new"])
    assert "Grade 3 adverse events occurred in 10 (33.3%) of patients (Table 2)." in \
        accepted(out.docx)
    assert rejected(out.docx) == rejected(edited)
    assert rejected(out.docx, author="nps-report") == accepted(edited, author="none")
    root = document_xml(out.docx)
    theirs = [i for i in root.iter(w("ins")) if i.get(w("author")) == "B. Author"]
    inside = {c.tag for i in theirs for c in i.iter() if c is not i}
    assert w("del") in inside and w("ins") not in inside  # deleted inside, inserted beside
    assert not [str(n) for n in out.reported if "Grade 3 adverse" in str(n)]


def test_a_table_whose_columns_changed_is_replaced_whole(files, tmp_path):
    wider = docs.manuscript("new")
    elements = list(wider.elements)
    k = next(i for i, e in enumerate(elements) if getattr(e, "spec", None) is not None
             and e.spec.key == "baseline")
    spec = elements[k].spec
    elements[k] = dataclasses.replace(elements[k], spec=dataclasses.replace(
        spec, header=(*spec.header, "p"), rows=tuple(dataclasses.replace(r, cells=(*r.cells, ""))
                                                      for r in spec.rows)))
    new = write_docx(dataclasses.replace(wider, elements=tuple(elements)), tmp_path / "n.docx",
                          labels=docs.LABELS)
    out = update(files["old"], new)
    text = accepted(out.docx)
    assert text[text.index("Table 1. Baseline characteristics") + 1] == \
        "| Characteristic | Patients (N = 30) | p |"
    assert rejected(out.docx) == body_text(document_xml(files["old"].read_bytes()))
    assert ("Table 1: its columns changed: the new table is inserted and the old one marked "
            "deleted") in map(str, out.updated)


def test_a_docx_nps_report_did_not_write_is_refused(files, tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    with pytest.raises(LivingError) as err:
        update(plain, files["new"])
    assert str(err.value) == (
        f"{plain}: not written by nps-report (it has no nps-report record); use the "
        "manuscript.docx a build wrote, or a copy of it edited in Word or LibreOffice")


def test_a_file_that_is_not_a_docx_is_refused(files, tmp_path):
    bad = tmp_path / "notes.docx"
    bad.write_text("not a zip")
    with pytest.raises(LivingError, match=r"not a \.docx file"):
        update(bad, files["new"])


def test_a_file_whose_generated_parts_are_all_gone_is_refused(files, tmp_path):
    d = docx.Document(str(files["old"]))
    for el in list(d.element.body.iter(w("bookmarkStart"), w("bookmarkEnd"))):
        el.getparent().remove(el)
    # without any bookmark, its paragraphs are still found by their text
    assert "Grade 3 adverse events occurred in 10 (33.3%) of patients (Table 2)." in \
        accepted(update(docs.docx_bytes(d), files["new"]).docx)
    for p in d.paragraphs:  # and with other text, nothing is
        if p.runs:
            p.runs[0].text = "Something else."
            for r in p.runs[1:]:
                r.text = ""
    for table in d.tables:
        table._tbl.getparent().remove(table._tbl)
    with pytest.raises(LivingError) as err:
        update(docs.docx_bytes(d), files["new"])
    assert str(err.value) == (
        "edited.docx: none of the 26 generated parts its record lists are in its text (was "
        "the text pasted into another document?); nothing can be updated")


def test_a_file_whose_record_part_was_stripped_is_told_apart(files):
    with zipfile.ZipFile(files["old"]) as pkg:
        members = {i.filename: pkg.read(i) for i in pkg.infolist()}
    record = Docx.read(files["old"]).record_name
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name, data in members.items():
            if name != record:
                out.writestr(name, data)
    with pytest.raises(LivingError, match="its nps-report record was removed by the program "
                                          "that last saved it"):
        update(buf.getvalue(), files["new"])


def test_a_part_the_build_dropped_is_deleted_and_a_new_one_inserted_by_its_neighbour(
        files, tmp_path):
    ms = docs.manuscript("new")
    elements = [e for e in ms.elements
                if not (isinstance(e, FigureLegend) and e.key == "figure2")]
    at = next(i for i, e in enumerate(elements)
              if isinstance(e, Block) and e.binding == "results.safety")
    elements.insert(at + 1, Block((Run("The disease control rate was "),
                                   Run("73.3%", binding="efficacy.dcr:pct"), Run(".")),
                                  binding="results.dcr"))
    new = write_docx(dataclasses.replace(ms, elements=tuple(elements)), tmp_path / "n.docx")
    out = update(files["old"], new)
    assert accepted(out.docx) == body_text(document_xml(new.read_bytes()))
    assert rejected(out.docx) == body_text(document_xml(files["old"].read_bytes()))
    notes = [str(n) for n in out.updated]
    assert "«The disease control rate was 73.3%.» — new in the new build: inserted" in notes
    assert ("Figure legends: «Survival. Kaplan–Meier estimates of PFS and OS.» — Figure 2 "
            "legend: the new build no longer has it: marked deleted") in notes
    record = Docx.from_bytes(out.docx, "u").record()
    taken = {p.name for p in Docx.read(files["old"]).record().parts}
    paragraph, number = [p for p in record.parts if "dcr" in p.key]
    assert (paragraph.kind, paragraph.text, number.kind, number.text, number.container) == (
        "paragraph", "The disease control rate was 73.3%.", "number", "73.3%", paragraph.name)
    assert {paragraph.name, number.name}.isdisjoint(taken)  # fresh bookmark names
    assert "legend" not in [p.kind for p in record.parts if p.key == "figure2"]
    assert check_docx(Docx.from_bytes(accepted_docx(out.docx), "a"), Docx.read(new)
                      ).findings == []


def test_a_generated_paragraph_split_in_two_is_updated_as_one(files):
    d = docx.Document(str(files["old"]))
    p = docs.paragraph_starting(d, "The median progression-free")
    tail = copy.deepcopy(p._p)
    p._p.addnext(tail)
    for el in list(p._p)[list(p._p).index(p.runs[2]._r):]:  # '…months (95% CI' onwards
        p._p.remove(el)
    for el in list(tail)[:list(tail).index(tail.findall(w("r"))[2])]:
        if el.tag != w("pPr"):
            tail.remove(el)
    edited = docs.docx_bytes(d)
    before = body_text(document_xml(edited))
    k = before.index("The median progression-free survival (PFS) was 5.7")
    assert before[k:k + 2] == ["The median progression-free survival (PFS) was 5.7",
                               " months (95% CI 4.7–6.7)."]
    out = update(edited, files["new"])
    after = accepted(out.docx)
    assert after[k:k + 2] == ["The median progression-free survival (PFS) was 6.1",
                              " months (95% CI 5.0–7.2)."]
    assert rejected(out.docx) == before
    assert out.reported == []  # updated as a whole, over both paragraphs


def test_a_number_whose_bookmark_word_dropped_is_read_by_its_words(files):
    """Word drops a bookmark whose whole text is typed over: the paragraph's words still
    say it was the author's typing, so it is kept and reported as theirs."""
    d = docx.Document(str(files["old"]))
    p = docs.paragraph_starting(d, "The objective response rate")
    start = p._p.find(w("bookmarkStart"))  # the paragraph's own; the number's is next
    number = next(el for el in p._p.iter(w("bookmarkStart")) if el is not start)
    end = next(el for el in p._p.iter(w("bookmarkEnd")) if el.get(w("id")) == number.get(w("id")))
    for el in (number, end):
        el.getparent().remove(el)
    p.runs[1].text = "13.5%"
    out = update(docs.docx_bytes(d), files["new"])
    assert "The objective response rate (ORR) was 13.5% (95% CI 5.6–34.7)." in accepted(out.docx)
    assert [str(n) for n in out.reported] == [
        "Results: «The objective response rate (ORR) was 13.5% (95% CI 5.6–34.7).» — "
        "Objective response rate: you typed «13.5%» where nps-report had printed 13.3%; the "
        "new build says 16.7%; yours is kept"]


def test_a_number_that_cannot_be_found_for_certain_is_left_and_said_where(files):
    """As LibreOffice writes a file with a comment before a number: the number's bookmark
    ends a character early. Where the text there is not what was printed either, nobody
    can tell whose it is: it is left as it is, and the report says where."""
    from .word_edits import Doc, isolate
    from .word_edits import w as ww

    doc = Doc(files["old"].read_bytes())
    doc.comment("Results: The ORR", "Results:", "Which cohort?")
    p = doc.paragraph("Results: The ORR")
    doc.replace("Results: The ORR", "13.3%", "13.5%")  # typed over, then saved by LO
    last = isolate(p, "%")[-1]  # the ORR bookmark's end, one character early
    end = next(el for el in p.iter(ww("bookmarkEnd")) if el.getprevious() is last)
    last.addprevious(end)
    out = update(doc.bytes(), files["new"])
    said = [str(n) for n in out.reported]
    assert [s for s in said if "cannot be found for certain" in s] == [
        "Abstract: «Results: The ORR was 13.5% and the median PFS 6.1 months.» — Objective "
        "response rate: cannot be found for certain here (the file's markers are off and the "
        "text there reads «13.5»); not updated (nps-report had printed 13.3%; the new build "
        "says 16.7%)"]
    assert "Results: The ORR was 13.5% and the median PFS 6.1 months." in accepted(out.docx)
    found = check_docx(Docx.from_bytes(doc.bytes(), "e.docx"), Docx.read(files["new"]))
    assert [(f.kind, f.was, f.now) for f in found.findings
            if f.kind == "cannot be told for certain"] == [
        ("cannot be told for certain", "13.5", "16.7%")]


def test_pictures_replaced_and_a_new_figure_inserted_next_to_its_neighbour(tmp_path):
    """Figure 1 redrawn from new data, Figure 2 new in the new build: accepting gives the
    new build's pictures in its order, rejecting gives the old file's."""
    from PIL import Image

    from nps_report.render.model import FigureImages, PageBreak

    from .revision_xml import images_of

    def png(name: str, colour: tuple[int, int, int]) -> Path:
        path = tmp_path / f"{name}.png"
        Image.new("RGB", (60, 40), colour).save(path)
        return path

    def with_figures(state: str, figures: list[tuple[int, str, Path]]) -> Path:
        ms = docs.manuscript(state)
        extra = []
        for number, key, path in figures:
            extra += [PageBreak(), FigureImages(number, (path,), (path,), f"Figure {number}",
                                                key=key)]
        ms = dataclasses.replace(ms, elements=(*ms.elements, *extra))
        return write_docx(ms, tmp_path / f"{state}.docx", labels=docs.LABELS)

    old = with_figures("old", [(1, "figure1", png("a", (200, 0, 0)))])
    new = with_figures("new", [(1, "figure1", png("b", (0, 0, 200))),
                               (2, "figure2", png("c", (0, 200, 0)))])
    out = update(old, new)
    from .revision_xml import text_with_images

    assert accepted(out.docx, images=True) == text_with_images(new.read_bytes())
    assert rejected(out.docx, images=True) == text_with_images(old.read_bytes())
    assert [str(n) for n in out.updated if "Figure" in str(n) and "legend" not in str(n)] == [
        "Figure 1: the picture replaced: the data it draws changed",
        "Figure 2: a new figure in the new build: inserted"]
    assert len(set(images_of(out.docx).values())) == 3  # the old picture kept for reject
    again = update(accepted_docx(out.docx), new)
    assert again.updated == [] and again.reported == []


def _without_bookmarks(d: docx.document.Document, start: str) -> None:
    p = docs.paragraph_starting(d, start)
    for el in list(p._p.iter(w("bookmarkStart"), w("bookmarkEnd"))):
        el.getparent().remove(el)


def test_a_paragraph_that_lost_its_bookmarks_is_found_by_its_text(files):
    d = docx.Document(str(files["old"]))
    _without_bookmarks(d, "Grade 3 adverse events")
    out = update(docs.docx_bytes(d), files["new"])
    assert "Grade 3 adverse events occurred in 10 (33.3%) of patients (Table 2)." in \
        accepted(out.docx)
    assert not [str(n) for n in out.reported if "Grade 3" in str(n)]
    again = update(accepted_docx(out.docx), files["new"])  # and it is bound again
    assert again.updated == []


def test_a_paragraph_like_one_whose_bookmarks_are_gone_is_left_and_said_where(files):
    d = docx.Document(str(files["old"]))
    _without_bookmarks(d, "Grade 3 adverse events")
    docs.paragraph_starting(d, "Grade 3 adverse events").runs[0].text = \
        "Grade 3 adverse events were seen in "
    edited = docs.docx_bytes(d)
    out = update(edited, files["new"])
    assert "Grade 3 adverse events were seen in 9 (30.0%) of patients (Table 2)." in \
        accepted(out.docx)
    assert [str(n) for n in out.reported if "Grade 3" in str(n)] == [
        "Results: «Grade 3 adverse events were seen in 9 (30.0%) of patients (Table 2).» — "
        "has lost nps-report's marker, and this paragraph reads much like it: cannot tell for "
        "certain whether it is the generated one, so nothing changed in it; the new build "
        "reads «Grade 3 adverse events occurred in 10 (33.3%) of patients (Table 2).»"]
    found = check_docx(Docx.from_bytes(edited, "e.docx"), Docx.read(files["new"])).findings
    assert [(f.kind, f.was) for f in found if f.kind == "cannot be told for certain"] == [
        ("cannot be told for certain", "Grade 3 adverse events were seen in 9 (30.0%) of "
         "patients (Table 2).")]
