# Settings screen.
settings-heading = Iestatījumi
settings-language = Valoda
settings-language-hint = Saskarnes valoda. Izvēle saglabājas arī pēc programmas aizvēršanas.
settings-language-saved = Valoda saglabāta.
language-lv = Latviešu
language-ru = Русский
language-en = English
settings-data-dir = Datu mape
settings-data-dir-source = { $source ->
    [flag] norādīta ar parametru --data-dir
    [environment] norādīta ar mainīgo SAITE_DATA_DIR
   *[os-default] operētājsistēmas noklusētā mape
}
settings-version = Versija
settings-auto-lock = Automātiskā aizslēgšana
settings-auto-lock-hint = Ja datoru neizmanto norādīto laiku, Saite aizslēdzas un prasa paroli.
auto-lock-never = Nekad
auto-lock-after = { $minutes ->
    [zero] Pēc { $minutes } minūtēm
    [one] Pēc { $minutes } minūtes
   *[other] Pēc { $minutes } minūtēm
}
settings-auto-lock-saved = Saglabāts.
settings-passphrase = Parole
settings-passphrase-current = Pašreizējā parole
settings-passphrase-new = Jaunā parole
settings-passphrase-submit = Mainīt paroli
settings-passphrase-changed = Parole nomainīta.
settings-demo = Demonstrācijas dati
settings-demo-hint = Piemēri no biedrības publikācijām: semināri, iestādes, kampaņas un materiāli.
settings-demo-load = Ielādēt demonstrācijas datus
settings-demo-loaded = { $count ->
    [zero] Ielādēti { $count } ierakstu.
    [one] Ielādēts { $count } ieraksts.
   *[other] Ielādēti { $count } ieraksti.
}
settings-demo-already = Demonstrācijas dati jau ir ielādēti.
settings-about = Par organizāciju
settings-about-hint = Uzticības tālrunis un biroja adrese, ko redz visi šī datora lietotāji.
settings-hotline = Uzticības tālrunis
settings-office-address = Biroja adrese
settings-about-save = Saglabāt
settings-about-saved = Saglabāts.
copied = Nokopēts
settings-user-name = Jūsu vārds
settings-user-name-hint = Parādās ierakstu vēsturē un kā jaunu turpmāko darbību atbildīgais.
filter-mine = Manas
settings-auto-lock-office = Birojs atļauj ne vairāk kā { $max } min. Šis dators aizslēgsies pēc { $minutes } min bez darbības.
settings-about-office = Birojs ir noteicis tālruni vai adresi visiem datoriem: kur tas noteikts, sākumlapā redzami biroja dati.
settings-backup = Rezerves kopija
settings-backup-hint = Visi šī datora Saites dati (ieraksti, to vēsture, pievienotie faili un vēl nenosūtītās izmaiņas) vienā šifrētā failā, piemēram, zibatmiņā. Ja dators pazūd vai tiek notīrīts, kopiju atjauno jaunā datorā ar rezerves kopijas paroli.
settings-backup-last = Pēdējā rezerves kopija: { $time }
settings-backup-never = Rezerves kopija šajā datorā vēl nav veidota.
settings-backup-place = Kur saglabāt
settings-backup-removable = { $name } (zibatmiņa vai ārējs disks)
settings-backup-no-stick = Zibatmiņa nav atrasta. Kopija šī datora diskā pazūd kopā ar datoru: ja iespējams, ievietojiet zibatmiņu.
settings-backup-other = Cita mape
settings-backup-other-path = Mapes ceļš, piemēram, /media/anna/ZIBATMINA
settings-backup-passphrase = Rezerves kopijas parole
settings-backup-passphrase-hint = Bez tās kopiju nevar atjaunot. Tā var būt tā pati, kas Saites parole.
settings-backup-submit = Izveidot rezerves kopiju
settings-backup-made = Saglabāts: { $path } ({ $size }; ieraksti: { $records }; nenosūtītās izmaiņas: { $unsynced }).
