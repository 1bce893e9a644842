"""study.yaml: each key declared once, problems at their line, YAML's type traps named."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields

import pytest

from nps_report.cli import main
from nps_report.config import OPTIONAL_TABLES, TABLES, ColumnMap, StudyConfig, parse_config
from nps_report.config.at import At, Context
from nps_report.config.reader import key, keys_of, read_section, section
from nps_report.config.yamlfile import parse_yaml
from nps_report.errors import StudyError
from nps_report.pipeline import compute, validate

from .studyfiles import YAML, csv_bytes, rows_of, write_study

BASE = "title: T\ndrug: d\npopulation: p\n"


def yaml_problems(text: str) -> list[str]:
    with pytest.raises(StudyError) as info:
        doc = parse_yaml(text)
        ctx = Context(doc, list(doc.duplicates))
        read_section(StudyConfig, doc.data, At(ctx))
        raise StudyError(ctx.problems)
    return [str(p) for p in info.value.problems]


def test_unquoted_yes_no_levels_are_reported_against_study_yaml_with_the_quoting(tmp_path):
    rows = rows_of("patients")
    rows[0].append("smoker")
    for r, v in zip(rows[1:], ["Yes", "No", "No", "Yes"], strict=True):
        r.append(v)
    yaml = YAML + "  - {column: smoker, label: Smoker, type: categorical, levels: [No, Yes]}\n"
    study = write_study(tmp_path / "s", yaml, patients=csv_bytes(rows))
    with pytest.raises(StudyError) as info:
        validate(study)
    assert [str(p) for p in info.value.problems] == [
        "study.yaml, line 9, key 'baseline[3].levels[1]': YAML reads the unquoted No as the "
        "boolean false, not as text (found 'No'); expected text: write it in quotes, \"No\"",
        "study.yaml, line 9, key 'baseline[3].levels[2]': YAML reads the unquoted Yes as the "
        "boolean true, not as text (found 'Yes'); expected text: write it in quotes, \"Yes\""]
    study.joinpath("study.yaml").write_text(yaml.replace("[No, Yes]", '["No", "Yes"]'))
    validate(study)


def test_a_date_or_null_where_text_is_meant():
    assert yaml_problems(BASE.replace("drug: d", "drug: 2021-01-01") + "short_title: NULL\n") \
        == ["study.yaml, line 2, key 'drug': YAML reads the unquoted 2021-01-01 as a date, "
            "not as text (found '2021-01-01'); expected text: write it in quotes, "
            "\"2021-01-01\""]


def test_level_labels_written_as_keys_stay_text():
    config = parse_yaml(BASE + "baseline:\n  - {column: x, type: categorical, "
                               "levels: {Yes: [1], No: [0]}}\n")
    ctx = Context(config)
    got = read_section(StudyConfig, config.data, At(ctx))
    assert ctx.problems == []
    assert got.baseline[0].levels == (("Yes", ("1",)), ("No", ("0",)))


def test_study_yaml_in_a_windows_code_page_is_refused_not_an_internal_error(tmp_path, capsys):
    study = write_study(tmp_path / "s")
    study.joinpath("study.yaml").write_bytes(YAML.replace("drug Y", "médicament Y")
                                             .encode("cp1252"))
    assert main(["validate", str(study)]) == 2
    err = capsys.readouterr().err
    assert "study.yaml: not UTF-8 text: byte 0xE9 on line 2 is not valid UTF-8; it reads as " \
           "Windows-1252/Latin-1 text" in err
    assert "expected a UTF-8 file: in Notepad use Save As with Encoding 'UTF-8'" in err
    assert "internal error" not in err


def test_study_yaml_with_a_bom_is_read(tmp_path):
    study = write_study(tmp_path / "s")
    study.joinpath("study.yaml").write_bytes(b"\xef\xbb\xbf" + YAML.encode())
    assert validate(study)[0].config.title == "Drug Y in advanced disease"


@pytest.mark.parametrize("written", ["2021-12-31", '"2021-12-31"', "2021-12-31 00:00:00",
                                     "2021-12-31T00:00:00Z", "2021-12-31 23:59:59",
                                     '"2021-12-31 18:00"'])
def test_data_cutoff_is_an_iso_date_in_results_json_whatever_yaml_made_of_it(tmp_path,
                                                                              written):
    study = write_study(tmp_path / "s", YAML.replace("2021-12-31", written))
    _, results = compute(study, "2025-01-01T00:00:00Z")
    assert json.loads(json.dumps(results.to_dict()))["study"]["data_cutoff"] == "2021-12-31"
    assert results.study.data_cutoff == "2021-12-31"


@pytest.mark.parametrize(("written", "message"), [
    ("2021-02-30", "not a calendar date (found '2021-02-30'); expected a date as YYYY-MM-DD "
                   "with a real month and day"),
    ("31/12/2021", "a date written as day/month/year (31 December 2021) (found '31/12/2021'); "
                   "expected YYYY-MM-DD: 2021-12-31"),
    ("31DEC2021", "a date written as day month year with the month's name (31 December "
                  "2021, as SAS prints dates) (found '31DEC2021'); expected YYYY-MM-DD: "
                  "2021-12-31"),
])
def test_data_cutoff_that_is_no_date_is_explained(written, message):
    assert yaml_problems(BASE + f"data_cutoff: {written}\n") == [
        f"study.yaml, line 4, key 'data_cutoff': {message}"]


def test_problems_name_their_line_and_nested_keys_get_did_you_mean():
    text = BASE + "ci:\n  level: 0.95\n  methd: wilson\nrecist: {sd_min_day: 42}\ntitle: again\n"
    assert yaml_problems(text) == [
        "study.yaml, line 8, key 'title': key written twice (YAML keeps only the last); "
        "expected each key once: delete or merge the repeated one",
        "study.yaml, line 6, key 'ci.methd': unknown key; expected one of 'level', "
        "'proportion', 'km'",
        "study.yaml, line 7, key 'recist.sd_min_day': unknown key; expected one of "
        "'confirm_response', 'sd_min_days', 'confirm_min_days', 'too_small_values', "
        "'lesion_rules', 'response_source' (did you mean 'sd_min_days'?)"]


def test_tabs_and_unquoted_colons_are_explained():
    (tab,) = yaml_problems(BASE + "ci:\n\tlevel: 0.9\n")
    assert tab.startswith("study.yaml, line 5: not valid YAML: found character '\\t' that "
                          "cannot start any token; expected indentation with spaces")
    (colon,) = yaml_problems("title: Drug X: a phase II study\ndrug: d\n")
    assert colon.startswith("study.yaml, line 1: not valid YAML: mapping values are not "
                            "allowed here; expected a value containing ': ' in quotes")


def test_missing_values_and_columns_are_declared_keys():
    config = parse_config({"title": "T", "drug": "d", "population": "p",
                           "missing_values": ["NA", -99, "."],
                           "columns": {"patients": {"patient_id": "Patient ID"}}})
    assert config.missing_values == ("NA", "-99", ".")
    assert [(r.name, r.header) for r in config.columns.patients] == [("patient_id",
                                                                     "Patient ID")]
    assert keys_of(ColumnMap) == (*TABLES, *OPTIONAL_TABLES)


def test_compatibility_attributes_for_the_nested_sections():
    config = parse_config({"title": "T", "drug": "d", "population": "p",
                           "safety": {"min_incidence_pct": 10},
                           "validation": {"progression_must_match_assessments": False}})
    assert config.min_incidence_pct == 10.0 == config.safety.min_incidence_pct
    assert config.progression_must_match_assessments is False
    assert StudyConfig("t", "d", "p").ci.level == 0.95


def test_adding_a_key_is_one_declaration():
    """A new section and key, declared here only, get defaults, checks and messages."""
    from nps_report.config.kinds import Choice

    @dataclass(frozen=True)
    class Journal:
        style: str = key(Choice(("vancouver", "apa")), "vancouver")

    @dataclass(frozen=True)
    class Config:
        journal: Journal = section(Journal)

    doc = parse_yaml("journal:\n  style: vancover\n")
    ctx = Context(doc)
    got = read_section(Config, doc.data, At(ctx))
    assert got.journal.style == "vancouver"
    assert [str(p) for p in ctx.problems] == [
        "study.yaml, line 2, key 'journal.style': invalid value (found 'vancover'); expected "
        "one of 'vancouver', 'apa' (did you mean 'vancouver'?)"]
    assert [f.name for f in fields(Config)] == ["journal"]


def test_every_key_has_a_kind_or_is_a_section():
    def walk(cls):
        for f in fields(cls):
            assert "kind" in f.metadata or "section" in f.metadata, (cls, f.name)
            if "section" in f.metadata:
                walk(f.metadata["section"])
    walk(StudyConfig)


def test_a_mapped_header_that_is_not_in_the_file_is_reported_at_its_line(tmp_path):
    rows = rows_of("patients")
    rows[0][5] = "DTHDT"
    yaml = YAML + "columns:\n  patients:\n    death_date: DTHDTX\n"
    study = write_study(tmp_path / "s", yaml, patients=csv_bytes(rows))
    with pytest.raises(StudyError) as info:
        validate(study)
    assert str(info.value.problems[0]) == (
        "study.yaml, line 11, key 'columns.patients.death_date': header 'DTHDTX' not found in "
        "patients.csv (found 'DTHDTX'); expected a header of patients.csv (did you mean "
        "'DTHDT'?)")


def test_columns_map_the_contracts_names_to_the_files_headers(tmp_path):
    rows = rows_of("patients")
    rows[0][0], rows[0][5] = "Patient ID", "DTHDT"
    rows[3][5] = "2021-03-01"  # A3 died before starting: the message shows the user's header
    yaml = YAML + 'columns: {patients: {patient_id: "Patient ID", death_date: DTHDT}}\n'
    study = write_study(tmp_path / "s", yaml, patients=csv_bytes(rows))
    with pytest.raises(StudyError) as info:
        validate(study)
    assert [str(p) for p in info.value.problems] == [
        "patients.csv, row 4, column 'DTHDT': death before treatment_start (found "
        "'2021-03-01'); expected a date on or after treatment_start (2021-03-05)",
        "patients.csv, row 4, column 'treatment_end': treatment_end after death (found "
        "'2021-05-01'); expected a date on or before death_date (2021-03-01)",
        "patients.csv, row 4, column 'last_followup': last_followup after death_date (found "
        "'2021-05-20'); expected the death date or an earlier date (last_followup is the last "
        "date the patient was known alive) (2021-03-01)"]
    rows[3][5] = "2021-05-20"
    s, _ = validate(write_study(tmp_path / "s", yaml, patients=csv_bytes(rows)))
    assert s.patients["death_date"].notna().tolist() == [True, False, True, False]


def test_a_cutoff_given_as_a_datetime_object_keeps_its_date():
    assert parse_config({"title": "T", "drug": "d", "population": "p",
                         "data_cutoff": dt.datetime(2024, 12, 31)}).data_cutoff == \
        dt.date(2024, 12, 31)


def test_a_list_of_choices_checks_each_entry():
    from nps_report.config.kinds import Choices

    @dataclass(frozen=True)
    class Prognostic:
        endpoints: tuple[str, ...] = key(Choices(("pfs", "os")), ("pfs", "os"))

    doc = parse_yaml("endpoints: [pfs, oss]\n")
    ctx = Context(doc)
    assert read_section(Prognostic, doc.data, At(ctx)).endpoints == ("pfs",)
    assert [str(p) for p in ctx.problems] == [
        "study.yaml, line 1, key 'endpoints[2]': invalid value (found 'oss'); expected one of "
        "'pfs', 'os' (did you mean 'os'?)"]


def test_a_version_number_meant_as_text_keeps_how_it_was_typed():
    from nps_report.config.kinds import Text

    @dataclass(frozen=True)
    class Safety:
        ctcae_version: str = key(Text(), "5.0")

    doc = parse_yaml("ctcae_version: 5.0\n")
    assert read_section(Safety, doc.data, At(Context(doc))).ctcae_version == "5.0"
