use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unic_langid::LanguageIdentifier;

/// A language the interface is available in.
///
/// Invariant: the order of [`Locale::ALL`] is the order shown to users (Latvian first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
#[ts(rename_all = "lowercase")]
pub enum Locale {
    /// Latvian: the default and the fallback for missing translations.
    #[default]
    Lv,
    Ru,
    En,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown locale {0:?}; expected one of lv, ru, en")]
pub struct UnknownLocale(pub String);

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Lv, Locale::Ru, Locale::En];
    pub const FALLBACK: Locale = Locale::Lv;

    /// The BCP 47 tag, which is also the folder name under `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Lv => "lv",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn language_identifier(self) -> LanguageIdentifier {
        self.tag().parse().expect("static tags are valid BCP 47")
    }

    /// An ISO date (`2012-11-09`) as this language writes it: 09.11.2012 in Latvian and
    /// Russian, 09/11/2012 in English (day first, as in Latvia), as the UI's
    /// `formatDate` does. Anything else comes back as it is.
    pub fn date(self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        match parts[..] {
            [y, m, d]
                if y.len() == 4
                    && m.len() == 2
                    && d.len() == 2
                    && iso.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
            {
                let separator = if self == Locale::En { '/' } else { '.' };
                format!("{d}{separator}{m}{separator}{y}")
            }
            _ => iso.to_owned(),
        }
    }

    /// A whole number with its thousands grouped as this language groups them: by a
    /// no-break space in Latvian and Russian (12 345), by a comma in English (12,345).
    pub fn integer(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let separator = if self == Locale::En { ',' } else { '\u{a0}' };
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(d);
        }
        if n < 0 { format!("-{out}") } else { out }
    }
}

impl std::str::FromStr for Locale {
    type Err = UnknownLocale;

    /// Accepts a bare tag or a system locale such as `ru_RU.UTF-8` or `en-GB`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.split(['-', '_', '.']).next().unwrap_or_default().to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary).ok_or_else(|| UnknownLocale(s.to_owned()))
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_system_locales() {
        assert_eq!("lv".parse(), Ok(Locale::Lv));
        assert_eq!("ru_RU.UTF-8".parse(), Ok(Locale::Ru));
        assert_eq!("en-GB".parse(), Ok(Locale::En));
        assert_eq!("EN".parse(), Ok(Locale::En));
        assert!("de".parse::<Locale>().is_err());
        assert!("".parse::<Locale>().is_err());
    }

    #[test]
    fn dates_and_numbers_as_each_language_writes_them() {
        assert_eq!(Locale::Lv.date("2012-11-09"), "09.11.2012");
        assert_eq!(Locale::Ru.date("2012-11-09"), "09.11.2012");
        assert_eq!(Locale::En.date("2012-11-09"), "09/11/2012");
        assert_eq!(Locale::Lv.date("09.11.2012"), "09.11.2012", "not ISO: as it is");
        assert_eq!(Locale::Lv.integer(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(Locale::En.integer(-12_345), "-12,345");
        assert_eq!(Locale::Ru.integer(411), "411");
    }
}
