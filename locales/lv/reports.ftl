# The Reports section: figures counted from the records on this laptop.
report-figure-events = Pasākumi un dalībnieki
report-figure-events-summary = Semināri, apaļā galda diskusijas, apmācības un citi pasākumi, to dalībnieki pa mērķgrupām.
report-by = Grupēt pēc
report-by-year = gada
report-by-quarter = ceturkšņa
report-by-region = reģiona
report-by-municipality = pašvaldības
report-by-kind = pasākuma veida
report-by-campaign = kampaņas
report-by-target-group = mērķgrupas
report-from = No
report-to = Līdz
report-target-group = Mērķgrupa
report-filters = Filtri
report-clear = Notīrīt filtrus
report-date-invalid = Datumu raksta kā 09.11.2012.
report-column-key-year = Gads
report-column-key-quarter = Ceturksnis
report-column-key-region = Reģions
report-column-key-municipality = Pašvaldība
report-column-key-kind = Pasākuma veids
report-column-key-campaign = Kampaņa
report-column-key-target-group = Mērķgrupa
report-column-events = Pasākumi
report-column-participants = Dalībnieki
report-total = Kopā
report-none = Nav norādīts
report-no-campaign = Bez kampaņas
report-quarter = { $year }. g. { $quarter }. ceturksnis
report-empty = Ar šiem filtriem nav neviena pasākuma.
report-nothing = Vēl nav neviena pasākuma, ko saskaitīt. Pārskati rodas no ierakstītajiem semināriem un citiem pasākumiem.
report-events-count = { $count ->
    [zero] { $count } pasākumu
    [one] { $count } pasākums
   *[other] { $count } pasākumi
}
report-people-count = { $count ->
    [zero] { $count } dalībnieku
    [one] { $count } dalībnieks
   *[other] { $count } dalībnieki
}
report-chart = Diagramma: { $title }. Skaitļi ir tabulā zem tās.
report-open = Atvērt ierakstus, kas veido šo skaitli
report-loading = Skaita…
list-preset = Rādīti ieraksti, kas veido pārskata skaitli.
list-preset-back = Atpakaļ uz pārskatu
list-preset-clear = Rādīt visus
report-figure-distributions = Izplatītie materiāli
report-figure-distributions-summary = Cik reižu, cik eksemplāru un cik organizācijām materiāli nodoti. Vieta un veids ir saņēmējas organizācijas.
report-by-organisation-kind = organizācijas veida
report-by-material-kind = materiāla veida
report-by-material = materiāla
report-column-key-organisation-kind = Organizācijas veids
report-column-key-material-kind = Materiāla veids
report-column-key-material = Materiāls
report-column-distributions = Nodošanas reizes
report-column-copies = Eksemplāri
report-column-recipients = Saņēmēji
report-empty-distributions = Ar šiem filtriem nav neviena nodota materiāla.
report-nothing-distributions = Vēl nav neviena nodota materiāla, ko saskaitīt. Izplatīšanu ieraksta sadaļā “Materiāli”.
report-distributions-count = { $count ->
    [zero] { $count } nodošanas reižu
    [one] { $count } nodošanas reize
   *[other] { $count } nodošanas reizes
}
report-copies-count = { $count ->
    [zero] { $count } eksemplāru
    [one] { $count } eksemplārs
   *[other] { $count } eksemplāri
}
report-recipients-count = { $count ->
    [zero] { $count } saņēmēju
    [one] { $count } saņēmējs
   *[other] { $count } saņēmēji
}
export-table = Saglabāt tabulu
export-csv = CSV
export-csv-excel-lv = CSV Excel programmai (;)
export-xlsx = XLSX (Excel)
export-saving = Saglabā…
export-saved = Saglabāts: { $path }
export-open = Atvērt
report-per-year = pa gadiem
report-per-quarter = pa ceturkšņiem
report-per-region = pa reģioniem
report-per-municipality = pa pašvaldībām
report-per-kind = pa pasākumu veidiem
report-per-campaign = pa kampaņām
report-per-target-group = pa mērķgrupām
report-per-organisation-kind = pa organizāciju veidiem
report-per-material-kind = pa materiālu veidiem
report-per-material = pa materiāliem
report-figure-hotline = Uzticības tālrunis
report-figure-hotline-summary = Cik reižu iedzīvotāji vērsušies uzticības tālrunī, par kādām tēmām un kā. Reģions ir tas, ko nosauca zvanītājs.
report-by-topic = tēmas
report-by-channel = saziņas veida
report-column-key-topic = Tēma
report-column-key-channel = Saziņas veids
report-column-contacts = Kontakti
report-per-topic = pa tēmām
report-per-channel = pa saziņas veidiem
report-empty-hotline = Ar šiem filtriem nav neviena uzticības tālruņa kontakta.
report-nothing-hotline = Vēl nav neviena uzticības tālruņa kontakta, ko saskaitīt. Tos ieraksta sadaļā “Uzticības tālrunis”.
report-contacts-count = { $count ->
    [zero] { $count } kontaktu
    [one] { $count } kontakts
   *[other] { $count } kontakti
}
report-figure-organisations = Iesaistītās organizācijas
report-figure-organisations-summary = Organizācijas, kas piedalījušās pasākumos, pa veidiem un vietām; katra skaitīta vienreiz, lai cik pasākumos tā piedalījās. Pasākumu filtri nosaka, kuri pasākumi skaitās, reģions un veids ir organizācijas.
report-column-organisations = Organizācijas
report-organisations-count = { $count ->
    [zero] { $count } organizāciju
    [one] { $count } organizācija
   *[other] { $count } organizācijas
}
report-empty-organisations = Ar šiem filtriem neviena organizācija nav piedalījusies pasākumos.
report-nothing-organisations = Vēl neviena organizācija nav pievienota pasākumam. Iesaistītās iestādes pievieno semināra lapā.
report-column-key-funder = Finansētājs
report-by-funder = finansētāja
report-per-funder = pa finansētājiem
report-period = Periods
report-period-all = Viss laiks
report-period-own = Savi datumi
report-period-this-year = Šis gads
report-period-last-year = Pagājušais gads
report-period-this-quarter = Šis ceturksnis
report-period-last-quarter = Iepriekšējais ceturksnis
report-period-shown = Periods: { $from ->
        [none] { $to ->
            [none] viss laiks
           *[other] līdz { $to }
        }
       *[other] { $to ->
            [none] no { $from }
           *[other] { $from }–{ $to }
        }
    }
