"""The Manuscript as one HTML document for WeasyPrint (layout lives in templates/manuscript.css).

Every piece of text is HTML-escaped here and nowhere else; markup comes only from
the paragraph model's flags, so a value such as `A&B <x>` prints as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..present.page import TEXT_WIDTH_MM
from ..present.tables import TableSpec
from ..results.keys import Key
from .fetcher import figure_url
from .linenumbers import RANGE, Words
from .model import (
    Block,
    Element,
    FigureImages,
    FigureLegend,
    Manuscript,
    PageBreak,
    Run,
    Table,
)
from .table_widths import percentages

TAGS = (("mark", "mark"), ("bold", "b"), ("italic", "i"), ("sup", "sup"), ("sub", "sub"))
# A bound text (its binding key, its text) as pieces, each number with its results.json key
# (provenance/keys.py); [] leaves the text as it is. The live preview passes one.
Keys = Callable[[str, str], list[tuple[str, str | None]]]
_KEYED_RANGE = re.compile(r'(<span class="num"[^>]*>[^<]*</span>)([–-])'
                          r'(<span class="num"[^>]*>[^<]*</span>)')


def to_html(ms: Manuscript, css: str, words: Words | None = None,
            keys: Keys | None = None) -> str:
    """A complete HTML page; its <meta> tags become the PDF's metadata.

    words: wrap the running text word by word, for line numbering (see linenumbers.py).
    keys: make every generated number an element with its results.json key in `data-key`
    (the live preview's page; the PDF's HTML has none).
    """
    meta = [f"<title>{escape(ms.title)}</title>",
            *(f'<meta name="author" content="{escape(a)}">' for a in ms.authors),
            f'<meta name="generator" content="{escape(ms.generator)}">',
            f'<meta name="dcterms.created" content="{escape(ms.created)}">',
            f'<meta name="dcterms.modified" content="{escape(ms.created)}">']
    if ms.keywords:
        meta.append(f'<meta name="keywords" content="{escape(", ".join(ms.keywords))}">')
    writer = _Writer(words, keys)
    parts = [writer.element(e) for e in ms.elements]
    return (f"<!DOCTYPE html>\n<html lang=\"{escape(ms.language)}\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            + "\n".join(meta) + f"\n<style>\n{css}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")


class _Writer:
    def __init__(self, words: Words | None, keys: Keys | None = None) -> None:
        self.words = words
        self.keys = keys

    def keyed(self, binding: str | None, text: str) -> str | None:
        """The text with each number an element carrying its data-key; None if unkeyed."""
        pieces = self.keys(binding, text) if self.keys is not None and binding else []
        if not pieces:
            return None
        out = "".join(f'<span class="{_kind(piece)}" data-key="{escape(key)}">'
                      f"{escape(piece)}</span>" if key else escape(piece, quote=False)
                      for piece, key in pieces)
        return _KEYED_RANGE.sub(r'<span class="nowrap">\1\2\3</span>', out)

    def text(self, text: str, numbered: bool) -> str:
        if numbered and self.words is not None:
            return self.words.wrap(text)
        return RANGE.sub(r'<span class="nowrap">\g<0></span>', escape(text, quote=False))

    def runs(self, runs: tuple[Run, ...], numbered: bool = True) -> str:
        out = []
        for run in runs:
            if run.text == "\n":
                out.append("<br>")
                continue
            text = self.keyed(run.binding, run.text) or self.text(run.text, numbered)
            for flag, tag in reversed(TAGS):
                if getattr(run, flag):
                    text = f"<{tag}>{text}</{tag}>"
            out.append(text)
        return "".join(out)

    def element(self, e: Element) -> str:
        if isinstance(e, Block):
            return self.block(e)
        if isinstance(e, Table):
            return self.table(e)
        if isinstance(e, FigureLegend):
            return (f'<p class="legend"><b>{self.text(f"Figure {e.number}.", True)}</b> '
                    f"<b>{self.runs(e.title)}.</b> {self.runs(e.legend)}</p>")
        if isinstance(e, FigureImages):
            # a URL naming the file only: see fetcher.py (the PDF's bytes must not depend
            # on the folder the figures were written to)
            size = (f' style="width: {e.size_mm[0]:.2f}mm"' if e.size_mm is not None
                    and len(e.vector_images) == 1 else "")  # printed at its drawn size
            imgs = "\n".join(f'<img src="{escape(figure_url(p))}" alt="Figure {e.number}"{size}>'
                             for p in e.vector_images)
            return (f'<figure class="panels-{len(e.vector_images)}">\n{imgs}\n'
                    f"<figcaption>Figure {e.number}</figcaption>\n</figure>")
        if isinstance(e, PageBreak):
            return '<div class="page-break"></div>'
        raise TypeError(f"cannot render {type(e).__name__}")

    def block(self, b: Block, numbered: bool = True) -> str:
        text = self.runs(b.runs, numbered)
        role = f' class="{b.role}"' if b.role else ""
        if b.kind == "heading":
            at = f' id="{escape(b.anchor)}"' if b.anchor else ""
            return f"<h{b.level}{at}>{text}</h{b.level}>"
        if b.kind == "item":
            cls = f"item level-{b.level}" + (f" {b.role}" if b.role else "")
            marker = (f'<span class="marker">{self.text(b.marker, numbered)}</span>'
                      if b.marker else "")
            return f'<p class="{cls}">{marker}{text}</p>'
        if b.kind == "quote":
            return f"<blockquote><p{role}>{text}</p></blockquote>"
        at = f' id="{escape(b.anchor)}"' if b.anchor else ""
        return f"<p{role}{at}>{text}</p>"

    def table(self, t: Table) -> str:
        notes = "\n".join(self.block(n, numbered=False) for n in t.notes)
        cols = "".join(f'<col style="width: {w:.2f}%">'
                       for w in percentages(t.spec, TEXT_WIDTH_MM / 10))  # as Word's
        return (f'<section class="table">\n<table class="{escape(t.spec.key)}">\n'
                f"<caption><b>Table {t.number}.</b> {self.runs(t.title, False)}</caption>\n"
                f"<colgroup>{cols}</colgroup>\n"
                f"{table_body(t.spec, self.keyed if self.keys else None)}</table>\n"
                f"<div class=\"notes\">{notes}</div>\n</section>")


def table_body(spec: TableSpec,
               keyed: Callable[[str | None, str], str | None] | None = None) -> str:
    """thead (repeated on every page by WeasyPrint) and tbody rows classed by kind; with
    `keyed`, each keyed cell's numbers carry their data-keys."""
    head = "".join(f"<th>{escape(h)}</th>" for h in spec.header)
    rows = []
    for row in spec.rows:
        marks = f"<sup>{escape(row.marks)}</sup>" if row.marks else ""
        keys = row.keys if keyed is not None else ()
        cells = "".join(f"<td>{_cell(c, keys[i] if i < len(keys) else None, keyed)}"
                        f"{marks if i == 0 else ''}</td>" for i, c in enumerate(row.cells))
        rows.append(f'<tr class="{row.kind}">{cells}</tr>')
    return f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n"


def _cell(text: str, key: Key | None,
          keyed: Callable[[str | None, str], str | None] | None) -> str:
    """A cell's text; with `keyed`, its numbers carry the data-keys its Key leads to."""
    return (keyed(str(key), text) if keyed is not None and key is not None and text
            else None) or escape(text)


def _kind(piece: str) -> str:
    """'num' for a number, 'val' for a generated text (a title, a date, a contrast)."""
    return "num" if any(c.isdigit() for c in piece) or piece.lower() in (
        "not reached", "not estimable", "nr", "ne") else "val"
