"""Documents from Results: Jinja prose, then manuscript.pdf (WeasyPrint) and manuscript.docx.

Never imports the analysis stack (pandas, numpy, lifelines, matplotlib): everything
here reads the frozen Results, the table specs and the figure files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..config import StudyConfig
    from ..present.artifact import Catalogue
    from ..present.tables import TableSpec
    from ..results import Results
    from .model import Manuscript

__all__ = [
    "TemplateKeyError",
    "compose_documents",
    "prepare_documents",
    "write_checklist_files",
    "write_documents",
    "write_docx_file",
    "write_pdf_file",
]


def __getattr__(name: str) -> Any:
    """The composer's parts load when first asked for: a worker that only writes the PDF
    (parallel.preload_pdf) imports WeasyPrint without the templates, Markdown and checklist
    code, which is a tenth of a second on the path of a prose-edit rebuild."""
    if name == "TemplateKeyError":
        from .environment import TemplateKeyError

        return TemplateKeyError
    if name == "write_checklist_files":
        from .checklist import write_checklist_files

        return write_checklist_files
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def compose_documents(results: Results, tables: dict[str, TableSpec],
                      figures: dict[str, dict[str, Path]], config: StudyConfig,
                      study_path: Path, catalogue: Catalogue | None = None) -> Manuscript:
    """The manuscript both writers write, composed once."""
    from ..present.catalogue import CATALOGUE
    from .compose import compose

    return compose(results, tables, figures, config, Path(study_path), catalogue or CATALOGUE)


def write_docx_file(manuscript: Manuscript, dest: Path) -> Path:
    """manuscript.docx with every bound part labelled and the build it came from recorded,
    for `nps-report update` and `check` (nps_report.living)."""
    from ..wordxml.record import BuildIdentity
    from .docx_writer import write_docx  # here: importing the package does not load docx

    build = BuildIdentity(manuscript.results_digest, manuscript.data_cutoff,
                          manuscript.generator, manuscript.created)
    return write_docx(manuscript, Path(dest), labels={q.key: q.label
                                                      for q in manuscript.quantities},
                      build=build)


def write_pdf_file(manuscript: Manuscript, dest: Path, places: dict | None = None) -> Path:
    """The PDF; `places` receives where its named places fell (the checklist's pages)."""
    from .pdf import write_pdf  # WeasyPrint

    return write_pdf(manuscript, Path(dest), places)


def write_documents(results: Results, tables: dict[str, TableSpec],
                    figures: dict[str, dict[str, Path]], config: StudyConfig,
                    study_path: Path, dest: Path,
                    catalogue: Catalogue | None = None) -> list[Path]:
    """Write dest/manuscript.pdf and dest/manuscript.docx from one composed Manuscript (the
    checklist files are the build's: write_checklist_files)."""
    manuscript = compose_documents(results, tables, figures, config, study_path, catalogue)
    dest = Path(dest)
    written = [write_pdf_file(manuscript, dest / "manuscript.pdf"),
               write_docx_file(manuscript, dest / "manuscript.docx")]
    if manuscript.title_page is not None:  # blind review
        written += [write_pdf_file(manuscript.title_page, dest / "title_page.pdf"),
                    write_docx_file(manuscript.title_page, dest / "title_page.docx")]
    return written
