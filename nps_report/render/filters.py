"""Jinja filters: the only way templates read and word Results.

A filter that prints a quantity is made from its entry in the format registry
(present/formats.py), so the text prints exactly what the tables print; it returns its
text bound to the key of the value it printed (tracking.py), so the living manuscript
can find it again. The rest select and word (landmarks, top_terms, ...), returning
tracked parts of the model; they never run an analysis. Templates hold the sentences;
filters hold no English beyond units.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import pass_context

from ..present import fmt
from ..present.cohorts import cohort_name
from ..present.factors import factor_text, level_text
from ..present.figures.forest_hr import hr_beyond_axis
from ..present.figures.km_factors import km_factor_hidden, km_factor_rows
from ..present.formats import FORMATS, Format, Formats
from ..present.tables import footnote_marks
from ..results import (
    AERow,
    BaselineVariable,
    CohortSplit,
    Exposure,
    FactorInfo,
    LevelCount,
    PatientColumns,
    Safety,
    SeverityRow,
    SurvivalSummary,
)
from ..vocab import ABBREVIATIONS, BANDS, KM_CI_TEXT, MODIFICATION_NAMES, PROPORTION_CI_TEXT
from .abbreviations import marker
from .tracking import Bound, bind, path_of, track, unwrap


def style_of(context: Any) -> fmt.Style:
    """The study's number style (the journal's percentages: compose.py puts it in the
    context as `style`); the default where a template has none."""
    found = context.get("style") if context is not None else None
    return found if isinstance(found, fmt.Style) else fmt.DEFAULT


def factor_name(value: Any, prognostic: Any = None) -> str:
    """A factor in running text ('ECOG performance status', 'metastatic sites: liver'): a
    FactorInfo, or (with the prognostic results) a column name or a row's `factor`."""
    if isinstance(value, FactorInfo):
        info, where = unwrap(value), path_of(value)
    else:
        column = str(value) if isinstance(value, str) else str(value.factor)
        info = unwrap(prognostic).factor(column)
        base = path_of(prognostic)
        where = base.field("factors").item(info.column) if base is not None else None
    text = factor_text(info)
    return Bound(text, str(where.printed("label"))) if where is not None else text


def reference_name(factor: Any) -> str:
    """A factor's reference level as text names it ('0–1', 'no'): the level its HRs and
    response rates are compared with, first in its levels."""
    info, where = unwrap(factor), path_of(factor)
    text = level_text(info, info.reference or "")
    return Bound(text, str(where.field("reference").printed("level"))) if where is not None \
        else text


def km_rows(results: Any) -> list[tuple[Any, list[tuple[str, str]]]]:
    """(factor, [(panel key, endpoint), ...]) per row of the Kaplan-Meier-by-factor figure;
    the factor tracked, so that its name prints bound."""
    return [(_factor(results, f), [(k.key, k.endpoint) for k in panels])
            for f, panels in km_factor_rows(unwrap(results))]


def km_hidden(results: Any) -> list[Any]:
    """Factors whose curves the figure leaves out."""
    return [_factor(results, f) for f in km_factor_hidden(unwrap(results))]


def _factor(results: Any, info: FactorInfo) -> Any:
    base = path_of(results.prognostic)
    return track(info, base.field("factors").item(info.column)) if base is not None else info


def per_factor(rows: Any) -> list:
    """The first row of each factor, in their order (a factor's test repeats on its rows)."""
    seen: dict[str, Any] = {}
    for row in rows:
        seen.setdefault(str(row.factor), row)
    return list(seen.values())


def forest_cut(prognostic: Any) -> bool:
    """Whether an HR forest plot cuts a confidence limit at its axis (draws an arrowhead)."""
    return hr_beyond_axis(unwrap(prognostic))


def same_month(first: str | None, last: str | None) -> bool:
    """Two dates the text would print alike ('in April 2019', not 'between ... and ...')."""
    return fmt.fmt_month(first) == fmt.fmt_month(last)


def abbr(short: str, capital: bool = False, plural: bool = False) -> str:
    """'objective response rate (ORR)' at its first use, 'ORR' after (abbreviations.py)."""
    return marker(short, capital, plural)


def same_binding(fn):
    """A text filter (capfirst, dashes) keeps the binding of a bound text it changes."""
    def filter_(text: str, *args: Any) -> str:
        out = fn(text, *args)
        return Bound(out, text.key) if isinstance(text, Bound) else out
    filter_.__doc__ = fn.__doc__
    return filter_


def landmarks(s: SurvivalSummary) -> list:
    """Landmarks that could be estimated (follow-up long enough)."""
    return [lm for lm in s.landmarks if lm.estimate is not None]


def top_terms(safety: Safety, n: int = 3, min_grade: int = 1) -> list[tuple[AERow, int]]:
    """(row, patients) for the n terms most often seen at min_grade or worse; ties by name."""
    def tracked(row: AERow) -> int:
        path = path_of(row)
        count_ = at_least(row, min_grade)
        if path is None:
            return count_
        if min_grade == 1:
            return track(count_, path.field("any"))
        if isinstance(row, SeverityRow):  # severity: 'grade 3' is severe, the highest
            return track(count_, path.field("severe"))
        return track(count_, path.field(f"grade{min_grade}plus"))

    counted = [(r, tracked(r)) for r in safety.all_terms]
    counted = [(r, k) for r, k in counted if k]
    return sorted(counted, key=lambda rk: (-rk[1], rk[0].term))[:n]


def at_least(row: AERow, grade: int) -> int:
    """Patients whose worst grade for this term is `grade` or higher."""
    return sum(getattr(row, f"grade{g}") for g in range(grade, 6))


def yes_no(baseline: tuple[BaselineVariable, ...]) -> list[tuple[str, LevelCount]]:
    """(label, 'Yes' level) of each Yes/No variable, which reads as 'n had <label>'."""
    out = []
    for var in baseline:
        labels = {lv.label.lower(): lv for lv in var.levels}
        if var.type == "categorical" and set(labels) == {"yes", "no"}:
            out.append((var.label, labels["yes"]))
    return out


def footnotes(baseline: tuple[BaselineVariable, ...]) -> list[tuple[str, BaselineVariable]]:
    """(letter, row) of each Table 1 row with a note, lettered as the table marks them."""
    marks = footnote_marks(unwrap(baseline))
    return [(marks[v.label], v) for v in baseline if v.label in marks]


def stage_rows(baseline: tuple[BaselineVariable, ...]) -> list[BaselineVariable]:
    """Table 1 rows that report a stage, whose staging system the Methods must name."""
    return [v for v in baseline if "stage" in v.label.casefold()]


def modifications(exposure: Exposure) -> list[tuple[str, int]]:
    """(field, patients) of each dose modification a column records, in vocab order."""
    return [(name, getattr(exposure, name)) for name in MODIFICATION_NAMES
            if getattr(exposure, name) is not None]


def continuous(baseline: tuple[BaselineVariable, ...]) -> list[BaselineVariable]:
    return [v for v in baseline if v.type == "continuous" and v.summary and v.summary.n]


def cohort_label(level: str, split: CohortSplit) -> str:
    """'12 mg/day' for level 12 of 'Starting dose (mg/day)' (present/cohorts.py), bound to
    the level in by.levels (its digits are the data's)."""
    levels = [str(lv) for lv in unwrap(split).levels]
    text = cohort_name(unwrap(split), str(level))
    path = path_of(split)
    if path is None or str(level) not in levels:
        return text
    return Bound(text, str(path.field("levels").item(levels.index(str(level)))
                           .printed("value")))


def label_name(label: str) -> str:
    """'Age (years)' -> 'age'."""
    return fmt.lowerfirst(label.split(" (")[0].strip())


def label_unit(label: str) -> str:
    """'Age (years)' -> 'years'; '' without a parenthesised unit."""
    return label[label.index(" (") + 2:].rstrip(")") if label.endswith(")") and " (" in label \
        else ""


def swimmer_marks(swimmer: Any, patients: PatientColumns) -> list[str]:
    """Which swimmer markers the drawn lanes carry: response, progression, death, ongoing."""
    columns = {"response": patients.first_response_months,
               "progression": patients.progression_months, "death": patients.death_months,
               "ongoing": patients.on_treatment}
    return [kind for kind, values in columns.items()
            if any(values[i] not in (None, False) for i in swimmer.indices)]


def abbreviations(texts: Any, known: Mapping[str, str] = ABBREVIATIONS) -> str:
    """'CI, confidence interval; NR, not reached' for the abbreviations that appear."""
    words = set(re.findall(r"[A-Za-z]+", " ".join(_strings(texts))))
    used = sorted((k for k in known if k in words), key=str.lower)
    return "; ".join(f"{k}, {known[k]}" for k in used)


def dashes(text: str) -> str:
    """An en dash between paired names: 'Kaplan-Meier' -> 'Kaplan–Meier' (not 'Hand-foot')."""
    return re.sub(r"\b([A-Z][a-z]+)-([A-Z][a-z]+)\b", "\\1–\\2", text)


def _strings(value: Any) -> list[str]:
    if hasattr(value, "header"):  # a TableSpec
        return [*value.header, *(c for row in value.rows for c in row.cells)]
    if isinstance(value, str):
        return [value]
    return [s for v in value for s in _strings(v)]


@pass_context
def table_ref(context: Any, key: str) -> str:
    return context["citations"].table(key)


@pass_context
def figure_ref(context: Any, key: str) -> str:
    return context["citations"].figure(key)


@pass_context
def panel(context: Any, key: str) -> str:
    """'(A) ' before a panel's part of a legend; '' when the figure has one panel."""
    letter = context["citations"].letter(key)
    return f"({letter}) " if letter else ""


# Filters that select and word; the ones that print a quantity come from the format registry
WORDING = {
    "abbr": abbr, "landmark_label": fmt.fmt_landmark_label, "same_month": same_month,
    "footnotes": footnotes, "stage_rows": stage_rows, "modifications": modifications,
    "plural": fmt.plural, "capfirst": same_binding(fmt.capfirst),
    "lowerfirst": same_binding(fmt.lowerfirst),
    "join_words": fmt.join_words, "landmarks": landmarks, "top_terms": top_terms,
    "yes_no": yes_no, "continuous": continuous, "label_name": label_name,
    "label_unit": label_unit, "dashes": same_binding(dashes), "swimmer_marks": swimmer_marks,
    "abbreviations": abbreviations, "table_ref": table_ref, "figure_ref": figure_ref,
    "panel": panel, "proportion_ci_method": PROPORTION_CI_TEXT.__getitem__,
    "km_ci_method": KM_CI_TEXT.__getitem__, "band_method": BANDS.__getitem__,
    "factor_name": factor_name, "reference_name": reference_name, "per_factor": per_factor,
    "km_rows": km_rows, "km_hidden": km_hidden, "hr_beyond_axis": forest_cut,
    "cohort_name": cohort_label,
}


def format_filter(f: Format) -> Callable[..., str]:
    """The filter of one format: its prose form in the study's number style (the journal's,
    which compose.py puts in the context as `style`) with what cells abbreviate spelled
    out, bound to the key of the value it printed (its first argument)."""
    @pass_context
    def filter_(context: Any, value: Any, *args: Any, **options: Any) -> str:
        text = f(value, *args, target="prose", style=style_of(context).in_text(), **options)
        return bind(text, value, f.suffix_for(value, *args, **options))

    filter_.__name__ = filter_.__qualname__ = f.name
    filter_.__doc__ = (f.prose.__doc__ if f.prose is not None else None) or f.name
    return filter_


def filters(formats: Formats = FORMATS) -> dict[str, Callable]:
    """Every filter templates have: one per format of the registry, and the wording ones."""
    return {**{f.name: format_filter(f) for f in formats if f.filter and f.prose}, **WORDING}


FILTERS = filters()
