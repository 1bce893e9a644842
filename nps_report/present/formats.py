"""Every kind of printed quantity, declared once: its name, its unit, and how it prints.

A Format is one kind of quantity (n (%), an estimate with its CI, a median with its CI,
a hazard ratio with CI and p, a p-value, a rate at a landmark, months, a count...) with
its forms, chosen by a target:

    cell   a table cell, terse: '4 (13.3)', '0.4–26.2', 'NR', '1.52 (0.81–2.85)'
    prose  running text, with what a cell abbreviates spelled out: '4 (13.3%)',
           '13.3% (95% CI 0.4–26.2)', 'HR 1.52 (95% CI 0.81–2.85; p = 0.19)'
    word   the text manuscript.docx holds: the prose form as it is (since issue 25 the
           writer adds no invisible characters, so that Word's Find and a paste into a
           submission form see what the reader sees)

Everything else derives from the declaration: the Jinja filter of the same name (its
text bound to the key of the value it printed, render/filters.py), the unit a binding's
label ends with (present/labels.py), the cells table builders print, the numbers the
change report compares, and (`prints`) which field each printed number is, for the
preview's data-keys (provenance/keys.py). Journal style (decimals, separators, 'not
reached') is data: the caller passes a Style; the filters pass the prose one
(Style.in_text()).

Adding a statistic is one entry in FORMATS (ARCHITECTURE.md has a worked example).
The `key` of an entry is the name bindings carry when it differs from the filter's:
authors' Word files hold records written with those names, so they stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..results import (
    Distribution,
    Landmark,
    LevelCount,
    MultivariableRow,
    Proportion,
    SurvivalSummary,
    UnivariableRow,
)
from .factors import contrast_text, level_text
from .fmt import (
    DEFAULT,
    Style,
    capfirst,
    distribution_decimals,
    fmt_auto,
    fmt_confidence,
    fmt_date,
    fmt_int,
    fmt_month,
    fmt_months,
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pct_range,
    fmt_range,
    fmt_ratio,
    number_words,
    plural,
    spell_number,
)

Target = Literal["cell", "prose", "word"]
Form = Callable[..., str]  # form(value, *args, style=Style, **options) -> text
# The numbers a format's forms print of a value of each type, in the orders they may print
# them: a field of the value, '.' the value itself, '%' a count's percentage, '^level' the
# confidence level of what holds the value. provenance/keys.py keys each printed number so.
Prints = Mapping[type, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class Format:
    """One kind of printed quantity: its forms by target, and what a label calls its unit."""

    name: str  # the Jinja filter and, unless `key` says otherwise, the binding's suffix
    unit: str  # 'n (%)': the end of a binding's label ('Objective response rate: n (%)')
    cell: Form | None = None
    prose: Form | None = None
    key: str = ""  # the suffix bindings carry, where it is not `name`
    filter: bool = True  # whether templates get a filter of this name
    prints: Prints = field(default_factory=dict)  # the numbers it prints, by value type
    # Where an option prints another quantity (a proportion with its n/N, an HR without its
    # p): the suffix its arguments call for, and the unit of each such suffix
    key_for: Callable[..., str] | None = None
    variants: Mapping[str, str] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        return self.key or self.name

    def suffix_for(self, value: Any, *args: Any, **options: Any) -> str:
        """The suffix a binding of these arguments carries."""
        return self.key_for(value, *args, **options) if self.key_for else self.suffix

    def __call__(self, value: Any, *args: Any, target: Target = "cell",
                 style: Style = DEFAULT, **options: Any) -> str:
        form = self.cell if target == "cell" else self.prose  # 'word' is the prose form
        if form is None:
            raise ValueError(f"the {self.name!r} format has no {target} form")
        return form(value, *args, style=style, **options)


class Formats:
    """The registry: formats by name, in declaration order; an extended copy for a study
    type or a test that adds one (`with_formats`)."""

    def __init__(self, *formats: Format) -> None:
        self._by_name: dict[str, Format] = {}
        for f in formats:
            if f.name in self._by_name:
                raise ValueError(f"format {f.name!r} is declared twice")
            self._by_name[f.name] = f
        self._units: dict[str, str] = {}
        for f in formats:
            self._units.setdefault(f.suffix, f.unit)
            for suffix, unit in f.variants.items():
                self._units.setdefault(suffix, unit)

    def __getitem__(self, name: str) -> Format:
        return self._by_name[name]

    def __iter__(self) -> Iterator[Format]:
        return iter(self._by_name.values())

    def with_formats(self, *more: Format) -> Formats:
        return Formats(*self._by_name.values(), *more)

    def unit(self, suffix: str) -> str:
        """The unit of the format a binding suffix names ('' for a bare value); an unknown
        suffix by its own words."""
        return self._units.get(suffix, suffix.replace("_", " "))


# -- the forms ------------------------------------------------------------------------------


def _count_share(value: Any, denominator: int | None = None) -> tuple[int, float | None]:
    """(n, fraction) of a count and its denominator, a LevelCount or a Proportion."""
    if isinstance(value, int):
        return value, value / denominator if denominator else None
    return value.n, value.pct if isinstance(value, LevelCount) else value.estimate


def _n_pct_cell(value: Any, denominator: int | None = None, *, style: Style) -> str:
    """'4 (13.3)'; a count of none is style.zero ('0'), one style in every table."""
    n, fraction = _count_share(value, denominator)
    return style.zero if n == 0 else f"{n} ({fmt_pct(fraction, style)})"


def _n_pct_prose(value: Any, denominator: int | None = None, *, style: Style) -> str:
    """'25 (83.3%)': the prose twin of the cell '25 (83.3)'."""
    n, fraction = _count_share(value, denominator)
    return f"{n} ({_pct_prose(fraction, style=style)})"


def _pct_prose(fraction: float | None, *, style: Style) -> str:
    """'13.3%': a percentage in running text carries its sign."""
    return style.missing if fraction is None else f"{fmt_pct(fraction, style)}%"


def _pct_cell(fraction: float | None, *, style: Style) -> str:
    return fmt_pct(fraction, style)


def _share(n: int, denominator: int) -> float | None:
    return n / denominator if denominator else None


def _pct_of_prose(n: int, denominator: int, *, style: Style) -> str:
    return _pct_prose(_share(n, denominator), style=style)


def _pct_of_cell(n: int, denominator: int, *, style: Style) -> str:
    return fmt_pct(_share(n, denominator), style)


def _months_ci(s: Any, style: Style, short: bool) -> str:
    """'4.7–6.7' for a median's CI; an unreached upper limit reads 'NR'/'not reached'."""
    low = style.not_estimable if s.ci_low is None else fmt_months(s.ci_low, style, short)
    return f"{low}{style.ci_separator}{fmt_months(s.ci_high, style, short)}"


def _ci_cell(value: Any, *, style: Style) -> str:
    """A CI's limits: a proportion's in percent ('0.4–26.2'), a survival median's in months
    ('4.7–NR'), a rate's in percent ('' when not estimable)."""
    if isinstance(value, SurvivalSummary):
        return _months_ci(value, style, short=True)
    if isinstance(value, Proportion):
        return f"{fmt_pct(value.ci_low, style)}{style.ci_separator}" \
               f"{fmt_pct(value.ci_high, style)}"
    return fmt_pct_range(value.ci_low, value.ci_high, style)


def _ci_prose(value: Any, *, style: Style) -> str:
    """'95% CI 0.4–26.2' for a proportion, '95% CI 4.7–6.7' for a survival median."""
    if isinstance(value, SurvivalSummary):
        return f"{fmt_confidence(value.level)} CI {_months_ci(value, style, short=False)}"
    return f"{fmt_confidence(value.level)} CI {_ci_cell(value, style=style)}"


def _proportion_prose(p: Any, counts: bool = False, *, style: Style) -> str:
    """'13.3% (95% CI 0.4–26.2)'; with counts (a journal's abstract), '13.3% (4/30; 95% CI
    0.4–26.2)'."""
    if p.estimate is None:
        return style.missing
    n_of = f"{fmt_int(p.n, style)}/{fmt_int(p.N, style)}" if counts else ""
    if p.ci_low is None:
        return f"{fmt_pct(p.estimate, style)}%" + (f" ({n_of})" if n_of else "")
    return f"{fmt_pct(p.estimate, style)}% ({n_of + '; ' if n_of else ''}" \
           f"{_ci_prose(p, style=style)})"


def _median_ci_prose(s: Any, *, style: Style, short: bool = False) -> str:
    """'5.7 months (95% CI 4.7–6.7)'; 'not reached (95% CI 7.5–not reached)'."""
    if s.median is None and s.ci_low is None:
        return fmt_months(None, style, short)
    med = fmt_months(s.median, style, short)
    unit = " months" if s.median is not None and not short else ""
    return f"{med}{unit} ({fmt_confidence(s.level)} CI {_months_ci(s, style, short)})"


def _median_range_cell(d: Any, decimals: int | None = None, *, style: Style) -> str:
    """'5 (1–33)'; whole-number data without decimals unless told."""
    if d.median is None:
        return style.missing
    if decimals is None:
        decimals = distribution_decimals(d.min, d.max)
    return f"{fmt_num(d.median, decimals, style)} ({fmt_range(d.min, d.max, decimals, style)})"


def _median_range_prose(d: Any, unit: str = "", decimals: int | None = None, *,
                        style: Style) -> str:
    """'55 years (range 35–76)'; whole-number data print without decimals, as in Table 1."""
    if decimals is None:
        decimals = distribution_decimals(d.min, d.max)
    unit = f" {unit}" if unit else ""
    return (f"{fmt_num(d.median, decimals, style)}{unit} "
            f"(range {fmt_range(d.min, d.max, decimals, style)})")


def _rate_ci_cell(r: Any, *, style: Style) -> str:
    """'16.7 (0.6–32.7)'; the rate alone without limits; style.missing for no patients."""
    if r.estimate is None or getattr(r, "n", None) == 0:
        return style.missing
    ci = fmt_pct_range(r.ci_low, r.ci_high, style)
    return f"{fmt_pct(r.estimate, style)} ({ci})" if ci else fmt_pct(r.estimate, style)


def _rate_ci_prose(r: Any, level: float, *, style: Style) -> str:
    """'45.2% (95% CI 26.1–62.4)' for a landmark survival rate; 'not estimable'."""
    if r.estimate is None:
        return style.not_estimable
    if r.ci_low is None or r.ci_high is None:
        return f"{fmt_pct(r.estimate, style)}%"
    return (f"{fmt_pct(r.estimate, style)}% ({fmt_confidence(level)} CI "
            f"{fmt_pct(r.ci_low, style)}{style.ci_separator}{fmt_pct(r.ci_high, style)})")


def _hr_ci_cell(row: Any, *, style: Style) -> str:
    """'1.52 (0.81–2.85)'; style.not_estimable ('NE') without an estimate."""
    if row.hr is None:
        return style.not_estimable
    if row.ci_low is None or row.ci_high is None:
        return fmt_ratio(row.hr, style)
    return f"{fmt_ratio(row.hr, style)} ({fmt_ratio(row.ci_low, style)}{style.ci_separator}" \
           f"{fmt_ratio(row.ci_high, style)})"


def _hr_ci_prose(row: Any, level: float, with_p: bool = True, *, style: Style) -> str:
    """'HR 1.52 (95% CI 0.81–2.85; p = 0.19)'; style.not_estimable without an estimate;
    without its p ('HR 1.52 (95% CI 0.81–2.85)') where the text gives the tests apart."""
    if row.hr is None:
        return style.not_estimable
    inside = [] if row.ci_low is None or row.ci_high is None else [
        f"{fmt_confidence(level)} CI {fmt_ratio(row.ci_low, style)}{style.ci_separator}"
        f"{fmt_ratio(row.ci_high, style)}"]
    if row.p is not None and with_p:
        inside.append(_p_prose(row.p, style=style))
    return f"HR {fmt_ratio(row.hr, style)}" + (f" ({'; '.join(inside)})" if inside else "")


def _hr_key(_row: Any, _level: float = 0.95, with_p: bool = True) -> str:
    return "hr_ci" if with_p else "hr"


def _proportion_key(_p: Any, counts: bool = False) -> str:
    return "proportion_n" if counts else "proportion"


def _p_cell(p: float | None, *, style: Style) -> str:
    return fmt_p(p, style)


def _p_prose(p: float | None, *, style: Style) -> str:
    """'p = 0.043', 'p < 0.001', 'p > 0.99' in running text and figures."""
    cell = fmt_p(p, style)
    if cell[0] in "<>":
        return f"p {cell[0]} {cell[1:]}"
    return f"p = {cell}"


def _months_cell(value: float | None, *, style: Style, short: bool = True) -> str:
    return fmt_months(value, style, short)


def _months_prose(value: float | None, *, style: Style) -> str:
    """'5.7 months', or 'not reached'."""
    return fmt_months(value, style) + ("" if value is None else " months")


def _confidence(level: float, *, style: Style) -> str:
    return fmt_confidence(level)


def _auto(value: float | None, decimals: int = 1, *, style: Style) -> str:
    return fmt_auto(value, decimals, style)


def _date(iso: str | None, *, style: Style) -> str:
    return fmt_date(iso, style)


def _month(iso: str | None, *, style: Style) -> str:
    return fmt_month(iso, style)


def _spell_start(n: int, *, style: Style) -> str:
    """Sentence start: numbers under ten in words ('Four'), others as numerals."""
    return spell_number(n, capitalise=True)


def _spell(n: int, *, style: Style) -> str:
    """Within a sentence: numbers under ten in words ('three centers'), others as numerals."""
    return spell_number(n)


def _count_cell(n: int, *, style: Style) -> str:
    return fmt_int(n, style)


def _count_prose(n: int, noun: str, plural_form: str | None = None, *, style: Style) -> str:
    """'1 patient', '4 patients', '12,500 patients'."""
    return f"{fmt_int(n, style)} {plural(n, noun, plural_form)}"


def _count_start(n: int, noun: str, plural_form: str | None = None, *, style: Style) -> str:
    """A count that opens a sentence: 'No patient', 'Thirty patients', 'A total of 125 ...'."""
    word = plural(n, noun, plural_form)
    if n == 0:
        return f"No {noun}"
    if n < 100:
        return f"{capfirst(number_words(n))} {word}"
    return f"A total of {fmt_int(n, style)} {word}"


def _contrast(row: Any, prognostic: Any, *, style: Style) -> str:
    """What a hazard ratio compares: '2 versus 0–1', 'yes versus no', 'per year'."""
    info = prognostic.factor(str(row.factor))
    level = None if row.level is None else str(row.level)
    reference = None if row.reference is None else str(row.reference)
    return contrast_text(info, level, reference)


def _level_name(row: Any, prognostic: Any, *, style: Style) -> str:
    """A row's level as text names it: '0–1', 'yes'."""
    return level_text(prognostic.factor(str(row.factor)), str(row.level))


def _value(value: Any, *, style: Style) -> str:
    return str(value)


_CI = (("level", "ci_low", "ci_high"), ("ci_low", "ci_high"))  # prose, then the cell
_HR = (("hr", "^level", "ci_low", "ci_high", "p"), ("hr", "^level", "ci_low", "ci_high"),
       ("hr", "ci_low", "ci_high"), ("hr", "p"), ("hr",))

FORMATS = Formats(
    Format("n_pct", "n (%)", _n_pct_cell, _n_pct_prose, prints={
        Proportion: (("n", "estimate"),), LevelCount: (("n", "pct"),), int: ((".", "%"),)}),
    Format("pct", "%", _pct_cell, _pct_prose),
    Format("pct_of", "%", _pct_of_cell, _pct_of_prose, prints={int: (("%",),)}),
    Format("ci", "95% CI", _ci_cell, _ci_prose, prints={Proportion: _CI, SurvivalSummary: _CI}),
    Format("proportion", "% (95% CI)", None, _proportion_prose, prints={
        Proportion: (("estimate", "level", "ci_low", "ci_high"), ("estimate",))},
        key_for=_proportion_key, variants={"proportion_n": "% (n/N; 95% CI)"}),
    Format("median_ci", "median (95% CI), months", None, _median_ci_prose, prints={
        SurvivalSummary: (("median", "level", "ci_low", "ci_high"), ("median",))}),
    Format("median_range", "median (range)", _median_range_cell, _median_range_prose,
           prints={Distribution: (("median", "min", "max"),)}),
    Format("rate_ci", "rate (95% CI)", _rate_ci_cell, _rate_ci_prose, prints={
        Landmark: (("estimate", "^level", "ci_low", "ci_high"), ("estimate",))}),
    Format("hr_ci", "HR (95% CI; p)", _hr_ci_cell, _hr_ci_prose,
           prints={UnivariableRow: _HR, MultivariableRow: _HR}, key_for=_hr_key,
           variants={"hr": "HR (95% CI)"}),
    Format("p_value", "p", _p_cell, _p_prose, key="p"),
    Format("months", "months", _months_cell, _months_prose),
    Format("level", "", _confidence, _confidence),  # a confidence level: '95%'
    Format("auto", "", _auto, _auto),
    Format("date", "date", _date, _date),
    Format("month", "month", _month, _month),
    Format("spell", "n", None, _spell_start),
    Format("in_words", "n", None, _spell, key="spell"),
    Format("count", "n", _count_cell, _count_prose),
    Format("count_start", "n", None, _count_start),
    Format("contrast", "levels compared", None, _contrast),
    Format("level_name", "", None, _level_name, key="level"),
    Format("value", "", _value, _value, filter=False),  # a value printed as it is
    Format("label", "", filter=False),  # a factor's name in text (render/filters.factor_name)
)


def cell(name: str, value: Any, *args: Any, style: Style = DEFAULT, **options: Any) -> str:
    """The table-cell form of `value` in the format `name`: cell('n_pct', 4, 30) == '4 (13.3)'."""
    return FORMATS[name](value, *args, target="cell", style=style, **options)


def prose(name: str, value: Any, *args: Any, style: Style = DEFAULT, **options: Any) -> str:
    """The running-text form, in the style given (filters give style.in_text())."""
    return FORMATS[name](value, *args, target="prose", style=style, **options)
