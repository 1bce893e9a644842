"""The living manuscript: the author's edited manuscript.docx brought up to date with a new
build (`update`) and searched for stale numbers (`check`), never overwritten.

bindings.py   how generated parts keep their identity in Word files (hidden bookmarks), and why
record.py     what the file remembers of the values it printed (a custom XML part)
package.py    a .docx read for update and check; locate.py the parts found in it again
pair.py       which part of the new build is which part of the author's file
retext.py     in-place edits as tracked changes; tables.py a bound table three ways
update.py     the update rules; check.py and numbers.py what counts as stale
commands.py   the two commands' files, messages and exit codes

Nothing here imports python-docx or the analysis stack: WordprocessingML is read with
lxml, so both commands start and finish in a fraction of a second.
"""
