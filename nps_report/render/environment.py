"""The Jinja environment: strict about missing keys, and every printed value made literal.

A template that asks for a key Results does not have must stop the build and say
which key, in which template and line, and what it probably meant; Jinja's own
StrictUndefined says only "'x' is undefined". Every `{{ value }}` passes through
`finalize`, which escapes Markdown, so a drug called `A*B_1` stays literal text.
A macro's output is Markdown already: print it as `{{ macro() | md }}`.

Every template renders in Jinja's immutable sandbox: a study may bring its own copies
(manuscript/templates/), and a study folder from a colleague must not run code. The
sandbox refuses attributes that start with '_' and Python internals (the known escapes
through `cycler.__init__.__globals__`, `''.__class__.__mro__`, `str.format`), calls to
anything unsafe, and changes to lists and dicts; templates only read Results and format.
"""

from __future__ import annotations

import difflib
import hashlib
from contextlib import suppress
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
)
from jinja2.bccache import Bucket
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import missing

from ..errors import Problem, StudyError, did_you_mean
from ..paths import TEMPLATES
from ..usercache import trusted_file, user_cache
from .filters import FILTERS
from .markdown import escape
from .tracking import Bound, TrackedFloat, TrackedInt, TrackedStr, length, marked, unwrap

STUDY_TEMPLATES = Path("manuscript") / "templates"  # a study's own template parts


@dataclass(frozen=True)
class Templates:
    """Where templates are looked up: a study's manuscript/templates/ first (its files replace
    the package's of the same name), then the package's templates/."""

    folders: tuple[Path, ...] = (TEMPLATES,)
    study: Path | None = None  # the study folder whose manuscript/templates/ comes first

    @classmethod
    def for_study(cls, study_path: Path | None) -> Templates:
        own = study_path / STUDY_TEMPLATES if study_path is not None else None
        if own is None or not own.is_dir():
            return cls()
        return cls((own.resolve(), TEMPLATES), study_path)

    def study_file(self, filename: str) -> str | None:
        """'manuscript/templates/results.md.j2' if filename is one of the study's own."""
        if self.study is None:
            return None
        own = self.folders[0]
        try:
            rel = Path(filename).resolve().relative_to(own)
        except ValueError:
            return None
        return (STUDY_TEMPLATES / rel).as_posix()

    def overrides(self) -> list[str]:
        """The study's template files, by the name they are looked up under."""
        if self.study is None:
            return []
        own = self.folders[0]
        return sorted(p.relative_to(own).as_posix() for p in own.rglob("*") if p.is_file())


class TemplateKeyError(UndefinedError):
    """A template used a name that does not exist; the message names it and close matches."""

    def __init__(self, key: str, owner: str, candidates: list[str], where: str = "") -> None:
        self.key, self.owner, self.candidates, self.where = key, owner, candidates, where
        super().__init__(self._message())

    def _message(self) -> str:
        close = difflib.get_close_matches(self.key, self.candidates, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        known = f" (known: {', '.join(sorted(self.candidates))})" if self.candidates else ""
        place = f"{self.where}: " if self.where else ""
        return f"{place}no key {self.key!r} on {self.owner}{hint}{known}"

    def located(self, where: str, context_names: list[str]) -> TemplateKeyError:
        """The same error with the template position, and top-level names as candidates."""
        candidates = self.candidates if self.owner != "the template context" else context_names
        return TemplateKeyError(self.key, self.owner, candidates, where)


def _names(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        return [str(k) for k in obj]
    if is_dataclass(obj):
        props = [n for n, v in vars(type(obj)).items() if isinstance(v, property)]
        return [f.name for f in fields(obj)] + props
    return [n for n in dir(obj) if not n.startswith("_")]


class KeyUndefined(StrictUndefined):
    """StrictUndefined whose failure lists the names that do exist on the parent."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        if self._undefined_exception is SecurityError:  # the sandbox refused an attribute
            raise SecurityError(f"{self._undefined_hint} Templates only read the Results "
                                "model and format its values")
        name = str(self._undefined_name)
        if self._undefined_obj is missing:
            raise TemplateKeyError(name, "the template context", [])
        obj = unwrap(self._undefined_obj)
        raise TemplateKeyError(name, type(obj).__name__, _names(obj))


# Jinja binds every operator (str, bool, ==, +, ...) to the base class's failure function
# itself, so re-point each of them at ours.
for _attr, _value in [*vars(Undefined).items(), *vars(StrictUndefined).items()]:
    if _value is Undefined._fail_with_undefined_error and _attr != "_fail_with_undefined_error":
        setattr(KeyUndefined, _attr, KeyUndefined._fail_with_undefined_error)


def _templates(folder: Path | Templates) -> Templates:
    return folder if isinstance(folder, Templates) else Templates((Path(folder),))


def environment(folder: Path | Templates = TEMPLATES) -> Environment:
    """One environment per template search path; autoescape is ours (Markdown), not HTML's.
    The study's number style is in each render's context (filters.style_of)."""
    return _environment(_templates(folder).folders)


class QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates kept between runs (a third of a prose-edit rebuild was
    compiling them). Each entry is checked against its template's source and Jinja's and
    Python's versions by Jinja itself, and is loaded only from the user's own file that
    no one else may change (compiled code is code); a cache folder that cannot be read or
    written only means templates are compiled again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        if not trusted_file(Path(self._get_cache_filename(bucket))):
            bucket.reset()
            return
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache() -> QuietBytecodeCache | None:
    """Compiled templates in the user's cache folder (usercache.py), or none. Jinja compiles
    into a template whether each filter takes the context; its entries are checked against
    the template's source only, so the file names carry a digest of the filters' kinds: a
    filter that starts (or stops) taking the context does not meet old bytecode."""
    folder = user_cache("templates-sandboxed")  # not the unsandboxed code of before
    if folder is None:
        return None
    kinds = sorted((name, str(getattr(fn, "jinja_pass_arg", ""))) for name, fn in FILTERS.items())
    tag = hashlib.sha256(repr(kinds).encode()).hexdigest()[:12]
    return QuietBytecodeCache(str(folder), f"__jinja2_%s_{tag}.cache")


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, and no text or list multiplied (or number raised) beyond
    what a manuscript holds: `'x' * 10**9` would take the memory of the machine."""

    intercepted_binops = frozenset({"*", "**"})
    MAX_ITEMS = 100_000

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("a template may not raise a number to a power above 64")
        if operator == "*" and isinstance(left, str | list | tuple) != isinstance(
                right, str | list | tuple):
            seq, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(times, int) and len(seq) * times > self.MAX_ITEMS:
                raise SecurityError(f"a template may not repeat text or a list to more than "
                                    f"{self.MAX_ITEMS:,} items")
        return super().call_binop(context, operator, left, right)


@cache
def _environment(folders: tuple[Path, ...]) -> Environment:
    env = TemplateSandbox(
        loader=FileSystemLoader([str(f) for f in folders]),
        bytecode_cache=bytecode_cache(),
        undefined=KeyUndefined,
        finalize=_finalize,
        autoescape=False,  # finalize escapes for Markdown, the format templates produce
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)  # the format registry's and the wording ones
    env.filters["length"] = length  # Jinja's, but a count of a tuple of the model keeps its key
    env.filters["md"] = Markdown  # `{{ macro(...) | md }}`: its values were escaped inside
    return env


class Markdown(str):
    """Text that is Markdown already (a macro's output): printed as it is, not escaped again."""


def _finalize(value: Any) -> str:
    """Every printed value becomes literal Markdown; a number printed from Results keeps its
    key (a filter's Bound text, or a tracked count printed as it is)."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        raise TypeError("a template printed None; use a filter that words a missing value")
    if isinstance(value, TrackedInt | TrackedFloat | TrackedStr):
        value = Bound(str(value), str(value.path.printed("value")))
    if isinstance(value, Bound):
        return marked(escape(value), value.key)
    return escape(str(value))


def render(name: str, context: dict[str, Any], folder: Path | Templates = TEMPLATES) -> str:
    """Render one template to Markdown, turning a missing key into a located TemplateKeyError
    (a StudyError when the template is the study's own)."""
    templates = _templates(folder)
    try:
        return environment(templates).get_template(name).render(context)
    except Exception as exc:
        raise _located(exc, name, context, templates) from None


def render_parts(name: str, context: dict[str, Any],
                 folder: Path | Templates = TEMPLATES,
                 required: tuple[str, ...] = ()) -> dict[str, str]:
    """The `{% set part %}...{% endset %}` blocks of a template, by name (titles, notes);
    `required` parts must be there (a study's own copy of a template may lack them)."""
    templates = _templates(folder)
    try:
        module = environment(templates).get_template(name).make_module(context)
    except Exception as exc:
        raise _located(exc, name, context, templates) from None
    parts = {k: str(v) for k, v in vars(module).items() if not k.startswith("_")}
    missing_parts = [p for p in required if p not in parts]
    if missing_parts:
        template = environment(templates).get_template(name)
        own = templates.study_file(template.filename or "")
        message = (f"defines no {', '.join(repr(p) for p in missing_parts)} part"
                   f"{'s' if len(missing_parts) > 1 else ''}")
        expected = (f"{{% set {missing_parts[0]} %}}...{{% endset %}}, as the package's "
                    f"{name} has")
        if own is not None:
            raise StudyError([Problem(own, message, expected=expected)])
        raise KeyError(f"{name} {message}")
    return parts


def check_overrides(templates: Templates, known: set[str]) -> None:
    """Every file in the study's manuscript/templates/ must replace a template the build
    uses: a misspelt name would otherwise be ignored without a word."""
    problems = []
    for name in templates.overrides():
        if name not in known:
            problems.append(Problem(
                (STUDY_TEMPLATES / name).as_posix(), "replaces no template of the manuscript",
                expected=did_you_mean(name, sorted(known))))
    if problems:
        raise StudyError(problems)


def _located(exc: Exception, name: str, context: dict[str, Any],
             templates: Templates) -> Exception:
    """The error with the template and line it happened in; a StudyError naming the file when
    that template is the study's own (the user can fix it), else the error (our bug)."""
    filename, line = _where(exc, name)
    if isinstance(exc, TemplateKeyError):
        exc = exc.located(f"{Path(filename).name if filename else name}"
                          + (f", line {line}" if line else ""), sorted(context))
    own = templates.study_file(filename) if filename else None
    if own is None:
        return exc
    message = exc.message if isinstance(exc, TemplateSyntaxError) and exc.message else str(exc)
    if isinstance(exc, TemplateKeyError):
        message = exc._message().split(": ", 1)[-1]
    kind = "template syntax error" if isinstance(exc, TemplateSyntaxError) else "template error"
    return StudyError([Problem(own, f"{kind}: {message}", row=line,
                               expected="a Jinja template like the package's " + name)])


def _where(exc: BaseException, name: str) -> tuple[str, int | None]:
    """(template file, line) from the traceback Jinja rewrote to point into the template."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    filename, line = "", None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code.co_filename
        if code.endswith(".j2") or code.endswith(name):
            filename, line = code, tb.tb_lineno
        tb = tb.tb_next
    return filename, line
