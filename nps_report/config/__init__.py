"""study.yaml resolved once into a frozen config; every problem named with its line.

Keys are declared once, in model.py; see reader.py for how a declaration is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Problem, StudyError
from .at import At, Context, raw_value
from .baseline import BASELINE_TYPES, BaselineItem
from .cohorts import by_row, check_by
from .model import (
    KM_METHODS,
    PROPORTION_METHODS,
    CIConfig,
    ExposureConfig,
    FigureConfig,
    ManuscriptConfig,
    PrognosticConfig,
    RecistConfig,
    SafetyConfig,
    StudyConfig,
    ValidationConfig,
)
from .prognostic import check_prognostic
from .reader import read_section
from .source import SourceConfig, check_source
from .tables import OPTIONAL_TABLES, TABLES, ColumnMap, Rename
from .yamlfile import FILE, Document, read_study_yaml

__all__ = ["BASELINE_TYPES", "FILE", "KM_METHODS", "OPTIONAL_TABLES", "PROPORTION_METHODS",
           "TABLES", "BaselineItem", "CIConfig", "ColumnMap", "ExposureConfig", "FigureConfig",
           "ManuscriptConfig", "PrognosticConfig", "RecistConfig", "Rename", "SafetyConfig",
           "SourceConfig", "StudyConfig", "ValidationConfig", "by_row", "load_config",
           "parse_config", "raw_value", "read_config"]


def read_config(study_dir: Path) -> tuple[StudyConfig | None, list[Problem]]:
    """The config and every problem in study.yaml. With problems, the config still holds
    what could be read (defaults elsewhere), so that the tables can be checked against it
    without a flood of follow-on errors; it is None only if nothing could be read."""
    path = Path(study_dir) / FILE
    if not path.is_file():
        return None, [Problem(FILE, "file not found", value=str(path),
                              expected="a study.yaml with title, drug and population")]
    try:
        doc = read_study_yaml(path)
    except StudyError as exc:
        return None, exc.problems
    return _from_document(doc)


def _from_document(doc: Document) -> tuple[StudyConfig | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [Problem(FILE, "must be a mapping of keys to values", value=doc.data,
                              expected="lines such as 'title: ...', 'drug: ...'")]
    ctx = Context(doc, list(doc.duplicates))
    config = read_section(StudyConfig, doc.data, At(ctx))
    check_prognostic(config, At(ctx))  # keys checked against each other
    check_source(config, At(ctx))
    check_by(config, At(ctx))
    return config, ctx.problems


def parse_config(data: Any) -> StudyConfig:
    """A StudyConfig from already-parsed YAML (no line numbers); raises StudyError."""
    config, problems = _from_document(Document(data, {}, []))
    if problems or config is None:
        raise StudyError(problems)
    return config


def load_config(study_dir: Path) -> StudyConfig:
    """study.yaml of a study folder; raises StudyError listing every problem."""
    config, problems = read_config(study_dir)
    if problems or config is None:
        raise StudyError(problems)
    return config
