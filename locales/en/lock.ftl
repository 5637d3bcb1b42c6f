# First run (choosing a passphrase), unlocking and locking.
first-run-heading = Welcome to Saite!
first-run-intro = All data on this computer will be encrypted. Choose a passphrase: without it neither you nor anyone who finds this computer can open the data.
first-run-warning = A forgotten passphrase cannot be recovered. Write it down somewhere safe.
passphrase-label = Passphrase
passphrase-confirm-label = Repeat the passphrase
passphrase-too-short = { $min ->
    [one] The passphrase must be at least { $min } character long.
   *[other] The passphrase must be at least { $min } characters long.
}
passphrase-mismatch = The passphrases do not match.
first-run-demo = Load demo data (examples from the organisation's publications)
first-run-submit = Start
unlock-heading = Saite is locked
unlock-intro = Enter the passphrase to open the data.
unlock-submit = Unlock
lock-now = Lock
working = Please wait…
first-run-new = Start afresh
first-run-restore = Restore from a backup
first-run-restore-intro = If this laptop's Saite data is in a backup (on a USB stick, say), restore it here. Then sign in to the server: changes not sent yet go to the office, and nothing is doubled.
first-run-restore-found = Backups found
first-run-restore-none = No backup was found on the USB sticks, in Documents or in Downloads. Insert the stick and search again, or type the file's path.
first-run-restore-search = Search again
first-run-restore-item = { $time } · { $size }
first-run-restore-path = Backup file (path)
first-run-restore-passphrase = Backup passphrase
first-run-restore-passphrase-hint = Once restored, the data on this laptop opens with this same passphrase; it can be changed in Settings.
first-run-restore-submit = Restore
first-run-restored = The data is restored. Sign in to the server to send the changes not sent yet.
