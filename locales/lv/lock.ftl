# First run (choosing a passphrase), unlocking and locking.
first-run-heading = Laipni lūdzam Saitē!
first-run-intro = Visi dati šajā datorā tiks šifrēti. Izvēlieties paroli: bez tās datus nevarēs atvērt ne jūs, ne kāds cits, kas atrastu šo datoru.
first-run-warning = Aizmirstu paroli nevar atjaunot. Pierakstiet to drošā vietā.
passphrase-label = Parole
passphrase-confirm-label = Atkārtojiet paroli
passphrase-too-short = { $min ->
    [zero] Parolei jābūt vismaz { $min } rakstzīmju garai.
    [one] Parolei jābūt vismaz { $min } rakstzīmi garai.
   *[other] Parolei jābūt vismaz { $min } rakstzīmes garai.
}
passphrase-mismatch = Paroles nesakrīt.
first-run-demo = Ielādēt demonstrācijas datus (piemēri no biedrības publikācijām)
first-run-submit = Sākt darbu
unlock-heading = Saite ir aizslēgta
unlock-intro = Ievadiet paroli, lai atvērtu datus.
unlock-submit = Atslēgt
lock-now = Aizslēgt
working = Lūdzu, uzgaidiet…
first-run-new = Sākt no jauna
first-run-restore = Atjaunot no rezerves kopijas
first-run-restore-intro = Ja šī datora Saites dati ir saglabāti rezerves kopijā (piemēram, zibatmiņā), atjaunojiet tos šeit. Pēc tam pierakstieties serverī: izmaiņas, kas vēl nebija nosūtītas, aizies uz biroju, un nekas netiks dubultots.
first-run-restore-found = Atrastās rezerves kopijas
first-run-restore-none = Pievienotajās zibatmiņās, dokumentos un lejupielādēs rezerves kopiju nav. Ievietojiet zibatmiņu un meklējiet vēlreiz, vai ierakstiet faila ceļu.
first-run-restore-search = Meklēt vēlreiz
first-run-restore-item = { $time } · { $size }
first-run-restore-path = Rezerves kopijas fails (ceļš)
first-run-restore-passphrase = Rezerves kopijas parole
first-run-restore-passphrase-hint = Pēc atjaunošanas dati šajā datorā atveras ar šo pašu paroli; to var mainīt iestatījumos.
first-run-restore-submit = Atjaunot
first-run-restored = Dati atjaunoti. Pierakstieties serverī, lai nosūtītu izmaiņas, kas vēl nebija nosūtītas.
