"""The numbers a text mentions, each read as what it is: a percentage ('13.3%', '13 %',
'(50.0)' after a count), a ratio ('4/30', '4 of 30', 'four of the 30'), a count of
patients or events ('4 patients', 'Twenty-six patients', 'n = 12', '12 (40.0%)'), an
interval ('4.7–6.7', '4.7 to 6.7'), a p-value ('p = 0.015') or another decimal ('5.7
months', 'HR 3.36').

What is none of these is not a mention: a whole number alone ('grade 3', '2019', '[12]',
'12 mg', '6-month'), a confidence level ('95% CI'), a dose, a version ('5.7.1').
Printed forms (printed=True: a text nps-report printed) are read the same way, except
that a leading whole number is their count ('18', '12 (40.0%)').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

PCT, COUNT, VALUE, RANGE, P_VALUE, RATIO = "pct", "count", "value", "range", "p", "ratio"

UNITS = ("patients", "patient", "responders", "responder", "responses", "response",
         "events", "event", "deaths", "death", "subjects", "participants", "cases", "men",
         "women", "persons", "people", "individuals", "progressions", "cycles", "lesions")
SPELLED = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"))}
TENS = {w: 10 * i for i, w in enumerate(
    ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
    if w}
SPELLED_NUMBER = (r"(?:(?:" + "|".join(TENS) + r")(?:[-\s](?:" + "|".join(
    w for w in SPELLED if SPELLED[w] < 10 and w != "zero") + r"))?|" + "|".join(SPELLED) + r")")
NUMBER = r"\d+(?:[.·]\d+)?"
DOSE_UNITS = r"(?:mg|g|kg|µg|mcg|ml|mL|l|Gy|cGy|mmHg|mm|cm|IU|U)\b"
DASH = r"\s*[–—‒-]\s*|\s+to\s+"
WJ = "\u2060"


@dataclass(frozen=True)
class Mention:
    role: str
    text: str  # as written (the number and its sign or noun)
    start: int
    end: int
    values: tuple[Decimal, ...]
    parts: tuple[str, ...]  # the numbers as written, in order


def _dec(text: str) -> Decimal:
    return Decimal(text.replace("·", "."))


def spelled(word: str) -> int | None:
    w = word.lower().replace(" ", "-")
    if w in SPELLED:
        return SPELLED[w]
    tens, _, unit = w.partition("-")
    if tens in TENS and (not unit or unit in SPELLED):
        return TENS[tens] + (SPELLED[unit] if unit else 0)
    return None


def in_words(n: int, like: str) -> str:
    """n written in words as `like` is ('Four' -> 'Six', 'twenty-one'); digits past 99."""
    if not 0 <= n < 100:
        return str(n)
    by_value = {v: w for w, v in SPELLED.items()}
    tens = {v: w for w, v in TENS.items()}
    word = by_value.get(n) or (tens[n - n % 10] + ("-" + by_value[n % 10] if n % 10 else ""))
    return word.capitalize() if like[:1].isupper() else word


TOKEN = re.compile(rf"(?<![\w.·])(?:(?P<num>{NUMBER})|(?P<word>{SPELLED_NUMBER}))"
                   rf"(?![\w]|[.·]\d)", re.IGNORECASE)


def _tokens(text: str) -> list[tuple[int, int, str, Decimal]]:
    out = []
    for m in TOKEN.finditer(text):
        if m.group("num"):
            out.append((m.start(), m.end(), m.group(), _dec(m.group())))
        else:
            value = spelled(m.group())
            if value is not None:
                out.append((m.start(), m.end(), m.group(), Decimal(value)))
    return out


def _whole(d: Decimal) -> bool:
    return d == d.to_integral_value() and "." not in str(d)


def mentions(text: str, printed: bool = False) -> list[Mention]:
    plain = text.replace(WJ, "")
    if plain != text:  # read without the word joiners, report offsets in the text as given
        back = [i for i, ch in enumerate(text) if ch != WJ] + [len(text)]
        return [Mention(m.role, text[back[m.start]:back[m.end - 1] + 1] if m.end > m.start
                        else "", back[m.start], back[m.end - 1] + 1, m.values, m.parts)
                for m in mentions(plain, printed)]
    toks = _tokens(text)
    used: set[int] = set()
    out: list[Mention] = []

    def add(role: str, lo: int, hi: int, ks: list[int]) -> None:
        out.append(Mention(role, text[lo:hi], lo, hi, tuple(toks[k][3] for k in ks),
                           tuple(toks[k][2] for k in ks)))
        used.update(ks)

    for k, (lo, hi, raw, value) in enumerate(toks):
        if k in used:
            continue
        is_word = not raw[0].isdigit()
        before, after = text[max(0, lo - 24):lo], text[hi:hi + 40]
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        # a ratio: n/N, n of N, n of the N, n out of N
        if nxt is not None and not is_word:
            gap = text[hi:nxt[0]]
            if re.fullmatch(r"\s*/\s*", gap) and _whole(value) and _whole(nxt[3]) \
                    and nxt[3] < 1900 and value <= nxt[3] and not _grade(before):
                add(RATIO, lo, nxt[1], [k, k + 1])
                continue
        if nxt is not None:
            gap = text[hi:nxt[0]]
            if re.fullmatch(r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?", gap, re.I) and \
                    _whole(value) and _whole(nxt[3]) and value <= nxt[3] and nxt[3] < 1900:
                add(RATIO, lo, nxt[1], [k, k + 1])
                continue
        if is_word:  # a spelled number counts only as a count of something
            if re.match(rf"\s+(?:{'|'.join(UNITS)})\b", after, re.I):
                noun = re.match(r"\s+\w+", after)
                assert noun is not None
                add(COUNT, lo, hi + noun.end(), [k])
            continue
        # an interval ('4.7–6.7', '4.7 to 6.7', '0.4%–26.2%')
        if nxt is not None and re.fullmatch(rf"(?:\s?%)?(?:{DASH})", text[hi:nxt[0]]) and not (
                _whole(value) and _whole(nxt[3])) and not _grade(before):
            end = nxt[1] + (1 if text[nxt[1]:nxt[1] + 1] == "%" else 0)
            add(RANGE, lo, end, [k, k + 1])
            continue
        # a percentage (not a confidence level)
        pct = re.match(r"\s?%", after)
        if pct is not None:
            if re.match(r"\s?%\s*(?:CI|C\.I\.|confidence|credible|level)", after, re.I):
                used.add(k)
                continue
            add(PCT, lo, hi + pct.end(), [k])
            continue
        # a p-value
        if re.search(r"\bp\s*[=<>≤≥]\s*$", before, re.I):
            add(P_VALUE, lo, hi, [k])
            continue
        if re.match(rf"\s*{DOSE_UNITS}", after) or re.match(r"[-‐]\s*(?:month|year|week|day)",
                                                              after):
            used.add(k)
            continue
        if _whole(value):
            paren = re.match(rf"\s*\((?P<p>{NUMBER})%?\)", after)
            unit = re.match(rf"\s+(?:of\s+the\s+)?(?:{'|'.join(UNITS)})\b", after, re.I)
            if _grade(before) or (1900 <= value <= 2100) or (re.search(r"[\[(]\s*$", before) \
                    and re.match(r"\s*[\]),]", after)):
                used.add(k)
                continue
            if unit is not None:
                add(COUNT, lo, hi + unit.end(), [k])
            elif re.search(r"\bn\s*=\s*$", before, re.I):
                add(COUNT, lo, hi, [k])
            elif paren is not None:  # n (p%): the count, then its percentage
                add(COUNT, lo, hi, [k])
                p_lo = hi + paren.start("p")
                kp = next((j for j, t in enumerate(toks) if t[0] == p_lo), None)
                if kp is not None:
                    add(PCT, p_lo, hi + paren.end("p") + (1 if "%" in paren.group() else 0),
                        [kp])
            elif printed and k == 0:
                add(COUNT, lo, hi, [k])
            continue
        add(VALUE, lo, hi, [k])
    return sorted(out, key=lambda m: m.start)


def _grade(before: str) -> bool:
    """A number that is a grade, stage, level or line ('grade 3', 'grades 3–4', 'stage IV',
    'ECOG 0–1', '≥3')."""
    return bool(re.search(r"(?:\bgrades?|\bstages?|\bECOG|\bPS|\blines?|≥|≤|>|<|\bversion|"
                          r"\bv|\bphase|\bcycles?\s+of|\bday)\s*$", before, re.I))
