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
from ..errors import Notice, Problem, StudyError
from ..journals import JournalProfile, study_profile
from ..present import fmt
from ..present.artifact import Catalogue
from ..present.catalogue import CATALOGUE
from ..present.figure_data import swimmer_data, waterfall_data
from ..present.figures.spider import spider_data
from ..present.labels import describe
from ..present.page import MIN_TEXT_PT, figure_frame
from ..present.tables import TableSpec
from ..results import Results
from ..results.keys import Key
from .abbreviations import expand
from .artwork import figure_images, page_fit_notices
from .authored import AuthoredParts
from .checklist import reporting_checklist
from .citations import CitationError, Citations
from .environment import (
    STUDY_TEMPLATES,
    Templates,
    check_overrides,
    environment,
    render,
    render_parts,
)
from .layout import WORD_COUNT, Pieces, arrange, fill_word_counts, run_in, title_page_file
from .markdown import to_blocks
from .method_names import method_name_notices
from .model import (
    Block,
    Element,
    FigureLegend,
    Manuscript,
    Quantity,
    Run,
    Table,
    plain,
)
from .spelling import Spelling
from .submission import SubmissionPlan
from .tracking import track
from .wordcount import over_limits, word_counts


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
            citations: Citations, profile: JournalProfile | None = None) -> dict[str, Any]:
    """What templates may read: Results and its parts, the config, table bodies, figure data,
    the journal profile (default: the neutral one) and its number style."""
    if profile is None:
        from ..journals import load_profile

        profile = load_profile("default")
    show_ids = config.figures.swimmer_show_ids
    model = track(results, Key())  # every value remembers its key (tracking.py)
    return {
        "results": model, "study": model.study, "methods": model.methods,
        "N": track(results.n_patients, Key.parse("study.n_patients")), "baseline": model.baseline,
        "exposure": model.exposure, "efficacy": model.efficacy, "survival": model.survival,
        "safety": model.safety,
        "config": config, "tables": tables, "citations": citations, "vocab": vocab,
        "waterfall": waterfall_data(results, show_ids),
        "swimmer": swimmer_data(results, config.figures.swimmer_max_patients, show_ids),
        "spider": spider_data(results, config.figures.spider_max_patients)
        if "spider" in citations.panels else None,
        "journal": profile, "style": number_style(profile, results.n_patients),
    }


PARTS = {"table": ("title", "notes"), "figure": ("title", "legend"),
         "abstract.md.j2": ("methods_text", "results_text"),
         "title_page.md.j2": ("title", "running_title", "authors", "affiliations",
                              "correspondence", "keywords")}


def compose(results: Results, tables: dict[str, TableSpec], figures: dict[str, dict[str, Path]],
            config: StudyConfig, study_path: Path,
            catalogue: Catalogue = CATALOGUE) -> Manuscript:
    profile = study_profile(config.journal, study_path)
    show = shown(results, config, catalogue)
    cites = Citations(show.tables, show.panels)
    ctx = context(results, tables, config, cites, profile)
    templates = Templates.for_study(study_path)
    check_overrides(templates, template_names(catalogue))
    spell = Spelling(profile.spelling, results, config)

    def md(text: str) -> list[Block]:  # generated Markdown, in the journal's spelling
        return to_blocks(spell(text))

    parts = {a.key: render_parts(a.template, {**ctx, **own_context(a.key, tables, show)},
                                 templates, PARTS["table" if a.key in show.tables else "figure"])
             for a in (*catalogue.tables, *catalogue.figures)
             if a.key in show.tables or a.key in show.panels}
    body = md(render("results.md.j2", ctx, templates))
    for artifact in (*catalogue.tables, *catalogue.figures):
        extra = parts.get(artifact.key, {}).get("results", "")
        if extra.strip():
            body = into_section(body, artifact.section or "Results", md(extra))
    body = generated(cites.number(body), "results")
    try:
        cites.check()
    except CitationError as exc:
        if templates.study is None:
            raise
        raise StudyError([Problem(STUDY_TEMPLATES.as_posix(), str(exc),
                                  expected="the study's own templates to cite every table and "
                                           "figure, as the package's do")]) from None
    methods = md(render("methods.md.j2", ctx, templates))
    for artifact in (*catalogue.tables, *catalogue.figures):
        extra = parts.get(artifact.key, {}).get("methods", "")
        if extra.strip():  # an artifact's analysis, stated where the others are
            methods = into_section(methods, "Statistical analysis", md(extra))
    methods = anchored_parts(methods)
    abstract = render_parts("abstract.md.j2", ctx, templates, PARTS["abstract.md.j2"])
    title = render_parts("title_page.md.j2", ctx, templates, PARTS["title_page.md.j2"])
    authored = AuthoredParts.read(study_path, reading_order(profile), profile.references,
                                  profile.language,
                                  {d.file_part: d.heading for d in profile.declarations})

    def runs(markdown: str) -> tuple[Run, ...]:  # a caption or legend may cite, too
        return cites.number([Block(_runs(spell(markdown)))])[0].runs

    table_elements = [Table(number, runs(parts[key]["title"]), tables[key],
                            tuple(cites.number(to_blocks(spell(parts[key]["notes"]),
                                                         role="note"))))
                      for number, key in enumerate(cites.table_order(), start=1)]
    order = cites.figure_order()
    legends = [FigureLegend(n, runs(parts[key]["title"]), runs(parts[key]["legend"]), key)
               for n, key in enumerate(order, start=1)]
    images = [figure_images(n, key, figures, "".join(r.text for r in runs(parts[key]["title"])))
              for n, key in enumerate(order, start=1)]
    keywords = run_in(f"{profile.keywords.heading}: ", to_blocks(title["keywords"]))
    pieces = Pieces(
        title_page=_title_page(title), keywords=keywords,
        abstract={"methods": generated(md(abstract["methods_text"]), "abstract.methods"),
                  "results": generated(md(abstract["results_text"]), "abstract.results")},
        methods=generated(methods, "methods"), results=body, tables=table_elements,
        legends=legends, figures=images, blind=blind_review(config, profile))
    elements, abstract_at = arrange(profile, pieces, authored)
    to_report = reporting_checklist(results, config, profile, authored,
                                    f"{abstract['methods_text']} {abstract['results_text']}")
    elements = fill_word_counts(expand(elements, abstract_at), profile)
    names = () if pieces.blind else config.manuscript.author_names  # none in the properties
    ms = Manuscript(
        title=results.study.title, authors=names,
        keywords=config.manuscript.keywords, created=results.provenance.built_at,
        generator=f"nps-report {results.provenance.generator_version}",
        line_numbers=numbered_lines(config, profile), elements=tuple(elements),
        quantities=quantities(results, elements),
        results_digest=hashlib.sha256(repr(results).encode()).hexdigest(),
        data_cutoff=results.study.data_cutoff, language=profile.language,
        notices=(*authored.notices, *spell.notices(authored),
                 *method_name_notices(authored.texts, results.methods),
                 *word_limits(elements, profile),
                 *page_fit_notices(images, figure_frame(config.figures.width_mm,
                                                        config.figures.max_height_mm),
                                   MIN_TEXT_PT),
                 *filter(None, [to_report.notice()])),
        checklist=to_report, submission=submission_plan(profile, config, order))
    if not pieces.blind:
        return ms
    page = Manuscript(title=ms.title, authors=(), keywords=ms.keywords, created=ms.created,
                      generator=ms.generator, line_numbers=False, elements=tuple(
                          title_page_file(profile, pieces, authored, list(elements))),
                      language=ms.language)
    return replace(ms, title_page=page, notices=(*ms.notices, BLIND_NOTICE))


BLIND_NOTICE = Notice(
    "blind_review", "Blind review: manuscript.pdf and manuscript.docx name no author (title "
    "page, document properties), and title_page.pdf and title_page.docx hold the authors, "
    "affiliations, correspondence, author contributions and acknowledgments. Check your own "
    "text (introduction, discussion, declarations, file names of figures) for names and "
    "self-citations that reveal you.")


def blind_review(config: StudyConfig, profile: JournalProfile) -> bool:
    """study.yaml's manuscript.blind_review where it says, else the journal's review.blind."""
    own = config.manuscript.blind_review
    return profile.review.blind if own is None else own


def number_style(profile: JournalProfile, n_patients: int) -> fmt.Style:
    """The journal's percentages for this study (profile numbers: decimals, whole below a
    number of patients): the tables (build.py) and the prose print them alike."""
    spec = profile.numbers
    return fmt.percent_style(n_patients, spec.percent_decimals, spec.whole_percent_below_n)


def numbered_lines(config: StudyConfig, profile: JournalProfile) -> bool:
    """study.yaml's manuscript.line_numbers where it says, else what the journal asks."""
    own = config.manuscript.line_numbers
    return profile.layout.line_numbers if own is None else own


def submission_plan(profile: JournalProfile, config: StudyConfig,
                    order: list[str]) -> SubmissionPlan | None:
    """The journal's figure files, when it takes figures as separate uploads (or
    study.yaml's figures.submission_files says so)."""
    wanted = config.figures.submission_files
    if wanted is None:
        wanted = profile.figures.placement == "separate"
    if not wanted or not order:
        return None
    return SubmissionPlan(profile.name, profile.figures,
                          tuple((n, key) for n, key in enumerate(order, start=1)))


def reading_order(profile: JournalProfile) -> tuple[str, ...]:
    """The authors' parts in the order a reader meets them (citations are numbered so)."""
    abstract = [h.part for h in profile.abstract.headings if h.source == "author"]
    body = {"introduction": ["introduction"], "methods": ["methods"],
            "discussion": ["discussion"], "conclusions": ["conclusions"],
            "declarations": [d.file_part for d in profile.declarations]}
    return tuple(dict.fromkeys([*abstract, *(p for s in profile.sections
                                             for p in body.get(s.id, []))]))


def word_limits(elements: list[Element], profile: JournalProfile) -> list[Notice]:
    counts = word_counts(elements, {s.heading: s.id for s in profile.sections if s.heading})
    return over_limits(counts, profile.abstract.word_limit, profile.main_text.word_limit,
                       profile.name)


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


# The generated Methods' subsections a checklist item may point to (checklists' `where`)
PART_ANCHORS = {"Patients and treatment": "part-treatment",
                "Response and safety assessment": "part-assessment",
                "Statistical analysis": "part-statistical_methods"}


def anchored_parts(blocks: list[Block]) -> list[Block]:
    """The generated subsection headings named for the checklist's page and line."""
    return [replace(b, anchor=PART_ANCHORS[b.text]) if b.kind == "heading"
            and b.text in PART_ANCHORS else b for b in blocks]


def into_section(body: list[Block], heading: str, blocks: Iterable[Block]) -> list[Block]:
    """`blocks` at the end of the level-2 subsection `heading`, or under a new one at the end."""
    blocks = list(blocks)
    starts = [i for i, b in enumerate(body) if b.kind == "heading" and b.level <= 2]
    for i in starts:
        if body[i].level == 2 and body[i].text == heading:
            end = next((j for j in starts if j > i), len(body))
            return [*body[:end], *blocks, *body[end:]]
    return [*body, Block(plain(heading), "heading", 2), *blocks]


def _runs(markdown: str) -> tuple[Run, ...]:
    """A one-paragraph part (a title, a legend) as runs; paragraphs joined by a space."""
    runs: list[Run] = []
    for block in to_blocks(markdown):
        runs += ([Run(" ")] if runs else []) + list(block.runs)
    return tuple(runs)


def _title_page(parts: dict[str, str]) -> list[Block]:
    blocks = [Block(_runs(parts["title"]), role="title")]
    if parts["running_title"].strip():
        blocks.append(Block(_runs(parts["running_title"]), role="running-title"))
    blocks.append(Block(_runs(parts["authors"]), role="byline"))
    blocks += to_blocks(parts["affiliations"], role="affiliation")
    blocks.append(Block(_runs(parts["correspondence"]), role="meta"))
    if parts.get("orcids", "").strip():
        blocks.append(Block(_runs(parts["orcids"]), role="meta"))
    blocks.append(Block(plain("Word count"), role=WORD_COUNT))  # counted last (layout.py)
    return blocks
