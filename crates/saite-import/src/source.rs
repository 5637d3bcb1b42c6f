//! A partner's file read as a table of texts: CSV (UTF-8, or the Windows-1257 Latvian
//! Excel saves, or the Windows-1251 Russian Excel saves; comma, semicolon or tab), XLSX
//! (its first sheet) or vCards (3.0 or 4.0, one row per card).
//!
//! Glossary:
//! - **source table**: the file's header texts and its rows of cell texts
//!   ([`SourceTable`]), each row with its line in the file, so a refusal can say where.
//! - **header row**: the first row with any text; a vCard's columns are the card's
//!   properties, named in the user's language by the caller.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use ts_rs::TS;

use crate::{ImportError, Result};

/// The most rows one import reads: far beyond a partner's contact list, short of
/// anything that would hold the laptop up.
pub const MAX_ROWS: usize = 100_000;

/// A file's texts, as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SourceTable {
    /// What the file is, as read.
    pub format: SourceFormat,
    pub headers: Vec<String>,
    /// Every row below the header (blank rows left out), as wide as the headers.
    pub rows: Vec<SourceRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SourceRow {
    /// The row's line in a CSV file or spreadsheet (1 is the header), or the card's
    /// number in a vCard file.
    pub line: u32,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum SourceFormat {
    Csv,
    Xlsx,
    Vcard,
}

/// What the user sees of a file before mapping it: its header, a few rows, how many,
/// and the mapping each kind of import would start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SourceSummary {
    pub format: SourceFormat,
    pub headers: Vec<String>,
    /// The first rows, as examples beside each column.
    pub sample: Vec<SourceRow>,
    pub rows: u32,
    /// The guessed mappings, for organisations and for people.
    pub organisation: Vec<Option<String>>,
    pub person: Vec<Option<String>>,
}

/// Rows a summary shows.
const SAMPLE_ROWS: usize = 3;

impl SourceTable {
    pub fn summary(&self) -> SourceSummary {
        SourceSummary {
            format: self.format,
            headers: self.headers.clone(),
            sample: self.rows.iter().take(SAMPLE_ROWS).cloned().collect(),
            rows: self.rows.len() as u32,
            organisation: crate::guess_mapping(crate::ImportKind::Organisation, self),
            person: crate::guess_mapping(crate::ImportKind::Person, self),
        }
    }
}

/// The columns of a table read from vCards, in order: the card's name, organisation,
/// position, phones, e-mails, language and locality.
pub const VCARD_COLUMNS: [&str; 7] =
    ["fullName", "organisation", "position", "phones", "emails", "language", "locality"];

/// Reads `bytes` as whatever they are: an XLSX workbook (a ZIP file), vCards (text that
/// begins `BEGIN:VCARD`), else CSV. Malformed input is refused with a reason, never a
/// panic.
pub fn read_source(bytes: &[u8]) -> Result<SourceTable> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    let text = decode(bytes);
    if text.trim_start().get(..11).is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD")) {
        return read_vcards(text.as_bytes());
    }
    read_csv(&text)
}

/// The text of a file: as its byte-order mark says (UTF-8, or UTF-16 as Excel's
/// "Unicode text" is), else UTF-8 if it reads as such, else the code page an Excel in
/// Latvia writes a CSV file in: Windows-1251 (Cyrillic) where more words are made of
/// letters outside ASCII alone (as Russian words are) than mix them with ASCII ones (as
/// Latvian words with long or soft letters do), else Windows-1257 (Baltic).
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    // In both code pages 0xC0–0xFF are letters: all of Cyrillic's, or the Baltic
    // letters with marks. Per word (a run of letters): (outside ASCII only, mixed).
    let (mut cyrillic, mut baltic) = (0, 0);
    for word in bytes.split(|b| !(b.is_ascii_alphabetic() || *b >= 0xC0)) {
        let high = word.iter().filter(|b| **b >= 0xC0).count();
        if high == word.len() && high >= 2 {
            cyrillic += 1;
        } else if high > 0 {
            baltic += 1;
        }
    }
    let encoding = if cyrillic > baltic { encoding_rs::WINDOWS_1251 } else { encoding_rs::WINDOWS_1257 };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The separator of a CSV text, the text without Excel's `sep=;` line where it names
/// one, and how many lines that drops. Otherwise whichever of `;`, `,` and tab splits
/// the header into more than one field and the most of the first lines into as many
/// (a comma inside "Vārds, uzvārds" in the header alone does not make commas the
/// separator); a semicolon, Latvian Excel's, on a tie.
fn separator(text: &str) -> (u8, &str, u32) {
    let first = text.lines().next().unwrap_or_default();
    if let Some(named) = first.trim().strip_prefix("sep=").and_then(|s| s.bytes().next()) {
        let rest = text.find('\n').map_or("", |i| &text[i + 1..]);
        return (named, rest, 1);
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let fields = |line: &str, separator: u8| {
        let mut quoted = false;
        1 + line
            .bytes()
            .filter(|b| {
                if *b == b'"' {
                    quoted = !quoted;
                }
                !quoted && *b == separator
            })
            .count()
    };
    let score = |separator: u8| {
        let header = lines.first().map_or(1, |l| fields(l, separator));
        let alike = if header < 2 { 0 } else { lines.iter().filter(|l| fields(l, separator) == header).count() };
        (alike, header)
    };
    let best = [b';', b',', b'\t'].into_iter().max_by_key(|s| (score(*s), *s == b';')).unwrap_or(b';');
    (best, text, 0)
}

fn read_csv(text: &str) -> Result<SourceTable> {
    let (separator, text, dropped) = separator(text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    // The reader's own line count lags behind a CRLF ending by one record, so a record's
    // line is counted here from its first byte: the newlines before it, plus one.
    let bytes = text.as_bytes();
    let (mut counted_to, mut newlines) = (0usize, 0u32);
    while reader.read_record(&mut record).map_err(|e| ImportError::Unreadable(e.to_string()))? {
        let mut start = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            newlines += bytes[counted_to..start].iter().filter(|b| **b == b'\n').count() as u32;
            counted_to = start;
        }
        let line = newlines + 1 + dropped;
        lines.push((line, record.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>()));
        if lines.len() > MAX_ROWS + 1 {
            return Err(ImportError::TooManyRows);
        }
    }
    table(SourceFormat::Csv, lines)
}

fn read_xlsx(bytes: &[u8]) -> Result<SourceTable> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let range =
        book.worksheet_range_at(0).ok_or(ImportError::Empty)?.map_err(|e| ImportError::Unreadable(e.to_string()))?;
    if range.height() > MAX_ROWS + 1 {
        return Err(ImportError::TooManyRows);
    }
    let first_row = range.start().map_or(0, |(r, _)| r);
    let lines = range
        .rows()
        .enumerate()
        .map(|(i, row)| ((first_row as usize + i + 1) as u32, row.iter().map(cell_text).collect()))
        .collect();
    table(SourceFormat::Xlsx, lines)
}

/// A spreadsheet cell as text: a whole number without ".0", a date as ISO.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Bool(b) => b.to_string(),
        // A time or a duration is no date: its number as it is.
        Data::DateTime(d) if d.is_duration() || d.as_f64() < 1.0 => d.as_f64().to_string(),
        Data::DateTime(d) => {
            // calamine reads the workbook's date system (1900 or Mac's 1904) and Excel's
            // 29 February 1900, which never was.
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

fn read_vcards(bytes: &[u8]) -> Result<SourceTable> {
    let cards = saite_export::parse_cards(bytes);
    if cards.len() > MAX_ROWS {
        return Err(ImportError::TooManyRows);
    }
    let rows = cards
        .into_iter()
        .enumerate()
        .map(|(i, card)| SourceRow {
            line: i as u32 + 1,
            cells: vec![
                card.full_name,
                card.organisation,
                card.position,
                card.phones.join(", "),
                card.emails.join(", "),
                card.language,
                card.locality,
            ],
        })
        .collect();
    Ok(SourceTable { format: SourceFormat::Vcard, headers: VCARD_COLUMNS.map(str::to_owned).to_vec(), rows })
}

/// The header row (the first with any text) and the rows below it with any text, each
/// padded or cut to the header's width.
fn table(format: SourceFormat, lines: Vec<(u32, Vec<String>)>) -> Result<SourceTable> {
    let mut lines = lines.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let (_, headers) = lines.next().ok_or(ImportError::Empty)?;
    // Trailing empty header cells (a sheet's formatting past the last column) go.
    let width = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |i| i + 1);
    let headers: Vec<String> = headers.into_iter().take(width).collect();
    let rows = lines
        .map(|(line, mut cells)| {
            cells.resize(width, String::new());
            SourceRow { line, cells }
        })
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(SourceTable { format, headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn latvian_excel_csv_in_windows_1257_with_semicolons_reads() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1257.encode("Vārds, uzvārds;Tālrunis;E-pasts\r\nAnna Bērziņa;+371 26123456;anna@example.lv\r\n;;\r\n\"Jānis; Ozols\";;\r\n");
        let table = read_source(&bytes).unwrap();
        assert_eq!(table.format, SourceFormat::Csv);
        assert_eq!(table.headers, ["Vārds, uzvārds", "Tālrunis", "E-pasts"]);
        assert_eq!(table.rows.len(), 2, "the blank row is left out");
        assert_eq!(table.rows[0].cells, ["Anna Bērziņa", "+371 26123456", "anna@example.lv"]);
        assert_eq!(table.rows[1].cells[0], "Jānis; Ozols");
        assert_eq!((table.rows[0].line, table.rows[1].line), (2, 4));
    }

    #[test]
    fn russian_excel_csv_in_windows_1251_reads_as_cyrillic() {
        // Windows-1251 has no Latvian long letters: Excel writes "Jānis" as "Janis".
        let text = "ФИО;Телефон;E-mail\r\nОльга Иванова;+371 29000000;olga@example.lv\r\nJanis Ozols;;\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let table = read_source(&bytes).unwrap();
        assert_eq!(table.headers, ["ФИО", "Телефон", "E-mail"]);
        assert_eq!(table.rows[0].cells[0], "Ольга Иванова");
        assert_eq!(table.rows[1].cells[0], "Janis Ozols");
    }

    #[test]
    fn utf8_csv_with_commas_and_a_bom_reads_and_short_rows_are_padded() {
        let table = read_source("\u{feff}Name,Phone,Email\nOlga Ivanova,+37129000000\n".as_bytes()).unwrap();
        assert_eq!(table.headers, ["Name", "Phone", "Email"]);
        assert_eq!(table.rows[0].cells, ["Olga Ivanova", "+37129000000", ""]);
    }

    #[test]
    fn an_xlsx_sheet_reads_with_numbers_and_dates_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kontakti.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Nosaukums").unwrap();
        sheet.write_string(0, 1, "Tālrunis").unwrap();
        sheet.write_string(0, 2, "Pēdējais kontakts").unwrap();
        sheet.write_string(1, 0, "Daugavpils bibliotēka").unwrap();
        sheet.write_number(1, 1, 65400000.0).unwrap();
        let dotted = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
        let date = rust_xlsxwriter::ExcelDateTime::parse_from_str("2012-11-09").unwrap();
        sheet.write_datetime_with_format(1, 2, &date, &dotted).unwrap();
        // Before Excel's 29 February 1900 (serial 60), and right after it.
        sheet.write_string(2, 0, "Vecā").unwrap();
        sheet.write_number_with_format(2, 2, 59.0, &dotted).unwrap();
        sheet.write_string(3, 0, "Pēc").unwrap();
        sheet.write_number_with_format(3, 2, 61.0, &dotted).unwrap();
        book.save(&path).unwrap();
        let table = read_source(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(table.format, SourceFormat::Xlsx);
        assert_eq!(table.headers, ["Nosaukums", "Tālrunis", "Pēdējais kontakts"]);
        assert_eq!(table.rows[0].cells, ["Daugavpils bibliotēka", "65400000", "2012-11-09"]);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[1].cells[2], "1900-02-28");
        assert_eq!(table.rows[2].cells[2], "1900-03-01");
    }

    #[test]
    fn vcards_read_as_rows() {
        let text =
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga Ivanova\r\nTEL:+37129000000\r\nTEL:+37165400000\r\nEND:VCARD\r\n";
        let table = read_source(text.as_bytes()).unwrap();
        assert_eq!(table.format, SourceFormat::Vcard);
        assert_eq!(table.rows[0].cells[0], "Olga Ivanova");
        assert_eq!(table.rows[0].cells[3], "+37129000000, +37165400000");
    }

    #[test]
    fn excels_own_separator_line_utf16_and_a_comma_in_one_header_read() {
        let table = read_source(b"sep=;\r\nName;Phone\r\nA, B;1\r\n").unwrap();
        assert_eq!(table.headers, ["Name", "Phone"]);
        assert_eq!(table.rows[0].cells, ["A, B", "1"]);
        assert_eq!(table.rows[0].line, 3);
        // A comma in the header alone does not make commas the separator.
        let table = read_source("Vārds, uzvārds, amats;Tālrunis\nAnna;+37126123456\n".as_bytes()).unwrap();
        assert_eq!(table.headers, ["Vārds, uzvārds, amats", "Tālrunis"]);
        // Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "Vārds\tTālrunis\r\nĀris\t1\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let table = read_source(&utf16).unwrap();
        assert_eq!(table.headers, ["Vārds", "Tālrunis"]);
        assert_eq!(table.rows[0].cells, ["Āris", "1"]);
    }

    #[test]
    fn nothing_to_read_is_said_so() {
        assert!(matches!(read_source(b""), Err(ImportError::Empty)));
        assert!(matches!(read_source(b"\n;;\n"), Err(ImportError::Empty)));
        assert!(matches!(read_source(b"PK\x03\x04not a zip"), Err(ImportError::Unreadable(_))));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            if let Ok(table) = read_source(&bytes) {
                prop_assert!(table.rows.iter().all(|r| r.cells.len() == table.headers.len()));
            }
        }

        #[test]
        fn zip_looking_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            let _ = read_source(&bytes);
        }

        #[test]
        fn csv_shaped_noise_reads_as_wide_as_its_header(
            rows in proptest::collection::vec(proptest::collection::vec("[^\r\n]{0,12}", 0..6), 1..12),
            separator in prop_oneof![Just(';'), Just(','), Just('\t')],
        ) {
            let text: String = rows.iter().map(|r| r.join(&separator.to_string()) + "\r\n").collect();
            if let Ok(table) = read_source(text.as_bytes()) {
                prop_assert!(table.rows.iter().all(|r| r.cells.len() == table.headers.len()));
                prop_assert!(table.rows.len() < rows.len());
            }
        }
    }
}
