# Sync: the Sync screen, the status-bar indicator and the first-run connect step.
sync-heading = Синхронизация
sync-intro = Saite обменивается данными с сервером офиса сама: вскоре после каждого изменения, каждые несколько минут и как только возвращается связь. Без связи можно работать как обычно.
# The status in one line (indicator and screen).
sync-state-locked = Данные заблокированы
sync-state-local-only = Только на этом компьютере
sync-state-syncing = Синхронизация…
sync-state-verified = Проверено: синхронизировано
sync-state-repaired = Проверено: синхронизировано (расхождение исправлено)
sync-state-pending = { $count ->
    [one] { $count } запись ждёт отправки
    [few] { $count } записи ждут отправки
   *[other] { $count } записей ждут отправки
}
sync-state-changed-meanwhile = Данные изменились во время синхронизации; проверка скоро повторится
sync-state-mismatch = Данные расходятся с сервером
sync-state-not-yet = Ещё не синхронизировано
# Failures in a few words (the indicator); the Sync screen gives the full message.
sync-short-offline = Нет связи
sync-short-server-unreachable = Сервер не отвечает
sync-short-signed-out = Нужно войти снова
sync-short-bad-credentials = Неверные данные для входа
sync-short-too-many-attempts = Слишком много попыток
sync-short-bad-server-address = Неверный адрес сервера
sync-short-app-too-old = Обновите Saite
sync-short-server-too-old = Нужно обновить сервер
sync-short-server-refused = Сервер отклонил изменение
sync-short-mass-delete = Подтвердите удаление
sync-short-local-store = Ошибка хранилища данных
sync-short-clock-ahead = Часы компьютера спешат
sync-clock-ahead = Часы этого компьютера спешат на { $amount } относительно сервера офиса. Установите правильные дату и время в настройках компьютера. До тех пор ничего не теряется: при отправке Saite отмечает изменения по времени сервера.
sync-clock-behind = Часы этого компьютера отстают на { $amount } от сервера офиса. Установите правильные дату и время в настройках компьютера: до тех пор ваши правки могут считаться более старыми, чем правки коллег, сделанные в то же время.
sync-clock-minutes = { $count ->
    [one] { $count } минуту
    [few] { $count } минуты
   *[other] { $count } минут
}
sync-clock-hours = { $count ->
    [one] { $count } час
    [few] { $count } часа
   *[other] { $count } часов
}
sync-clock-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[other] { $count } дней
}
sync-open = Открыть синхронизацию
sync-never-succeeded = Успешной синхронизации ещё не было.
sync-pending-none = Все изменения отправлены.
# A running round, counted in records (as the pending count): what it does now.
sync-sending = Отправлено { $done } из { $total ->
    [one] { $total } записи
   *[other] { $total } записей
}
sync-receiving = Получено { $done } из { $total ->
    [one] { $total } записи
   *[other] { $total } записей
}
sync-receiving-uncounted = Получение записей из офиса…
sync-checking = Проверка: совпадают ли данные с сервером офиса…
sync-files = Загрузка вложений…
sync-progress-bytes = передано { $size }
sync-next-attempt = Saite попробует снова { $when }.
sync-trying-now = Saite пробует снова сейчас.
sync-waits-for-you = Saite больше не пытается сама: сначала сделайте то, что сказано выше.
sync-now = Синхронизировать сейчас
sync-repulled = Найдено расхождение с сервером; Saite сама загрузила заново: { $collections }.
sync-mismatched = После повторной загрузки всё ещё расходится: { $collections }. Если это повторяется, свяжитесь с офисом.
# The account.
sync-account-heading = Сервер
sync-server-label = Адрес сервера
sync-email-label = Электронная почта
sync-password-label = Пароль
sync-organisation-label = Организация
sync-connect-heading = Подключиться к серверу офиса
sync-connect-intro = Введите адрес сервера офиса, свою электронную почту и пароль. Пароль не сохраняется: компьютер получает собственный ключ, который хранится зашифрованным вместе с данными.
sync-connect-submit = Подключиться
sync-connecting = Подключение…
sync-connected = Подключено. Все записи, введённые на этом компьютере, будут отправлены на сервер.
sync-connect-skip = Пока работать только на этом компьютере
sync-local-only-hint = Пока данные есть только на этом компьютере. При подключении к серверу все уже введённые записи будут отправлены на него.
sync-disconnect = Отключиться от сервера
sync-disconnect-confirm = Отключиться от сервера? Данные останутся на этом компьютере, но не будут синхронизироваться, пока вы не подключитесь снова.
# The mass-delete question.
sync-mass-delete-heading = Подтвердить удаление?
sync-mass-delete-text = На сервере { $records } из { $of } записей ({ $collection }) перемещены в корзину. Это может быть ошибкой, например случайным массовым удалением на другом компьютере. На этом компьютере ничего не удалено, пока вы не подтвердите.
sync-mass-delete-allow = Подтверждаю удаление
sync-mass-delete-unsure = Если не уверены, свяжитесь с офисом, прежде чем подтверждать. До тех пор синхронизация приостановлена.
# The lost-laptop policy.
sync-policy-heading = Если компьютер потерян
sync-policy-hint = Если офис отметит этот компьютер как потерянный, Saite уничтожит данные на нём при следующей синхронизации. Можно также уничтожать данные, если компьютер заданное число дней не связывался с сервером. Данные на сервере сохраняются; ещё не отправленные изменения теряются.
sync-policy-never = Не уничтожать без сообщения офиса
sync-policy-days = Через { $days } дней без связи с сервером
sync-policy-saved = Сохранено.
sync-last-contact = Последняя связь с сервером: { $when }
# Collections, as named in sync messages.
sync-collection-seminar = семинары
sync-collection-organisation = организации
sync-collection-person = контактные лица
sync-collection-material = материалы
sync-collection-material-version = версии материалов
sync-collection-distribution = записи о распространении
sync-collection-campaign = кампании и проекты
sync-collection-follow-up = дальнейшие действия
sync-collection-attachment = вложения
sync-collection-seminar-organisation = организации семинаров
sync-collection-seminar-person = контактные лица семинаров
sync-collection-material-campaign = связи материалов с кампаниями
sync-collection-hotline-contact = обращения на телефон доверия
sync-collection-funder = финансирующие стороны
sync-collection-campaign-funder = связи кампаний с финансирующими сторонами
sync-pending-label = Неотправленные записи
sync-last-success-label = Последняя успешная синхронизация
sync-failure-summary = Техническая информация
sync-state-conflicts = { $count ->
    [one] { $count } текст ждёт вашего выбора
    [few] { $count } текста ждут вашего выбора
   *[other] { $count } текстов ждут вашего выбора
}
# Two versions of a long text (notes) edited in the same lines on two laptops.
conflict-heading = Две версии поля «{ $field }»
conflict-record = запись
conflict-intro = Этот текст одновременно изменён на этом и на другом компьютере в одних и тех же строках. Пока везде видна ваша версия; другая хранится здесь и в истории. Выберите одну или объедините их.
conflict-mine = Ваша версия
conflict-theirs = Версия другого компьютера
conflict-keep-mine = Оставить мою
conflict-keep-theirs = Оставить другую
conflict-combined = Объединённый текст (строки обеих версий, ваши первыми)
conflict-save-combined = Сохранить объединённый
sync-download-heading = Загрузка вложений
sync-download-hint = Небольшие вложения загружаются при каждой синхронизации, чтобы быть доступными и без связи; большие — только когда вы их открываете.
sync-download-when-opened = Только при открытии
sync-download-up-to = До { $mb } МБ сразу, большие при открытии
sync-download-all = Все сразу
sync-policy-office = Правило офиса: через { $office } { $office ->
    [one] день
    [few] дня
   *[other] дней
}. Действует более строгое: данные будут уничтожены через { $days } { $days ->
    [one] день
    [few] дня
   *[other] дней
} без связи с сервером.
