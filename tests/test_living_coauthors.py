"""Co-authors' files, brought up to date: dozens of edits made the way Word writes them
(and a third of them saved again by LibreOffice), on the reference manuscript before a
data change, updated and checked against the build after it (living_builds).

Each scenario is an edit of the manuscript, written so that it can be made on either
build: made on the old build it is the co-author's file; made on the new build it is
what accepting every change of `update` must give (the new build's numbers, tables and
pictures, the co-author's words kept). For every scenario:

- accept-all of the updated file equals the edit made on the new build (text, table
  cells and pictures), except where the co-author and the build changed the same words
  (`kept` names the co-author's words that stay, `reported` what update says of them);
- rejecting nps-report's changes gives the co-author's file back exactly, and rejecting
  every change gives what rejecting every change of the co-author's file gives;
- check flags exactly the planted stale numbers the co-author typed (`stale`), and none
  of the numbers that are still right or say something else (every other number typed);
- once accepted, check finds nothing generated out of date; updating again adds nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from nps_report.living.check import IN_YOUR_TEXT, REWORDED, check_docx
from nps_report.living.package import Docx
from nps_report.living.update import update_docx

from . import living_docs as docs
from .living_builds import builds
from .revision_xml import accepted, accepted_docx, rejected
from .word_edits import Doc

DATE = "2025-03-02T09:00:00Z"
NPS = "nps-report"
Edit = Callable[[Doc, str], None]  # (the document, "old" or "new")

# what the co-authors write in the Discussion: stale values of the old build, in the
# phrasings authors use, among numbers that are still right or are not results at all
STALE_ORR = ("In our series the ORR was 13.3% (95% CI 0.4–26.2), and responses were seen "
             "in 4/30 patients.")
STALE_PHRASES = ("Four of the 30 patients had a partial response, and 13% of patients "
                 "responded overall.")
STALE_TWO = "We saw an ORR of 13.3% with a median PFS of 5.7 months."
STALE_SAFETY = ("Grade ≥3 adverse events occurred in 12 patients (40.0%); nasal bleeding of "
                "grade 3 affected 3 patients (10.0%).")
STALE_DOR = ("Responses lasted a median of 9.5 months (95% CI 0.7–18.2), and 1 response was "
             "censored.")
STALE_SD = "Stable disease was the best response in 18 patients (60.0%)."
STALE_P = "Response did not differ by ECOG performance status (p = 0.56)."
CONTROLS = ("The DCR was 73.3% (22/30), the median PFS 5.7 months (95% CI 4.7–6.7) and the "
            "median OS 11.5 months; the 6-month PFS rate was 45.9%.")
CONTROLS_SAFETY = ("Hand-foot syndrome of grade 3 occurred in 4 patients (13.3%) and "
                   "hypertension of any grade in 12 patients (40.0%).")
UNRELATED = ("Between 2019 and 2023, 30 patients received 12 mg/day in 21-day cycles [3]; "
             "grade 3 events were graded by CTCAE 5.0 and responses by RECIST 1.1 (ref. 4).")
CONTROL_HR = "ECOG performance status 2 carried an HR of 3.36 (95% CI 1.26–8.94) for PFS."


@dataclass(frozen=True)
class Scenario:
    name: str
    edit: Edit
    stale: tuple[str, ...] = ()  # numbers the co-author typed that check must flag
    libreoffice: bool = False  # saved again by LibreOffice before update and check
    kept: tuple[str, ...] = ()  # the co-author's words that stay against the build's
    reported: tuple[str, ...] = ()  # what update must say it left (substrings)
    typed_over: tuple[str, ...] = ()  # generated numbers the co-author typed over
    reworded: tuple[str, ...] = ()  # generated numbers left in words both reworded
    same_as_new: bool = True  # accept-all equals the edit made on the new build
    again: bool = False  # also: updating the updated file again adds nothing
    word: bool = False  # saved by Word (living_docs.as_word_saves) before update and check


# -- edits ----------------------------------------------------------------------------------


def discussion(*sentences: str) -> Edit:
    def edit(doc: Doc, state: str) -> None:
        doc.write_over("[Discussion", " ".join(sentences))
    return edit


def both(*edits: Edit) -> Edit:
    def edit(doc: Doc, state: str) -> None:
        for e in edits:
            e(doc, state)
    return edit


def reword_orr(doc: Doc, state: str) -> None:
    doc.replace("According to RECIST", "The ORR was", "The objective response rate was")


def reword_safety_start(doc: Doc, state: str) -> None:
    doc.replace("had at least one adverse event", "had at least one adverse event of any grade",
                "experienced at least one adverse event")


def reword_the_list(doc: Doc, state: str) -> None:
    """A word of the list of the most common grade >= 3 events, which the new build
    reorders: both reworded that sentence, so it stays the co-author's, and is reported."""
    doc.tracked_delete("The most common events of grade 3 or higher", " bleeding")


def comment_in_sentence(doc: Doc, state: str) -> None:
    doc.comment("According to RECIST", "best overall response", "Confirmed by central review?")


def comment_on_number(doc: Doc, state: str) -> None:
    doc.comment("had at least one adverse event", "Twenty-five patients", "Check the CRFs.")


def tracked_insert_safety(doc: Doc, state: str) -> None:
    doc.tracked_insert("had at least one adverse event", "of any grade", " (CTCAE 5.0)")


def tracked_delete_words(doc: Doc, state: str) -> None:
    doc.tracked_delete("According to RECIST", " at the last assessment")


def tracked_replace_word(doc: Doc, state: str) -> None:
    doc.tracked_replace("The median follow-up", "estimated by", "calculated with")


def tracked_new_paragraph(doc: Doc, state: str) -> None:
    doc.tracked_new_paragraph("had at least one adverse event", "Dose reductions were rare.")


def move_discussion_paragraph(doc: Doc, state: str) -> None:
    doc.write_over("[Discussion", "Toxicity was manageable with dose interruptions.")
    doc.move("Toxicity was manageable", "Table 3. Adverse events")


def tracked_move_exposure(doc: Doc, state: str) -> None:
    doc.tracked_move("Patients received a median of", "According to RECIST")


def split_efficacy(doc: Doc, state: str) -> None:
    doc.split("According to RECIST", "Among the")


def rename_heading(doc: Doc, state: str) -> None:
    doc.rename_heading("Efficacy", "Tumor response")


def typed_over_orr(doc: Doc, state: str) -> None:
    printed = {"old": "13.3% (95% CI 0.4–26.2)", "new": "20.0% (95% CI 4.8–35.2)"}[state]
    doc.replace("The ORR was", printed, "13% (95% CI 0–26)")


def edit_cell(doc: Doc, state: str) -> None:
    doc.edit_cell("Table 2.", "Progressive disease", 1, "8 (27)")


def split_runs(doc: Doc, state: str) -> None:
    for start in ("According to RECIST", "had at least one adverse event", "The median follow-up"):
        doc.split_runs(start)


def field_code(doc: Doc, state: str) -> None:
    """'Table 2' made a cross-reference to the bookmark around it, as Word inserts one
    (LibreOffice recomputes it on opening: it must find what it names)."""
    name = doc.bookmark_around("According to RECIST", "Table 2")
    doc.field("According to RECIST", "Table 2", f"REF {name} \\h")


def delete_generated_paragraph(doc: Doc, state: str) -> None:
    p = doc.paragraph("Patients received a median of")
    p.getparent().remove(p)


def author_paragraph_in_results(doc: Doc, state: str) -> None:
    doc.append_paragraph("According to RECIST", "Two responses were confirmed by a second "
                         "reader; 13.3% of patients responded.")


def legend_edit(doc: Doc, state: str) -> None:
    doc.insert_after("Tumor response and course of treatment.", "Tumor response and course "
                     "of treatment.", " Bars are ordered by change.")


def abstract_edit(doc: Doc, state: str) -> None:
    doc.replace("The objective response rate (ORR) was", "The objective response rate (ORR)",
                "The ORR")


def approximately(doc: Doc, state: str) -> None:
    doc.tracked_insert("According to RECIST", "stable disease in", " about")


# -- scenarios ------------------------------------------------------------------------------

SCENARIOS = [
    Scenario("discussion-orr", discussion(STALE_ORR, CONTROLS),
             stale=("13.3% (95% CI 0.4–26.2)", "4/30")),
    Scenario("discussion-phrasings", discussion(STALE_PHRASES, UNRELATED),
             stale=("Four of the 30", "13%")),
    Scenario("discussion-two-quantities", discussion(STALE_TWO, CONTROL_HR), stale=("13.3%",)),
    Scenario("discussion-safety", discussion(STALE_SAFETY, CONTROLS_SAFETY),
             stale=("12 patients (40.0%)", "3 patients (10.0%)")),
    Scenario("discussion-dor", discussion(STALE_DOR, STALE_SD, STALE_P),
             stale=("9.5 months (95% CI 0.7–18.2)", "1 response", "18 patients (60.0%)",
                    "0.56")),
    Scenario("discussion-controls", discussion(CONTROLS, CONTROLS_SAFETY, UNRELATED,
                                               CONTROL_HR)),
    Scenario("comment-in-sentence", comment_in_sentence),
    Scenario("comment-on-number", comment_on_number),
    Scenario("tracked-insert", again=True, edit=tracked_insert_safety),
    Scenario("tracked-delete", tracked_delete_words),
    Scenario("tracked-replace", tracked_replace_word),
    Scenario("tracked-paragraph", tracked_new_paragraph),
    Scenario("moved-paragraph", move_discussion_paragraph),
    Scenario("tracked-move", again=True, edit=tracked_move_exposure),
    Scenario("split-paragraph", split_efficacy),
    Scenario("renamed-heading", rename_heading),
    Scenario("reworded-sentence", again=True, edit=reword_orr),
    Scenario("typed-over-number", again=True, edit=typed_over_orr,
             typed_over=("13% (95% CI 0–26)",), reported=("you typed «13% (95% CI 0–26)»",)),
    Scenario("edited-cell", edit_cell),
    Scenario("reworded-list", reword_the_list, same_as_new=False,
             kept=("and nasal (n = 3, 10.0%).",), reported=("you reworded this",),
             reworded=("3", "10.0%")),
    Scenario("split-runs", split_runs),
    Scenario("field-code", field_code),
    Scenario("deleted-paragraph", delete_generated_paragraph,
             reported=("deleted in your file",)),
    Scenario("author-paragraph", author_paragraph_in_results, stale=("13.3%",)),
    Scenario("legend-edit", legend_edit),
    Scenario("abstract-edit", abstract_edit),
    Scenario("approximately", approximately),
    # saved by Word: runs split with rsids, bookmarks ended after their paragraph, styles
    # renamed, custom XML renumbered
    Scenario("word-saved", both(discussion(STALE_TWO, CONTROLS), reword_orr),
             stale=("13.3%",), word=True),
    Scenario("word-saved-tracked", both(tracked_insert_safety, tracked_move_exposure,
                                        comment_in_sentence), word=True, again=True),
    # the same edits, saved again by LibreOffice
    Scenario("lo-discussion", discussion(STALE_ORR, STALE_SAFETY, CONTROLS_SAFETY),
             stale=("13.3% (95% CI 0.4–26.2)", "4/30", "12 patients (40.0%)",
                    "3 patients (10.0%)"), libreoffice=True),
    Scenario("lo-comment-in-sentence", comment_in_sentence, libreoffice=True),
    Scenario("lo-comment-on-number", comment_on_number, libreoffice=True),
    Scenario("lo-tracked-insert", tracked_insert_safety, libreoffice=True),
    Scenario("lo-reworded", both(reword_orr, comment_in_sentence), libreoffice=True),
    Scenario("lo-moved", move_discussion_paragraph, libreoffice=True),
    Scenario("lo-renamed-heading", both(rename_heading, edit_cell), libreoffice=True),
    Scenario("lo-typed-over", typed_over_orr, typed_over=("13% (95% CI 0–26)",),
             libreoffice=True),
    Scenario("lo-split-runs-field", both(split_runs, field_code), libreoffice=True),
    Scenario("lo-tracked-move", again=True, edit=both(tracked_move_exposure, tracked_delete_words),
             libreoffice=True),
    Scenario("lo-reworded-list", reword_the_list, same_as_new=False,
             kept=("and nasal (n = 3, 10.0%).",), reported=("you reworded this",),
             reworded=("3", "10.0%"), libreoffice=True),
    Scenario("lo-tracked-paragraph", both(tracked_new_paragraph, tracked_replace_word),
             libreoffice=True),
    Scenario("lo-legend-abstract", both(legend_edit, abstract_edit, split_efficacy),
             libreoffice=True),
    Scenario("lo-author-paragraph", both(author_paragraph_in_results, approximately,
                                         delete_generated_paragraph), stale=("13.3%",),
             reported=("deleted in your file",), libreoffice=True),
    Scenario("lo-four-coauthors", again=True, edit=both(
        discussion(STALE_TWO, STALE_PHRASES, CONTROLS, UNRELATED), comment_in_sentence,
        tracked_insert_safety, rename_heading, legend_edit), libreoffice=True,
        stale=("13.3%", "Four of the 30", "13%")),
]


# -- running them ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair():
    return builds()


@pytest.fixture(scope="module")
def files(pair, tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    """Scenario name -> (the co-author's file, the edit made on the new build); the
    LibreOffice ones saved by one soffice run."""
    folder = tmp_path_factory.mktemp("coauthors")
    out: dict[str, tuple[bytes, bytes]] = {}
    to_save: list[Path] = []
    for s in SCENARIOS:
        edited, expected = Doc(pair.old.read_bytes()), Doc(pair.new.read_bytes())
        s.edit(edited, "old")
        s.edit(expected, "new")
        out[s.name] = (edited.bytes(), expected.bytes())
        if s.word:
            out[s.name] = (docs.as_word_saves(out[s.name][0]), out[s.name][1])
        if s.libreoffice:
            path = folder / f"{s.name}.docx"
            path.write_bytes(out[s.name][0])
            to_save.append(path)
    if to_save and shutil.which("soffice"):
        saved = libreoffice_save_all(to_save, folder / "lo", folder / "profile")
        for path in to_save:
            out[path.stem] = (saved[path.stem], out[path.stem][1])
    return out


def libreoffice_save_all(paths: list[Path], out_dir: Path, profile: Path) -> dict[str, bytes]:
    """Every file opened and saved again as .docx by one LibreOffice run."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir),
                    *map(str, paths)], check=True, capture_output=True, timeout=600)
    return {p.stem: (out_dir / p.name).read_bytes() for p in paths}


def lines(text: list[str]) -> list[str]:
    """LibreOffice writes 'page break before' as a break in the paragraph before: the text
    reads the same without them."""
    return [line.strip("\n") for line in text]


@pytest.fixture(scope="module")
def results(pair, files):
    new = Docx.read(pair.new)
    out = {}
    for s in SCENARIOS:
        edited = files[s.name][0]
        updated = update_docx(Docx.from_bytes(edited, f"{s.name}.docx"), new, date=DATE)
        out[s.name] = updated
    return out


def params():
    return [pytest.param(s, id=s.name, marks=[docs.needs_soffice] if s.libreoffice else [])
            for s in SCENARIOS]


@pytest.mark.parametrize("s", params())
def test_accepting_all_gives_the_new_build_with_the_coauthors_words(s, files, results):
    out = results[s.name].docx
    got = lines(accepted(out, images=True))
    if s.same_as_new:
        assert got == lines(accepted(files[s.name][1], images=True))
    for words in s.kept:
        assert any(words in line for line in got), words


@pytest.mark.parametrize("s", params())
def test_rejecting_gives_the_coauthors_file(s, files, results):
    edited, out = files[s.name][0], results[s.name].docx
    assert rejected(out, author=NPS, images=True) == accepted(edited, author="nobody",
                                                             images=True)
    assert rejected(out, images=True) == rejected(edited, images=True)


@pytest.mark.parametrize("s", params())
def test_check_flags_the_planted_stale_numbers_and_nothing_else(s, pair, files):
    found = check_docx(Docx.from_bytes(files[s.name][0], "paper.docx"), Docx.read(pair.new))
    assert sorted(f.was for f in found.findings if f.kind == IN_YOUR_TEXT) == sorted(s.stale)
    assert sorted(f.was for f in found.findings if f.kind == "typed over") == \
        sorted(s.typed_over)
    assert sorted(f.was for f in found.findings if f.kind == REWORDED) == sorted(s.reworded)


@pytest.mark.parametrize("s", params())
def test_update_reports_what_it_left_and_never_a_stale_generated_number(s, results):
    said = [str(n) for n in results[s.name].reported]
    for words in s.reported:
        assert any(words in line for line in said), (words, said)
    assert not [line for line in said if "cannot" in line and s.name != "unsure"], said


@pytest.mark.parametrize("s", params())
def test_after_accepting_only_the_coauthors_numbers_are_left(s, pair, results):
    accepted_file = accepted_docx(results[s.name].docx)
    found = check_docx(Docx.from_bytes(accepted_file, "a.docx"), Docx.read(pair.new))
    assert [str(f) for f in found.findings if f.generated] == []
    assert sorted(f.was for f in found.findings if f.kind == IN_YOUR_TEXT) == sorted(s.stale)
    if not s.again:
        return
    again = update_docx(Docx.from_bytes(results[s.name].docx, "u.docx"), Docx.read(pair.new),
                        date=DATE)
    assert again.updated == []
    assert lines(accepted(again.docx, images=True)) == \
        lines(accepted(results[s.name].docx, images=True))


def test_the_coauthor_set_covers_what_the_issue_names():
    names = {s.name for s in SCENARIOS}
    assert len(SCENARIOS) >= 30
    assert sum(s.libreoffice for s in SCENARIOS) * 3 >= len(SCENARIOS)
    assert {"comment-in-sentence", "tracked-insert", "tracked-move", "split-runs",
            "field-code", "renamed-heading", "edited-cell", "moved-paragraph"} <= names
