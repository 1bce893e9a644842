"""The build graph: each stage's cache key covers the code it runs and the libraries that shape
its output, so an upgrade redoes exactly what it shapes and results.json names the versions."""

from __future__ import annotations

import ast
import json
import platform
import shutil
from pathlib import Path

import pytest

from nps_report import graph, versions
from nps_report.build import build

PACKAGE = Path(__file__).resolve().parent.parent / "nps_report"
SMALL = Path(__file__).parent / "studies" / "small"
AT = "2025-01-01T00:00:00Z"


def module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    for candidate in (PACKAGE.joinpath(*parts).with_suffix(".py"),
                      PACKAGE.joinpath(*parts) / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports_of(path: Path) -> set[str]:
    """The nps_report modules a file imports (at any depth of the function bodies)."""
    package = "nps_report." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = package.removesuffix(".__init__")
    base = package.split(".") if path.name == "__init__.py" else package.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                root = base[:len(base) - node.level + 1]
                target = ".".join([*root, *([node.module] if node.module else [])])
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
            elif node.module and node.module.startswith("nps_report"):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("nps_report"))
    return {m for m in found if module_file(m) is not None}


def closure(entry: str) -> set[Path]:
    todo, seen = [entry], set()
    while todo:
        name = todo.pop()
        path = module_file(name)
        if path is None or path in seen:
            continue
        seen.add(path)
        todo += imports_of(path)
    return seen


@pytest.mark.parametrize("stage", graph.STAGES, ids=lambda s: s.name)
def test_a_stage_declares_all_the_code_its_entry_point_runs(stage):
    declared = [PACKAGE / rel for rel in (*graph.SHARED_CODE, *stage.code)]

    def covered(path: Path) -> bool:
        return any(path == d or d in path.parents for d in declared)

    missing = sorted(str(p.relative_to(PACKAGE)) for p in closure(stage.entry) if not covered(p))
    assert not missing, f"stage {stage.name!r} runs code it does not declare: {missing}"


REAL_INSTALLED = versions.installed


@pytest.fixture()
def fresh_versions():
    REAL_INSTALLED.cache_clear()
    versions.closure.cache_clear()
    yield
    REAL_INSTALLED.cache_clear()
    versions.closure.cache_clear()


def pretend(monkeypatch, **changed: str) -> None:
    """Make the build see other versions of some distributions (name=version)."""
    real = versions.installed()
    fake = {**real, **{versions.normalise(k.replace("_", "-")): (v, real[versions.normalise(
        k.replace("_", "-"))][1]) for k, v in changed.items()}}
    monkeypatch.setattr(versions, "installed", lambda: fake)
    versions.closure.cache_clear()


@pytest.fixture()
def built(tmp_path):
    study = shutil.copytree(SMALL, tmp_path / "study")
    build(study, tmp_path / "out", built_at=AT)
    return study, tmp_path / "out"


def rebuild(study: Path, out: Path) -> list[str]:
    messages: list[str] = []
    build(study, out, built_at=AT, progress=messages.append)
    return messages


def test_a_jinja2_upgrade_rerenders_the_documents_only(built, monkeypatch, fresh_versions):
    study, out = built
    pretend(monkeypatch, jinja2="3.1.5")
    messages = rebuild(study, out)
    assert "data unchanged: reusing the analysis of the last build" in messages
    assert "figures unchanged: reused" in messages
    assert "rendered manuscript.pdf and manuscript.docx" in messages
    assert json.loads((out / "results.json").read_text())["provenance"]["software"][
        "jinja2"] == "3.1.5"
    assert rebuild(study, out) == ["nothing changed since the last build"]


def test_a_numpy_upgrade_redoes_the_analysis_and_figures_and_the_methods_name_it(
        built, monkeypatch, fresh_versions):
    study, out = built
    pretend(monkeypatch, numpy="9.9.9")
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages and "drew figures" in messages
    results = json.loads((out / "results.json").read_text())
    assert results["provenance"]["software"]["numpy"] == "9.9.9"
    assert ["numpy", "9.9.9"] in results["methods"]["software"]
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out / "manuscript.pdf").pages)
                    .split())
    assert "numpy 9.9.9" in text


def test_a_new_python_redoes_everything(built, monkeypatch, fresh_versions):
    study, out = built
    monkeypatch.setattr(platform, "python_version", lambda: "3.99.0")
    versions.closure.cache_clear()
    messages = rebuild(study, out)
    assert "analysed 4 patients" in messages and "drew figures" in messages
    results = json.loads((out / "results.json").read_text())
    assert results["provenance"]["software"]["python"] == "3.99.0"
    assert ["Python", "3.99.0"] in results["methods"]["software"]


def test_an_unrelated_upgrade_changes_nothing(built, monkeypatch, fresh_versions):
    study, out = built
    pretend(monkeypatch, pytest="99.0")
    assert rebuild(study, out) == ["nothing changed since the last build"]
