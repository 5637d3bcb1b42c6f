# What each section holds (home screen).
section-seminars-summary = Semināri, apaļā galda diskusijas un apmācības: kur, kad, kas piedalījās un par ko vienojās.
section-organisations-summary = Iestādes, ar kurām sadarbojaties, un to kontaktpersonas.
section-materials-summary = Informatīvie materiāli, to valodu versijas, krājumi un izplatīšana.
section-campaigns-summary = Kampaņas un projekti: periodi, finansētāji, pasākumi un materiāli.
section-reports-summary = Skaitļi finansētājiem: apmācītie dalībnieki, pasākumi pa reģioniem, izplatītie materiāli.
section-hotline-summary = Zvani un ziņas uzticības tālrunim: tēmas, saziņas veidi un reģioni, bez zvanītāju vārdiem.
section-sync-summary = Datu apmaiņa ar biroja serveri, kad ir savienojums.
section-settings-summary = Saskarnes valoda un datu mape.
section-admin-summary = Lietotāji, datori, audita žurnāls un serveris (koordinatoriem un administratoriem).
