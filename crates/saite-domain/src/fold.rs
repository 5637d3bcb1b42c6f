//! Search folding: the one function that turns record text and queries into the form
//! the full-text index stores, so that a query matches regardless of case, Latvian
//! diacritics, or whether a name was written in Latin or Cyrillic letters.
//!
//! Rules, in order:
//! 1. lower-case (Latin and Cyrillic alike: "ДОМ" → "дом");
//! 2. Cyrillic → Latin by the Latvian transliteration of Russian (ч → č, ш → š, х → h,
//!    ц → c, ж → ž, ю → ju, я → ja, й → j, ь and ъ dropped);
//!    **ё is treated as е** (Russian text often writes е for ё) and **й as j**;
//! 3. diacritics removed ("drošā" → "drosa", "ķ" → "k"), by Unicode decomposition;
//! 4. **every j removed**: Latvian writes j where Russian has a soft vowel ("Jelgava" /
//!    "Елгава", "Liepāja" / "Лиепая", "Sergejs" / "Сергей"), so after this step both
//!    spellings meet ("elgava", "liepaa", "serges" / "serge" by prefix);
//! 5. anything not a letter or digit separates words.
//!
//! The same function folds the index and the query, so the rules only need to be
//! consistent, not linguistically perfect.

fn cyrillic_to_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' | 'є' => "e",
        'ж' => "ž",
        'з' => "z",
        'и' | 'і' | 'ы' => "i",
        'ї' => "ji",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "č",
        'ш' => "š",
        'щ' => "šč",
        'ъ' | 'ь' => "",
        'ю' => "ju",
        'я' => "ja",
        'ґ' => "g",
        _ => return None,
    })
}

/// The folded form of `text`: lower-case ASCII letters and digits in words separated
/// by single spaces.
///
/// One pass, character by character (every record's search text is folded when it is
/// stored, so this is on the path of a first pull of 100 000 records): each character
/// is lower-cased, transliterated and decomposed on its own. Decomposing the whole text
/// at once would only also reorder runs of combining marks, which are dropped anyway
/// (a test checks this against the whole-text version).
pub fn fold(text: &str) -> String {
    let mut words = Words { out: Vec::with_capacity(text.len()), pending_space: false };
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII, most of any text here, a byte at a time through a table (fold was a
        // seventh of preparing a pulled page, character by character).
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        for &b in &rest.as_bytes()[..ascii] {
            words.push_folded(ASCII_FOLDED[usize::from(b)]);
        }
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        // The letters of Latvian text, by far the most common beyond ASCII, straight
        // to what the rules below make of them (fold was a twentieth of a first pull's
        // CPU, most of it in the case and decomposition tables for these).
        if let Some(base) = latvian_letter_base(c) {
            words.push_folded(base);
            continue;
        }
        // General punctuation (the typographic quotes and dashes of Latvian text, „ ”
        // – —): no letter, digit or mark there, so a separator, as the rules make it
        // (a test checks every one).
        if GENERAL_PUNCTUATION.contains(&c) {
            words.push_folded(b' ');
            continue;
        }
        for lower in c.to_lowercase() {
            match cyrillic_to_latin(lower) {
                Some(latin) => {
                    latin.chars().for_each(|l| unicode_normalization::char::decompose_canonical(l, |d| words.push(d)))
                }
                None => unicode_normalization::char::decompose_canonical(lower, |d| words.push(d)),
            }
        }
    }
    String::from_utf8(words.out).expect("whole characters only are pushed")
}

/// Unicode's General Punctuation block: spaces, dashes, quotes, marks of format.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

/// What folding makes of each ASCII character: a letter lower-cased or a digit (kept in
/// a word), 0 for `j` (dropped, rule 4), a space for anything else (a separator).
const ASCII_FOLDED: [u8; 128] = {
    let mut table = [b' '; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c == b'j' || c == b'J' {
            table[b] = 0;
        } else if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The base letter of a Latvian letter with a diacritic, either case: what lower-casing,
/// decomposing and dropping the marks make of it.
fn latvian_letter_base(c: char) -> Option<u8> {
    Some(match c {
        'ā' | 'Ā' => b'a',
        'č' | 'Č' => b'c',
        'ē' | 'Ē' => b'e',
        'ģ' | 'Ģ' => b'g',
        'ī' | 'Ī' => b'i',
        'ķ' | 'Ķ' => b'k',
        'ļ' | 'Ļ' => b'l',
        'ņ' | 'Ņ' => b'n',
        'š' | 'Š' => b's',
        'ū' | 'Ū' => b'u',
        'ž' | 'Ž' => b'z',
        _ => return None,
    })
}

/// The folded text as it is built (UTF-8): letters and digits kept, combining marks and
/// `j` dropped, anything else a single space between words.
struct Words {
    out: Vec<u8>,
    pending_space: bool,
}

impl Words {
    /// An ASCII character as [`ASCII_FOLDED`] has it: kept, dropped (0) or a separator.
    #[inline]
    fn push_folded(&mut self, folded: u8) {
        match folded {
            0 => {}
            b' ' => self.pending_space = true,
            kept => {
                self.end_separator();
                self.out.push(kept);
            }
        }
    }

    /// Before a kept character: the space a separator before it left, unless the text
    /// starts here.
    #[inline]
    fn end_separator(&mut self) {
        if self.pending_space && !self.out.is_empty() {
            self.out.push(b' ');
        }
        self.pending_space = false;
    }

    fn push(&mut self, c: char) {
        if c.is_ascii() {
            return self.push_folded(ASCII_FOLDED[c as usize]);
        }
        if unicode_normalization::char::is_combining_mark(c) {
            return;
        }
        if c.is_alphanumeric() {
            // A letter or digit beyond ASCII (Greek, say) is kept as it is.
            self.end_separator();
            self.out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        } else {
            self.pending_space = true;
        }
    }
}

/// The words of a folded query, each to be matched as a prefix.
pub fn query_terms(query: &str) -> Vec<String> {
    fold(query).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn latvian_diacritics_fold() {
        assert_eq!(fold("Drošā māja"), fold("drosa maja"));
        assert_eq!(fold("Patvērums „Drošā māja”"), "patverums drosa maa");
        assert_eq!(fold("Ķekavas ģimenes atbalsta centrs, Ļaudona, Ņ"), "kekavas gimenes atbalsta centrs laudona n");
    }

    #[test]
    fn cyrillic_case_folds() {
        assert_eq!(fold("ДОМ"), fold("дом"));
        assert_eq!(fold("Дом"), "dom");
    }

    #[test]
    fn latin_and_cyrillic_place_names_meet() {
        for (latin, cyrillic) in [
            ("Daugavpils", "Даугавпилс"),
            ("Rēzekne", "Резекне"),
            ("Liepāja", "Лиепая"),
            ("Jelgava", "Елгава"),
            ("Jūrmala", "Юрмала"),
            ("Valmiera", "Валмиера"),
            ("Ventspils", "Вентспилс"),
        ] {
            assert_eq!(fold(latin), fold(cyrillic), "{latin} / {cyrillic}");
        }
    }

    #[test]
    fn yo_is_ye_and_short_i_is_j() {
        assert_eq!(fold("ёлка"), fold("елка"));
        assert_eq!(fold("Йога"), fold("Joga"));
        assert_eq!(fold("Сергей"), "serge");
        assert!(fold("Sergejs").starts_with(&fold("Сергей")));
        assert!(fold("Jurijs").starts_with(&fold("Юрий")));
    }

    #[test]
    fn punctuation_separates_words() {
        assert_eq!(fold("  NVA—Daugavpils/filiāle!! "), "nva daugavpils filiale");
        assert_eq!(query_terms("drosa   maja"), vec!["drosa", "maa"]);
        assert!(query_terms(" -- ").is_empty());
    }

    #[test]
    fn each_latvian_letter_folds_to_what_the_rules_make_of_it() {
        for c in "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ".chars() {
            let by_rules = fold_whole_text(&c.to_string());
            assert_eq!(latvian_letter_base(c).map(|b| (b as char).to_string()), Some(by_rules), "{c}");
        }
    }

    /// The rules applied to the whole text at once, as `fold` did before it went
    /// character by character.
    fn fold_whole_text(text: &str) -> String {
        let mut latin = String::with_capacity(text.len());
        for c in text.chars().flat_map(char::to_lowercase) {
            match cyrillic_to_latin(c) {
                Some(s) => latin.push_str(s),
                None => latin.push(c),
            }
        }
        let mut out = String::with_capacity(latin.len());
        let mut pending_space = false;
        for c in latin.nfd() {
            if unicode_normalization::char::is_combining_mark(c) || c == 'j' {
                continue;
            }
            if c.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            } else {
                pending_space = true;
            }
        }
        out
    }

    #[test]
    fn every_character_of_the_basic_plane_folds_as_the_rules_make_it() {
        // Each on its own and between letters, so that what it separates or joins shows.
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("a{c}b")] {
                assert_eq!(fold(&text), fold_whole_text(&text), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn general_punctuation_separates_words() {
        assert_eq!(fold("„Drošā māja”–Rīga\u{2060}x"), "drosa maa riga x");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn character_by_character_equals_the_whole_text(s in "\\PC{0,60}") {
            prop_assert_eq!(fold(&s), fold_whole_text(&s));
        }

        #[test]
        fn character_by_character_equals_the_whole_text_with_marks(s in "[a-zA-Zāčēģīķļņšūž\u{0300}-\u{036F}\u{0591}-\u{05C7}\u{0410}-\u{044F}ёЁ0-9 .]{0,40}") {
            prop_assert_eq!(fold(&s), fold_whole_text(&s));
        }

        #[test]
        fn folding_is_idempotent_and_ascii_for_latvian_and_russian(s in "[a-zA-Zāčēģīķļņšūž\u{0410}-\u{044F}ёЁ0-9 ,.\\-]{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(once.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '), "{}", once);
            prop_assert!(!once.contains('j'));
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn case_never_matters(s in "[a-zA-Zāčēģīķļņšūž\u{0410}-\u{044F}ёЁ ]{0,40}") {
            prop_assert_eq!(fold(&s.to_uppercase()), fold(&s.to_lowercase()));
        }
    }
}
