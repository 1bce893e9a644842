"""Reporting-guideline checklists (STROBE cohort, case series) checked against the manuscript."""

from .model import (
    ADDRESSED,
    CONFIRM,
    NOT_APPLICABLE,
    STATUSES,
    TODO,
    ChecklistRow,
    Guideline,
    ManuscriptFacts,
    checklist,
    guidelines,
    load_guideline,
)
from .writers import (
    checklist_csv,
    checklist_document,
    write_checklist_csv,
    write_checklist_docx,
)

__all__ = ["ADDRESSED", "CONFIRM", "NOT_APPLICABLE", "STATUSES", "TODO", "ChecklistRow",
           "Guideline", "ManuscriptFacts", "checklist", "checklist_csv", "checklist_document",
           "guidelines", "load_guideline", "write_checklist_csv", "write_checklist_docx"]
