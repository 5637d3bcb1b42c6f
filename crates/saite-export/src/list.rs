//! A list screen's records, with its filters, as a table: every field of the
//! collection a column named in the user's language, codes by their names, references
//! by the name of the record they point to.
//!
//! Glossary:
//! - **list export**: the records of one [`ListQuery`] (its window aside) written as a
//!   file, read from the store in one pass ([`Store::each_listed`]) so memory stays flat
//!   in their number.
//! - **progress**: how many records are written of how many; the caller's answer to it
//!   decides whether the export goes on ([`Progress`]).

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use saite_domain::{Collection, FieldKind, FieldSpec, RecordId, ReferenceData};
use saite_i18n::{Catalogue, Locale};
use saite_store::{ListQuery, Store, StoredRecord};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{Cell, ExportError, ExportFormat, Result};

/// How far an export has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// Records between two progress reports: often enough for a smooth bar and a prompt
/// cancel, rarely enough to cost nothing.
const PROGRESS_EVERY: u64 = 100;

/// One column of a list export.
#[derive(Debug, Clone, Copy)]
enum Column {
    Field(&'static FieldSpec),
    /// One code's count of a counts field (participants who are teachers).
    Count {
        field: &'static FieldSpec,
        code: &'static str,
    },
    /// A counts field's sum over its codes.
    CountTotal(&'static FieldSpec),
}

/// The columns of `collection`'s export: its fields in spec order, a counts field
/// spread into one column per code and its total. Fields only the app fills in
/// (an attachment's owner and content address) are left out.
fn columns(collection: Collection) -> Vec<Column> {
    let mut out = Vec::new();
    for field in collection.spec().fields {
        match field.kind {
            FieldKind::AnyReference { .. } | FieldKind::CollectionName | FieldKind::ContentAddress => {}
            FieldKind::Counts { list } => {
                out.extend(
                    ReferenceData::shipped()
                        .codes(list)
                        .iter()
                        .map(|code| Column::Count { field, code: code.as_str() }),
                );
                out.push(Column::CountTotal(field));
            }
            _ => out.push(Column::Field(field)),
        }
    }
    out
}

/// Names and formats cells in one language.
struct Namer<'a> {
    catalogue: &'a Catalogue,
    locale: Locale,
    collection: Collection,
}

impl Namer<'_> {
    fn message(&self, id: &str) -> String {
        self.catalogue.message(self.locale, id)
    }

    fn field_label(&self, field: &FieldSpec) -> String {
        self.message(&format!("field-{}-{}", self.collection.as_str(), field.name))
    }

    fn header(&self, column: &Column) -> String {
        match column {
            Column::Field(field) => self.field_label(field),
            Column::Count { field, code } => {
                let FieldKind::Counts { list } = field.kind else {
                    unreachable!("a count column is of a counts field")
                };
                format!("{}: {}", self.field_label(field), self.message(&ReferenceData::message_id(list, code)))
            }
            Column::CountTotal(field) => {
                format!("{}: {}", self.field_label(field), self.message("export-column-total"))
            }
        }
    }
}

/// A record's cells, column by column. `name_of` gives the name of a referenced record.
fn cells(
    namer: &Namer<'_>,
    columns: &[Column],
    record: &StoredRecord,
    name_of: &mut impl FnMut(&str) -> Result<String>,
) -> Result<Vec<Cell>> {
    let text = |s: String| if s.is_empty() { Cell::Empty } else { Cell::Text(s) };
    columns
        .iter()
        .map(|column| {
            let value = |field: &FieldSpec| record.document.get(field.name).filter(|v| !v.is_null());
            Ok(match *column {
                Column::Field(field) => match (field.kind, value(field)) {
                    (_, None) => Cell::Empty,
                    (FieldKind::Code { list }, Some(Value::String(code))) if !code.is_empty() => {
                        Cell::Text(namer.message(&ReferenceData::message_id(list, code)))
                    }
                    (FieldKind::Date, Some(Value::String(date))) if !date.is_empty() => Cell::Date(date.clone()),
                    (FieldKind::Integer { .. }, Some(Value::Number(n))) => {
                        n.as_i64().map_or(Cell::Empty, Cell::Integer)
                    }
                    (FieldKind::Bool, Some(Value::Bool(b))) => Cell::Text(namer.message(if *b { "yes" } else { "no" })),
                    (FieldKind::Reference { .. }, Some(Value::String(id))) => text(name_of(id)?),
                    (_, Some(Value::Array(items))) => {
                        text(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
                    }
                    (_, Some(Value::String(s))) => text(s.clone()),
                    (_, Some(other)) => Cell::Text(other.to_string()),
                },
                Column::Count { field, code } => {
                    Cell::Integer(value(field).and_then(|v| v.get(code)).and_then(Value::as_i64).unwrap_or(0))
                }
                Column::CountTotal(field) => Cell::Integer(
                    value(field).and_then(Value::as_object).map_or(0, |m| m.values().filter_map(Value::as_i64).sum()),
                ),
            })
        })
        .collect()
}

/// The names of referenced records, each read from the store once: a list of 100 000
/// distributions names a few thousand organisations and materials.
struct ReferenceNames<'a> {
    store: &'a Store,
    names: HashMap<String, String>,
}

impl ReferenceNames<'_> {
    fn name_of(&mut self, id: &str) -> Result<String> {
        if let Some(name) = self.names.get(id) {
            return Ok(name.clone());
        }
        // A reference that does not parse or names no record is shown empty: the list
        // shows it so too.
        let name = match id.parse::<RecordId>() {
            Ok(rid) => self.store.get(rid)?.map(|r| r.label).unwrap_or_default(),
            Err(_) => String::new(),
        };
        self.names.insert(id.to_owned(), name.clone());
        Ok(name)
    }
}

/// Writes every record `query` lists (its window aside) as `format` into `dir`, titled
/// by the list's name in `locale`; returns the file's path. `progress` hears how far it
/// has come at the start, every hundred records and at the end; breaking cancels the export,
/// leaving no file.
pub fn export_list(
    store: &Store,
    query: &ListQuery,
    locale: Locale,
    format: ExportFormat,
    dir: &Path,
    stamp: &str,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<PathBuf> {
    let catalogue = Catalogue::embedded();
    let namer = Namer { catalogue, locale, collection: query.collection };
    let columns = columns(query.collection);
    let headers: Vec<String> = columns.iter().map(|c| namer.header(c)).collect();
    let title = namer.message(&format!("tab-{}", query.collection.as_str()));
    let total = total_of(store, query)?;
    let mut references = ReferenceNames { store, names: HashMap::new() };
    stream(
        total,
        progress,
        |rows| crate::write_table_file(dir, &title, &headers, rows, format, stamp),
        |emit| {
            store.each_listed(query, |record| {
                Ok(emit(cells(&namer, &columns, &record, &mut |id| references.name_of(id))))
            })
        },
    )
}

/// How many records `query` lists.
pub(crate) fn total_of(store: &Store, query: &ListQuery) -> Result<u64> {
    let counted = store.list(&ListQuery { offset: 0, limit: 0, with_total: true, ..query.clone() })?;
    Ok(u64::from(counted.total.unwrap_or(0)))
}

/// Rows waiting between the reading and the writing thread: enough to keep both busy,
/// few enough that memory stays flat.
const IN_FLIGHT: usize = 1024;

/// Runs `read`, which hands each item (a row, a card) to the `emit` it is given, on
/// this thread, while `write` writes them as they come on a thread of its own: the
/// store's connection stays on the thread that owns it, and reading and writing
/// overlap. `emit` answers `Break` once the writer has stopped (failed) or `progress`
/// cancelled, so the reading stops too; a cancelled or failed export ends with the
/// writer's error and leaves no file (the writers remove their partial file).
pub(crate) fn stream<T: Send>(
    total: u64,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    write: impl FnOnce(&mut dyn Iterator<Item = Result<T>>) -> Result<PathBuf> + Send,
    read: impl FnOnce(&mut dyn FnMut(Result<T>) -> ControlFlow<()>) -> saite_store::Result<u64>,
) -> Result<PathBuf> {
    if progress(Progress { done: 0, total }).is_break() {
        return Err(ExportError::Cancelled);
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<T>>(IN_FLIGHT);
    let mut done = 0u64;
    let written = std::thread::scope(|scope| {
        let writer = scope.spawn(move || write(&mut receiver.into_iter()));
        let mut cancelled = false;
        let read = read(&mut |item| {
            let failed = item.is_err();
            if sender.send(item).is_err() || failed {
                return ControlFlow::Break(());
            }
            done += 1;
            if done.is_multiple_of(PROGRESS_EVERY) && progress(Progress { done, total }).is_break() {
                cancelled = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        // The writer must not finish a file the reading did not: it hears why it stops.
        match read {
            Err(e) => drop(sender.send(Err(e.into()))),
            Ok(_) if cancelled => drop(sender.send(Err(ExportError::Cancelled))),
            Ok(_) => {}
        }
        drop(sender);
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    // A cancel that came while the writer was finishing the file (compressing an XLSX
    // takes a while after the last row) still holds: the file goes.
    if progress(Progress { done, total }).is_break() {
        let _ = std::fs::remove_file(&written);
        return Err(ExportError::Cancelled);
    }
    Ok(written)
}
