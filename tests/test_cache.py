"""The build cache is never wrong: every input change rebuilds what depends on it.

Observed through the build's own progress lines and the outputs' bytes.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nps_report import cache
from nps_report.build import build
from nps_report.errors import StudyError

from . import build_copies

SMALL = Path(__file__).parent / "studies" / "small"
STAMP = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    return build_copies.first_build(tmp_path_factory.mktemp("cache"))


@pytest.fixture()
def built(first_build, tmp_path):
    """A study and its up-to-date build, in this test's own folder (same absolute layout)."""
    return build_copies.copy_build(first_build, tmp_path)


def rebuild(study: Path, out: Path, **kwargs) -> list[str]:
    messages: list[str] = []
    build(study, out, built_at=STAMP, progress=messages.append, **kwargs)
    return messages


def test_unchanged_study_is_up_to_date_and_nothing_is_rewritten(built):
    study, out = built
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert cache.up_to_date(study, out)
    assert rebuild(study, out) == ["nothing changed since the last build"]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_no_op_is_decided_before_pandas_matplotlib_lifelines_or_weasyprint_load(built):
    study, out = built
    code = ("import sys; from nps_report.cli import main; rc = main(['build', sys.argv[1], "
            "'--out', sys.argv[2]]); heavy = [m for m in ('pandas', 'matplotlib', "
            "'lifelines', 'weasyprint', 'scipy') if m in sys.modules]; print(rc, heavy)")
    run = subprocess.run([sys.executable, "-c", code, str(study), str(out)],
                         capture_output=True, text=True, check=True)
    assert run.stdout.splitlines()[-1] == "0 []"
    assert "Up to date" in run.stdout


def test_edited_patient_data_recomputes_everything_downstream(built):
    study, out = built
    old = json.loads((out / "results.json").read_text())
    text = (study / "patients.csv").read_text().replace("2021-09-01,2021-09-01",
                                                         "2021-10-01,2021-10-01")
    (study / "patients.csv").write_text(text)
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages and "drew figures" in messages
    new = json.loads((out / "results.json").read_text())
    assert new["survival"]["os"] != old["survival"]["os"]


def test_study_yaml_change_recomputes(built):
    study, out = built
    text = (study / "study.yaml").read_text().replace("clopper-pearson", "wilson")
    (study / "study.yaml").write_text(text)
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages
    assert json.loads((out / "results.json").read_text())["efficacy"]["orr"]["method"] == \
        "wilson"


def test_new_adverse_event_recomputes_results_but_reuses_figures(built):
    study, out = built
    with open(study / "adverse_events.csv", "a") as fh:
        fh.write("A3,Headache,3,2021-04-01\n")
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages
    assert "figures unchanged: reused" in messages
    terms = [r["term"] for r in json.loads((out / "results.json").read_text())["safety"][
        "all_terms"]]
    assert "Headache" in terms


def test_markdown_section_edit_reuses_results_and_figures_and_rerenders(built):
    study, out = built
    (study / "manuscript").mkdir()
    (study / "manuscript" / "introduction.md").write_text("A brand-new introduction.\n")
    pdf_before = (out / "manuscript.pdf").read_bytes()
    messages = rebuild(study, out)
    assert "data unchanged: reusing the analysis of the last build" in messages
    assert "figures unchanged: reused" in messages
    assert (out / "manuscript.pdf").read_bytes() != pdf_before


def test_the_cli_knows_from_the_manifest_alone_what_a_rebuild_can_reuse(built, tmp_path):
    study, out = built
    assert cache.previous_build(study, out) == "current"
    (study / "manuscript").mkdir()
    (study / "manuscript" / "introduction.md").write_text("Edited.\n")
    assert cache.previous_build(study, out) == "results"  # only a text changed
    with (study / "adverse_events.csv").open("a", encoding="utf-8") as f:
        f.write("A1,Nausea,1,2021-02-03\n")
    assert cache.previous_build(study, out) == "none"
    assert cache.previous_build(study, tmp_path / "never-built") == "none"
    other = tmp_path / "copy"
    shutil.copytree(study, other)
    assert cache.previous_build(other, out) == "none"  # another study's build folder


def test_template_edit_rerenders_documents(built, tmp_path, monkeypatch):
    study, out = built
    templates = shutil.copytree(cache.TEMPLATES, tmp_path / "templates")
    monkeypatch.setattr(cache, "TEMPLATES", templates)
    assert cache.up_to_date(study, out)  # content hashes: an identical copy is the same
    target = sorted(templates.rglob("*.j2"))[0]
    target.write_text(target.read_text() + "\n")
    assert not cache.up_to_date(study, out)
    messages = rebuild(study, out)
    assert "data unchanged: reusing the analysis of the last build" in messages
    assert "rendered manuscript.pdf and manuscript.docx" in messages
    assert cache.up_to_date(study, out)


def test_other_tool_version_ignores_the_cache(built, monkeypatch):
    study, out = built
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert not cache.up_to_date(study, out)
    assert cache.read_manifest(out) is None


def test_corrupt_results_cache_is_ignored_and_rebuilt(built):
    study, out = built
    (out / ".cache" / "results.json").write_bytes(b"\x80\x05garbage")
    (study / "manuscript").mkdir()
    (study / "manuscript" / "discussion.md").write_text("Discussion.\n")
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages


def test_an_edited_results_cache_does_not_verify_and_is_recomputed(built):
    study, out = built
    path = out / ".cache" / "results.json"
    head, body = path.read_bytes().split(b"\n", 1)
    assert json.loads(head)["format"] and b'"patient_id"' in body
    path.write_bytes(head + b"\n" + body.replace(b'"A1"', b'"Z9"'))
    (study / "manuscript").mkdir()
    (study / "manuscript" / "discussion.md").write_text("Discussion.\n")
    assert "analysed 4 patients" in rebuild(study, out)
    assert "A1" in (out / "tables" / "patient_endpoints.csv").read_text()


def test_results_json_edited_in_the_build_folder_is_not_taken_for_the_analysis(built):
    """The cache reads the model back from results.json, checked against its digest."""
    study, out = built
    results = out / "results.json"
    results.write_text(results.read_text().replace('"n_patients": 4', '"n_patients": 40'))
    (study / "manuscript").mkdir()
    (study / "manuscript" / "discussion.md").write_text("Discussion.\n")
    assert "analysed 4 patients" in rebuild(study, out)
    assert json.loads(results.read_text())["n_patients"] == 4


def test_a_results_cache_others_may_change_is_not_trusted(built):
    """A shared folder: a cache entry writable by the group could be anyone's."""
    study, out = built
    (out / ".cache" / "results.json").chmod(0o664)
    (study / "manuscript").mkdir()
    (study / "manuscript" / "discussion.md").write_text("Discussion.\n")
    assert "analysed 4 patients" in rebuild(study, out)
    assert (out / ".cache" / "results.json").stat().st_mode & 0o777 == 0o644


def test_a_pickle_planted_in_the_cache_is_never_loaded(built, tmp_path):
    """The old cache format ran code when read; nothing in a build folder is unpickled."""
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    out = built[1]
    (out / ".cache" / "results.pickle").write_bytes(pickle.dumps(Payload()))
    (built[0] / "manuscript").mkdir()
    (built[0] / "manuscript" / "discussion.md").write_text("Discussion.\n")
    rebuild(*built)
    assert not marker.exists()


def test_a_corrupt_manifest_makes_the_folder_foreign_and_it_is_refused(built):
    """A .cache/ folder alone proves nothing: without a manifest of ours the folder might
    be anyone's, so nothing in it is replaced."""
    study, out = built
    (out / ".cache" / "manifest.json").write_text("{not json")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert not cache.up_to_date(study, out)
    with pytest.raises(StudyError, match="not an nps-report build folder"):
        build(study, out, built_at=STAMP)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_a_touched_output_file_is_rebuilt(built):
    study, out = built
    (out / "figures" / "km_os.png").write_bytes(b"not a png")
    assert not cache.up_to_date(study, out)
    messages = rebuild(study, out)
    assert "drew figures" in messages
    assert (out / "figures" / "km_os.png").read_bytes()[:4] == b"\x89PNG"


def test_force_rebuilds_everything(built):
    study, out = built
    messages = rebuild(study, out, force=True)
    assert "analysed 4 patients" in messages and "drew figures" in messages


def test_changed_code_invalidates_results(built, monkeypatch):
    study, out = built
    real = cache.fingerprint

    def other_code(study_dir, options=None):
        fp = real(study_dir, options)
        return dataclasses.replace(fp, stages={name: "0" * 64 for name in fp.stages})

    monkeypatch.setattr("nps_report.build.fingerprint", other_code)
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages and "drew figures" in messages


def test_the_cached_results_are_the_very_results_the_build_computed(tmp_path):
    """The JSON cache gives back Results whose every value prints as before (the figures'
    and documents' keys are digests of those prints): landmark order, floats, None."""
    from nps_report.outputs import write_data_files
    from nps_report.pipeline import compute
    from nps_report.resultcache import load_results, save_results

    study = shutil.copytree(SMALL, tmp_path / "study")
    text = (study / "study.yaml").read_text().replace("landmarks_months: [6]",
                                                      "landmarks_months: [6, 12, 3]")
    (study / "study.yaml").write_text(text)
    fp = cache.fingerprint(study)
    computed = compute(study, STAMP)
    (tmp_path / "out").mkdir()
    write_data_files(computed[1], tmp_path / "out")
    save_results(tmp_path / "out", fp, computed[0].config, computed[1])
    config, results = load_results(tmp_path / "out", fp, study)
    assert repr(results) == repr(computed[1]) and config == computed[0].config
    assert repr(results.patients) == repr(computed[1].patients)
    assert results.counted == computed[1].counted and results.counted.sets
    def raw(timepoints):  # NaN (a blank) is not equal to itself: compared as bytes
        return [(c[0], *c[1:-1], c[-1].typecode, c[-1].tobytes())
                for c in (*timepoints.numbers, *timepoints.texts)]

    assert raw(results.timepoints) == raw(computed[1].timepoints)
    assert len(results.timepoints) == len(computed[1].timepoints) > 0
    assert [lm.months for lm in results.survival.pfs.landmarks] == [6.0, 12.0, 3.0]


def test_an_edit_of_the_studys_own_journal_profile_rebuilds_the_documents(built):
    """The profile file study.yaml names is an input like the Markdown: editing it is not
    'up to date' (it was, before: the edit was silently left out)."""
    study, out = built
    shipped = Path(__file__).parent.parent / "nps_report" / "journals" / "default.yaml"
    profile = study / "house.yaml"
    profile.write_text(shipped.read_text())
    with open(study / "study.yaml", "a") as fh:
        fh.write("journal: house.yaml\n")
    rebuild(study, out)
    assert cache.up_to_date(study, out)
    profile.write_text(shipped.read_text().replace("line_spacing: 2.0", "line_spacing: 1.5"))
    assert not cache.up_to_date(study, out)
    messages = rebuild(study, out)
    assert "data unchanged: reusing the analysis of the last build" in messages
    assert "rendered manuscript.pdf and manuscript.docx" in messages
