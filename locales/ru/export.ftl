# Сохранение в файл: списки с их фильтрами, контактные лица в формате vCard.

# Столбец суммы числового поля в сохранённом списке («Участники по целевым группам: всего»).
export-column-total = всего
export-list = Сохранить список
export-pdf = PDF
export-vcard = vCard (контакты)
export-progress = Сохранено { $done } из { $total }
export-cancel = Отменить
# Нижний колонтитул каждой страницы PDF.
pdf-footer = Saite · { $stamp } · страница { $page } из { $pages }

# Печатные отчёты (PDF).
report-print-funder = Отчёт для финансирующей организации
printed-funder-title = Отчёт для финансирующей организации
printed-all-time = Все записи
printed-by-region = Мероприятия и участники по регионам
printed-events = Мероприятия
printed-organisations = Вовлечённые организации по видам
printed-materials = Распространённые материалы
printed-none = Нет.
seminar-print = Отчёт о семинаре
printed-seminar-participants = Участники по целевым группам
printed-seminar-organisations = Участвовавшие организации
