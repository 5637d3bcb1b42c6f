# Why a field's value was refused (ValidationCode in crates/saite-domain/src/validate.rs).
validation-required = Šis lauks ir obligāts.
validation-too-long = Teksts ir pārāk garš.
validation-too-many = Pārāk daudz ierakstu.
validation-invalid-email = Tā nav derīga e-pasta adrese.
validation-invalid-phone = Tas nav derīgs tālruņa numurs (piemēram, +371 2861 2120).
validation-negative-count = Skaits nevar būt negatīvs.
validation-must-be-positive = Skaitam jābūt lielākam par nulli.
validation-invalid-date = Tas nav derīgs datums.
validation-end-before-start = Beigu datums ir pirms sākuma datuma.
validation-unknown-code = Nezināma vērtība; izvēlieties no saraksta.
validation-unknown-reference = Saistītais ieraksts nav atrasts.
validation-invalid-value = Nederīga vērtība.
validation-missing-subject = Norādiet semināru, organizāciju vai personu.
validation-invalid-checksum = Faila kontrolsumma nav derīga.
validation-too-large = Fails ir pārāk liels (ne vairāk kā 50 MiB).
validation-invalid-time = Laiku raksta kā stundas un minūtes, piemēram, 14:30.
validation-ambiguous-reference = Šāds nosaukums ir vairākiem ierakstiem; atstājiet šūnu tukšu un sasaistiet ierakstu pēc importēšanas.
