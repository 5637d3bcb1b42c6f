# Sync: the Sync screen, the status-bar indicator and the first-run connect step.
sync-heading = Sinhronizācija
sync-intro = Saite apmainās ar biroja serveri pati: drīz pēc katras izmaiņas, ik pēc dažām minūtēm un tiklīdz atgriežas savienojums. Bez savienojuma var strādāt kā parasti.
# The status in one line (indicator and screen).
sync-state-locked = Dati aizslēgti
sync-state-local-only = Tikai šajā datorā
sync-state-syncing = Sinhronizē…
sync-state-verified = Pārbaudīts: sinhronizēts
sync-state-repaired = Pārbaudīts: sinhronizēts (atšķirība izlabota)
sync-state-pending = { $count ->
    [zero] { $count } ierakstu gaida nosūtīšanu
    [one] { $count } ieraksts gaida nosūtīšanu
   *[other] { $count } ieraksti gaida nosūtīšanu
}
sync-state-changed-meanwhile = Dati mainījās sinhronizācijas laikā; pārbaude drīz atkārtosies
sync-state-mismatch = Dati atšķiras no servera
sync-state-not-yet = Vēl nav sinhronizēts
# Failures in a few words (the indicator); the Sync screen gives the full message.
sync-short-offline = Nav savienojuma
sync-short-server-unreachable = Serveris neatbild
sync-short-signed-out = Jāpieslēdzas vēlreiz
sync-short-bad-credentials = Nepareizi pieslēgšanās dati
sync-short-too-many-attempts = Pārāk daudz mēģinājumu
sync-short-bad-server-address = Nederīga servera adrese
sync-short-app-too-old = Jāatjaunina Saite
sync-short-server-too-old = Jāatjaunina serveris
sync-short-server-refused = Serveris atteica izmaiņu
sync-short-mass-delete = Jāapstiprina dzēšana
sync-short-local-store = Datu glabātuves kļūda
sync-short-clock-ahead = Datora pulkstenis steidzas
sync-clock-ahead = Šī datora pulkstenis steidzas par { $amount } salīdzinājumā ar biroja serveri. Iestatiet pareizu datumu un laiku datora iestatījumos. Līdz tam nekas nezūd: nosūtot izmaiņas, Saite tās atzīmē pēc servera laika.
sync-clock-behind = Šī datora pulkstenis atpaliek par { $amount } no biroja servera. Iestatiet pareizu datumu un laiku datora iestatījumos: līdz tam jūsu labojumi var tikt uzskatīti par vecākiem nekā kolēģu labojumi, kas veikti tajā pašā laikā.
sync-clock-minutes = { $count ->
    [one] { $count } minūti
   *[other] { $count } minūtēm
}
sync-clock-hours = { $count ->
    [one] { $count } stundu
   *[other] { $count } stundām
}
sync-clock-days = { $count ->
    [one] { $count } dienu
   *[other] { $count } dienām
}
sync-open = Atvērt sinhronizāciju
sync-never-succeeded = Vēl nav bijis veiksmīgas sinhronizācijas.
sync-pending-none = Visas izmaiņas ir nosūtītas.
# A running round, counted in records (as the pending count): what it does now.
sync-sending = { $done ->
    [one] Nosūtīts
   *[other] Nosūtīti
} { $done } no { $total ->
    [one] { $total } ieraksta
   *[other] { $total } ierakstiem
}
sync-receiving = { $done ->
    [one] Saņemts
   *[other] Saņemti
} { $done } no { $total ->
    [one] { $total } ieraksta
   *[other] { $total } ierakstiem
}
sync-receiving-uncounted = Saņem ierakstus no biroja…
sync-checking = Pārbauda, vai dati sakrīt ar biroja serveri…
sync-files = Lejupielādē pielikumus…
sync-progress-bytes = { $size } pārsūtīti
sync-next-attempt = Saite mēģinās vēlreiz { $when }.
sync-trying-now = Saite mēģina vēlreiz tagad.
sync-waits-for-you = Saite vairs nemēģina pati: vispirms rīkojieties, kā norādīts augstāk.
sync-now = Sinhronizēt tagad
sync-repulled = Salīdzinot ar serveri, atrasta atšķirība; Saite pati no jauna ielādēja: { $collections }.
sync-mismatched = Pēc atkārtotas ielādes joprojām atšķiras: { $collections }. Ja tas atkārtojas, sazinieties ar biroju.
# The account.
sync-account-heading = Serveris
sync-server-label = Servera adrese
sync-email-label = E-pasts
sync-password-label = Parole
sync-organisation-label = Organizācija
sync-connect-heading = Pieslēgties biroja serverim
sync-connect-intro = Ievadiet biroja servera adresi un savu e-pastu un paroli. Parole netiek saglabāta: dators saņem savu atslēgu, kas glabājas šifrēta kopā ar datiem.
sync-connect-submit = Pieslēgties
sync-connecting = Pieslēdzas…
sync-connected = Pieslēgts. Visi šajā datorā ievadītie ieraksti tiks nosūtīti uz serveri.
sync-connect-skip = Pagaidām strādāt tikai šajā datorā
sync-local-only-hint = Dati pagaidām ir tikai šajā datorā. Pieslēdzoties serverim, visi jau ievadītie ieraksti tiks nosūtīti uz to.
sync-disconnect = Atslēgties no servera
sync-disconnect-confirm = Atslēgties no servera? Dati paliks šajā datorā, bet netiks sinhronizēti, kamēr nepieslēgsieties atkal.
# The mass-delete question.
sync-mass-delete-heading = Vai piekrītat dzēšanai?
sync-mass-delete-text = Serverī { $records } no { $of } ierakstiem („{ $collection }”) ir pārvietoti uz miskasti. Tas var būt kļūda, piemēram, nejauša masveida dzēšana citā datorā. Šajā datorā nekas nav dzēsts, kamēr jūs to neapstiprināt.
sync-mass-delete-allow = Piekrītu dzēšanai
sync-mass-delete-unsure = Ja neesat pārliecināts, sazinieties ar biroju, pirms piekrītat. Līdz tam sinhronizācija ir apturēta.
# The lost-laptop policy.
sync-policy-heading = Ja dators pazūd
sync-policy-hint = Ja birojs atzīmē šo datoru kā pazaudētu, Saite pie nākamās sinhronizācijas iznīcina tajā esošos datus. Var arī noteikt, lai dati tiek iznīcināti, ja dators noteiktu dienu skaitu nav sazinājies ar serveri. Serverī esošie dati saglabājas; vēl nenosūtītās izmaiņas tiek zaudētas.
sync-policy-never = Neiznīcināt bez biroja ziņas
sync-policy-days = Pēc { $days } dienām bez sakariem ar serveri
sync-policy-saved = Saglabāts.
sync-last-contact = Pēdējais sakars ar serveri: { $when }
# Collections, as named in sync messages.
sync-collection-seminar = semināri
sync-collection-organisation = organizācijas
sync-collection-person = kontaktpersonas
sync-collection-material = materiāli
sync-collection-material-version = materiālu versijas
sync-collection-distribution = izplatīšanas ieraksti
sync-collection-campaign = kampaņas un projekti
sync-collection-follow-up = turpmākās darbības
sync-collection-attachment = pielikumi
sync-collection-seminar-organisation = semināru dalībnieku organizācijas
sync-collection-seminar-person = semināru kontaktpersonas
sync-collection-material-campaign = materiālu saites ar kampaņām
sync-collection-hotline-contact = uzticības tālruņa kontakti
sync-collection-funder = finansētāji
sync-collection-campaign-funder = kampaņu saites ar finansētājiem
sync-pending-label = Nenosūtītie ieraksti
sync-last-success-label = Pēdējā veiksmīgā sinhronizācija
sync-failure-summary = Tehniska informācija
sync-state-conflicts = { $count ->
    [one] { $count } teksts gaida jūsu izvēli
   *[other] { $count } teksti gaida jūsu izvēli
}
# Two versions of a long text (notes) edited in the same lines on two laptops.
conflict-heading = Divas lauka „{ $field }” versijas
conflict-record = ieraksts
conflict-intro = Šis teksts vienlaikus mainīts šajā un citā datorā tajās pašās rindās. Pagaidām visur redzama jūsu versija; otra glabājas šeit un vēsturē. Izvēlieties vienu vai apvienojiet abas.
conflict-mine = Jūsu versija
conflict-theirs = Otra datora versija
conflict-keep-mine = Paturēt manu
conflict-keep-theirs = Paturēt otru
conflict-combined = Apvienotais teksts (abu versiju rindas, jūsējās pirmās)
conflict-save-combined = Saglabāt apvienoto
sync-download-heading = Pielikumu lejupielāde
sync-download-hint = Mazi pielikumi tiek lejupielādēti kopā ar sinhronizāciju, lai tie būtu pieejami arī bez savienojuma; lielāki — tikai tad, kad tos atverat.
sync-download-when-opened = Tikai atverot
sync-download-up-to = Līdz { $mb } MB uzreiz, lielākus atverot
sync-download-all = Visus uzreiz
sync-policy-office = Birojs nosaka: pēc { $office } { $office ->
    [one] dienas
   *[other] dienām
}. Spēkā stingrākais: dati tiks iznīcināti pēc { $days } { $days ->
    [one] dienas
   *[other] dienām
} bez sakariem ar serveri.
