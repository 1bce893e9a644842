"""Documents from Results: Jinja prose, then manuscript.pdf (WeasyPrint) and manuscript.docx.

Never imports the analysis stack (pandas, numpy, lifelines, matplotlib): everything
here reads the frozen Results, the table specs and the figure files.
"""

from __future__ import annotations

from pathlib import Path

from ..config import StudyConfig
from ..present.tables import TableSpec
from ..results import Results
from .compose import compose
from .environment import TemplateKeyError

__all__ = ["TemplateKeyError", "write_documents"]


def write_documents(results: Results, tables: dict[str, TableSpec],
                    figures: dict[str, dict[str, Path]], config: StudyConfig,
                    study_path: Path, dest: Path) -> list[Path]:
    """Write dest/manuscript.pdf and dest/manuscript.docx from one composed Manuscript."""
    from .docx_writer import write_docx  # here: importing the package does not load
    from .pdf import write_pdf  # WeasyPrint

    manuscript = compose(results, tables, figures, config, Path(study_path))
    dest = Path(dest)
    return [write_pdf(manuscript, dest / "manuscript.pdf"),
            write_docx(manuscript, dest / "manuscript.docx")]
