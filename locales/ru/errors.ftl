# Errors, by stable error code (see ErrorCode in src-tauri/src/error.rs).
error-data-dir-in-use = Папку данных { $path } уже использует другое окно Saite. Закройте его или укажите другую папку.
error-data-dir-unusable = Папку данных { $path } нельзя использовать: { $reason }
error-no-default-data-dir = Домашняя папка пользователя неизвестна, поэтому нет папки данных по умолчанию. Укажите её параметром --data-dir.
error-preferences-unreadable = Не удалось прочитать файл настроек; используются настройки по умолчанию.
error-preferences-unwritable = Не удалось сохранить настройки: { $reason }
error-internal = Произошла непредвиденная ошибка. Данные не изменены.
error-startup-failed = Не удалось запустить Saite.
store-error-invalid = Некоторые поля нельзя сохранить; смотрите подсказки рядом с ними.
store-error-not-found = Запись не найдена. Возможно, она удалена.
store-error-wrong-passphrase = Неверный пароль.
store-error-empty-passphrase = Введите пароль.
store-error-already-exists = В этой папке данных уже есть данные Saite.
store-error-not-created = В этой папке данных ещё нет данных Saite.
store-error-key-file-damaged = Файл ключа повреждён или имеет неизвестный формат. Данные не изменены.
store-error-storage = Ошибка хранилища данных. Данные не изменены.
store-error-clock-drift = Часы этого компьютера сильно расходятся с часами других устройств. Проверьте дату и время.
store-error-merge-not-allowed = Эти записи нельзя объединить.
