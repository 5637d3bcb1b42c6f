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
settings-auto-lock = Автоматическая блокировка
settings-auto-lock-hint = Если компьютером не пользуются указанное время, Saite блокируется и запрашивает пароль.
auto-lock-never = Никогда
auto-lock-after = { $minutes ->
    [one] Через { $minutes } минуту
    [few] Через { $minutes } минуты
    [many] Через { $minutes } минут
   *[other] Через { $minutes } минуты
}
settings-auto-lock-saved = Сохранено.
settings-passphrase = Пароль
settings-passphrase-current = Текущий пароль
settings-passphrase-new = Новый пароль
settings-passphrase-submit = Сменить пароль
settings-passphrase-changed = Пароль изменён.
settings-demo = Демонстрационные данные
settings-demo-hint = Примеры из публикаций организации: семинары, учреждения, кампании и материалы.
settings-demo-load = Загрузить демонстрационные данные
settings-demo-loaded = { $count ->
    [one] Загружена { $count } запись.
    [few] Загружено { $count } записи.
    [many] Загружено { $count } записей.
   *[other] Загружено { $count } записи.
}
settings-demo-already = Демонстрационные данные уже загружены.
settings-about = Об организации
settings-about-hint = Телефон доверия и адрес офиса, которые видят все пользователи этого компьютера.
settings-hotline = Телефон доверия
settings-office-address = Адрес офиса
settings-about-save = Сохранить
settings-about-saved = Сохранено.
copied = Скопировано
settings-user-name = Ваше имя
settings-user-name-hint = Отображается в истории записей и как ответственный за новые последующие действия.
filter-mine = Мои
settings-auto-lock-office = Офис разрешает не более { $max } мин. Этот компьютер заблокируется через { $minutes } мин бездействия.
settings-about-office = Офис задал телефон или адрес для всех компьютеров: где он их задал, на главной показаны данные офиса.
settings-backup = Резервная копия
settings-backup-hint = Все данные Saite на этом компьютере (записи, их история, приложенные файлы и ещё не отправленные изменения) в одном зашифрованном файле, например на флешке. Если компьютер пропал или был очищен, копию восстанавливают на новом компьютере с паролем резервной копии.
settings-backup-last = Последняя резервная копия: { $time }
settings-backup-never = На этом компьютере резервная копия ещё не создавалась.
settings-backup-place = Куда сохранить
settings-backup-removable = { $name } (флешка или внешний диск)
settings-backup-no-stick = Флешка не найдена. Копия на диске этого компьютера пропадёт вместе с ним: по возможности вставьте флешку.
settings-backup-other = Другая папка
settings-backup-other-path = Путь к папке, например /media/anna/FLESHKA
settings-backup-passphrase = Пароль резервной копии
settings-backup-passphrase-hint = Без него копию нельзя восстановить. Он может совпадать с паролем Saite.
settings-backup-submit = Создать резервную копию
settings-backup-made = Сохранено: { $path } ({ $size }; записей: { $records }; неотправленных изменений: { $unsynced }).
