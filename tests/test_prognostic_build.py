"""study.yaml's `prognostic` block through the whole build: results.json, tables, figures, text.

results.json holds the contract's keys (checked against the contract's own lines) and
exactly the engine's numbers (R-checked in test_prognostic_against_r.py), for a
generated study and for R's veteran data built as a study folder, where they are
checked against R again; the Cox and response tables key and print them; the figures
draw them; the Results and Methods text states them with their caveats; a changed HR
is in the change report; and a study without the block builds as before, without
lifelines.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nps_report.analysis.prognostic import analyse_prognostic
from nps_report.build import build
from nps_report.cli import main
from nps_report.codec import encode
from nps_report.compare import compare_builds, load_build
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute, validate
from nps_report.present import fmt, formats
from nps_report.present.catalogue import CATALOGUE
from nps_report.results import Results
from nps_report.synthetic import write_study

ROOT = Path(__file__).resolve().parent.parent
REF = Path(__file__).parent / "reference"
CONTRACT = ROOT.parent / "shared" / "spec" / "study-contract.md"
AT = "2025-01-01T00:00:00Z"
# study-contract.md, section 3, as written there (checked against the file when it is here)
CONTRACT_KEYS = """\
prognostic.{pfs,os}.univariable[].{factor, level, reference, n, n_events, hr, ci_low, ci_high, p}
prognostic.{pfs,os}.logrank[].{factor, chisq, df, p}             (categorical and yes/no factors)
prognostic.{pfs,os}.multivariable[].{factor, level, reference, hr, ci_low, ci_high, p}
response_by_factor[].{factor, level, n, responders, estimate, ci_low, ci_high, p}
"""
PROGNOSTIC_TABLES = ("cox_pfs", "cox_os", "response_by_factor")
PROGNOSTIC_FIGURES = ("forest_hr", "km_factors", "forest_orr")


# ---------------------------------------------------------------- study folders
def with_prognostic(folder: Path, block: dict, n: int = 80, seed: int = 5) -> Path:
    """A synthetic study (age, sex, ECOG, liver and lung metastases) with `block`."""
    study = write_study(folder, n, seed=seed)
    config = yaml.safe_load((study / "study.yaml").read_text())
    config["prognostic"] = block
    (study / "study.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return study


def veteran_study(folder: Path) -> Path:
    """R's survival::veteran as a study folder: OS from the days as dates, no scans, no
    adverse events; its factors in Table 1 and in the prognostic block (the R export's
    manifest: tests/reference/prognostic/factors.csv)."""
    folder.mkdir(parents=True)
    start = dt.date(2000, 1, 3)
    with open(REF / "prognostic" / "veteran.csv") as fh:
        rows = list(csv.DictReader(fh))
    with open(folder / "patients.csv", "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["patient_id", "treatment_start", "treatment_end", "cycles",
                      "progression_date", "death_date", "last_followup", "celltype", "trt",
                      "prior", "karno", "age", "diagtime"])
        for r in rows:
            end = (start + dt.timedelta(days=int(r["os_days"]))).isoformat()
            out.writerow([r["patient_id"], start.isoformat(), end, 1, "",
                          end if r["os_event"] == "1" else "", end, r["celltype"], r["trt"],
                          r["prior"], r["karno"], r["age"], r["diagtime"]])
    (folder / "tumor_assessments.csv").write_text(
        "patient_id,assessment_date,target_sum_mm,nontarget,new_lesions\n")
    (folder / "adverse_events.csv").write_text("patient_id,term,grade\n")
    (folder / "study.yaml").write_text("""\
title: Veterans' Administration lung cancer trial
drug: chemotherapy
population: patients with advanced inoperable lung cancer
baseline:
  - {column: celltype, label: Cell type, type: categorical,
     levels: [squamous, smallcell, adeno, large]}
  - {column: trt, label: Treatment, type: categorical, levels: [standard, test]}
  - {label: Prior therapy, type: multi, columns: {prior: Any}}
  - {column: karno, label: Karnofsky performance score, type: continuous}
  - {column: age, label: Age (years), type: continuous}
  - {column: diagtime, label: Time from diagnosis (months), type: continuous}
prognostic:
  endpoints: [os]
  factors: [celltype, trt, prior, karno, age, diagtime]
  multivariable: [celltype, trt, prior, karno, age]
""")
    return folder


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = build(REFERENCE_STUDY, tmp_path_factory.mktemp("ref") / "out", built_at=AT)
    return out.out_dir, out.results


@pytest.fixture(scope="module")
def veteran(tmp_path_factory):
    study = veteran_study(tmp_path_factory.mktemp("vet") / "study")
    return build(study, study.parent / "out", built_at=AT).out_dir


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    block = {"factors": ["ecog", "met_liver", "age", "sex"],
             "multivariable": ["ecog", "met_liver", "age"]}
    study = with_prognostic(tmp_path_factory.mktemp("gen") / "study", block)
    return study, build(study, study.parent / "out", built_at=AT).out_dir


def results_json(out: Path) -> dict:
    return json.loads((out / "results.json").read_text())


# ---------------------------------------------------------------- results.json
def contract_paths() -> list[tuple[str, str, tuple[str, ...]]]:
    """(endpoint or '', list key, row keys) from the contract's lines."""
    out = []
    for line in CONTRACT_KEYS.splitlines():
        m = re.match(r"^(prognostic\.\{pfs,os\}\.)?(\w+)\[\]\.\{([^}]*)\}", line)
        assert m, line
        keys = tuple(k.strip() for k in m.group(3).split(","))
        for ep in (("pfs", "os") if m.group(1) else ("",)):
            out.append((ep, m.group(2), keys))
    return out


def test_the_contract_lines_quoted_here_are_the_contracts():
    if not CONTRACT.is_file():
        pytest.skip("the project workspace's shared/spec is not beside this checkout")
    text = CONTRACT.read_text(encoding="utf-8")
    for line in CONTRACT_KEYS.splitlines():
        assert line in text, line


def test_results_json_holds_the_contracts_prognostic_keys(reference):
    out, _ = reference
    d = results_json(out)
    for ep, name, keys in contract_paths():
        rows = d["prognostic"][ep][name] if ep else d[name]
        assert rows, (ep, name)
        for row in rows:
            assert tuple(row) == keys, (ep, name, tuple(row))
    uni = d["prognostic"]["os"]["univariable"]
    age = next(r for r in uni if r["factor"] == "age")
    assert (age["level"], age["reference"]) == (None, None)  # continuous: per unit
    # one response row per level of each categorical or yes/no factor, p repeated
    ecog = [r for r in d["response_by_factor"] if r["factor"] == "ecog"]
    assert [r["level"] for r in ecog] == ["0-1", "2"] and ecog[0]["p"] == ecog[1]["p"]
    assert not any(r["factor"] == "age" for r in d["response_by_factor"])
    assert [r["factor"] for r in d["prognostic"]["pfs"]["logrank"]] == [
        "ecog", "platinum_refractory", "met_liver"]


def test_results_json_numbers_are_the_engines_for_a_generated_study(generated):
    study, out = generated
    s, endpoints = validate(study)
    p = s.config.prognostic
    analysis = analyse_prognostic(endpoints.patients, s.patients, s.config.baseline, p.columns,
                                  p.multivariable, endpoint_names=p.endpoints,
                                  references=p.references,
                                  ci_method=s.config.ci.proportion, level=s.config.ci.level,
                                  km_method=s.config.ci.km)
    d = results_json(out)
    # JSON floats are repr()'s: the very doubles the engine computed
    assert d["prognostic"] == json.loads(json.dumps(encode(analysis.prognostic)))
    assert d["response_by_factor"] == json.loads(json.dumps(encode(analysis.response_by_factor)))
    assert Results.from_dict(d).prognostic == analysis.prognostic
    assert [n["code"] for n in d["notices"] if n["code"].startswith("prognostic")] == [
        n.code for n in analysis.notices]


def close(actual, expected) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and math.isclose(actual, expected, rel_tol=1e-6, abs_tol=1e-9)


def test_veteran_data_built_as_a_study_give_r_numbers(veteran):
    expected = json.loads((REF / "prognostic_expected.json").read_text())
    r = expected["datasets"]["veteran"]["0.95"]["os"]
    d = results_json(veteran)["prognostic"]
    assert d["pfs"] is None or "pfs" not in d
    os_ = d["os"]
    want = [row for block in r["univariable"].values() for row in block["rows"]]
    assert len(os_["univariable"]) == len(want) == 8
    for got, exp in zip(os_["univariable"], want, strict=True):
        assert (got["factor"], got["level"], got["reference"], got["n"], got["n_events"]) == (
            exp["factor"], exp["level"], exp["reference"], exp["n"], exp["n_events"])
        for key in ("hr", "ci_low", "ci_high", "p"):
            assert close(got[key], exp[key]), (got["factor"], got["level"], key)
    multi = r["multivariable"]["rows"]
    assert [(g["factor"], g["level"]) for g in os_["multivariable"]] == [
        (e["factor"], e["level"]) for e in multi]
    for got, exp in zip(os_["multivariable"], multi, strict=True):
        for key in ("hr", "ci_low", "ci_high", "p"):
            assert close(got[key], exp[key]), (got["factor"], got["level"], key)
    assert [g["factor"] for g in os_["logrank"]] == ["celltype", "trt", "prior"]
    for got in os_["logrank"]:
        exp = r["logrank"][got["factor"]]
        assert got["df"] == exp["df"] and close(got["chisq"], exp["chisq"]) and \
            close(got["p"], exp["p"])
    model = next(m for m in os_["models"] if m["kind"] == "multivariable")
    assert (model["n"], model["n_events"]) == (r["multivariable"]["n"],
                                             r["multivariable"]["n_events"])


def test_veteran_study_shows_os_only_and_no_response_test(veteran):
    tables = sorted(p.stem for p in (veteran / "tables").glob("*.csv"))
    assert "cox_os" in tables and "cox_pfs" not in tables
    figures = {p.stem for p in (veteran / "figures").glob("*.png")}
    assert {"forest_hr", "km_os_celltype", "km_os_trt", "km_os_prior"} <= figures
    assert not any(f.startswith(("forest_hr_pfs", "km_pfs_")) for f in figures)
    # no scans: every patient NE, no responder; Fisher's test of a table with one column
    response = results_json(veteran)["response_by_factor"]
    assert {r["responders"] for r in response} == {0}


# ---------------------------------------------------------------- tables
def csv_rows(out: Path, key: str) -> list[list[str]]:
    with open(out / "tables" / f"{key}.csv", newline="") as fh:
        return list(csv.reader(fh))


def test_cox_table_sets_both_models_side_by_side_with_reference_rows(reference):
    out, results = reference
    rows = csv_rows(out, "cox_os")
    assert rows[0] == ["Factor", "n", "Events", "HR (95% CI), univariable", "p",
                       "HR (95% CI), multivariable", "p"]
    os_ = results.prognostic.os
    curve = os_.curve("ecog")
    uni = next(r for r in os_.univariable if r.name == "ecog=2")
    multi = next(r for r in os_.multivariable if r.name == "ecog=2")
    ref, two = curve.level("0-1"), curve.level("2")
    assert rows[1:4] == [
        ["ECOG performance status", "", "", "", "", "", ""],
        ["  0–1", str(ref.n), str(ref.n_events), "Reference", "", "Reference", ""],
        ["  2", str(two.n), str(two.n_events),
         formats.cell("hr_ci", uni), fmt.fmt_p(uni.p),
         formats.cell("hr_ci", multi), fmt.fmt_p(multi.p)]]
    liver = rows.index(["Metastatic sites: Liver", "", "", "", "", "", ""])
    assert rows[liver + 1][3:] == ["Reference", "", "", ""]  # not in the multivariable model
    age = next(r for r in os_.univariable if r.factor == "age")
    assert rows[-1] == ["Age, per year", "30", str(age.n_events),
                        formats.cell("hr_ci", age), fmt.fmt_p(age.p), "", ""]


def test_cox_table_cells_are_keyed_by_the_results_value_they_print(reference):
    _, results = reference
    table = CATALOGUE.table("cox_pfs").build(results, fmt.DEFAULT)
    keyed = {str(key): (label, text) for key, label, text in table.keyed_cells()}
    row = next(r for r in results.prognostic.pfs.univariable if r.name == "platinum_refractory=No")
    assert keyed["prognostic.pfs.univariable[platinum_refractory=No]:hr_ci"] == (
        "Platinum-refractory disease: No, univariable HR (95% CI)", formats.cell("hr_ci", row))
    assert keyed["prognostic.pfs.univariable[platinum_refractory=No].p:p"][0] == \
        "Platinum-refractory disease: No, univariable p"
    assert keyed["prognostic.pfs.multivariable[ecog=2].p:p"][0] == \
        "ECOG performance status: 2, multivariable p"
    assert keyed["prognostic.pfs.curves[ecog].levels[0-1].n:count"] == (
        "ECOG performance status: 0–1, n", "24")


def test_response_table_gives_rates_with_the_studys_ci_and_fisher_p_per_factor(reference):
    out, results = reference
    rows = csv_rows(out, "response_by_factor")
    assert rows[0] == ["Factor", "n", "Responders", "ORR, % (95% CI)", "p"]
    ecog = [r for r in results.response_by_factor if r.factor == "ecog"]
    assert rows[1] == ["ECOG performance status", "", "", "", fmt.fmt_p(ecog[0].p)]
    assert rows[2] == ["  0–1", str(ecog[0].n), str(ecog[0].responders),
                       f"{fmt.fmt_pct(ecog[0].estimate)} "
                       f"({fmt.fmt_pct_range(ecog[0].ci_low, ecog[0].ci_high)})", ""]
    assert results.methods.proportion_ci == "t"  # the reference study's t intervals
    assert ecog[0].ci_low == pytest.approx(0.005913902640109908)


@pytest.fixture(scope="module")
def caveats(tmp_path_factory):
    """A study whose factors hit every caveat: a level without events (not estimable),
    missing values, few events per coefficient."""
    folder = tmp_path_factory.mktemp("caveats") / "study"
    study = write_study(folder, 40, seed=11)
    with open(study / "patients.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    cols = {c: i for i, c in enumerate(head)}
    head.append("marker")
    for i, r in enumerate(rows[1:]):
        censored = not r[cols["progression_date"]] and not r[cols["death_date"]]
        r.append("yes" if censored else "no")
        if i < 3:
            r[cols["ecog"]] = ""  # missing: left out of ECOG's analyses
    with open(study / "patients.csv", "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    config = yaml.safe_load((study / "study.yaml").read_text())
    config["baseline"].append({"label": "Biomarker", "type": "multi",
                               "columns": {"marker": "Marker"}})
    config["prognostic"] = {"endpoints": ["pfs"], "factors": ["ecog", "marker", "met_liver"],
                            "multivariable": ["ecog", "met_liver", "age", "sex"]}
    (study / "study.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return study, build(study, folder.parent / "out", built_at=AT)


def test_a_hazard_ratio_without_an_estimate_is_ne_with_a_footnote_saying_why(caveats):
    _, built = caveats
    out = built.out_dir
    rows = csv_rows(out, "cox_pfs")
    marker = rows.index(["Biomarker: Marker", "", "", "", "", "", ""])
    yes = rows[marker + 2]
    assert yes[0] == "  Yes" and yes[2] == "0" and yes[3:5] == ["NE", "–"]
    from tests.test_documents import pdf_text
    text = pdf_text(out / "manuscript.pdf")
    assert "NE for biomarker: marker (yes) in the univariable model: no events in level " \
           "'yes'." in text
    assert "The univariable HR for biomarker: marker (yes) could not be estimated: no " \
           "events in level 'yes'." in text
    assert "NE, not estimable" in text


def test_caveats_are_stated_in_the_text_and_printed_as_notes(caveats, capsys):
    study, built = caveats
    results = built.results
    model = results.prognostic.pfs.model("multivariable")
    assert "low_epv" in model.warnings and model.n_excluded == 3
    from tests.test_documents import pdf_text
    text = pdf_text(built.out_dir / "manuscript.pdf")
    epv = fmt.fmt_auto(model.events_per_parameter)
    assert (f"With {epv} events per estimated coefficient, fewer than 10, the multivariable "
            "estimates may be biased and their CIs unreliable.") in text
    assert "Three patients with a missing value of one of its factors were left out of the " \
           "multivariable model." in text
    codes = [n.code for n in results.notices]
    assert {"prognostic_missing_values", "prognostic_not_estimable",
            "prognostic_low_events_per_parameter"} <= set(codes)
    assert main(["build", str(study), "--out", str(study.parent / "cli")]) == 0
    printed = capsys.readouterr().out
    assert "Note: Some hazard ratios cannot be estimated" in printed
    assert "Note: Patients with a missing value of a factor were left out" in printed


# ---------------------------------------------------------------- figures
def test_figures_draw_the_results_numbers(reference):
    _, results = reference
    from nps_report.config import FigureConfig
    from nps_report.figures.prognostic import (
        hr_forest_figure,
        km_factor_figure,
        orr_forest_figure,
    )
    from nps_report.present.figures.forest_hr import hr_axis

    def gid(fig, name):
        (found,) = [a for a in fig.findobj() if a.get_gid() == name]
        return found

    p = results.prognostic
    for ep in ("pfs", "os"):
        fig = hr_forest_figure(results, FigureConfig(), ep)
        ax = fig.axes[0]
        assert ax.get_xlim() == pytest.approx(hr_axis(p))  # both panels on one axis
        for series, rows in ((0, p.endpoint(ep).univariable), (1, p.endpoint(ep).multivariable)):
            for r in rows:
                key = r.factor if r.level is None else f"{r.factor}:{r.level}"
                point = gid(fig, f"hr-forest-{ep}-point-{series}-{key}")
                low, high = hr_axis(p)
                assert point.get_xdata()[0] == min(max(r.hr, low), high)
        label = {"pfs": "Progression-free survival", "os": "Overall survival"}[ep]
        assert gid(fig, f"hr-forest-{ep}-head-label").get_text() == label
    fig = km_factor_figure(results, FigureConfig(), "os", "platinum_refractory")
    curve, test = p.os.curve("platinum_refractory"), p.os.logrank[1]
    assert gid(fig, "km-os-platinum_refractory-logrank").get_text() == (
        f"Platinum-refractory disease\nLog-rank {formats.prose('p_value', test.p)}")
    line = gid(fig, "km-os-platinum_refractory-curve-1")
    assert list(line.get_ydata())[2::2] == list(curve.level("No").surv)
    at_risk = [gid(fig, f"km-os-platinum_refractory-at-risk-0-{k}").get_text()
               for k in range(len(curve.ticks))]
    assert at_risk == [str(n) for n in curve.level("Yes").at_risk]
    fig = orr_forest_figure(results, FigureConfig())
    assert gid(fig, "orr-forest-overall-line").get_xdata()[0] == pytest.approx(
        results.efficacy.orr.estimate * 100)


def test_km_by_factor_panels_are_a_row_per_factor_pfs_left_os_right(reference):
    _, results = reference
    panels = CATALOGUE.figure("km_factors").panels(results, None)
    assert [p.key for p in panels] == [f"km_{ep}_{f}" for f in ("ecog", "platinum_refractory",
                                                               "met_liver") for ep in ("pfs", "os")]
    assert CATALOGUE.figure("km_factors").columns == 2


def test_every_prognostic_figure_is_written_in_the_journals_formats(reference):
    out, _ = reference  # Radiology and Oncology takes TIFF and PDF, not SVG
    for name in (*PROGNOSTIC_FIGURES, "forest_hr_pfs", "forest_hr_os", "km_os_met_liver"):
        for ext in ("png", "tiff", "pdf"):
            assert (out / "figures" / f"{name}.{ext}").is_file(), (name, ext)
        assert not (out / "figures" / f"{name}.svg").exists(), name


# ---------------------------------------------------------------- text
def test_results_and_methods_state_what_was_tested_with_estimates_and_cis(reference):
    out, results = reference
    from tests.test_documents import docx_text, pdf_text
    p = results.prognostic
    ecog = next(r for r in p.pfs.univariable if r.name == "ecog=2")
    hr = formats.prose("hr_ci", ecog, 0.95)
    lr = p.os.logrank[0]
    for text in (pdf_text(out / "manuscript.pdf"), docx_text(out / "manuscript.docx")):
        assert (f"Univariable Cox models of PFS (Table 4; Figure 7A) gave the following HRs: "
                f"ECOG performance status (2 versus 0–1), {hr};") in text
        assert "In the multivariable model of ECOG performance status and platinum-" \
               "refractory disease (30 patients, 26 events), the HRs were:" in text
        assert (f"Log-rank tests of OS across the levels of each factor (Figure 8) gave "
                f"{formats.prose('p_value', lr.p)} for ECOG performance status") in text
        assert "Associations between baseline factors and PFS and OS were examined in " \
               "exploratory analyses: a univariable Cox proportional-hazards model for each of " \
               "ECOG performance status, platinum-refractory disease, metastatic sites: liver " \
               "and age, and one multivariable model holding ECOG performance status and " \
               "platinum-refractory disease together." in text
        assert "No adjustment was made for multiple testing." in text
        assert "lifelines 0.30" in text or "lifelines " in text
        assert not re.search(r"\bsignifican", text, re.IGNORECASE)


def test_lifelines_is_named_in_the_software_only_when_it_fitted(reference, tmp_path):
    _, results = reference
    assert "lifelines" in dict(results.methods.software)
    _, plain = compute(ROOT / "tests" / "studies" / "small", AT)
    assert "lifelines" not in dict(plain.methods.software)


def test_only_os_gives_one_cox_table_that_says_the_methods(tmp_path):
    study = with_prognostic(tmp_path / "s", {"endpoints": ["os"], "factors": ["age"]})
    out = build(study, tmp_path / "out", built_at=AT)
    tables = {p.stem for p in (out.out_dir / "tables").glob("*.csv")}
    assert "cox_os" in tables and not tables & {"cox_pfs", "response_by_factor"}
    from tests.test_documents import pdf_text
    text = pdf_text(out.out_dir / "manuscript.pdf")
    assert "Associations between baseline factors and OS were examined" in text
    assert "log-rank" not in text  # a continuous factor has no log-rank test or curves
    # the abstract says the analysis was done, and for which endpoint
    assert "Associations of baseline factors with OS were explored with Cox " \
           "proportional-hazards models." in text
    assert not (out.out_dir / "figures" / "km_factors.png").exists()


# ---------------------------------------------------------------- change report
def test_a_changed_hazard_ratio_shows_in_the_change_report(reference, tmp_path):
    old, _ = reference
    study = shutil.copytree(REFERENCE_STUDY, tmp_path / "study")
    patients = (study / "patients.csv").read_text().splitlines()
    head = patients[0].split(",")
    col = head.index("platinum_refractory")
    first = patients[1].split(",")
    first[col] = "No" if first[col] == "Yes" else "Yes"
    patients[1] = ",".join(first)
    (study / "patients.csv").write_text("\n".join(patients) + "\n")
    new = build(study, tmp_path / "new", built_at=AT).out_dir
    report = compare_builds(load_build(old), load_build(new), tmp_path, built_at=AT).report
    changed = {(c.section, c.item) for c in report.of("number")}
    assert ("Cox regression, OS", "Platinum-refractory disease: No, univariable HR (95% CI)") \
        in changed
    assert ("Response by factor", "Platinum-refractory disease: Yes, n") in changed
    assert any(s == "Prognostic factors" and "log-rank" in item for s, item in changed)


# ---------------------------------------------------------------- without prognostic
def test_a_study_without_prognostic_has_neither_key_nor_its_outputs(tmp_path):
    out = build(ROOT / "tests" / "studies" / "small", tmp_path / "out", built_at=AT).out_dir
    d = results_json(out)
    assert "prognostic" not in d and "response_by_factor" not in d
    assert sorted(p.stem for p in (out / "tables").glob("*.csv")) == [
        "adverse_events", "baseline", "efficacy", "patient_endpoints", "patient_timepoints"]
    assert sorted(p.stem for p in (out / "figures").glob("*.png")) == [
        "figure1", "figure2", "km_os", "km_pfs", "spider", "swimmer", "waterfall"]
    assert Results.from_dict(d).prognostic is None
    from tests.test_documents import pdf_text
    text = pdf_text(out / "manuscript.pdf")
    assert "Prognostic factors" not in text and "hazard ratio" not in text.lower()


def imported_after_compute(study: Path) -> bool:
    probe = (f"import sys; from nps_report.pipeline import compute; "
             f"compute({str(study)!r}, 'x'); print('lifelines' in sys.modules)")
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True).stdout.strip() == "True"


def test_lifelines_is_loaded_only_for_a_study_with_prognostic():
    assert not imported_after_compute(ROOT / "tests" / "studies" / "small")
    assert imported_after_compute(REFERENCE_STUDY)


def test_a_doubtful_proportional_hazards_assumption_is_said_where_the_hr_is(tmp_path):
    from tests.test_prose import prose

    study = shutil.copytree(REFERENCE_STUDY, tmp_path / "study")
    text = (study / "study.yaml").read_text()
    (study / "study.yaml").write_text(text.replace(
        "multivariable: [ecog, platinum_refractory]",
        "multivariable: [ecog, platinum_refractory, met_liver]"))
    s, results = compute(study, AT)
    model = results.prognostic.pfs.model("multivariable")
    (ph,) = [t for t in model.ph if t.term == "met_liver"]
    assert ph.p < 0.05 and "ph_doubtful" in model.warnings
    said = prose(results, s.config, "tables/cox_pfs.md.j2", "results")
    assert ("The proportional-hazards assumption may not hold for metastatic sites: liver in "
            "the multivariable model (Grambsch–Therneau test, "
            f"{formats.prose('p_value', ph.p)}), so its "
            "HR may average an effect that changes over time.") in said
    notes = prose(results, s.config, "tables/cox_pfs.md.j2", "notes")
    assert "Proportional hazards may not hold for metastatic sites: liver in the " \
           "multivariable model" in notes
    assert any(n.code == "prognostic_ph_doubtful" for n in results.notices)


@pytest.mark.parametrize(("block", "message"), [
    ("prognostic:\n  factors: [ecgo]\n",
     "study.yaml, line {line}, key 'prognostic.factors[1]': not a column of a categorical, "
     "yes/no or continuous baseline row (found 'ecgo'); expected one of 'age', 'sex', 'ecog', "
     "'met_liver', 'met_lung' (did you mean 'ecog'?)"),
    ("prognostic:\n  factors: [ecog, age]\n  multivariable: [ecog]\n",
     "study.yaml, line {line2}, key 'prognostic.multivariable': a multivariable model needs at "
     "least two factors (found ['ecog']); expected two or more factors, e.g. [ecog, met_liver], "
     "or no multivariable key (each factor has its univariable model)"),
    ("prognostic:\n  endpoints: [pfs]\n",
     "study.yaml, line {line0}, key 'prognostic.factors': no factors given; expected a list of "
     "columns of baseline rows, e.g. [ecog, met_liver, age]"),
    ("prognostic:\n  factors: [ecog, ecog]\n",
     "study.yaml, line {line}, key 'prognostic.factors[2]': factor listed twice (found 'ecog'); "
     "expected each factor once"),
])
def test_a_prognostic_block_is_checked_against_baseline_when_read(tmp_path, block, message):
    study = write_study(tmp_path / "s", 10, seed=1)
    text = (study / "study.yaml").read_text()
    (study / "study.yaml").write_text(text + block)
    first = len(text.splitlines()) + 1  # the `prognostic:` line
    from nps_report.errors import StudyError

    with pytest.raises(StudyError) as err:
        validate(study)
    assert [str(p) for p in err.value.problems] == [
        message.format(line0=first, line=first + 1, line2=first + 2)]


def test_every_number_of_the_prognostic_text_is_bound_to_its_key(caveats, tmp_path):
    from tests.test_bindings import LITERAL, generated_runs, manuscript

    study, _ = caveats
    results, ms = manuscript(study, tmp_path)
    loose = [r.text for r in generated_runs(ms)
             if r.binding is None and re.search(r"\d", LITERAL.sub("", r.text))]
    assert loose == []
    keys = {q.key: q for q in ms.quantities}
    hr = next(k for k in keys if k.startswith("prognostic.pfs.univariable[ecog=2]:hr_ci"))
    assert keys[hr].label == "Prognostic factors, PFS, Univariable Cox model, ecog=2: " \
                             "HR (95% CI; p)"
    assert results.prognostic is not None


# ---------------------------------------------------------------- figures drawn early
def test_figures_drawn_before_the_prognostic_analysis_are_the_same_files(tmp_path,
                                                                         monkeypatch):
    """The figures that read nothing of the prognostic and cohort analyses are drawn while
    those run (build.EarlyFigures); every file equals that of a build that draws all of
    them afterwards, and the figures that read them wait for the whole Results."""
    from nps_report import build as build_module

    made: list = []

    class Spy(build_module.EarlyFigures):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(build_module, "EarlyFigures", Spy)
    early = build(REFERENCE_STUDY, tmp_path / "early", built_at=AT).out_dir
    (spy,) = made
    assert set(spy.keys) == {"flow", "figure1", "spider", "figure2", "dor"}
    assert not set(spy.keys) & {*PROGNOSTIC_FIGURES, "km_cohorts"}
    monkeypatch.setattr(build_module, "EarlyFigures", lambda *_args: None)
    after = build(REFERENCE_STUDY, tmp_path / "after", built_at=AT).out_dir
    files = sorted(p.relative_to(early) for p in early.rglob("*")
                   if p.is_file() and ".cache" not in p.parts)
    assert files == sorted(p.relative_to(after) for p in after.rglob("*")
                           if p.is_file() and ".cache" not in p.parts)
    assert len([f for f in files if f.parts[0] == "figures"]) == 72  # 24 files, 3 formats
    for rel in files:
        assert (early / rel).read_bytes() == (after / rel).read_bytes(), rel


def test_a_refusal_after_the_early_figures_leaves_no_output_and_no_process(tmp_path,
                                                                           monkeypatch):
    """A refusal from the prognostic analysis comes after the early figures went to the
    worker: the build stops as any refusal does, with no process and no folder left."""
    from nps_report import build as build_module
    from nps_report.analysis import analyse as analyse_module
    from nps_report.errors import Problem, StudyError
    from tests.test_parallel import descendants

    sent: list[tuple[str, ...]] = []

    class Spy(build_module.EarlyFigures):
        def __call__(self, config, partial):
            super().__call__(config, partial)
            sent.append(tuple(self.keys))

    def refuse(*_args):
        raise StudyError([Problem("patients.csv", "a late refusal", column="ecog")])

    monkeypatch.setattr(build_module, "EarlyFigures", Spy)
    monkeypatch.setattr(analyse_module, "_prognostic", refuse)
    study = with_prognostic(tmp_path / "study", {"factors": ["ecog"]})
    before = descendants()
    with pytest.raises(StudyError, match="a late refusal"):
        build(study, tmp_path / "out", built_at=AT)
    assert sent and "figure1" in sent[0]  # the worker had its first figures
    assert descendants() <= before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study"]
