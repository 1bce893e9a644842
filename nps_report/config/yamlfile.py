"""study.yaml parsed with the line and the text of every value, so problems point at a line.

PyYAML's safe_load forgets where a value was written and how: `levels: [Yes, No]`
arrives as [True, False]. Walking the composed node tree keeps, per path, the line
and the scalar as typed, so a boolean or date read where text was meant is reported
against study.yaml with the quoting that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, StudyError
from .encoding import RESAVE_TEXT, decode_utf8

FILE = "study.yaml"
Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Spot:
    """Where a value is written: its line (1-based) and, for a scalar, the text as typed."""

    line: int
    key_line: int
    text: str | None = None
    plain: bool = False  # an unquoted scalar, which YAML may read as a bool, date or null


@dataclass
class Document:
    """The parsed YAML, the Spot of every value by path, and keys written twice."""

    data: Any
    spots: dict[Path_, Spot]
    duplicates: list[Problem]

    def spot(self, path: Path_) -> Spot | None:
        return self.spots.get(tuple(path))


def read_study_yaml(path: Path) -> Document:
    """Read and parse study.yaml; raise StudyError naming the line of a YAML mistake."""
    text, problem = decode_utf8(path.read_bytes(), FILE, RESAVE_TEXT)
    if problem is not None:
        raise StudyError([problem])
    return parse_yaml(text or "")


def parse_yaml(text: str) -> Document:
    try:
        loader = yaml.SafeLoader(text)  # checks for unprintable characters already
    except yaml.YAMLError as exc:
        raise StudyError([_syntax_problem(exc, text)]) from None
    try:
        node = loader.get_single_node()
        doc = Document(None, {}, [])
        if node is not None:
            doc.data = _build(loader, node, (), doc, node.start_mark.line + 1)
        return doc
    except yaml.YAMLError as exc:
        raise StudyError([_syntax_problem(exc, text)]) from None
    except RecursionError:
        raise StudyError([Problem(FILE, "not valid YAML: an alias refers to itself")]) from None
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.YAMLError, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return Problem(FILE, f"holds a control character (#x{exc.character:04x}) that YAML "
                             "does not allow", row=line,
                       expected="plain text: delete the character (it may come from "
                                "copying out of another program)")
    hint = None
    if "\\t" in repr(what) or "'\\t'" in str(exc):
        hint = "indentation with spaces: YAML does not allow tabs"
    elif "mapping values are not allowed" in str(what):
        hint = ("a value containing ': ' in quotes, e.g. title: \"Drug X: a phase II "
                "study\"")
    return Problem(FILE, f"not valid YAML: {what}", row=mark.line + 1 if mark else None,
                   expected=hint)


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, doc: Document,
           key_line: int) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        doc.spots[path] = Spot(line, key_line, node.value, node.style is None)
        try:
            return loader.construct_object(node)
        except (ValueError, TypeError, OverflowError):
            return node.value  # e.g. 2021-02-30 matches YAML's date form but is no date
    doc.spots[path] = Spot(line, key_line)
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, child, (*path, i), doc, child.start_mark.line + 1)
                for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves `<<: *anchor` merges as safe_load does
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _key(loader, key_node)
            k_line = key_node.start_mark.line + 1
            if key in out:
                doc.duplicates.append(Problem(
                    FILE, "key written twice (YAML keeps only the last)", row=k_line,
                    column=".".join(str(p) for p in (*path, key)),
                    expected="each key once: delete or merge the repeated one"))
            out[key] = _build(loader, value_node, (*path, key), doc, k_line)
        return out
    return loader.construct_object(node, deep=True)


def _key(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Keys are names and labels, never booleans or dates: `Yes:` is the text 'Yes'."""
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return yaml.serialize(node).strip()  # a complex key: shown as written, never matches


# libyaml's parser where PyYAML was built with it (its wheels are): the same safe types
# as yaml.safe_load, several times faster on the journal profiles and guidelines
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """yaml.safe_load, with libyaml when available; for our data files and journal profiles,
    which need no line numbers (study.yaml is read by read_yaml, which keeps them)."""
    return yaml.load(text, Loader=_SAFE_LOADER)

