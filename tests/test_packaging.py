"""The wheel carries what an installed nps-report needs with no checkout: every module, the
templates, the fonts and the reference study; and every runtime dependency is bounded.

The wheel is built from a copy of the source tree (so the checkout gets no build/ or
egg-info), with setuptools' own PEP 517 hook and no network. CI goes further
(.ci/run): it installs the wheel into a fresh venv and builds from an empty folder.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from nps_report import paths

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", "build", ".setuptools-build", "dist", "*.egg-info",
                                    "__pycache__",
                                    ".venv", ".pytest_cache", ".ruff_cache", ".nps-cache")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    pytest.importorskip("setuptools", reason="the test extra installs setuptools")
    work = tmp_path_factory.mktemp("wheel")
    source, dist = work / "source", work / "dist"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist.mkdir()
    hook = f"from setuptools import build_meta; print(build_meta.build_wheel({str(dist)!r}))"
    done = subprocess.run([sys.executable, "-c", hook], cwd=source, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    name = done.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(dist / name) as whl:
        yield whl


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def test_the_wheel_holds_every_module_of_the_package(wheel):
    names = set(wheel.namelist())
    missing = [f"nps_report/{f}" for f in files_under(ROOT / "nps_report")
               if f"nps_report/{f}" not in names]
    assert not missing, f"left out of the wheel: {missing}"


@pytest.mark.parametrize("folder", ["templates", "data"])
def test_the_wheel_ships_the_top_level_folder_inside_the_package(wheel, folder):
    names = set(wheel.namelist())
    expected = [f"nps_report/_shipped/{folder}/{f}" for f in files_under(ROOT / folder)]
    assert expected and not [n for n in expected if n not in names]


def test_the_wheel_ships_the_fonts_the_stylesheet_names(wheel):
    names = set(wheel.namelist())
    css = (ROOT / "templates" / "manuscript.css").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("(fonts/[^"]+)"\)', css)
    assert fonts and all(f"nps_report/{f}" in names for f in fonts)


def test_the_wheel_installs_the_console_command_and_bounded_requirements(wheel):
    info = next(n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt"))
    assert "nps-report = nps_report.cli:run" in wheel.read(info).decode()
    meta = wheel.read(next(n for n in wheel.namelist()
                           if n.endswith(".dist-info/METADATA"))).decode()
    runtime = [line.split(":", 1)[1].strip() for line in meta.splitlines()
               if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert runtime and all("<" in r for r in runtime), runtime


def test_the_wheel_holds_nothing_from_a_build_or_a_cache(wheel):
    stray = [n for n in wheel.namelist()
             if "__pycache__" in n or n.endswith(".pyc") or n.startswith(("build/", "tests/"))]
    assert stray == []


def test_every_runtime_dependency_has_a_lower_and_an_upper_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        assert re.search(r">=\s*\d", requirement) and re.search(r"<\s*\d", requirement), (
            f"{requirement}: give it a tested lower bound and an upper bound below the next "
            "major version")


def test_an_installed_package_finds_its_files_in_shipped_first(tmp_path):
    package = tmp_path / "site-packages" / "nps_report"
    (package / "_shipped" / "templates").mkdir(parents=True)
    assert paths.shipped_root(package) == package / "_shipped"
    shutil.rmtree(package / "_shipped")
    assert paths.shipped_root(package) == package.parent  # a checkout: the folders beside it


def test_this_install_finds_templates_fonts_and_the_reference_study():
    assert (paths.TEMPLATES / "manuscript.css").is_file()
    assert (paths.FONTS / "LiberationSerif-Regular.ttf").is_file()
    assert all((paths.REFERENCE_STUDY / f).is_file() for f in
               ("study.yaml", "patients.csv", "tumor_assessments.csv", "adverse_events.csv"))


def release(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.match(r"\d+(?:\.\d+)*", text).group().split("."))


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13", "3.11-lowest"])
def test_the_constraints_file_pins_a_passing_set_inside_the_bounds(python):
    """constraints/py3.X.txt (scripts/constraints.py) is the record of versions the suite
    passed with: it pins every dependency, inside pyproject.toml's bounds; the -lowest
    file pins every direct dependency at its lower bound, which is what makes it true."""
    lines = (ROOT / "constraints" / f"py{python}.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(f"# Python {python[:4]}.") and "suite passed" in lines[0]
    pins = {name.lower().replace("_", "-"): version for name, version in
            (line.split("==") for line in lines if "==" in line)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in constraints/py{python}.txt"
        pinned = release(pins[name])
        low = re.search(r">=\s*([\d.]+)", requirement)
        high = re.search(r"<\s*([\d.]+)", requirement)
        assert not low or pinned >= release(low.group(1)), (name, pins[name])
        assert not high or pinned < release(high.group(1)), (name, pins[name])
        if python.endswith("-lowest") and low and name not in ("ruff", "setuptools"):
            bound = release(low.group(1))
            assert pinned[:len(bound)] == bound and not any(pinned[len(bound):]), (
                f"{name} {pins[name]} is not its lower bound {low.group(1)}: rerun "
                "python scripts/constraints.py --lowest")
