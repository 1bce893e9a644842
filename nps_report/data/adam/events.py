"""ADAE: the adverse events that count, as the contract's adverse-event table.

The sponsor's flag decides which events count (TRTEMFL = Y: treatment-emergent), not
the dates; the term and grade (or severity) are the variables study.yaml names, and
ASTDT is the onset (the data cutoff applies to it). The events are then read by the
same rules as adverse_events.csv (parse.py), so a grade that is not 1-5 is refused at
its row, naming ADAE's variable.
"""

from __future__ import annotations

from ...config import Rename
from ...config.source import AdverseEventSource
from ...errors import Notice, StudyError
from ..headers import prepare_headers
from ..table import Table
from .datasets import Dataset
from .population import SUBJECT, Population, not_in_adsl, of_population

ONSET = "ASTDT"


def adverse_events_table(adae: Dataset, spec: AdverseEventSource, population: Population
                         ) -> tuple[Table, int, Notice | None]:
    """The population's flagged events under the contract's column names (messages keep
    ADAE's), how many the flag left out, and a Notice saying so."""
    adae.require([SUBJECT, spec.term, spec.grade, spec.flag],
                 "source.adverse_events in study.yaml")
    problems = not_in_adsl(adae, population)
    if problems:
        raise StudyError(problems)
    rows = of_population(adae, population)
    problems = rows.not_flags(spec.flag, "source.adverse_events in study.yaml")
    if problems:
        raise StudyError(problems)
    flagged = rows.frame[spec.flag].str.strip().eq("Y").to_numpy()
    n_out = int((~flagged).sum())
    rows = rows.keep(flagged)
    table = Table("adverse_events", rows.file, rows.frame.copy(), rows.table.rows.copy())
    renames = [Rename("patient_id", SUBJECT), Rename("term", spec.term),
               Rename("grade", spec.grade)]
    if ONSET in table.frame:
        renames.append(Rename("onset_date", ONSET))
    problems = prepare_headers(table, tuple(renames))
    if problems:
        raise StudyError(problems)
    notice = None
    if n_out:
        notice = Notice("adam_events_not_flagged", f"{n_out} adverse event"
                        f"{'s' if n_out != 1 else ''} of the patients analysed "
                        f"{'are' if n_out != 1 else 'is'} not flagged {spec.flag} = Y in "
                        f"{adae.file} and {'were' if n_out != 1 else 'was'} not counted.")
    return table, n_out, notice
