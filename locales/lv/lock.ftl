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
