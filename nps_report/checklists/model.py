"""Reporting checklists: each item, where it is addressed, and whether the manuscript answers it.

The guideline items are data (one YAML file per guideline); what the manuscript contains
is a small `ManuscriptFacts` the caller fills from the study and the composed parts. A
row is 'addressed' only when the tool can see the answer (a fact stated, a generated
paragraph, a written declaration); text the authors wrote is 'authors to confirm'
because the tool cannot judge what it says; a missing fact, a placeholder or an absent
declaration is 'to be completed by the authors'.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..config.yamlfile import safe_load
from ..errors import did_you_mean
from ..paths import GUIDELINES, shipped_ids
from .checks import CHECKS, NOT_APPLICABLE_WHY, fact_text, missing_fact_text

ADDRESSED = "addressed"
CONFIRM = "authors to confirm"
TODO = "to be completed by the authors"
NOT_APPLICABLE = "not applicable"
STATUSES = (ADDRESSED, CONFIRM, TODO, NOT_APPLICABLE)
SEVERITY = {ADDRESSED: 0, CONFIRM: 1, TODO: 2}

# Where an item is usually addressed, as a reader sees it; a journal's own headings
# ('Patients and methods') replace these through `headings`.
SECTION_LABELS = {
    "title_page": "Title page", "abstract": "Abstract", "introduction": "Introduction",
    "methods": "Methods", "results": "Results", "discussion": "Discussion",
    "conclusions": "Conclusions", "declarations": "Declarations", "references": "References",
}
PART_FILES = {"abstract_background", "abstract_conclusions", "introduction", "methods",
              "discussion", "conclusions"}  # parts written in manuscript/<part>.md
PART_STATES = ("generated", "authored", "placeholder")
ITEM_KEYS = {"id", "topic", "item", "section", "facts", "parts", "declarations", "check",
             "applies_if", "not_applicable", "where"}
# Generated Methods subsections an item may point to with `where` (render/compose.py names
# them in the PDF); a reader is sent there rather than to the start of the Methods
WHERE = ("treatment", "assessment", "statistical_methods")


@dataclass(frozen=True)
class ManuscriptFacts:
    """What the manuscript contains, as far as a checklist needs to know.

    parts: part name -> 'generated' | 'authored' | 'placeholder' (absent = not in the
    manuscript). Names: title, abstract (the generated Methods/Results sentences),
    abstract_background, abstract_conclusions, introduction, methods (the authors'
    design/patients/treatment text), statistical_methods (generated), results
    (generated), discussion, conclusions. declarations: declaration id (as in journal
    profiles: funding, ethics_approval, ...) -> 'authored' | 'placeholder'.
    """

    parts: Mapping[str, str] = field(default_factory=dict)
    declarations: Mapping[str, str] = field(default_factory=dict)
    title: str = ""
    abstract: str = ""  # the abstract's text, for the design-term check
    n_patients: int | None = None
    n_centres: int | None = None
    treatment_period: tuple[str, str] | None = None  # first and last treatment start, ISO
    data_cutoff: str | None = None
    dose_schedule: str | None = None  # e.g. '12 mg once daily, days 1-14 of 21-day cycles'
    recist_version: str | None = None
    ctcae_version: str | None = None
    ae_attribution: str | None = None  # 'all-cause' or 'treatment-related'
    proportion_ci_method: str | None = None
    survival_ci_method: str | None = None
    missing_data_rule: bool = False  # Methods say how patients without a scan count
    censoring_rule: bool = False  # Methods say when patients without an event are censored
    baseline_table: bool = False
    baseline_missing_reported: bool = False  # missing values per variable shown (or none)
    median_followup: bool = False
    events_reported: bool = False  # numbers of progressions and deaths in the Results
    prognostic_analysis: bool = False  # subgroup or Cox analyses reported
    sensitivity_analysis: bool = False
    categorised_continuous: bool = False  # a continuous variable shown in groups
    dose_modifications: bool = False  # dose reductions/interruptions/stops recorded and reported
    baseline_labels: tuple[str, ...] = ()  # the rows of Table 1, as labelled


@dataclass(frozen=True)
class ChecklistRow:
    item_id: str
    item: str
    section: str
    status: str
    note: str
    # The manuscript's named place that answers the item ('part-statistical_methods',
    # 'declaration-funding', 'section-results'), and its page and line in the PDF once known
    anchor: str = ""
    page: str = ""
    line: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    topic: str
    item: str
    section: str
    facts: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    declarations: tuple[str, ...] = ()
    check: str = ""
    applies_if: str = ""
    not_applicable: str = ""
    where: str = ""

    @property
    def anchor(self) -> str:
        """Where in the manuscript the item is answered: its declaration's heading, the
        generated subsection it names, or its section."""
        if self.declarations:
            return f"declaration-{self.declarations[0]}"
        if self.where:
            return f"part-{self.where}"
        return f"section-{self.section}"


@dataclass(frozen=True)
class Guideline:
    id: str
    name: str
    citation: str
    url: str
    items: tuple[Item, ...]


FACT_FIELDS = {f.name for f in dataclasses.fields(ManuscriptFacts)} - {"parts", "declarations"}


def guidelines() -> tuple[str, ...]:
    """Ids of the shipped reporting guidelines."""
    return shipped_ids(GUIDELINES)


@cache
def load_guideline(guideline_id: str) -> Guideline:
    known = guidelines()
    if guideline_id not in known:
        raise KeyError(f"unknown reporting guideline {guideline_id!r}; expected "
                       f"{did_you_mean(guideline_id, known)}")
    file = f"{guideline_id}.yaml"
    data = safe_load((resources.files(__package__) / file).read_text(encoding="utf-8"))
    items = tuple(_item(raw, file) for raw in data["items"])
    return Guideline(data["id"], data["name"], " ".join(data["citation"].split()),
                     data["url"], items)


def _item(raw: dict, file: str) -> Item:
    """One item, refusing unknown keys, facts, flags and checks (the data is ours to get right)."""
    where = f"{file}, item {raw.get('id')!r}"
    for key in raw:
        if key not in ITEM_KEYS:
            raise ValueError(f"{where}: unknown key {key!r}; expected "
                             f"{did_you_mean(key, sorted(ITEM_KEYS))}")
    item = Item(**{k: tuple(v) if isinstance(v, list) else str(v) for k, v in raw.items()})
    for name in item.facts:
        if name not in FACT_FIELDS:
            raise ValueError(f"{where}: unknown fact {name!r}; expected "
                             f"{did_you_mean(name, sorted(FACT_FIELDS))}")
    if item.applies_if and item.applies_if not in NOT_APPLICABLE_WHY:
        raise ValueError(f"{where}: applies_if {item.applies_if!r} is not a yes/no fact; "
                         f"expected {did_you_mean(item.applies_if, sorted(NOT_APPLICABLE_WHY))}")
    if item.where and item.where not in WHERE:
        raise ValueError(f"{where}: where {item.where!r} is not a generated subsection; expected "
                         f"{did_you_mean(item.where, WHERE)}")
    if item.check and item.check not in CHECKS:
        raise ValueError(f"{where}: unknown check {item.check!r}; expected "
                         f"{did_you_mean(item.check, sorted(CHECKS))}")
    return item


def checklist(guideline_id: str, facts: ManuscriptFacts,
              headings: Mapping[str, str] | None = None) -> list[ChecklistRow]:
    """One row per item of the guideline, with its status for this manuscript.

    headings: section id -> the journal's heading (from the journal profile), so the
    checklist names the sections as the manuscript prints them.
    """
    labels = {**SECTION_LABELS, **(headings or {})}
    return [_row(item, facts, labels) for item in load_guideline(guideline_id).items]


def _row(item: Item, facts: ManuscriptFacts, labels: Mapping[str, str]) -> ChecklistRow:
    section = labels.get(item.section, item.section)
    if item.not_applicable:
        return ChecklistRow(item.id, item.item, section, NOT_APPLICABLE,
                            f"Not applicable: {item.not_applicable}.")
    if item.applies_if and not getattr(facts, item.applies_if):
        return ChecklistRow(item.id, item.item, section, NOT_APPLICABLE,
                            f"Not applicable: {NOT_APPLICABLE_WHY[item.applies_if]}.")
    found: list[tuple[str, str]] = []
    for name in item.facts:
        value = getattr(facts, name)
        found.append((ADDRESSED, fact_text(name, value)) if value else
                     (TODO, missing_fact_text(name)))
    for decl in item.declarations:
        state = facts.declarations.get(decl)
        label = decl.replace("_", " ")
        found.append((ADDRESSED, f"{label.capitalize()} statement written.")
                     if state == "authored" else (TODO, f"Write the {label} statement."))
    for part in item.parts:
        found.append(_part(part, facts.parts.get(part)))
    if item.check:
        found.append(CHECKS[item.check](facts))
    if not found:
        found.append((CONFIRM, "The tool cannot check this item."))
    status = max((s for s, _ in found), key=SEVERITY.__getitem__)
    notes = [note for s, note in found if s == status or status == ADDRESSED]
    return ChecklistRow(item.id, item.item, section, status, " ".join(dict.fromkeys(notes)),
                        item.anchor)


def _part(part: str, state: str | None) -> tuple[str, str]:
    where = f"manuscript/{part}.md" if part in PART_FILES else f"the {part.replace('_', ' ')}"
    if state == "generated":
        return ADDRESSED, f"Stated in the generated {part.replace('_', ' ')}."
    if state == "authored":
        return CONFIRM, f"Check that {where} covers it."
    return TODO, f"Write {where}."
