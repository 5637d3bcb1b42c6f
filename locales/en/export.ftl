# Saving to a file: lists with their filters, contact people as vCards.

# The column of a counts field's total in a saved list ("Participants by target group: total").
export-column-total = total
export-list = Save the list
export-pdf = PDF
export-vcard = vCard (contacts)
export-progress = Saved { $done } of { $total }
export-cancel = Cancel
# The footer of every PDF page.
pdf-footer = Saite · { $stamp } · page { $page } of { $pages }

# Printed reports (PDF).
report-print-funder = Report for the funder
printed-funder-title = Report for the funder
printed-all-time = All records
printed-by-region = Events and participants by region
printed-events = Events
printed-organisations = Organisations involved, by kind
printed-materials = Materials distributed
printed-none = None.
seminar-print = Seminar report
printed-seminar-participants = Participants by target group
printed-seminar-organisations = Organisations taking part
