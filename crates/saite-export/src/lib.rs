//! Tables out of Saite: what a screen shows, written as CSV or XLSX for a funder's
//! spreadsheet, and people as vCards for an address book.
//!
//! Glossary:
//! - **table**: a title, its columns and rows of cells ([`Table`]); rows may also come
//!   one by one ([`write_csv`], [`write_xlsx`] take any iterator), so a long list is
//!   written without being held in memory.
//! - **cell**: text, a whole number or a date ([`Cell`]); XLSX keeps the type (numbers
//!   sum, dates sort), CSV writes them as the chosen convention spells them.
//! - **convention**: how a CSV file separates fields and writes numbers and dates
//!   ([`CsvConvention`]): comma and ISO dates for other programs, or semicolon, decimal
//!   comma and 09.11.2012 as Latvian Excel reads them.
//! - **printed report**: a report the UI composed, laid out on A4 pages as PDF
//!   ([`write_pdf`]).
//! - **list export**: a list screen's records with its filters, streamed from the store
//!   ([`export_list`], [`export_cards`]), reporting [`Progress`] and cancellable.
//!
//! Invariant: a written file holds exactly the table's cells, in order; nothing is left
//! half-written where the caller renames it into place only after success
//! ([`write_file`]).

mod csv_out;
mod list;
mod pdf;
mod vcard;
mod xlsx_out;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use csv_out::write_csv;
pub use list::{Progress, export_list};
#[cfg(feature = "test-support")]
pub use pdf::pdf_text;
pub use pdf::{PrintedBlock, PrintedReport, pdf_bytes, write_pdf};
pub use vcard::{Card, card_text, export_cards, parse_cards};
pub use xlsx_out::write_xlsx;

/// A table as a screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Table {
    /// The sheet's name and the file's stem ("Pasākumi un dalībnieki, gads").
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
#[ts(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Cell {
    Empty,
    Text(String),
    Integer(i64),
    /// An ISO date (`2012-11-09`).
    Date(String),
}

/// Which file a table becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Comma-separated, ISO dates: for other programs.
    Csv,
    /// Semicolon-separated, decimal comma, dates as 09.11.2012: as Latvian Excel opens
    /// a double-clicked CSV file.
    CsvExcelLv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::CsvExcelLv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// How a CSV file spells fields, numbers and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvConvention {
    pub separator: u8,
    pub decimal_comma: bool,
    /// Dates as 09.11.2012 rather than 2012-11-09.
    pub dotted_dates: bool,
    /// Text Excel would take for a formula or a number starts with an apostrophe.
    pub guard_formulas: bool,
}

impl CsvConvention {
    pub const PLAIN: CsvConvention =
        CsvConvention { separator: b',', decimal_comma: false, dotted_dates: false, guard_formulas: false };
    pub const EXCEL_LV: CsvConvention =
        CsvConvention { separator: b';', decimal_comma: true, dotted_dates: true, guard_formulas: true };
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write the CSV file: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the XLSX file: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("a row has {found} cells where the table has {expected} columns")]
    RowWidth { expected: usize, found: usize },
    #[error("the export was cancelled")]
    Cancelled,
    #[error("the export was interrupted before every record was read")]
    Interrupted,
    #[error("cannot write the PDF file: {0}")]
    Pdf(String),
    #[error("only people can be exported as vCards")]
    NotPeople,
    #[error(transparent)]
    Store(#[from] saite_store::StoreError),
}

pub type Result<T, E = ExportError> = std::result::Result<T, E>;

/// Writes `table` as `format` into `dir`, under a name made from its title and `stamp`
/// (a local date and time, "2026-12-07 15.30"), never replacing a file already there.
/// The file is written under a temporary name and renamed into place only once
/// complete. Returns its path.
pub fn write_file(dir: &Path, table: &Table, format: ExportFormat, stamp: &str) -> Result<PathBuf> {
    write_table_file(dir, &table.title, &table.columns, table.rows.iter().cloned().map(Ok), format, stamp)
}

/// [`write_file`] for rows that come one by one (a list read from the store): a row
/// that fails ends the export, leaving no file behind.
pub fn write_table_file(
    dir: &Path,
    title: &str,
    columns: &[String],
    rows: impl Iterator<Item = Result<Vec<Cell>>>,
    format: ExportFormat,
    stamp: &str,
) -> Result<PathBuf> {
    write_new_file(dir, title, format.extension(), stamp, |partial| match format {
        ExportFormat::Csv | ExportFormat::CsvExcelLv => {
            let convention = if format == ExportFormat::Csv { CsvConvention::PLAIN } else { CsvConvention::EXCEL_LV };
            let file = std::fs::File::create(partial).map_err(io_error(partial))?;
            write_csv(std::io::BufWriter::new(file), columns, rows, convention)
        }
        ExportFormat::Xlsx => write_xlsx(partial, title, columns, rows),
    })
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError {
    let path = path.to_owned();
    move |source| ExportError::Io { path, source }
}

/// Creates a file named from `title` and `stamp` with `extension` in `dir` by `write`,
/// which fills it under a temporary name: put in place once `write` succeeds, removed
/// when it fails. Two saves of one title at once get two names: the temporary file is
/// claimed with `create_new`, and the finished file is linked into place only where no
/// file has that name (never replacing one).
pub(crate) fn write_new_file(
    dir: &Path,
    title: &str,
    extension: &str,
    stamp: &str,
    write: impl FnOnce(&Path) -> Result<u64>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let stem = file_stem(title, stamp);
    let name = |n: u32| if n < 2 { format!("{stem}.{extension}") } else { format!("{stem} ({n}).{extension}") };
    // The first name whose file does not exist and whose temporary file this save can
    // claim (create empty).
    let mut n = 1;
    let (mut target, partial) = loop {
        let target = dir.join(name(n));
        let partial = dir.join(format!("{}.part", name(n)));
        n += 1;
        if target.exists() {
            continue;
        }
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&partial) {
            Ok(_) => break (target, partial),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error(&partial)(e)),
        }
    };
    if let Err(e) = write(&partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    loop {
        match std::fs::hard_link(&partial, &target) {
            Ok(()) => break,
            // Taken meanwhile by another save: the next free name.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                target = dir.join(name(n));
                n += 1;
            }
            // A file system without hard links (a FAT stick): renamed instead, which
            // only a save finishing at the same instant under the same name could race.
            Err(_) if !target.exists() => {
                std::fs::rename(&partial, &target).map_err(io_error(&target))?;
                return Ok(target);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(io_error(&target)(e));
            }
        }
    }
    std::fs::remove_file(&partial).map_err(io_error(&partial))?;
    Ok(target)
}

/// A file name from a title: letters (Latvian and Cyrillic too), digits, spaces and
/// a few marks kept, anything a file system might refuse replaced.
fn file_stem(title: &str, stamp: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_alphanumeric() || " -_.,()·".contains(c) { c } else { '-' })
            .collect::<String>()
            .trim_matches(|c: char| c == '.' || c.is_whitespace())
            .to_owned()
    };
    let title: String = clean(title).chars().take(80).collect();
    let title = if title.is_empty() { "Saite".to_owned() } else { title };
    format!("{title} {}", clean(stamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Table {
        Table {
            title: "Pasākumi un dalībnieki, gads".into(),
            columns: vec!["Gads".into(), "Pasākumi".into(), "Dalībnieki".into(), "Pirmais".into()],
            rows: vec![
                vec![Cell::Text("2010".into()), Cell::Integer(1), Cell::Integer(60), Cell::Date("2010-10-15".into())],
                vec![Cell::Text("Kopā; \"visi\"".into()), Cell::Integer(5), Cell::Integer(411), Cell::Empty],
            ],
        }
    }

    #[test]
    fn a_file_is_named_by_its_title_never_replaces_another_and_leaves_no_part_behind() {
        let dir = tempfile::tempdir().unwrap();
        let table = Table { title: "Pasākumi/dalībnieki: *gads*".into(), ..sample() };
        let first = write_file(dir.path(), &table, ExportFormat::Csv, "2026-12-07 15.30").unwrap();
        assert_eq!(first.file_name().unwrap(), "Pasākumi-dalībnieki- -gads- 2026-12-07 15.30.csv");
        let second = write_file(dir.path(), &table, ExportFormat::Csv, "2026-12-07 15.30").unwrap();
        assert_eq!(second.file_name().unwrap(), "Pasākumi-dalībnieki- -gads- 2026-12-07 15.30 (2).csv");
        let xlsx = write_file(dir.path(), &table, ExportFormat::Xlsx, "2026-12-07 15.30").unwrap();
        assert!(xlsx.extension().unwrap() == "xlsx");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 3, "no .part file remains: {names:?}");

        // A row of the wrong width fails the export and leaves nothing behind.
        let bad = Table { rows: vec![vec![Cell::Integer(1)]], ..sample() };
        let empty = tempfile::tempdir().unwrap();
        for format in [ExportFormat::Csv, ExportFormat::Xlsx] {
            assert!(matches!(write_file(empty.path(), &bad, format, "x"), Err(ExportError::RowWidth { .. })));
        }
        assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    }

    #[test]
    fn saves_of_one_title_at_once_get_names_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = std::thread::scope(|scope| {
            let saves: Vec<_> = (0..4)
                .map(|i| {
                    let dir = dir.path();
                    scope.spawn(move || {
                        write_new_file(dir, "Personas", "csv", "2026-12-07", |partial| {
                            std::fs::write(partial, format!("save {i}")).unwrap();
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            Ok(1)
                        })
                        .unwrap()
                    })
                })
                .collect();
            saves.into_iter().map(|s| s.join().unwrap()).collect()
        });
        let mut contents: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
        contents.sort();
        assert_eq!(contents, ["save 0", "save 1", "save 2", "save 3"], "each save kept whole: {paths:?}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4, "four files, no .part left");
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<Table>();
        saite_ts_bindings::assert_ts_fresh::<Cell>();
        saite_ts_bindings::assert_ts_fresh::<ExportFormat>();
        saite_ts_bindings::assert_ts_fresh::<Progress>();
        saite_ts_bindings::assert_ts_fresh::<PrintedReport>();
        saite_ts_bindings::assert_ts_fresh::<PrintedBlock>();
    }
}
