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
