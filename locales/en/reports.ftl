# The Reports section: figures counted from the records on this laptop.
report-figure-events = Events and participants
report-figure-events-summary = Seminars, round tables, trainings and other events, and their participants by target group.
report-by = Group by
report-by-year = year
report-by-quarter = quarter
report-by-region = region
report-by-municipality = municipality
report-by-kind = kind of event
report-by-campaign = campaign
report-by-target-group = target group
report-from = From
report-to = To
report-target-group = Target group
report-filters = Filters
report-clear = Clear filters
report-date-invalid = Write the date as 09/11/2012.
report-column-key-year = Year
report-column-key-quarter = Quarter
report-column-key-region = Region
report-column-key-municipality = Municipality
report-column-key-kind = Kind of event
report-column-key-campaign = Campaign
report-column-key-target-group = Target group
report-column-events = Events
report-column-participants = Participants
report-total = Total
report-none = Not given
report-no-campaign = No campaign
report-quarter = Q{ $quarter } { $year }
report-empty = No event matches these filters.
report-nothing = No events to count yet. Reports are made from the seminars and other events you record.
report-events-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
}
report-people-count = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
report-chart = Chart: { $title }. The numbers are in the table below it.
report-open = Open the records behind this figure
report-loading = Counting…
list-preset = Showing the records behind a report figure.
list-preset-back = Back to the report
list-preset-clear = Show all
report-figure-distributions = Materials distributed
report-figure-distributions-summary = How often, how many copies and to how many organisations materials were handed out. Place and kind are the recipient organisation's.
report-by-organisation-kind = kind of organisation
report-by-material-kind = kind of material
report-by-material = material
report-column-key-organisation-kind = Kind of organisation
report-column-key-material-kind = Kind of material
report-column-key-material = Material
report-column-distributions = Hand-outs
report-column-copies = Copies
report-column-recipients = Recipients
report-empty-distributions = No material was handed out under these filters.
report-nothing-distributions = No material handed out yet. Distributions are recorded under “Materials”.
report-distributions-count = { $count ->
    [one] { $count } hand-out
   *[other] { $count } hand-outs
}
report-copies-count = { $count ->
    [one] { $count } copy
   *[other] { $count } copies
}
report-recipients-count = { $count ->
    [one] { $count } recipient
   *[other] { $count } recipients
}
export-table = Save the table
export-csv = CSV
export-csv-excel-lv = CSV for Excel (;)
export-xlsx = XLSX (Excel)
export-saving = Saving…
export-saved = Saved: { $path }
export-open = Open
report-per-year = by year
report-per-quarter = by quarter
report-per-region = by region
report-per-municipality = by municipality
report-per-kind = by kind of event
report-per-campaign = by campaign
report-per-target-group = by target group
report-per-organisation-kind = by kind of organisation
report-per-material-kind = by kind of material
report-per-material = by material
report-figure-hotline = Hotline
report-figure-hotline-summary = How often people contacted the hotline, about what and how. The region is the one the caller gave.
report-by-topic = topic
report-by-channel = channel
report-column-key-topic = Topic
report-column-key-channel = Channel
report-column-contacts = Contacts
report-per-topic = by topic
report-per-channel = by channel
report-empty-hotline = No hotline contact matches these filters.
report-nothing-hotline = There are no hotline contacts to count yet. They are recorded in the Hotline section.
report-contacts-count = { $count ->
    [one] { $count } contact
   *[other] { $count } contacts
}
report-figure-organisations = Organisations reached
report-figure-organisations-summary = Organisations that took part in events, by kind and place; each counted once, however many events it attended. The event filters choose which events count; the region and kind are the organisation's.
report-column-organisations = Organisations
report-organisations-count = { $count ->
    [one] { $count } organisation
   *[other] { $count } organisations
}
report-empty-organisations = No organisation took part in events matching these filters.
report-nothing-organisations = No organisation has been added to an event yet. Participating institutions are added on a seminar's page.
report-column-key-funder = Funder
report-by-funder = funder
report-per-funder = by funder
report-period = Period
report-period-all = All time
report-period-own = Dates as typed
report-period-this-year = This year
report-period-last-year = Last year
report-period-this-quarter = This quarter
report-period-last-quarter = Last quarter
report-period-shown = Period: { $from ->
        [none] { $to ->
            [none] all time
           *[other] until { $to }
        }
       *[other] { $to ->
            [none] from { $from }
           *[other] { $from }–{ $to }
        }
    }
