"""Assemble the manuscript, in journal order, from templates, the authors' files and Results.

The Results text is rendered first because it numbers tables and figures by first
citation; everything after it (captions, legends, the order of tables) reads
those numbers. Both writers receive the finished Manuscript and decide nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import StudyConfig
from ..present.figure_data import FIGURE_PANELS, figure1_panels, swimmer_data, waterfall_data
from ..present.tables import TableSpec
from ..results import Results
from .artwork import figure_images
from .authored import authored
from .citations import Citations
from .environment import render, render_parts
from .markdown import to_blocks
from .model import Block, Element, FigureLegend, Manuscript, PageBreak, Run, Table, plain

ABSTRACT = (("Background", "abstract_background"), ("Methods", None), ("Results", None),
            ("Conclusions", "abstract_conclusions"))


def context(results: Results, tables: dict[str, TableSpec], config: StudyConfig,
            citations: Citations) -> dict[str, Any]:
    """What templates may read: Results and its parts, the config, table bodies, figure data."""
    show_ids = config.figures.swimmer_show_ids
    return {
        "results": results, "study": results.study, "methods": results.methods,
        "N": results.n_patients, "baseline": results.baseline, "exposure": results.exposure,
        "efficacy": results.efficacy, "survival": results.survival, "safety": results.safety,
        "config": config, "tables": tables, "citations": citations,
        "waterfall": waterfall_data(results, show_ids),
        "swimmer": swimmer_data(results, config.figures.swimmer_max_patients, show_ids),
    }


def compose(results: Results, tables: dict[str, TableSpec], figures: dict[str, dict[str, Path]],
            config: StudyConfig, study_path: Path) -> Manuscript:
    ctx = context(results, tables, config, Citations())
    panels = figure1_panels(results, config.figures)
    cites = ctx["citations"] = Citations({**FIGURE_PANELS, "figure1": panels})
    body = to_blocks(render("results.md.j2", ctx))  # first: it numbers tables and figures
    methods = to_blocks(render("methods.md.j2", ctx))
    abstract = render_parts("abstract.md.j2", ctx)
    captions = render_parts("tables.md.j2", ctx)
    legends = render_parts("legends.md.j2", ctx)
    title = render_parts("title_page.md.j2", ctx)

    def section(heading: str, *parts: list[Block]) -> list[Element]:
        return [Block(plain(heading), "heading", 1), *(b for part in parts for b in part)]

    generated = {"Methods": abstract["methods_text"], "Results": abstract["results_text"]}
    abstract_blocks: list[Block] = []
    for label, part in ABSTRACT:
        blocks = authored(study_path, part) if part else to_blocks(generated[label])
        abstract_blocks += run_in(f"{label}: ", blocks)
    abstract_blocks += run_in("Keywords: ", to_blocks(title["keywords"]))

    elements: list[Element] = [*_title_page(title), PageBreak()]
    elements += [*section("Abstract", abstract_blocks), PageBreak()]
    elements += section("Introduction", authored(study_path, "introduction"))
    elements += section("Methods", authored(study_path, "methods"), methods)
    elements += section("Results", body)
    for heading, part in (("Discussion", "discussion"), ("Conclusions", "conclusions"),
                          ("Acknowledgments", "acknowledgments"),
                          ("References", "references")):
        elements += section(heading, authored(study_path, part))
    for number, key in enumerate(cites.table_order(), start=1):
        elements += [PageBreak(), Table(number, _runs(captions[f"{key}_title"]), tables[key],
                                        tuple(to_blocks(captions[f"{key}_notes"], role="note")))]
    order = cites.figure_order()
    if order:
        elements += [PageBreak(), Block(plain("Figure legends"), "heading", 1)]
        elements += [FigureLegend(n, _runs(legends[f"{key}_title"]),
                                  _runs(legends[f"{key}_legend"]))
                     for n, key in enumerate(order, start=1)]
        for n, key in enumerate(order, start=1):
            elements += [PageBreak(), figure_images(n, key, cites.panels[key], figures)]
    return Manuscript(
        title=results.study.title, authors=config.manuscript.authors,
        keywords=config.manuscript.keywords, created=results.provenance.built_at,
        generator=f"nps-report {results.provenance.generator_version}",
        line_numbers=config.manuscript.line_numbers, elements=tuple(elements))


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
