"""Journal profiles load from data, and a mistaken profile says file, key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nps_report.journals import ProfileError, load_profile, parse_profile, shipped_profiles
from nps_report.journals.profile import DECLARATION_IDS, SECTION_IDS

SHIPPED = ("bmc-cancer", "default", "frontiers-in-oncology", "radiology-and-oncology")
FOLDER = Path(__file__).resolve().parent.parent / "nps_report" / "journals"


def test_the_shipped_profiles_are_listed_by_file_name():
    assert shipped_profiles() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_profile_loads_and_names_its_sources(name):
    profile = load_profile(name)
    assert profile.id == name
    assert profile.sources, "a profile notes where its values come from"
    assert all(s.startswith("https://") for s in profile.sources)
    assert (FOLDER / f"{name}.yaml").read_text().startswith("#"), "source comment first"
    assert [h.source for h in profile.abstract.headings].count("generated") == 2


def test_radiology_and_oncology_asks_for_what_its_instructions_say():
    p = load_profile("radiology-and-oncology")
    assert p.name == "Radiology and Oncology"
    assert [h.heading for h in p.abstract.headings] == [
        "Background", "Patients and methods", "Results", "Conclusions"]
    assert [(h.source, h.part) for h in p.abstract.headings] == [
        ("author", "abstract_background"), ("generated", "methods"),
        ("generated", "results"), ("author", "abstract_conclusions")]
    assert p.heading("methods") == "Patients and methods"
    assert (p.layout.line_spacing, p.layout.font_size_pt, p.layout.file_format) == (2.0, 12.0,
                                                                                   "docx")
    assert p.tables.placement == "in_text"
    assert p.figures.placement == "separate"
    assert p.references.csl_style == "nlm-citation-sequence"
    assert p.reporting_guideline == "case-series"
    assert p.section("tables") is None, "tables sit in the text, not in a section of their own"
    assert p.headings_by_id()["methods"] == "Patients and methods"
    assert p.ids_by_heading()["Key words"] == "keywords"


def test_bmc_cancer_profile_carries_its_limits_and_declarations():
    p = load_profile("bmc-cancer")
    assert p.abstract.word_limit == 350
    assert (p.keywords.min, p.keywords.max) == (3, 10)
    assert p.heading("introduction") == "Background"
    assert (p.figures.single_column_mm, p.figures.double_column_mm,
            p.figures.max_height_mm, p.figures.min_dpi) == (85.0, 170.0, 225.0, 300)
    assert [d.heading for d in p.required_declarations] == [
        "Ethics approval and consent to participate", "Consent for publication",
        "Availability of data and materials", "Competing interests", "Funding",
        "Authors' contributions", "Acknowledgements"]
    assert p.spelling == "en-GB" and p.layout.line_numbers


def test_frontiers_counts_a_twelve_thousand_word_main_text():
    p = load_profile("frontiers-in-oncology")
    assert p.main_text.word_limit == 12000
    assert p.heading("methods") == "Materials and methods"
    assert p.declarations[0].file_part == "data_availability"


def test_an_unknown_profile_name_lists_the_shipped_ones_and_the_nearest():
    with pytest.raises(ProfileError) as err:
        load_profile("radiology-oncology")
    assert [str(p) for p in err.value.problems] == [(
        "study.yaml, key 'journal': unknown journal profile 'radiology-oncology'; expected "
        "one of 'bmc-cancer', 'default', 'frontiers-in-oncology', 'radiology-and-oncology' "
        "(did you mean 'radiology-and-oncology'?), or the path of a profile .yaml file")]


def test_a_profile_file_is_loaded_by_path(tmp_path):
    data = yaml.safe_load((FOLDER / "default.yaml").read_text())
    data["name"] = "My journal"
    path = tmp_path / "my-journal.yaml"
    path.write_text(yaml.safe_dump(data))
    profile = load_profile(path)
    assert (profile.id, profile.name) == ("my-journal", "My journal")
    with pytest.raises(ProfileError) as err:
        load_profile("nothere.yaml")
    assert str(err.value) == ("1 problem found in the study:\n"
                              "  - nothere.yaml: journal profile file not found")


def broken(**changes) -> str:
    data = yaml.safe_load((FOLDER / "default.yaml").read_text())
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = data
        for part in path:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is ...:
            del node[last]
        else:
            node[last] = value
    return yaml.safe_dump(data, sort_keys=False)


def problems(text: str) -> list[str]:
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "mine.yaml", "mine")
    return [str(p) for p in err.value.problems]


def test_a_misspelt_key_is_named_with_its_path_and_the_nearest_key():
    text = broken(figures__min_dip=300)
    assert problems(text) == ["mine.yaml, key 'figures.min_dip': is not a known key; expected "
                              "one of 'colour_mode', 'formats', 'placement', 'single_column_mm', "
                              "'double_column_mm', 'max_height_mm', 'min_dpi', 'max_count' "
                              "(did you mean 'min_dpi'?)"]


def test_wrong_types_and_values_are_all_reported_at_once():
    text = broken(figures__min_dpi="high", layout__line_spacing=4, spelling="en-AU",
                  references__citation="numbers", language="English")
    assert problems(text) == [
        "mine.yaml, key 'language': has a value that is not allowed (found 'English'); "
        "expected a language tag such as 'en-US' or 'en-GB'",
        "mine.yaml, key 'spelling': is not one of the allowed values (found 'en-AU'); "
        "expected one of 'en-US', 'en-GB' (did you mean 'en-US'?)",
        "mine.yaml, key 'references.citation': is not one of the allowed values "
        "(found 'numbers'); expected one of 'brackets', 'parentheses', 'superscript'",
        "mine.yaml, key 'figures.min_dpi': must be a whole number (found 'high')",
        "mine.yaml, key 'layout.line_spacing': has a value that is not allowed (found 4); "
        "expected a value from 1 to 3"]


def test_a_missing_required_key_and_a_bad_list_item_are_located():
    text = broken(reporting_guideline=..., sections__1__id="abstrakt")
    assert problems(text) == [
        "mine.yaml, key 'sections[2].id': has a value that is not allowed (found 'abstrakt'); "
        f"expected one of {', '.join(SECTION_IDS)}",
        "mine.yaml, key 'reporting_guideline': is required"]


def test_rules_across_fields_are_checked_after_the_types():
    text = broken(abstract__headings__1__part="discussion", references__citation="superscript",
                  references__delimiter=", ", declarations__1__id="ethics_approval",
                  figures__formats=["TIF"], keywords__min=12)
    assert problems(text) == [
        "mine.yaml, key 'abstract.headings[2].part': names no generated abstract part "
        "(found 'discussion'); expected one of 'methods', 'results'",
        "mine.yaml, key 'abstract.headings': must take the generated 'methods' text exactly "
        "once; expected one heading with source: generated, part: methods",
        "mine.yaml, key 'declarations': lists 'ethics_approval' more than once",
        "mine.yaml, key 'figures.formats[1]': is not a known figure format (found 'TIF'); "
        "expected one of 'TIFF', 'EPS', 'PDF', 'PNG', 'JPEG', 'SVG', 'DOCX', 'PPTX', 'BMP' "
        "(did you mean 'TIFF'?)",
        "mine.yaml, key 'references.delimiter': cannot contain spaces in superscript "
        "citations (found ', '); expected ',' (superscripts are written ^1,2^)",
        "mine.yaml, key 'keywords': has min above max (found '12 > 10')"]


def test_a_profile_without_a_results_section_is_refused():
    data = yaml.safe_load(broken())
    data["sections"] = [s for s in data["sections"] if s["id"] != "results"]
    assert problems(yaml.safe_dump(data)) == [
        "mine.yaml, key 'sections': has no 'results' section; expected an entry id: results"]


def test_invalid_yaml_names_the_line():
    assert problems("name: x\nabstract: [unclosed\n") == [
        "mine.yaml: is not valid YAML at line 3: expected ',' or ']', but got '<stream end>'"]


def test_the_declaration_vocabulary_covers_every_shipped_declaration():
    for name in SHIPPED:
        assert {d.id for d in load_profile(name).declarations} <= set(DECLARATION_IDS)
