//! Which column of a partner's file fills which field, guessed from the header.
//!
//! Glossary:
//! - **import kind**: what the file's rows become ([`ImportKind`]): organisations or
//!   people.
//! - **mapping**: per column of the file, the field it fills or none ([`Mapping`]).
//! - **header words**: what a header may say for a field: the field's own label in
//!   Latvian, Russian and English (from `locales/`) and the usual other words for it
//!   (`data/header-words.csv`), compared folded (case, diacritics and Latin/Cyrillic
//!   spelling aside).

use std::sync::OnceLock;

use saite_domain::fold::fold;
use saite_domain::{Collection, FieldKind, FieldSpec};
use saite_i18n::{Catalogue, Locale};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::source::{SourceFormat, SourceTable, VCARD_COLUMNS};

/// What a file's rows become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ImportKind {
    Organisation,
    Person,
}

impl ImportKind {
    pub fn collection(self) -> Collection {
        match self {
            ImportKind::Organisation => Collection::Organisation,
            ImportKind::Person => Collection::Person,
        }
    }

    /// The fields a column may fill: every field of the record but those the app fills
    /// in itself.
    pub fn fields(self) -> impl Iterator<Item = &'static FieldSpec> {
        self.collection().spec().fields.iter().filter(|f| {
            !matches!(
                f.kind,
                FieldKind::Counts { .. }
                    | FieldKind::AnyReference { .. }
                    | FieldKind::CollectionName
                    | FieldKind::ContentAddress
            )
        })
    }
}

/// Per column of the file, the field it fills (a field's name, or a [`NAME_PARTS`]
/// target), or `None`.
pub type Mapping = Vec<Option<String>>;

/// Columns that fill a person's full name together, as many spreadsheets keep it:
/// the first name, then the family name ("Vārds", "Uzvārds"); joined with a space
/// where no column holds the full name.
pub const NAME_PARTS: [&str; 2] = ["givenName", "familyName"];

/// Whether `target` is a name a column of a `kind` import may be mapped to.
fn is_target(kind: ImportKind, target: &str) -> bool {
    kind.fields().any(|f| f.name == target) || (kind == ImportKind::Person && NAME_PARTS.contains(&target))
}

const HEADER_WORDS: &str = include_str!("../data/header-words.csv");

/// Every (import kind, field, folded header word), the labels first.
fn header_words() -> &'static [(ImportKind, &'static str, String)] {
    static WORDS: OnceLock<Vec<(ImportKind, &'static str, String)>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let catalogue = Catalogue::embedded();
        let mut words = Vec::new();
        for kind in [ImportKind::Organisation, ImportKind::Person] {
            for field in kind.fields() {
                for locale in Locale::ALL {
                    let id = format!("field-{}-{}", kind.collection().as_str(), field.name);
                    words.push((kind, field.name, fold(&catalogue.message(locale, &id))));
                }
            }
        }
        for line in HEADER_WORDS.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut parts = line.splitn(3, ',');
            let (Some(collection), Some(field), Some(word)) = (parts.next(), parts.next(), parts.next()) else {
                panic!("data/header-words.csv: {line:?} is not collection,field,word");
            };
            let kind = match collection {
                "organisation" => ImportKind::Organisation,
                "person" => ImportKind::Person,
                other => panic!("data/header-words.csv: unknown collection {other}"),
            };
            let field = kind
                .fields()
                .map(|f| f.name)
                .chain(NAME_PARTS)
                .find(|f| *f == field && is_target(kind, f))
                .unwrap_or_else(|| panic!("data/header-words.csv: {collection} has no field {field}"));
            words.push((kind, field, fold(word.trim_matches('"'))));
        }
        words
    })
}

/// The field a header names, if any: one whose header word the folded header equals,
/// else one whose word begins it as whole words ("Tālrunis (mob.)" is a phone).
fn field_of(kind: ImportKind, header: &str) -> Option<&'static str> {
    let header = fold(header);
    if header.is_empty() {
        return None;
    }
    let words = header_words().iter().filter(|(k, _, w)| *k == kind && !w.is_empty());
    words
        .clone()
        .find(|(_, _, w)| *w == header)
        .or_else(|| {
            words.clone().find(|(_, _, w)| header.strip_prefix(w.as_str()).is_some_and(|rest| rest.starts_with(' ')))
        })
        .map(|(_, field, _)| *field)
}

/// The mapping a table's header suggests: each column to the field its header names,
/// each field filled by one column at most (the first that names it). A table read from
/// vCards maps by the cards' own properties.
pub fn guess_mapping(kind: ImportKind, table: &SourceTable) -> Mapping {
    if table.format == SourceFormat::Vcard {
        return VCARD_COLUMNS
            .iter()
            .map(|column| {
                let field = match (kind, *column) {
                    (ImportKind::Person, "organisation" | "position" | "fullName") => Some(*column),
                    (ImportKind::Person, "language") => Some("preferredLanguage"),
                    (ImportKind::Organisation, "organisation") => Some("name"),
                    (_, "phones" | "emails") => Some(*column),
                    (_, "locality") => Some("municipality"),
                    _ => None,
                };
                field.map(str::to_owned)
            })
            .collect();
    }
    let mut taken: Vec<&str> = Vec::new();
    table
        .headers
        .iter()
        .map(|header| {
            let field = field_of(kind, header).filter(|f| !taken.contains(f))?;
            taken.push(field);
            Some(field.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::read_source;

    fn guessed(kind: ImportKind, header: &str) -> Vec<Option<String>> {
        guess_mapping(kind, &read_source(format!("{header}\nx\n").as_bytes()).unwrap())
    }

    fn fields(names: &[Option<&str>]) -> Vec<Option<String>> {
        names.iter().map(|n| n.map(str::to_owned)).collect()
    }

    #[test]
    fn latvian_russian_and_english_headers_are_understood() {
        assert_eq!(
            guessed(ImportKind::Person, "Vārds, uzvārds;Iestāde;Amats;Tālrunis (mob.);E-pasts;Piezīmes;Kaut kas"),
            fields(&[
                Some("fullName"),
                Some("organisation"),
                Some("position"),
                Some("phones"),
                Some("emails"),
                Some("notes"),
                None
            ])
        );
        assert_eq!(
            guessed(ImportKind::Person, "ФИО;Организация;Должность;Телефон;Эл. почта"),
            fields(&[Some("fullName"), Some("organisation"), Some("position"), Some("phones"), Some("emails")])
        );
        assert_eq!(
            guessed(ImportKind::Organisation, "Name,Type,Municipality,Address,Phone,E-mail,Website"),
            fields(&[
                Some("name"),
                Some("kind"),
                Some("municipality"),
                Some("address"),
                Some("phones"),
                Some("emails"),
                Some("website")
            ])
        );
    }

    #[test]
    fn first_and_family_name_columns_are_told_apart() {
        assert_eq!(
            guessed(ImportKind::Person, "Vārds;Uzvārds;Tālrunis"),
            fields(&[Some("givenName"), Some("familyName"), Some("phones")])
        );
        assert_eq!(
            guessed(ImportKind::Person, "First name,Last name,Email"),
            fields(&[Some("givenName"), Some("familyName"), Some("emails")])
        );
        assert_eq!(guessed(ImportKind::Person, "Имя;Фамилия"), fields(&[Some("givenName"), Some("familyName")]));
    }

    #[test]
    fn a_field_is_filled_by_its_first_column_only() {
        assert_eq!(guessed(ImportKind::Organisation, "Tālrunis;Telefons"), fields(&[Some("phones"), None]));
    }

    #[test]
    fn every_header_word_names_a_field_of_its_collection() {
        // The data file is read (and each line checked) on first use.
        assert!(header_words().len() > 40);
    }
}
