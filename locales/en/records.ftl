# Record screens: lists, pages, forms, search, trash.
new-seminar = New seminar
new-organisation = New organisation
new-person = New contact person
new-material = New material
new-distribution = New distribution
new-campaign = New campaign or project
new-follow-up = New follow-up
new-hotline-contact = New hotline contact
new-funder = New funder
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-delete = Delete
action-restore = Restore
action-back = Back
action-add = Add
action-remove = Remove
action-open = Open
action-copy = Copy
form-refused = The record cannot be saved: correct the marked fields. Nothing you typed is lost.
form-unsaved-confirm = There are unsaved changes. Discard them?
form-required-note = * required field
date-placeholder = dd/mm/yyyy
time-placeholder = hh:mm
choose-none = — none —
yes = Yes
no = No
list-empty = No records yet.
list-first-sync = The first sync is still bringing the records from the office. They appear here as soon as they are stored on this laptop.
list-arriving = Still arriving from the office…
filter-any = All
filter-region = Region
filter-year = Year
deleted-note = This record is in the trash.
history-heading = History
history-deleted = moved to the trash
history-restored = restored
history-times = The time is when the change was made, by the computer's clock; “at the office” is when it reached the office's server.
history-arrived = at the office { $when }
search-label = Search everything
search-placeholder = Search… (Ctrl+K)
search-no-results = Nothing found.
trash-heading = Trash
trash-empty = The trash is empty.
nav-trash = Trash
duplicates-warning = This record may already exist:
duplicates-reason-name = same name
duplicates-reason-phone = same phone
duplicates-reason-email = same e-mail
related-organisation = Institutions taking part
related-person = Contact people
related-seminar = Events
related-follow-up = Follow-ups
related-distribution = Distribution
related-none = None.
picker-search = Search to add…
on-hand = Copies on hand
participants-total = Participants in total
list-count = { $count ->
    [one] { $count } record
   *[other] { $count } records
}
tab-seminar = Seminars
tab-follow-up = Follow-ups
tab-organisation = Organisations
tab-person = Contact people
tab-material = Catalogue
tab-distribution = Distribution log
tab-campaign = Campaigns and projects
tab-hotline-contact = Hotline contacts
tab-funder = Funders
related-speakers = Speakers and contacts
seminar-role-label = Role
hand-out-material = Hand out material
hand-out-many = Hand out to many organisations
hand-out-heading = Handing out to many organisations
hand-out-quantity = Copies for each organisation
hand-out-recipients = Recipients
hand-out-add-matching = { $count ->
    [one] Add the { $count } that matches
   *[other] Add all { $count } that match
}
hand-out-none = No recipients chosen yet: add them one by one, or all of one kind and region.
hand-out-no-recipients = Choose at least one recipient.
hand-out-clear = Remove all recipients
merge-heading = Merge duplicates
merge-hint = If the same record was entered twice, choose the other one: its links and history move to this record and the other goes to the trash.
merge-action = Merge into this one
stock-warning = Only { $onHand } copies are on hand; after this distribution the stock would be negative.
stock-confirm = The stock will go below zero. Save anyway?
filter-open = Open only
overdue = overdue
merge-compare-caption = Merging “{ $other }” into “{ $kept }”
merge-compare-field = Field
merge-compare-kept = This record (kept)
merge-compare-removed = The other record (to the trash)
merge-compare-result = After merging
merge-compare-changed = filled in
merge-moved-references = Linked records that will move to this record: { $count }
campaign-totals = { $seminars ->
    [one] { $seminars } event
   *[other] { $seminars } events
}, { $participants ->
    [one] { $participants } participant
   *[other] { $participants } participants
}
attachments-heading = Attachments
attachments-add = Add files
attachments-none = No attachments.
attachment-size = { $kb } KB
material-versions-heading = Language versions
material-version-add = Add a version (file)
field-material-version-language = Language
related-material = Materials
related-campaign = Campaigns and projects
related-hotline-contact = Hotline contacts referred here
related-funder = Funders
file-state-waiting-to-upload = On this laptop; will be sent
file-state-on-this-laptop = On this laptop and the server
file-state-on-server = On the server; downloaded when opened
file-state-downloading = { $kb } KB downloaded; will continue
file-state-fetching = Downloading…
