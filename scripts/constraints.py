"""Record the versions the test suite passes with, one constraints file per Python.

    python scripts/constraints.py              # Python 3.11, 3.12 and 3.13 (.ci/find-python)
    python scripts/constraints.py 3.12         # one of them
    python scripts/constraints.py --no-test    # freeze without running the suite
    python scripts/constraints.py --lowest     # Python 3.11 with every lower bound

For each Python: a fresh venv, `pip install ".[test]"` (the newest releases inside
pyproject.toml's bounds), the whole suite, and only if it passes, `pip freeze` into
constraints/py3.X.txt. With --lowest, every direct dependency is installed at its lower
bound instead (on the oldest Python), into constraints/py3.11-lowest.txt: the proof that
the lower bounds are true. Install a known-good set with
`pip install -c constraints/py3.12.txt .` (or `pipx install --pip-args=...`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "constraints"
PYTHONS = ("3.11", "3.12", "3.13")
# checks the very files this script writes, so it cannot pass before they exist
CHECKS_THE_FILES = ("tests/test_packaging.py::"
                    "test_the_constraints_file_pins_a_passing_set_inside_the_bounds")


# Releases older than the newest that the lowest direct dependencies need: matplotlib 3.8
# calls pyparsing's parseString, which pyparsing 3.2 deprecates (an error in the suite).
LOWEST_EXTRA = {"pyparsing": "3.1.4"}


def lower_bounds() -> list[str]:
    """name==lower bound for every runtime and test dependency that has one."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group()
        low = re.search(r">=\s*([\w.]+)", requirement)
        if low and name not in ("ruff", "setuptools"):  # tools: the newest allowed
            pins.append(f"{name}=={low.group(1)}")
    return [*pins, *(f"{name}=={version}" for name, version in LOWEST_EXTRA.items())]


def find_python(version: str) -> str:
    return subprocess.run(["bash", str(ROOT / ".ci" / "find-python"), version], check=True,
                          capture_output=True, text=True).stdout.strip()


def freeze(version: str, run_tests: bool, lowest: bool = False) -> Path:
    python = find_python(version)
    with tempfile.TemporaryDirectory(prefix=f"nps-constraints-{version}-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        bin_dir = venv / "bin"
        env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                   VIRTUAL_ENV=str(venv))
        pip = [str(bin_dir / "python"), "-m", "pip"]
        subprocess.run([*pip, "install", "-q", "-U", "pip"], check=True, env=env)
        limits = []
        if lowest:
            (Path(tmp) / "lowest.txt").write_text("\n".join(lower_bounds()) + "\n")
            limits = ["-c", str(Path(tmp) / "lowest.txt")]
        subprocess.run([*pip, "install", "-q", *limits, f"{ROOT}[test]"], check=True, env=env)
        if run_tests:
            subprocess.run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p",
                            "no:cacheprovider", "--deselect", CHECKS_THE_FILES],
                           check=True, cwd=ROOT, env=env)
        frozen = subprocess.run([*pip, "freeze", "--all"], check=True, env=env,
                                capture_output=True, text=True).stdout.splitlines()
        exact = subprocess.run([str(bin_dir / "python"), "-c",
                                "import platform; print(platform.python_version())"],
                               check=True, capture_output=True, text=True).stdout.strip()
    pins = sorted((line for line in frozen if line and not line.lower().startswith(
        ("nps-report", "nps_report", "pip=="))), key=str.lower)
    tested = "the whole test suite passed" if run_tests else "frozen WITHOUT running the tests"
    if lowest:
        tested += " (every direct dependency at its lower bound)"
    header = [f"# Python {exact}, {dt.date.today().isoformat()}: {tested} with these versions.",
              "# Regenerate: python scripts/constraints.py; use: pip install -c <this file> .",
              "# (pip, and nps-report itself, are left out.)"]
    FOLDER.mkdir(exist_ok=True)
    path = FOLDER / f"py{version}{'-lowest' if lowest else ''}.txt"
    path.write_text("\n".join([*header, *pins]) + "\n", encoding="utf-8")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("versions", nargs="*", default=list(PYTHONS), metavar="X.Y")
    ap.add_argument("--no-test", action="store_true", help="freeze without running the suite")
    ap.add_argument("--lowest", action="store_true",
                    help="every direct dependency at its lower bound (default Python: 3.11)")
    args = ap.parse_args()
    versions = args.versions if args.versions != list(PYTHONS) or not args.lowest \
        else [PYTHONS[0]]
    for version in versions:
        path = freeze(version, not args.no_test, args.lowest)
        print(f"wrote {path.relative_to(ROOT)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
