//! XLSX: one sheet, a bold header row, numbers as numbers and dates as dates
//! (shown 09.11.2012), written in rust_xlsxwriter's constant-memory mode so a long
//! list costs no more memory than a short one.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::{Cell, ExportError, Result};

/// Excel's limit on a sheet name's length.
const SHEET_NAME_MAX: usize = 31;

/// Writes the columns and then each row to a new workbook at `path`; returns how many
/// rows.
pub fn write_xlsx(
    path: &Path,
    title: &str,
    columns: &[String],
    rows: impl Iterator<Item = Result<Vec<Cell>>>,
) -> Result<u64> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name(title))?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    // Widths are set before any row: in constant-memory mode rows go to disk as they
    // are written. The first column holds names (a region, a campaign).
    for (col, name) in columns.iter().enumerate() {
        let width = name.chars().count().max(if col == 0 { 28 } else { 10 }).min(60);
        sheet.set_column_width(col as u16, width as f64 + 2.0)?;
        sheet.write_string_with_format(0, col as u16, name, &bold)?;
    }
    let mut count: u64 = 0;
    for row in rows {
        let row = row?;
        if row.len() != columns.len() {
            return Err(ExportError::RowWidth { expected: columns.len(), found: row.len() });
        }
        let r = (count + 1) as u32;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(r, c, text)?;
                }
                Cell::Integer(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Date(iso) => match ExcelDateTime::parse_from_str(iso) {
                    Ok(d) => {
                        sheet.write_datetime_with_format(r, c, &d, &date)?;
                    }
                    Err(_) => {
                        sheet.write_string(r, c, iso)?;
                    }
                },
            }
        }
        count += 1;
    }
    workbook.save(path)?;
    Ok(count)
}

/// A sheet name Excel accepts: none of `[]:*?/\` nor control characters, at most 31
/// UTF-16 units (as Excel counts), not empty nor quoted.
fn sheet_name(title: &str) -> String {
    let mut name = String::new();
    let mut units = 0;
    for c in title.chars().filter(|c| !c.is_control()) {
        let c = if "[]:*?/\\".contains(c) { '-' } else { c };
        units += c.len_utf16();
        if units > SHEET_NAME_MAX {
            break;
        }
        name.push(c);
    }
    let name = name.trim_matches(|c: char| c == '\'' || c.is_whitespace()).to_owned();
    if name.is_empty() { "Saite".to_owned() } else { name }
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx, open_workbook};

    use super::*;
    use crate::tests::sample;

    fn read_back(path: &Path) -> Vec<Vec<Data>> {
        let mut book: Xlsx<_> = open_workbook(path).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        range.rows().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn numbers_stay_numbers_and_dates_dates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let table = sample();
        assert_eq!(write_xlsx(&path, &table.title, &table.columns, table.rows.into_iter().map(Ok)).unwrap(), 2);
        let rows = read_back(&path);
        assert_eq!(rows[0][0], Data::String("Gads".into()));
        assert_eq!(rows[1][2], Data::Float(60.0));
        let Data::DateTime(date) = &rows[1][3] else { panic!("a date cell: {:?}", rows[1][3]) };
        assert_eq!(date.as_f64(), 40466.0, "15.10.2010 as Excel counts days");
        assert_eq!(rows[2][0], Data::String("Kopā; \"visi\"".into()));
        assert_eq!(rows[2][3], Data::Empty);
        let book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names(), ["Pasākumi un dalībnieki, gads"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

        /// Any text and whole number reads back as written, under any title.
        #[test]
        fn any_cells_read_back(
            title in ".{0,40}",
            cells in proptest::collection::vec((any_text(), -1_000_000_000i64..1_000_000_000), 1..6),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.xlsx");
            let columns = vec!["text".to_owned(), "number".to_owned()];
            let rows: Vec<Vec<Cell>> = cells.iter().map(|(t, n)| vec![Cell::Text(t.clone()), Cell::Integer(*n)]).collect();
            write_xlsx(&path, &title, &columns, rows.into_iter().map(Ok)).unwrap();
            let back = read_back(&path);
            for ((text, number), row) in cells.iter().zip(&back[1..]) {
                let shown = match &row[0] { Data::String(s) => s.clone(), Data::Empty => String::new(), other => other.to_string() };
                proptest::prop_assert_eq!(&shown, text);
                proptest::prop_assert_eq!(&row[1], &Data::Float(*number as f64));
            }
        }
    }

    /// Text an XLSX cell can hold: XML 1.0 has no place for most control characters.
    fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
        "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]{0,40}"
    }
}
