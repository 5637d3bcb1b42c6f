# Settings screen.
settings-heading = Iestatījumi
settings-language = Valoda
settings-language-hint = Saskarnes valoda. Izvēle saglabājas arī pēc programmas aizvēršanas.
settings-language-saved = Valoda saglabāta.
language-lv = Latviešu
language-ru = Русский
language-en = English
settings-data-dir = Datu mape
settings-data-dir-source = { $source ->
    [flag] norādīta ar parametru --data-dir
    [environment] norādīta ar mainīgo SAITE_DATA_DIR
   *[os-default] operētājsistēmas noklusētā mape
}
settings-version = Versija
