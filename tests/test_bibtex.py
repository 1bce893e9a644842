"""The .bib reader finds every entry, and points at the line of every mistake."""

from __future__ import annotations

import pytest

from nps_report.references import BibError, parse_bibtex, read_bibtex

FILE = "manuscript/references.bib"


def problems(text: str) -> list[str]:
    with pytest.raises(BibError) as err:
        parse_bibtex(text, FILE)
    return [str(p) for p in err.value.problems]


def test_entries_keep_key_type_line_and_fields_with_strings_months_and_concatenation():
    entries = parse_bibtex(
        "% a comment line\n"
        "@String{lancet = {Lancet}}\n"
        "@comment{ignored @article{no, title={x}} }\n"
        "@ARTICLE{Chen2019,\n"
        "  Author = {Chen, Yu-Pei and M{\\\"u}ller, J{\\\"o}rg},\n"
        '  title = "Nasopharyngeal {C}arcinoma",\n'
        "  journal = lancet # { (London)},\n"
        "  year = 2019, month = jul,\n"
        "}\n"
        "@book(collett, title = {Modelling survival data}, publisher = {Chapman and Hall})\n",
        FILE)
    assert [(e.key, e.type, e.line) for e in entries] == [("Chen2019", "article", 4),
                                                          ("collett", "book", 10)]
    assert entries[0].fields == (("author", 'Chen, Yu-Pei and M{\\"u}ller, J{\\"o}rg'),
                                 ("title", "Nasopharyngeal {C}arcinoma"),
                                 ("journal", "Lancet (London)"), ("year", "2019"),
                                 ("month", "jul"))
    assert entries[1].get("publisher") == "Chapman and Hall"


def test_a_missing_comma_is_reported_at_its_line_and_reading_goes_on():
    text = ("@article{a,\n  title = {One}\n  year = {2020}\n}\n"
            "@article{b, title = {Two}, journal = {J}, year = 2021}\n"
            "@article{c, title = {Three} year = 2022}\n")
    assert problems(text) == [
        f"{FILE}, line 3: expected ',' or '}}' after the value of 'title' in entry 'a', "
        "found 'year = {2020'",
        f"{FILE}, line 6: expected ',' or '}}' after the value of 'title' in entry 'c', "
        "found 'year = 2022}'"]


def test_an_unclosed_brace_is_reported_where_it_opens_not_at_the_end_of_the_file():
    text = ("@article{a,\n  title = {Unclosed {RECIST guideline},\n  year = 2009,\n}\n\n"
            "@article{b, title = {Fine}}\n")
    assert problems(text) == [f"{FILE}, line 2: the brace '{{' opened here is never closed"]


def test_misspelt_types_and_undefined_strings_get_a_did_you_mean():
    text = ("@artcle{a, title = {One}}\n"
            "@string{lancet = {Lancet}}\n"
            "@article{b, title = {Two}, journal = lancett}\n")
    assert problems(text) == [
        f"{FILE}, line 1: unknown entry type @artcle (did you mean @article?)",
        f"{FILE}, line 3: field 'journal' uses 'lancett', which is not defined by an @string "
        "(did you mean 'lancet'?); put text values in braces"]


def test_duplicate_keys_ignore_case_and_name_both_lines_and_titles_are_required():
    text = ("@article{Chen2019, title = {One}}\n"
            "@article{b, author = {X, Y}}\n"
            "@article{chen2019, title = {Two}}\n"
            "@article{c, title = {Three}, title = {Again}}\n")
    assert problems(text) == [
        f"{FILE}, line 2: entry 'b' has no title",
        f"{FILE}, line 3: key 'chen2019' is already used by the entry on line 1 "
        "(as 'Chen2019'; keys ignore case)",
        f"{FILE}, line 4: entry 'c' has field 'title' twice"]


def test_an_entry_without_a_key_and_a_field_without_equals_are_named():
    assert problems("@article{title = {x}}\n@book{k, title {y}}\n") == [
        f"{FILE}, line 1: expected ',' or '}}' after key 'title' in entry 'title', "
        "found '= {x}}'",
        f"{FILE}, line 2: expected '=' after field name 'title' in entry 'k', found '{{y}}}}'"]
    assert problems("@article{, title = {x}}\n") == [
        f"{FILE}, line 1: the @article entry has no citation key"]


def test_non_utf8_files_are_refused_with_the_line_and_the_fix():
    data = "@article{a,\n  title = {Caf\u00e9}\n}\n".encode("latin-1")
    with pytest.raises(BibError) as err:
        read_bibtex(data, FILE)
    assert [str(p) for p in err.value.problems] == [
        f"{FILE}, line 2: is not UTF-8 text; export it from the reference manager as UTF-8 "
        "(or save it as UTF-8)"]


def test_a_utf8_bom_and_non_ascii_names_are_read():
    entries = read_bibtex("\ufeff@article{ø, author = {Øster, Åse}, title = {Tumør}}".encode(),
                          FILE)
    assert (entries[0].key, entries[0].get("author")) == ("ø", "Øster, Åse")
