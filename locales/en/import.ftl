# Importing organisations and contact people from a CSV, XLSX or vCard file.

import-open = Import from a file…
import-title-organisation = Import organisations
import-title-person = Import contact people
import-intro = Choose a CSV, XLSX or vCard file. Nothing is saved until you confirm.
import-choose-file = Choose a file
import-rows-in-file = Rows in the file: { $rows }
import-mapping = Which field each column fills
import-column = Column
import-examples = Examples
import-field = Field
import-given-name = First name (alone)
import-family-name = Family name
import-not-imported = — not imported —
import-defaults = Values for rows that lack them
import-check = Check the rows
import-checking = Checked { $done } of { $total }…
import-summary = New: { $new } · like records already here: { $duplicates } · with errors: { $refused } · repeated: { $repeated }
import-line = Row
import-record = Record
import-what = What to do
import-decision-add = Add as new
import-decision-merge = Merge into “{ $name }”
import-decision-skip = Skip
import-repeats = Repeats row { $line }
import-more = …and { $count } more { $count ->
        [one] row
       *[other] rows
    }
import-show-more = Show more
import-confirm = Import
import-saving = Saved { $done } of { $total }…
import-report = Added: { $added } · merged: { $merged } · skipped: { $skipped }
import-skipped-by-choice = skipped by choice
import-open-list = Open the list
import-cancel = Cancel
import-another = Another file
