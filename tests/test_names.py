"""Names: one spelling per concept in code, and no two public functions or classes whose names
differ only by the order of their words (`fmt_ci_rate` beside `fmt_rate_ci` made a reader
guess which was which). The manuscript's own words follow the journal (present/spelling.py);
third-party names keep theirs (matplotlib's `color=`, python-docx's `highlight_color`), so
only names this package defines are read."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nps_report"
# American spellings of words the code uses in British form (ARCHITECTURE.md, Names);
# 'tumor_*' stays: the study contract names its files so
AMERICAN = re.compile(r"analyz|(?<![a-z])color|center(?!ed)|normaliz|summariz|organiz|"
                      r"serializ|initializ|behavior|favor|gray|labeled|modeled|canceled",
                      re.IGNORECASE)


@cache
def modules() -> tuple[tuple[Path, ast.Module], ...]:
    return tuple((path, ast.parse(path.read_text(encoding="utf-8")))
                 for path in sorted(PACKAGE.rglob("*.py")))


def defined_names(tree: ast.AST) -> list[tuple[str, int]]:
    """Every name a module defines: functions, classes, arguments, assigned variables and
    fields (attributes set on other libraries' objects are theirs)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.append((node.name, node.lineno))
        elif isinstance(node, ast.arg):
            out.append((node.arg, node.lineno))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.append((node.id, node.lineno))
    return out


def public_definitions() -> dict[tuple[str, ...], set[str]]:
    """Public functions and classes of two or more words, by their words in sorted order."""
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for _path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and \
                    not node.name.startswith("_") and "_" in node.name:
                found[tuple(sorted(node.name.split("_")))].add(node.name)
    return found


def test_code_names_are_spelled_one_way():
    american = [f"{path.relative_to(PACKAGE)}:{line} {name}"
                for path, tree in modules()
                for name, line in defined_names(tree)
                if AMERICAN.search(name) and not name.startswith("tumor_")]
    assert american == []


def test_no_two_public_names_differ_only_by_word_order():
    clashes = sorted(sorted(names) for names in public_definitions().values() if len(names) > 1)
    assert clashes == []


def test_the_checks_see_what_they_look_for():
    """Both checks would fail on the names the issue found (the tests cannot pass vacuously)."""
    source = "def fmt_ci_rate(): ...\ndef fmt_rate_ci(): ...\ndef analyze(color): ...\n"
    tree = ast.parse(source)
    assert [n for n, _ in defined_names(tree) if AMERICAN.search(n)] == ["analyze", "color"]
    words = {tuple(sorted(n.name.split("_"))) for n in tree.body if "_" in n.name}
    assert len(words) == 1  # the two fmt_ names are one set of words
    assert len(public_definitions()) > 300  # the package's names were read
