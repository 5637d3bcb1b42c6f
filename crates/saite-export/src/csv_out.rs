//! CSV: UTF-8 with a byte-order mark (so Excel reads Latvian and Russian letters), one
//! header row, then the rows.

use std::io::Write;

use crate::{Cell, CsvConvention, ExportError, Result};

/// Writes the columns and then each row to `out`; returns how many rows. Stops at the
/// first row that fails or has the wrong width.
pub fn write_csv<W: Write>(
    mut out: W,
    columns: &[String],
    rows: impl Iterator<Item = Result<Vec<Cell>>>,
    convention: CsvConvention,
) -> Result<u64> {
    out.write_all("\u{feff}".as_bytes()).map_err(csv::Error::from)?;
    let mut writer = csv::WriterBuilder::new().delimiter(convention.separator).from_writer(out);
    writer.write_record(columns)?;
    let mut count = 0;
    for row in rows {
        let row = row?;
        if row.len() != columns.len() {
            return Err(ExportError::RowWidth { expected: columns.len(), found: row.len() });
        }
        writer.write_record(row.iter().map(|cell| spell(cell, convention)))?;
        count += 1;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(count)
}

/// A cell as the convention writes it.
fn spell(cell: &Cell, convention: CsvConvention) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) if convention.guard_formulas => excel_text(text),
        Cell::Text(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Date(iso) if convention.dotted_dates => match iso.split('-').collect::<Vec<_>>()[..] {
            [y, m, d] => format!("{d}.{m}.{y}"),
            _ => iso.clone(),
        },
        Cell::Date(iso) => iso.clone(),
    }
}

/// Text Excel would read as a formula or a number (`=HYPERLINK(…)` synced from another
/// laptop, a phone number `+37129…` that would lose its plus) kept as text by a leading
/// apostrophe; other text as it is.
fn excel_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::sample;

    fn written(convention: CsvConvention) -> String {
        let table = sample();
        let mut out = Vec::new();
        let n = write_csv(&mut out, &table.columns, table.rows.into_iter().map(Ok), convention).unwrap();
        assert_eq!(n, 2);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn latvian_excel_reads_no_formula_and_keeps_a_phone_s_plus() {
        assert_eq!(excel_text("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(excel_text("+37129145314"), "'+37129145314");
        assert_eq!(excel_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(excel_text("-1+1"), "'-1+1");
        assert_eq!(excel_text("Rīga"), "Rīga");
        let mut out = Vec::new();
        let rows = vec![Ok(vec![Cell::Text("=1+1".into())])];
        write_csv(&mut out, &["a".into()], rows.into_iter(), CsvConvention::PLAIN).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("\n=1+1\n"), "other programs get the text as it is");
    }

    #[test]
    fn latvian_excel_gets_semicolons_and_dotted_dates_after_a_bom() {
        assert_eq!(
            written(CsvConvention::EXCEL_LV),
            "\u{feff}Gads;Pasākumi;Dalībnieki;Pirmais\n2010;1;60;15.10.2010\n\"Kopā; \"\"visi\"\"\";5;411;\n"
        );
        assert_eq!(
            written(CsvConvention::PLAIN),
            "\u{feff}Gads,Pasākumi,Dalībnieki,Pirmais\n2010,1,60,2010-10-15\n\"Kopā; \"\"visi\"\"\",5,411,\n"
        );
    }

    proptest::proptest! {
        /// Any text, in any convention, reads back as written.
        #[test]
        fn any_text_reads_back(cells in proptest::collection::vec(proptest::collection::vec(".*", 3), 0..8), lv: bool) {
            let convention = if lv { CsvConvention::EXCEL_LV } else { CsvConvention::PLAIN };
            let columns: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
            let rows: Vec<Vec<Cell>> = cells.iter().map(|r| r.iter().map(|t| Cell::Text(t.clone())).collect()).collect();
            let mut out = Vec::new();
            write_csv(&mut out, &columns, rows.into_iter().map(Ok), convention).unwrap();
            let text = String::from_utf8(out).unwrap();
            let body = text.strip_prefix('\u{feff}').unwrap();
            let mut reader = csv::ReaderBuilder::new().delimiter(convention.separator).from_reader(body.as_bytes());
            let back: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
            let expected: Vec<Vec<String>> =
                cells.iter().map(|r| r.iter().map(|t| if lv { excel_text(t) } else { t.clone() }).collect()).collect();
            proptest::prop_assert_eq!(back, expected);
        }
    }
}
