"""The Jinja environment: strict about missing keys, and every printed value made literal.

A template that asks for a key Results does not have must stop the build and say
which key, in which template and line, and what it probably meant; Jinja's own
StrictUndefined says only "'x' is undefined". Every `{{ value }}` passes through
`finalize`, which escapes Markdown, so a drug called `A*B_1` stays literal text.
A macro's output is Markdown already: print it as `{{ macro() | md }}`.
"""

from __future__ import annotations

import difflib
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined, UndefinedError
from jinja2.utils import missing

from ..paths import TEMPLATES
from .filters import FILTERS
from .markdown import escape


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
        name = str(self._undefined_name)
        if self._undefined_obj is missing:
            raise TemplateKeyError(name, "the template context", [])
        owner = type(self._undefined_obj).__name__
        raise TemplateKeyError(name, owner, _names(self._undefined_obj))


# Jinja binds every operator (str, bool, ==, +, ...) to the base class's failure function
# itself, so re-point each of them at ours.
for _attr, _value in [*vars(Undefined).items(), *vars(StrictUndefined).items()]:
    if _value is Undefined._fail_with_undefined_error and _attr != "_fail_with_undefined_error":
        setattr(KeyUndefined, _attr, KeyUndefined._fail_with_undefined_error)


@cache
def environment(folder: Path = TEMPLATES) -> Environment:
    """One environment per template folder; autoescape is ours (Markdown), not HTML's."""
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        undefined=KeyUndefined,
        finalize=_finalize,
        autoescape=False,  # finalize escapes for Markdown, the format templates produce
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["md"] = Markdown  # `{{ macro(...) | md }}`: its values were escaped inside
    return env


class Markdown(str):
    """Text that is Markdown already (a macro's output): printed as it is, not escaped again."""


def _finalize(value: Any) -> str:
    if isinstance(value, Markdown):
        return value
    if value is None:
        raise TypeError("a template printed None; use a filter that words a missing value")
    return escape(str(value))


def render(name: str, context: dict[str, Any], folder: Path = TEMPLATES) -> str:
    """Render one template to Markdown, turning a missing key into a located TemplateKeyError."""
    try:
        return environment(folder).get_template(name).render(context)
    except TemplateKeyError as exc:
        raise exc.located(_where(exc, name), sorted(context)) from None


def render_parts(name: str, context: dict[str, Any],
                 folder: Path = TEMPLATES) -> dict[str, str]:
    """The `{% set part %}...{% endset %}` blocks of a template, by name (titles, notes)."""
    try:
        module = environment(folder).get_template(name).make_module(context)
    except TemplateKeyError as exc:
        raise exc.located(_where(exc, name), sorted(context)) from None
    return {k: str(v) for k, v in vars(module).items() if not k.startswith("_")}


def _where(exc: BaseException, name: str) -> str:
    """'results.md.j2, line 12' from the traceback Jinja rewrote to point into the template."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"{name}, line {line}" if line else name
