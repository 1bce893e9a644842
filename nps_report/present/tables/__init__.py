"""Table bodies built from Results only, one module per table; declared in present.catalogue."""

from .adverse_events import adverse_event_table, grade_table, related_adverse_event_table
from .baseline import baseline_rows, baseline_table, footnote_marks
from .concordance import concordance_table
from .cox import cox_os_table, cox_pfs_table, cox_table
from .efficacy import efficacy_table
from .exposure import exposure_table
from .response_by_factor import response_by_factor_table
from .spec import Row, TableSpec

__all__ = ["Row", "TableSpec", "adverse_event_table", "baseline_rows", "baseline_table",
           "concordance_table", "cox_os_table", "cox_pfs_table", "cox_table",
           "efficacy_table", "exposure_table", "footnote_marks", "grade_table",
           "related_adverse_event_table", "response_by_factor_table"]
