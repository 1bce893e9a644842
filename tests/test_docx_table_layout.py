"""Word does not size table columns by their content as a browser does: the writer gives
each column room for its longest unbreakable token, and keeps a table's rows together."""

from __future__ import annotations

import docx
import pytest

from nps_report.present.tables import Row, TableSpec
from nps_report.render.docx_writer import CELL_MARGIN_CM, CHAR_CM, fitted_widths_cm, native_table

WJ = "\u2060"
COX = TableSpec(
    "cox_os",
    ("Factor", "n", "Events", "HR (95% CI), univariable", "p", "HR (95% CI), multivariable", "p"),
    (Row(("ECOG performance status", "", "", "", "", "", ""), "group"),
     Row(("2", "6", "6", f"17.55 (4.18{WJ}–{WJ}73.64)", "<0.001",
          f"16.04 (3.91{WJ}–{WJ}65.79)", "<0.001"), "item"),
     Row(("Age, per year", "30", "22", f"1.07 (1.02{WJ}–{WJ}1.12)", "0.008", "", ""), "item")),
    widths=(30, 5, 9, 21, 9, 21, 9))


def test_no_column_is_narrower_than_its_longest_token():
    widths = fitted_widths_cm(COX, 16.0)
    assert sum(widths) == pytest.approx(16.0)
    need = {4: "<0.001", 6: "<0.001", 3: "(4.18–73.64)", 5: "multivariable"}
    for column, token in need.items():
        bold = 1.15 if column == 5 else 1.0  # header words are bold
        assert widths[column] >= len(token) * bold * CHAR_CM + CELL_MARGIN_CM - 1e-9


def test_a_table_that_fits_is_shared_in_proportion_to_its_content():
    small = TableSpec("t", ("Factor", "p"), (Row(("Age", "0.5"), "item"),), widths=(1, 1))
    widths = fitted_widths_cm(small, 16.0)
    assert sum(widths) == pytest.approx(16.0) and widths[0] > widths[1]


def test_every_row_keeps_with_the_next_so_a_short_table_is_not_split():
    doc = docx.Document()
    doc.styles.add_style("Table Text", 1)  # the writer's own style (docx_writer._styles)
    native_table(doc, COX)
    table = doc.tables[0]
    assert all(p.paragraph_format.keep_with_next for row in table.rows for cell in row.cells
               for p in cell.paragraphs)
    p_column = [row.cells[4].width.cm for row in table.rows]
    assert min(p_column) >= 6 * CHAR_CM + CELL_MARGIN_CM - 1e-3  # EMU rounding
