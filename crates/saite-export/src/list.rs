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
//!
//! Notes and other long texts stay out of every export: they are where a consultant
//! writes what may touch on a trafficking case, and a saved file lies unencrypted in
//! Downloads, beyond the store's protection.

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

/// How far an export has come: records read of those the list counted (the writer
/// trails by at most [`IN_FLIGHT`], and an XLSX is compressed after the last).
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
/// spread into one column per code and its total. Long texts (notes) and fields only
/// the app fills in (an attachment's owner and content address) are left out.
fn columns(collection: Collection) -> Vec<Column> {
    let mut out = Vec::new();
    for field in collection.spec().fields {
        match field.kind {
            FieldKind::LongText
            | FieldKind::AnyReference { .. }
            | FieldKind::CollectionName
            | FieldKind::ContentAddress => {}
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
pub(crate) struct ReferenceNames<'a> {
    store: &'a Store,
    names: HashMap<String, String>,
}

impl<'a> ReferenceNames<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        ReferenceNames { store, names: HashMap::new() }
    }

    pub(crate) fn name_of(&mut self, id: &str) -> Result<String> {
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
    let mut references = ReferenceNames::new(store);
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

/// What the reading thread sends the writing one: an item, the failure that ends the
/// export, or the end of a complete reading.
enum Message<T> {
    Item(Result<T>),
    Complete,
}

/// The items a writer receives, ending with [`Message::Complete`]. A channel that closes
/// without it (the reading side panicked) yields an error, so no writer ever finishes a
/// file from a reading that did not finish.
struct Received<T> {
    receiver: std::sync::mpsc::Receiver<Message<T>>,
    ended: bool,
}

impl<T> Iterator for Received<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.ended {
            return None;
        }
        match self.receiver.recv() {
            Ok(Message::Item(item)) => {
                self.ended = item.is_err();
                Some(item)
            }
            Ok(Message::Complete) => {
                self.ended = true;
                None
            }
            Err(_) => {
                self.ended = true;
                Some(Err(ExportError::Interrupted))
            }
        }
    }
}

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
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Message<T>>(IN_FLIGHT);
    // Records can land between the count and the reading: the bar never passes its end.
    let report = |done: u64| Progress { done: done.min(total), total };
    let mut done = 0u64;
    let written = std::thread::scope(|scope| {
        let writer = scope.spawn(move || write(&mut Received { receiver, ended: false }));
        let mut cancelled = false;
        let read = read(&mut |item| {
            let failed = item.is_err();
            if sender.send(Message::Item(item)).is_err() || failed {
                return ControlFlow::Break(());
            }
            done += 1;
            if done.is_multiple_of(PROGRESS_EVERY) && progress(report(done)).is_break() {
                cancelled = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        // The writer finishes a file only on `Complete`; otherwise it hears why not.
        let last = match read {
            Err(e) => Message::Item(Err(e.into())),
            Ok(_) if cancelled => Message::Item(Err(ExportError::Cancelled)),
            Ok(_) => Message::Complete,
        };
        drop(sender.send(last));
        drop(sender);
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    // A cancel that came while the writer was finishing the file (compressing an XLSX
    // takes a while after the last row) still holds: the file goes.
    if progress(report(done)).is_break() {
        let _ = std::fs::remove_file(&written);
        return Err(ExportError::Cancelled);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(i: u64) -> Vec<Cell> {
        vec![Cell::Integer(i as i64)]
    }

    /// A writer of one-column rows into `dir` as CSV.
    fn csv_into(dir: &Path) -> impl FnOnce(&mut dyn Iterator<Item = Result<Vec<Cell>>>) -> Result<PathBuf> + Send + '_ {
        move |rows| crate::write_table_file(dir, "Rindas", &["N".to_owned()], rows, ExportFormat::Csv, "x")
    }

    fn go_on(_: Progress) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    #[test]
    fn a_complete_reading_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = stream(5_000, &mut go_on, csv_into(dir.path()), |emit| {
            for i in 0..5_000 {
                if emit(Ok(row(i))).is_break() {
                    break;
                }
            }
            Ok(5_000)
        })
        .unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text.lines().count(), 5_001);
    }

    #[test]
    fn a_writer_that_fails_stops_the_reading_past_a_full_channel() {
        let emitted = std::cell::Cell::new(0u64);
        let result = stream(
            100_000,
            &mut go_on,
            |rows: &mut dyn Iterator<Item = Result<Vec<Cell>>>| {
                rows.take(2 * IN_FLIGHT).for_each(drop);
                Err(ExportError::RowWidth { expected: 1, found: 2 })
            },
            |emit| {
                for i in 0..100_000 {
                    emitted.set(i + 1);
                    if emit(Ok(row(i))).is_break() {
                        break;
                    }
                }
                Ok(emitted.get())
            },
        );
        assert!(matches!(result, Err(ExportError::RowWidth { .. })), "{result:?}");
        assert!(emitted.get() < 4 * IN_FLIGHT as u64, "the reading stopped soon after: {}", emitted.get());
    }

    #[test]
    fn a_reading_that_fails_or_panics_midway_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let result = stream(1_000, &mut go_on, csv_into(dir.path()), |emit| {
            for i in 0..300 {
                let _ = emit(Ok(row(i)));
            }
            Err(saite_store::StoreError::Corrupt("page 7".into()))
        });
        assert!(matches!(result, Err(ExportError::Store(_))), "{result:?}");
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            stream(1_000, &mut go_on, csv_into(dir.path()), |emit| {
                for i in 0..300 {
                    let _ = emit(Ok(row(i)));
                }
                panic!("a bug while reading");
            })
        }));
        assert!(panicked.is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn progress_never_passes_the_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut seen = Vec::new();
        // Records landed between the count (100) and the reading (250).
        stream(
            100,
            &mut |p| {
                seen.push(p);
                ControlFlow::Continue(())
            },
            csv_into(dir.path()),
            |emit| {
                for i in 0..250 {
                    let _ = emit(Ok(row(i)));
                }
                Ok(250)
            },
        )
        .unwrap();
        assert!(seen.iter().all(|p| p.done <= p.total), "{seen:?}");
        assert_eq!(seen.last(), Some(&Progress { done: 100, total: 100 }));
    }
}
