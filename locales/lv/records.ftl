# Record screens: lists, pages, forms, search, trash.
new-seminar = Jauns seminārs
new-organisation = Jauna organizācija
new-person = Jauna kontaktpersona
new-material = Jauns materiāls
new-distribution = Jauna izplatīšana
new-campaign = Jauna kampaņa vai projekts
new-follow-up = Jauna turpmākā darbība
new-hotline-contact = Jauns uzticības tālruņa kontakts
new-funder = Jauns finansētājs
action-save = Saglabāt
action-cancel = Atcelt
action-edit = Labot
action-delete = Dzēst
action-restore = Atjaunot
action-back = Atpakaļ
action-add = Pievienot
action-remove = Noņemt
action-open = Atvērt
action-copy = Kopēt
form-refused = Ierakstu nevar saglabāt: izlabojiet atzīmētos laukus. Ievadītais nav zaudēts.
form-unsaved-confirm = Ir nesaglabātas izmaiņas. Vai tiešām tās atmest?
form-required-note = * obligāts lauks
date-placeholder = dd.mm.gggg
time-placeholder = ss:mm
choose-none = — nav izvēlēts —
yes = Jā
no = Nē
list-empty = Vēl nav neviena ieraksta.
list-first-sync = Pirmā sinhronizācija vēl ienes ierakstus no biroja. Tie parādās šeit, tiklīdz ir saglabāti šajā datorā.
list-arriving = Vēl ienāk no biroja…
filter-any = Visi
filter-region = Reģions
filter-year = Gads
deleted-note = Šis ieraksts ir miskastē.
history-heading = Vēsture
history-deleted = pārvietots uz miskasti
history-restored = atjaunots
history-times = Laiks — kad izmaiņa izdarīta (pēc datora pulksteņa); “birojā” — kad tā sasniedza biroja serveri.
history-arrived = birojā { $when }
search-label = Meklēt visur
search-placeholder = Meklēt… (Ctrl+K)
search-no-results = Nekas nav atrasts.
trash-heading = Miskaste
trash-empty = Miskaste ir tukša.
nav-trash = Miskaste
duplicates-warning = Iespējams, šis ieraksts jau ir:
duplicates-reason-name = tāds pats nosaukums
duplicates-reason-phone = tāds pats tālrunis
duplicates-reason-email = tāds pats e-pasts
related-organisation = Iesaistītās iestādes
related-person = Kontaktpersonas
related-seminar = Pasākumi
related-follow-up = Turpmākās darbības
related-distribution = Izplatīšana
related-none = Nav.
picker-search = Meklēt, lai pievienotu…
on-hand = Pieejami eksemplāri
participants-total = Kopā dalībnieku
list-count = { $count ->
    [zero] { $count } ierakstu
    [one] { $count } ieraksts
   *[other] { $count } ieraksti
}
tab-seminar = Semināri
tab-follow-up = Turpmākās darbības
tab-organisation = Organizācijas
tab-person = Kontaktpersonas
tab-material = Katalogs
tab-distribution = Izplatīšanas žurnāls
tab-campaign = Kampaņas un projekti
tab-hotline-contact = Uzticības tālruņa kontakti
tab-funder = Finansētāji
related-speakers = Lektori un kontaktpersonas
seminar-role-label = Loma
hand-out-material = Izdalīt materiālu
hand-out-many = Izdalīt vairākām organizācijām
hand-out-heading = Izplatīšana vairākām organizācijām
hand-out-quantity = Eksemplāri katrai organizācijai
hand-out-recipients = Saņēmēji
hand-out-add-matching = { $count ->
    [zero] Pievienot visas { $count } atlasītās
    [one] Pievienot { $count } atlasīto
   *[other] Pievienot visas { $count } atlasītās
}
hand-out-none = Vēl nav izvēlēts neviens saņēmējs: pievienojiet tos pa vienam vai visus viena veida un reģiona.
hand-out-no-recipients = Izvēlieties vismaz vienu saņēmēju.
hand-out-clear = Noņemt visus saņēmējus
merge-heading = Apvienot dublikātus
merge-hint = Ja tas pats ieraksts ir ievadīts divreiz, izvēlieties otru: tā saites un vēsture pāries uz šo ierakstu, bet otrs nonāks miskastē.
merge-action = Apvienot ar šo
stock-warning = Pieejami tikai { $onHand } eksemplāri; pēc šīs izplatīšanas krājums būtu negatīvs.
stock-confirm = Krājums kļūs negatīvs. Vai tomēr saglabāt?
filter-open = Tikai neizpildītās
overdue = nokavēts
merge-compare-caption = „{ $other }” pievienošana ierakstam „{ $kept }”
merge-compare-field = Lauks
merge-compare-kept = Šis ieraksts (paliek)
merge-compare-removed = Otrs ieraksts (uz miskasti)
merge-compare-result = Pēc apvienošanas
merge-compare-changed = papildināts
merge-moved-references = Saistītie ieraksti, kas pāries uz šo ierakstu: { $count }
campaign-totals = { $seminars ->
    [zero] { $seminars } pasākumu
    [one] { $seminars } pasākums
   *[other] { $seminars } pasākumi
}, { $participants ->
    [zero] { $participants } dalībnieku
    [one] { $participants } dalībnieks
   *[other] { $participants } dalībnieki
}
attachments-heading = Pielikumi
attachments-add = Pievienot failus
attachments-none = Nav pielikumu.
attachment-size = { $kb } KB
material-versions-heading = Valodu versijas
material-version-add = Pievienot versiju (fails)
field-material-version-language = Valoda
related-material = Materiāli
related-campaign = Kampaņas un projekti
related-hotline-contact = Uzticības tālruņa kontakti, kas nosūtīti šeit
related-funder = Finansētāji
file-state-waiting-to-upload = Šajā datorā; tiks nosūtīts
file-state-on-this-laptop = Šajā datorā un serverī
file-state-on-server = Serverī; lejupielādēs, atverot
file-state-downloading = Lejupielādēti { $kb } KB; turpināsies
file-state-fetching = Lejupielādē…
