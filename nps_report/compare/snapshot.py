"""A finished build folder read back into memory: the only thing a comparison needs.

Read once, up front, so that a build comparing against its own output folder
(`build --compare-to build`) still sees the old files after the new ones are staged,
and so that a wrong folder is reported before any work is done.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..codec import CodecError
from ..errors import Problem, StudyError
from ..limits import BUILD_FILE_BYTES, DOCX_UNZIPPED, file_too_big, zip_too_big
from ..results import Results


class CompareError(StudyError):
    """A folder given for comparison is not a usable build (reported like a study problem)."""

    def __init__(self, folder: Path, message: str, expected: str):
        super().__init__([Problem(str(folder), message, expected=expected)])

    def report(self) -> str:
        return f"Cannot compare: {self.problems[0]}"


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    results: Results  # read back from results.json by the codec that wrote it
    patients: tuple[dict[str, str], ...]  # rows of tables/patient_endpoints.csv
    manuscript_docx: bytes | None

    @property
    def label(self) -> str:
        """'data cutoff 2024-12-31, lock 3f2a9c1b7e04, built 2025-01-01T00:00:00Z'."""
        study, prov = self.results.study, self.results.provenance
        parts = [f"data cutoff {study.data_cutoff or 'not set'}"]
        if prov.lock_id:
            parts.append(f"lock {prov.lock_id}")
        if prov.built_at:
            parts.append(f"built {prov.built_at}")
        return ", ".join(parts)


def load_build(folder: str | Path) -> Snapshot:
    """Read results.json (required), patient endpoints and manuscript.docx (if present)."""
    folder = Path(folder)
    path = folder / "results.json"
    if not path.is_file():
        raise CompareError(folder, "not an nps-report build folder: results.json not found",
                           "the --out folder of an earlier `nps-report build`")
    for part in (path, folder / "tables" / "patient_endpoints.csv", folder / "manuscript.docx"):
        if (big := file_too_big(part, BUILD_FILE_BYTES, part.name)) is not None:
            raise CompareError(folder, f"{big.file}: {big.message}",
                               "the folder an nps-report build wrote")
    docx = folder / "manuscript.docx"
    if docx.is_file() and (bomb := zip_too_big(docx, docx.name, DOCX_UNZIPPED,
                                               "document")) is not None:
        raise CompareError(folder, f"{bomb.file}: {bomb.message}",
                           "the manuscript.docx an nps-report build wrote")
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CompareError(folder, f"results.json cannot be read ({exc})",
                           "the results.json an nps-report build wrote") from None
    if not isinstance(data, dict):
        raise CompareError(folder, "results.json is not an object",
                           "the results.json an nps-report build wrote")
    try:
        results = Results.from_dict(data)
    except CodecError as exc:
        raise CompareError(folder, f"results.json does not have this version's layout ({exc})",
                           "a build made by this version of nps-report: build the folder "
                           "again") from None
    endpoints = folder / "tables" / "patient_endpoints.csv"
    patients: tuple[dict[str, str], ...] = ()
    if endpoints.is_file():
        text = endpoints.read_text(encoding="utf-8")
        patients = tuple(dict(row) for row in csv.DictReader(io.StringIO(text)))
    data = docx.read_bytes() if docx.is_file() else None
    if data is not None and not zipfile.is_zipfile(io.BytesIO(data)):
        raise CompareError(folder, "manuscript.docx is not a Word document (not a zip package)",
                           "the manuscript.docx an nps-report build wrote")
    return Snapshot(folder, results, patients, data)
