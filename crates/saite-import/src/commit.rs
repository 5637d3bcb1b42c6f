//! The confirmed import written: every row the user chose to add or merge, in one
//! transaction, and the report of what happened to each row.

use std::ops::ControlFlow;

use saite_domain::FieldError;
use saite_store::{ImportWrite, Store};
use serde::Serialize;
use ts_rs::TS;

use crate::mapping::ImportKind;
use crate::preview::{PreviewRow, RowDecision};
use crate::{ImportError, Result};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ImportReport {
    /// Rows made into new records.
    pub added: u32,
    /// Rows merged into records already here.
    pub merged: u32,
    /// Rows not imported, and why.
    pub skipped: Vec<SkippedRow>,
}

/// A row not imported: refused (its errors) or skipped by choice (none), or a repeat
/// of an earlier row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SkippedRow {
    pub line: u32,
    pub errors: Vec<FieldError>,
    pub same_as_line: Option<u32>,
}

/// Writes `rows` as `decisions` say (one per row, in order) in one transaction; `progress(done, total)` may cancel it,
/// leaving nothing written ([`ImportError::Cancelled`]). A refused row is never written
/// whatever its decision, and a merge goes only into one of the row's own duplicates.
pub fn commit(
    store: &mut Store,
    kind: ImportKind,
    rows: &[PreviewRow],
    decisions: &[RowDecision],
    progress: &mut dyn FnMut(u64, u64) -> ControlFlow<()>,
) -> Result<ImportReport> {
    if decisions.len() != rows.len() {
        return Err(ImportError::Decisions { rows: rows.len(), decisions: decisions.len() });
    }
    let mut writes = Vec::new();
    // The file's line of each write, to name a row the store refuses.
    let mut lines = Vec::new();
    let mut report = ImportReport { added: 0, merged: 0, skipped: Vec::new() };
    for (row, decision) in rows.iter().zip(decisions) {
        let decision = if row.errors.is_empty() { *decision } else { RowDecision::Skip };
        if decision != RowDecision::Skip {
            lines.push(row.line);
        }
        match decision {
            RowDecision::Add => {
                writes.push(ImportWrite::Create { collection: kind.collection(), document: row.document.clone() });
                report.added += 1;
            }
            RowDecision::Merge { into } => {
                if !row.duplicates.iter().any(|d| d.id == into) {
                    return Err(ImportError::NotADuplicate { line: row.line });
                }
                writes.push(ImportWrite::Merge { into, document: row.document.clone() });
                report.merged += 1;
            }
            RowDecision::Skip => report.skipped.push(SkippedRow {
                line: row.line,
                errors: row.errors.clone(),
                same_as_line: row.same_as_line,
            }),
        }
    }
    match store.apply_import(writes, progress) {
        Ok(Some(_)) => Ok(report),
        Ok(None) => Err(ImportError::Cancelled),
        Err((Some(i), source)) => Err(ImportError::Row { line: lines[i], source }),
        Err((None, source)) => Err(source.into()),
    }
}
