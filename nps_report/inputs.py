"""Which files of a study folder a build reads: one list for the loader, the cache and the lock.

A table is `<table>.csv`, a statistics package's file of the same name (`patients.sav`,
`.sas7bdat`, `.xpt`, `.dta`, `.parquet`, `.rds`) or a sheet of `data.xlsx`; an ADaM
source is the folder study.yaml names under `source: {adam: ...}`. The cache's no-op
check and the lock hash these before pandas loads, so this module is standard library
only, and reads study.yaml (with PyYAML) only when its text mentions a source.
"""

from __future__ import annotations

import os
from pathlib import Path

TABLES = ("patients", "tumor_assessments", "adverse_events")
# Tables a study may add: RECIST 1.1 from the lesions themselves
OPTIONAL_TABLES = ("tumor_lesions",)
WORKBOOK = "data.xlsx"
STUDY_YAML = "study.yaml"
# suffix (lower case) -> what the file is, as messages name it
PACKAGE_FORMATS = {
    ".sav": "an SPSS data file", ".zsav": "an SPSS data file",
    ".sas7bdat": "a SAS data set", ".xpt": "a SAS transport file",
    ".dta": "a Stata data file", ".parquet": "a Parquet file",
    ".rds": "an R data file", ".rda": "an R data file", ".rdata": "an R data file",
}
TABLE_SUFFIXES = (".csv", *PACKAGE_FORMATS)
ADAM_SUFFIXES = (".xpt", ".sas7bdat", ".parquet", ".csv", ".rds", ".rda", ".rdata", ".sav",
                 ".dta")


def table_files(folder: Path, stem: str, suffixes: tuple[str, ...] = TABLE_SUFFIXES
                ) -> list[Path]:
    """The files in folder holding the table `stem`: the name exactly as the contract
    writes it, the suffix in any case (SAS and Windows tools write `.XPT`), sorted."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        base, dot, suffix = name.rpartition(".")
        if dot and base == stem and f".{suffix.lower()}" in suffixes:
            found.append(folder / name)
    return sorted(found, key=lambda p: (suffixes.index(p.suffix.lower()), p.name))


def adam_folder(study_dir: Path) -> Path | None:
    """The folder of an ADaM source, as study.yaml names it (None without a source, or
    when study.yaml cannot be read: the config reader then says why)."""
    path = study_dir / STUDY_YAML
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if "source" not in text or "adam" not in text:
        return None
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    source = data.get("source") if isinstance(data, dict) else None
    adam = source.get("adam") if isinstance(source, dict) else None
    if not isinstance(adam, str) or not adam.strip():
        return None
    return study_dir / adam.strip()


def input_files(study_dir: Path) -> dict[str, Path]:
    """Every data file a build of the study can read, by the name provenance gives it
    (relative to the study folder, with / as separator), study.yaml first."""
    out: dict[str, Path] = {}
    candidates = [study_dir / STUDY_YAML, study_dir / WORKBOOK]
    for table in (*TABLES, *OPTIONAL_TABLES):
        candidates += table_files(study_dir, table)
    folder = adam_folder(study_dir)
    if folder is not None and folder.is_dir():
        candidates += sorted(p for p in folder.iterdir()
                             if p.suffix.lower() in ADAM_SUFFIXES and p.is_file())
    for path in candidates:
        if path.is_file():
            out[relative_name(path, study_dir)] = path
    return out


def relative_name(path: Path, study_dir: Path) -> str:
    """A file's name in messages and provenance: relative to the study folder."""
    return Path(os.path.relpath(path, study_dir)).as_posix()
