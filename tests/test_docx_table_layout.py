"""Word does not size table columns by their content as a browser does: both writers take
their widths from one place (table_widths.py), which gives every number column room for its
longest cell, so no interval or p-value wraps, and keeps a table's rows together."""

from __future__ import annotations

import docx
import pytest

from nps_report.present.tables import Row, TableSpec
from nps_report.render.docx_writer import native_table
from nps_report.render.table_widths import (
    CELL_MARGIN_CM,
    fitted_widths_cm,
    percentages,
    text_cm,
)

COX = TableSpec(
    "cox_os",
    ("Factor", "n", "Events", "HR (95% CI), univariable", "p", "HR (95% CI), multivariable", "p"),
    (Row(("ECOG performance status", "", "", "", "", "", ""), "group"),
     Row(("2", "6", "6", "17.55 (4.18–73.64)", "<0.001",
          "16.04 (3.91–65.79)", "<0.001"), "item"),
     Row(("Age, per year", "30", "22", "1.07 (1.02–1.12)", "0.008", "", ""), "item")),
    widths=(30, 5, 9, 21, 9, 21, 9))


def test_no_number_column_is_narrower_than_its_longest_cell():
    widths = fitted_widths_cm(COX, 16.0)
    assert sum(widths) == pytest.approx(16.0)
    need = {4: "<0.001", 6: "<0.001", 3: "17.55 (4.18–73.64)", 5: "16.04 (3.91–65.79)"}
    for column, cell in need.items():
        assert widths[column] >= text_cm(cell) + CELL_MARGIN_CM - 1e-9
    assert widths[0] >= text_cm("performance", bold=True) + CELL_MARGIN_CM  # labels wrap
    # Times: digits are half an em, "(" a third: the interval is 7.67 em, 2.70 cm at 10 pt
    assert text_cm("17.55 (4.18–73.64)") == pytest.approx(7.666 * 10 / 72 * 2.54, abs=1e-3)


def test_the_pdf_and_the_word_file_share_the_widths():
    cm = fitted_widths_cm(COX, 16.0)
    assert percentages(COX, 16.0) == pytest.approx([100 * w / 16.0 for w in cm])


def test_a_table_that_fits_is_shared_in_proportion_to_its_content():
    small = TableSpec("t", ("Factor", "p"), (Row(("Age", "0.5"), "item"),), widths=(1, 1))
    widths = fitted_widths_cm(small, 16.0)
    assert sum(widths) == pytest.approx(16.0) and widths[0] > widths[1]


def test_a_table_holds_its_head_and_tail_together_and_may_break_between_other_rows():
    doc = docx.Document()
    doc.styles.add_style("Table Text", 1)  # the writer's own style (docx_writer._styles)
    long = TableSpec("t", ("Factor", "n"), tuple(Row((f"Level {i}", str(i)), "item")
                                                  for i in range(10)))
    native_table(doc, long)
    native_table(doc, COX)
    kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            for row in doc.tables[0].rows]
    # header and two rows with the caption; the last two rows with the notes; others free,
    # so the table breaks where the page ends instead of moving whole to the next page
    assert kept == [True, True, True] + [False] * 6 + [True, True]
    table = doc.tables[1]
    assert all(p.paragraph_format.keep_with_next for row in table.rows for cell in row.cells
               for p in cell.paragraphs)  # a three-row table stays whole
    assert all(row._tr.trPr.xml.count("cantSplit") == 1 for row in table.rows)
    p_column = [row.cells[4].width.cm for row in table.rows]
    assert min(p_column) >= text_cm("<0.001") + CELL_MARGIN_CM - 1e-3  # EMU rounding
