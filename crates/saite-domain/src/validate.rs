//! Validation rules shared by every write: each failure names the field and carries a
//! stable code the UI translates (`validation-<code>` in `locales/*/validation.ftl`).

use serde::{Deserialize, Serialize};
use time::{Date, macros::format_description};
use ts_rs::TS;

use crate::reference::{CodeList, ReferenceData};

/// Why a field's value was refused. Codes are stable: never renamed or reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ValidationCode {
    Required,
    TooLong,
    TooMany,
    InvalidEmail,
    InvalidPhone,
    NegativeCount,
    MustBePositive,
    InvalidDate,
    EndBeforeStart,
    UnknownCode,
    UnknownReference,
    InvalidValue,
    MissingSubject,
    InvalidChecksum,
    TooLarge,
    InvalidTime,
    /// A name that matches more than one record (an import's organisation column).
    AmbiguousReference,
}

impl ValidationCode {
    pub const ALL: [ValidationCode; 17] = [
        ValidationCode::Required,
        ValidationCode::TooLong,
        ValidationCode::TooMany,
        ValidationCode::InvalidEmail,
        ValidationCode::InvalidPhone,
        ValidationCode::NegativeCount,
        ValidationCode::MustBePositive,
        ValidationCode::InvalidDate,
        ValidationCode::EndBeforeStart,
        ValidationCode::UnknownCode,
        ValidationCode::UnknownReference,
        ValidationCode::InvalidValue,
        ValidationCode::MissingSubject,
        ValidationCode::InvalidChecksum,
        ValidationCode::TooLarge,
        ValidationCode::InvalidTime,
        ValidationCode::AmbiguousReference,
    ];

    pub fn message_id(self) -> String {
        let v = serde_json::to_value(self).expect("codes serialise");
        format!("validation-{}", v.as_str().expect("string"))
    }
}

/// One refused field. `field` is the JSON path of the value (`participants.youth`,
/// `phones.1`), so the UI can show the message beside the right input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    pub field: String,
    pub code: ValidationCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ValidationCode) -> FieldError {
        FieldError { field: field.into(), code }
    }
}

/// Collects the errors of one record.
#[derive(Debug, Default)]
pub struct Checker {
    pub errors: Vec<FieldError>,
}

/// Text limits: short fields are names and titles; long ones are notes.
pub const SHORT_TEXT_MAX: usize = 300;
pub const LONG_TEXT_MAX: usize = 200_000;
pub const LIST_MAX: usize = 50;

impl Checker {
    pub fn fail(&mut self, field: impl Into<String>, code: ValidationCode) {
        self.errors.push(FieldError::new(field, code));
    }

    pub fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, ValidationCode::Required);
        } else {
            self.max_len(field, value, SHORT_TEXT_MAX);
        }
    }

    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, ValidationCode::TooLong);
        }
    }

    pub fn short(&mut self, field: &str, value: &str) {
        self.max_len(field, value, SHORT_TEXT_MAX);
    }

    pub fn long(&mut self, field: &str, value: &str) {
        self.max_len(field, value, LONG_TEXT_MAX);
    }

    pub fn list_len<T>(&mut self, field: &str, items: &[T]) {
        if items.len() > LIST_MAX {
            self.fail(field, ValidationCode::TooMany);
        }
    }

    pub fn code(&mut self, field: &str, list: CodeList, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, ValidationCode::Required);
        } else if !ReferenceData::shipped().contains(list, value) {
            self.fail(field, ValidationCode::UnknownCode);
        }
    }

    pub fn optional_code(&mut self, field: &str, list: CodeList, value: Option<&str>) {
        if let Some(v) = value {
            self.code(field, list, v);
        }
    }

    pub fn non_negative(&mut self, field: &str, value: i64) {
        if value < 0 {
            self.fail(field, ValidationCode::NegativeCount);
        }
    }

    pub fn positive(&mut self, field: &str, value: i64) {
        if value <= 0 {
            self.fail(field, ValidationCode::MustBePositive);
        }
    }

    /// A required date; returns it parsed for order checks.
    pub fn date(&mut self, field: &str, value: &str) -> Option<Date> {
        if value.trim().is_empty() {
            self.fail(field, ValidationCode::Required);
            return None;
        }
        let parsed = parse_date(value);
        if parsed.is_none() {
            self.fail(field, ValidationCode::InvalidDate);
        }
        parsed
    }

    pub fn optional_date(&mut self, field: &str, value: Option<&str>) -> Option<Date> {
        value.and_then(|v| self.date(field, v))
    }

    /// A time of day, `HH:MM` (00:00 to 23:59).
    pub fn optional_time(&mut self, field: &str, value: Option<&str>) {
        if let Some(v) = value
            && !is_time_of_day(v)
        {
            self.fail(field, ValidationCode::InvalidTime);
        }
    }

    pub fn date_order(&mut self, end_field: &str, start: Option<Date>, end: Option<Date>) {
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.fail(end_field, ValidationCode::EndBeforeStart);
        }
    }

    pub fn emails(&mut self, field: &str, values: &[String]) {
        self.list_len(field, values);
        for (i, v) in values.iter().enumerate() {
            if !is_email(v) {
                self.fail(format!("{field}.{i}"), ValidationCode::InvalidEmail);
            }
        }
    }

    pub fn phones(&mut self, field: &str, values: &[String]) {
        self.list_len(field, values);
        for (i, v) in values.iter().enumerate() {
            if normalize_phone(v).is_none() {
                self.fail(format!("{field}.{i}"), ValidationCode::InvalidPhone);
            }
        }
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}

/// Dates are ISO `YYYY-MM-DD` on the wire and in the store; the UI shows 09.11.2012.
pub fn parse_date(value: &str) -> Option<Date> {
    Date::parse(value, format_description!("[year]-[month]-[day]")).ok()
}

/// Whether `value` is a time of day written `HH:MM`, from 00:00 to 23:59.
pub fn is_time_of_day(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && [b[0], b[1], b[3], b[4]].iter().all(u8::is_ascii_digit)
        && (b[0] - b'0') * 10 + (b[1] - b'0') < 24
        && b[3] < b'6'
}

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no
/// spaces, at most 254 characters. Deliverability is not checked.
pub fn is_email(value: &str) -> bool {
    let v = value.trim();
    if v.len() > 254 || v.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = v.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A phone number in E.164 form (`+37128612120`), or `None` when it is not one.
///
/// Accepts spaces, dashes, dots and parentheses; a bare 8-digit Latvian number (mobile
/// 2xxxxxxx, landline 6xxxxxxx, toll-free 8xxxxxxx) gets +371; `00` becomes `+`.
pub fn normalize_phone(value: &str) -> Option<String> {
    let v = value.trim();
    let (plus, rest) = if let Some(r) = v.strip_prefix('+') {
        (true, r)
    } else if let Some(r) = v.strip_prefix("00") {
        (true, r)
    } else {
        (false, v)
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => return None,
        }
    }
    if plus {
        (8..=15).contains(&digits.len()).then(|| format!("+{digits}"))
    } else if digits.len() == 8 && matches!(digits.as_bytes()[0], b'2' | b'6' | b'8') {
        Some(format!("+371{digits}"))
    } else if digits.len() == 11 && digits.starts_with("371") {
        Some(format!("+{digits}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn phones_normalise_to_e164() {
        assert_eq!(normalize_phone("+371 28612120").as_deref(), Some("+37128612120"));
        assert_eq!(normalize_phone("28 612 12").as_deref(), None, "7 digits");
        assert_eq!(normalize_phone("2861 2120").as_deref(), Some("+37128612120"));
        assert_eq!(normalize_phone("(+371) 6540-1234"), None, "parenthesised plus is not a prefix");
        assert_eq!(normalize_phone("0044 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(normalize_phone("371 28612120").as_deref(), Some("+37128612120"));
        assert_eq!(normalize_phone("12345678"), None, "not a Latvian prefix");
        assert_eq!(normalize_phone("phone"), None);
        assert_eq!(normalize_phone(""), None);
    }

    proptest! {
        /// Exactly the 1 440 minutes of a day, written `HH:MM`, are times of day.
        #[test]
        fn a_time_of_day_is_hh_mm_within_a_day(h in 0u32..30, m in 0u32..70, text in ".{0,7}") {
            prop_assert_eq!(is_time_of_day(&format!("{h:02}:{m:02}")), h < 24 && m < 60);
            let strict = text.split_once(':').is_some_and(|(h, m)| {
                let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
                two_digits(h) && two_digits(m) && h.parse::<u32>().unwrap() < 24 && m.parse::<u32>().unwrap() < 60
            });
            prop_assert_eq!(is_time_of_day(&text), strict);
        }
    }

    #[test]
    fn emails() {
        assert!(is_email("info@patverums-dm.lv"));
        assert!(is_email(" a.b@c.lv "));
        for bad in ["", "a", "a@", "@b.lv", "a@b", "a@@b.lv", "a b@c.lv", "a@.lv", "a@b..lv"] {
            assert!(!is_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn dates_are_iso_and_real() {
        assert!(parse_date("2012-11-09").is_some());
        assert!(parse_date("2012-02-30").is_none());
        assert!(parse_date("09.11.2012").is_none());
        let mut c = Checker::default();
        let s = c.date("date", "2012-11-09");
        let e = c.optional_date("endDate", Some("2012-11-08"));
        c.date_order("endDate", s, e);
        assert_eq!(c.errors, vec![FieldError::new("endDate", ValidationCode::EndBeforeStart)]);
    }

    #[test]
    fn checker_names_the_failing_list_item() {
        let mut c = Checker::default();
        c.emails("emails", &["ok@x.lv".into(), "nope".into()]);
        c.phones("phones", &["+37128612120".into(), "abc".into()]);
        c.non_negative("participants.youth", -1);
        c.code("kind", CodeList::EventKind, "picnic");
        c.required("title", "   ");
        assert_eq!(
            c.finish().unwrap_err(),
            vec![
                FieldError::new("emails.1", ValidationCode::InvalidEmail),
                FieldError::new("phones.1", ValidationCode::InvalidPhone),
                FieldError::new("participants.youth", ValidationCode::NegativeCount),
                FieldError::new("kind", ValidationCode::UnknownCode),
                FieldError::new("title", ValidationCode::Required),
            ]
        );
    }

    #[test]
    fn every_code_has_a_message_in_every_locale() {
        let catalogue = saite_i18n::Catalogue::embedded();
        for code in ValidationCode::ALL {
            for locale in saite_i18n::Locale::ALL {
                assert!(catalogue.has_message(locale, &code.message_id()), "{} in {locale}", code.message_id());
            }
        }
    }

    proptest! {
        #[test]
        fn normalised_phones_are_e164_and_stable(s in "[+0-9 ()\\-.]{0,20}") {
            if let Some(p) = normalize_phone(&s) {
                prop_assert!(p.starts_with('+'));
                prop_assert!(p[1..].chars().all(|c| c.is_ascii_digit()));
                prop_assert!((9..=16).contains(&p.len()));
                prop_assert_eq!(normalize_phone(&p), Some(p.clone()), "normalising twice changes nothing");
            }
        }

        #[test]
        fn valid_emails_have_one_at_and_no_spaces(s in "\\PC{0,40}") {
            if is_email(&s) {
                prop_assert_eq!(s.trim().matches('@').count(), 1);
                prop_assert!(!s.trim().contains(' '));
            }
        }

        #[test]
        fn generated_iso_dates_parse(y in 1900i32..2100, m in 1u8..=12, d in 1u8..=28) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            let parsed = parse_date(&text);
            prop_assert!(parsed.is_some());
        }
    }
}
