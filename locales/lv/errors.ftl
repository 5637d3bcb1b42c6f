# Errors, by stable error code (see ErrorCode in src-tauri/src/error.rs).
error-data-dir-in-use = Datu mapi { $path } jau izmanto cits Saites logs. Aizveriet to vai norādiet citu mapi.
error-data-dir-unusable = Datu mapi { $path } nevar izmantot: { $reason }
error-no-default-data-dir = Nav zināma lietotāja mājas mape, tāpēc nav noklusētās datu mapes. Norādiet to ar --data-dir.
error-preferences-unreadable = Iestatījumu failu nevarēja nolasīt; tiek izmantoti noklusētie iestatījumi.
error-preferences-unwritable = Iestatījumus nevarēja saglabāt: { $reason }
error-internal = Radās neparedzēta kļūda. Dati nav mainīti.
error-startup-failed = Saiti nevarēja palaist.
store-error-invalid = Dažus laukus nevar saglabāt; skatiet norādes pie tiem.
store-error-not-found = Ieraksts nav atrasts. Iespējams, tas ir dzēsts.
store-error-wrong-passphrase = Nepareiza parole.
store-error-empty-passphrase = Ievadiet paroli.
store-error-already-exists = Šajā datu mapē jau ir Saites dati.
store-error-not-created = Šajā datu mapē vēl nav Saites datu.
store-error-key-file-damaged = Atslēgas fails ir bojāts vai nepazīstama formāta. Dati nav mainīti.
store-error-storage = Datu glabātuves kļūda. Dati nav mainīti.
store-error-clock-drift = Šī datora pulkstenis būtiski atšķiras no citu ierīču pulksteņiem. Pārbaudiet datumu un laiku.
store-error-merge-not-allowed = Šos ierakstus nevar apvienot.
