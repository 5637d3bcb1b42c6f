# Organizāciju un kontaktpersonu importēšana no CSV, XLSX vai vCard faila.

import-open = Importēt no faila…
import-title-organisation = Importēt organizācijas
import-title-person = Importēt kontaktpersonas
import-intro = Izvēlieties CSV, XLSX vai vCard failu. Nekas netiks saglabāts, kamēr neapstiprināsiet.
import-choose-file = Izvēlēties failu
import-rows-in-file = Rindas failā: { $rows }
import-mapping = Kuru lauku aizpilda katra kolonna
import-column = Kolonna
import-examples = Piemēri
import-field = Lauks
import-given-name = Vārds (bez uzvārda)
import-family-name = Uzvārds
import-not-imported = — neimportēt —
import-defaults = Vērtības rindām, kurās to nav
import-check = Pārbaudīt rindas
import-checking = Pārbauda { $done } no { $total }…
import-summary = Jauni: { $new } · līdzīgi esošiem: { $duplicates } · ar kļūdām: { $refused } · atkārtojas: { $repeated }
import-line = Rinda
import-record = Ieraksts
import-what = Ko darīt
import-decision-add = Pievienot kā jaunu
import-decision-merge = Apvienot ar „{ $name }”
import-decision-skip = Izlaist
import-repeats = Atkārto { $line }. rindu
import-more = …un vēl { $count } { $count ->
        [one] rinda
       *[other] rindas
    }
import-show-more = Rādīt vēl
import-confirm = Importēt
import-saving = Saglabā { $done } no { $total }…
import-report = Pievienoti: { $added } · apvienoti: { $merged } · izlaisti: { $skipped }
import-skipped-by-choice = izlaista pēc izvēles
import-open-list = Atvērt sarakstu
import-cancel = Atcelt
import-another = Cits fails
