"""study.yaml parsed with the line and the text of every value, so problems point at a line.

PyYAML's safe_load forgets where a value was written and how: `levels: [Yes, No]`
arrives as [True, False]. Walking the composed node tree keeps, per path, the line
and the scalar as typed, so a boolean or date read where text was meant is reported
against study.yaml with the quoting that fixes it.

YAML's aliases let a few lines stand for billions of values ("billion laughs"): before
anything is built, the composed node graph is measured (each shared node once), and a
document that would expand beyond YAML_NODES values, nest deeper than YAML_DEPTH, or
refer to itself is refused in milliseconds. The same check guards every YAML file a
user hands over (bounded_load: journal profiles).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, StudyError
from ..limits import YAML_BYTES, YAML_DEPTH, YAML_NODES, human
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
    from ..inside import read_bytes

    raw = read_bytes(path.parent, path, limit=YAML_BYTES, what="study.yaml")
    text, problem = decode_utf8(raw, FILE, RESAVE_TEXT)
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
            measure(node, FILE)
            doc.data = _build(loader, node, (), doc, node.start_mark.line + 1)
        return doc
    except yaml.YAMLError as exc:
        raise StudyError([_syntax_problem(exc, text)]) from None
    except RecursionError:
        raise StudyError([Problem(FILE, "not valid YAML: nested too deeply, or an alias "
                                        "refers to itself",
                                  expected=f"keys and lists fewer than {YAML_DEPTH} levels "
                                           "deep")]) from None
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


def measure(node: yaml.Node, file: str) -> None:
    """Refuse a composed document that expands (aliases counted as often as they are used)
    beyond YAML_NODES values, nests deeper than YAML_DEPTH, or holds itself. Linear in
    the document: each node's expanded size is computed once."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(n: yaml.Node, depth: int) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if depth > YAML_DEPTH:
            raise StudyError([Problem(file, f"nested more than {YAML_DEPTH} levels deep",
                                      row=n.start_mark.line + 1,
                                      expected="keys and lists a few levels deep")])
        if id(n) in open_:
            raise StudyError([Problem(file, "not valid YAML: an alias refers to itself",
                                      row=n.start_mark.line + 1)])
        open_.add(id(n))
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(c, depth + 1) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        open_.discard(id(n))
        sizes[id(n)] = total
        if total > YAML_NODES:
            raise StudyError([Problem(
                file, f"its aliases (*name) expand to more than {YAML_NODES:,} values",
                row=n.start_mark.line + 1,
                expected="each value written out, or aliases used a few times (a YAML "
                         "'billion laughs' is refused)")])
        return total

    size(node, 0)


# libyaml's parser where PyYAML was built with it (its wheels are): the same safe types
# as yaml.safe_load, several times faster on the journal profiles and guidelines
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """yaml.safe_load, with libyaml when available; for the package's own data files,
    which need no line numbers (study.yaml is read by read_yaml, which keeps them)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def bounded_load(text: str, file: str) -> Any:
    """safe_load for a YAML file a user hands over (a journal profile): refused by size,
    depth or alias expansion (measure) before any value is built. yaml.YAMLError for a
    syntax error, as safe_load."""
    if len(text) > YAML_BYTES:
        raise StudyError([Problem(file, f"the file is larger than the {human(YAML_BYTES)} "
                                        "nps-report reads")])
    loader = yaml.SafeLoader(text)  # PyYAML's own messages (libyaml words them otherwise)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        measure(node, file)
        return loader.construct_document(node)
    finally:
        loader.dispose()

