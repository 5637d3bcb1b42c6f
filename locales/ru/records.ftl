# Record screens: lists, pages, forms, search, trash.
new-seminar = Новый семинар
new-organisation = Новая организация
new-person = Новое контактное лицо
new-material = Новый материал
new-distribution = Новое распространение
new-campaign = Новая кампания или проект
new-follow-up = Новое последующее действие
new-hotline-contact = Новое обращение на телефон доверия
new-funder = Новая финансирующая сторона
action-save = Сохранить
action-cancel = Отменить
action-edit = Изменить
action-delete = Удалить
action-restore = Восстановить
action-back = Назад
action-add = Добавить
action-remove = Убрать
action-open = Открыть
action-copy = Копировать
form-refused = Запись нельзя сохранить: исправьте отмеченные поля. Введённое не потеряно.
form-unsaved-confirm = Есть несохранённые изменения. Отбросить их?
form-required-note = * обязательное поле
date-placeholder = дд.мм.гггг
time-placeholder = чч:мм
choose-none = — не выбрано —
yes = Да
no = Нет
list-empty = Записей пока нет.
list-first-sync = Первая синхронизация ещё загружает записи из офиса. Они появляются здесь, как только сохранены на этом компьютере.
list-arriving = Ещё поступают из офиса…
filter-any = Все
filter-region = Регион
filter-year = Год
deleted-note = Эта запись в корзине.
history-heading = История
history-deleted = перемещено в корзину
history-restored = восстановлено
history-times = Время — когда изменение сделано (по часам компьютера); «в офисе» — когда оно дошло до сервера офиса.
history-arrived = в офисе { $when }
search-label = Искать везде
search-placeholder = Искать… (Ctrl+K)
search-no-results = Ничего не найдено.
trash-heading = Корзина
trash-empty = Корзина пуста.
nav-trash = Корзина
duplicates-warning = Возможно, эта запись уже есть:
duplicates-reason-name = такое же название
duplicates-reason-phone = такой же телефон
duplicates-reason-email = такая же эл. почта
related-organisation = Участвующие учреждения
related-person = Контактные лица
related-seminar = Мероприятия
related-follow-up = Последующие действия
related-distribution = Распространение
related-none = Нет.
picker-search = Искать, чтобы добавить…
on-hand = Экземпляров в наличии
participants-total = Всего участников
list-count = { $count ->
    [one] { $count } запись
    [few] { $count } записи
    [many] { $count } записей
   *[other] { $count } записи
}
tab-seminar = Семинары
tab-follow-up = Последующие действия
tab-organisation = Организации
tab-person = Контактные лица
tab-material = Каталог
tab-distribution = Журнал распространения
tab-campaign = Кампании и проекты
tab-hotline-contact = Обращения на телефон доверия
tab-funder = Финансирующие стороны
related-speakers = Лекторы и контактные лица
seminar-role-label = Роль
hand-out-material = Раздать материал
hand-out-many = Раздать нескольким организациям
hand-out-heading = Распространение в несколько организаций
hand-out-quantity = Экземпляров каждой организации
hand-out-recipients = Получатели
hand-out-add-matching = { $count ->
    [one] Добавить { $count } выбранную
    [few] Добавить все { $count } выбранные
   *[other] Добавить все { $count } выбранных
}
hand-out-none = Получатели ещё не выбраны: добавьте их по одному или все одного вида и региона.
hand-out-no-recipients = Выберите хотя бы одного получателя.
hand-out-clear = Убрать всех получателей
merge-heading = Объединить дубликаты
merge-hint = Если одна и та же запись введена дважды, выберите вторую: её связи и история перейдут к этой записи, а вторая попадёт в корзину.
merge-action = Объединить с этой
stock-warning = В наличии только { $onHand } экз.; после этого распространения остаток станет отрицательным.
stock-confirm = Остаток станет отрицательным. Всё равно сохранить?
filter-open = Только невыполненные
overdue = просрочено
merge-compare-caption = Присоединение «{ $other }» к «{ $kept }»
merge-compare-field = Поле
merge-compare-kept = Эта запись (остаётся)
merge-compare-removed = Другая запись (в корзину)
merge-compare-result = После объединения
merge-compare-changed = дополнено
merge-moved-references = Связанные записи, которые перейдут к этой записи: { $count }
campaign-totals = { $seminars ->
    [one] { $seminars } мероприятие
    [few] { $seminars } мероприятия
    [many] { $seminars } мероприятий
   *[other] { $seminars } мероприятия
}, { $participants ->
    [one] { $participants } участник
    [few] { $participants } участника
    [many] { $participants } участников
   *[other] { $participants } участника
}
attachments-heading = Вложения
attachments-add = Добавить файлы
attachments-none = Нет вложений.
attachment-size = { $kb } КБ
material-versions-heading = Языковые версии
material-version-add = Добавить версию (файл)
field-material-version-language = Язык
related-material = Материалы
related-campaign = Кампании и проекты
related-hotline-contact = Обращения на телефон доверия, направленные сюда
related-funder = Финансирующие стороны
file-state-waiting-to-upload = На этом компьютере; будет отправлен
file-state-on-this-laptop = На этом компьютере и на сервере
file-state-on-server = На сервере; загрузится при открытии
file-state-downloading = Загружено { $kb } КБ; продолжится
file-state-fetching = Загрузка…
