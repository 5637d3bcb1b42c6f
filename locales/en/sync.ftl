# Sync: the Sync screen, the status-bar indicator and the first-run connect step.
sync-heading = Sync
sync-intro = Saite exchanges data with the office server by itself: shortly after each change, every few minutes, and as soon as the connection is back. Without a connection, work as usual.
# The status in one line (indicator and screen).
sync-state-locked = Data locked
sync-state-local-only = On this laptop only
sync-state-syncing = Syncing…
sync-state-verified = Verified in sync
sync-state-repaired = Verified in sync (a difference was repaired)
sync-state-pending = { $count ->
    [one] { $count } record waits to be sent
   *[other] { $count } records wait to be sent
}
sync-state-changed-meanwhile = Data changed during sync; the check will run again shortly
sync-state-mismatch = Data differs from the server
sync-state-not-yet = Not synced yet
# Failures in a few words (the indicator); the Sync screen gives the full message.
sync-short-offline = Offline
sync-short-server-unreachable = Server not answering
sync-short-signed-out = Sign in again
sync-short-bad-credentials = Wrong sign-in details
sync-short-too-many-attempts = Too many attempts
sync-short-bad-server-address = Invalid server address
sync-short-app-too-old = Update Saite
sync-short-server-too-old = Server needs an update
sync-short-server-refused = Server refused a change
sync-short-mass-delete = Confirm deletions
sync-short-local-store = Data store error
sync-short-clock-ahead = Computer clock is ahead
sync-clock-ahead = This computer's clock is { $amount } ahead of the office server's. Set the correct date and time in the computer's settings. Nothing is lost meanwhile: Saite stamps your changes by the server's time when it sends them.
sync-clock-behind = This computer's clock is { $amount } behind the office server's. Set the correct date and time in the computer's settings: until then, your edits may count as older than a colleague's made at the same time.
sync-clock-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
sync-clock-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
sync-clock-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
sync-open = Open sync
sync-never-succeeded = No successful sync yet.
sync-pending-none = All changes have been sent.
# A running round, counted in records (as the pending count): what it does now.
sync-sending = Sent { $done } of { $total ->
    [one] { $total } record
   *[other] { $total } records
}
sync-receiving = Received { $done } of { $total ->
    [one] { $total } record
   *[other] { $total } records
}
sync-receiving-uncounted = Receiving records from the office…
sync-checking = Checking the data against the office server…
sync-files = Downloading attachments…
sync-progress-bytes = { $size } transferred
sync-next-attempt = Saite will try again { $when }.
sync-trying-now = Saite is trying again now.
sync-waits-for-you = Saite no longer retries by itself: first do what the message above says.
sync-now = Sync now
sync-repulled = A difference from the server was found; Saite fetched again by itself: { $collections }.
sync-mismatched = Still different after fetching again: { $collections }. If this repeats, contact the office.
# The account.
sync-account-heading = Server
sync-server-label = Server address
sync-email-label = E-mail
sync-password-label = Password
sync-organisation-label = Organisation
sync-connect-heading = Connect to the office server
sync-connect-intro = Enter the office server's address and your e-mail and password. The password is not kept: the laptop receives its own key, stored encrypted with the data.
sync-connect-submit = Connect
sync-connecting = Connecting…
sync-connected = Connected. Every record entered on this laptop will be sent to the server.
sync-connect-skip = Work on this laptop only for now
sync-local-only-hint = The data is on this laptop only for now. When you connect to the server, every record already entered will be sent to it.
sync-disconnect = Disconnect from the server
sync-disconnect-confirm = Disconnect from the server? The data stays on this laptop but is not synced until you connect again.
# The mass-delete question.
sync-mass-delete-heading = Accept the deletions?
sync-mass-delete-text = On the server, { $records } of { $of } records ({ $collection }) were moved to the trash. This may be a mistake, such as an accidental bulk delete on another laptop. Nothing is deleted on this laptop until you confirm.
sync-mass-delete-allow = Accept the deletions
sync-mass-delete-unsure = If unsure, contact the office before you accept. Until then, sync is paused.
# The lost-laptop policy.
sync-policy-heading = If the laptop is lost
sync-policy-hint = If the office marks this laptop as lost, Saite destroys the data on it at the next sync. You can also have the data destroyed when the laptop has not reached the server for a number of days. Data on the server is kept; changes not yet sent are lost.
sync-policy-never = Do not destroy without word from the office
sync-policy-days = After { $days } days without contact with the server
sync-policy-saved = Saved.
sync-last-contact = Last contact with the server: { $when }
# Collections, as named in sync messages.
sync-collection-seminar = seminars
sync-collection-organisation = organisations
sync-collection-person = contact people
sync-collection-material = materials
sync-collection-material-version = material versions
sync-collection-distribution = distribution entries
sync-collection-campaign = campaigns and projects
sync-collection-follow-up = follow-ups
sync-collection-attachment = attachments
sync-collection-seminar-organisation = seminars' organisations
sync-collection-seminar-person = seminars' contact people
sync-collection-material-campaign = materials' campaign links
sync-collection-hotline-contact = hotline contacts
sync-collection-funder = funders
sync-collection-campaign-funder = campaigns' links to funders
sync-pending-label = Records not yet sent
sync-last-success-label = Last successful sync
sync-failure-summary = Technical detail
sync-state-conflicts = { $count ->
    [one] { $count } text waits for your choice
   *[other] { $count } texts wait for your choice
}
# Two versions of a long text (notes) edited in the same lines on two laptops.
conflict-heading = Two versions of “{ $field }”
conflict-record = record
conflict-intro = This text was changed on this laptop and on another one in the same lines. For now every laptop shows your version; the other is kept here and in the history. Choose one or combine them.
conflict-mine = Your version
conflict-theirs = The other laptop's version
conflict-keep-mine = Keep mine
conflict-keep-theirs = Keep the other
conflict-combined = Combined text (the lines of both versions, yours first)
conflict-save-combined = Save the combined text
sync-download-heading = Downloading attachments
sync-download-hint = Small attachments are downloaded with each sync, so they are there without a connection too; larger ones only when you open them.
sync-download-when-opened = Only when opened
sync-download-up-to = Up to { $mb } MB at once, larger when opened
sync-download-all = All at once
sync-policy-office = The office's policy: after { $office } { $office ->
    [one] day
   *[other] days
}. The stricter applies: the data is destroyed after { $days } { $days ->
    [one] day
   *[other] days
} without contact with the server.
