"""The living manuscript: the author's edited manuscript.docx brought up to date with a new
build (`update`) and searched for stale numbers (`check`), never overwritten.

bindings.py says how generated parts keep their identity in Word files (hidden
bookmarks) and why; record.py what the file remembers of the values it printed.
Nothing here imports python-docx or the analysis stack: it reads WordprocessingML
with lxml, so `update` and `check` start fast.
"""
