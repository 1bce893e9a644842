"""Cohorts (study.yaml `by:`): every number of results.json cohorts.<level> equals the number
a build of that level's patients alone gives (the study's files cut to their rows, study.yaml
without `by:`), for a generated study and for the reference study by starting dose; patients
without a cohort value are refused, naming their rows."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from nps_report.errors import StudyError
from nps_report.paths import REFERENCE_STUDY
from nps_report.pipeline import compute
from nps_report.synthetic import write_study

AT = "2025-01-01T00:00:00Z"
WHOLE_STUDY_ONLY = ("provenance", "notices")  # where the files came from; what was said


def rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or ()), list(reader)


def write_rows(path: Path, header: list[str], table: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def cohort_alone(study: Path, dest: Path, column: str, raw: list[str]) -> Path:
    """The study with only the patients whose `column` is one of `raw`, without `by:`."""
    shutil.copytree(study, dest)
    header, patients = rows(study / "patients.csv")
    kept = [p for p in patients if p[column] in raw]
    write_rows(dest / "patients.csv", header, kept)
    ids = {p["patient_id"] for p in kept}
    for name in ("tumor_assessments.csv", "adverse_events.csv", "tumor_lesions.csv"):
        if (study / name).is_file():
            header, table = rows(study / name)
            write_rows(dest / name, header, [r for r in table if r["patient_id"] in ids])
    config = yaml.safe_load((study / "study.yaml").read_text(encoding="utf-8"))
    for key in ("by", "flow", "prognostic"):
        config.pop(key, None)
    (dest / "study.yaml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                                     encoding="utf-8")
    return dest


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Every place two results.json trees differ (numbers exactly: the same code made them)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: only in one" for k in set(a) ^ set(b)]
        for k in set(a) & set(b):
            out += differences(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def check_cohorts(study: Path, tmp: Path, column: str) -> dict[str, Any]:
    whole = compute(study, AT)[1].to_dict()
    levels = {label: [str(v) for v in raw] for label, raw in _levels(study, column)}
    assert list(whole["cohorts"]) == [lv for lv in levels
                                      if any(True for _ in _patients(study, column,
                                                                     levels[lv]))]
    assert sum(c["n_patients"] for c in whole["cohorts"].values()) == whole["n_patients"]
    for level, cohort in whole["cohorts"].items():
        alone = compute(cohort_alone(study, tmp / f"cohort-{level}", column, levels[level]),
                        AT)[1].to_dict()
        for key in WHOLE_STUDY_ONLY:
            cohort.pop(key), alone.pop(key)
        assert differences(cohort, alone) == [], level
        assert "flow" not in cohort and "cohorts" not in cohort and "prognostic" not in cohort
    return whole


def _levels(study: Path, column: str) -> list[tuple[str, list[Any]]]:
    config = yaml.safe_load((study / "study.yaml").read_text(encoding="utf-8"))
    (row,) = [r for r in config["baseline"] if r.get("column") == column]
    levels = row["levels"]
    return list(levels.items()) if isinstance(levels, dict) else [(lv, [lv]) for lv in levels]


def _patients(study: Path, column: str, raw: list[str]):
    return (p for p in rows(study / "patients.csv")[1] if p[column] in raw)


def test_a_generated_studys_cohorts_equal_studies_of_their_patients(tmp_path):
    study = write_study(tmp_path / "s", 60, seed=11)
    with (study / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write("by: sex\nflow: {screened: 70, excluded: {Declined: 4}}\n")
    whole = check_cohorts(study, tmp_path, "sex")
    assert whole["by"]["column"] == "sex" and whole["by"]["levels"] == ["Male", "Female"]
    assert whole["flow"]["treated"] == 60  # the flow stays the whole study's


def test_the_reference_studys_cohorts_by_starting_dose(tmp_path):
    study = shutil.copytree(REFERENCE_STUDY, tmp_path / "ref")
    text = (study / "study.yaml").read_text(encoding="utf-8")
    if "\nby:" not in text:
        (study / "study.yaml").write_text(text + "by: starting_dose_mg\n", encoding="utf-8")
    whole = check_cohorts(study, tmp_path, "starting_dose_mg")
    assert whole["by"]["levels"] == ["12", "10"]


def test_a_patient_without_a_cohort_value_is_refused(tmp_path):
    study = write_study(tmp_path / "s", 12, seed=3)
    header, patients = rows(study / "patients.csv")
    patients[4]["sex"] = ""
    write_rows(study / "patients.csv", header, patients)
    config = (study / "study.yaml").read_text(encoding="utf-8")
    (study / "study.yaml").write_text(config + "by: sex\n", encoding="utf-8")
    with pytest.raises(StudyError) as caught:
        compute(study, AT)
    assert ("patients.csv, row 6, column 'sex': no value in the cohort column (study.yaml "
            "by:)") in str(caught.value)


def test_by_must_name_a_categorical_baseline_row(tmp_path):
    study = write_study(tmp_path / "s", 12, seed=3)
    config = (study / "study.yaml").read_text(encoding="utf-8")
    (study / "study.yaml").write_text(config + "by: sexx\n", encoding="utf-8")
    with pytest.raises(StudyError) as caught:
        compute(study, AT)
    message = str(caught.value)
    assert "key 'by': not the column of a categorical baseline row (found 'sexx')" in message
    assert "sex" in message


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> dict[str, Any]:
    """A study with `by:` and `flow:` built, then rebuilt after one adverse event's grade and
    the screening count changed, compared with the first build."""
    from nps_report.build import build

    tmp = tmp_path_factory.mktemp("cohort-builds")
    study = write_study(tmp / "s", 30, seed=5)
    config = (study / "study.yaml").read_text(encoding="utf-8")
    (study / "study.yaml").write_text(config + "by: sex\nflow: {screened: 40}\n",
                                      encoding="utf-8")
    out = tmp / "out"
    build(study, out, built_at=AT)
    header, events = rows(study / "adverse_events.csv")
    patients = {p["patient_id"]: p["sex"] for p in rows(study / "patients.csv")[1]}
    event = events[0]
    event["grade"] = "3" if event["grade"] != "3" else "2"
    write_rows(study / "adverse_events.csv", header, events)
    (study / "study.yaml").write_text(config + "by: sex\nflow: {screened: 42}\n",
                                      encoding="utf-8")
    result = build(study, out, built_at=AT, compare_to=out)
    return {"out": out, "report": result.changes, "term": event["term"],
            "sex": patients[event["patient_id"]], "study": study}


def test_a_cohorts_numbers_are_in_the_change_report(rebuilt):
    changes = rebuilt["report"].changes
    sex, term = rebuilt["sex"], rebuilt["term"]
    cohort = [c for c in changes if c.section.startswith(f"Cohort Sex: {sex}: ")]
    assert cohort, [(c.section, c.item) for c in changes]
    cells = {c.item for c in changes if c.section == "Adverse events" and c.kind == "number"}
    assert f"{term}, Grade ≥3, Sex: {sex}" in cells, cells
    assert any(c.item == "Patients screened" and (c.old, c.new) == ("40", "42")
               for c in changes)


def test_every_cohort_cell_carries_a_key_that_resolves(rebuilt):
    from nps_report.present.catalogue import CATALOGUE

    results = compute(rebuilt["study"], AT)[1]
    tables = CATALOGUE.build_tables(results)
    keyed = [k for t in ("baseline", "efficacy", "adverse_events")
             for row in tables[t].rows for k in row.keys if k is not None]
    under = [k for k in keyed if str(k).startswith("cohorts.")]
    assert len(under) >= len(keyed) // 2
    for key in under:
        key.path.resolve(results)
    assert tables["baseline"].header[-1] == "Total (N\u00a0=\u00a030)"


def test_the_cohort_numbers_are_keyed_in_the_page_and_in_provenance(rebuilt):
    from nps_report.provenance.records import record

    results = compute(rebuilt["study"], AT)[1]
    level = next(iter(results.cohorts))
    found = record(results, f"cohorts.{level}.efficacy.orr.n")
    cohort = results.cohorts[level]
    assert found["value"] == cohort.efficacy.orr.n
    assert len(found["patients"]) == cohort.efficacy.orr.n
    assert all(results.patients.patient_id[r - 2] in cohort.patients.patient_id
               for r in found["rows"])
    html = (rebuilt["out"] / "manuscript.docx").is_file()  # the documents were written
    assert html


def test_the_km_figure_by_cohort_keys_each_cohorts_numbers_at_risk(rebuilt):
    from nps_report.config import FigureConfig
    from nps_report.figures.files import draw_panel
    from nps_report.present.catalogue import CATALOGUE

    from .recording import recording

    results = compute(rebuilt["study"], AT)[1]
    panels = CATALOGUE.figure("km_cohorts").panels(results, FigureConfig())
    assert [p.key for p in panels] == ["km_pfs_by_cohort", "km_os_by_cohort"]
    for panel in panels:
        proxy, recorder = recording(results)
        draw_panel(panel, proxy, FigureConfig())
        assert recorder.undeclared(panel.reads) == []
        printed = panel.printed(results, panel)
        first = {k: v for k, v in printed.items() if str(k).endswith("[0]")}
        ep = panel.args[0]
        assert sorted(int(v) for _, v in first.values()) == sorted(
            getattr(c.survival, ep).n for c in results.cohorts.values())
    for fmt in ("png", "tiff", "pdf", "svg"):
        assert (rebuilt["out"] / "figures" / f"km_cohorts.{fmt}").is_file()
