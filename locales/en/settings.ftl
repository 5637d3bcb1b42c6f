# Settings screen.
settings-heading = Settings
settings-language = Language
settings-language-hint = The interface language. Your choice is kept after the app is closed.
settings-language-saved = Language saved.
language-lv = Latviešu
language-ru = Русский
language-en = English
settings-data-dir = Data folder
settings-data-dir-source = { $source ->
    [flag] set with the --data-dir option
    [environment] set with the SAITE_DATA_DIR variable
   *[os-default] the operating system's default folder
}
settings-version = Version
settings-auto-lock = Automatic lock
settings-auto-lock-hint = When the computer is not used for this long, Saite locks and asks for the passphrase.
auto-lock-never = Never
auto-lock-after = { $minutes ->
    [one] After { $minutes } minute
   *[other] After { $minutes } minutes
}
settings-auto-lock-saved = Saved.
settings-passphrase = Passphrase
settings-passphrase-current = Current passphrase
settings-passphrase-new = New passphrase
settings-passphrase-submit = Change passphrase
settings-passphrase-changed = Passphrase changed.
settings-demo = Demo data
settings-demo-hint = Examples from the organisation's publications: seminars, institutions, campaigns and materials.
settings-demo-load = Load demo data
settings-demo-loaded = { $count ->
    [one] Loaded { $count } record.
   *[other] Loaded { $count } records.
}
settings-demo-already = The demo data is already loaded.
settings-about = About the organisation
settings-about-hint = The hotline and office address everyone using this computer sees.
settings-hotline = Hotline
settings-office-address = Office address
settings-about-save = Save
settings-about-saved = Saved.
copied = Copied
settings-user-name = Your name
settings-user-name-hint = Shown in record history and as the owner of new follow-ups.
filter-mine = Mine
settings-auto-lock-office = The office allows at most { $max } min. This computer locks after { $minutes } min without use.
settings-about-office = The office has set the hotline or address for every computer: where it has, Home shows the office's.
settings-backup = Backup
settings-backup-hint = All Saite data on this computer (records, their history, attached files and changes not yet sent) in one encrypted file, on a USB stick for instance. If the laptop is lost or wiped, the backup is restored on a new one with the backup passphrase.
settings-backup-last = Last backup: { $time }
settings-backup-never = No backup has been made on this computer yet.
settings-backup-place = Where to save it
settings-backup-removable = { $name } (USB stick or external drive)
settings-backup-no-stick = No USB stick found. A backup on this laptop's own disk is lost with the laptop: insert a stick if you can.
settings-backup-other = Another folder
settings-backup-other-path = The folder's path, e.g. /media/anna/STICK
settings-backup-passphrase = Backup passphrase
settings-backup-passphrase-hint = Without it the backup cannot be restored. It may be the same as the Saite passphrase.
settings-backup-submit = Back up now
settings-backup-made = Saved: { $path } ({ $size }; records: { $records }; changes not yet sent: { $unsynced }).
