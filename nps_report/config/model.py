"""study.yaml as frozen dataclasses: each key declared once, with its kind and default.

The attribute names are the YAML keys and the nesting is the YAML's. To add a key,
add one field here (`name: type = key(KIND, default)`, or `section(Cls)` for a nested
mapping); reading it, the did-you-mean for misspellings and its error messages follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import did_you_mean
from . import attribution
from .at import At, Invalid, text_of
from .authors import Author, Authors, GuidelineName, JournalName
from .baseline import BaselineItem, BaselineRows
from .flow import FlowConfig
from .kinds import (
    COUNT,
    FRACTION,
    POSITIVE_COUNT,
    Bool,
    Choice,
    Choices,
    Date,
    Kind,
    Number,
    Numbers,
    Text,
    Version,
)
from .kinds import Texts as TextList
from .reader import key, optional_section, section
from .source import SourceConfig
from .tables import MISSING_VALUES, ColumnMap

PROPORTION_METHODS = ("clopper-pearson", "wilson", "wald", "t")
KM_METHODS = ("log-log", "log", "plain", "symmetric")
FIGURE_COLOURS = ("colour", "greyscale")
# The files of figures/: PNG (the documents embed it) and PDF (the contract's vector format)
# always; TIFF and SVG where the journal takes them or study.yaml asks (FigureSpec.figure_files)
FIGURE_FORMATS = ("png", "tiff", "pdf", "svg")
ALWAYS_DRAWN = ("png", "pdf")
PATIENT_COLUMN = "the name of a column of patients.csv"
YES_NO_COLUMN = "the name of a yes/no column of patients.csv"


@dataclass(frozen=True)
class CIConfig:
    level: float = key(FRACTION, 0.95)
    proportion: str = key(Choice(PROPORTION_METHODS), "clopper-pearson")
    km: str = key(Choice(KM_METHODS), "log-log")


LESION_RULES = ("refuse", "warn")
RESPONSE_SOURCES = ("derived", "investigator")
GRADING_SCALES = ("ctcae", "severity")
#: What a target lesion too small to measure counts as (RECIST 1.1), in mm
TOO_SMALL_MM = 5.0


@dataclass(frozen=True)
class RecistConfig:
    confirm_response: bool = key(Bool(), False)
    sd_min_days: int = key(COUNT, 42)
    confirm_min_days: int = key(COUNT, 28)
    # tumor_lesions.csv: diameter_mm texts meaning "too small to measure" besides TSTM
    too_small_values: tuple[str, ...] = key(TextList(
        'a list of the diameter_mm texts that mean "too small to measure", e.g. [TSTM, "<5"]',
        single=True, numbers_as_typed=False), ())
    # baseline target selection (<= 5, <= 2 per site, sizes): refuse, or warn and build
    lesion_rules: str = key(Choice(LESION_RULES), "refuse")
    # None: derived when the study has measurements, else the investigator's
    response_source: str | None = key(Choice(RESPONSE_SOURCES), None)


@dataclass(frozen=True)
class TermMap(Kind):
    """safety.term_map: {term as adverse_events.csv has it: the term to count it as}."""

    expected: str = ('a mapping of terms as typed to CTCAE terms, e.g. {"Hand-foot syndrome": '
                     '"Palmar-plantar erythrodysesthesia syndrome", "Nasal bleeding": '
                     '"Epistaxis"}')

    def read(self, value: Any, at: At) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict):
            raise Invalid(self.expected)
        out = []
        for old, new in value.items():
            sub = at.child(str(old))
            if isinstance(new, list | dict) or new is None or not str(new).strip():
                sub.bad("invalid value", new, "the term to count it as, e.g. Epistaxis")
                continue
            out.append((text_of(old, sub), text_of(new, sub).strip()))
        return tuple(out)


@dataclass(frozen=True)
class SafetyConfig:
    min_incidence_pct: float = key(Number(expected="a number >= 0"), 5.0)
    ctcae_version: str | None = key(Version(), None)
    # What adverse_events.csv holds; with an attribution column it holds every event
    events: str | None = key(Choice(attribution.EVENT_SCOPES), None)
    attribution_column: str | None = key(Text("the name of a column of adverse_events.csv"),
                                         None)
    # None: NCI's convention (attribution.py); a list given replaces it, and its values
    # leave the other default list
    related_values: tuple[str, ...] | None = key(TextList(
        "a list of the attribution values that count as treatment-related, e.g. "
        "[related, probably related, possibly related]", single=True, numbers_as_typed=False),
        None)
    unrelated_values: tuple[str, ...] | None = key(TextList(
        "a list of the attribution values that do not, e.g. [unrelated, unlikely related]",
        single=True, numbers_as_typed=False), None)
    attribution_missing: str = key(Choice(attribution.IF_MISSING), "refuse")
    # Terms of adverse_events.csv renamed before counting: {as typed: CTCAE term}
    term_map: tuple[tuple[str, str], ...] = key(TermMap(), ())
    # treatment-emergent: onset from treatment_start to treatment_end + this many days
    window_after_last_dose_days: int | None = key(COUNT, None)
    # ctcae: grades 1-5; severity: mild, moderate, severe (or 1-3)
    grading: str = key(Choice(GRADING_SCALES), "ctcae")

    @property
    def scope(self) -> str | None:
        """What the adverse-event table counts: all-cause, treatment-related, or unknown."""
        return "all-cause" if self.attribution_column else self.events

    @property
    def attribution_values(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(related, unrelated) values in effect."""
        return attribution.in_effect(self.related_values, self.unrelated_values)

    def check(self, at: At) -> None:
        attribution.check_lists(self.related_values, self.unrelated_values,
                                self.attribution_column, self.events, at)


PROGNOSTIC_ENDPOINTS = ("pfs", "os")
FACTORS = TextList("a list of columns of baseline rows, e.g. [ecog, met_liver, age]",
                   single=True)


@dataclass(frozen=True)
class FactorChoice:
    """A factor as prognostic.factors names it: its column, and the level its hazard ratios
    and response rates are compared with (None: the row's first level; 'no' for yes/no)."""

    column: str
    reference: str | None = None


@dataclass(frozen=True)
class FactorChoices(Kind):
    """prognostic.factors: each entry a column name, or {column: name, reference: level}."""

    expected: str = ('a list of columns of baseline rows, each a name or {column: name, '
                     'reference: level}, e.g. [ecog, {column: platinum, reference: "No"}, age]')

    def read(self, value: Any, at: At) -> tuple[FactorChoice, ...]:
        items, listed = (value, True) if isinstance(value, list) else ([value], False)
        if isinstance(value, dict):
            items, listed = [value], False
        out = []
        for i, item in enumerate(items):
            sub = at.child(i) if listed else at
            if isinstance(item, dict):
                for name in item:
                    if name not in ("column", "reference"):
                        sub.child(name).bad("unknown key", None,
                                            did_you_mean(str(name), ("column", "reference")),
                                            at_key=True)
                column, reference = item.get("column"), item.get("reference")
                if column is None or isinstance(column, list | dict) or not str(column).strip():
                    sub.child("column").bad("no column given", column,
                                            "the column of a baseline row, e.g. ecog")
                    continue
                if reference is not None and (isinstance(reference, list | dict) or
                                              not str(reference).strip()):
                    sub.child("reference").bad("invalid value", reference,
                                               'one of the factor\'s levels, e.g. "No"')
                    reference = None
                if isinstance(reference, bool):  # YAML reads an unquoted No as false
                    reference = "Yes" if reference else "No"
                out.append(FactorChoice(text_of(column, sub.child("column")),
                                        None if reference is None else
                                        text_of(reference, sub.child("reference"))))
            elif isinstance(item, list):
                sub.bad("invalid value", item, "a column name or {column: name, reference: "
                        "level}")
            else:
                out.append(FactorChoice(text_of(item, sub)))
        return tuple(out)


@dataclass(frozen=True)
class PrognosticConfig:
    """Cox models, log-rank tests and response by baseline factor; checked against
    `baseline` when study.yaml is read (config/prognostic.py)."""

    endpoints: tuple[str, ...] = key(Choices(PROGNOSTIC_ENDPOINTS), PROGNOSTIC_ENDPOINTS)
    factors: tuple[FactorChoice, ...] = key(FactorChoices(), ())
    multivariable: tuple[str, ...] = key(FACTORS, ())

    @property
    def columns(self) -> tuple[str, ...]:
        """The factors' columns, in the order listed."""
        return tuple(f.column for f in self.factors)

    @property
    def references(self) -> dict[str, str]:
        """column -> the reference level study.yaml names, for the factors that name one."""
        return {f.column: f.reference for f in self.factors if f.reference is not None}


@dataclass(frozen=True)
class ExposureConfig:
    cycles_threshold: int = key(COUNT, 3)
    dose_column: str | None = key(Text(PATIENT_COLUMN), None)
    dose_unit: str = key(Text(), "mg")
    # How the drug was given, as the Methods state it after "<drug> was given"
    schedule: str | None = key(Text('the dose and schedule, e.g. "12 mg orally once daily on '
                                    'days 1–14"'), None)
    cycle_days: int | None = key(POSITIVE_COUNT, None)
    # Per patient, yes/no: dose reduced, interrupted, or treatment stopped for toxicity
    reduction_column: str | None = key(Text(YES_NO_COLUMN), None)
    interruption_column: str | None = key(Text(YES_NO_COLUMN), None)
    discontinuation_column: str | None = key(Text(YES_NO_COLUMN), None)

    @property
    def modification_columns(self) -> dict[str, str]:
        """Declared dose-modification columns: what each records -> the column."""
        named = {"reduction": self.reduction_column, "interruption": self.interruption_column,
                 "discontinuation": self.discontinuation_column}
        return {what: column for what, column in named.items() if column}


@dataclass(frozen=True)
class FigureConfig:
    swimmer_max_patients: int = key(POSITIVE_COUNT, 60)
    # The spider plot's lines: the patients with the longest measured course, at most
    spider_max_patients: int = key(POSITIVE_COUNT, 60)
    # Patients are labelled as the data name them; false numbers them Pt 1, Pt 2 ... instead
    swimmer_show_ids: bool = key(Bool(), True)
    km_ci_band: bool = key(Bool(), True)
    # submission/Figure<n> files to the journal's figure specification; default: when the
    # journal profile has figures uploaded separately
    submission_files: bool | None = key(Bool(), None)
    # colour, or greyscale (shades, hatches and markers); default: the journal's colour mode
    colour: str | None = key(Choice(FIGURE_COLOURS), None)
    # The printed width of a full-width figure and the tallest a figure may be; default: the
    # page's text block (160 x 230 mm), narrowed to the journal's double column and height.
    # The build fills both in (build.py), so that figures are drawn at the size they print.
    width_mm: float | None = key(Number(50, 160, expected="a width in mm from 50 to 160 "
                                        "(the manuscript page's text width)"), None)
    max_height_mm: float | None = key(Number(60, 230, expected="a height in mm from 60 to 230 "
                                             "(the printable height less the figure's label)"),
                                      None)
    # The figure files' formats, besides PNG and PDF (always written); default: those the
    # journal takes (TIFF, SVG), filled in by the build with PNG and PDF (build.py)
    formats: tuple[str, ...] | None = key(Choices(FIGURE_FORMATS), None)

    @property
    def greyscale(self) -> bool:
        return self.colour == "greyscale"

    @property
    def file_formats(self) -> tuple[str, ...]:
        """The formats each figure file is written in: all four until the build fills in
        `formats` (build.with_figure_frame)."""
        return self.formats or FIGURE_FORMATS


@dataclass(frozen=True)
class ManuscriptConfig:
    authors: tuple[Author, ...] = key(Authors(), ())
    affiliations: tuple[str, ...] = key(TextList(), ())
    keywords: tuple[str, ...] = key(TextList(), ())
    # line numbers in the PDF and Word margins; default: as the journal profile asks
    line_numbers: bool | None = key(Bool(), None)
    # double-blind review: an anonymised manuscript and a separate title page (title_page.*);
    # default: as the journal profile asks (review.blind)
    blind_review: bool | None = key(Bool(), None)
    # the corresponding author's postal address, printed with their name and e-mail
    correspondence_address: str | None = key(Text(), None)
    # the checklist written beside the manuscript; default: the journal profile's
    reporting_guideline: str | None = key(GuidelineName(), None)

    @property
    def author_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.authors)


@dataclass(frozen=True)
class ValidationConfig:
    progression_must_match_assessments: bool = key(Bool(), True)


@dataclass(frozen=True)
class StudyConfig:
    """Everything study.yaml says, validated and frozen; passed down explicitly."""

    title: str = key(Text("text, e.g. the manuscript title"))
    drug: str = key(Text("text, e.g. anlotinib"))
    population: str = key(Text("text, e.g. patients with ..."))
    data_cutoff: dt.date | None = key(Date(day_of_time=True), None)
    short_title: str | None = key(Text(), None)
    journal: str = key(JournalName(), "default")  # a profile: nps_report/journals/ or a file
    centre_column: str | None = key(Text(PATIENT_COLUMN), None)
    staging: str | None = key(Text('the staging system, e.g. "AJCC 8th edition"'), None)
    ci: CIConfig = section(CIConfig)
    recist: RecistConfig = section(RecistConfig)
    landmarks_months: tuple[float, ...] = key(Numbers(), (6.0, 12.0))
    safety: SafetyConfig = section(SafetyConfig)
    baseline: tuple[BaselineItem, ...] = key(BaselineRows(), ())
    prognostic: PrognosticConfig | None = optional_section(PrognosticConfig)
    # A categorical baseline column: a column per level in Table 1, efficacy and adverse
    # events, KM curves by level, and results.json `cohorts` (contract section 5)
    by: str | None = key(Text(PATIENT_COLUMN), None)
    # Patient flow before the first dose (config/flow.py); screening.csv may give it instead
    flow: FlowConfig | None = optional_section(FlowConfig)
    exposure: ExposureConfig = section(ExposureConfig)
    figures: FigureConfig = section(FigureConfig)
    manuscript: ManuscriptConfig = section(ManuscriptConfig)
    validation: ValidationConfig = section(ValidationConfig)
    missing_values: tuple[str, ...] = key(MISSING_VALUES, ())
    columns: ColumnMap = section(ColumnMap)
    # the sponsor's ADaM data sets instead of the tables (config/source.py, data/adam/)
    source: SourceConfig | None = optional_section(SourceConfig)

    @property
    def min_incidence_pct(self) -> float:
        """safety.min_incidence_pct (kept for code written before `safety` was nested)."""
        return self.safety.min_incidence_pct

    @property
    def progression_must_match_assessments(self) -> bool:
        """validation.progression_must_match_assessments (as min_incidence_pct)."""
        return self.validation.progression_must_match_assessments

    @property
    def baseline_columns(self) -> tuple[str, ...]:
        cols: list[str] = []
        for item in self.baseline:
            if item.column:
                cols.append(item.column)
            cols.extend(c for c, _ in item.columns)
        if self.exposure.dose_column:
            cols.append(self.exposure.dose_column)
        return tuple(dict.fromkeys(cols))
