use std::sync::OnceLock;

pub use fluent_bundle::{FluentArgs, FluentValue};
use fluent_bundle::{FluentResource, concurrent::FluentBundle};

use crate::{EMBEDDED_FTL, Locale};

/// One Fluent bundle per locale, built from `.ftl` sources.
///
/// Lookups fall back to Latvian ([`Locale::FALLBACK`]) when the chosen locale lacks a
/// message, and to the bare id when no locale has it, so a gap shows up as a visible id
/// rather than a crash. The audit keeps such gaps out of shipped builds.
pub struct Catalogue {
    bundles: Vec<(Locale, FluentBundle<FluentResource>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("locales/{lang}/{file} does not parse: {errors}")]
    Parse { lang: String, file: String, errors: String },
    #[error("locales/{lang}/{file} defines an id another file of that locale already defines: {errors}")]
    Duplicate { lang: String, file: String, errors: String },
    #[error("locales/{0} is not a locale Saite knows")]
    UnknownLocale(String),
}

impl Catalogue {
    /// The catalogue compiled into this binary.
    pub fn embedded() -> &'static Catalogue {
        static EMBEDDED: OnceLock<Catalogue> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Catalogue::from_sources(EMBEDDED_FTL).expect("shipped .ftl files parse (checked by the locale audit test)")
        })
    }

    /// Builds bundles from `(language tag, file name, contents)` triples.
    pub fn from_sources(sources: &[(&str, &str, &str)]) -> Result<Self, CatalogueError> {
        let mut bundles: Vec<(Locale, FluentBundle<FluentResource>)> = Vec::new();
        for &(lang, file, text) in sources {
            let locale: Locale = lang.parse().map_err(|_| CatalogueError::UnknownLocale(lang.to_owned()))?;
            let resource = FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| CatalogueError::Parse {
                lang: lang.to_owned(),
                file: file.to_owned(),
                errors: format!("{errors:?}"),
            })?;
            let index = match bundles.iter().position(|(l, _)| *l == locale) {
                Some(i) => i,
                None => {
                    let mut bundle = FluentBundle::new_concurrent(vec![locale.language_identifier()]);
                    // Bidi isolation marks (U+2068/U+2069) around placeables confuse window
                    // titles and text matching; Saite's languages are all left-to-right.
                    bundle.set_use_isolating(false);
                    bundles.push((locale, bundle));
                    bundles.len() - 1
                }
            };
            bundles[index].1.add_resource(resource).map_err(|errors| CatalogueError::Duplicate {
                lang: lang.to_owned(),
                file: file.to_owned(),
                errors: format!("{errors:?}"),
            })?;
        }
        Ok(Catalogue { bundles })
    }

    fn bundle(&self, locale: Locale) -> Option<&FluentBundle<FluentResource>> {
        self.bundles.iter().find(|(l, _)| *l == locale).map(|(_, b)| b)
    }

    /// Whether `locale` itself (without fallback) defines message `id`.
    pub fn has_message(&self, locale: Locale, id: &str) -> bool {
        self.bundle(locale).is_some_and(|b| b.has_message(id))
    }

    /// The text of message `id` in `locale`, formatted with `args`.
    pub fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
        for candidate in [locale, Locale::FALLBACK] {
            let Some(bundle) = self.bundle(candidate) else { continue };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else { continue };
            let mut errors = Vec::new();
            return bundle.format_pattern(pattern, args, &mut errors).into_owned();
        }
        id.to_owned()
    }

    /// The text of an argument-less message.
    pub fn message(&self, locale: Locale, id: &str) -> String {
        self.format(locale, id, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &[(&str, &str, &str)] = &[
        (
            "lv",
            "a.ftl",
            "hello = Sveiki\nonly-lv = Tikai latviski\nseminars = { $count ->\n    [zero] { $count } semināru\n    [one] { $count } seminārs\n   *[other] { $count } semināri\n}\n",
        ),
        (
            "ru",
            "a.ftl",
            "hello = Здравствуйте\nseminars = { $count ->\n    [one] { $count } семинар\n    [few] { $count } семинара\n   *[many] { $count } семинаров\n}\n",
        ),
    ];

    fn count(n: i64) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        args.set("count", n);
        args
    }

    #[test]
    fn looks_up_in_the_chosen_locale() {
        let c = Catalogue::from_sources(SOURCES).unwrap();
        assert_eq!(c.message(Locale::Ru, "hello"), "Здравствуйте");
        assert_eq!(c.message(Locale::Lv, "hello"), "Sveiki");
    }

    #[test]
    fn falls_back_to_latvian_then_to_the_id() {
        let c = Catalogue::from_sources(SOURCES).unwrap();
        assert_eq!(c.message(Locale::Ru, "only-lv"), "Tikai latviski");
        assert_eq!(c.message(Locale::En, "hello"), "Sveiki", "a locale with no files falls back too");
        assert_eq!(c.message(Locale::Lv, "no-such-id"), "no-such-id");
        assert!(!c.has_message(Locale::Ru, "only-lv"));
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let c = Catalogue::from_sources(SOURCES).unwrap();
        // Latvian: zero for 0 and 10-20, one for 1, 21, 31 ..., other for the rest.
        assert_eq!(c.format(Locale::Lv, "seminars", Some(&count(0))), "0 semināru");
        assert_eq!(c.format(Locale::Lv, "seminars", Some(&count(11))), "11 semināru");
        assert_eq!(c.format(Locale::Lv, "seminars", Some(&count(21))), "21 seminārs");
        assert_eq!(c.format(Locale::Lv, "seminars", Some(&count(3))), "3 semināri");
        // Russian: one 1/21, few 2-4/22-24, many 5-20/25.
        assert_eq!(c.format(Locale::Ru, "seminars", Some(&count(21))), "21 семинар");
        assert_eq!(c.format(Locale::Ru, "seminars", Some(&count(3))), "3 семинара");
        assert_eq!(c.format(Locale::Ru, "seminars", Some(&count(12))), "12 семинаров");
    }

    #[test]
    fn rejects_broken_and_duplicate_sources() {
        assert!(matches!(
            Catalogue::from_sources(&[("lv", "bad.ftl", "= no id\n")]),
            Err(CatalogueError::Parse { .. })
        ));
        assert!(matches!(
            Catalogue::from_sources(&[("lv", "a.ftl", "x = 1\n"), ("lv", "b.ftl", "x = 2\n")]),
            Err(CatalogueError::Duplicate { .. })
        ));
        assert!(matches!(
            Catalogue::from_sources(&[("de", "a.ftl", "x = 1\n")]),
            Err(CatalogueError::UnknownLocale(_))
        ));
    }

    #[test]
    fn the_embedded_catalogue_names_the_app_in_every_locale() {
        let c = Catalogue::embedded();
        for l in Locale::ALL {
            assert!(c.has_message(l, "app-title"), "{l} lacks app-title");
            assert_eq!(c.message(l, "app-title"), "Saite");
        }
    }
}
