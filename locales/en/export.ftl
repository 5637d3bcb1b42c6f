# Saving to a file: lists with their filters, contact people as vCards.

# The column of a counts field's total in a saved list ("Participants by target group: total").
export-column-total = total
export-list = Save the list
export-vcard = vCard (contacts)
export-progress = Saved { $done } of { $total }
export-cancel = Cancel
# The footer of every PDF page.
pdf-footer = Saite · { $stamp } · page { $page } of { $pages }
