"""Generated text follows the journal's spelling variant; names, terms and authors' text do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from nps_report.present.spelling import spelling_map, to_variant, variant_notice

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_generated_sentences_turn_british_with_case_kept():
    text = ("Tumor response was analyzed in a multicenter series; bars are colored by best "
            "overall response and labeled with their value. Continuous variables are "
            "summarized as median (range). TUMOR SIZE. Acknowledgments")
    assert to_variant(text, "en-GB") == (
        "Tumour response was analysed in a multicentre series; bars are coloured by best "
        "overall response and labelled with their value. Continuous variables are "
        "summarised as median (range). TUMOUR SIZE. Acknowledgements")


def test_british_text_turns_american_without_touching_the_noun_analyses():
    assert to_variant("Analyses of tumours were randomised and analysed at each centre.",
                      "en-US") == "Analyses of tumors were randomized and analyzed at each center."


def test_names_quotes_code_and_the_callers_terms_keep_their_spelling():
    text = ('Response Evaluation Criteria in Solid Tumors (RECIST) for tumors; the "Tumor '
            'Board" met at the MD Anderson Cancer Center; `tumor_assessments.csv`; the most '
            "common events were hand-foot syndrome and Tumor pain; hematologic events.")
    assert to_variant(text, "en-GB", keep=["Tumor pain", "anlotinib"]) == (
        'Response Evaluation Criteria in Solid Tumors (RECIST) for tumours; the "Tumor '
        'Board" met at the MD Anderson Cancer Center; `tumor_assessments.csv`; the most '
        "common events were hand-foot syndrome and Tumor pain; haematologic events.")


def test_only_whole_words_change():
    text = "Tumorigenesis near the epicenter; tumor-related; non-tumor; centers; tumor_id2."
    assert to_variant(text, "en-GB") == ("Tumorigenesis near the epicenter; tumour-related; "
                                         "non-tumour; centres; tumor_id2.")


def test_the_map_is_unambiguous_both_ways():
    words = spelling_map()
    assert len(words.gb_to_us) == len(words.us_to_gb)
    assert not set(words.us_to_gb) & set(words.gb_to_us)
    assert "analyzes" not in words.us_to_gb and "gray" not in words.us_to_gb


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_every_template_goes_to_british_and_back_unchanged(template):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    british = to_variant(text, "en-GB")
    assert variant_notice(british, "en-GB", template) is None
    assert to_variant(british, "en-US") == text


def test_the_templates_american_words_are_all_in_the_map():
    text = " ".join(p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.j2"))
    converted = to_variant(text, "en-GB")
    for us in ("Tumor", "tumor", "colored", "labeled", "summarized", "analyzed"):
        assert us in text and f" {us} " not in f" {converted} "
    from nps_report.vocab import RECIST  # the criteria's own name, spelled once in vocab.py

    assert to_variant(RECIST, "en-GB") == RECIST == "Response Evaluation Criteria in Solid Tumors"


def test_the_authors_other_variant_is_a_notice_with_lines_not_a_rewrite():
    text = "Tumour response was analysed.\nThe multicentre study\nrandomised tumours."
    notice = variant_notice(text, "en-US", "manuscript/discussion.md")
    assert notice.code == "spelling_variant"
    assert str(notice) == (
        "manuscript/discussion.md uses en-GB spellings; the journal asks for en-US.\n"
        "    line 1: 'Tumour' (en-US: 'Tumor')\n"
        "    line 1: 'analysed' (en-US: 'analyzed')\n"
        "    line 2: 'multicentre' (en-US: 'multicenter')\n"
        "    line 3: 'randomised' (en-US: 'randomized')\n"
        "    line 3: 'tumours' (en-US: 'tumors')")
    assert variant_notice("Tumor response.", "en-US", "x.md") is None


def test_an_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="unknown spelling variant 'en-AU'; expected one of "
                                         "en-US, en-GB"):
        to_variant("tumor", "en-AU")
