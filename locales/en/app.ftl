# The application shell: window, navigation, home screen.
app-title = Saite
app-tagline = Prevention work records
app-loading = Loading…
nav-label = Sections
nav-home = Home
nav-seminars = Seminars
nav-organisations = Organisations and contacts
nav-materials = Materials
nav-campaigns = Campaigns
nav-reports = Reports
nav-hotline = Hotline
nav-sync = Sync
nav-settings = Settings
nav-admin = Administration
home-heading = Hello!
home-intro = Seminars, institutions, contact people, prevention materials and campaigns in one place — even where there is no internet.
home-sections = Sections
home-offline-note = Data is kept on this computer. A connection to the office server is not set up yet.
home-data-here = Data is kept on this computer and synced with the office server:
home-last-sync = (last { $when })
home-unsynced-reminder = Changes since { $date } exist only on this laptop: they have not reached the office and are in no backup. Sync, or make a backup.
home-unsynced-backup = Make a backup
reminder-follow-ups-title = { $count ->
    [one] Saite: { $count } follow-up due today or overdue
   *[other] Saite: { $count } follow-ups due today or overdue
}
reminder-follow-ups-body = Open Saite to see them (Seminars → Follow-ups).
nav-follow-ups-due = Follow-ups due today or overdue: { $count }
