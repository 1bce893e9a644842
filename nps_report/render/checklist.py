"""The reporting checklist of one manuscript: what it states, read from what was composed.

The guideline (STROBE, the case-series checklist) comes from study.yaml's
`manuscript.reporting_guideline` or else the journal profile. Each fact mirrors the
condition under which a template states it (the Methods name the CI method whenever there
is one, the schedule only when study.yaml gives it), so an item is 'addressed' exactly
when the manuscript says it, and a placeholder in the text is a 'to be completed' row.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..checklists import TODO, ChecklistRow, Guideline, ManuscriptFacts, checklist, load_guideline
from ..checklists.model import NOT_APPLICABLE
from ..config import StudyConfig
from ..errors import Notice
from ..journals import JournalProfile
from ..results import Results
from ..vocab import KM_CI_NAMES, PROPORTION_CI_NAMES
from .authored import AuthoredParts
from .model import Manuscript

GENERATED = ("title", "abstract", "statistical_methods", "results")
AUTHORED_SECTIONS = ("introduction", "methods", "discussion", "conclusions")
CHECKLIST_FILES = ("checklist.csv", "checklist.docx")
SENTENCE_BREAK = re.compile(r"(?<=\.) (?=[A-Z])")  # between the sentences of a note


@dataclass(frozen=True)
class ReportingChecklist:
    guideline: Guideline
    rows: tuple[ChecklistRow, ...]

    @property
    def to_do(self) -> tuple[ChecklistRow, ...]:
        return tuple(r for r in self.rows if r.status == TODO)

    def notice(self) -> Notice | None:
        """What the authors still have to write, item by item, for the build's output."""
        if not self.to_do:
            return None
        return Notice("checklist_open", f"checklist.docx ({self.guideline.name}): "
                      f"{len(self.to_do)} of {len(self.rows)} items are still to be completed "
                      "by the authors.",
                      self.actions())

    def actions(self) -> tuple[str, ...]:
        """Each thing to do once, with the items it answers: 'Write manuscript/methods.md
        (items 4, 6a, 8).' rather than the same sentence under every item."""
        items: dict[str, list[str]] = {}
        for row in self.to_do:
            for sentence in SENTENCE_BREAK.split(row.note):
                items.setdefault(sentence.removesuffix("."), []).append(row.item_id)
        return tuple(f"{action} ({'item' if len(ids) == 1 else 'items'} {', '.join(ids)})."
                     for action, ids in items.items())


def reporting_checklist(results: Results, config: StudyConfig, profile: JournalProfile,
                        authored: AuthoredParts, abstract_text: str) -> ReportingChecklist:
    guideline_id = config.manuscript.reporting_guideline or profile.reporting_guideline
    facts = manuscript_facts(results, config, profile, authored, abstract_text)
    headings = {s.id: s.heading for s in profile.sections if s.heading}
    return ReportingChecklist(load_guideline(guideline_id),
                              tuple(checklist(guideline_id, facts, headings)))


def manuscript_facts(results: Results, config: StudyConfig, profile: JournalProfile,
                     authored: AuthoredParts, abstract_text: str) -> ManuscriptFacts:
    """What this manuscript states, as the checklist asks it."""
    study, methods, exposure = results.study, results.methods, results.exposure
    parts = {part: "generated" for part in GENERATED}
    for heading in profile.abstract.headings:
        if heading.source == "author":
            parts[heading.part] = _state(authored, heading.part)
    for section in AUTHORED_SECTIONS:
        if profile.section(section) is not None:
            parts[section] = _state(authored, section)
    declarations = {d.id: _state(authored, d.file_part) for d in profile.declarations}
    author_abstract = " ".join(authored.texts.get(h.part, "")
                               for h in profile.abstract.headings if h.source == "author")
    surv = results.survival
    return ManuscriptFacts(
        parts=parts, declarations=declarations, title=study.title,
        abstract=f"{abstract_text} {author_abstract}".strip(), n_patients=study.n_patients,
        n_centres=study.n_centres,
        treatment_period=(study.first_start, study.last_start)
        if study.first_start and study.last_start else None,
        data_cutoff=study.data_cutoff, dose_schedule=_schedule(exposure.schedule,
                                                               exposure.cycle_days),
        recist_version=methods.recist_version,
        # a severity scale needs no CTCAE version: the Methods name the scale instead
        ctcae_version=methods.ctcae_version if methods.ae_grading != "severity"
        else "severity (mild, moderate, severe)",
        ae_attribution=results.safety.attribution,
        proportion_ci_method=PROPORTION_CI_NAMES.get(methods.proportion_ci),
        survival_ci_method=KM_CI_NAMES.get(methods.km_ci),
        missing_data_rule=True,  # methods.md.j2: counted as non-responders, always said
        censoring_rule=True,  # methods.md.j2 defines censoring for PFS and OS, always
        baseline_table=bool(results.baseline),
        baseline_missing_reported=bool(results.baseline),  # a 'Missing' row whenever any
        median_followup=surv.followup_median is not None,
        events_reported=True,  # results.md.j2 gives the events of PFS and OS, or says none
        prognostic_analysis=_has_prognostic(results),
        sensitivity_analysis=False,
        categorised_continuous=any(_grouped(item.levels) for item in config.baseline),
        dose_modifications=exposure.modifications_recorded,
        baseline_labels=tuple(v.label for v in results.baseline))


def _state(authored: AuthoredParts, part: str) -> str:
    return "authored" if authored.has(part) else "placeholder"


def _schedule(schedule: str | None, cycle_days: int | None) -> str | None:
    """As the Methods say it; None (the Methods show a placeholder) without a schedule."""
    if not schedule:
        return None
    return f"{schedule}, in {cycle_days}-day cycles" if cycle_days else schedule


def _grouped(levels: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    """A Table 1 level that pools several numbers ('≥2': 2, 3, 4): a count put in groups."""
    return any(len(raw) > 1 and all(_number(v) for v in raw) for _, raw in levels)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _has_prognostic(results: Results) -> bool:
    """Cox models or response by factor are reported (study.yaml's `prognostic`)."""
    return bool(results.prognostic and results.prognostic.factors) \
        or bool(results.response_by_factor)


def write_checklist_files(manuscript: Manuscript, dest: Path,
                          places: dict | None = None) -> list[Path]:
    """checklist.csv and checklist.docx beside the manuscript, or nothing without a checklist.
    The Word file gets the manuscript's language, compatibility mode and fixed zip dates."""
    from ..checklists import checklist_document, write_checklist_csv
    from ..wordxml import elements as x

    found = manuscript.checklist
    if found is None:
        return []
    rows = placed(found.rows, places or {})
    csv_path, docx_path = (dest / name for name in CHECKLIST_FILES)
    write_checklist_csv(rows, csv_path)
    doc = checklist_document(rows, found.guideline, manuscript.title, manuscript.created)
    x.language(doc.styles["Normal"].element, manuscript.language)
    table = doc.tables[0]  # a journal's form: the header on every page, no row split
    x.repeat_header(table.rows[0])
    for row in table.rows:
        x.keep_row_whole(row)
    x.current_compatibility(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    docx_path.write_bytes(x.clean_package(buffer.getvalue(), manuscript.generator,
                                          manuscript.created))
    return [csv_path, docx_path]


def placed(rows: tuple[ChecklistRow, ...], places: dict) -> tuple[ChecklistRow, ...]:
    """The rows with the page (and line) of manuscript.pdf where each item is answered
    (`places`: render.linenumbers.named_places of the PDF as written): the place the item
    names, else the start of its section; '' where the manuscript has neither (a section
    the journal does not print) or the PDF's places are not known."""
    from dataclasses import replace

    fallback = {"part-": "section-methods", "declaration-": "section-declarations"}
    out = []
    for row in rows:
        place = places.get(row.anchor) or next(
            (places.get(v) for k, v in fallback.items() if row.anchor.startswith(k)), None)
        if place is None or row.status == NOT_APPLICABLE:
            out.append(row)
            continue
        out.append(replace(row, page=str(place.page),
                           line="" if place.line is None else str(place.line)))
    return tuple(out)
