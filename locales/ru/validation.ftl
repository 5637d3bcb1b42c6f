# Why a field's value was refused (ValidationCode in crates/saite-domain/src/validate.rs).
validation-required = Это поле обязательно.
validation-too-long = Текст слишком длинный.
validation-too-many = Слишком много записей.
validation-invalid-email = Это не действительный адрес электронной почты.
validation-invalid-phone = Это не действительный номер телефона (например, +371 2861 2120).
validation-negative-count = Количество не может быть отрицательным.
validation-must-be-positive = Количество должно быть больше нуля.
validation-invalid-date = Это не действительная дата.
validation-end-before-start = Дата окончания раньше даты начала.
validation-unknown-code = Неизвестное значение; выберите из списка.
validation-unknown-reference = Связанная запись не найдена.
validation-invalid-value = Недопустимое значение.
validation-missing-subject = Укажите семинар, организацию или человека.
validation-invalid-checksum = Контрольная сумма файла недействительна.
validation-too-large = Файл слишком большой (не более 50 МиБ).
validation-invalid-time = Время пишется как часы и минуты, например 14:30.
validation-ambiguous-reference = Такое название у нескольких записей; оставьте ячейку пустой и свяжите запись после импорта.
