# Errors, by stable error code (see ErrorCode in src-tauri/src/error.rs).
error-data-dir-in-use = Папку данных { $path } уже использует другое окно Saite. Закройте его или укажите другую папку.
error-data-dir-unusable = Папку данных { $path } нельзя использовать: { $reason }
error-no-default-data-dir = Домашняя папка пользователя неизвестна, поэтому нет папки данных по умолчанию. Укажите её параметром --data-dir.
error-preferences-unreadable = Не удалось прочитать файл настроек; используются настройки по умолчанию.
error-preferences-unwritable = Не удалось сохранить настройки: { $reason }
error-internal = Произошла непредвиденная ошибка. Данные не изменены.
error-startup-failed = Не удалось запустить Saite.
