//! A partner's file read as a table of texts: CSV (UTF-8, or the Windows-1257 Latvian
//! Excel saves; comma, semicolon or tab), XLSX (its first sheet) or vCards (3.0 or 4.0,
//! one row per card).
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
        return Ok(read_vcards(text.as_bytes()));
    }
    read_csv(&text)
}

/// The text of a file: UTF-8 (its byte-order mark dropped), or else Windows-1257, the
/// Baltic code page Latvian Excel writes a CSV file in.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1257.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The separator of a CSV text: whichever of `;`, `,` and tab its first line holds most
/// often outside quotes (a semicolon on a tie: Latvian Excel's).
fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(c) = counts.iter_mut().find(|(s, _)| *s == b) {
            c.1 += 1;
        }
    }
    counts.iter().max_by_key(|(s, n)| (*n, *s == b';')).map_or(b';', |(s, _)| *s)
}

fn read_csv(text: &str) -> Result<SourceTable> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
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
        let line = newlines + 1;
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
        Data::DateTime(d) => excel_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// The ISO date of an Excel serial date (days since 30.12.1899, the 1900 date system).
fn excel_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let epoch = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    let date = epoch.checked_add(time::Duration::days(serial.floor() as i64))?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}

fn read_vcards(bytes: &[u8]) -> SourceTable {
    let rows = saite_export::parse_cards(bytes)
        .into_iter()
        .take(MAX_ROWS)
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
    SourceTable { format: SourceFormat::Vcard, headers: VCARD_COLUMNS.map(str::to_owned).to_vec(), rows }
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
        let date = rust_xlsxwriter::ExcelDateTime::parse_from_str("2012-11-09").unwrap();
        sheet
            .write_datetime_with_format(1, 2, &date, &rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy"))
            .unwrap();
        book.save(&path).unwrap();
        let table = read_source(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(table.format, SourceFormat::Xlsx);
        assert_eq!(table.headers, ["Nosaukums", "Tālrunis", "Pēdējais kontakts"]);
        assert_eq!(table.rows[0].cells, ["Daugavpils bibliotēka", "65400000", "2012-11-09"]);
        assert_eq!(table.rows[0].line, 2);
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
