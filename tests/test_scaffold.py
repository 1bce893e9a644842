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


def test_the_instructions_init_writes_are_placeholders_not_counted_as_words(tmp_path):
    from nps_report.present.catalogue import CATALOGUE
    from nps_report.render import compose_documents
    from nps_report.render.model import Block
    from nps_report.render.wordcount import word_counts

    from .test_documents import fake_figures

    folder = tmp_path / "my_study"
    assert main(["init", str(folder)]) == 0
    study, results = compute(folder, "2025-01-01T00:00:00Z")
    ms = compose_documents(results, CATALOGUE.build_tables(results), fake_figures(tmp_path),
                           study.config, folder)
    blocks = [e for e in ms.elements if isinstance(e, Block)]
    intro = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1
                 and b.text == "Introduction")
    paragraph = blocks[intro + 1]
    assert paragraph.text.startswith("[Introduction: replace this line with your introduction")
    assert all(r.mark for r in paragraph.runs)  # highlighted in both documents
    counts = word_counts(ms.elements)
    assert dict(counts.by_section).get("introduction", 0) == 0
    # every placeholder of the manuscript is highlighted, and none is counted
    marked = [r.text for b in blocks for r in b.runs if r.mark]
    assert len(marked) > 5 and all(t.startswith("[") and t.endswith("]") for t in marked)
    assert "\n" not in paragraph.text  # a placeholder over several lines reads as one
    title_line = next(b.text for b in blocks if b.text.startswith("Word count:"))
    discussion = next(i for i, b in enumerate(blocks) if b.text == "Discussion")
    every_word = sum(len(b.text.split()) for b in blocks[intro:discussion + 3]
                     if b.kind != "heading")
    assert f"main text {counts.main_text}" in title_line and counts.main_text < every_word
