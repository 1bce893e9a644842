"""A new table or figure is one builder and one declaration: here both live in this test module,
and their wording in the study's own templates, and they appear in every output.

Also: a study's manuscript/templates/ replaces the package's wording, and its mistakes are
reported against its own files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from matplotlib.figure import Figure
from pypdf import PdfReader

from nps_report.build import build
from nps_report.compare import compare_builds, load_build
from nps_report.config import FigureConfig
from nps_report.errors import StudyError
from nps_report.figures import new_figure, style
from nps_report.present.artifact import FigureArtifact, Panel, TableArtifact
from nps_report.present.catalogue import CATALOGUE
from nps_report.present.fmt import DEFAULT, Style
from nps_report.present.formats import cell
from nps_report.present.tables import Row, TableSpec
from nps_report.results import Results
from nps_report.results.keys import Key

SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"


def ongoing_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    """Treatment status at the data cutoff (a test's own table)."""
    ex = results.exposure
    return TableSpec("ongoing", ("Status", f"Patients (N = {ex.N})"), (
        Row(("On treatment at the data cutoff", cell("n_pct", ex.n_ongoing, ex.N, style=style)),
            "plain", (None, Key.parse("exposure.n_ongoing:n_pct"))),))


def cycles_figure(results: Results, config: FigureConfig) -> Figure:
    """Cycles per patient as bars (a test's own figure)."""
    with style():
        fig = new_figure(3.5, 2.0)
        ax = fig.add_subplot()
        ax.bar(range(results.n_patients), results.patients.treatment_months, gid="cycles")
    return fig


def on_treatment(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    return (Panel("cycles", f"{__name__}:cycles_figure", reads=("patients.treatment_months",)),)


TABLE = TableArtifact("ongoing", "tables/ongoing.md.j2", ongoing_table,
                      reads=("exposure.n_ongoing",), section="Treatment exposure",
                      name="Treatment status")
FIGURE = FigureArtifact("cycles", "figures/cycles.md.j2", on_treatment,
                        section="Treatment exposure")
TEMPLATES = {
    "tables/ongoing.md.j2": (
        "{% set title %}Treatment status of the {{ N | count('patient') }}{% endset %}\n"
        "{% set notes %}Data are n (%).{% endset %}\n"
        "{% set results %}Treatment status at the data cutoff is shown in "
        "{{ 'ongoing' | table_ref }}.{% endset %}\n"
        "{% set methods %}Treatment status was read at the data cutoff.{% endset %}\n"),
    "figures/cycles.md.j2": (
        "{% set title %}Time on treatment{% endset %}\n"
        "{% set legend %}One bar per patient.{% endset %}\n"
        "{% set results %}{{ 'cycles' | figure_ref }} shows the time on treatment."
        "{% endset %}\n"),
}


def study_with_templates(folder: Path, templates: dict[str, str]) -> Path:
    study = shutil.copytree(SMALL, folder)
    for name, text in templates.items():
        path = study / "manuscript" / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return study


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_an_artifact_declared_in_a_test_module_appears_in_every_output(tmp_path):
    study = study_with_templates(tmp_path / "study", TEMPLATES)
    catalogue = CATALOGUE.with_artifacts(TABLE, FIGURE)
    out = build(study, tmp_path / "out", built_at=AT, catalogue=catalogue).out_dir
    assert (out / "tables" / "ongoing.csv").read_text().splitlines() == [
        "Status,Patients (N = 4)", "On treatment at the data cutoff,1 (25.0)"]
    assert all((out / "figures" / f"cycles.{fmt}").is_file() for fmt in ("png", "svg", "pdf"))
    text = pdf_text(out / "manuscript.pdf")
    # cited in the Treatment exposure subsection, before the efficacy table and figures
    assert "Treatment status at the data cutoff is shown in Table 2." in text
    assert "Figure 1 shows the time on treatment." in text
    assert "Table 2. Treatment status of the 4 patients" in text
    methods = text.split("Statistical analysis", 1)[1].split("Results", 1)[0]
    assert methods.rstrip().endswith("Treatment status was read at the data cutoff.")
    assert "Figure 1. Time on treatment. One bar per patient." in text
    doc = Document(str(out / "manuscript.docx"))
    assert len(doc.tables) == 4
    assert doc.tables[1].rows[1].cells[1].text == "1 (25.0)"

    study2 = tmp_path / "study2"
    shutil.copytree(study, study2)
    patients = (study2 / "patients.csv").read_text()
    (study2 / "patients.csv").write_text(patients.replace("A4,2021-03-20,2021-07-01",
                                                          "A4,2021-03-20,"))
    new = build(study2, tmp_path / "out2", built_at=AT, catalogue=catalogue).out_dir
    report = compare_builds(load_build(out), load_build(new), tmp_path, built_at=AT,
                            catalogue=catalogue).report
    assert ("Treatment status", "On treatment at the data cutoff", "1 (25.0)", "2 (50.0)") in {
        (c.section, c.item, c.old, c.new) for c in report.of("number")}


def test_a_declared_artifact_that_no_template_cites_is_an_error(tmp_path):
    templates = {**TEMPLATES, "tables/ongoing.md.j2": TEMPLATES["tables/ongoing.md.j2"].replace(
        "{% set results %}", "{% set unused %}")}
    study = study_with_templates(tmp_path / "study", templates)
    with pytest.raises(StudyError, match="table 'ongoing' is declared in the catalogue and "
                                         "applies to this study, but no template cites"):
        build(study, tmp_path / "out", built_at=AT,
              catalogue=CATALOGUE.with_artifacts(TABLE, FIGURE))
    assert not (tmp_path / "out").exists()


def test_a_study_template_replaces_the_package_wording(tmp_path):
    package = (Path(__file__).parent.parent / "templates" / "figures" / "figure2.md.j2")
    text = package.read_text(encoding="utf-8").replace(
        "Vertical ticks mark censored observations",
        "Tick marks show patients censored")
    study = study_with_templates(tmp_path / "study", {"figures/figure2.md.j2": text})
    out = build(study, tmp_path / "out", built_at=AT).out_dir
    pdf = pdf_text(out / "manuscript.pdf")
    assert "Tick marks show patients censored" in pdf
    assert "Vertical ticks mark" not in pdf


def test_a_misspelt_study_template_is_refused_with_the_name_it_meant(tmp_path):
    study = study_with_templates(tmp_path / "study", {"result.md.j2": "x"})
    with pytest.raises(StudyError) as err:
        build(study, tmp_path / "out", built_at=AT)
    assert str(err.value.problems[0]) == (
        "manuscript/templates/result.md.j2: replaces no template of the manuscript; expected "
        "one of " + err.value.problems[0].expected.split("one of ", 1)[1])
    assert "(did you mean 'results.md.j2'?)" in str(err.value)


def test_a_mistake_in_a_study_template_names_its_file_and_line(tmp_path):
    package = Path(__file__).parent.parent / "templates" / "results.md.j2"
    lines = package.read_text(encoding="utf-8").splitlines()
    lines[9] += " {{ efficacy.orrr | proportion }}"  # line 10: a misspelt key
    study = study_with_templates(tmp_path / "study", {"results.md.j2": "\n".join(lines)})
    with pytest.raises(StudyError) as err:
        build(study, tmp_path / "out", built_at=AT)
    problem = err.value.problems[0]
    assert (problem.file, problem.row) == ("manuscript/templates/results.md.j2", 10)
    assert "no key 'orrr' on Efficacy; did you mean 'orr'" in problem.message

    broken = {"results.md.j2": "{% if x %}never closed\n"}
    study = study_with_templates(tmp_path / "study2", broken)
    with pytest.raises(StudyError) as err:
        build(study, tmp_path / "out", built_at=AT)
    problem = err.value.problems[0]
    assert (problem.file, problem.row) == ("manuscript/templates/results.md.j2", 1)
    assert problem.message.startswith("template syntax error: Unexpected end of template")


def test_a_study_template_without_a_part_the_manuscript_needs_is_refused(tmp_path):
    study = study_with_templates(tmp_path / "study", {
        "tables/baseline.md.j2": "{% set title %}Baseline{% endset %}"})
    with pytest.raises(StudyError, match=r"manuscript/templates/tables/baseline\.md\.j2: "
                                         r"defines no 'notes' part"):
        build(study, tmp_path / "out", built_at=AT)
