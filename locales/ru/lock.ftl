# First run (choosing a passphrase), unlocking and locking.
first-run-heading = Добро пожаловать в Saite!
first-run-intro = Все данные на этом компьютере будут зашифрованы. Выберите пароль: без него данные не сможете открыть ни вы, ни тот, кто найдёт этот компьютер.
first-run-warning = Забытый пароль восстановить нельзя. Запишите его в надёжном месте.
passphrase-label = Пароль
passphrase-confirm-label = Повторите пароль
passphrase-too-short = { $min ->
    [one] Пароль должен содержать не менее { $min } символа.
    [few] Пароль должен содержать не менее { $min } символов.
    [many] Пароль должен содержать не менее { $min } символов.
   *[other] Пароль должен содержать не менее { $min } символов.
}
passphrase-mismatch = Пароли не совпадают.
first-run-demo = Загрузить демонстрационные данные (примеры из публикаций организации)
first-run-submit = Начать работу
unlock-heading = Saite заблокирована
unlock-intro = Введите пароль, чтобы открыть данные.
unlock-submit = Разблокировать
lock-now = Заблокировать
working = Пожалуйста, подождите…
