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
