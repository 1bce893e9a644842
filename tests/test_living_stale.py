"""Nothing goes stale in silence: the failures a new user met (issue 21), on the reference
manuscript built by the real pipeline before and after a data change (living_builds)."""

from __future__ import annotations

import re

import pytest

from nps_report.living.check import check_docx
from nps_report.living.package import Docx
from nps_report.living.update import update_docx

from . import living_docs as docs
from .living_builds import builds, third
from .revision_xml import (
    accepted,
    accepted_docx,
    document_xml,
    rejected,
    rejected_docx,
    text_with_images,
    w,
)
from .word_edits import Doc

DATE = "2025-03-02T09:00:00Z"


@pytest.fixture(scope="module")
def pair():
    return builds()


def update(edited: bytes, pair):
    return update_docx(Docx.from_bytes(edited, "paper.docx"), Docx.read(pair.new), date=DATE)


def findings(edited: bytes, pair) -> list:
    return check_docx(Docx.from_bytes(edited, "paper.docx"), Docx.read(pair.new)).findings


def typed(found: list) -> list[tuple[str, str]]:
    """(what the author typed, what it is now) of each stale number in the author's text."""
    return [(f.was, f.now) for f in found if f.kind == "in your text"]


def with_discussion(pair, *sentences: str) -> bytes:
    doc = Doc(pair.old.read_bytes())
    doc.write_over("[Discussion", " ".join(sentences))
    return doc.bytes()


def test_check_finds_a_stale_orr_beside_another_number_in_the_sentence(pair):
    edited = with_discussion(pair, "We saw an ORR of 13.3% with a median PFS of 5.7 months.")
    assert typed(findings(edited, pair)) == [("13.3%", "20.0%")]


@pytest.mark.parametrize("sentence, stale", [
    ("Responses were seen in 4/30 patients.", "4/30"),
    ("Responses were seen in 4 of 30 patients.", "4 of 30"),
    ("The ORR was 13% in our cohort.", "13%"),
    ("Overall, 13.3% of patients responded.", "13.3%"),
])
def test_check_finds_a_stale_orr_in_the_phrasings_authors_use(pair, sentence, stale):
    assert [was for was, _ in typed(findings(with_discussion(pair, sentence), pair))] == \
        [stale]


def test_update_replaces_the_pictures_whose_data_changed_and_check_lists_them(pair):
    out = update(pair.old.read_bytes(), pair)
    new_images = [line for line in text_with_images(pair.new.read_bytes()) if "[image" in line]
    assert [line for line in accepted(out.docx, images=True) if "[image" in line] == \
        new_images
    old_images = [line for line in text_with_images(pair.old.read_bytes()) if "[image" in line]
    assert [line for line in rejected(out.docx, images=True) if "[image" in line] == \
        old_images
    changed = [a != b for a, b in zip(old_images, new_images, strict=True)]
    # figures 1 and 7 (the ORR forest plot), of seven with the spider plot and the
    # duration of response
    assert changed == [True, False, False, False, False, False, True]
    stale = [f.what for f in findings(pair.old.read_bytes(), pair) if "picture" in f.was]
    assert stale == ["Figure 1", "Figure 7"]


@docs.needs_soffice
def test_a_comment_inside_a_sentence_saved_by_libreoffice_misleads_nothing(pair, tmp_path):
    doc = Doc(pair.old.read_bytes())
    doc.comment("According to RECIST", "best overall response", "Is this right?")
    src = tmp_path / "commented.docx"
    src.write_bytes(doc.bytes())
    saved = docs.libreoffice_save(src, tmp_path / "lo", tmp_path / "profile").read_bytes()
    out = update(saved, pair)
    efficacy = next(line for line in accepted(out.docx) if line.startswith("According to"))
    assert "partial response in 6 patients (20.0%), stable disease in 16 (53.3%)" in efficacy
    assert "Among the 6 responders" in efficacy
    assert "2 responses were censored" in efficacy
    assert not [str(n) for n in out.reported if "you" in str(n)]


def test_the_authors_pending_revision_does_not_keep_a_stale_list(pair):
    doc = Doc(pair.old.read_bytes())
    doc.tracked_insert("Twenty-five patients (83.3%)", "any grade", " (CTCAE 5.0)")
    out = update(doc.bytes(), pair)
    safety = next(line for line in accepted(out.docx) if line.startswith("Twenty-five"))
    assert ("The most common events of grade 3 or higher were nasal bleeding (n = 5, 16.7%), "
            "hand-foot syndrome (n = 4, 13.3%) and oral mucositis (n = 4, 13.3%).") in safety
    assert "any grade (CTCAE 5.0)" in safety


def test_rewording_one_sentence_keeps_the_next_sentences_grammar(pair):
    doc = Doc(pair.old.read_bytes())
    doc.replace("According to RECIST", "The ORR was", "The objective response rate was")
    out = update(doc.bytes(), pair)
    efficacy = next(line for line in accepted(out.docx) if line.startswith("According to"))
    assert "The objective response rate was 20.0% (95% CI 4.8–35.2)" in efficacy
    assert "2 responses were censored at the last assessment" in efficacy


def test_update_on_its_own_output_neither_refuses_nor_sends_the_user_round(pair, tmp_path):
    first = update(pair.old.read_bytes(), pair).docx
    again = update(first, pair)
    assert not [str(n) for n in again.reported if "tracked changes of its own" in str(n)]
    assert accepted(again.docx, images=True) == accepted(first, images=True)
    assert findings(first, pair) == []



def test_a_third_build_goes_over_the_pending_update_of_the_second(pair):
    """The authors never accepted the first update; a later data cut comes: accepting
    gives the newest build, rejecting gives the authors' file of before the first."""
    newest = third()
    first = update(pair.old.read_bytes(), pair).docx
    again = update_docx(Docx.from_bytes(first, "paper-updated.docx"), Docx.read(newest),
                        date=DATE)
    assert accepted(again.docx, images=True) == text_with_images(newest.read_bytes())
    assert rejected(again.docx, images=True) == text_with_images(pair.old.read_bytes())
    assert again.reported == []
    root = document_xml(again.docx)
    assert {m.get(w("author")) for m in root.iter(w("ins"), w("del"))} == {"nps-report"}
    assert not [i for i in root.iter(w("ins")) if i.find(f".//{w('del')}") is not None]


def test_messages_name_sections_and_sentences_never_internal_ids(pair):
    doc = Doc(pair.old.read_bytes())
    doc.replace("According to RECIST", "The ORR was", "The objective response rate was")
    doc.replace("Twenty-five patients (83.3%)", "No grade 4 or 5 adverse events occurred.",
                "There were no grade 4 or 5 events.")
    out = update(doc.bytes(), pair)
    said = [str(n) for n in out.updated + out.reported]
    assert said
    assert not [s for s in said if re.search(r"para:|_nps\d|\w+\.\w+:\w+", s)], said


def test_accepting_the_update_leaves_check_with_nothing_generated(pair):
    out = update(pair.old.read_bytes(), pair)
    assert findings(accepted_docx(out.docx), pair) == []
    root = document_xml(out.docx)
    assert {m.get(w("author")) for m in root.iter(w("ins"), w("del"))} == {"nps-report"}


def _replace_image(data: bytes, figure: int) -> bytes:
    """The picture of Figure n swapped for the author's own image (same part, new bytes)."""
    import io
    import zipfile

    from PIL import Image

    with zipfile.ZipFile(io.BytesIO(data)) as pkg:
        members = {i.filename: pkg.read(i) for i in pkg.infolist()}
    doc = Doc(data)
    drawings = [d for d in doc.body.iter(w("drawing"))]
    blip = next(drawings[figure - 1].iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    rel = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
    rels = members["word/_rels/document.xml.rels"].decode()
    target = rels.split(f'Id="{rel}"')[1].split('Target="')[1].split('"')[0] \
        if f'Id="{rel}"' in rels else ""
    mine = io.BytesIO()
    Image.new("RGB", (40, 30), (250, 250, 0)).save(mine, "PNG")
    members[f"word/{target}"] = mine.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as pkg:
        for name, body in members.items():
            pkg.writestr(name, body)
    return out.getvalue()


def test_a_picture_the_author_replaced_is_theirs(pair):
    edited = _replace_image(pair.old.read_bytes(), 1)
    out = update(edited, pair)
    assert "Figure 1: the picture in your file is not the one nps-report put there, so it " \
           "is kept; the new build's figure has changed (figures/ in the build folder)" in \
        map(str, out.reported)
    assert [str(n) for n in out.updated if "picture" in str(n)] == [
        "Figure 7: the picture replaced: the data it draws changed"]
    assert [(f.kind, f.what) for f in findings(edited, pair) if "picture" in f.was] == [
        ("typed over", "Figure 1"), ("out of date", "Figure 7")]


def test_a_picture_the_author_deleted_is_reported_not_restored(pair):
    doc = Doc(pair.old.read_bytes())
    run = next(doc.body.iter(w("drawing"))).getparent()
    run.getparent().remove(run)
    out = update(doc.bytes(), pair)
    assert "Figure 1: its picture is no longer in your file; not restored" in \
        map(str, out.reported)
    assert len([line for line in accepted(out.docx, images=True) if "[image" in line]) == 6


def test_words_typed_inside_a_generated_number_keep_it_updated(pair):
    """'(two-sided 95% CI ...)': the author's words inside the number stay, its values
    move; neither update nor check calls it theirs, and the next check is clean."""
    doc = Doc(pair.old.read_bytes())
    doc.replace("The ORR was 13.3%", "(95% CI 0.4", "(two-sided 95% CI 0.4")
    edited = doc.bytes()
    assert [(f.kind, f.was) for f in findings(edited, pair) if "two-sided" in f.was] == [
        ("out of date", "13.3% (two-sided 95% CI 0.4–26.2)")]
    out = update(edited, pair)
    efficacy = next(line for line in accepted(out.docx) if line.startswith("According to"))
    assert "The ORR was 20.0% (two-sided 95% CI 4.8–35.2)" in efficacy
    assert not [str(n) for n in out.reported]
    assert findings(accepted_docx(out.docx), pair) == []


def test_a_rejected_update_is_proposed_again(pair):
    """The authors rejected every change of an update: the file shows the old values,
    which its record knows as printed by an earlier build, so they are updated again."""
    rejected_file = rejected_docx(update(pair.old.read_bytes(), pair).docx)
    assert rejected(rejected_file) == rejected(pair.old.read_bytes())
    again = update(rejected_file, pair)
    assert accepted(again.docx, images=True) == text_with_images(pair.new.read_bytes())
    assert again.reported == []
