# Saglabāšana failā: saraksti ar to filtriem, kontaktpersonas kā vCard.

# Skaitļu lauka kopsummas kolonna saglabātā sarakstā ("Dalībnieki pa mērķgrupām: kopā").
export-column-total = kopā
export-list = Saglabāt sarakstu
export-pdf = PDF
export-vcard = vCard (kontakti)
export-progress = Saglabāti { $done } no { $total }
export-cancel = Atcelt
# Katras PDF lapas kājene.
pdf-footer = Saite · { $stamp } · { $page }. lapa no { $pages }

# Drukājami pārskati (PDF).
report-print-funder = Pārskats finansētājam
printed-funder-title = Pārskats finansētājam
printed-all-time = Visi ieraksti
printed-by-region = Pasākumi un dalībnieki pa reģioniem
printed-events = Pasākumi
printed-organisations = Iesaistītās organizācijas pa veidiem
printed-materials = Izplatītie materiāli
printed-none = Nav.
seminar-print = Semināra pārskats
printed-seminar-participants = Dalībnieki pa mērķgrupām
printed-seminar-organisations = Iesaistītās organizācijas
