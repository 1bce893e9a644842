"""Imports point downstream only: load -> derive -> analyze -> present -> render.

A module may import from its own layer and the layers listed for it; Results and
formatting never need pandas, so templates and renderers cannot compute statistics.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nps_report"
SHARED = {"errors", "config", "results", "version", "paths", "vocab", "codec", "versions",
          "usercache"}
ALLOWED = {
    "data": {"data"},
    "derive": {"derive", "data"},
    "analysis": {"analysis", "data", "derive"},
    "present": {"present"},
    "figures": {"figures", "present"},
    # wordxml: Word plumbing and the bindings' record format; journals, references: the
    # layout and citations; checklists: the reporting checklist written beside the manuscript
    "render": {"render", "present", "wordxml", "journals", "references", "checklists"},
    "compare": {"compare", "present", "wordxml"},
    "journals": {"journals", "checklists"},  # a profile names its reporting guideline
    "references": {"references", "journals"},
    "checklists": {"checklists"},
    "living": {"living", "compare", "wordxml"},
    "wordxml": {"wordxml"},
}


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def internal_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    depth_root = len(path.relative_to(PACKAGE).parts) - 1
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = path.relative_to(PACKAGE).parts[: depth_root - node.level + 1]
                target = [*parts, *(node.module.split(".") if node.module else [])]
                if target:
                    found.add(target[0])
                else:
                    found.update(a.name for a in node.names)
            elif node.module and node.module.startswith("nps_report."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("nps_report."))
    return {f.removesuffix(".py") for f in found}


MODULES = [p for p in PACKAGE.rglob("*.py") if layer_of(p) in ALLOWED]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_imports_point_downstream(path):
    layer = layer_of(path)
    bad = internal_imports(path) - ALLOWED[layer] - SHARED
    assert not bad, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(bad)}"


@pytest.mark.parametrize("module", ["nps_report", "nps_report.results", "nps_report.cache",
                                    "nps_report.present.fmt", "nps_report.cli",
                                    "nps_report.graph", "nps_report.vocab",
                                    "nps_report.present.catalogue", "nps_report.render",
                                    "nps_report.living.commands"])
def test_module_imports_without_the_analysis_stack(module):
    code = (f"import sys, {module}; heavy = [m for m in ('pandas', 'numpy', 'scipy', "
            "'matplotlib', 'weasyprint', 'lifelines') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
