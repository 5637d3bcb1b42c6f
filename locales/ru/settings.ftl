# Settings screen.
settings-heading = Настройки
settings-language = Язык
settings-language-hint = Язык интерфейса. Выбор сохраняется и после закрытия программы.
settings-language-saved = Язык сохранён.
language-lv = Latviešu
language-ru = Русский
language-en = English
settings-data-dir = Папка данных
settings-data-dir-source = { $source ->
    [flag] задана параметром --data-dir
    [environment] задана переменной SAITE_DATA_DIR
   *[os-default] папка операционной системы по умолчанию
}
settings-version = Версия
