# The Reports section: figures counted from the records on this laptop.
report-figure-events = Мероприятия и участники
report-figure-events-summary = Семинары, круглые столы, тренинги и другие мероприятия, их участники по целевым группам.
report-by = Группировать по
report-by-year = году
report-by-quarter = кварталу
report-by-region = региону
report-by-municipality = самоуправлению
report-by-kind = виду мероприятия
report-by-campaign = кампании
report-by-target-group = целевой группе
report-from = С
report-to = По
report-target-group = Целевая группа
report-filters = Фильтры
report-clear = Сбросить фильтры
report-date-invalid = Дату пишут как 09.11.2012.
report-column-key-year = Год
report-column-key-quarter = Квартал
report-column-key-region = Регион
report-column-key-municipality = Самоуправление
report-column-key-kind = Вид мероприятия
report-column-key-campaign = Кампания
report-column-key-target-group = Целевая группа
report-column-events = Мероприятия
report-column-participants = Участники
report-total = Всего
report-none = Не указано
report-no-campaign = Без кампании
report-quarter = { $quarter }-й квартал { $year } г.
report-empty = С этими фильтрами нет ни одного мероприятия.
report-nothing = Пока нет ни одного мероприятия для подсчёта. Отчёты строятся из записанных семинаров и других мероприятий.
report-events-count = { $count ->
    [one] { $count } мероприятие
    [few] { $count } мероприятия
    [many] { $count } мероприятий
   *[other] { $count } мероприятия
}
report-people-count = { $count ->
    [one] { $count } участник
    [few] { $count } участника
    [many] { $count } участников
   *[other] { $count } участника
}
report-chart = Диаграмма: { $title }. Числа — в таблице под ней.
report-open = Открыть записи, из которых сложено это число
report-loading = Подсчёт…
list-preset = Показаны записи, из которых сложено число отчёта.
list-preset-back = Назад к отчёту
list-preset-clear = Показать все
report-figure-distributions = Распространённые материалы
report-figure-distributions-summary = Сколько раз, сколько экземпляров и скольким организациям переданы материалы. Место и вид — организации-получателя.
report-by-organisation-kind = виду организации
report-by-material-kind = виду материала
report-by-material = материалу
report-column-key-organisation-kind = Вид организации
report-column-key-material-kind = Вид материала
report-column-key-material = Материал
report-column-distributions = Выдачи
report-column-copies = Экземпляры
report-column-recipients = Получатели
report-empty-distributions = С этими фильтрами не передано ни одного материала.
report-nothing-distributions = Пока не передано ни одного материала. Распространение записывают в разделе «Материалы».
report-distributions-count = { $count ->
    [one] { $count } выдача
    [few] { $count } выдачи
    [many] { $count } выдач
   *[other] { $count } выдачи
}
report-copies-count = { $count ->
    [one] { $count } экземпляр
    [few] { $count } экземпляра
    [many] { $count } экземпляров
   *[other] { $count } экземпляра
}
report-recipients-count = { $count ->
    [one] { $count } получатель
    [few] { $count } получателя
    [many] { $count } получателей
   *[other] { $count } получателя
}
export-table = Сохранить таблицу
export-csv = CSV
export-csv-excel-lv = CSV для Excel (;)
export-xlsx = XLSX (Excel)
export-saving = Сохранение…
export-saved = Сохранено: { $path }
export-open = Открыть
report-per-year = по годам
report-per-quarter = по кварталам
report-per-region = по регионам
report-per-municipality = по самоуправлениям
report-per-kind = по видам мероприятий
report-per-campaign = по кампаниям
report-per-target-group = по целевым группам
report-per-organisation-kind = по видам организаций
report-per-material-kind = по видам материалов
report-per-material = по материалам
report-figure-hotline = Телефон доверия
report-figure-hotline-summary = Сколько раз жители обращались на телефон доверия, по каким темам и каким способом. Регион — тот, который назвал звонивший.
report-by-topic = теме
report-by-channel = способу связи
report-column-key-topic = Тема
report-column-key-channel = Способ связи
report-column-contacts = Обращения
report-per-topic = по темам
report-per-channel = по способам связи
report-empty-hotline = С этими фильтрами нет ни одного обращения на телефон доверия.
report-nothing-hotline = Пока нет ни одного обращения на телефон доверия. Их записывают в разделе «Телефон доверия».
report-contacts-count = { $count ->
    [one] { $count } обращение
    [few] { $count } обращения
    [many] { $count } обращений
   *[other] { $count } обращения
}
report-figure-organisations = Организации-участники
report-figure-organisations-summary = Организации, участвовавшие в мероприятиях, по видам и местам; каждая считается один раз, сколько бы мероприятий она ни посетила. Фильтры мероприятий определяют, какие мероприятия учитываются, регион и вид — организации.
report-column-organisations = Организации
report-organisations-count = { $count ->
    [one] { $count } организация
    [few] { $count } организации
    [many] { $count } организаций
   *[other] { $count } организации
}
report-empty-organisations = С этими фильтрами ни одна организация не участвовала в мероприятиях.
report-nothing-organisations = Пока ни одна организация не добавлена к мероприятию. Участвующие учреждения добавляют на странице семинара.
report-column-key-funder = Финансирующая сторона
report-by-funder = финансирующей стороне
report-per-funder = по финансирующим сторонам
report-period = Период
report-period-all = Всё время
report-period-own = Свои даты
report-period-this-year = Этот год
report-period-last-year = Прошлый год
report-period-this-quarter = Этот квартал
report-period-last-quarter = Прошлый квартал
report-period-shown = Период: { $from ->
        [none] { $to ->
            [none] всё время
           *[other] до { $to }
        }
       *[other] { $to ->
            [none] с { $from }
           *[other] { $from }–{ $to }
        }
    }
