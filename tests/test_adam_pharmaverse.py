"""The public pharmaverse ADaM test data as a sponsor hands them over: every number ties out
to R run directly on the ADaM variables (reference/adam/expected.R, adam_expected.json).

The data sets are those of pharmaverse/pharmaverseadam (reference/adam/pharmaverse/, cut
down by subset.R): the CDISC pilot's ADSL with three arms and screen failures, ADRS with
the sponsor's best overall response, ADTTE with PFS, OS and duration of response (RSD)
in days without AVALU, and ADAE graded by severity (ASEV: MILD, MODERATE, SEVERE). They
are read as R saved them (.rds) and as SAS transport and Parquet files written from them.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from nps_report.pipeline import compute, validate

REFERENCE = Path(__file__).parent / "reference" / "adam"
EXPECTED = json.loads((REFERENCE / "adam_expected.json").read_text())
DATASETS = ("adsl", "adrs", "adtte", "adae", "adtr")
AT = "2025-01-01T00:00:00Z"


def study_yaml(cutoff: str, arms: list[str] | None) -> str:
    arm = ""
    if arms is not None:
        arm = ("  arm: {variable: TRT01A, values: [" + ", ".join(arms) + "]}\n"
               if len(arms) > 1 else f"  arm: {{variable: TRT01A, value: {arms[0]}}}\n")
    return f"""\
title: Xanomeline in the CDISC pilot study
drug: xanomeline
population: patients of the CDISC pilot study
data_cutoff: {cutoff}
landmarks_months: [6]
source:
  adam: adam/
  population: SAFFL
{arm}  response: {{paramcd: BOR}}
  pfs: {{paramcd: PFS, unit: days}}
  os: {{paramcd: OS, unit: days}}
  duration_of_response: {{paramcd: RSD, unit: days}}
  adverse_events: {{flag: TRTEMFL, grade: ASEV, term: AEDECOD}}
safety: {{grading: severity}}
baseline:
  - {{column: AGE, label: Age (years), type: continuous}}
  - {{column: SEX, label: Sex, type: categorical, levels: {{Female: [F], Male: [M]}}}}
"""


def write_as(suffix: str, folder: Path, origin: Path = REFERENCE / "pharmaverse",
             names: tuple[str, ...] = DATASETS) -> None:
    """The data sets in one format: R's own files, or written from them (date-times,
    *DTM, as date-times)."""
    folder.mkdir(parents=True)
    for name in names:
        source = origin / f"{name}.rds"
        if suffix == ".rds":
            shutil.copy(source, folder)
            continue
        import pyreadr

        with warnings.catch_warnings():  # (pyreadr's unitless NaT: see data/packages.py)
            warnings.filterwarnings("ignore", "The 'generic' unit", DeprecationWarning)
            frame = pyreadr.read_r(str(source))[None]
        dates = [c for c in frame if c.endswith("DT")]
        if suffix == ".xpt":
            import pyreadstat

            formats = {c: "DATE9." for c in dates} | {
                c: "DATETIME20." for c in frame if c.endswith("DTM")}
            pyreadstat.write_xport(frame, folder / f"{name}.xpt", table_name=name.upper(),
                                   variable_format=formats, file_format_version=5)
        else:
            for c in dates:
                frame[c] = pd.to_datetime(frame[c])
            frame.to_parquet(folder / f"{name}.parquet", engine="fastparquet", index=False)


@pytest.fixture(scope="module")
def adam_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("pharmaverse")
    out = {}
    for suffix in (".rds", ".xpt", ".parquet"):
        write_as(suffix, root / suffix[1:])
        out[suffix] = root / suffix[1:]
    return out


def study(tmp_path: Path, adam: Path, name: str) -> Path:
    scenario = EXPECTED["scenarios"][name]
    folder = tmp_path / name
    folder.mkdir()
    (folder / "study.yaml").write_text(study_yaml(scenario["data_cutoff"], scenario["arms"]))
    shutil.copytree(adam, folder / "adam")
    return folder


def close(got: float | None, want: float | None) -> bool:
    if want is None:
        return got is None
    return got is not None and got == pytest.approx(want, rel=1e-12, abs=1e-14)


def check_survival(got, want: dict) -> None:
    assert (got.n, got.n_events) == (want["n"], want["n_events"])
    for key in ("median", "ci_low", "ci_high"):
        assert close(getattr(got, key), want[key]), key
    landmark = want["landmark"]
    at = next(lm for lm in got.landmarks if lm.months == landmark["months"])
    for key in ("estimate", "ci_low", "ci_high"):
        assert close(getattr(at, key), landmark[key]), key


def check_efficacy(r, want: dict) -> None:
    """N, best overall responses, ORR and DCR with their CIs, PFS, OS and follow-up."""
    assert r.n_patients == want["n_patients"]
    assert r.efficacy.bor_counts == want["bor_counts"]
    for got, exp in ((r.efficacy.orr, want["orr"]), (r.efficacy.dcr, want["dcr"])):
        assert (got.n, got.N) == (exp["n"], exp["N"])
        assert all(close(getattr(got, k), exp[k]) for k in ("estimate", "ci_low", "ci_high"))
    check_survival(r.survival.pfs, want["pfs"])
    check_survival(r.survival.os, want["os"])
    for key, attr in (("median", "followup_median"), ("ci_low", "followup_ci_low"),
                      ("ci_high", "followup_ci_high")):
        assert close(getattr(r.survival, attr), want["followup"][key])


@pytest.mark.parametrize(("name", "suffix"), [
    ("pooled", ".rds"), ("pooled", ".xpt"), ("pooled", ".parquet"),
    ("placebo", ".xpt"), ("xanomeline", ".parquet")])
def test_every_number_ties_out_to_r_on_the_adam_variables(tmp_path, adam_folders, name,
                                                          suffix):
    want = EXPECTED["scenarios"][name]
    _, r = compute(study(tmp_path, adam_folders[suffix], name), AT)
    check_efficacy(r, want)
    check_survival(r.efficacy.dor, want["dor"])
    ae = want["adverse_events"]
    assert (r.safety.n_any, r.safety.n_grade3plus) == (ae["n_any"], ae["n_severe"])
    got_terms = {row.term.casefold(): (row.any, row.grade1, row.grade2, row.grade3)
                 for row in r.safety.all_terms}  # (printed in CTCAE's or sentence case)
    assert got_terms == {t["term"].casefold(): (t["any"], t["grade1"], t["grade2"],
                                                t["grade3"]) for t in ae["terms"]}


def test_the_times_are_adttes_not_re_derived_from_dates(tmp_path, adam_folders):
    """The issue's example: median PFS is the sponsor's 2.10 months (64 days as AVAL),
    where dates alone give one day fewer (2.07)."""
    _, r = compute(study(tmp_path, adam_folders[".xpt"], "pooled"), AT)
    assert r.survival.pfs.median == pytest.approx(64 / 30.4375)
    assert r.methods.data_source is not None
    assert r.methods.data_source.time_units == ("days",)
    assert r.methods.data_source.arms == ("Placebo", "Xanomeline High Dose",
                                          "Xanomeline Low Dose")


def test_recist_from_adtr_lesions_finds_the_sponsors_responses(tmp_path, adam_folders):
    """derive: adtr: RECIST 1.1 from ADTR's target lesions, lymph nodes by their short axis
    (NLDIAMn). The six patients with lesions get the best overall response the sponsor
    recorded in ADRS, including 01-701-1015's and 01-701-1115's complete responses, whose
    target sums stay above 0 mm because a lymph node under 10 mm short axis is normal."""
    folder = study(tmp_path, adam_folders[".xpt"], "pooled")
    yaml = (folder / "study.yaml").read_text()
    yaml = yaml.replace("{paramcd: BOR}", "{derive: adtr}").replace(
        "  duration_of_response: {paramcd: RSD, unit: days}\n", "")
    (folder / "study.yaml").write_text(yaml)
    study_, endpoints = validate(folder)
    e = endpoints.patients.set_index("patient_id")
    measured = e[e["has_post_baseline_scan"]]
    sponsor = {"01-701-1015": "CR", "01-701-1028": "PD", "01-701-1115": "CR",
               "01-701-1118": "PR", "01-701-1130": "SD", "01-701-1133": "CR"}
    assert measured["bor"].to_dict() == sponsor
    assert endpoints.lesion_level and study_.lesions is not None
    assert measured["best_pct_change"].notna().all()  # the waterfall has its bars
    _, r = compute(folder, AT)
    assert r.methods.data_source.response == "lesions"
    assert r.efficacy.bor_counts == {"CR": 3, "PR": 1, "SD": 1, "PD": 1, "NE": 248}


def test_init_from_adam_on_the_public_data_validates_as_written(tmp_path, adam_folders):
    from nps_report.scaffold_adam import init_from_adam

    init_from_adam(tmp_path / "study", adam_folders[".xpt"])
    text = (tmp_path / "study" / "study.yaml").read_text()
    assert "  adverse_events: {flag: TRTEMFL, grade: ASEV, term: AEDECOD}\n" in text
    assert "  grading: severity" in text
    assert "  duration_of_response: {paramcd: RSD, unit: days}" in text
    study_, _ = validate(tmp_path / "study")
    assert len(study_.patients) == EXPECTED["scenarios"]["pooled"]["n_patients"]


def test_the_manuscript_states_the_source_and_its_conventions(tmp_path, adam_folders):
    """The Methods as the build writes them (the documents' prose, without rendering)."""
    from nps_report.build import build

    out = build(study(tmp_path, adam_folders[".xpt"], "placebo"), tmp_path / "out",
                built_at=AT)
    from pypdf import PdfReader

    text = " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(out.out_dir / "manuscript.pdf").pages)
    # compared without spaces: pypdf before 7 reads gaps the PDF does not have, inside
    # kerned words ("A V AL") and before a full stop after another font ("ASEV .")
    text = re.sub(r"\s+", "", text)
    for sentence in (
            "The data were the sponsor's CDISC ADaM data sets (ADSL, ADRS, ADTTE and ADAE), "
            "analyzed as the sponsor had derived them.",
            "The analysis population comprised the patients with SAFFL = “Y” in ADSL in the "
            "arm Placebo (TRT01A).",
            "The best overall response was taken as recorded in ADRS (parameter BOR)",
            "Adverse events were those flagged TRTEMFL = “Y” in ADAE (treatment-emergent), "
            "with the term AEDECOD and the severity ASEV.",
            "were the times and censoring the sponsor derived in ADTTE (parameters PFS, OS and "
            "RSD: the analysis value AVAL, with CNSR = 0 an event and any other value "
            "censored), used without re-derivation; times were recorded in days.",
            "Adverse events with onset after the data cutoff (30 June 2014) were not counted"):
        assert re.sub(r"\s+", "", sentence) in text, sentence
    assert "censoredattheirlasttumorassessment" not in text  # not our derivation


# ---- random.cdisc.data: CTCAE grades, AVALU, date-times only -------------------------------

RANDOM = REFERENCE / "random_cdisc"
RANDOM_EXPECTED = json.loads((RANDOM / "expected.json").read_text())
RANDOM_YAML = """\
title: Drug X in the random.cdisc.data study
drug: drug X
population: patients of the random.cdisc.data study
data_cutoff: {cutoff}
landmarks_months: [6]
source:
  adam: adam/
  population: SAFFL
{arm}  response: {{paramcd: BESRSPI}}
  pfs: {{paramcd: PFS}}
  os: {{paramcd: OS}}
  adverse_events: {{flag: TRTEMFL, grade: AETOXGR, term: AEDECOD}}
baseline:
  - {{column: AGE, label: Age (years), type: continuous}}
"""


@pytest.mark.parametrize(("name", "suffix"), [("pooled", ".xpt"), ("drug_x", ".parquet")])
def test_a_ctcae_graded_source_with_date_times_ties_out_to_r(tmp_path, name, suffix):
    """random.cdisc.data (R tern's example data): ADSL holds the first dose only as TRTSDTM
    and ADAE the onset only as ASTDTM, read as their dates; AVALU gives DAYS; the best
    overall response is PARAMCD BESRSPI; AETOXGR grades 1-5 (expected.R beside the data)."""
    want = RANDOM_EXPECTED["scenarios"][name]
    folder = tmp_path / name
    write_as(suffix, folder / "adam", RANDOM, ("adsl", "adrs", "adtte", "adae"))
    arm = ("" if want["arms"] is None
           else f"  arm: {{variable: TRT01A, value: '{want['arms'][0]}'}}\n")
    (folder / "study.yaml").write_text(RANDOM_YAML.format(cutoff=want["data_cutoff"], arm=arm))
    _, r = compute(folder, AT)
    check_efficacy(r, want)
    ae = want["adverse_events"]
    assert (r.safety.n_any, r.safety.n_grade3plus, r.safety.max_grade) == (
        ae["n_any"], ae["n_grade3plus"], ae["max_grade"])
    assert {row.term.casefold(): (row.any, *(getattr(row, f"grade{g}") for g in range(1, 6)))
            for row in r.safety.all_terms} == {
        t["term"].casefold(): (t["any"], *(t[f"grade{g}"] for g in range(1, 6)))
        for t in ae["terms"]}


def test_init_from_adam_finds_a_best_response_and_times_by_their_labels(tmp_path):
    """random.cdisc.data names its best overall response BESRSPI and its duration of
    response CRSD; init finds them by PARAM and reads each parameter's own AVALU."""
    from nps_report.scaffold_adam import init_from_adam

    write_as(".xpt", tmp_path / "adam", RANDOM, ("adsl", "adrs", "adtte", "adae"))
    init_from_adam(tmp_path / "study", tmp_path / "adam")
    text = (tmp_path / "study" / "study.yaml").read_text()
    for line in ("  response: {paramcd: BESRSPI}   # CHECK: the sponsor's best overall response",
                 "  pfs: {paramcd: PFS}   # AVALU: days\n",
                 "  duration_of_response: {paramcd: CRSD}   # AVALU: days\n",
                 "  adverse_events: {flag: TRTEMFL, grade: AETOXGR, term: AEDECOD}\n",
                 "  ctcae_version: \"5.0\""):
        assert line in text, line
