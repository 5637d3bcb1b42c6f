//! What an import would do, row by row, before anything is written: each row as the
//! record it would become, the reasons it cannot, and the records it may duplicate.
//!
//! Glossary:
//! - **defaults**: values for fields a row leaves empty (the legal basis every imported
//!   person is kept under), chosen by the user once for the whole file.
//! - **preview row**: a row's record, its refusals ([`FieldError`]s, shown translated)
//!   and its duplicates: live records that look the same ([`DuplicateCandidate`]), or
//!   an earlier row of the same file.
//! - **decision**: what to do with a row ([`RowDecision`]): add it, merge it into a
//!   record it duplicates (filling that record's empty fields, joining phones and
//!   e-mails), or skip it.

use std::collections::HashMap;

use saite_domain::fold::fold;
use saite_domain::{CodeList, FieldError, FieldKind, FieldSpec, RecordId, ReferenceData, ValidationCode};
use saite_i18n::{Catalogue, Locale};
use saite_store::{DuplicateCandidate, ListQuery, Store};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::mapping::{ImportKind, Mapping};
use crate::source::SourceTable;
use crate::{ImportError, Result};

/// One row as it would be imported.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct PreviewRow {
    /// Where the row is in the file.
    pub line: u32,
    /// The record it would become.
    #[ts(type = "Record<string, unknown>")]
    pub document: Map<String, Value>,
    /// Why it cannot be imported; empty when it can.
    pub errors: Vec<FieldError>,
    /// Live records it may be the same as.
    pub duplicates: Vec<DuplicateCandidate>,
    /// An earlier row of the file it may be the same as.
    pub same_as_line: Option<u32>,
    /// What is done with it unless the user says otherwise ([`PreviewRow::default_decision`]).
    pub decision: RowDecision,
}

/// What to do with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(tag = "kind", rename_all = "camelCase")]
pub enum RowDecision {
    Add,
    /// Into this record (one of the row's duplicates).
    Merge {
        into: RecordId,
    },
    Skip,
}

impl PreviewRow {
    /// What is done with the row unless the user says otherwise: a refused row or a
    /// repeat of an earlier row is skipped, a row like a live record merged into it,
    /// any other added.
    pub fn default_decision(&self) -> RowDecision {
        if !self.errors.is_empty() || self.same_as_line.is_some() {
            RowDecision::Skip
        } else if let Some(first) = self.duplicates.first() {
            RowDecision::Merge { into: first.id }
        } else {
            RowDecision::Add
        }
    }
}

/// Codes by their names: each code of a list by itself and by its name in every
/// language, folded.
struct CodeNames(HashMap<(CodeList, String), String>);

impl CodeNames {
    fn new() -> CodeNames {
        let catalogue = Catalogue::embedded();
        let data = ReferenceData::shipped();
        let mut names = HashMap::new();
        for list in CodeList::ALL {
            for code in data.codes(list) {
                names.insert((list, fold(code)), code.clone());
                for locale in Locale::ALL {
                    let name = catalogue.message(locale, &ReferenceData::message_id(list, code));
                    names.entry((list, fold(&name))).or_insert_with(|| code.clone());
                }
            }
        }
        CodeNames(names)
    }

    fn code(&self, list: CodeList, text: &str) -> Option<&str> {
        self.0.get(&(list, fold(text))).map(String::as_str)
    }
}

/// Organisations by their folded names, for a person's "organisation" column.
fn organisations_by_name(store: &Store) -> Result<HashMap<String, Vec<RecordId>>> {
    let mut by_name: HashMap<String, Vec<RecordId>> = HashMap::new();
    let query = ListQuery {
        collection: saite_domain::Collection::Organisation,
        filters: Vec::new(),
        sort: None,
        descending: false,
        offset: 0,
        limit: 0,
        with_total: false,
    };
    store.each_listed(&query, |record| {
        by_name.entry(fold(&record.label)).or_default().push(record.id);
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    Ok(by_name)
}

/// Splits a cell holding several phones or e-mails ("+371 2…, +371 6…").
fn several(text: &str) -> Vec<Value> {
    text.split([',', ';', '\n', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Value::String(s.to_owned()))
        .collect()
}

/// A date as the import reads it: ISO, or 09.11.2012 as Latvian and Russian write it.
fn date(text: &str) -> Option<String> {
    if saite_domain::validate::parse_date(text).is_some() {
        return Some(text.to_owned());
    }
    let parts: Vec<&str> = text.split(['.', '/']).map(str::trim).collect();
    match parts[..] {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            let iso = format!("{y}-{m:0>2}-{d:0>2}");
            saite_domain::validate::parse_date(&iso).map(|_| iso)
        }
        _ => None,
    }
}

fn yes_no(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "ja" | "yes" | "da" | "true" | "1" | "x" | "+" => Some(true),
        "ne" | "no" | "net" | "false" | "0" | "-" => Some(false),
        _ => None,
    }
}

/// Turns rows into the records they would be, and checks them.
pub struct RowReader<'a> {
    kind: ImportKind,
    codes: CodeNames,
    organisations: HashMap<String, Vec<RecordId>>,
    store: &'a Store,
}

impl<'a> RowReader<'a> {
    pub fn new(store: &'a Store, kind: ImportKind) -> Result<RowReader<'a>> {
        let organisations = if kind == ImportKind::Person { organisations_by_name(store)? } else { HashMap::new() };
        Ok(RowReader { kind, codes: CodeNames::new(), organisations, store })
    }

    /// A cell's value for `field`, or the refusal that names the field.
    fn value(&self, field: &FieldSpec, text: &str) -> std::result::Result<Value, ValidationCode> {
        Ok(match field.kind {
            FieldKind::Code { list } => {
                Value::String(self.codes.code(list, text).ok_or(ValidationCode::UnknownCode)?.to_owned())
            }
            FieldKind::Date => Value::String(date(text).ok_or(ValidationCode::InvalidDate)?),
            FieldKind::Integer { .. } => {
                Value::from(text.replace([' ', '\u{a0}'], "").parse::<i64>().map_err(|_| ValidationCode::InvalidValue)?)
            }
            FieldKind::Bool => Value::Bool(yes_no(text).ok_or(ValidationCode::InvalidValue)?),
            FieldKind::Phones | FieldKind::Emails | FieldKind::Texts => Value::Array(several(text)),
            FieldKind::Reference { .. } => match self.organisations.get(&fold(text)).map(Vec::as_slice) {
                Some([id]) => Value::String(id.to_string()),
                // Two organisations of that name: which one is for the user to say.
                Some([_, _, ..]) => return Err(ValidationCode::AmbiguousReference),
                _ => return Err(ValidationCode::UnknownReference),
            },
            _ => Value::String(text.to_owned()),
        })
    }

    /// One row's record: the mapped cells, then `defaults` for fields left empty; the
    /// refusals of both the cells and the record's own rules.
    pub fn row(
        &self,
        cells: &[String],
        mapping: &Mapping,
        defaults: &Map<String, Value>,
    ) -> (Map<String, Value>, Vec<FieldError>) {
        let mut document = Map::new();
        let mut errors = Vec::new();
        // A full name from its parts, where no column holds it whole.
        let part = |name: &str| {
            mapping.iter().zip(cells).filter(|(f, _)| f.as_deref() == Some(name)).map(|(_, c)| c.trim()).next()
        };
        let parts: Vec<&str> =
            crate::mapping::NAME_PARTS.iter().filter_map(|p| part(p)).filter(|c| !c.is_empty()).collect();
        if self.kind == ImportKind::Person && !parts.is_empty() {
            document.insert("fullName".to_owned(), Value::String(parts.join(" ")));
        }
        for (cell, field) in cells.iter().zip(mapping) {
            let Some(field) = field.as_deref().and_then(|f| self.kind.fields().find(|s| s.name == f)) else {
                continue;
            };
            if cell.trim().is_empty() {
                continue;
            }
            match self.value(field, cell.trim()) {
                // A column with the whole name wins over the parts.
                Ok(value) => {
                    document.insert(field.name.to_owned(), value);
                }
                Err(code) => errors.push(FieldError::new(field.name, code)),
            }
        }
        for (field, value) in defaults {
            if self.kind.fields().any(|f| f.name == field) && !document.contains_key(field) {
                document.insert(field.clone(), value.clone());
            }
        }
        if let Err(refused) = saite_domain::validate_document(self.kind.collection(), &document) {
            for e in refused {
                // A field already refused for its cell is named once.
                if !errors.iter().any(|mine: &FieldError| mine.field == e.field) {
                    errors.push(e);
                }
            }
        }
        (document, errors)
    }
}

/// Every row of `table` as `kind` would import it under `mapping` and `defaults`,
/// checked and compared with the store's live records and the file's earlier rows.
/// `progress(done, total)` hears how far it has come and may stop it (`Break`), which
/// ends with [`ImportError::Cancelled`].
pub fn preview(
    store: &Store,
    kind: ImportKind,
    table: &SourceTable,
    mapping: &Mapping,
    defaults: &Map<String, Value>,
    progress: &mut dyn FnMut(u64, u64) -> std::ops::ControlFlow<()>,
) -> Result<Vec<PreviewRow>> {
    let reader = RowReader::new(store, kind)?;
    let collection = kind.collection();
    let total = table.rows.len() as u64;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for (i, source) in table.rows.iter().enumerate() {
        if i % 200 == 0 && progress(i as u64, total).is_break() {
            return Err(ImportError::Cancelled);
        }
        let (document, errors) = reader.row(&source.cells, mapping, defaults);
        // A valid row as the store will keep it (phones in E.164, e-mails trimmed): what
        // is compared with the records here and the earlier rows, and what is written.
        let (document, duplicates, same_as_line) = if errors.is_empty() {
            let document = normalised(collection, &document);
            let keys = saite_store::duplicate_keys(collection, &document);
            let same = keys.iter().find_map(|k| seen.get(k).copied());
            for key in keys {
                seen.entry(key).or_insert(source.line);
            }
            let duplicates = reader.store.duplicate_candidates(collection, &document, None)?;
            (document, duplicates, same)
        } else {
            (document, Vec::new(), None)
        };
        let mut row =
            PreviewRow { line: source.line, document, errors, duplicates, same_as_line, decision: RowDecision::Skip };
        row.decision = row.default_decision();
        rows.push(row);
    }
    let _ = progress(total, total);
    Ok(rows)
}

/// A valid document as the store keeps it (phones in E.164, e-mails trimmed), so rows
/// compare as their records will.
fn normalised(collection: saite_domain::Collection, document: &Map<String, Value>) -> Map<String, Value> {
    saite_domain::validate_document(collection, document).map(|v| v.document).unwrap_or_else(|_| document.clone())
}
