# Errors, by stable error code (see ErrorCode in src-tauri/src/error.rs).
error-data-dir-in-use = Another Saite window already uses the data folder { $path }. Close it or choose another folder.
error-data-dir-unusable = The data folder { $path } cannot be used: { $reason }
error-no-default-data-dir = No home folder is known for this user, so there is no default data folder. Give one with --data-dir.
error-preferences-unreadable = The settings file could not be read; default settings are used.
error-preferences-unwritable = The settings could not be saved: { $reason }
error-internal = An unexpected error occurred. No data was changed.
error-startup-failed = Saite could not start.
store-error-invalid = Some fields cannot be saved; see the notes beside them.
store-error-not-found = The record was not found. It may have been deleted.
store-error-wrong-passphrase = Wrong passphrase.
store-error-empty-passphrase = Enter a passphrase.
store-error-already-exists = This data folder already holds Saite data.
store-error-not-created = This data folder holds no Saite data yet.
store-error-key-file-damaged = The key file is damaged or of an unknown format. No data was changed.
store-error-storage = Storage error. No data was changed.
store-error-clock-drift = This computer's clock is far off the other devices' clocks. Check the date and time.
store-error-merge-not-allowed = These records cannot be merged.
