"""Patient flow (contract v3 section 5): screening and exclusions from study.yaml `flow:` or
screening.csv, the rest counted from the data; counts that cannot hold the data are refused
naming the file, row and column; the diagram is in every format and both documents."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest

from nps_report.build import build
from nps_report.errors import StudyError
from nps_report.figures.flow import flow_figure
from nps_report.pipeline import compute
from nps_report.synthetic import write_study

AT = "2025-01-01T00:00:00Z"
FLOW = ("flow:\n  screened: 40\n  excluded: {Declined: 3, No measurable disease: 5, "
        "Lost before the first dose: 1}\n")


def study_with(tmp: Path, yaml_tail: str = "", n: int = 24, seed: int = 4) -> Path:
    folder = write_study(tmp, n, seed=seed)
    with (folder / "study.yaml").open("a", encoding="utf-8") as fh:
        fh.write(yaml_tail)
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def with_column(path: Path, name: str, values: list[str]) -> None:
    table = rows(path)
    for row, v in zip(table, values, strict=True):
        row[name] = v
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)


def counted_from_files(study: Path) -> dict[str, int]:
    """The flow's data counts read from the CSVs here, not through nps-report."""
    patients = rows(study / "patients.csv")
    start = {p["patient_id"]: dt.date.fromisoformat(p["treatment_start"]) for p in patients}
    cutoff = dt.date(2024, 6, 30)
    scanned = {a["patient_id"] for a in rows(study / "tumor_assessments.csv")
               if start[a["patient_id"]] < dt.date.fromisoformat(a["assessment_date"]) <= cutoff}
    ongoing = sum(p["treatment_end"] == "" and p["death_date"] == "" for p in patients)
    return {"treated": len(patients), "evaluable_response": len(scanned),
            "evaluable_safety": len(patients), "on_treatment": ongoing}


def test_study_yaml_flow_and_counts_from_the_data(tmp_path):
    study = study_with(tmp_path / "s", FLOW)
    flow = compute(study, AT)[1].to_dict()["flow"]
    assert flow["screened"] == 40
    assert flow["excluded"] == [{"reason": "Declined", "n": 3},  # as written
                                {"reason": "No measurable disease", "n": 5},
                                {"reason": "Lost before the first dose", "n": 1}]
    for name, n in counted_from_files(study).items():
        assert flow[name] == n, name
    assert flow["discontinued"] == [{"reason": "Not recorded",
                                     "n": flow["treated"] - flow["on_treatment"]}]


def test_screening_csv_and_discontinuation_reasons(tmp_path):
    study = study_with(tmp_path / "s")
    patients = rows(study / "patients.csv")
    with open(study / "screening.csv", "w", encoding="utf-8") as fh:
        fh.write("patient_id,included,exclusion_reason\n")
        fh.writelines(f"{p['patient_id']},yes,\n" for p in patients)
        fh.write("X1,no,Declined\nX2,no,Declined\nX3,no,\nX4,No,Brain metastases\n")
    stopped = [p["treatment_end"] != "" or p["death_date"] != "" for p in patients]
    reasons = ["Disease progression" if s and i % 3 else "" for i, s in enumerate(stopped)]
    with_column(study / "patients.csv", "discontinuation_reason", reasons)
    results = compute(study, AT)[1]
    flow = results.to_dict()["flow"]
    assert flow["screened"] == len(patients) + 4 and flow["source"] == "screening.csv"
    assert flow["excluded"] == [{"reason": "Declined", "n": 2},
                                {"reason": "Brain metastases", "n": 1},
                                {"reason": "Not recorded", "n": 1}]
    progressed = sum(r != "" for r in reasons)
    assert flow["discontinued"] == [{"reason": "Disease progression", "n": progressed},
                                    {"reason": "Not recorded", "n": sum(stopped) - progressed}]
    assert "screening.csv" in results.provenance.inputs


def refusal(study: Path) -> str:
    with pytest.raises(StudyError) as caught:
        compute(study, AT)
    return str(caught.value)


def test_more_excluded_and_treated_than_screened_is_refused(tmp_path):
    study = study_with(tmp_path / "s", "flow:\n  screened: 20\n  excluded: {Declined: 3}\n")
    message = refusal(study)
    assert "study.yaml" in message and "flow.screened" in message and "at least 27" in message


def test_a_screening_log_that_does_not_hold_the_patients_is_refused(tmp_path):
    study = study_with(tmp_path / "s")
    ids = [p["patient_id"] for p in rows(study / "patients.csv")]
    with open(study / "screening.csv", "w", encoding="utf-8") as fh:
        fh.write("patient_id,included,exclusion_reason\n")
        fh.writelines(f"{i},yes,\n" for i in ids[1:-1])  # the first patient is not listed
        fh.write(f"{ids[-1]},no,Declined\nZ9,yes,\nZ8,maybe,\n")
    message = refusal(study)
    assert f"screening.csv, column 'patient_id': a patient of patients.csv is not listed " \
           f"(found '{ids[0]}')" in message
    assert "screening.csv, row " in message and "excluded, but treated" in message
    assert "included, but not in patients.csv (found 'Z9')" in message
    assert "column 'included': unknown value (found 'maybe')" in message


def test_flow_and_screening_csv_together_are_refused(tmp_path):
    study = study_with(tmp_path / "s", FLOW)
    (study / "screening.csv").write_text("patient_id,included,exclusion_reason\n")
    assert "the patient flow is given twice" in refusal(study)


def test_a_study_without_flow_has_no_flow(tmp_path):
    results = compute(study_with(tmp_path / "s"), AT)[1]
    assert results.flow is None and "flow" not in results.to_dict()


def test_long_reasons_wrap_inside_their_box(tmp_path):
    reasons = ", ".join(f"Reason {i} " + "with many words " * 4 + f": {i}" for i in range(6))
    study = study_with(tmp_path / "s", f"flow:\n  excluded: {{{reasons}}}\n")
    fig = flow_figure(compute(study, AT)[1])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {a.get_gid(): a.get_window_extent(renderer) for a in fig.axes[0].get_children()
             if (a.get_gid() or "").startswith("flow-")}
    for gid, box in boxes.items():
        if gid.endswith("-text"):
            frame = boxes[gid.removesuffix("-text")]
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1 + 0.5, gid
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1 + 0.5, gid


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("flow")
    return build(study_with(tmp / "s", FLOW), tmp / "out", built_at=AT).out_dir


def test_the_diagram_is_in_every_format_and_both_documents(built):
    for fmt in ("png", "tiff", "pdf", "svg"):
        assert (built / "figures" / f"flow.{fmt}").is_file(), fmt
    import subprocess

    text = subprocess.run(["pdftotext", str(built / "manuscript.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Figure 1. Patient flow." in text
    assert "Forty patients were screened, 9 were excluded before treatment" in text
    with zipfile.ZipFile(built / "manuscript.docx") as z:
        xml = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "Patient flow" in xml and len(media) >= 3


def test_a_reason_for_a_patient_still_on_treatment_is_refused(tmp_path):
    study = study_with(tmp_path / "s")
    patients = rows(study / "patients.csv")
    ongoing = next(i for i, p in enumerate(patients)
                   if p["treatment_end"] == "" and p["death_date"] == "")
    with_column(study / "patients.csv", "discontinuation_reason",
                ["Toxicity" if i == ongoing else "" for i in range(len(patients))])
    message = refusal(study)
    assert (f"patients.csv, row {ongoing + 2}, column 'discontinuation_reason': a "
            "discontinuation reason for a patient still on treatment") in message


def test_the_diagram_draws_only_what_it_declares(tmp_path):
    from nps_report.config import FigureConfig
    from nps_report.figures.files import draw_panel
    from nps_report.present.catalogue import CATALOGUE

    from .recording import recording

    results = compute(study_with(tmp_path / "s", FLOW), AT)[1]
    (panel,) = CATALOGUE.figure("flow").panels(results, FigureConfig())
    proxy, recorder = recording(results)
    draw_panel(panel, proxy, FigureConfig())
    assert recorder.reads and recorder.undeclared(panel.reads) == []
    printed = panel.printed(results, panel)
    assert printed[next(k for k in printed if "[Declined]" in str(k))][1] == "3"
