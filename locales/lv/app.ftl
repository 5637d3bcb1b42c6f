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
nav-hotline = Uzticības tālrunis
nav-sync = Sinhronizācija
nav-settings = Iestatījumi
nav-admin = Administrēšana
home-heading = Labdien!
home-intro = Semināri, iestādes, kontaktpersonas, informatīvie materiāli un kampaņas vienuviet — arī tur, kur nav interneta.
home-sections = Sadaļas
home-offline-note = Dati glabājas šajā datorā. Savienojums ar biroja serveri vēl nav iestatīts.
home-data-here = Dati glabājas šajā datorā un tiek sinhronizēti ar biroja serveri:
home-last-sync = (pēdējoreiz { $when })
home-unsynced-reminder = Izmaiņas kopš { $date } ir tikai šajā datorā: tās nav nosūtītas uz biroju un nav rezerves kopijā. Sinhronizējiet vai izveidojiet rezerves kopiju.
home-unsynced-backup = Izveidot rezerves kopiju
reminder-follow-ups-title = { $count ->
    [one] Saite: { $count } turpmākā darbība šodien vai nokavēta
   *[other] Saite: { $count } turpmākās darbības šodien vai nokavētas
}
reminder-follow-ups-body = Atveriet Saiti, lai tās redzētu (Semināri → Turpmākās darbības).
nav-follow-ups-due = Turpmākās darbības šodien vai nokavētas: { $count }
