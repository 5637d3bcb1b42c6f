# Errors, by stable error code (see ErrorCode in src-tauri/src/error.rs).
error-data-dir-in-use = Another Saite window already uses the data folder { $path }. Close it or choose another folder.
error-data-dir-unusable = The data folder { $path } cannot be used: { $reason }
error-no-default-data-dir = No home folder is known for this user, so there is no default data folder. Give one with --data-dir.
error-preferences-unreadable = The settings file could not be read; default settings are used.
error-preferences-unwritable = The settings could not be saved: { $reason }
error-internal = An unexpected error occurred. No data was changed.
error-startup-failed = Saite could not start.
