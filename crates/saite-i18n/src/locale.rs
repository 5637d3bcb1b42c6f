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
}
