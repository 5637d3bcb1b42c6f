# Why a field's value was refused (ValidationCode in crates/saite-domain/src/validate.rs).
validation-required = This field is required.
validation-too-long = The text is too long.
validation-too-many = Too many entries.
validation-invalid-email = That is not a valid e-mail address.
validation-invalid-phone = That is not a valid phone number (for example +371 2861 2120).
validation-negative-count = A count cannot be negative.
validation-must-be-positive = The number must be greater than zero.
validation-invalid-date = That is not a valid date.
validation-end-before-start = The end date is before the start date.
validation-unknown-code = Unknown value; choose one from the list.
validation-unknown-reference = The linked record was not found.
validation-invalid-value = Invalid value.
validation-missing-subject = Name a seminar, an organisation or a person.
validation-invalid-checksum = The file checksum is not valid.
validation-too-large = The file is too large (50 MiB at most).
validation-invalid-time = Write the time as hours and minutes, for example 14:30.
validation-ambiguous-reference = Several records have this name; leave the cell empty and link the record after the import.
