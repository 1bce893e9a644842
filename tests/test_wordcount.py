"""Word counts follow one stated rule: main text is introduction through conclusions."""

from __future__ import annotations

from pathlib import Path

from nps_report.present.tables import Row, TableSpec
from nps_report.render.markdown import to_blocks
from nps_report.render.model import (
    Block,
    FigureImages,
    FigureLegend,
    PageBreak,
    Run,
    Table,
    plain,
)
from nps_report.render.wordcount import (
    WordCounts,
    count_words,
    counts_line,
    over_limits,
    word_counts,
)


def heading(text: str, level: int = 1) -> Block:
    return Block(plain(text), "heading", level)


def run_in(label: str, text: str) -> Block:
    return Block((Run(label, bold=True), Run(text)))


def manuscript(methods_heading: str = "Methods") -> list:
    spec = TableSpec("baseline", ("Characteristic", "n (%)"), (Row(("Age", "55")),))
    return [
        Block(plain("Anlotinib in nasopharyngeal carcinoma: a case series"), role="title"),
        Block(plain("A. Author, B. Author"), role="byline"),
        PageBreak(),
        heading("Abstract"),
        run_in("Background: ", "Anlotinib is a multitarget tyrosine kinase inhibitor."),  # 7
        run_in("Methods: ", "We analyzed 30 patients."),  # 4
        run_in("Keywords: ", "anlotinib; nasopharyngeal carcinoma"),  # 0
        PageBreak(),
        heading("Introduction"),
        *to_blocks("Nasopharyngeal carcinoma is endemic \\[1,2\\].\n\n"
                   "==\\[More: write in manuscript/introduction.md\\]=="),  # 5
        heading(methods_heading),
        *to_blocks("## Statistical analysis\n\nThe ORR was 13.3% (95% CI 0.4–26.2).\n\n"
                   "- median ± z·SE\n"),  # 7 + 3
        heading("Results"),
        Block((Run("Median PFS was "), Run("5.7", binding="survival.pfs.median"),
               Run(" months."))),  # 5
        heading("Discussion"),
        Block(plain("[Discussion: write in manuscript/discussion.md]", mark=True)),  # 0
        heading("Acknowledgments"),
        Block(plain("We thank the patients and their families.")),  # not main text
        heading("References"),
        *to_blocks("1. Chen YP. Nasopharyngeal carcinoma. Lancet. 2019.\n"
                   "2. Han C. Anlotinib. BMC Med. 2023.\n"),
        PageBreak(),
        Table(1, plain("Baseline characteristics"), spec, (Block(plain("Data are n (%)."),
                                                                 role="note"),)),
        Table(2, plain("Adverse events"), spec),
        heading("Figure legends"),
        FigureLegend(1, plain("Tumour response"), plain("Waterfall plot of forty words.")),
        FigureLegend(2, plain("Survival"), plain("Kaplan–Meier estimates.")),
        FigureImages(1, (Path("f1.png"),), (Path("f1.svg"),)),
        FigureImages(2, (Path("f2.png"),), (Path("f2.svg"),)),
    ]


def test_a_word_is_a_run_of_non_space_characters_as_word_counts_it():
    assert count_words("Progression-free survival was 5.7 months (95% CI 4.7–6.7) [1,2].") == 9
    assert count_words("median ± z·SE") == 3
    assert count_words("  \n ") == 0


def test_main_text_is_introduction_through_conclusions_without_headings_or_placeholders():
    counts = word_counts(manuscript())
    assert counts == WordCounts(abstract=11, main_text=20, tables=2, figures=2, references=2,
                                by_section=(("introduction", 5), ("methods", 10),
                                            ("results", 5)))


def test_journal_headings_name_the_sections():
    assert word_counts(manuscript("Patients and methods")).main_text == 20
    assert word_counts(manuscript("Patienten und Methoden")).main_text == 10
    assert word_counts(manuscript("Patienten und Methoden"),
                       {"Patienten und Methoden": "methods"}).main_text == 20


def test_an_abstract_with_heading_lines_counts_only_its_text():
    elements = [heading("Abstract"), heading("Background", 2),
                Block(plain("Anlotinib is active.")), heading("Key words", 2),
                run_in("Key words: ", "anlotinib")]
    assert word_counts(elements).abstract == 3


def test_the_title_page_line_and_the_limits():
    counts = WordCounts(abstract=351, main_text=12500, tables=1, figures=2, references=30)
    assert counts_line(counts) == ("Word count: abstract 351, main text 12,500; 1 table; "
                                   "2 figures.")
    notices = over_limits(counts, 350, 12000, "Frontiers in Oncology")
    assert [n.message for n in notices] == [
        "The abstract has 351 words; Frontiers in Oncology allows 350.",
        "The main text has 12,500 words; Frontiers in Oncology allows 12,000."]
    assert over_limits(counts, None, None) == []


def test_a_journal_profile_supplies_the_headings():
    from nps_report.journals import load_profile

    bmc = load_profile("bmc-cancer").ids_by_heading()
    elements = [heading("Background"), Block(plain("Three words here.")),
                heading("List of abbreviations"), Block(plain("ORR: objective response rate"))]
    assert word_counts(elements, bmc).by_section == (("introduction", 3),)
