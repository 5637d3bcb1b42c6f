# The application shell: window, navigation, home screen.
app-title = Saite
app-tagline = Учёт профилактической работы
app-loading = Загрузка…
nav-label = Разделы
nav-home = Главная
nav-seminars = Семинары
nav-organisations = Организации и контакты
nav-materials = Материалы
nav-campaigns = Кампании
nav-reports = Отчёты
nav-hotline = Телефон доверия
nav-sync = Синхронизация
nav-settings = Настройки
nav-admin = Администрирование
home-heading = Здравствуйте!
home-intro = Семинары, учреждения, контактные лица, информационные материалы и кампании в одном месте — даже там, где нет интернета.
home-sections = Разделы
home-offline-note = Данные хранятся на этом компьютере. Связь с сервером офиса ещё не настроена.
home-data-here = Данные хранятся на этом компьютере и синхронизируются с сервером офиса:
home-last-sync = (последний раз { $when })
home-unsynced-reminder = Изменения с { $date } есть только на этом компьютере: они не отправлены в офис и не сохранены в резервной копии. Синхронизируйте или создайте резервную копию.
home-unsynced-backup = Создать резервную копию
reminder-follow-ups-title = { $count ->
    [one] Saite: { $count } дальнейшее действие на сегодня или просрочено
    [few] Saite: { $count } дальнейших действия на сегодня или просрочены
   *[other] Saite: { $count } дальнейших действий на сегодня или просрочены
}
reminder-follow-ups-body = Откройте Saite, чтобы их увидеть (Семинары → Дальнейшие действия).
nav-follow-ups-due = Дальнейшие действия на сегодня или просроченные: { $count }
