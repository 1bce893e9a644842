"""`source:` in study.yaml: a CDISC ADaM source instead of the contract's tables.

    source:
      adam: adam/                   # adsl, adrs, adtte, adae (+ adtr)
      population: SAFFL             # ADSL flag that must be "Y"
      arm: {variable: TRT01A, value: Drug X 10 mg}    # or values: [A, B]; none: all pooled
      response: {paramcd: BOR}      # ADRS; or {paramcd: OVR}, or {derive: adtr}
      pfs: {paramcd: PFS}           # ADTTE: AVAL and CNSR as given; unit: where no AVALU
      os: {paramcd: OS}
      duration_of_response: {paramcd: DOR}             # optional
      adverse_events: {flag: TRTEMFL, grade: ATOXGR, term: AEDECOD}

Each block may name its data set (`dataset: adrs_onco`) where the file is not called by
the ADaM name. What the keys mean together (one of value or values; a source needs a
data cutoff) is checked here, at the lines written; the data sets are read by
data/adam/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import Problem
from .at import At
from .kinds import Choice, Text, Texts
from .reader import key, optional_section
from .tables import TABLES
from .yamlfile import FILE

if TYPE_CHECKING:
    from .model import StudyConfig

UNITS = ("days", "weeks", "months", "years")
VARIABLE = "the name of an ADaM variable, e.g. {}"


def _variable(example: str) -> Text:
    return Text(VARIABLE.format(example))


DATASET = Text("the name of the data set's file without its suffix, e.g. adrs_onco")


@dataclass(frozen=True)
class ArmChoice:
    """The arm (or arms, pooled) of a multi-arm study that the manuscript reports."""

    variable: str = key(_variable("TRT01A"), "TRT01A")
    value: str | None = key(Text("the arm as ADSL spells it, e.g. Drug X 10 mg"), None)
    values: tuple[str, ...] | None = key(Texts(
        "a list of arms as ADSL spells them, pooled, e.g. [Drug X 10 mg, Drug X 20 mg]",
        single=True, numbers_as_typed=False), None)

    @property
    def chosen(self) -> tuple[str, ...]:
        return (self.value,) if self.value is not None else tuple(self.values or ())

    def check(self, at: At) -> None:
        if (self.value is None) == (self.values is None):
            at.bad("give one of value and values", None,
                   "value: <one arm>, or values: [<arm>, <arm>] to pool several", at_key=True)


@dataclass(frozen=True)
class ResponseSource:
    """Where best overall response comes from: an ADRS parameter, or ADTR's lesions."""

    paramcd: str | None = key(Text("an ADRS PARAMCD: BOR (best overall response as the "
                                   "sponsor derived it) or OVR (timepoint responses)"), None)
    derive: str | None = key(Choice(("adtr",)), None)
    dataset: str | None = key(DATASET, None)
    flag: str | None = key(_variable("ANL01FL (only records where it is Y are used)"), None)

    @property
    def route(self) -> str:
        """given: the sponsor's best overall response (one record per patient); timepoints:
        the investigator's response per visit (a PARAMCD starting OVR), best overall
        response derived from them; lesions: RECIST 1.1 from ADTR."""
        if self.derive is not None:
            return "lesions"
        return "timepoints" if str(self.paramcd).upper().startswith("OVR") else "given"

    def check(self, at: At) -> None:
        if (self.paramcd is None) == (self.derive is None):
            at.bad("give one of paramcd and derive", None,
                   "paramcd: BOR, paramcd: OVR, or derive: adtr", at_key=True)


@dataclass(frozen=True)
class TimeToEvent:
    """An ADTTE parameter: AVAL in AVALU (or `unit`), CNSR 0 = event, as given."""

    paramcd: str = key(Text("an ADTTE PARAMCD, e.g. PFS"))
    unit: str | None = key(Choice(UNITS), None)
    dataset: str | None = key(DATASET, None)


@dataclass(frozen=True)
class AdverseEventSource:
    """ADAE: which events count (a flag that is Y), their term and their grade."""

    grade: str = key(_variable("ATOXGR (CTCAE grade) or ASEV (severity)"))
    flag: str = key(_variable("TRTEMFL"), "TRTEMFL")
    term: str = key(_variable("AEDECOD"), "AEDECOD")
    dataset: str | None = key(DATASET, None)


REQUIRED = {"response": "{paramcd: BOR}", "pfs": "{paramcd: PFS}", "os": "{paramcd: OS}",
            "adverse_events": "{flag: TRTEMFL, grade: ATOXGR, term: AEDECOD}"}


@dataclass(frozen=True)
class SourceConfig:
    """`source:`: the study's data are the sponsor's ADaM data sets, used as they are."""

    adam: str = key(Text("the folder holding the ADaM data sets, e.g. adam/"))
    population: str = key(_variable("SAFFL (the ADSL flag that is Y for the patients "
                                    "analysed)"))
    arm: ArmChoice | None = optional_section(ArmChoice)
    response: ResponseSource | None = optional_section(ResponseSource)
    pfs: TimeToEvent | None = optional_section(TimeToEvent)
    os: TimeToEvent | None = optional_section(TimeToEvent)
    duration_of_response: TimeToEvent | None = optional_section(TimeToEvent)
    adverse_events: AdverseEventSource | None = optional_section(AdverseEventSource)
    # an ADSL variable with each patient's number of treatment cycles (ADaM has none as such)
    cycles: str | None = key(_variable("NCYCLES"), None)

    def check(self, at: At) -> None:
        for name, example in REQUIRED.items():
            if getattr(self, name) is None:
                at.child(name).bad("missing required key", None,
                                   f"{name}: {example}", at_key=True)


def check_source(config: StudyConfig, at: At) -> None:
    """What a source asks of the rest of study.yaml: a data cutoff (ADaM carries none), and
    no `columns:` (ADaM variables are named as they are)."""
    if config.source is None:
        return
    if config.data_cutoff is None and "data_cutoff" not in (at.ctx.doc.data or {}):
        spot = at.child("source").spot
        at.ctx.problems.append(Problem(
            FILE, "an ADaM source needs data_cutoff", row=spot.key_line if spot else None,
            column="data_cutoff", expected="the study's data cutoff, e.g. data_cutoff: "
                                           "2024-12-31 (ADaM data sets do not carry it)"))
    renamed = [t for t in TABLES if config.columns.for_table(t)]
    if renamed:
        at.child("columns").bad(
            "columns: maps the headers of the contract's tables, which an ADaM source does "
            "not have", renamed, "no columns: key; name ADaM variables as they are (under "
            "source: and in baseline:)", at_key=True)
