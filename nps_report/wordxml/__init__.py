"""WordprocessingML, shared by everything that writes or reads a .docx.

text.py      a paragraph's or table's text and runs as Word shows them; splitting runs;
             numeric ranges kept on one line (lxml only: compare and living read with it)
elements.py  what python-docx has no API for: fields, rules, repeat headers, bookmarks,
             the record's package parts, a clean package (the writers in render use it)
record.py    what a generated manuscript.docx printed, kept inside the file (a custom XML
             part): written by render, read by `update` and `check` (living)
bindings.py  how the writer names the bound parts (hidden bookmarks) and collects the record

No module here imports another package of nps_report: render, compare and living all
stand on it, and none of them on each other's Word plumbing.
"""
