"""Numbers the author typed that are an earlier value of a reported quantity which has
since changed, in the phrasings authors use: '13.3%' and '13%', '4/30' and '4 of 30
patients', '5.7 months (95% CI 4.7–6.7)', '4.7 to 6.7', 'HR 3.36', 'n = 12', 'twelve
patients'; wherever the sentence has other numbers.

A number in the author's text is flagged only when that is its best explanation:

- it is a mention of a kind a reported value is printed in (mentions.py): a percentage,
  a ratio n/N or 'n of N', a count of patients or events, a decimal, an interval, a
  p-value; never a year, a grade, a dose, a reference, a version or a confidence level;
- it agrees, at the precision it is written with, with the value a quantity printed in an
  earlier build, at a place of its printed form where the value has since moved (so
  '13%' is stale when 13.3% became 20.0%, not when it became 13.4%); a ratio counts by
  the percentage it makes (4/30 = 13.3%) or by its count;
- the words of its clause name that quantity (its label, its key, their abbreviations:
  'ORR', 'responded', 'median PFS'), words before the number and in its own clause
  weighing most, words that name many quantities ('patients', 'rate') least;
- and they name it better than they name any quantity whose current value the number
  also is (so 'grade 3 hand-foot syndrome in 13.3%' is right when that is still 13.3%).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from ..vocab import ABBREVIATIONS
from .mentions import COUNT, P_VALUE, PCT, RANGE, RATIO, UNITS, VALUE, Mention, mentions
from .record import NUMBER, TABLE, Part, Record
from .tables import row_paths

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
SHORT = {"os", "hr", "cr", "pr", "sd", "pd", "ae", "ci"}  # two-letter words that name things
STOP = {"the", "and", "with", "was", "were", "had", "has", "have", "for", "from", "that",
        "this", "than", "our", "its", "their", "which", "who", "all", "any", "per", "not",
        "are", "been", "being", "into", "onto", "over", "under", "value", "values", "auto",
        "count", "start", "spell", "level", "label", "pct", "n_pct", "months", "month",
        "efficacy", "safety", "survival_", "results", "reported", "number", "of"}
OWN_BEFORE, OWN_AFTER, ELSEWHERE = 1.0, 0.7, 0.25  # how much a word's place says
CLEAR = 0.6  # the least a naming must weigh, in distinctive words near the number


def stem(word: str) -> str:
    word = word.lower().strip("'-")
    if len(word) >= 6:
        return word[:6]
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


# how authors and labels say a severity: one word each, so 'grade 3-5' names 'grade ≥3'
SEVERE = re.compile(r"\bgrades?\s*(?:≥\s*|>=\s*|[3III]+\s*(?:or|and)\s*(?:higher|above|more|"
                    r"greater|worse)|3\s*[–-]\s*[45]|III\s*[–-]\s*IV|3\s*\+)\s*3?|grade3plus|"
                    r"\bsevere\b", re.I)
ANY_GRADE = re.compile(r"\b(?:any|all)[\s-]grades?\b", re.I)


PHRASE = re.compile(rf"{SEVERE.pattern}|{ANY_GRADE.pattern}|{WORD.pattern}", re.I)


def words(text: str) -> list[str]:
    text = ANY_GRADE.sub(" anygrade ", SEVERE.sub(" severegrade ", text))
    out = []
    for w in re.findall(r"[A-Za-z]+", text):
        low = w.lower()
        if (len(low) >= 3 or low in SHORT) and low not in STOP:
            out.append(stem(low))
    return out


_EXPANSIONS = {abbr.lower(): frozenset(words(text)) for abbr, text in ABBREVIATIONS.items()}


def naming(*texts: str) -> frozenset[str]:
    """The stems that name a quantity: its words, and abbreviations both ways ('pfs' for
    progression-free survival, and the words of 'ORR')."""
    found = set()
    for text in texts:
        found.update(words(text.replace("_", " ").replace(".", " ")))
    for abbr, spelled in _EXPANSIONS.items():
        if stem(abbr) in found:
            found |= spelled
        elif spelled and spelled <= found:
            found.add(stem(abbr))
    return frozenset(found)


# -- the values a printed text holds -------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """One value of a printed form: its role and value as printed."""

    role: str  # PCT, COUNT, VALUE, RANGE, P_VALUE
    text: str  # as printed ('13.3', '4', '0.4–26.2')
    values: tuple[Decimal, ...]


def facets(printed: str) -> list[Facet]:
    """The values of a printed form, in order, by what they are."""
    out = []
    for m in mentions(printed, printed=True):
        if m.role == RATIO:
            continue
        out.append(Facet(m.role, m.text, m.values))
    return out


def same_value(a: Decimal, b: Decimal) -> bool:
    """Equal at the precision of the less precise of the two ('13' and '13.3', '13.33' and
    '13.3' are; '13' and '13.6' are not)."""
    places = min(_places(a), _places(b))
    q = Decimal(1).scaleb(-places)
    return a.quantize(q, ROUND_HALF_UP) == b.quantize(q, ROUND_HALF_UP)


def _places(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def agrees(mention: Mention, facet: Facet, population: set[int]) -> bool:
    """Does the author's number say the same as this printed value?"""
    if mention.role == RATIO:
        n, total = mention.values
        if facet.role == PCT and total:
            pct = Decimal(100) * n / total
            q = Decimal(1).scaleb(-_places(facet.values[0]))
            return pct.quantize(q, ROUND_HALF_UP) == facet.values[0]
        return facet.role == COUNT and n == facet.values[0] and int(total) in population
    if mention.role != facet.role or len(mention.values) != len(facet.values):
        return False
    if mention.role == COUNT:
        return mention.values == facet.values
    if mention.role == PCT or mention.role == P_VALUE:
        return same_value(mention.values[0], facet.values[0])
    if any(_places(v) == 0 for v in mention.values) and not any(
            _places(v) == 0 for v in facet.values):
        return False  # a whole number is not a rounded median or interval
    return all(same_value(a, b) for a, b in zip(mention.values, facet.values, strict=True))


# -- reported quantities --------------------------------------------------------------------


@dataclass
class Quantity:
    label: str
    names: frozenset[str]
    old: list[str]  # every printed form it had in an earlier build
    new: str | None  # its printed form now (None: no longer reported)
    phrase: str = ""  # a table column header ('grade 3'), which names only beside its row
    group: str = ""  # the value it prints a form of: its count and its % are one finding

    @cached_property
    def old_facets(self) -> list[list[Facet]]:
        return [facets(text) for text in self.old]

    @cached_property
    def new_facets(self) -> list[Facet]:
        return facets(self.new) if self.new is not None else []


@dataclass
class Stale:
    quantity: Quantity
    printed: str  # the earlier form it matched
    was: Facet
    now: Facet | None  # the same value in the new form


def _moved(old: list[Facet], new: list[Facet]) -> list[tuple[Facet, Facet | None]]:
    """Each value of an old form with its counterpart in the new form (same role, same
    place among that role's values), for those whose value moved."""
    out = []
    seen: Counter[str] = Counter()
    by_role: dict[str, list[Facet]] = {}
    for f in new:
        by_role.setdefault(f.role, []).append(f)
    for f in old:
        k = seen[f.role]
        seen[f.role] += 1
        twins = by_role.get(f.role, [])
        twin = twins[k] if k < len(twins) else None
        if twin is None or twin.values != f.values:
            out.append((f, twin))
    return out


@dataclass
class Index:
    quantities: list[Quantity] = field(default_factory=list)
    population: set[int] = field(default_factory=set)  # denominators the study has

    @classmethod
    def of(cls, old: Record, new: Record) -> Index:
        index = cls()
        index.quantities = _number_quantities(old, new) + _cell_quantities(old, new)
        for part in (*old.parts, *new.parts):
            if part.kind == NUMBER and part.key.startswith("study.n_patients"):
                index.population.update(int(v) for v in re.findall(r"\d+", part.text))
            if part.kind == NUMBER:
                index.population.update(_denominators(part.text))
        return index

    @cached_property
    def weight(self) -> dict[str, float]:
        """How much a word says: rare across quantities, much; in most of them, nothing."""
        df = Counter(w for q in self.quantities for w in q.names)
        total = max(len(self.quantities), 1)
        return {w: max(math.log(total / k), 0.0) for w, k in df.items()}

    def stale(self, mention: Mention) -> list[Stale]:
        out = []
        for q in self.quantities:
            new = q.new_facets
            if any(agrees(mention, f, self.population) for f in new):
                continue  # still right
            for printed, old in zip(q.old, q.old_facets, strict=True):
                for was, now in _moved(old, new):
                    if agrees(mention, was, self.population):
                        out.append(Stale(q, printed, was, now))
                        break
                else:
                    continue
                break
        return out

    def current(self, mention: Mention) -> list[Quantity]:
        return [q for q in self.quantities
                if any(agrees(mention, f, self.population) for f in q.new_facets)]


def _denominators(printed: str) -> set[int]:
    """N of every 'n (p%)' in a printed form: n / p, when it is a whole number."""
    out = set()
    for m in re.finditer(r"(\d+)\D{0,12}?\((\d+(?:\.\d+)?)%?\)", printed):
        n, pct = int(m.group(1)), float(m.group(2))
        if pct > 0:
            total = round(n * 100 / pct)
            if abs(n * 100 / total - pct) < 0.051 * 2:
                out.add(total)
    return out


def _number_quantities(old: Record, new: Record) -> list[Quantity]:
    olds: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for part in old.parts:
        if part.kind == NUMBER:
            olds.setdefault(part.key, []).append(part.text)
            labels[part.key] = part.label
    for (kind, key, _, _), texts in old.earlier_texts().items():
        if kind == NUMBER:
            olds.setdefault(key, []).extend(sorted(texts))
    news: dict[str, list[Part]] = {}
    for part in new.parts:
        if part.kind == NUMBER:
            news.setdefault(part.key, []).append(part)
    out = []
    for key in {**olds, **{k: [] for k in news}}:
        fresh = news.get(key, [])
        label = (fresh[0].label if fresh else "") or labels.get(key, "") or key
        if key.startswith(("cite:", "methods.software", "study.title", "study.short_title")):
            continue
        names = naming(label, key)
        printed = list(dict.fromkeys(olds.get(key, [])))
        out.append(Quantity(label, names, printed, fresh[0].text if fresh else None,
                            group=key.partition(":")[0]))
    return out


def _cells(part: Part) -> list[tuple[str, str, str]]:
    if not part.rows:
        return []
    headers = part.rows[0].cells
    out = []
    for path, row in list(zip(row_paths(part.rows), part.rows, strict=True))[1:]:
        for c, text in enumerate(row.cells[1:], start=1):
            if text.strip():
                out.append((path, headers[c] if c < len(headers) else str(c + 1), text))
    return out


def _cell_quantities(old: Record, new: Record) -> list[Quantity]:
    now: dict[tuple[str, str, str], str] = {}
    tables: dict[str, Part] = {}
    for part in new.parts:
        if part.kind == TABLE:
            tables[part.key] = part
            for path, column, text in _cells(part):
                now[(part.key, path, column)] = text
    before: dict[tuple[str, str, str], list[str]] = {}
    for part in old.parts:
        if part.kind == TABLE:
            tables.setdefault(part.key, part)
            for path, column, text in _cells(part):
                before.setdefault((part.key, path, column), []).append(text)
    for (kind, key, row, column), texts in old.earlier_texts().items():
        if kind == TABLE:
            before.setdefault((key, row, column), []).extend(sorted(texts))
    out = []
    for cell in {**before, **dict.fromkeys(now)}:
        key, path, column = cell
        table = tables[key]
        label = f"{table.label or 'Table'}, {path}, {column}"
        names = naming(path)  # the row names the quantity; the column only beside it
        out.append(Quantity(label, names, list(dict.fromkeys(before.get(cell, []))),
                            now.get(cell), column.lower(), group="\x1f".join(cell)))
    return out


# -- the author's text ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    label: str
    start: int
    end: int
    now: str  # the new value, as the author would write it there
    printed: str  # what nps-report had printed
    group: str = ""  # the value it is a form of (see Quantity.group)
    role: str = ""  # what the mention is (mentions.py)


@dataclass
class Context:
    """The words around a mention, by how much their place says they belong to it."""

    weights: dict[str, float]
    text: str  # the sentence, lower-cased


def _context(sentence: str, offset: int, mention: Mention, others: list[Mention]) -> Context:
    lo, hi = mention.start - offset, mention.end - offset
    before_limit = max([m.end - offset for m in others if m.end - offset <= lo], default=0)
    after_limit = min([m.start - offset for m in others if m.start - offset >= hi],
                      default=len(sentence))
    weights: dict[str, float] = {}
    for match in PHRASE.finditer(sentence):
        for w in words(match.group()):
            at = match.start()
            if before_limit <= at < lo:
                weight = OWN_BEFORE
            elif hi <= at < after_limit:
                weight = OWN_AFTER
            else:
                weight = ELSEWHERE
            weights[w] = max(weights.get(w, 0.0), weight)
    return Context(weights, sentence.lower())


def _score(index: Index, q: Quantity, context: Context) -> tuple[float, float]:
    """(how well the words name q, the share of q's words present): 0 if they do not."""
    named = [(w, context.weights[w]) for w in q.names if w in context.weights]
    score = sum(index.weight.get(w, 0.0) * place for w, place in named)
    if q.phrase:
        if not named:
            return 0.0, 0.0  # a column header names nothing on its own ('any grade')
        if re.search(rf"\b{re.escape(q.phrase)}\b", context.text):
            score += 1.0
    strongest = max((index.weight.get(w, 0.0) * place for w, place in named), default=0.0)
    if strongest < CLEAR:
        return 0.0, 0.0
    return score, len(named) / max(len(q.names), 1)


def find_stale(text: str, index: Index) -> list[Hit]:
    """The author's numbers in text that are stale (see the module docstring)."""
    found = mentions(text)
    hits: list[Hit] = []
    for lo, hi in _sentences(text):
        inside = [m for m in found if lo <= m.start and m.end <= hi]
        sentence = text[lo:hi]
        group = _groups(inside, text)
        for mention in inside:
            stale = index.stale(mention)
            if not stale:
                continue
            context = _context(sentence, lo, mention,
                               [m for m in inside if group[id(m)] != group[id(mention)]])
            scored = [(_score(index, s.quantity, context), s) for s in stale]
            scored = [(sc, s) for sc, s in scored if sc[0] > 0]
            if not scored:
                continue
            best, chosen = max(scored, key=lambda t: t[0])
            rival = max((_score(index, q, context) for q in index.current(mention)),
                        default=(0.0, 0.0))
            if best <= rival:  # as well named by a value that is still right: not stale
                continue
            hits.append(Hit(chosen.quantity.label, mention.start, mention.end,
                            _now(mention, chosen), chosen.printed, chosen.quantity.group,
                            mention.role))
    return _joined(hits, text)


def _groups(inside: list[Mention], text: str) -> dict[int, int]:
    """Mentions written as one ('12 (40.0%)', 'n = 12, 40.0%', '4/30 (13.3%)') share a
    group: their clause is the group's."""
    out: dict[int, int] = {}
    g = 0
    for k, m in enumerate(inside):
        if k and not re.fullmatch(r"\s*[(,;]?\s*(?:n\s*=\s*)?", text[inside[k - 1].end:m.start],
                                  re.I):
            g += 1
        out[id(m)] = g
    return out


def _now(mention: Mention, stale: Stale) -> str:
    """The new value written as the author wrote the old one ('20%', '6/30', '6 of 30')."""
    now = stale.now
    if stale.quantity.new is None:
        return "(no longer reported)"
    if now is None:
        return stale.quantity.new
    if mention.role == RATIO:
        total = mention.values[1]
        n = (now.values[0] if now.role == COUNT else
             (now.values[0] * total / 100).quantize(Decimal(1), ROUND_HALF_UP))
        return mention.text.replace(mention.parts[0], str(n), 1)
    if mention.role in (PCT, VALUE, P_VALUE):
        places = _places(mention.values[0])
        value = now.values[0].quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) \
            if places < _places(now.values[0]) else now.values[0]
        return mention.text.replace(mention.parts[0], str(value), 1)
    if mention.role == RANGE and now.role == RANGE:  # the author's separator and signs
        lo, hi = mention.parts
        text = mention.text
        cut = text.rfind(hi)
        return (str(now.values[0]) + text[len(lo):cut] + str(now.values[1]) +
                text[cut + len(hi):])
    return _agree(mention.text.replace(mention.parts[0], str(now.values[0]), 1),
                  now.values[0])


def _agree(count: str, n: Decimal) -> str:
    """'2 patient' -> '2 patients', '1 responses' -> '1 response'."""
    number, _, noun = count.partition(" ")
    if not noun:
        return count
    if n != 1 and not noun.endswith("s"):
        noun += "s"
    elif n == 1 and noun.endswith("s") and noun[:-1] in UNITS:
        noun = noun[:-1]
    return f"{number} {noun}"


JOINABLE = re.compile(r"[\s(\[,;:]*(?:(?:months?|years?|weeks?|days?|patients?)\b)?"
                      r"[\s(\[,;:]*(?:(?:95\s*%\s*)?(?:CI|confidence interval)\b[\s,:]*|"
                      r"range\s+|n\s*=\s*)?", re.I)


def _joined(hits: list[Hit], text: str) -> list[Hit]:
    """Forms of one value written together are one finding: '12 (40.0%)', '9.5 months (95%
    CI 0.7–18.2)', 'n = 5, 16.7%'."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: h.start):
        prev = out[-1] if out else None
        gap = text[prev.end:hit.start] if prev is not None else ""
        if prev is not None and len(gap) <= 24 and JOINABLE.fullmatch(gap) and (
                prev.group == hit.group or prev.role != hit.role):
            after = text[hit.end:hit.end + 1]
            close = after if (after, _opener(after)) in ((")", "("), ("]", "[")) and \
                _opener(after) in gap else ""
            out[-1] = Hit(prev.label, prev.start, hit.end + len(close),
                          f"{prev.now}{gap}{hit.now}{close}", prev.printed, prev.group,
                          hit.role)
        else:
            out.append(hit)
    return out


def _opener(closing: str) -> str:
    return {")": "(", "]": "["}.get(closing, "")


def _sentences(text: str) -> list[tuple[int, int]]:
    out, lo = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((lo, m.start()))
        lo = m.end()
    out.append((lo, len(text)))
    return out
