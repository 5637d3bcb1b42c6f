//! People as vCards (RFC 6350, version 4.0) for a phone's or a mail program's address
//! book, and vCards (3.0 or 4.0) read back.
//!
//! Glossary:
//! - **card**: one person's entry ([`Card`]): name, organisation, position, phones,
//!   e-mails, language, municipality and the record's id as its UID.
//! - **content line**: `NAME;PARAM=x:value`, folded onto lines of at most 75 octets
//!   that continue with a space; text values escape `\`, `,`, `;` and line breaks.
//!
//! A person's notes and legal basis stay out of the card: an address book is no place
//! for notes that may touch on a trafficking case.

use std::io::Write as _;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use saite_domain::{Collection, ReferenceData};
use saite_i18n::{Catalogue, Locale};
use saite_store::{ListQuery, Store, StoredRecord};
use serde_json::Value;

use crate::list::{Progress, stream, total_of};
use crate::{ExportError, Result};

/// One person as an address book sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    /// The record's id, written as `urn:uuid:` so a card read back finds its record.
    pub uid: Option<String>,
    pub full_name: String,
    pub organisation: String,
    pub position: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    /// A language tag (lv, ru, en).
    pub language: String,
    /// The municipality's name, as the locality of the address.
    pub locality: String,
}

/// The longest content line in octets, its line break aside (RFC 6350 §3.2).
const LINE_OCTETS: usize = 75;

/// `card` as a vCard 4.0, lines ending in CRLF.
pub fn card_text(card: &Card) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: &str| {
        let mut text = String::with_capacity(name.len() + value.len() + 1);
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        fold_into(&mut out, &text);
    };
    line("BEGIN", "VCARD");
    line("VERSION", "4.0");
    if let Some(uid) = &card.uid {
        line("UID", &format!("urn:uuid:{uid}"));
    }
    line("FN", &escape(&card.full_name, false));
    // N is family;given;additional;prefixes;suffixes. A name is split at its last
    // space (Latvian and Russian names put the family name last); one word is given.
    let (given, family) = card.full_name.trim().rsplit_once(' ').unwrap_or((card.full_name.trim(), ""));
    line("N", &format!("{};{};;;", escape(family.trim(), true), escape(given.trim(), true)));
    if !card.organisation.is_empty() {
        line("ORG", &escape(&card.organisation, true));
    }
    if !card.position.is_empty() {
        line("TITLE", &escape(&card.position, false));
    }
    // A tel: URI holds E.164 only; a number that is none is left out rather than
    // written as something a phone would dial wrongly.
    for phone in card.phones.iter().filter_map(|p| saite_domain::validate::normalize_phone(p)) {
        line("TEL;VALUE=uri;TYPE=work", &format!("tel:{phone}"));
    }
    for email in &card.emails {
        line("EMAIL;TYPE=work", &escape(email, false));
    }
    if !card.language.is_empty() {
        line("LANG", &card.language);
    }
    if !card.locality.is_empty() {
        line("ADR;TYPE=work", &format!(";;;{};;;", escape(&card.locality, true)));
    }
    line("END", "VCARD");
    out
}

/// A text value with `\`, `,` and line breaks escaped, and `;` too in a part of a
/// compound value (N, ORG, ADR), where it separates the parts (RFC 6350 §3.4).
fn escape(value: &str, compound: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' if compound => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded: a break and a space before any octet past the 75th of a
/// line, never inside a character.
fn fold_into(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// Every card in `bytes` (vCard 3.0 or 4.0): lines unfolded, values unescaped. A card
/// without a name, or input that is no vCard at all, yields nothing; malformed input
/// never panics.
pub fn parse_cards(bytes: &[u8]) -> Vec<Card> {
    let mut cards = Vec::new();
    let mut current: Option<Card> = None;
    for line in unfold(bytes) {
        let Some((head, value)) = split_content_line(&line) else { continue };
        let mut params = head.split(';');
        let name = params.next().unwrap_or_default();
        // A group prefix ("item1.TEL") names the same property.
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        match (name.as_str(), current.as_mut()) {
            ("BEGIN", _) if value.eq_ignore_ascii_case("VCARD") => current = Some(Card::default()),
            ("END", Some(_)) if value.eq_ignore_ascii_case("VCARD") => {
                if let Some(card) = current.take().filter(|c| !c.full_name.trim().is_empty()) {
                    cards.push(card);
                }
            }
            ("UID", Some(card)) => {
                let uid = value.trim();
                let uid = uid.strip_prefix("urn:uuid:").unwrap_or(uid);
                card.uid = (!uid.is_empty()).then(|| uid.to_owned());
            }
            ("FN", Some(card)) => card.full_name = unescape(value),
            ("N", Some(card)) if card.full_name.is_empty() => {
                // family;given;… : a card with no FN (vCard 3 allows it) is named by N.
                let parts = split_unescaped(value, ';');
                let given = parts.get(1).cloned().unwrap_or_default();
                let family = parts.first().cloned().unwrap_or_default();
                card.full_name = format!("{given} {family}").trim().to_owned();
            }
            ("ORG", Some(card)) => {
                card.organisation = split_unescaped(value, ';').into_iter().next().unwrap_or_default()
            }
            ("TITLE", Some(card)) => card.position = unescape(value),
            ("TEL", Some(card)) => {
                let phone = value.trim();
                let phone = phone.strip_prefix("tel:").unwrap_or(phone).trim();
                if !phone.is_empty() {
                    card.phones.push(phone.to_owned());
                }
            }
            ("EMAIL", Some(card)) => {
                let email = unescape(value).trim().to_owned();
                if !email.is_empty() {
                    card.emails.push(email);
                }
            }
            ("LANG", Some(card)) => card.language = value.trim().to_owned(),
            ("ADR", Some(card)) if card.locality.is_empty() => {
                // ;;street;locality;region;code;country
                card.locality = split_unescaped(value, ';').get(3).cloned().unwrap_or_default();
            }
            _ => {}
        }
    }
    cards
}

/// The logical lines of `bytes`: a line starting with a space or a tab continues the one
/// before it (the first such character dropped). Joined as bytes before they are read as
/// UTF-8, since some programs fold inside a character.
fn unfold(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for raw in bytes.split(|b| *b == b'\n') {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match (raw.first(), lines.last_mut()) {
            (Some(b' ' | b'\t'), Some(last)) => last.extend_from_slice(&raw[1..]),
            _ => lines.push(raw.to_vec()),
        }
    }
    lines.into_iter().map(|line| String::from_utf8_lossy(&line).into_owned()).collect()
}

/// A content line's head (name and parameters) and value: split at the first colon
/// outside a quoted parameter value.
fn split_content_line(line: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some((&line[..i], &line[i + 1..])),
            _ => {}
        }
    }
    None
}

fn unescape(value: &str) -> String {
    split_unescaped(value, '\0').concat()
}

/// `value` split at each unescaped `separator`, every part unescaped.
fn split_unescaped(value: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let part = parts.last_mut().expect("never empty");
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => part.push('\n'),
                Some(other) => part.push(other),
                None => {}
            },
            c if c == separator => parts.push(String::new()),
            c => part.push(c),
        }
    }
    parts
}

/// A person record as a card, with its organisation's name.
fn card_of(record: &StoredRecord, catalogue: &Catalogue, locale: Locale, organisation: String) -> Card {
    let doc = &record.document;
    let text = |field: &str| doc.get(field).and_then(Value::as_str).unwrap_or_default().to_owned();
    let texts = |field: &str| -> Vec<String> {
        doc.get(field)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let municipality = text("municipality");
    let language = text("preferredLanguage");
    Card {
        uid: Some(record.id.to_string()),
        full_name: text("fullName"),
        organisation,
        position: text("position"),
        phones: texts("phones"),
        emails: texts("emails"),
        // "other" is no language tag.
        language: if language == "other" { String::new() } else { language },
        locality: if municipality.is_empty() {
            String::new()
        } else {
            catalogue.message(locale, &ReferenceData::message_id(saite_domain::CodeList::Municipality, &municipality))
        },
    }
}

/// Writes every person `query` lists (its window aside) as one vCard file into `dir`,
/// titled by the list's name in `locale`; returns its path. Progress and cancelling as
/// [`crate::export_list`].
pub fn export_cards(
    store: &Store,
    query: &ListQuery,
    locale: Locale,
    dir: &Path,
    stamp: &str,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<PathBuf> {
    if query.collection != Collection::Person {
        return Err(ExportError::NotPeople);
    }
    let catalogue = Catalogue::embedded();
    let title = catalogue.message(locale, "tab-person");
    let total = total_of(store, query)?;
    let mut organisations = crate::list::ReferenceNames::new(store);
    stream(
        total,
        progress,
        |cards| {
            crate::write_new_file(dir, &title, "vcf", stamp, |partial| {
                let file = std::fs::File::create(partial)
                    .map_err(|source| ExportError::Io { path: partial.to_owned(), source })?;
                let mut out = std::io::BufWriter::new(file);
                let mut count = 0;
                for card in cards {
                    out.write_all(card_text(&card?).as_bytes())
                        .map_err(|source| ExportError::Io { path: partial.to_owned(), source })?;
                    count += 1;
                }
                out.flush().map_err(|source| ExportError::Io { path: partial.to_owned(), source })?;
                Ok(count)
            })
        },
        |emit| {
            store.each_listed(query, |record| {
                let organisation = record.document.get("organisation").and_then(Value::as_str);
                let organisation = match organisation.map(|id| organisations.name_of(id)).transpose() {
                    Ok(name) => name.unwrap_or_default(),
                    Err(e) => return Ok(emit(Err(e))),
                };
                Ok(emit(Ok(card_of(&record, catalogue, locale, organisation))))
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn anna() -> Card {
        Card {
            uid: Some("01890a5d-ac96-774b-bcce-b302099a8057".into()),
            full_name: "Anna Bērziņa-Kalniņa".into(),
            organisation: "Daugavpils valstspilsētas pašvaldības sociālais dienests; nodaļa, \"Ģimenes\"".into(),
            position: "Sociālā darbiniece".into(),
            phones: vec!["+37126123456".into(), "+37165400000".into()],
            emails: vec!["anna@example.lv".into()],
            language: "lv".into(),
            locality: "Daugavpils".into(),
        }
    }

    #[test]
    fn a_card_is_vcard_4_with_folded_escaped_lines() {
        let text = card_text(&anna());
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
        assert!(text.ends_with("END:VCARD\r\n"));
        assert!(text.contains("\r\nFN:Anna Bērziņa-Kalniņa\r\n"));
        assert!(text.contains("\r\nN:Bērziņa-Kalniņa;Anna;;;\r\n"));
        assert!(text.contains("\r\nTEL;VALUE=uri;TYPE=work:tel:+37126123456\r\n"));
        assert!(text.contains("\r\nTITLE:Sociālā darbiniece\r\n"));
        assert!(text.contains("\r\nUID:urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057\r\n"));
        // The organisation's name runs past 75 octets: folded, its ; and , escaped.
        assert!(text.contains("\r\n "), "a long line is folded");
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("ORG:Daugavpils valstspilsētas pašvaldības sociālais dienests\\; nodaļa\\,"));
        for line in text.split("\r\n") {
            assert!(line.len() <= LINE_OCTETS, "{line:?} is {} octets", line.len());
        }
        assert_eq!(parse_cards(text.as_bytes()), vec![anna()]);
    }

    #[test]
    fn vcard_3_from_a_phone_reads() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nN:Ivanova;Olga;;;\nitem1.TEL;TYPE=CELL:+371 29 000 000\n\
                    EMAIL;TYPE=INTERNET:olga@example.lv\nORG:NVA;Rīgas filiāle\nTITLE:Konsultante\n\
                    ADR;TYPE=WORK:;;Brīvības 1;Rīga;;LV-1010;Latvija\nEND:VCARD\n";
        let cards = parse_cards(text.as_bytes());
        assert_eq!(
            cards,
            vec![Card {
                full_name: "Olga Ivanova".into(),
                organisation: "NVA".into(),
                position: "Konsultante".into(),
                phones: vec!["+371 29 000 000".into()],
                emails: vec!["olga@example.lv".into()],
                locality: "Rīga".into(),
                ..Card::default()
            }]
        );
    }

    #[test]
    fn one_word_names_n_before_fn_and_folds_inside_a_letter_read() {
        let one = card_text(&Card { full_name: "Anna".into(), ..Card::default() });
        assert!(one.contains("\r\nN:;Anna;;;\r\n"), "{one}");
        assert_eq!(parse_cards(one.as_bytes())[0].full_name, "Anna");
        // N first, then FN: FN names the card.
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kalniņa;Ilze;;;\r\nFN:Ilze Kalniņa-Ozola\r\nEND:VCARD\r\n";
        assert_eq!(parse_cards(text.as_bytes())[0].full_name, "Ilze Kalniņa-Ozola");
        // "ņ" is two bytes; another program folded between them.
        let mut bytes = b"BEGIN:VCARD\r\nFN:Kal".to_vec();
        bytes.extend_from_slice(&"ņ".as_bytes()[..1]);
        bytes.extend_from_slice(b"\r\n ");
        bytes.extend_from_slice(&"ņ".as_bytes()[1..]);
        bytes.extend_from_slice(b"a\r\nEND:VCARD\r\n");
        assert_eq!(parse_cards(&bytes)[0].full_name, "Kalņa");
        // A phone that is no number is left out of the card.
        let odd = card_text(&Card { full_name: "A".into(), phones: vec!["zvanīt\r\nX:1".into()], ..Card::default() });
        assert!(!odd.contains("TEL"), "{odd}");
    }

    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Zā-žА-я0-9 ,;:\\\\\"\n.@+-]{0,120}"
    }

    proptest! {
        #[test]
        fn any_card_reads_back_as_written(
            full_name in "[a-zA-Zā-žА-я][a-zA-Zā-žА-я ,;:\\\\.-]{0,90}",
            organisation in text(), position in text(),
            phones in proptest::collection::vec("\\+3712[0-9]{7}", 0..3),
            emails in proptest::collection::vec("[a-z0-9.,;]{1,20}@[a-z]{1,10}\\.lv", 0..3),
            language in "(lv|ru|en)?", locality in text(),
        ) {
            let card = Card {
                uid: Some("01890a5d-ac96-774b-bcce-b302099a8057".into()),
                full_name, organisation, position, phones, emails, language, locality,
            };
            let text = card_text(&card);
            for line in text.split("\r\n") {
                prop_assert!(line.len() <= LINE_OCTETS);
            }
            let expected = card.clone();
            let read = parse_cards(text.as_bytes());
            if card.full_name.trim().is_empty() {
                prop_assert!(read.is_empty());
            } else {
                prop_assert_eq!(read, vec![expected]);
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for card in parse_cards(&bytes) {
                prop_assert!(!card.full_name.trim().is_empty());
            }
        }

        #[test]
        fn vcard_shaped_noise_never_panics(lines in proptest::collection::vec(
            prop_oneof![
                Just("BEGIN:VCARD".to_owned()), Just("END:VCARD".to_owned()), Just(" ".to_owned()),
                "(FN|N|ORG|TEL|EMAIL|ADR|UID|LANG|item1\\.TEL)(;[A-Z]+=\"?[a-z:;]*\"?)?:[^\r\n]{0,30}",
                "[^\r\n]{0,40}",
            ], 0..30)) {
            let _ = parse_cards(lines.join("\r\n").as_bytes());
        }
    }
}
