# Сохранение в файл: списки с их фильтрами, контактные лица в формате vCard.

# Столбец суммы числового поля в сохранённом списке («Участники по целевым группам: всего»).
export-column-total = всего
export-list = Сохранить список
export-vcard = vCard (контакты)
export-progress = Сохранено { $done } из { $total }
export-cancel = Отменить
# Нижний колонтитул каждой страницы PDF.
pdf-footer = Saite · { $stamp } · страница { $page } из { $pages }
