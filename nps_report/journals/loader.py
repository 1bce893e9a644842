"""Load and validate journal profiles: shipped ones by id, or a profile file by path.

Every problem in a file is reported at once, with the file, the key path, the value
found and what was expected; an unknown profile name lists the shipped ones and the
nearest.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from importlib import resources
from pathlib import Path

import yaml

from ..checklists.model import guidelines
from ..config.yamlfile import bounded_load
from ..errors import Problem, StudyError, did_you_mean
from ..inside import check_file
from ..limits import YAML_BYTES, file_too_big
from ..paths import JOURNAL_PROFILES, shipped_ids
from ._schema import MISSING, Collector, build
from .profile import (
    FIGURE_FORMATS,
    GENERATED_ABSTRACT_PARTS,
    PART_NAME,
    REQUIRED_SECTIONS,
    JournalProfile,
)


class ProfileError(StudyError):
    """A journal profile that cannot be used; carries every problem found in the file."""


def shipped_profiles() -> tuple[str, ...]:
    """Ids of the profiles that come with nps-report, sorted."""
    return shipped_ids(JOURNAL_PROFILES)


def load_profile(name_or_path: str | Path) -> JournalProfile:
    """A shipped profile by id ('radiology-and-oncology') or a profile file by path."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith((".yaml", ".yml")) or "/" in text:
        path = Path(name_or_path)
        if not path.is_file():
            raise ProfileError([Problem(str(path), "journal profile file not found")])
        if (problem := file_too_big(path, YAML_BYTES, str(path), "journal profile")):
            raise ProfileError([problem])
        return parse_profile(path.read_text(encoding="utf-8"), path.name, path.stem)
    shipped = shipped_profiles()
    if text not in shipped:
        raise ProfileError([Problem("study.yaml", f"unknown journal profile {text!r}",
                                    column="journal",
                                    expected=did_you_mean(text, shipped)
                                    + ", or the path of a profile .yaml file")])
    resource = resources.files("nps_report.journals") / f"{text}.yaml"
    return parse_profile(resource.read_text(encoding="utf-8"), f"{text}.yaml", text)


def study_profile(name: str, study_path: Path) -> JournalProfile:
    """The profile study.yaml's `journal` names: a shipped one, a .yaml file of the study's
    own (relative to the study folder, never climbing out of it, nor through a link that
    leads out), or a file elsewhere named by its absolute path."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        if not path.is_absolute():
            path = Path(study_path) / name
            if Path(os.path.normpath(name)).parts[:1] == ("..",):
                raise ProfileError([Problem(
                    "study.yaml", f"journal {name!r} climbs out of the study folder",
                    column="journal", expected="a profile file in the study folder, or one "
                    "elsewhere named by its absolute path (e.g. /shared/journals/x.yaml)")])
            problem = check_file(Path(study_path), path, limit=YAML_BYTES,
                                 what="journal profile") if path.exists() or \
                path.is_symlink() else None
            if problem is not None:
                raise ProfileError([problem])
        return load_profile(path)
    return load_profile(name)


@functools.lru_cache(maxsize=16)
def parse_profile(text: str, file: str, profile_id: str) -> JournalProfile:
    """Validate one profile's YAML text; every problem is reported at once. Kept for the
    same text: a build reads its profile four times (a frozen value, safe to share)."""
    out = Collector(file)
    try:
        data = bounded_load(text, file)  # PyYAML's own messages: a user's file may be wrong
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ProfileError([Problem(file, f"is not valid YAML{where}: "
                                          f"{getattr(exc, 'problem', exc)}")]) from None
    profile = build(JournalProfile, data, "", out)
    if profile is not MISSING:
        _cross_checks(profile, out)
    if out.problems:
        raise ProfileError(out.problems)
    return replace(profile, id=profile_id)


def _cross_checks(p: JournalProfile, out: Collector) -> None:
    """Rules that span fields: what a type hint alone cannot say."""
    generated = [h.part for h in p.abstract.headings if h.source == "generated"]
    for i, h in enumerate(p.abstract.headings, start=1):
        key = f"abstract.headings[{i}].part"
        if h.source == "generated" and h.part not in GENERATED_ABSTRACT_PARTS:
            out.add(key, "names no generated abstract part", h.part,
                    did_you_mean(h.part, GENERATED_ABSTRACT_PARTS))
        elif h.source == "author" and not PART_NAME.fullmatch(h.part):
            out.add(key, "must name a manuscript/<part>.md file in lower case", h.part,
                    "letters, digits and '_' (e.g. abstract_background)")
    for part in GENERATED_ABSTRACT_PARTS:
        if generated.count(part) != 1:
            out.add("abstract.headings", f"must take the generated {part!r} text exactly once",
                    expected=f"one heading with source: generated, part: {part}")
    ids = [s.id for s in p.sections]
    for dup in sorted({s for s in ids if ids.count(s) > 1}):
        out.add("sections", f"lists {dup!r} more than once")
    for needed in REQUIRED_SECTIONS:
        if needed not in ids:
            out.add("sections", f"has no {needed!r} section", expected=f"an entry id: {needed}")
    decl = [d.id for d in p.declarations]
    for dup in sorted({d for d in decl if decl.count(d) > 1}):
        out.add("declarations", f"lists {dup!r} more than once")
    if p.reporting_guideline not in guidelines():
        out.add("reporting_guideline", "is not a shipped reporting guideline",
                p.reporting_guideline, did_you_mean(p.reporting_guideline, guidelines()))
    for i, fmt in enumerate(p.figures.formats, start=1):
        if fmt not in FIGURE_FORMATS:
            out.add(f"figures.formats[{i}]", "is not a known figure format", fmt,
                    did_you_mean(fmt, FIGURE_FORMATS))
    ref = p.references
    if ref.citation == "superscript" and any(c.isspace() for c in ref.delimiter):
        out.add("references.delimiter", "cannot contain spaces in superscript citations",
                ref.delimiter, "',' (superscripts are written ^1,2^)")
    kw = p.keywords
    if kw.min is not None and kw.max is not None and kw.min > kw.max:
        out.add("keywords", "has min above max", f"{kw.min} > {kw.max}")
