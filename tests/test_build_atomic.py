"""A build is all or nothing: a failure part-way leaves the previous output untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import nps_report.render as render
from nps_report.build import build
from nps_report.cli import main

SMALL = Path(__file__).parent / "studies" / "small"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_failure_while_writing_leaves_the_previous_build_and_no_staging(tmp_path,
                                                                         monkeypatch):
    study = shutil.copytree(SMALL, tmp_path / "study")
    out = tmp_path / "out"
    build(study, out, built_at="2025-01-01T00:00:00Z")
    before = snapshot(out)
    (study / "manuscript").mkdir()
    (study / "manuscript" / "introduction.md").write_text("Changed.\n")

    def explode(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(render, "write_docx_file", explode)
    with pytest.raises(OSError, match="disk full"):
        build(study, out, built_at="2025-01-02T00:00:00Z")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "study"]


def test_cli_reports_an_internal_error_without_a_traceback(tmp_path, monkeypatch, capsys):
    def explode(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(render, "write_docx_file", explode)
    code = main(["build", str(SMALL), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error: OSError: disk full" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_invalid_study_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["build", str(SMALL.parent / "broken" / "bad_date"), "--out", str(out)])
    assert code == 2
    assert "patients.csv, row 5, column 'treatment_start'" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []
