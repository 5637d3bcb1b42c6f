# Saglabāšana failā: saraksti ar to filtriem, kontaktpersonas kā vCard.

# Skaitļu lauka kopsummas kolonna saglabātā sarakstā ("Dalībnieki pa mērķgrupām: kopā").
export-column-total = kopā
export-list = Saglabāt sarakstu
export-vcard = vCard (kontakti)
export-progress = Saglabāti { $done } no { $total }
export-cancel = Atcelt
# Katras PDF lapas kājene.
pdf-footer = Saite · { $stamp } · { $page }. lapa no { $pages }
