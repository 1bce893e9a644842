"""study.yaml resolved once into a frozen config; unknown keys are reported with a did-you-mean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, StudyError, did_you_mean

PROPORTION_METHODS = ("clopper-pearson", "wilson", "wald", "t")
KM_METHODS = ("log-log", "log", "plain", "symmetric")
BASELINE_TYPES = ("continuous", "categorical", "multi")
FILE = "study.yaml"


@dataclass(frozen=True)
class BaselineItem:
    """One row group of Table 1."""

    label: str
    type: str
    column: str | None = None
    # categorical: (printed label, raw values that fall in it); multi: (column, printed label)
    levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CIConfig:
    level: float = 0.95
    proportion: str = "clopper-pearson"
    km: str = "log-log"


@dataclass(frozen=True)
class RecistConfig:
    confirm_response: bool = False
    sd_min_days: int = 42
    confirm_min_days: int = 28


@dataclass(frozen=True)
class ExposureConfig:
    cycles_threshold: int = 3
    dose_column: str | None = None
    dose_unit: str = "mg"


@dataclass(frozen=True)
class FigureConfig:
    swimmer_max_patients: int = 60
    swimmer_show_ids: bool = False
    km_ci_band: bool = True


@dataclass(frozen=True)
class ManuscriptConfig:
    authors: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    line_numbers: bool = False


@dataclass(frozen=True)
class StudyConfig:
    """Everything study.yaml says, validated and frozen; passed down explicitly."""

    title: str
    drug: str
    population: str
    data_cutoff: dt.date | None = None
    short_title: str | None = None
    ci: CIConfig = field(default_factory=CIConfig)
    recist: RecistConfig = field(default_factory=RecistConfig)
    landmarks_months: tuple[float, ...] = (6.0, 12.0)
    min_incidence_pct: float = 5.0
    baseline: tuple[BaselineItem, ...] = ()
    exposure: ExposureConfig = field(default_factory=ExposureConfig)
    figures: FigureConfig = field(default_factory=FigureConfig)
    manuscript: ManuscriptConfig = field(default_factory=ManuscriptConfig)
    progression_must_match_assessments: bool = True

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


SCHEMA: dict[str, Any] = {
    "title": str,
    "short_title": str,
    "drug": str,
    "population": str,
    "data_cutoff": "date",
    "ci": {"level": "fraction", "proportion": PROPORTION_METHODS, "km": KM_METHODS},
    "recist": {"confirm_response": bool, "sd_min_days": "count", "confirm_min_days": "count"},
    "landmarks_months": "positive-list",
    "safety": {"min_incidence_pct": "number"},
    "baseline": "baseline",
    "exposure": {"cycles_threshold": "count", "dose_column": str, "dose_unit": str},
    "figures": {"swimmer_max_patients": "positive-count", "swimmer_show_ids": bool,
                "km_ci_band": bool},
    "manuscript": {"authors": "str-list", "affiliations": "str-list", "keywords": "str-list",
                   "line_numbers": bool},
    "validation": {"progression_must_match_assessments": bool},
}
REQUIRED = ("title", "drug", "population")


def raw_value(value: object) -> str:
    """Normalise a cell or a YAML value so that 12, 12.0 and '12' compare equal."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Reader:
    """Walks the YAML against SCHEMA, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, key: str, value: object, expected: str, message: str = "invalid value") -> None:
        self.problems.append(Problem(FILE, message, column=key, value=value, expected=expected))

    def check_keys(self, mapping: dict, schema: dict, prefix: str = "") -> None:
        for key in mapping:
            if key not in schema:
                self.bad(prefix + str(key), None, did_you_mean(str(key), schema), "unknown key")
            elif isinstance(schema[key], dict):
                sub = mapping[key]
                if sub is None:
                    continue
                if not isinstance(sub, dict):
                    self.bad(prefix + key, sub, "a mapping with keys " + ", ".join(schema[key]))
                else:
                    self.check_keys(sub, schema[key], prefix + key + ".")

    def get(self, mapping: dict, dotted: str, kind: Any, default: Any) -> Any:
        node: Any = mapping
        for part in dotted.split("."):
            if not isinstance(node, dict) or node.get(part) is None:
                return default
            node = node[part]
        return self.coerce(dotted, node, kind, default)

    def coerce(self, key: str, value: Any, kind: Any, default: Any) -> Any:
        if kind is str:
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return str(value)
            self.bad(key, value, "text")
        elif kind is bool:
            if isinstance(value, bool):
                return value
            self.bad(key, value, "true or false")
        elif isinstance(kind, tuple):
            if value in kind:
                return value
            self.bad(key, value, did_you_mean(str(value), kind))
        elif kind == "date":
            if isinstance(value, dt.date):
                return value
            try:
                return dt.date.fromisoformat(str(value))
            except ValueError:
                self.bad(key, value, "a date as YYYY-MM-DD")
        elif kind == "fraction":
            if isinstance(value, int | float) and 0 < value < 1 and not isinstance(value, bool):
                return float(value)
            self.bad(key, value, "a number between 0 and 1, e.g. 0.95")
        elif kind == "count":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return value
            self.bad(key, value, "a whole number >= 0")
        elif kind == "positive-count":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                return value
            self.bad(key, value, "a whole number >= 1")
        elif kind == "number":
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                return float(value)
            self.bad(key, value, "a number >= 0")
        elif kind == "positive-list":
            ok = isinstance(value, list) and all(
                isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in value
            )
            if ok:
                return tuple(float(v) for v in value)
            self.bad(key, value, "a list of positive numbers, e.g. [6, 12]")
        elif kind == "str-list":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return tuple(value)
            self.bad(key, value, "a list of text entries")
        return default

    def baseline(self, items: Any) -> tuple[BaselineItem, ...]:
        if items is None:
            return ()
        if not isinstance(items, list):
            self.bad("baseline", items, "a list of rows, e.g. - {column: age, label: Age, "
                     "type: continuous}")
            return ()
        out = []
        allowed = ("column", "label", "type", "levels", "columns")
        for i, item in enumerate(items, start=1):
            key = f"baseline[{i}]"
            if not isinstance(item, dict):
                self.bad(key, item, "a mapping with column, label and type")
                continue
            for k in item:
                if k not in allowed:
                    self.bad(f"{key}.{k}", None, did_you_mean(str(k), allowed), "unknown key")
            kind = item.get("type")
            if kind not in BASELINE_TYPES:
                self.bad(f"{key}.type", kind, did_you_mean(str(kind), BASELINE_TYPES))
                continue
            label = str(item.get("label") or item.get("column") or "")
            if kind == "multi":
                cols = item.get("columns")
                if not isinstance(cols, dict) or not cols:
                    self.bad(f"{key}.columns", cols, "a mapping of column: label")
                    continue
                out.append(BaselineItem(label, kind, columns=tuple(
                    (str(c), str(lab)) for c, lab in cols.items())))
                continue
            column = item.get("column")
            if not isinstance(column, str) or not column:
                self.bad(f"{key}.column", column, "the name of a column of patients.csv")
                continue
            levels: tuple[tuple[str, tuple[str, ...]], ...] = ()
            raw_levels = item.get("levels")
            if kind == "categorical":
                if isinstance(raw_levels, list) and raw_levels:
                    levels = tuple((raw_value(v), (raw_value(v),)) for v in raw_levels)
                elif isinstance(raw_levels, dict) and raw_levels:
                    levels = tuple(
                        (raw_value(lab), tuple(raw_value(v) for v in (
                            vals if isinstance(vals, list) else [vals])))
                        for lab, vals in raw_levels.items()
                    )
                elif raw_levels is not None:
                    self.bad(f"{key}.levels", raw_levels,
                             "a list of values, or a mapping of label: [values]")
            out.append(BaselineItem(label or column, kind, column=column, levels=levels))
        return tuple(out)


def parse_config(data: Any) -> StudyConfig:
    """Turn parsed YAML into a StudyConfig, or raise StudyError listing every problem."""
    r = _Reader()
    if not isinstance(data, dict):
        raise StudyError([Problem(FILE, "must be a mapping of keys to values", value=data)])
    r.check_keys(data, SCHEMA)
    for key in REQUIRED:
        if not data.get(key):
            r.bad(key, None, "text, e.g. " + {"title": "the manuscript title",
                                              "drug": "anlotinib",
                                              "population": "patients with ..."}[key],
                  "missing required key")
    d = CIConfig()
    rc = RecistConfig()
    ex = ExposureConfig()
    fg = FigureConfig()
    config = StudyConfig(
        title=r.get(data, "title", str, ""),
        short_title=r.get(data, "short_title", str, None),
        drug=r.get(data, "drug", str, ""),
        population=r.get(data, "population", str, ""),
        data_cutoff=r.get(data, "data_cutoff", "date", None),
        ci=CIConfig(
            level=r.get(data, "ci.level", "fraction", d.level),
            proportion=r.get(data, "ci.proportion", PROPORTION_METHODS, d.proportion),
            km=r.get(data, "ci.km", KM_METHODS, d.km),
        ),
        recist=RecistConfig(
            confirm_response=r.get(data, "recist.confirm_response", bool, rc.confirm_response),
            sd_min_days=r.get(data, "recist.sd_min_days", "count", rc.sd_min_days),
            confirm_min_days=r.get(data, "recist.confirm_min_days", "count",
                                   rc.confirm_min_days),
        ),
        landmarks_months=r.get(data, "landmarks_months", "positive-list", (6.0, 12.0)),
        min_incidence_pct=r.get(data, "safety.min_incidence_pct", "number", 5.0),
        baseline=r.baseline(data.get("baseline")),
        exposure=ExposureConfig(
            cycles_threshold=r.get(data, "exposure.cycles_threshold", "count",
                                   ex.cycles_threshold),
            dose_column=r.get(data, "exposure.dose_column", str, None),
            dose_unit=r.get(data, "exposure.dose_unit", str, ex.dose_unit),
        ),
        figures=FigureConfig(
            swimmer_max_patients=r.get(data, "figures.swimmer_max_patients", "positive-count",
                                       fg.swimmer_max_patients),
            swimmer_show_ids=r.get(data, "figures.swimmer_show_ids", bool, fg.swimmer_show_ids),
            km_ci_band=r.get(data, "figures.km_ci_band", bool, fg.km_ci_band),
        ),
        manuscript=ManuscriptConfig(
            authors=r.get(data, "manuscript.authors", "str-list", ()),
            affiliations=r.get(data, "manuscript.affiliations", "str-list", ()),
            keywords=r.get(data, "manuscript.keywords", "str-list", ()),
            line_numbers=r.get(data, "manuscript.line_numbers", bool, False),
        ),
        progression_must_match_assessments=r.get(
            data, "validation.progression_must_match_assessments", bool, True),
    )
    if r.problems:
        raise StudyError(r.problems)
    return config


def load_config(study_dir: Path) -> StudyConfig:
    path = study_dir / FILE
    if not path.is_file():
        raise StudyError([Problem(FILE, "file not found", value=str(path),
                                  expected="a study.yaml with title, drug and population")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise StudyError([Problem(FILE, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                  row=row)]) from None
    return parse_config(data)
