"""Documents from Results: Jinja prose, then manuscript.pdf (WeasyPrint) and manuscript.docx.

Never imports the analysis stack (pandas, numpy, lifelines, matplotlib): everything
here reads the frozen Results, the table specs and the figure files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..config import StudyConfig
from ..present.tables import TableSpec
from ..results import Results
from .compose import compose
from .environment import TemplateKeyError
from .model import Manuscript

__all__ = ["TemplateKeyError", "prepare_documents", "write_documents"]


def prepare_documents(pdf: bool = True) -> None:
    """Import the writers (WeasyPrint only if this process writes the PDF) and compile every
    template: the documents' cost that needs no figure, so a build can pay it while the
    figures are being drawn."""
    from . import docx_writer  # noqa: F401  (python-docx loads here)
    from .environment import environment

    if pdf:
        from .pdf import weasyprint_api

        weasyprint_api()
    env = environment()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".j2")):
        env.get_template(name)


def write_documents(results: Results, tables: dict[str, TableSpec],
                    figures: dict[str, dict[str, Path]], config: StudyConfig,
                    study_path: Path, dest: Path,
                    pdf_writer: Callable[[Manuscript, Path], Path] | None = None) -> list[Path]:
    """Write dest/manuscript.pdf and dest/manuscript.docx from one composed Manuscript;
    `pdf_writer` (e.g. a worker process's) writes the PDF in place of write_pdf."""
    from .docx_writer import write_docx  # here: importing the package does not load

    if pdf_writer is None:
        from .pdf import write_pdf as pdf_writer  # WeasyPrint

    manuscript = compose(results, tables, figures, config, Path(study_path))
    dest = Path(dest)
    return [pdf_writer(manuscript, dest / "manuscript.pdf"),
            write_docx(manuscript, dest / "manuscript.docx")]
