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
nav-sync = Sync
nav-settings = Settings
home-heading = Hello!
home-intro = Seminars, institutions, contact people, prevention materials and campaigns in one place — even where there is no internet.
home-sections = Sections
home-offline-note = Data is kept on this computer. A connection to the office server is not set up yet.
