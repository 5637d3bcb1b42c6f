# What each section holds (home screen) and what it says while not built yet.
section-seminars-summary = Семинары, круглые столы и обучения: где, когда, кто участвовал и о чём договорились.
section-organisations-summary = Учреждения, с которыми вы сотрудничаете, и их контактные лица.
section-materials-summary = Информационные материалы, их языковые версии, запасы и распространение.
section-campaigns-summary = Кампании и проекты: сроки, финансирующие организации, мероприятия и материалы.
section-reports-summary = Цифры для финансирующих организаций: обученные участники, мероприятия по регионам, распространённые материалы.
section-sync-summary = Обмен данными с сервером офиса при наличии связи.
section-settings-summary = Язык интерфейса и папка данных.
section-not-ready-title = Этот раздел ещё в разработке
section-reports-not-ready = В этой версии Saite отчёты пока недоступны. Они появятся в одной из следующих версий.
