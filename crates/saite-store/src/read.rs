//! Reading: one record, list pages, search, history, trash and the outbox.

use std::ops::ControlFlow;
use std::sync::Arc;

use rusqlite::{OptionalExtension, ToSql, params};
use saite_domain::{Collection, FieldKind, Hlc, RecordId, ReferenceData, fold, reference::ABROAD};
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::{
    Store,
    error::{Result, StoreError},
    list_keys::{column_of, list_index_name, list_key_fields},
};

/// A record as the UI sees it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct StoredRecord {
    pub id: RecordId,
    pub collection: Collection,
    #[ts(type = "Record<string, unknown>")]
    pub document: Map<String, Value>,
    pub deleted: bool,
    /// Wall time of creation and of the last change, ms since the epoch (from the HLC).
    pub created_at_ms: u64,
    pub updated_at_ms: u64,
    /// The short name lists and search results show.
    pub label: String,
}

/// One field change in a record's history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub record_id: RecordId,
    pub field: String,
    #[ts(type = "unknown")]
    pub old_value: Option<Value>,
    #[ts(type = "unknown")]
    pub new_value: Option<Value>,
    pub at_ms: u64,
    pub author: String,
    /// "local", "remote" or "merge".
    pub origin: String,
    pub hlc: String,
}

/// A local change waiting to be pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub device_seq: i64,
    pub record_id: RecordId,
    pub collection: Collection,
    pub field: String,
    pub value: Value,
    pub hlc: Hlc,
    /// Long text fields only: the version the server should still hold for this change
    /// to be stored (its stamp, or `None` for no value yet). See [`crate::text_merge`].
    pub expect: Option<Option<Hlc>>,
}

/// A local change waiting to be pushed, as the outbox holds it: one write of one
/// record, the fields it set under its one stamp.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxChange {
    pub device_seq: i64,
    pub record_id: RecordId,
    pub collection: Collection,
    pub hlc: Hlc,
    /// The fields as stored ([`saite_protocol::FieldValues::Stored`]): a push sends the
    /// text as it is, never parsed only to be written out again.
    pub fields: saite_protocol::FieldValues,
    /// How many fields `fields` holds (counted when it was read: a push is cut by it).
    pub field_count: usize,
    /// Its long text fields, each an entry with its `expect`: what settling the push
    /// reads ([`Store::settle_push`]).
    pub texts: Vec<OutboxEntry>,
}

impl OutboxChange {
    /// One entry per field, in field order (the long texts with their `expect`).
    pub fn into_entries(self) -> Result<Vec<OutboxEntry>> {
        let OutboxChange { device_seq, record_id, collection, hlc, fields, texts, .. } = self;
        let values = fields.into_values().map_err(|_| StoreError::Corrupt(format!("outbox {device_seq}: fields")))?;
        let mut texts = texts.into_iter().map(|t| (t.field, t.expect)).collect::<std::collections::BTreeMap<_, _>>();
        Ok(values
            .into_iter()
            .map(|(field, value)| {
                let expect = texts.remove(&field).flatten();
                OutboxEntry { device_seq, record_id, collection, field, value, hlc, expect }
            })
            .collect())
    }
}

use serde::Deserialize;

/// A field's name as a stored JSON text spells it: borrowed from the text unless
/// written with escapes.
#[derive(PartialEq, Eq, PartialOrd, Ord, Deserialize)]
struct FieldName<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SearchHit {
    pub id: RecordId,
    pub collection: Collection,
    pub label: String,
}

/// A filter on a list screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(rename_all = "camelCase", tag = "kind")]
pub enum ListFilter {
    /// Records whose `field` equals `value` (only the fields in [`filterable_fields`]).
    FieldEquals { field: String, value: String },
    /// Records whose municipality lies in a planning region; `abroad`: an organisation
    /// with a country and no municipality; "" (a report's row of no region): with
    /// neither.
    Region { region: String },
    /// Records whose date falls in a year.
    Year { year: i32 },
    /// Records whose true/false `field` has `value` (open follow-ups: done = false).
    Flag { field: String, value: bool },
    /// Records whose date falls between `from` and `to` (ISO dates, both included;
    /// either may be open).
    Period { from: Option<String>, to: Option<String> },
    /// Records whose count `field` counts someone for `code` (a seminar attended by
    /// social workers).
    Counts { field: String, code: String },
    /// Records without a value in `field` (seminars of no campaign).
    Empty { field: String },
    /// Records whose reference `field` names a record that passes `filter`
    /// (distributions to schools: the recipient organisation's kind).
    Via { field: String, filter: Box<ListFilter> },
    /// Records a live link record of the collection `link` joins to the record `id`
    /// (the campaigns of a funder, through `campaign-funder` links).
    Linked { link: Collection, id: String },
    /// Records a live link record of the collection `link` joins to a live record that
    /// passes every one of `filters` (the organisations that took part in the events of
    /// a period, through `seminar-organisation` links).
    Reached { link: Collection, filters: Vec<ListFilter> },
}

/// Which page of which collection, filtered and sorted how.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ListQuery {
    pub collection: Collection,
    #[serde(default)]
    pub filters: Vec<ListFilter>,
    /// A field from [`sortable_fields`]; default: newest first by creation.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub descending: bool,
    #[serde(default)]
    pub offset: u32,
    pub limit: u32,
    /// Whether to count every match as well. The count only changes with the filters,
    /// so a list scrolling through pages asks for it with the first page only.
    #[serde(default)]
    pub with_total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ListPage {
    /// Every match, when the query asked `with_total`.
    pub total: Option<u32>,
    pub items: Vec<StoredRecord>,
}

/// The largest page a list query returns.
pub const MAX_PAGE: u32 = 500;

/// A list query without its window (offset, limit, count): what its matches depend on.
#[derive(Debug, PartialEq)]
pub(crate) struct ListKey {
    collection: Collection,
    filters: Vec<ListFilter>,
    sort: Option<String>,
    descending: bool,
}

/// The ordered row ids matching one [`ListKey`], and the database version they were
/// read at.
#[derive(Debug)]
pub(crate) struct ListSnapshot {
    key: ListKey,
    version: (u64, i64),
    rids: Arc<[i64]>,
}

/// Fields a list may filter on (its spec's): fixed names, so they can be written into
/// SQL (and match the list indexes) without ever carrying user input.
pub fn filterable_fields(collection: Collection) -> &'static [&'static str] {
    collection.spec().list.filters
}

/// Fields a list may sort on (its spec's).
pub fn sortable_fields(collection: Collection) -> &'static [&'static str] {
    collection.spec().list.sorts
}

/// The index holding a whole collection's live records in the order of `field`, where
/// one exists: that of its sort key.
///
/// Why name it: an unfiltered sorted list reads the index from end to end, with no sort.
/// SQLite's planner prefers the narrower-looking `records_by_collection` equality and
/// then sorts every match, whatever its statistics say; `INDEXED BY` makes the cheap
/// plan the only one.
fn sort_index(collection: Collection, field: &str) -> Option<String> {
    (list_key_fields(collection)[0] == Some(field)).then(|| list_index_name(collection, 0))
}

/// The list index on `field` of `collection`, a filter's, if it has one. Named where
/// the planner, without statistics, would take the collection's index instead (it
/// holds every list key too, but in row order).
fn filter_index(collection: Collection, field: &str) -> Option<String> {
    let column = list_key_fields(collection).iter().skip(1).position(|f| *f == Some(field))?;
    Some(list_index_name(collection, column + 1))
}

/// The SQL giving a document field of a record: its list-key column where it has one
/// (the indexed sorts and filters, [`crate::list_keys`]), else `json_extract`. Field
/// names here are always fixed names from [`filterable_fields`] and [`sortable_fields`].
fn key_expression(collection: Collection, field: &str) -> String {
    match column_of(collection, field) {
        Some(column) => column.to_owned(),
        None => format!("json_extract(doc, '$.{field}')"),
    }
}

/// A record's place as SQL over `records`: its municipality, or for a record that has
/// a country and no municipality (an embassy; only organisations have a country)
/// [`ABROAD`]. Region filters and the reports by region read places through this.
pub(crate) fn place_expression(collection: Collection) -> String {
    let municipality = key_expression(collection, "municipality");
    if filterable_fields(collection).contains(&"country") {
        let country = key_expression(collection, "country");
        format!("coalesce({municipality}, iif({country} IS NULL, NULL, '{ABROAD}'))")
    } else {
        municipality
    }
}

/// The date field a year filter applies to.
fn date_field(collection: Collection) -> Option<&'static str> {
    collection.spec().list.year
}

/// A list query naming a field the list does not offer: refused, never put into SQL.
fn unknown_field(field: &str) -> StoreError {
    StoreError::Invalid(vec![saite_domain::FieldError::new(field, saite_domain::ValidationCode::InvalidValue)])
}

/// `field` as one of the fixed names in `allowed`, or the refusal.
fn allowed_field(allowed: &'static [&'static str], field: &str) -> Result<&'static str> {
    allowed.iter().copied().find(|f| *f == field).ok_or_else(|| unknown_field(field))
}

/// The name a record goes by in lists and search results: its collection's label field.
pub(crate) fn label_of(collection: Collection, doc: &Map<String, Value>) -> String {
    collection.label_field().and_then(|field| doc.get(field)).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// A stored id, collection or document read back. A value this store wrote that no longer
/// parses means the database is damaged.
pub(crate) fn stored_id(text: &str) -> Result<RecordId> {
    text.parse().map_err(|_| StoreError::Corrupt(format!("id {text}")))
}

pub(crate) fn stored_collection(text: &str) -> Result<Collection> {
    Collection::parse(text).ok_or_else(|| StoreError::Corrupt(format!("collection {text}")))
}

pub(crate) fn stored_doc(text: &str) -> Result<Map<String, Value>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn wall_ms(hlc: &str) -> u64 {
    hlc.parse::<Hlc>().map(|h| h.wall_ms).unwrap_or(0)
}

fn row_to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, bool, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn to_record(row: (String, String, String, bool, String, String)) -> Result<StoredRecord> {
    let (id, collection, doc, deleted, created, updated) = row;
    let collection = stored_collection(&collection)?;
    let document = stored_doc(&doc)?;
    Ok(StoredRecord {
        id: stored_id(&id)?,
        collection,
        label: label_of(collection, &document),
        document,
        deleted,
        created_at_ms: wall_ms(&created),
        updated_at_ms: wall_ms(&updated),
    })
}

pub(crate) const RECORD_COLUMNS: &str = "id, collection, doc, deleted, created_hlc, updated_hlc";

/// Arguments bound to a statement's `?`s, in order.
pub(crate) type SqlArgs = Vec<Box<dyn ToSql>>;

/// The SQL conditions (and their arguments, in order) selecting `collection`'s live
/// records that pass every filter: what a list shows and what a report counts, so a
/// figure and the list it opens always agree.
///
/// The collection is written into the SQL (it comes from a fixed enum, never from
/// input) so SQLite can use the partial indexes, which a bound parameter would hide.
pub(crate) fn filter_clauses(collection: Collection, filters: &[ListFilter]) -> Result<(Vec<String>, SqlArgs)> {
    let mut clauses = vec![format!("collection = '{}'", collection.as_str()), "deleted = 0".to_owned()];
    let (conditions, args) = filter_conditions(collection, filters)?;
    clauses.extend(conditions);
    Ok((clauses, args))
}

/// The conditions `filters` put on records of `collection`, live or not, and their
/// arguments in order.
fn filter_conditions(collection: Collection, filters: &[ListFilter]) -> Result<(Vec<String>, SqlArgs)> {
    let mut clauses = Vec::new();
    let mut args: SqlArgs = Vec::new();
    for f in filters {
        match f {
            ListFilter::FieldEquals { field, value } => {
                let field = allowed_field(filterable_fields(collection), field)?;
                clauses.push(format!("{} = ?", key_expression(collection, field)));
                args.push(Box::new(value.clone()));
            }
            // Abroad, or no region (""): what the record's place says.
            ListFilter::Region { region } if region.is_empty() || region == ABROAD => {
                let place = place_expression(collection);
                if region.is_empty() {
                    clauses.push(format!("{place} IS NULL"));
                } else {
                    clauses.push(format!("{place} = ?"));
                    args.push(Box::new(ABROAD));
                }
            }
            ListFilter::Region { region } => {
                let municipalities: Vec<String> = ReferenceData::shipped()
                    .municipalities
                    .iter()
                    .filter(|m| &m.region == region)
                    .map(|m| m.code.clone())
                    .collect();
                clauses.push(format!(
                    "{} IN ({})",
                    key_expression(collection, "municipality"),
                    if municipalities.is_empty() {
                        "NULL".to_owned()
                    } else {
                        vec!["?"; municipalities.len()].join(", ")
                    }
                ));
                args.extend(municipalities.into_iter().map(|m| Box::new(m) as Box<dyn ToSql>));
            }
            ListFilter::Flag { field, value } => {
                let field = allowed_field(filterable_fields(collection), field)?;
                clauses.push(format!("{} = ?", key_expression(collection, field)));
                args.push(Box::new(*value));
            }
            ListFilter::Year { year } => {
                let field = date_field(collection).ok_or_else(|| unknown_field("year"))?;
                clauses.push(format!("{} BETWEEN ? AND ?", key_expression(collection, field)));
                args.push(Box::new(format!("{year:04}-01-01")));
                args.push(Box::new(format!("{year:04}-12-31")));
            }
            ListFilter::Period { from, to } => {
                let field = date_field(collection).ok_or_else(|| unknown_field("period"))?;
                for (bound, op, name) in [(from, ">=", "from"), (to, "<=", "to")] {
                    let Some(date) = bound else { continue };
                    if saite_domain::validate::parse_date(date).is_none() {
                        return Err(StoreError::Invalid(vec![saite_domain::FieldError::new(
                            name,
                            saite_domain::ValidationCode::InvalidDate,
                        )]));
                    }
                    clauses.push(format!("{} {op} ?", key_expression(collection, field)));
                    args.push(Box::new(date.clone()));
                }
            }
            ListFilter::Empty { field } => {
                let field = allowed_field(filterable_fields(collection), field)?;
                clauses.push(format!("{} IS NULL", key_expression(collection, field)));
            }
            ListFilter::Via { field, filter } => {
                let field = allowed_field(filterable_fields(collection), field)?;
                let Some(FieldKind::Reference { collection: target }) = collection.spec().field(field).map(|f| f.kind)
                else {
                    return Err(unknown_field(field));
                };
                // The referenced record may be in the trash: a distribution to a school
                // deleted since is still one to a school (as the reports read it).
                let (mut inner, inner_args) = filter_conditions(target, std::slice::from_ref(filter))?;
                inner.insert(0, format!("collection = '{}'", target.as_str()));
                clauses.push(format!(
                    "{} IN (SELECT id FROM records WHERE {})",
                    key_expression(collection, field),
                    inner.join(" AND ")
                ));
                args.extend(inner_args);
            }
            ListFilter::Linked { link, id } => {
                let (_, clause) = linked_clause(collection, *link, "f.to_id = ?")?;
                clauses.push(clause);
                args.push(Box::new(id.clone()));
            }
            ListFilter::Reached { link, filters } => {
                let (far, _) = linked_clause(collection, *link, "")?;
                let (mut inner, inner_args) = filter_conditions(far, filters)?;
                inner.splice(0..0, [format!("collection = '{}'", far.as_str()), "deleted = 0".to_owned()]);
                let (_, clause) = linked_clause(
                    collection,
                    *link,
                    &format!("f.to_id IN (SELECT id FROM records WHERE {})", inner.join(" AND ")),
                )?;
                clauses.push(clause);
                args.extend(inner_args);
            }
            ListFilter::Counts { field, code } => {
                let field = allowed_field(filterable_fields(collection), field)?;
                // Read from the list sums, which hold summed fields only.
                let list = match collection.spec().field(field).map(|f| f.kind) {
                    Some(FieldKind::Counts { list }) if collection.spec().list.sums.contains(&field) => list,
                    _ => return Err(unknown_field(field)),
                };
                if !ReferenceData::shipped().contains(list, code) {
                    return Err(StoreError::Invalid(vec![saite_domain::FieldError::new(
                        field,
                        saite_domain::ValidationCode::UnknownCode,
                    )]));
                }
                clauses.push("instr(list_sums, ?) > 0".to_owned());
                args.push(Box::new(crate::list_keys::sums_pattern(field, code)));
            }
        }
    }
    Ok((clauses, args))
}

/// The far collection of the link collection `link` seen from records of `collection`,
/// and the condition that a live link joins a record to a far record passing
/// `far_condition` (on `f.to_id`, the far record's id). Field and collection names come
/// from the specs, never from input.
fn linked_clause(collection: Collection, link: Collection, far_condition: &str) -> Result<(Collection, String)> {
    let spec = link.spec();
    let ends: Vec<(&str, Collection)> = spec
        .fields
        .iter()
        .filter_map(|f| match f.kind {
            FieldKind::Reference { collection } => Some((f.name, collection)),
            _ => None,
        })
        .collect();
    let (near, far, far_collection) = match ends[..] {
        [(a, ca), (b, cb)] if spec.label.is_none() && ca == collection => (a, b, cb),
        [(a, ca), (b, cb)] if spec.label.is_none() && cb == collection => (b, a, ca),
        _ => return Err(unknown_field("link")),
    };
    Ok((
        far_collection,
        format!(
            "records.id IN (SELECT n.to_id FROM records l JOIN refs n ON n.from_rid = l.rid AND n.field = '{near}'
             JOIN refs f ON f.from_rid = l.rid AND f.field = '{far}'
             WHERE l.collection = '{}' AND l.deleted = 0 AND {far_condition})",
            link.as_str()
        ),
    ))
}

/// The statement selecting `columns` of a list query's matches in its order, and its
/// arguments: one text for a page's row ids and an export's records, so both list the
/// same records in the same order.
fn list_sql(q: &ListQuery, columns: &str) -> Result<(String, SqlArgs)> {
    let (clauses, args) = filter_clauses(q.collection, &q.filters)?;
    // Equal values fall back to row order in the same direction, which is the order
    // the list indexes hold them in (an index entry ends with its rowid), so
    // SQLite reads the matches straight off the index in either direction. A list
    // with `ties` (hotline contacts, by time) is sorted instead, reading each
    // record's tie field: there are hundreds of those a year, not 100 000.
    let direction = if q.descending { "DESC" } else { "ASC" };
    let order = match &q.sort {
        Some(field) => {
            let field = allowed_field(sortable_fields(q.collection), field)?;
            // The sort key's column holds its text lower-cased (`list_keys`); any other
            // text field sorts without regard to case here.
            let is_text = q.collection.spec().field(field).is_some_and(|f| f.kind == FieldKind::Text);
            let collate = if is_text && column_of(q.collection, field).is_none() { " COLLATE NOCASE" } else { "" };
            let ties = match q.collection.spec().list.ties {
                Some(next) => format!("{} {direction}, ", key_expression(q.collection, next)),
                None => String::new(),
            };
            format!("{}{collate} {direction}, {ties}rid {direction}", key_expression(q.collection, field))
        }
        None => "rid DESC".to_owned(),
    };
    let indexed_by = match (q.filters.is_empty(), q.sort.as_deref()) {
        (true, Some(field)) => sort_index(q.collection, field).map(|i| format!(" INDEXED BY {i}")).unwrap_or_default(),
        _ => String::new(),
    };
    Ok((format!("SELECT {columns} FROM records{indexed_by} WHERE {} ORDER BY {order}", clauses.join(" AND ")), args))
}

impl Store {
    pub fn get(&self, id: RecordId) -> Result<Option<StoredRecord>> {
        self.conn
            .query_row(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1"), [id.to_string()], row_to_record)
            .optional()?
            .map(to_record)
            .transpose()
    }

    /// Live records that reference `id` (through any reference field), optionally only
    /// of one collection: a seminar's links and follow-ups, an organisation's people
    /// and distributions. Oldest first.
    pub fn referrers(&self, id: RecordId, collection: Option<Collection>) -> Result<Vec<StoredRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT DISTINCT {cols} FROM refs f JOIN records r ON r.rid = f.from_rid
             WHERE f.to_id = ?1 AND r.deleted = 0 AND (?2 IS NULL OR r.collection = ?2) ORDER BY r.rid",
            cols = RECORD_COLUMNS.split(", ").map(|c| format!("r.{c}")).collect::<Vec<_>>().join(", ")
        ))?;
        stmt.query_map(params![id.to_string(), collection.map(Collection::as_str)], row_to_record)?
            .map(|row| to_record(row?))
            .collect()
    }

    /// Several records by id, in the order asked; missing ids are left out.
    pub fn get_many(&self, ids: &[RecordId]) -> Result<Vec<StoredRecord>> {
        ids.iter().filter_map(|id| self.get(*id).transpose()).collect()
    }

    /// Copies of a material on hand: its `stock` (copies received) less every live
    /// distribution of it. Derived rather than stored, so two laptops handing out
    /// copies offline never overwrite each other's count.
    pub fn material_on_hand(&self, material: RecordId) -> Result<i64> {
        let stock: Option<i64> = self
            .conn
            .query_row(
                "SELECT json_extract(doc, '$.stock') FROM records WHERE id = ?1 AND collection = 'material'",
                [material.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let stock = stock.ok_or(StoreError::NotFound(material))?;
        // The copies as the reports count them (whole numbers above zero).
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT list_sums FROM records INDEXED BY {}
             WHERE collection = 'distribution' AND deleted = 0 AND {} = ?1",
            filter_index(Collection::Distribution, "material").expect("a distribution's material has a list index"),
            key_expression(Collection::Distribution, "material")
        ))?;
        let mut rows = stmt.query([material.to_string()])?;
        let mut given = 0u64;
        while let Some(row) = rows.next()? {
            given += crate::list_keys::summed(row.get_ref(0)?, crate::report::COPIES);
        }
        Ok(stock - given as i64)
    }

    /// A page of live records, filtered and sorted.
    pub fn list(&self, q: &ListQuery) -> Result<ListPage> {
        let (sql, args) = list_sql(q, "rid")?;
        let arg_refs: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let matches = self.list_matches(q, &sql, &arg_refs)?;
        let total = q.with_total.then(|| u32::try_from(matches.len()).unwrap_or(u32::MAX));
        let start = (q.offset as usize).min(matches.len());
        let end = (start + q.limit.min(MAX_PAGE) as usize).min(matches.len());
        let mut by_rid = self.conn.prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE rid = ?1"))?;
        let mut items = Vec::with_capacity(end - start);
        for rid in &matches[start..end] {
            // A row gone since the snapshot was taken cannot happen (any write renews
            // it), but a missing row is left out rather than failing the page.
            if let Some(row) = by_rid.query_row([rid], row_to_record).optional()? {
                items.push(to_record(row)?);
            }
        }
        Ok(ListPage { total, items })
    }

    /// Every match of a list query in its order, its window (offset, limit, count)
    /// aside, handed to `visit` one by one until it breaks: what an export writes.
    /// Returns how many were visited.
    ///
    /// Read by one statement, so the records seen are those of one moment even while
    /// the sync loop writes beside this reader, and memory stays flat in their number.
    pub fn each_listed(
        &self,
        q: &ListQuery,
        mut visit: impl FnMut(StoredRecord) -> Result<ControlFlow<()>>,
    ) -> Result<u64> {
        let (sql, args) = list_sql(q, RECORD_COLUMNS)?;
        let arg_refs: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(arg_refs.as_slice())?;
        let mut visited = 0;
        while let Some(row) = rows.next()? {
            visited += 1;
            if visit(to_record(row_to_record(row)?)?)?.is_break() {
                break;
            }
        }
        Ok(visited)
    }

    /// Every match of a list query, in order, as row ids: from the snapshot when the
    /// same query was asked last and nothing has been written since, else fresh.
    ///
    /// Why: a list of 100 000 jumps anywhere by its scroll bar; `LIMIT … OFFSET n` would
    /// step over n rows on every page, so a jump to the end cost a second. With the
    /// ordered ids at hand a page is 50 lookups by primary key, at any position.
    fn list_matches(&self, q: &ListQuery, sql: &str, args: &[&dyn ToSql]) -> Result<Arc<[i64]>> {
        let key = ListKey {
            collection: q.collection,
            filters: q.filters.clone(),
            sort: q.sort.clone(),
            descending: q.descending,
        };
        // Invariant: the snapshot is only reused while the database holds exactly what it
        // held when the snapshot was taken. `total_changes` counts this connection's
        // writes (rolled back ones too, which only renews it needlessly); `data_version`
        // moves when another connection commits. Inside an open transaction nothing is
        // kept, since a rollback would not move either counter back.
        let data_version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let version = (self.conn.total_changes(), data_version);
        let cacheable = self.conn.is_autocommit();
        let mut snapshot = self.list_snapshot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if cacheable
            && let Some(s) = snapshot.as_ref()
            && s.key == key
            && s.version == version
        {
            return Ok(s.rids.clone());
        }
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rids: Arc<[i64]> = stmt.query_map(args, |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?.into();
        *snapshot = cacheable.then(|| ListSnapshot { key, version, rids: rids.clone() });
        Ok(rids)
    }

    /// Live records matching every word of `query` (each as a prefix), best first:
    /// records whose name or title holds every word, then those matching elsewhere
    /// (notes, phones, addresses). Within each tier the closest names come first (fewest
    /// words the query did not ask for, then the shortest), newest first among equals.
    /// Case, Latvian diacritics and Latin/Cyrillic spelling do not matter
    /// ([`saite_domain::fold`]).
    ///
    /// Why not a relevance score in SQL: scoring (bm25) must visit every match before
    /// it can return the best, and a short prefix such as "nva" matches thousands. Read in
    /// row order, each tier stops after a few times `limit` candidates, so a search costs
    /// the same at 1 000 records as at 100 000.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let terms = fold::query_terms(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.min(MAX_PAGE) as usize;
        let candidates = (limit * 4).max(20);
        // Folded terms are [a-z0-9] only, so quoting them cannot break FTS syntax.
        let anywhere = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
        let in_label = format!("label : ({anywhere})");
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.collection, r.doc FROM search JOIN records r ON r.rid = search.rowid
             WHERE search MATCH ?1 AND r.deleted = 0 ORDER BY search.rowid DESC LIMIT ?2",
        )?;
        let mut hits: Vec<SearchHit> = Vec::with_capacity(limit);
        for fts_query in [in_label, anywhere] {
            if hits.len() >= limit {
                break;
            }
            let mut tier: Vec<(usize, usize, SearchHit)> = Vec::new();
            let rows = stmt.query_map(params![fts_query, (candidates + hits.len()) as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })?;
            for row in rows {
                let (id, collection, doc) = row?;
                let id = stored_id(&id)?;
                // The second tier repeats the first one's hits.
                if hits.iter().any(|h| h.id == id) {
                    continue;
                }
                let collection = stored_collection(&collection)?;
                let label = label_of(collection, &stored_doc(&doc)?);
                let folded = fold::fold(&label);
                let unasked = folded
                    .split(' ')
                    .filter(|w| !w.is_empty() && !terms.iter().any(|t| w.starts_with(t.as_str())))
                    .count();
                tier.push((unasked, folded.len(), SearchHit { id, collection, label }));
            }
            // Stable: equals keep their newest-first order.
            tier.sort_by_key(|(unasked, len, _)| (*unasked, *len));
            let room = limit - hits.len();
            hits.extend(tier.into_iter().take(room).map(|(_, _, hit)| hit));
        }
        Ok(hits)
    }

    /// Every change to the record, oldest first, including the history of records
    /// merged into it.
    pub fn history(&self, id: RecordId) -> Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE absorbed(id) AS (
                 SELECT ?1
                 UNION SELECT m.removed_id FROM merges m JOIN absorbed a ON m.kept_id = a.id
             )
             SELECT r.id, h.field, h.old_value, h.new_value, h.hlc, h.author, h.origin
             FROM history h JOIN records r ON r.rid = h.rid
             WHERE r.id IN (SELECT id FROM absorbed) ORDER BY h.hlc, h.seq",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let parse = |s: Option<String>| -> Result<Option<Value>> {
            s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
        };
        rows.map(|row| {
            let (rid, field, old, new, hlc, author, origin) = row?;
            Ok(HistoryEntry {
                record_id: stored_id(&rid)?,
                field,
                old_value: parse(old)?,
                new_value: parse(new)?,
                at_ms: wall_ms(&hlc),
                author,
                origin,
                hlc,
            })
        })
        .collect()
    }

    /// Deleted records, most recently deleted first.
    pub fn trash(&self, limit: u32) -> Result<Vec<StoredRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE deleted = 1 ORDER BY updated_hlc DESC LIMIT ?1"
        ))?;
        stmt.query_map([limit.min(MAX_PAGE)], row_to_record)?.map(|row| to_record(row?)).collect()
    }

    /// How many local changes (writes of one record) wait to be pushed.
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The highest seq any change of this laptop has taken, sent or not (0: none yet).
    pub fn outbox_head_seq(&self) -> Result<u64> {
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'", [], |r| r.get(0))
            .optional()?;
        Ok(seq.unwrap_or(0).max(0) as u64)
    }

    /// What waits to be sent as a round begins: the records with changes waiting (as
    /// [`Self::pending_records_through`] counts them) and the last outbox seq, through
    /// which the round's progress is counted.
    pub fn outbox_extent(&self) -> Result<(u64, i64)> {
        Ok(self.conn.query_row(
            "SELECT count(DISTINCT record_id), coalesce(max(device_seq), 0) FROM outbox",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)?)),
        )?)
    }

    /// Records with changes waiting to be pushed (what the user calls "unsynced
    /// changes": one record edited in three fields counts once): all of them, and those
    /// with a change at or before outbox seq `through` (the records a round began with and the server has not yet
    /// confirmed), in one read so the two agree.
    pub fn pending_records_through(&self, through: i64) -> Result<(u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT count(DISTINCT record_id), count(DISTINCT CASE WHEN device_seq <= ?1 THEN record_id END) FROM outbox",
            [through],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?)
    }

    /// The oldest `limit` outbox changes after `after_seq`, each as stored: its fields
    /// as one JSON text, sent as is ([`OutboxChange`]).
    pub fn outbox_changes(&self, after_seq: i64, limit: u32) -> Result<Vec<OutboxChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.device_seq, o.record_id, o.collection, o.fields, o.hlc,
                    (SELECT json_group_object(b.field, b.hlc) FROM text_bases b WHERE b.rid = r.rid)
             FROM outbox o LEFT JOIN records r ON r.id = o.record_id
             WHERE o.device_seq > ?1 ORDER BY o.device_seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after_seq, limit], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (device_seq, id, collection, fields, hlc, bases) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("outbox {device_seq}: {what}"));
            let collection = Collection::parse(&collection).ok_or_else(|| corrupt("collection"))?;
            let record_id: RecordId = id.parse().map_err(|_| corrupt("id"))?;
            let hlc: Hlc = hlc.parse().map_err(|_| corrupt("hlc"))?;
            // Only the names are read, and the long texts' values: the other values
            // go out as the text holds them.
            let (field_count, texts) = {
                let by_name: std::collections::BTreeMap<FieldName<'_>, &serde_json::value::RawValue> =
                    serde_json::from_str(&fields).map_err(|_| corrupt("fields"))?;
                // A never stored mark has no stamp: no base.
                let bases: std::collections::BTreeMap<String, Option<String>> = match bases {
                    Some(text) => serde_json::from_str(&text).map_err(|_| corrupt("base stamps"))?,
                    None => Default::default(),
                };
                let mut texts = Vec::new();
                for (field, value) in by_name.iter().filter(|(f, _)| collection.is_long_text(&f.0)) {
                    let base = bases.get(field.0.as_ref()).and_then(Option::as_ref);
                    texts.push(OutboxEntry {
                        device_seq,
                        record_id,
                        collection,
                        field: field.0.clone().into_owned(),
                        value: serde_json::from_str(value.get()).map_err(|_| corrupt("fields"))?,
                        hlc,
                        expect: Some(base.map(|b| b.parse().map_err(|_| corrupt("base stamp"))).transpose()?),
                    });
                }
                (by_name.len(), texts)
            };
            let fields = saite_protocol::FieldValues::stored(fields).map_err(|_| corrupt("fields"))?;
            changes.push(OutboxChange { device_seq, record_id, collection, hlc, fields, field_count, texts });
        }
        Ok(changes)
    }

    /// The fields of the oldest `limit` outbox changes after `after_seq`, one entry per
    /// field; the fields of one change share its seq and stamp, and come together.
    pub fn outbox_page(&self, after_seq: i64, limit: u32) -> Result<Vec<OutboxEntry>> {
        let changes = self.outbox_changes(after_seq, limit)?;
        let mut out = Vec::with_capacity(changes.iter().map(|c| c.field_count).sum());
        for change in changes {
            out.extend(change.into_entries()?);
        }
        Ok(out)
    }

    /// Drops outbox entries up to and including `device_seq` once the server has
    /// acknowledged them, and remembers it as [`Store::acked_outbox_seq`], in one
    /// transaction. Idempotent.
    pub fn ack_outbox(&mut self, up_to_device_seq: i64) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let removed = ack_in(&tx, up_to_device_seq)?;
        tx.commit()?;
        Ok(removed)
    }

    /// The highest outbox seq the server acknowledged (0: none, or a store from before
    /// it was kept): a push's `afterSeq`. Not the oldest waiting entry's seq minus one:
    /// seqs may skip (a newer edit of a long text replaces its waiting entry with one of
    /// a new seq), and a skipped seq the server never saw is no gap.
    pub fn acked_outbox_seq(&self) -> Result<i64> {
        read_acked_seq(&self.conn)
    }
}

pub(crate) const ACKED_KEY: &str = "outbox_acked_seq";

/// [`Store::ack_outbox`] inside a transaction of the caller's.
pub(crate) fn ack_in(tx: &rusqlite::Connection, up_to_device_seq: i64) -> Result<u64> {
    let removed = tx.prepare_cached("DELETE FROM outbox WHERE device_seq <= ?1")?.execute([up_to_device_seq])? as u64;
    if up_to_device_seq > read_acked_seq(tx)? {
        crate::store::set_meta(tx, ACKED_KEY, &up_to_device_seq.to_string())?;
    }
    Ok(removed)
}

fn read_acked_seq(conn: &rusqlite::Connection) -> Result<i64> {
    crate::store::meta_number(conn, ACKED_KEY, "acknowledged outbox seq")
}
