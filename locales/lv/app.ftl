# The application shell: window, navigation, home screen.
app-title = Saite
app-tagline = Prevencijas darba uzskaite
app-loading = Ielādē…
nav-label = Sadaļas
nav-home = Sākums
nav-seminars = Semināri
nav-organisations = Organizācijas un kontakti
nav-materials = Materiāli
nav-campaigns = Kampaņas
nav-reports = Pārskati
nav-sync = Sinhronizācija
nav-settings = Iestatījumi
home-heading = Labdien!
home-intro = Semināri, iestādes, kontaktpersonas, informatīvie materiāli un kampaņas vienuviet — arī tur, kur nav interneta.
home-sections = Sadaļas
home-offline-note = Dati glabājas šajā datorā. Savienojums ar biroja serveri vēl nav iestatīts.
