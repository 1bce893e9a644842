"""An ADaM source (source: in study.yaml), on a small set built the way admiral builds one
(adamfiles.py): what is read, what is left out, and every refusal naming data set,
variable and value."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from nps_report.cli import main
from nps_report.errors import StudyError
from nps_report.pipeline import compute, validate

from .adamfiles import YAML, adae, adrs, adsl, adtte, write_adam_study

AT = "2025-01-01T00:00:00Z"
DAYS = 30.4375


def problems(folder) -> list[str]:
    with pytest.raises(StudyError) as info:
        validate(folder)
    return [str(p) for p in info.value.problems]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = write_adam_study(tmp_path_factory.mktemp("adam") / "s")
    study, endpoints = validate(folder)
    return folder, study, endpoints


def test_times_and_censoring_are_adttes_aval_and_cnsr(built):
    _, _study, endpoints = built
    tte = adtte().set_index(["USUBJID", "PARAMCD"])
    e = endpoints.patients.set_index("patient_id")
    for patient in e.index:
        for param, column in (("PFS", "pfs"), ("OS", "os")):
            record = tte.loc[(patient, param)]
            assert e.loc[patient, f"{column}_months"] == record["AVAL"] / DAYS
            assert e.loc[patient, f"{column}_event"] == (record["CNSR"] == 0)
    # admiral's AVAL counts the first day: one day more than the dates' difference
    assert e.loc["T-001", "pfs_months"] * DAYS == (
        pd.Timestamp("2021-06-21") - pd.Timestamp("2021-01-04")).days + 1


def test_the_population_flag_decides_who_is_analysed_and_arms_are_pooled(built):
    _, study, _endpoints = built
    assert study.patients["patient_id"].tolist() == [f"T-00{i}" for i in range(1, 8)]
    notice = next(n for n in study.notices if n.code == "adam_arms_pooled")
    assert notice.details == ("Drug X 10 mg: 4 patients", "Drug X 20 mg: 3 patients")


def test_best_overall_response_as_recorded(built):
    _, study, endpoints = built
    assert endpoints.patients["bor"].tolist() == ["PR", "PD", "CR", "SD", "PR", "NE", "SD"]
    assert endpoints.patients["has_post_baseline_scan"].tolist() == [
        True, True, True, True, True, False, True]
    notice = next(n for n in study.notices if n.code == "adam_response")
    assert notice.details == ("NON-CR/NON-PD, counted as SD: 1 patient",
                              "MISSING, counted as NE (not assessed): 1 patient")


def test_the_flag_decides_which_events_count_and_the_cutoff_applies_to_onsets_only(built):
    _, study, _ = built
    aes = study.adverse_events
    assert sorted(aes["term"].tolist()) == ["Diarrhoea", "Diarrhoea", "Fatigue", "Fatigue",
                                            "Fatigue", "Hypertension", "Hypertension",
                                            "Hypertension"]
    assert "Cough" not in set(aes["term"])  # before the first dose: TRTEMFL blank
    codes = {n.code for n in study.notices}
    assert {"adam_events_not_flagged", "data_cutoff_applied"} <= codes
    cut = next(n for n in study.notices if n.code == "data_cutoff_applied")
    assert cut.details == ("1 adverse event with ASTDT after the cutoff: not counted",)


def test_one_arm(tmp_path):
    yaml = YAML.replace("  population: SAFFL\n", "  population: SAFFL\n"
                        "  arm: {variable: TRT01A, value: Drug X 20 mg}\n")
    folder = write_adam_study(tmp_path / "s", yaml=yaml)
    study, _endpoints = validate(folder)
    assert study.patients["patient_id"].tolist() == ["T-005", "T-006", "T-007"]
    assert "adam_arms_pooled" not in {n.code for n in study.notices}
    assert set(study.adverse_events["patient_id"]) == {"T-005", "T-006", "T-007"}


def test_each_format_gives_the_same_results(tmp_path, built):
    _, reference = compute(built[0], AT)
    for suffix in (".parquet", ".csv"):
        _, got = compute(write_adam_study(tmp_path / suffix[1:], suffix), AT)
        assert got.to_dict()["efficacy"] == reference.to_dict()["efficacy"]
        assert got.to_dict()["survival"] == reference.to_dict()["survival"]
        assert got.to_dict()["safety"] == reference.to_dict()["safety"]


def test_results_json_names_the_source_and_a_csv_study_has_no_such_key(built):
    _, results = compute(built[0], AT)
    source = results.to_dict()["methods"]["data_source"]
    assert source["population_flag"] == "SAFFL"
    assert source["datasets"] == [["ADSL", "adam/adsl.xpt"], ["ADRS", "adam/adrs.xpt"],
                                  ["ADTTE", "adam/adtte.xpt"], ["ADAE", "adam/adae.xpt"]]
    assert set(results.to_dict()["provenance"]["inputs"]) == {
        "study.yaml", "adam/adsl.xpt", "adam/adrs.xpt", "adam/adtte.xpt", "adam/adae.xpt"}
    assert results.to_dict()["safety"]["excluded"] == {
        "before_treatment": 0, "after_window": 0, "without_onset": 0, "not_flagged": 2}
    from nps_report.paths import REFERENCE_STUDY

    _, csv = compute(REFERENCE_STUDY, AT)
    assert "data_source" not in csv.to_dict()["methods"]
    assert "not_flagged" not in csv.to_dict()["safety"]["excluded"]


def test_validate_says_where_each_number_comes_from(built, capsys):
    assert main(["validate", str(built[0])]) == 0
    out = capsys.readouterr().out
    assert "valid (7 patients and 8 adverse events counted, from the ADaM data sets in adam/)"\
        in out
    assert ("  Best overall response, ORR, DCR: adam/adrs.xpt PARAMCD, AVALC  [PARAMCD = BOR; "
            "NON-CR/NON-PD counted as SD; MISSING, NE or no record as NE]") in out
    assert ("  Progression-free survival: events, median, CI, rates: adam/adtte.xpt PARAMCD, "
            "AVAL, CNSR  [PARAMCD = PFS; CNSR = 0 is an event; AVAL in AVALU]") in out
    assert "  Table 1: Sex: adam/adsl.xpt SEX" in out


def test_without_a_duration_of_response_parameter_none_is_reported(tmp_path):
    yaml = YAML.replace("  duration_of_response: {paramcd: DOR}\n", "")
    _, results = compute(write_adam_study(tmp_path / "s", yaml=yaml), AT)
    assert results.efficacy.dor is None
    assert "adam_no_duration_of_response" in {n.code for n in results.notices}


# ---- refusals -------------------------------------------------------------------------

def test_a_missing_data_set_is_named(tmp_path):
    folder = write_adam_study(tmp_path / "s")
    (folder / "adam" / "adrs.xpt").unlink()
    assert problems(folder) == [
        "adam: ADRS not found (source.adam in study.yaml) (found 'adrs'); expected adrs.xpt "
        "(or .sas7bdat, .parquet, .csv, .rds, .rda) in this folder; a file of another name "
        "is given as adrs"]


def test_a_data_set_in_two_formats_is_refused(tmp_path):
    folder = write_adam_study(tmp_path / "s")
    write_adam_study(tmp_path / "other", ".csv")
    (tmp_path / "other" / "adam" / "adae.csv").rename(folder / "adam" / "adae.csv")
    assert problems(folder) == [
        "adam/adae.xpt: ADAE is in 2 files: adae.csv and adae.xpt; expected one file per "
        "data set: move or delete the others"]


def test_a_missing_variable_is_named_with_the_nearest(tmp_path):
    frame = adsl().rename(columns={"SAFFL": "SAFFLAG"})
    assert problems(write_adam_study(tmp_path / "s", adsl=frame)) == [
        "adam/adsl.xpt, column 'SAFFL': ADSL variable not found (source.population and "
        "source.arm in study.yaml); expected a variable of ADSL: one of 'STUDYID', 'USUBJID', "
        "'SUBJID', 'SITEID', 'SAFFLAG', 'TRT01P', 'TRT01A', 'TRTSDT', 'TRTEDT', 'DTHDT', "
        "'DTHFL', 'LSTALVDT', 'AGE', 'SEX' (did you mean 'SAFFLAG'?)"]


def test_a_paramcd_without_records_lists_the_parameters(tmp_path):
    yaml = YAML.replace("pfs: {paramcd: PFS}", "pfs: {paramcd: PFSI}")
    assert problems(write_adam_study(tmp_path / "s", yaml=yaml)) == [
        "adam/adtte.xpt, column 'PARAMCD': no records of this parameter (found 'PFSI'); "
        "expected one of 'PFS', 'OS', 'DOR' (did you mean 'PFS'?) (source.pfs in study.yaml)"]


def test_a_flag_that_is_not_y_n_or_blank_is_refused_not_read_as_no(tmp_path):
    """A "yes" would otherwise leave the patient (or the event) out without a word."""
    frame = adsl()
    frame.loc[1, "SAFFL"] = "yes"
    assert problems(write_adam_study(tmp_path / "p", adsl=frame)) == [
        "adam/adsl.xpt, row 2, column 'SAFFL': not an ADaM flag (source.population in "
        "study.yaml) (found 'yes'); expected Y, N or blank"]
    frame = adae()
    frame.loc[3, "TRTEMFL"] = "1"
    assert problems(write_adam_study(tmp_path / "e", adae=frame)) == [
        "adam/adae.xpt, row 4, column 'TRTEMFL': not an ADaM flag (source.adverse_events in "
        "study.yaml) (found '1'); expected Y, N or blank"]


def test_a_patient_outside_adsl_is_refused(tmp_path):
    frame = adae()
    frame.loc[2, "USUBJID"] = "T-099"
    assert problems(write_adam_study(tmp_path / "s", adae=frame)) == [
        "adam/adae.xpt, row 3, column 'USUBJID': a subject that is not in adam/adsl.xpt "
        "(found 'T-099'); expected every subject of ADAE in ADSL"]


def test_a_patient_analysed_without_a_pfs_record_is_refused(tmp_path):
    frame = adtte()
    frame = frame[~((frame["USUBJID"] == "T-004") & (frame["PARAMCD"] == "PFS"))]
    assert problems(write_adam_study(tmp_path / "s", adtte=frame)) == [
        "adam/adtte.xpt, column 'USUBJID': no PFS record for a patient analysed (found "
        "'T-004'); expected a record with PARAMCD PFS for every patient with SAFFL = Y"]


def test_an_unknown_response_is_named(tmp_path):
    frame = adrs()
    row = frame.index[(frame["PARAMCD"] == "BOR") & (frame["USUBJID"] == "T-002")][0]
    frame.loc[row, "AVALC"] = "PROGRESSION"
    (found,) = problems(write_adam_study(tmp_path / "s", adrs=frame))
    assert found.startswith(f"adam/adrs.xpt, row {row + 1}, column 'AVALC': not a best overall "
                            "response (found 'PROGRESSION'); expected one of 'CR', 'PR'")


def test_times_without_a_unit_are_refused(tmp_path):
    frame = adtte().drop(columns="AVALU")
    assert problems(write_adam_study(tmp_path / "s", adtte=frame)) == [
        f"adam/adtte.xpt, column 'AVALU': the unit of AVAL is not given: ADTTE has no AVALU "
        f"(found '{p}'); expected AVALU (DAYS, WEEKS, MONTHS or YEARS), or the unit in "
        f"study.yaml: {k}: {{paramcd: {p}, unit: days}}"
        for k, p in (("pfs", "PFS"), ("os", "OS"), ("duration_of_response", "DOR"))]


def test_a_unit_in_weeks_or_given_in_study_yaml(tmp_path, built):
    frame = adtte()
    frame["AVAL"] = frame["AVAL"] / 7
    frame["AVALU"] = "WEEKS"
    _, weeks = validate(write_adam_study(tmp_path / "w", adtte=frame))
    pd.testing.assert_series_equal(weeks.patients["pfs_months"], built[2].patients["pfs_months"],
                                   rtol=1e-14)
    yaml = YAML.replace("pfs: {paramcd: PFS}", "pfs: {paramcd: PFS, unit: days}")
    assert problems(write_adam_study(tmp_path / "c", yaml=yaml, adtte=frame))[0] == (
        "adam/adtte.xpt, row 1, column 'AVALU': AVALU disagrees with unit: days (source.pfs in "
        "study.yaml) (found 'WEEKS'); expected one unit: remove unit: from study.yaml where "
        "AVALU says it")


def test_an_arm_no_patient_is_in_is_refused_with_the_arms_there_are(tmp_path):
    yaml = YAML.replace("  population: SAFFL\n", "  population: SAFFL\n"
                        "  arm: {variable: TRT01A, value: Drug X 10mg}\n")
    assert problems(write_adam_study(tmp_path / "s", yaml=yaml)) == [
        "adam/adsl.xpt, column 'TRT01A': no patient of the population is in this arm (found "
        "'Drug X 10mg'); expected one of 'Drug X 10 mg', 'Drug X 20 mg' (did you mean "
        "'Drug X 10 mg'?) (source.arm in study.yaml)"]


def test_a_responder_without_a_duration_of_response_record_is_refused(tmp_path):
    frame = adtte()
    frame = frame[~((frame["USUBJID"] == "T-003") & (frame["PARAMCD"] == "DOR"))]
    assert problems(write_adam_study(tmp_path / "s", adtte=frame)) == [
        "adam/adtte.xpt, column 'USUBJID': no DOR record for a responder (found 'T-003'); "
        "expected a duration-of-response record for every patient whose best overall response "
        "is CR or PR; best overall response CR"]


def test_a_grade_that_is_not_a_grade_names_adaes_variable(tmp_path):
    frame = adae()
    frame.loc[1, "ATOXGR"] = "Grade 3"
    assert problems(write_adam_study(tmp_path / "s", adae=frame)) == [
        "adam/adae.xpt, row 2, column 'ATOXGR': not a whole number (found 'Grade 3'); "
        "expected a whole number from 1 to 5"]


def test_study_yaml_keys_of_a_source_are_checked_at_their_lines(tmp_path):
    yaml = YAML.replace("data_cutoff: 2021-12-31\n", "").replace(
        "  os: {paramcd: OS}\n", "").replace("{paramcd: BOR}", "{paramcd: BOR, derive: adtr}")
    found = problems(write_adam_study(tmp_path / "s", yaml=yaml))
    assert found == [
        "study.yaml, line 8, key 'source.response': give one of paramcd and derive; expected "
        "paramcd: BOR, paramcd: OVR, or derive: adtr",
        "study.yaml, key 'source.os': missing required key; expected os: {paramcd: OS}",
        "study.yaml, line 5, key 'data_cutoff': an ADaM source needs data_cutoff; expected "
        "the study's data cutoff, e.g. data_cutoff: 2024-12-31 (ADaM data sets do not carry "
        "it)"]


def test_an_adam_study_does_not_load_the_csv_or_package_readers_it_does_not_need(built):
    code = ("import sys; from nps_report.pipeline import validate; "
            f"validate({str(built[0])!r}); "
            "print(sorted(m for m in ('pyreadr', 'fastparquet', 'openpyxl') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# ---- init --from-adam ------------------------------------------------------------------

def test_init_from_adam_writes_a_study_yaml_that_validates(tmp_path, capsys):
    adam = write_adam_study(tmp_path / "sponsor") / "adam"
    assert main(["init", str(tmp_path / "study"), "--from-adam", str(adam)]) == 0
    text = (tmp_path / "study" / "study.yaml").read_text()
    assert f"  adam: \"{adam.resolve().as_posix()}/\"\n" in text  # outside: absolute
    assert "  population: SAFFL   # 7 patients with SAFFL = Y\n" in text
    assert ("  # 2 arms in TRT01A: Drug X 10 mg (4), Drug X 20 mg (3). Without arm: all are "
            "pooled.\n") in text
    assert "  response: {paramcd: BOR}   # CHECK: the sponsor's best overall response\n" in text
    assert "  pfs: {paramcd: PFS}   # AVALU: days\n" in text
    assert "  duration_of_response: {paramcd: DOR}   # AVALU: days\n" in text
    assert "  adverse_events: {flag: TRTEMFL, grade: ATOXGR, term: AEDECOD}\n" in text
    assert "data_cutoff: 2022-03-15   # CHECK: ADaM carries no data cutoff" in text
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "study")]) == 0
    assert "Where each reported number comes from:" in capsys.readouterr().out


def test_init_from_adam_inside_the_study_and_with_other_file_names(tmp_path):
    from nps_report.scaffold_adam import init_from_adam

    study_dir = tmp_path / "study"
    adam = write_adam_study(study_dir) / "adam"
    (study_dir / "study.yaml").unlink()  # the sponsor's folder, with the data sets in adam/
    (adam / "adrs.xpt").rename(adam / "adrs_onco.xpt")
    (adam / "adtte.xpt").rename(adam / "adtte_onco.xpt")
    frame = adtte().drop(columns="AVALU")
    from .adamfiles import write_dataset

    write_dataset(frame, adam / "adtte_onco.xpt")
    init_from_adam(study_dir, adam)
    text = (study_dir / "study.yaml").read_text()
    assert "  adam: adam/\n" in text  # inside the study: relative
    assert "  response: {paramcd: BOR, dataset: adrs_onco}" in text
    assert ("  pfs: {paramcd: PFS, unit: days, dataset: adtte_onco}   # CHECK: ADTTE has no "
            "AVALU; days assumed") in text
    validate(study_dir)
    with pytest.raises(StudyError, match=r"study\.yaml: already exists"):
        init_from_adam(study_dir, adam)


def test_the_cache_and_the_lock_see_the_adam_data_sets(tmp_path):
    from nps_report.cache import fingerprint
    from nps_report.lock import input_hashes

    folder = write_adam_study(tmp_path / "s")
    assert set(input_hashes(folder)) == {"study.yaml", "adam/adsl.xpt", "adam/adrs.xpt",
                                         "adam/adtte.xpt", "adam/adae.xpt"}
    before = fingerprint(folder).data
    frame = adae()
    frame.loc[0, "ATOXGR"] = "3"
    from .adamfiles import write_dataset

    write_dataset(frame, folder / "adam" / "adae.xpt")
    assert fingerprint(folder).data != before


def test_timepoint_responses_give_the_best_overall_response_by_the_studys_rules(tmp_path,
                                                                                  built):
    """ADRS OVR, the investigator's response per visit: BOR follows by the SD window
    (42 days) and without confirmation, as the sponsor's BOR records were derived."""
    yaml = YAML.replace("{paramcd: BOR}", "{paramcd: OVR}")
    folder = write_adam_study(tmp_path / "s", yaml=yaml)
    _study, endpoints = validate(folder)
    assert endpoints.source == "investigator"
    assert endpoints.patients["bor"].tolist() == built[2].patients["bor"].tolist()
    assert endpoints.patients["pfs_months"].tolist() == built[2].patients["pfs_months"].tolist()
    _, results = compute(folder, AT)
    assert results.methods.data_source.response == "timepoints"
    strict = yaml.replace("landmarks_months: [6]\n", "landmarks_months: [6]\n"
                          "recist: {sd_min_days: 90}\n")  # the study's rule, not ADRS BOR's
    _, later = validate(write_adam_study(tmp_path / "strict", yaml=strict))
    bor = later.patients.set_index("patient_id")["bor"]
    assert (bor["T-007"], bor["T-004"]) == ("NE", "NE")  # SD seen on day 84 only
