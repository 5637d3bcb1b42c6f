//! Organisations and people into Saite from a partner's spreadsheet or address book:
//! CSV, XLSX and vCard files read as tables, their columns mapped to fields, every row
//! checked and compared with the records already here, and nothing written until the
//! user confirms; then all of it in one transaction.
//!
//! Glossary:
//! - **source table**: a file's texts as header and rows ([`SourceTable`]).
//! - **mapping**: which column fills which field ([`Mapping`]), guessed from the header
//!   in Latvian, Russian or English ([`guess_mapping`]).
//! - **preview**: every row as the record it would be, with its refusals and duplicates
//!   ([`preview`], [`PreviewRow`]).
//! - **decision**: per row, add, merge into a duplicate, or skip ([`RowDecision`]).
//! - **import report**: what was added, merged and skipped, and why ([`ImportReport`]).
//!
//! Invariant: an import writes every row it was told to, or nothing (one transaction:
//! a row the store refuses, or a cancel, rolls all of it back). A row the preview
//! refused is never written, whatever its decision.

mod commit;
mod mapping;
mod preview;
mod source;

pub use commit::{ImportReport, SkippedRow, commit};
pub use mapping::{ImportKind, Mapping, NAME_PARTS, guess_mapping};
pub use preview::{PreviewRow, RowDecision, preview};
pub use source::{MAX_ROWS, SourceFormat, SourceRow, SourceSummary, SourceTable, read_source};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file has no rows to import")]
    Empty,
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file has more than {MAX_ROWS} rows")]
    TooManyRows,
    #[error("the import was cancelled")]
    Cancelled,
    #[error("row {line} cannot be merged: it has no such duplicate")]
    NotADuplicate { line: u32 },
    #[error("{decisions} decisions for {rows} rows")]
    Decisions { rows: usize, decisions: usize },
    /// The store refused row `line` when it was written (its record changed on another
    /// laptop since the check, say); nothing was written.
    #[error("row {line}: {source}")]
    Row { line: u32, source: saite_store::StoreError },
    #[error(transparent)]
    Store(#[from] saite_store::StoreError),
}

pub type Result<T, E = ImportError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #[test]
    fn generated_typescript_is_fresh() {
        use saite_ts_bindings::assert_ts_fresh;
        assert_ts_fresh::<crate::SourceTable>();
        assert_ts_fresh::<crate::SourceRow>();
        assert_ts_fresh::<crate::SourceSummary>();
        assert_ts_fresh::<crate::SourceFormat>();
        assert_ts_fresh::<crate::ImportKind>();
        assert_ts_fresh::<crate::PreviewRow>();
        assert_ts_fresh::<crate::RowDecision>();
        assert_ts_fresh::<crate::ImportReport>();
        assert_ts_fresh::<crate::SkippedRow>();
    }
}
