"""Lesion-level studies end to end, against the independent reference (recist_reference.py).

Seeded studies (lesion_studies.py) with nodal complete responses, missing measurements,
lesions too small to measure, new lesions, non-target progression, confirmation, the
investigator's responses disagreeing, adverse events before treatment and after the
window, and severity scales: every best overall response, ORR and DCR with its CI,
concordance figure and adverse-event count must be the reference's. Then one study is
built through the CLI and its files and manuscript read.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from scipy.stats import beta

from nps_report.errors import StudyError
from nps_report.pipeline import compute

from .lesion_studies import Options, write_lesion_study
from .recist_reference import ae_summary, reference

BUILT_AT = "2025-01-01T00:00:00Z"
SEEDS = range(30)


def options_for(seed: int) -> Options:
    """Every combination of the study.yaml keys this issue adds, spread over the seeds."""
    return Options(
        confirm=seed % 3 == 0, sd_min_days=(42, 42, 56)[seed % 3],
        too_small_values=("<5",) if seed % 5 == 0 else (),
        window=(None, 30, 0)[seed % 3] if seed % 2 else None,
        grading="severity" if seed % 4 == 1 else "ctcae",
        source="investigator" if seed % 7 == 3 else None,
        sums=seed % 6 == 2, assessments=seed % 10 != 9,
        investigator=0.0 if seed % 10 == 9 else 0.7,
        extra_yaml=("validation: {progression_must_match_assessments: false}\n"
                    if seed % 7 == 3 else ""))


def clopper_pearson(n: int, N: int, level: float = 0.95) -> tuple[float, float]:
    a = 1 - level
    low = 0.0 if n == 0 else float(beta.ppf(a / 2, n, N - n + 1))
    high = 1.0 if n == N else float(beta.ppf(1 - a / 2, n + 1, N - n))
    return low, high


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> list[tuple[int, Options, object, object]]:
    out = []
    for seed in SEEDS:
        o = options_for(seed)
        written = write_lesion_study(tmp_path_factory.mktemp(f"s{seed}") / "study", seed, o)
        _, results = compute(written.folder, BUILT_AT)
        ref = reference(written.folder, sd_min_days=o.sd_min_days, confirm=o.confirm,
                        too_small=o.too_small_values, window=o.window,
                        source=o.source or "derived", cutoff=o.cutoff)
        out.append((seed, o, results, ref))
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_every_best_overall_response_is_the_references(studies, seed):
    _, _, results, ref = studies[seed]
    got = dict(zip(results.patients.patient_id, results.patients.bor, strict=True))
    assert got == ref.bor
    assert results.efficacy.bor_counts == ref.counts()


@pytest.mark.parametrize("seed", SEEDS)
def test_orr_and_dcr_with_their_exact_intervals(studies, seed):
    _, _, results, ref = studies[seed]
    counts, N = ref.counts(), len(ref.bor)
    for name, codes in (("orr", ("CR", "PR")), ("dcr", ("CR", "PR", "SD"))):
        p = getattr(results.efficacy, name)
        n = sum(counts[c] for c in codes)
        assert (p.n, p.N) == (n, N)
        low, high = clopper_pearson(n, N)
        assert p.ci_low == pytest.approx(low, abs=1e-9)
        assert p.ci_high == pytest.approx(high, abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_concordance_of_derived_and_investigator_responses(studies, seed):
    _, o, results, ref = studies[seed]
    c = results.efficacy.concordance
    n_agree, n, kappa, differ = ref.concordance()
    if n == 0:
        assert c is None
        return
    assert (c.n_agree, c.n) == (n_agree, n)
    assert [p.patient_id for p in c.patients] == differ
    assert [(p.derived, p.investigator) for p in c.patients] == [
        (ref.bor_derived[p], ref.investigator_bor[p]) for p in differ]
    assert (c.kappa is None) == (kappa is None)
    if kappa is not None:
        assert c.kappa == pytest.approx(kappa, abs=1e-12)
    assert c.reported == (o.source or "derived")


@pytest.mark.parametrize("seed", SEEDS)
def test_only_treatment_emergent_adverse_events_are_counted(studies, seed):
    _, o, results, ref = studies[seed]
    n_any, n_severe, terms = ae_summary(ref.ae_rows)
    s = results.safety
    assert (s.n_any, s.n_grade3plus) == (n_any, n_severe)
    levels = ("mild", "moderate", "severe") if o.grading == "severity" else tuple(
        f"grade{g}" for g in range(1, 6))
    got = {r.term: [r.any, *(getattr(r, f) for f in levels)] for r in s.all_terms}
    assert got == {t: row[:len(levels) + 1] for t, row in terms.items()}
    e = s.excluded
    assert (e.before_treatment, e.after_window, e.without_onset) == (
        ref.excluded["before_treatment"], ref.excluded["after_window"],
        ref.excluded["without_onset"])


def test_the_generated_studies_hold_every_case_the_rules_are_about(studies):
    """The comparison above means something only if the studies have the hard cases."""
    seen: set[str] = set()
    for _, o, results, ref in studies:
        for points in ref.timepoints.values():
            for t in points:
                if t.target == "CR" and t.total:
                    seen.add("nodal CR with a sum above 0")
                if t.target == "NE" and t.total is None:
                    seen.add("target not evaluated")
                if t.new:
                    seen.add("new lesion")
                if t.nontarget == "PD":
                    seen.add("non-target progression")
                if t.target == "none":
                    seen.add("non-target disease only")
        if o.confirm and any(b == "SD" and a in ("CR", "PR") for a, b in zip(
                _unconfirmed(ref), ref.bor_derived.values(), strict=True)):
            seen.add("response not confirmed")
        c = results.efficacy.concordance
        if c is not None and c.patients:
            seen.add("investigator disagrees")
        if results.safety.excluded.before_treatment:
            seen.add("AE before treatment")
        if results.safety.excluded.after_window:
            seen.add("AE after the window")
        if results.safety.excluded.without_onset:
            seen.add("AE without onset")
        if o.grading == "severity" and results.safety.n_any:
            seen.add("severity")
    assert seen == {"nodal CR with a sum above 0", "target not evaluated", "new lesion",
                    "non-target progression", "non-target disease only",
                    "response not confirmed", "investigator disagrees", "AE before treatment",
                    "AE after the window", "AE without onset", "severity"}


def _unconfirmed(ref) -> list[str]:
    """Each patient's best timepoint response before the first PD, confirmation aside."""
    out = []
    for points in ref.timepoints.values():
        best = "NE"
        for t in points:
            if t.overall in ("CR", "PR") and (best == "NE" or t.overall == "CR"):
                best = t.overall
            if t.overall == "PD":
                break
        out.append(best)
    return out


def test_tsmt_texts_listed_in_study_yaml_count_as_5_mm(tmp_path):
    o = Options(n_patients=12, too_small_values=("<5", "too small"))
    folder = write_lesion_study(tmp_path / "s", 5, o).folder
    text = (folder / "tumor_lesions.csv").read_text()
    assert "<5" in text or "too small" in text or "TSTM" in text.upper()
    _, results = compute(folder, BUILT_AT)
    ref = reference(folder, too_small=o.too_small_values, cutoff=o.cutoff)
    assert dict(zip(results.patients.patient_id, results.patients.bor, strict=True)) == ref.bor


# --- one study built through the CLI, its files and its manuscript read ------------------------

CLI_OPTIONS = Options(n_patients=30, grading="severity", window=30, disagree=0.25, sums=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, object]:
    from nps_report.cli import main as run

    root = tmp_path_factory.mktemp("cli")
    folder = write_lesion_study(root / "study", 11, CLI_OPTIONS).folder
    out = root / "build"
    assert run(["build", str(folder), "--out", str(out)]) == 0
    ref = reference(folder, window=CLI_OPTIONS.window, cutoff=CLI_OPTIONS.cutoff)
    return folder, out, ref


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_results_json_holds_the_v3_keys(built):
    _, out, ref = built
    data = json.loads((out / "results.json").read_text())
    c = data["efficacy"]["concordance"]
    n_agree, n, kappa, differ = ref.concordance()
    assert (c["n_agree"], c["n"]) == (n_agree, n) and differ
    assert c["kappa"] == pytest.approx(kappa, abs=1e-12)
    assert [p["patient_id"] for p in c["patients"]] == differ
    assert set(c["patients"][0]) == {"patient_id", "derived", "investigator"}
    assert set(data["safety"]["excluded"]) == {"before_treatment", "after_window",
                                               "without_onset"}
    row = data["safety"]["adverse_events"][0]
    assert {"mild", "moderate", "severe"} <= set(row) and "grade1" not in row
    assert data["methods"]["lesion_level"] is True
    assert data["methods"]["ae_grading"] == "severity"


def test_patient_endpoints_keep_their_columns_and_timepoints_follow_every_bor(built):
    _, out, ref = built
    endpoints = read_rows(out / "tables" / "patient_endpoints.csv")
    assert list(endpoints[0])[:10] == [
        "patient_id", "bor", "best_pct_change", "has_post_baseline_scan", "treatment_months",
        "on_treatment", "first_response_months", "progression_months", "death_months",
        "followup_months"]
    rows = read_rows(out / "tables" / "patient_timepoints.csv")
    assert list(rows[0]) == [
        "patient_id", "assessment_date", "day", "target_sum_mm", "change_from_baseline_mm",
        "pct_change_from_baseline", "nadir_mm", "change_from_nadir_mm",
        "pct_change_from_nadir", "target_lesions_not_evaluated", "target_response",
        "nontarget_response", "new_lesions", "overall_response", "counts_for_bor",
        "investigator_response"]
    for pid, points in ref.timepoints.items():
        mine = [r for r in rows if r["patient_id"] == pid and r["overall_response"]]
        assert [r["overall_response"] for r in mine] == [t.overall for t in points]
        assert [r["assessment_date"] for r in mine] == [t.date.isoformat() for t in points]
        for r, t in zip(mine, points, strict=True):
            assert (float(r["target_sum_mm"]) if r["target_sum_mm"] else None) == (
                pytest.approx(t.total) if t.total is not None else None)


def test_the_concordance_table_is_written_and_cited(built):
    _, out, _ = built
    table = (out / "tables" / "concordance.csv").read_text()
    assert table.startswith("Derived / investigator,CR,PR,SD,PD,NE,Total")


def manuscript_text(out: Path) -> str:
    import docx

    document = docx.Document(str(out / "manuscript.docx"))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_manuscript_says_what_was_done(built):
    _, out, _ = built
    text = manuscript_text(out)
    assert "derived from the measurement of each lesion" in text
    assert "considered normal" in text and "counted as 5 mm" in text
    assert "Only treatment-emergent adverse events were counted" in text
    assert "no later than 30 days after the last dose" in text
    assert "graded by severity as mild, moderate or severe" in text
    assert "Cohen's κ" in text and "differed from the one reported here" in text
    assert "Any severity" in text and "Mild" in text


def test_a_severity_scale_is_never_printed_as_a_ctcae_grade(built):
    _, out, _ = built
    text = manuscript_text(out)
    safety = text[text.index("Only treatment-emergent"):]
    assert "CTCAE" not in text
    assert "grade 3" not in safety and "Grade 1" not in text and "any grade" not in text


def test_the_build_output_names_what_was_left_out(built, capsys):
    folder, _, _ = built
    from nps_report.cli import main as run

    out = folder.parent / "again"
    assert run(["build", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Best overall response derived from the measurements and as the investigator " \
           "assessed it agree for" in printed
    assert "not treatment-emergent were not counted" in printed


# --- refusals: what breaks the rules is named ---------------------------------------------------

LESIONS = ["patient_id,assessment_date,lesion_id,lesion_type,site,nodal,diameter_mm,status"]
PATIENTS = ("patient_id,treatment_start,treatment_end,cycles,progression_date,death_date,"
            "last_followup\nP1,2022-01-10,,4,,,2022-06-01\nP2,2022-01-10,,4,,,2022-06-01\n")


def lesion_study(tmp_path: Path, lesions: list[str], yaml: str = "",
                 assessments: str | None = None) -> Path:
    folder = tmp_path / "s"
    folder.mkdir(parents=True)
    (folder / "study.yaml").write_text("title: T\ndrug: d\npopulation: p\n" + yaml)
    (folder / "patients.csv").write_text(PATIENTS)
    (folder / "tumor_lesions.csv").write_text("\n".join(LESIONS + lesions) + "\n")
    (folder / "adverse_events.csv").write_text("patient_id,term,grade,onset_date\n")
    if assessments is not None:
        (folder / "tumor_assessments.csv").write_text(assessments)
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(StudyError) as err:
        compute(folder, BUILT_AT)
    return [str(p) for p in err.value.problems]


BREAKING = [
    *(f"P1,2022-01-05,T{i},target,organ {i},no,20," for i in range(1, 7)),  # six targets
    "P2,2022-01-05,A,target,liver,no,20,", "P2,2022-01-05,B,target,Liver ,no,30,",
    "P2,2022-01-05,C,target,liver,no,40,",  # three in one organ
    "P2,2022-01-05,N1,target,neck,yes,14,",  # a node under 15 mm
    "P2,2022-01-05,N2,target,axilla,yes,TSTM,",  # ... and too small to measure
    "P2,2022-01-05,N3,target,groin,yes,25,",  # three nodes: one site
    "P2,2022-01-05,D,target,lung,no,9,",  # non-nodal under 10 mm
]


def test_every_broken_selection_rule_is_refused_at_once_naming_patient_and_lesion(tmp_path):
    found = problems(lesion_study(tmp_path, BREAKING))
    text = "\n".join(found)
    assert len(found) == 7, text
    assert "patient P1: 6 target lesions at the baseline scan (2022-01-05: T1, T2, T3, T4, " \
           "T5, T6)" in text
    assert "patient P2: 3 target lesions in site 'liver' at the baseline scan (A, B, C)" in text
    assert "patient P2: 3 target lesions in lymph nodes (all nodes count as one site) at the " \
           "baseline scan (N1, N2, N3)" in text
    assert "patient P2, lesion N1 (2022-01-05): a nodal target lesion under 15 mm" in text
    assert "patient P2, lesion N2 (2022-01-05): a nodal target lesion under 15 mm short axis " \
           "at baseline (found 'TSTM')" in text
    assert "patient P2, lesion D (2022-01-05): a non-nodal target lesion under 10 mm" in text
    assert all(f.startswith("tumor_lesions.csv, row ") for f in found)
    assert all("recist.lesion_rules: warn" in f for f in found)


def test_with_lesion_rules_warn_it_builds_and_names_each_violation(tmp_path):
    folder = lesion_study(tmp_path, BREAKING, "recist: {lesion_rules: warn}\n")
    _, results = compute(folder, BUILT_AT)
    (notice,) = [n for n in results.notices if n.code == "lesion_rules"]
    assert len(notice.details) == 7
    assert any("lesion N2" in d for d in notice.details)


def test_lesions_that_cannot_be_used_are_refused_whatever_study_yaml_says(tmp_path):
    found = problems(lesion_study(tmp_path, [
        "P1,2022-01-05,T1,target,liver,no,,",
        "P1,2022-01-05,X,new,lung,no,,",
        "P1,2022-03-01,T9,target,liver,no,12,",
        "P1,2022-03-01,NT1,non-target,bone,no,,present",
        "P2,2022-01-05,T1,target,liver,no,30,",
        "P2,2022-01-05,T1,target,liver,no,31,",
        "P2,2022-01-05,NT1,non-target,bone,no,,present",
        "P2,2022-03-01,NT1,target,bone,no,10,",
    ], "recist: {lesion_rules: warn}\n"))
    text = "\n".join(found)
    assert "row 2, column 'diameter_mm': patient P1, lesion T1 (2022-01-05): a target " \
           "lesion not measured at the baseline scan" in text
    assert "row 3, column 'lesion_type': patient P1, lesion X (2022-01-05): a lesion typed " \
           "new on or before treatment_start" in text
    assert "patient P1, lesion T9 (2022-03-01): not a lesion of the baseline scan " \
           "(2022-01-05)" in text
    assert "patient P2, lesion T1 (2022-01-05): the lesion is written twice" in text
    assert "patient P2, lesion NT1 (2022-03-01): typed non-target at the baseline scan" in text


def test_bad_cells_name_file_row_column_value_and_what_was_expected(tmp_path):
    found = problems(lesion_study(tmp_path, [
        "P1,2022-01-05,T1,target,liver,no,2O,",
        "P1,2022-01-05,T2,tumour,liver,no,20,",
        "P1,2022-01-05,NT1,non-target,bone,no,,gone",
        "P1,2022-01-05,NT2,non-target,bone,no,,",
        "P1,2022-01-05,T3,target,,maybe,20,",
    ]))
    assert "tumor_lesions.csv, row 2, column 'diameter_mm': not a number (found '2O'); " \
           "expected the diameter in mm (>= 0), blank if the lesion was not evaluated, or " \
           "TSTM if too small to measure" in found[found.index(next(
               f for f in found if "2O" in f))]
    text = "\n".join(found)
    assert "row 3, column 'lesion_type': unknown value (found 'tumour'); expected one of " \
           "'target', 'non-target', 'new'" in text
    assert "row 4, column 'status': unknown value for a non-target lesion (found 'gone')" in text
    assert "row 5, column 'status': unknown value for a non-target lesion (found '')" in text
    assert "row 6, column 'site': missing value for a target lesion" in text
    assert "row 6, column 'nodal': unknown value (found 'maybe')" in text


def test_given_sums_must_be_the_lesions_sums(tmp_path):
    lesions = ["P1,2022-01-05,T1,target,liver,no,30,", "P1,2022-01-05,T2,target,neck,yes,20,",
               "P1,2022-03-01,T1,target,liver,no,0,", "P1,2022-03-01,T2,target,neck,yes,TSTM,"]
    good = ("patient_id,assessment_date,target_sum_mm\nP1,2022-01-05,50\nP1,2022-03-01,5\n"
            "P2,2022-03-01,\n")
    _, results = compute(lesion_study(tmp_path / "a", lesions, assessments=good), BUILT_AT)
    assert results.efficacy.bor_counts["CR"] == 1  # a node too small to measure: CR at 5 mm
    bad = good.replace(",5\n", ",0\n")  # TSTM typed as 0
    (found,) = problems(lesion_study(tmp_path / "b", lesions, assessments=bad))
    assert found == (
        "tumor_assessments.csv, row 3, column 'target_sum_mm': target_sum_mm disagrees with "
        "the lesions of the scan of 2022-03-01 (found 0.0); expected 5 mm, the sum of patient "
        "P1's target lesions at this scan in tumor_lesions.csv (nodes by short axis, too small "
        "to measure as 5 mm), or blank: the lesions decide")


def test_tumor_assessments_may_be_left_out_or_hold_only_dates(tmp_path):
    lesions = ["P1,2022-01-05,T1,target,liver,no,30,", "P1,2022-03-01,T1,target,liver,no,10,"]
    _, alone = compute(lesion_study(tmp_path / "a", lesions), BUILT_AT)
    dates = "patient_id,assessment_date\nP1,2022-01-05\nP1,2022-03-01\nP1,2022-04-20\n"
    _, with_dates = compute(lesion_study(tmp_path / "b", lesions, assessments=dates), BUILT_AT)
    assert alone.patients.bor == ("PR", "NE")
    assert with_dates.patients.bor == ("PR", "NE")  # 2022-04-20: no lesion recorded, NE
    assert with_dates.timepoints.column("overall_response") == ["PR", "NE"]


def test_a_tumor_lesions_sheet_in_the_workbook(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "patients": [r.split(",") for r in PATIENTS.strip().split("\n")],
        "tumor_lesions": [LESIONS[0].split(","),
                          ["P1", dt.datetime(2022, 1, 5), "T1", "target", "liver", "no", 30.0,
                           None],
                          ["P1", dt.datetime(2022, 3, 1), "T1", "target", "liver", "no", 0.0,
                           None]],
        "adverse_events": [["patient_id", "term", "grade"]],
    }
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "study.yaml").write_text("title: T\ndrug: d\npopulation: p\n")
    book.save(folder / "data.xlsx")
    _, results = compute(folder, BUILT_AT)
    assert results.patients.bor == ("CR", "NE")


def test_the_investigators_response_alone_is_reported_with_the_same_rules(tmp_path):
    folder = tmp_path / "inv"
    folder.mkdir()
    (folder / "study.yaml").write_text("title: T\ndrug: d\npopulation: p\n"
                                       "recist: {confirm_response: true}\n")
    (folder / "patients.csv").write_text(PATIENTS)
    (folder / "adverse_events.csv").write_text("patient_id,term,grade\n")
    (folder / "tumor_assessments.csv").write_text(
        "patient_id,assessment_date,investigator_response\n"
        "P1,2022-01-05,\nP1,2022-03-01,PR\nP1,2022-04-12,Non-CR/Non-PD\nP1,2022-05-20,PR\n"
        "P2,2022-02-01,CR\nP2,2022-03-08,CR\n")
    _, results = compute(folder, BUILT_AT)
    assert results.methods.response_source == "investigator"
    assert results.efficacy.concordance is None
    assert results.patients.bor == ("SD", "CR")  # P1: SD between the PRs breaks confirmation


def test_response_source_investigator_reports_theirs_and_compares_the_derived(tmp_path):
    o = replace(options_for(3), source="investigator")
    folder = write_lesion_study(tmp_path / "s", 3, o).folder
    _, results = compute(folder, BUILT_AT)
    ref = reference(folder, sd_min_days=o.sd_min_days, confirm=o.confirm, window=o.window,
                    source="investigator", cutoff=o.cutoff)
    assert dict(zip(results.patients.patient_id, results.patients.bor, strict=True)) == ref.bor
    assert results.efficacy.concordance.reported == "investigator"


def test_the_patients_behind_the_concordance_and_severity_counts(built):
    _, out, _ = built
    from nps_report.results import Results

    data = json.loads((out / "results.json").read_text())
    results = Results.from_dict(data)
    c = results.efficacy.concordance
    from nps_report.pipeline import compute as again

    counted = again(built[0], BUILT_AT)[1].counted
    assert len(counted.rows("efficacy.concordance.n")) == c.n
    assert len(counted.rows("efficacy.concordance.n_agree")) == c.n_agree
    ids = [p.patient_id for p in c.patients]
    rows = counted.rows("efficacy.concordance.n_differ")
    assert len(rows) == len(ids)
    for row in results.safety.all_terms:
        for name in ("mild", "moderate", "severe"):
            assert len(counted.rows(f"safety.all_terms[{row.term}].{name}")) == getattr(
                row, name)


def test_a_sites_own_headers_are_mapped_under_columns(tmp_path):
    folder = lesion_study(tmp_path, [
        "P1,2022-01-05,T1,Target,Liver,No,30,",
        "P1,2022-01-05,NT1,Non-target,Bone,,,Present",
        "P1,2022-03-01,T1,TARGET,Liver,No,0,",
        "P1,2022-03-01,NT1,non target,Bone,,,absent",
    ], "columns: {tumor_lesions: {diameter_mm: \"Diameter (mm)\", lesion_type: Type}}\n")
    path = folder / "tumor_lesions.csv"
    path.write_text(path.read_text().replace("lesion_type", "Type").replace(
        "diameter_mm", "Diameter (mm)"))
    _, results = compute(folder, BUILT_AT)
    assert results.patients.bor == ("CR", "NE")
    assert results.provenance.inputs.keys() >= {"tumor_lesions.csv", "patients.csv"}


def test_a_change_to_the_lesions_is_a_change_to_the_data(tmp_path):
    """The build cache and the study lock read tumor_lesions.csv like the other tables."""
    from nps_report.build import build
    from nps_report.errors import StudyError as Refused
    from nps_report.lock import lock_study

    folder = lesion_study(tmp_path, ["P1,2022-01-05,T1,target,liver,no,30,",
                                     "P1,2022-03-01,T1,target,liver,no,25,"])
    out = tmp_path / "out"
    assert build(folder, out).results.patients.bor[0] == "SD"
    path = folder / "tumor_lesions.csv"
    path.write_text(path.read_text().replace(",25,", ",10,"))
    assert build(folder, out).results.patients.bor[0] == "PR"
    lock_study(folder, locked_at="2025-01-01T00:00:00Z", generator_version="test")
    path.write_text(path.read_text().replace(",10,", ",0,"))
    with pytest.raises(Refused, match=r"tumor_lesions\.csv"):
        build(folder, out)
