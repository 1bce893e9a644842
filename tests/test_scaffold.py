"""`nps-report init` gives a new user a study folder that validates as it is."""

from __future__ import annotations

from nps_report.cli import main
from nps_report.pipeline import compute


def test_init_writes_a_valid_commented_study(tmp_path, capsys):
    folder = tmp_path / "my_study"
    assert main(["init", str(folder)]) == 0
    assert "nps-report validate" in capsys.readouterr().out
    assert "# or wilson, wald, t" in (folder / "study.yaml").read_text()
    _, results = compute(folder, "2025-01-01T00:00:00Z")
    assert results.n_patients == 4
    assert [v.label for v in results.baseline] == ["Age (years)", "Sex",
                                                   "ECOG performance status",
                                                   "Metastatic sites"]
    assert (folder / "manuscript" / "introduction.md").is_file()


def test_init_refuses_a_folder_that_has_files(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
