# Errors, by stable error code (see ErrorCode in src-tauri/src/error.rs).
error-data-dir-in-use = Datu mapi { $path } jau izmanto cits Saites logs. Aizveriet to vai norādiet citu mapi.
error-data-dir-unusable = Datu mapi { $path } nevar izmantot: { $reason }
error-no-default-data-dir = Nav zināma lietotāja mājas mape, tāpēc nav noklusētās datu mapes. Norādiet to ar --data-dir.
error-preferences-unreadable = Iestatījumu failu nevarēja nolasīt; tiek izmantoti noklusētie iestatījumi.
error-preferences-unwritable = Iestatījumus nevarēja saglabāt: { $reason }
error-internal = Radās neparedzēta kļūda. Dati nav mainīti.
error-startup-failed = Saiti nevarēja palaist.
