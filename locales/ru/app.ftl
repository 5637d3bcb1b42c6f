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
nav-sync = Синхронизация
nav-settings = Настройки
home-heading = Здравствуйте!
home-intro = Семинары, учреждения, контактные лица, информационные материалы и кампании в одном месте — даже там, где нет интернета.
home-sections = Разделы
home-offline-note = Данные хранятся на этом компьютере. Связь с сервером офиса ещё не настроена.
