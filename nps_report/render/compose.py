"""Assemble the manuscript, in journal order, from templates, the authors' files and Results.

Which tables and figures there are comes from the artifact catalogue; each brings
its own template (title, notes or legend, and optionally the `results` sentence that
cites it). The Results section is assembled first — its template, then each
artifact's `results` part at the end of its subsection — and its citations numbered
in reading order; captions, legends and the order of tables and figures follow those
numbers. Both writers receive the finished Manuscript and decide nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import vocab
from ..config import StudyConfig
from ..errors import Problem, StudyError
from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from ..present.figure_data import swimmer_data, waterfall_data
from ..present.labels import describe
from ..present.tables import TableSpec
from ..results import Results
from .abbreviations import expand
from .artwork import figure_images
from .authored import authored
from .citations import CitationError, Citations
from .environment import (
    STUDY_TEMPLATES,
    Templates,
    check_overrides,
    environment,
    render,
    render_parts,
)
from .markdown import to_blocks
from .model import (
    Block,
    Element,
    FigureLegend,
    Manuscript,
    PageBreak,
    Quantity,
    Run,
    Table,
    plain,
)
from .tracking import track

ABSTRACT = (("Background", "abstract_background"), ("Methods", None), ("Results", None),
            ("Conclusions", "abstract_conclusions"))


@dataclass(frozen=True)
class Shown:
    """The tables and figures (with their panels) this study's manuscript shows."""

    tables: tuple[str, ...]
    panels: dict[str, tuple[str, ...]]


def shown(results: Results, config: StudyConfig, catalogue: Catalogue) -> Shown:
    tables = tuple(t.key for t in catalogue.tables if t.applies(results) and t.shown(results))
    panels = {f.key: tuple(p.key for p in f.panels(results, config.figures))
              for f in catalogue.figures if f.shown(results)}
    return Shown(tables, {k: v for k, v in panels.items() if v})


def citations(results: Results, config: StudyConfig,
              catalogue: Catalogue = CATALOGUE) -> Citations:
    """An empty citation register for the tables and figures this study shows."""
    show = shown(results, config, catalogue)
    return Citations(show.tables, show.panels)


def context(results: Results, tables: dict[str, TableSpec], config: StudyConfig,
            citations: Citations) -> dict[str, Any]:
    """What templates may read: Results and its parts, the config, table bodies, figure data."""
    show_ids = config.figures.swimmer_show_ids
    model = track(results, "")  # every value remembers its key (tracking.py)
    return {
        "results": model, "study": model.study, "methods": model.methods,
        "N": track(results.n_patients, "study.n_patients"), "baseline": model.baseline,
        "exposure": model.exposure, "efficacy": model.efficacy, "survival": model.survival,
        "safety": model.safety,
        "config": config, "tables": tables, "citations": citations, "vocab": vocab,
        "waterfall": waterfall_data(results, show_ids),
        "swimmer": swimmer_data(results, config.figures.swimmer_max_patients, show_ids),
    }


PARTS = {"table": ("title", "notes"), "figure": ("title", "legend"),
         "abstract.md.j2": ("methods_text", "results_text"),
         "title_page.md.j2": ("title", "running_title", "authors", "affiliations",
                              "correspondence", "keywords")}


def compose(results: Results, tables: dict[str, TableSpec], figures: dict[str, dict[str, Path]],
            config: StudyConfig, study_path: Path,
            catalogue: Catalogue = CATALOGUE) -> Manuscript:
    show = shown(results, config, catalogue)
    cites = Citations(show.tables, show.panels)
    ctx = context(results, tables, config, cites)
    templates = Templates.for_study(study_path)
    check_overrides(templates, template_names(catalogue))
    parts = {a.key: render_parts(a.template, {**ctx, **own_context(a.key, tables, show)},
                                 templates, PARTS["table" if a.key in show.tables else "figure"])
             for a in (*catalogue.tables, *catalogue.figures)
             if a.key in show.tables or a.key in show.panels}
    body = to_blocks(render("results.md.j2", ctx, templates))
    for artifact in (*catalogue.tables, *catalogue.figures):
        extra = parts.get(artifact.key, {}).get("results", "")
        if extra.strip():
            body = into_section(body, artifact.section or "Results", to_blocks(extra))
    body = generated(cites.number(body), "results")
    try:
        cites.check()
    except CitationError as exc:
        if templates.study is None:
            raise
        raise StudyError([Problem(STUDY_TEMPLATES.as_posix(), str(exc),
                                  expected="the study's own templates to cite every table and "
                                           "figure, as the package's do")]) from None
    methods = to_blocks(render("methods.md.j2", ctx, templates))
    for artifact in (*catalogue.tables, *catalogue.figures):
        extra = parts.get(artifact.key, {}).get("methods", "")
        if extra.strip():  # an artifact's analysis, stated where the others are
            methods = into_section(methods, "Statistical analysis", to_blocks(extra))
    methods = generated(methods, "methods")
    abstract = render_parts("abstract.md.j2", ctx, templates, PARTS["abstract.md.j2"])
    title = render_parts("title_page.md.j2", ctx, templates, PARTS["title_page.md.j2"])

    def section(heading: str, *parts: list[Block]) -> list[Element]:
        return [Block(plain(heading), "heading", 1), *(b for part in parts for b in part)]

    written = {"Methods": abstract["methods_text"], "Results": abstract["results_text"]}
    abstract_blocks: list[Block] = []
    for label, part in ABSTRACT:
        blocks = authored(study_path, part) if part else generated(
            to_blocks(written[label]), f"abstract.{label.lower()}")
        abstract_blocks += run_in(f"{label}: ", blocks)
    abstract_blocks += run_in("Keywords: ", to_blocks(title["keywords"]))

    elements: list[Element] = [*_title_page(title), PageBreak()]
    abstract_at = len(elements)
    elements += [*section("Abstract", abstract_blocks), PageBreak()]
    abstract_end = len(elements)
    elements += section("Introduction", authored(study_path, "introduction"))
    elements += section("Methods", authored(study_path, "methods"), methods)
    elements += section("Results", body)
    for heading, part in (("Discussion", "discussion"), ("Conclusions", "conclusions"),
                          ("Acknowledgments", "acknowledgments"),
                          ("References", "references")):
        elements += section(heading, authored(study_path, part))

    def runs(markdown: str) -> tuple[Run, ...]:  # a caption or legend may cite, too
        return cites.number([Block(_runs(markdown))])[0].runs

    for number, key in enumerate(cites.table_order(), start=1):
        own = parts[key]
        elements += [PageBreak(), Table(number, runs(own["title"]), tables[key],
                                        tuple(cites.number(to_blocks(own["notes"],
                                                                     role="note"))))]
    order = cites.figure_order()
    if order:
        elements += [PageBreak(), Block(plain("Figure legends"), "heading", 1)]
        elements += [FigureLegend(n, runs(parts[key]["title"]), runs(parts[key]["legend"]),
                                  key) for n, key in enumerate(order, start=1)]
        for n, key in enumerate(order, start=1):
            alt = "".join(r.text for r in runs(parts[key]["title"]))
            elements += [PageBreak(), figure_images(n, key, figures, alt)]
    elements = expand(elements, (abstract_at, abstract_end))
    return Manuscript(
        title=results.study.title, authors=config.manuscript.authors,
        keywords=config.manuscript.keywords, created=results.provenance.built_at,
        generator=f"nps-report {results.provenance.generator_version}",
        line_numbers=config.manuscript.line_numbers, elements=tuple(elements),
        quantities=quantities(results, elements),
        results_digest=hashlib.sha256(repr(results).encode()).hexdigest(),
        data_cutoff=results.study.data_cutoff)


def generated(blocks: list[Block], part: str) -> list[Block]:
    """Generated paragraphs get their identity: 'para:results:7' (the part, then its order)."""
    return [replace(b, binding=f"para:{part}:{i}") for i, b in enumerate(blocks)]


def quantities(results: Results, elements: list[Element]) -> tuple[Quantity, ...]:
    """Every bound value printed anywhere in the manuscript, once, with its label."""
    seen: dict[str, str] = {}
    for e in elements:
        runs: tuple[Run, ...] = ()
        if isinstance(e, Block):
            runs = e.runs
        elif isinstance(e, Table):
            runs = (*e.title, *(r for n in e.notes for r in n.runs))
        elif isinstance(e, FigureLegend):
            runs = (*e.title, *e.legend)
        for run in runs:
            if run.binding is not None and run.binding not in seen:
                seen[run.binding] = run.text
    return tuple(Quantity(k, describe(results, k), text) for k, text in seen.items())


def template_names(catalogue: Catalogue) -> set[str]:
    """Every template a manuscript is made from: the package's and the artifacts' own."""
    return {*environment().list_templates(filter_func=lambda n: n.endswith(".j2")),
            *(a.template for a in (*catalogue.tables, *catalogue.figures))}


def own_context(key: str, tables: dict[str, TableSpec], show: Shown | Citations) -> dict[str, Any]:
    """What an artifact's template reads about itself: its table body or its panels."""
    return {"table": tables.get(key), "panels": show.panels.get(key, ())}


def into_section(body: list[Block], heading: str, blocks: Iterable[Block]) -> list[Block]:
    """`blocks` at the end of the level-2 subsection `heading`, or under a new one at the end."""
    blocks = list(blocks)
    starts = [i for i, b in enumerate(body) if b.kind == "heading" and b.level <= 2]
    for i in starts:
        if body[i].level == 2 and body[i].text == heading:
            end = next((j for j in starts if j > i), len(body))
            return [*body[:end], *blocks, *body[end:]]
    return [*body, Block(plain(heading), "heading", 2), *blocks]


def run_in(label: str, blocks: list[Block]) -> list[Block]:
    """'Background: ...' with the label in bold at the start of the first paragraph."""
    if blocks and blocks[0].kind == "p":
        first = blocks[0]
        return [Block((Run(label, bold=True), *first.runs), "p", 0, "", first.role), *blocks[1:]]
    return [Block((Run(label.strip(), bold=True),)), *blocks]


def _runs(markdown: str) -> tuple[Run, ...]:
    """A one-paragraph part (a title, a legend) as runs; paragraphs joined by a space."""
    runs: list[Run] = []
    for block in to_blocks(markdown):
        runs += ([Run(" ")] if runs else []) + list(block.runs)
    return tuple(runs)


def _title_page(parts: dict[str, str]) -> list[Block]:
    blocks = [Block(_runs(parts["title"]), role="title")]
    if parts["running_title"].strip():
        blocks.append(Block(_runs(parts["running_title"]), role="meta"))
    blocks.append(Block(_runs(parts["authors"]), role="byline"))
    blocks += to_blocks(parts["affiliations"], role="affiliation")
    blocks.append(Block(_runs(parts["correspondence"]), role="meta"))
    return blocks
