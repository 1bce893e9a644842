"""The living manuscript: the author's edited manuscript.docx brought up to date with a new
build (`update`) and searched for stale numbers (`check`), never overwritten.

wordxml.bindings (below this package: render writes what these read) says how generated
parts keep their identity in Word files (hidden bookmarks), and why; wordxml.record what the
file remembers of what it printed (a custom XML part): texts, table cells, each picture's
SHA-256, and what earlier builds printed.

package.py     a .docx read for update and check (and the image parts update adds)
paragraphs.py  a paragraph's text as its reader sees it, every tracked change accepted
locate.py      the recorded parts found again: bookmarks, checked against what they printed
pair.py        which part of the new build is which part of the author's file
merge.py       one generated text three ways: as printed, as the author has it, as the build
               prints it now
reading.py     what each part is now (untouched, typed over, gone, unsure): decided once for
               update and check
edits.py       tracked changes made in place, over pending revisions of anyone's
tables.py      a bound table three ways
update/        the update, one step per module (job, paragraphs, numbers, tables, pictures,
               additions, copying, notes)
check.py       the check; mentions.py, naming.py, quantities.py and typed.py: the numbers an
               author typed, the words around them, and when one is an earlier value of a
               quantity that has since changed
where.py       headings and sentences, for messages; commands.py the two commands' files,
               messages and exit codes

Nothing here imports python-docx or the analysis stack: WordprocessingML is read with
lxml, so both commands start and finish in a fraction of a second.
"""
