"""How numbers print: the pieces every format is made of (formats.py declares the formats).

Pure functions of a value and a Style; journal conventions (decimals, CI separator,
'not reached') are data in Style, never globals. Rounding is half-up on the decimal
value, as SPSS, SAS and Excel print it (Python's round() would give 0.1 for 0.15).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ..vocab import letters

DASH = "–"
SMALL_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine")


@dataclass(frozen=True)
class Style:
    pct_decimals: int = 1
    months_decimals: int = 1
    ci_separator: str = DASH
    not_reached: str = "not reached"
    not_reached_short: str = "NR"
    not_estimable: str = "NE"
    not_estimable_text: str = "not estimable"  # the same in running text (in_text())
    missing: str = DASH
    zero: str = "0"  # a count of none in a table cell: one style in every table

    def in_text(self) -> Style:
        """The style of running text: what a cell abbreviates ('NE') spelled out."""
        return replace(self, not_estimable=self.not_estimable_text)


DEFAULT = Style()


def percent_style(n_patients: int, decimals: int = 1, whole_below_n: int | None = None,
                  base: Style = DEFAULT) -> Style:
    """The study's style for percentages: `decimals`, none where the journal prints whole
    percentages for fewer than `whole_below_n` patients."""
    whole = whole_below_n is not None and n_patients < whole_below_n
    return replace(base, pct_decimals=0 if whole else decimals)


def fmt_num(value: float | None, decimals: int, style: Style = DEFAULT) -> str:
    """Half-up rounding to a fixed number of decimals; '-0.0' never appears."""
    if value is None or value != value:
        return style.missing
    q = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text.replace("-", "−")


def fmt_int(value: float | None, style: Style = DEFAULT) -> str:
    """Whole numbers; thousands separated from 10,000 up (journal style: 4000, 12,500)."""
    if value is not None and value == value and abs(value) >= 10_000:
        return f"{round(value):,}".replace("-", "−")
    return fmt_num(value, 0, style)


def fmt_pct(fraction: float | None, style: Style = DEFAULT) -> str:
    """A fraction as a percentage number without the sign: 0.1333 -> '13.3'."""
    return style.missing if fraction is None else fmt_num(fraction * 100, style.pct_decimals,
                                                          style)


_NUMERIC_RANGE = re.compile(r"(?<=\d)\s*-\s*(?=\d)")


def fmt_label(text: str) -> str:
    """A label as printed: a numeric range takes the en dash the numbers' ranges take
    ('ECOG 0-1' -> 'ECOG 0–1'), so a study.yaml label and a printed range look alike."""
    return _NUMERIC_RANGE.sub(DASH, text)


def fmt_range(low: float | None, high: float | None, decimals: int,
              style: Style = DEFAULT) -> str:
    return f"{fmt_num(low, decimals, style)}{style.ci_separator}{fmt_num(high, decimals, style)}"


def distribution_decimals(low: float | None, high: float | None) -> int:
    """Whole-number data (ages, cycles) print without decimals, others with one."""
    return 0 if all(v is None or float(v).is_integer() for v in (low, high)) else 1


def fmt_confidence(level: float) -> str:
    """A confidence level as text: 0.95 -> '95%'."""
    return f"{fmt_num(level * 100, 0 if (level * 100).is_integer() else 1)}%"


def fmt_months(value: float | None, style: Style = DEFAULT, short: bool = False) -> str:
    if value is None:
        return style.not_reached_short if short else style.not_reached
    return fmt_num(value, style.months_decimals, style)


def fmt_pct_range(low: float | None, high: float | None, style: Style = DEFAULT) -> str:
    """'26.1–62.4': two fractions as a range in percent (a rate's CI); '' if either is None."""
    if low is None or high is None:
        return ""
    return f"{fmt_pct(low, style)}{style.ci_separator}{fmt_pct(high, style)}"


def fmt_p(p: float | None, style: Style = DEFAULT) -> str:
    """A p-value as journals print it, in a table cell: '0.19' and '0.043' (two decimals
    from 0.1 up, three below), '<0.001', '>0.99'; style.missing when there is no test."""
    if p is None or p != p:
        return style.missing
    if p < 0.001:
        return "<0.001"
    if fmt_num(p, 2, style) == "1.00":
        return ">0.99"
    three = fmt_num(p, 3, style)
    return fmt_num(p, 2, style) if float(three) >= 0.1 else three


def fmt_ratio(value: float | None, style: Style = DEFAULT) -> str:
    """A hazard ratio or its limit: two decimals; three below 0.01, '<0.001' below that
    (an HR of 0.004 must not print as '0.00')."""
    if value is None or value != value:
        return style.not_estimable
    if value < 0.001:
        return "<0.001"
    return fmt_num(value, 2 if value >= 0.01 else 3, style)


def spell_number(n: int, capitalise: bool = False) -> str:
    """Numbers under ten in words (journal style); capitalised at a sentence start."""
    word = SMALL_NUMBERS[n] if 0 <= n < 10 else str(n)
    return word[0].upper() + word[1:] if capitalise and word[0].isalpha() else word


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return singular if n == 1 else (plural_form or singular + "s")


def fmt_landmark_label(months: float) -> str:
    return f"{fmt_num(months, 0 if float(months).is_integer() else 1)}-month"


# Words for running text (prose and legends)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")


def fmt_auto(value: float | None, decimals: int = 1, style: Style = DEFAULT) -> str:
    """Whole numbers without decimals ('9 cycles', '5%'), others at `decimals`."""
    if value is not None and float(value).is_integer():
        return fmt_num(value, 0, style)
    return fmt_num(value, decimals, style)


def fmt_date(iso: str | None, style: Style = DEFAULT) -> str:
    """'2024-12-31' -> '31 December 2024' (unambiguous in every locale)."""
    if not iso:
        return style.missing
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def fmt_month(iso: str | None, style: Style = DEFAULT) -> str:
    """'2019-04-18' -> 'April 2019': when patients were treated, as a Methods section says it."""
    if not iso:
        return style.missing
    year, month = (int(part) for part in iso[:7].split("-"))
    return f"{MONTHS[month - 1]} {year}"


def footnote_mark(index: int) -> str:
    """The letter of a table's footnote by its order: 0 -> 'a', 25 -> 'z', 26 -> 'aa'."""
    return letters(index).lower()


def number_words(n: int) -> str:
    """0-99 in words ('twenty-five'); larger numbers stay numerals."""
    if 0 <= n < 10:
        return SMALL_NUMBERS[n]
    if 10 <= n < 20:
        return TEENS[n - 10]
    if 20 <= n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens] + (f"-{SMALL_NUMBERS[unit]}" if unit else "")
    return str(n)


def capfirst(text: str) -> str:
    """Capitalise the first letter only ('hand-foot syndrome' -> 'Hand-foot syndrome')."""
    return text[:1].upper() + text[1:]


def lowerfirst(text: str) -> str:
    """Lower-case a leading capital unless it starts an acronym ('ALT increased' stays)."""
    if len(text) > 1 and text[0].isupper() and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def join_words(items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (no serial comma, as most medical journals print)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
