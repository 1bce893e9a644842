"""Imports point downstream only, for every module and package of nps_report, configuration
included, and at any depth (an import inside a function counts like one at the top).

The flow (ARCHITECTURE.md): data -> derive -> analysis -> results -> present -> figures and
render; compare and living read finished builds; the build, the CLI and their helpers sit on
top. Every top-level module or package must be declared below with what of ours it may
import, so that a new package cannot slip in unchecked; and no package imports another's
private (`_name`) module. Results and formatting never need pandas, so templates and
renderers cannot compute statistics.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nps_report"

# What every layer may use: no imports of ours, or only of one another
FOUNDATION = {"errors", "codec", "paths", "version", "versions", "vocab", "usercache",
              "limits", "inside", "interrupts",  # bounds on every input
              "inputs"}  # which files a study's tables are, in any format
# Each top-level module or package, and what of ours (beyond FOUNDATION) it may import.
ALLOWED: dict[str, set[str]] = {
    **{name: set() for name in FOUNDATION},
    "synthetic": set(),  # writes a synthetic study folder: standard library only
    "results": set(),  # the model and its keys
    "config": set(),  # study.yaml, frozen: names journals and guidelines via paths, not imports
    "wordxml": set(),  # Word XML plumbing shared by render, compare and living
    # the source's own records the model holds as they are read (AEExclusions, the ADaM
    # DataSource): the model imports nothing of ours, so loading stays below analysis
    "data": {"config", "results"},
    "derive": {"data", "config"},
    "analysis": {"data", "derive", "config", "results"},
    "checklists": {"config"},
    "journals": {"checklists", "config"},  # a profile names its reporting guideline
    "references": {"journals", "config"},
    "present": {"results", "config"},
    "figures": {"present", "results", "config"},
    # journals, references: the layout and citations; checklists: the reporting checklist
    # written beside the manuscript
    "render": {"present", "wordxml", "journals", "references", "checklists", "results",
               "config"},
    "compare": {"present", "wordxml", "results", "config"},
    "living": {"compare", "wordxml", "results"},
    # the build and its helpers, above every layer they run
    "pipeline": {"analysis", "data", "derive", "journals", "results", "config"},
    "lock": {"pipeline"},
    "graph": set(),
    "cache": {"graph", "config"},  # config: study.yaml read as the build would, bounded
    "resultcache": {"cache", "config", "results"},  # the analysis' Results, kept between builds
    "outdir": {"cache"},  # the output folder: ours or nothing, swapped in whole
    "outputs": {"cache", "graph", "present", "provenance", "results", "config"},
    "parallel": {"figures", "present", "render", "results", "config"},
    "scaffold": set(),
    "scaffold_adam": {"data", "scaffold"},  # `init` from a sponsor's ADaM folder
    # where a number comes from: reads Results, its keys and the reader's labels of present
    "provenance": {"present", "results"},
    # the live preview: runs builds and serves their page
    "preview": {"cache", "config", "figures", "graph", "lock", "outputs", "pipeline",
                "present", "provenance", "render", "results"},
    "build": {"cache", "compare", "config", "graph", "journals", "lock", "outdir", "outputs",
              "parallel", "pipeline", "present", "render", "resultcache", "results"},
    "cli": {"build", "cache", "compare", "living", "lock", "outdir", "parallel", "pipeline",
            "preview", "results", "scaffold", "scaffold_adam"},
    "__init__": {"build", "pipeline", "results"},  # lazily, by name
    "__main__": {"cli"},
}


def unit_of(rel: Path) -> str:
    """The top-level module or package a file belongs to: 'render' for render/filters.py."""
    return rel.parts[0].removesuffix(".py")


def imports_of(rel: Path, source: str) -> list[tuple[str, ...]]:
    """Every import of ours in a file, anywhere in it, as the package-relative path of what
    it names: ('compare', '_wordxml') for `from ..compare import _wordxml` in
    living/check.py, ('journals', 'shipped_profiles') for a name imported from a package."""
    package = list(rel.parts[:-1])  # the package the file is in
    found: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "nps_report":
                target = node.module.split(".")[1:]
            else:
                continue
            found += [(*target, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [tuple(a.name.split(".")[1:]) for a in node.names
                      if a.name.split(".")[0] == "nps_report" and "." in a.name]
    return found


def violations(rel: Path, source: str) -> list[str]:
    """What in `source` (the file `rel`, relative to the package) breaks the layering."""
    unit = unit_of(rel)
    allowed = ALLOWED[unit] | FOUNDATION | {unit}
    out = []
    for path in imports_of(rel, source):
        other = path[0].removesuffix(".py")
        if other not in allowed:
            out.append(f"imports {'.'.join(path)} ({other} is not below {unit})")
        elif other != unit and any(p.startswith("_") and not p.startswith("__")
                                   for p in path[1:]):
            out.append(f"imports {'.'.join(path)}, private to {other}")
    return out


FILES = sorted(PACKAGE.rglob("*.py"))


def test_every_top_level_module_and_package_is_declared():
    units = {unit_of(p.relative_to(PACKAGE)) for p in FILES}
    assert units - ALLOWED.keys() == set(), "declare its layer in ALLOWED"
    assert ALLOWED.keys() - units == set(), "a declared layer no longer exists"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_downstream(path):
    rel = path.relative_to(PACKAGE)
    assert violations(rel, path.read_text(encoding="utf-8")) == []


# The breaches issue 23 found, as their files had them: each must be caught.
BREACHES = {
    "living/check.py": "from ..compare import _wordxml as wx\n",  # another package's private
    "render/docx_xml.py": "from ..living.record import CUSTOM_PROPS_NS\n",  # render -> living
    "config/authors.py": ("class JournalName:\n"  # config reaching up, inside a function
                          "    def read(self, value, at):\n"
                          "        from ..journals import shipped_profiles\n"
                          "        return shipped_profiles()\n"),
}


@pytest.mark.parametrize("rel", BREACHES)
def test_the_breaches_the_rule_was_written_for_are_caught(rel):
    found = violations(Path(rel), BREACHES[rel])
    assert found, f"{rel}: not caught"


def test_a_breach_message_names_the_import_and_the_layers():
    assert violations(Path("config/authors.py"), BREACHES["config/authors.py"]) == [
        "imports journals.shipped_profiles (journals is not below config)"]
    assert violations(Path("living/check.py"), BREACHES["living/check.py"]) == [
        "imports compare._wordxml, private to compare"]
    assert violations(Path("render/docx_xml.py"), BREACHES["render/docx_xml.py"]) == [
        "imports living.record.CUSTOM_PROPS_NS (living is not below render)"]


@pytest.mark.parametrize("module", ["nps_report", "nps_report.results", "nps_report.cache",
                                    "nps_report.present.fmt", "nps_report.cli",
                                    "nps_report.graph", "nps_report.vocab",
                                    "nps_report.present.catalogue", "nps_report.render",
                                    "nps_report.living.commands", "nps_report.wordxml.text",
                                    "nps_report.config"])
def test_module_imports_without_the_analysis_stack(module):
    code = (f"import sys, {module}; heavy = [m for m in ('pandas', 'numpy', 'scipy', "
            "'matplotlib', 'weasyprint', 'lifelines') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
