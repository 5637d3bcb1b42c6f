//! The write path. Every change to a record goes through [`Writer`]: validate the whole
//! resulting document, check its references, stamp each changed field with an HLC,
//! record history, append to the outbox, update the search index and the duplicate
//! keys — in one transaction, so a refused or failed write leaves nothing behind.

use std::borrow::Cow;

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params, types::Value as SqlValue};
use saite_domain::{
    Clock, Collection, FieldError, Hlc, HlcGenerator, RecordId, ValidDocument, ValidText, ValidationCode,
    validate_document,
};
use saite_protocol::pull::is_meta_field;
use serde_json::{Map, Value};

use crate::{
    Store, duplicates,
    error::{Result, StoreError},
    list_keys::{LIST_KEY_COLUMNS, ListKeys, list_keys},
    read::{stored_collection, stored_doc},
};

/// A pulled field as recorded: (field, old value, new value, new stamp, old stamp).
pub(crate) type RemoteChange = (String, Option<Value>, Value, Hlc, Option<Hlc>);

/// The field that marks a record as deleted (in the trash). Stamped, merged and synced
/// like any other field; `true` is a tombstone.
pub const DELETED_FIELD: &str = saite_protocol::pull::DELETED_FIELD;

/// The field set on a record merged into another, naming the record that absorbed it.
pub const MERGED_INTO_FIELD: &str = "_mergedInto";

/// Where a change came from, as recorded in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Typed on this laptop.
    Local,
    /// Pulled from the server.
    Remote,
    /// Made by merging two records.
    Merge,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Local => "local",
            Origin::Remote => "remote",
            Origin::Merge => "merge",
        }
    }
}

/// What `create` returns: the new id, and records that are probably the same thing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Created {
    pub id: RecordId,
    pub possible_duplicates: Vec<duplicates::DuplicateCandidate>,
}

pub(crate) struct Current {
    pub rid: i64,
    pub collection: Collection,
    pub doc: Map<String, Value>,
    pub deleted: bool,
}

/// One open write transaction and what it needs to stamp changes.
pub(crate) struct Writer<'a> {
    pub tx: Transaction<'a>,
    pub(crate) hlc: &'a mut HlcGenerator,
    clock: &'a dyn Clock,
    author: &'a str,
    last_stamp: Option<Hlc>,
    /// Per collection, the change this transaction makes to the local checksums (fields,
    /// wrapping digest sum); written at commit.
    checksum_delta: std::collections::BTreeMap<Collection, (i64, u64)>,
    /// The stamp up to which every long text stamped here is on the server, read once
    /// per transaction when needed ([`Writer::texts_synced_through`]).
    pub(crate) synced_through_cache: std::cell::OnceCell<Option<Hlc>>,
    /// While set, every stamp this transaction gives (an upgrade's, crate::upgrade).
    pub(crate) stamp_override: Option<Hlc>,
    /// Search entries (rowid, label, body) held back to be written together at commit,
    /// when `Some` ([`Store::create_batch`]). FTS5 writes out its pending entries at
    /// every statement of the transaction that opens a statement journal, so entries
    /// written between a batch's other statements became one index segment (and its
    /// merges) per record. Only for a transaction that inserts new records and nothing
    /// else: an entry removed or replaced in it would be removed before it is written.
    pub(crate) search_at_commit: Option<Vec<(i64, String, String)>>,
}

impl Store {
    /// Runs `f` with commits that do not wait for the disk (`synchronous = NORMAL`; the
    /// store's setting is FULL). Only for writes the server can give back if a power cut
    /// takes them — a pulled page with its cursor, the settling of a push's answer —
    /// never for the user's own edits. The WAL keeps the database whole either way; a
    /// lost commit is lost with everything it wrote.
    pub(crate) fn not_waiting_for_disk<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let out = f(self);
        let restored = self.conn.pragma_update(None, "synchronous", "FULL");
        let out = out?;
        restored?;
        Ok(out)
    }

    pub(crate) fn writer(&mut self) -> Result<Writer<'_>> {
        let Store { conn, hlc, clock, author, .. } = self;
        Ok(Writer {
            tx: conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            hlc,
            clock: &**clock,
            author,
            last_stamp: None,
            checksum_delta: Default::default(),
            synced_through_cache: Default::default(),
            stamp_override: None,
            search_at_commit: None,
        })
    }

    /// Creates a record from its document.
    pub fn create(&mut self, collection: Collection, document: Map<String, Value>) -> Result<Created> {
        reject_reserved_fields(&document)?;
        reject_retired_fields(collection, &document)?;
        let id: RecordId = self.ids.new_id(self.clock.now_ms());
        let mut w = self.writer()?;
        let valid = w.validate(collection, &document)?;
        w.insert_record(id, collection, &valid, Origin::Local)?;
        let possible_duplicates = duplicates::candidates_for(&w.tx, collection, &valid.document, Some(id))?;
        w.commit()?;
        Ok(Created { id, possible_duplicates })
    }

    /// Creates many records in one transaction: all of them, or (on the first refused
    /// one) none. For imports and bulk loads; a record may reference one created
    /// earlier in the same batch. An import of new records only
    /// ([`Store::apply_import`]).
    pub fn create_batch(&mut self, records: Vec<(Collection, Map<String, Value>)>) -> Result<Vec<RecordId>> {
        let writes = records
            .into_iter()
            .map(|(collection, document)| crate::ImportWrite::Create { collection, document })
            .collect();
        match self.apply_import(writes, &mut |_, _| std::ops::ControlFlow::Continue(())) {
            Ok(Some(ids)) => Ok(ids),
            Ok(None) => unreachable!("a batch that is never cancelled"),
            Err((_, e)) => Err(e),
        }
    }

    /// Sets the fields in `patch` (a `null` clears an optional field). Returns whether
    /// anything changed; an unchanged value makes no history and no outbox entry.
    pub fn update(&mut self, id: RecordId, patch: Map<String, Value>) -> Result<bool> {
        reject_reserved_fields(&patch)?;
        let mut w = self.writer()?;
        // A record an earlier version wrote takes its upgrade before the edit.
        w.upgrade_legacy(Some(&[id]))?;
        let changed = w.update_record(id, patch, Origin::Local)?;
        w.commit()?;
        Ok(changed)
    }

    /// Moves a record to the trash (a tombstone); it can be restored.
    pub fn delete(&mut self, id: RecordId) -> Result<()> {
        let mut w = self.writer()?;
        w.set_deleted(id, true, Origin::Local)?;
        w.commit()
    }

    /// Brings a record back from the trash.
    pub fn restore(&mut self, id: RecordId) -> Result<()> {
        let mut w = self.writer()?;
        w.set_deleted(id, false, Origin::Local)?;
        // Legacy records in the trash were left as they were (crate::upgrade).
        w.upgrade_legacy(Some(&[id]))?;
        w.commit()
    }
}

/// A retired field ([`saite_domain::CollectionSpec::retired`]) may only be cleared: a
/// value for one is refused, naming it, rather than dropped unseen.
pub(crate) fn reject_retired_fields(collection: Collection, fields: &Map<String, Value>) -> Result<()> {
    let retired: Vec<FieldError> = collection
        .spec()
        .retired
        .iter()
        .filter(|f| fields.get(**f).is_some_and(|v| !v.is_null()))
        .map(|f| FieldError::new(*f, ValidationCode::InvalidValue))
        .collect();
    if retired.is_empty() { Ok(()) } else { Err(StoreError::Invalid(retired)) }
}

pub(crate) fn reject_reserved_fields(fields: &Map<String, Value>) -> Result<()> {
    let reserved: Vec<FieldError> = fields
        .keys()
        .filter(|k| is_meta_field(k))
        .map(|k| FieldError::new(k.clone(), ValidationCode::InvalidValue))
        .collect();
    if reserved.is_empty() { Ok(()) } else { Err(StoreError::Invalid(reserved)) }
}

impl Writer<'_> {
    pub fn commit(mut self) -> Result<()> {
        for (rid, label, body) in self.search_at_commit.take().unwrap_or_default() {
            insert_search(&self.tx, rid, &label, &body)?;
        }
        for (collection, (fields, sum)) in &self.checksum_delta {
            crate::remote::add_to_local_checksum(&self.tx, *collection, *fields, *sum)?;
        }
        if let Some(last) = self.last_stamp {
            crate::store::set_meta(&self.tx, "hlc_last", &self.hlc.last().max(last).to_string())?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// This laptop's clock, as the stamps read it.
    pub(crate) fn clock_now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    pub(crate) fn stamp(&mut self) -> Hlc {
        if let Some(h) = self.stamp_override {
            return h;
        }
        let h = self.hlc.tick(self.clock.now_ms());
        self.last_stamp = Some(h);
        h
    }

    pub fn load(&self, id: RecordId) -> Result<Option<Current>> {
        let row = self
            .tx
            .prepare_cached("SELECT rid, collection, doc, deleted FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
            })
            .optional()?;
        row.map(|(rid, collection, doc, deleted)| {
            Ok(Current { rid, collection: stored_collection(&collection)?, doc: stored_doc(&doc)?, deleted })
        })
        .transpose()
    }

    /// Validates the document and checks every reference names a live record of the
    /// right collection.
    pub(crate) fn validate(&self, collection: Collection, document: &Map<String, Value>) -> Result<ValidDocument> {
        let valid = validate_document(collection, document).map_err(StoreError::Invalid)?;
        let mut errors = Vec::new();
        for (field, target_collection, target) in &valid.references {
            if !self.is_live(*target, *target_collection)? {
                errors.push(FieldError::new(*field, ValidationCode::UnknownReference));
            }
        }
        if errors.is_empty() { Ok(valid) } else { Err(StoreError::Invalid(errors)) }
    }

    /// The collection of the record `id` and whether it is in the trash, if it is held.
    pub(crate) fn held(&self, id: RecordId) -> Result<Option<(String, bool)>> {
        Ok(self
            .tx
            .prepare_cached("SELECT collection, deleted FROM records WHERE id = ?1")?
            .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Whether `id` names a live record of `collection`: what a reference must name.
    pub(crate) fn is_live(&self, id: RecordId, collection: Collection) -> Result<bool> {
        Ok(matches!(self.held(id)?, Some((c, false)) if c == collection.as_str()))
    }

    /// Validates and inserts a new record inside this transaction.
    pub fn insert_new(
        &mut self,
        id: RecordId,
        collection: Collection,
        document: &Map<String, Value>,
        origin: Origin,
    ) -> Result<i64> {
        let valid = self.validate(collection, document)?;
        self.insert_record(id, collection, &valid, origin)
    }

    pub(crate) fn insert_record(
        &mut self,
        id: RecordId,
        collection: Collection,
        valid: &ValidDocument,
        origin: Origin,
    ) -> Result<i64> {
        let created = self.stamp();
        let [sort, a, b, c, sums] = list_keys(collection, &valid.document);
        self.tx
            .prepare_cached(
                "INSERT INTO records (id, collection, doc, deleted, created_hlc, updated_hlc, list_sort, list_a, list_b, list_c, list_sums)
                 VALUES (?1, ?2, ?3, 0, ?4, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![id.to_string(), collection.as_str(), doc_text(&valid.document), created.to_string(), sort, a, b, c, sums])?;
        let rid = self.tx.last_insert_rowid();
        let changes: Vec<(String, Option<Value>, Value)> =
            valid.document.iter().map(|(k, v)| (k.clone(), None, v.clone())).collect();
        self.record_changes(rid, id, collection, &changes, origin, Some(created))?;
        self.index_new(rid, collection, valid, false)?;
        Ok(rid)
    }

    pub fn update_record(&mut self, id: RecordId, patch: Map<String, Value>, origin: Origin) -> Result<bool> {
        let current = self.load(id)?.ok_or(StoreError::NotFound(id))?;
        reject_retired_fields(current.collection, &patch)?;
        // A retired field is absent from the valid document. Cleared by the patch (an
        // upgrade), the clearing is a change of its own, so every laptop learns the old
        // value is gone; not cleared, its value is kept as it was, for the upgrade.
        let retired = current.collection.spec().retired;
        let cleared: Vec<(String, Option<Value>, Value)> = retired
            .iter()
            .filter(|f| patch.get(**f).is_some_and(Value::is_null))
            .filter_map(|f| {
                current
                    .doc
                    .get(*f)
                    .filter(|v| !v.is_null())
                    .map(|old| ((*f).to_owned(), Some(old.clone()), Value::Null))
            })
            .collect();
        let kept: Vec<(&str, Value)> = retired
            .iter()
            .filter(|f| !patch.contains_key(**f))
            .filter_map(|f| current.doc.get(*f).map(|v| (*f, v.clone())))
            .collect();
        let mut next = current.doc.clone();
        for (k, v) in patch {
            next.insert(k, v);
        }
        let valid = self.validate(current.collection, &next)?;
        let changes: Vec<(String, Option<Value>, Value)> = valid
            .document
            .iter()
            .filter(|(k, v)| current.doc.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), current.doc.get(k).cloned(), v.clone()))
            .chain(cleared)
            .collect();
        if changes.is_empty() {
            return Ok(false);
        }
        let (last, stamps) = self.record_changes(current.rid, id, current.collection, &changes, origin, None)?;
        // An edit is later than any delete before it, so it takes the record out of the
        // trash: the rule every laptop applies to pulled changes too (crate::remote).
        let deleted = crate::remote::deleted_after_merge(&self.tx, current.rid, &stamps)?;
        let keys = list_keys(current.collection, &valid.document);
        let written = if kept.is_empty() {
            std::borrow::Cow::Borrowed(&valid.document)
        } else {
            let mut doc = valid.document.clone();
            doc.extend(kept.into_iter().map(|(f, v)| (f.to_owned(), v)));
            std::borrow::Cow::Owned(doc)
        };
        self.write_row(
            current.rid,
            &written,
            &last,
            (deleted != current.deleted).then_some(deleted),
            (&list_keys(current.collection, &current.doc), &keys),
        )?;
        self.index(current.rid, current.collection, &valid, deleted)?;
        Ok(true)
    }

    pub fn set_deleted(&mut self, id: RecordId, deleted: bool, origin: Origin) -> Result<()> {
        let current = self.load(id)?.ok_or(StoreError::NotFound(id))?;
        if current.deleted == deleted {
            return Ok(());
        }
        let old = Value::Bool(current.deleted);
        let (last, _) = self.record_changes(
            current.rid,
            id,
            current.collection,
            &[(DELETED_FIELD.to_owned(), Some(old), Value::Bool(deleted))],
            origin,
            None,
        )?;
        self.tx.execute(
            "UPDATE records SET deleted = ?1, updated_hlc = ?2 WHERE rid = ?3",
            params![deleted, last.to_string(), current.rid],
        )?;
        let valid = validate_document(current.collection, &current.doc)
            .map_err(|e| StoreError::Corrupt(format!("stored record {id} fails validation: {e:?}")))?;
        self.index(current.rid, current.collection, &valid, deleted)
    }

    /// Records a non-document field (such as [`MERGED_INTO_FIELD`]) on a record.
    pub fn set_meta_field(&mut self, id: RecordId, field: &str, value: Value, origin: Origin) -> Result<()> {
        let current = self.load(id)?.ok_or(StoreError::NotFound(id))?;
        self.record_changes(current.rid, id, current.collection, &[(field.to_owned(), None, value)], origin, None)?;
        Ok(())
    }

    /// Stamps, records history for, and queues the changes of one write; returns the
    /// stamp and the record's stamps after it (for callers that need them next). One
    /// stamp for all of them (`first_stamp`, or a new one): they were made
    /// together, and one stamp keeps the write one outbox row and one wire object.
    pub(crate) fn record_changes(
        &mut self,
        rid: i64,
        id: RecordId,
        collection: Collection,
        changes: &[(String, Option<Value>, Value)],
        origin: Origin,
        first_stamp: Option<Hlc>,
    ) -> Result<(Hlc, Stamps)> {
        let hlc = first_stamp.unwrap_or_else(|| self.stamp());
        let mut stamps = self.stamps_of(rid, id)?;
        self.keep_bases_before_edit(rid, collection, changes, &stamps)?;
        for (field, old, new) in changes {
            self.history(rid, field, old.as_ref(), &new.to_string(), &hlc, self.author, origin)?;
        }
        if origin != Origin::Remote {
            let fields: Vec<(&str, &Value)> = changes.iter().map(|(f, _, v)| (f.as_str(), v)).collect();
            self.queue(id, collection, &fields, &hlc)?;
        }
        let changed: Vec<(&str, Option<Hlc>, Hlc)> =
            changes.iter().map(|(f, _, _)| (f.as_str(), stamps.insert(f.clone(), hlc), hlc)).collect();
        // A record's first write names the fields of its first document (insert_record).
        let text = if first_stamp.is_some() { encode_first_stamps(&stamps, &hlc) } else { encode_stamps(&stamps) };
        self.write_stamps(rid, (id, collection), text, &changed)?;
        Ok((hlc, stamps))
    }

    /// Appends a change of one record (its fields, one stamp) to the outbox. A long text
    /// keeps at most one version waiting: a newer edit takes it out of the change that
    /// holds it (a change left empty goes), so the server is only ever asked to store
    /// the latest text over the version it was made from. The newer text goes in a new
    /// change with a new seq, never into the waiting one: a sync may have read that one
    /// and be sending it, and the server's acknowledgement of its seq must not remove
    /// the newer text unsent (it did, when the entry was updated in place).
    pub(crate) fn queue(
        &mut self,
        id: RecordId,
        collection: Collection,
        fields: &[(&str, &Value)],
        hlc: &Hlc,
    ) -> Result<()> {
        let record = id.to_string();
        let mut replaced = false;
        for (field, _) in fields.iter().filter(|(f, _)| collection.is_long_text(f)) {
            let path = field_path(field);
            replaced |= self
                .tx
                .prepare_cached("UPDATE outbox SET fields = json_remove(fields, ?2) WHERE record_id = ?1 AND fields -> ?2 IS NOT NULL")?
                .execute(params![record, path])?
                > 0;
        }
        if replaced {
            self.tx.prepare_cached("DELETE FROM outbox WHERE record_id = ?1 AND fields = '{}'")?.execute([&record])?;
        }
        let map: Map<String, Value> = fields.iter().map(|(f, v)| ((*f).to_owned(), (*v).clone())).collect();
        self.tx
            .prepare_cached("INSERT INTO outbox (record_id, collection, fields, hlc) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![record, collection.as_str(), Value::Object(map).to_string(), hlc.to_string()])?;
        Ok(())
    }

    /// Takes in a remote stamp so later local stamps sort after it. A stamp too far in
    /// the future (a laptop with a wrong clock) is not followed: its field still merges
    /// by the shared rule, but this laptop's clock does not jump ahead with it.
    pub(crate) fn observe(&mut self, remote: Hlc, now_ms: u64) {
        if self.hlc.observe(remote, now_ms).is_ok() {
            self.last_stamp = Some(self.hlc.last());
        }
    }

    /// Writes a record's row after a change of its document: `doc`, `updated_hlc` (never
    /// moved back) and — only when given, that is when it changed — the trash flag, and
    /// each list key that differs between `keys` (before, after). A column left out
    /// leaves alone every index built on it, or filtered by it: an edited note rewrites
    /// no list index, new participants only the index holding the sums.
    pub(crate) fn write_row(
        &self,
        rid: i64,
        doc: &Map<String, Value>,
        updated: &Hlc,
        deleted: Option<bool>,
        (before, after): (&ListKeys, &ListKeys),
    ) -> Result<()> {
        let mut sql = String::from("UPDATE records SET doc = ?2, updated_hlc = max(updated_hlc, ?3)");
        let mut values: Vec<SqlValue> =
            vec![SqlValue::Integer(rid), SqlValue::Text(doc_text(doc)), SqlValue::Text(updated.to_string())];
        if let Some(deleted) = deleted {
            values.push(SqlValue::Integer(i64::from(deleted)));
            sql.push_str(&format!(", deleted = ?{}", values.len()));
        }
        for ((column, old), new) in LIST_KEY_COLUMNS.iter().zip(before).zip(after) {
            if old != new {
                values.push(new.clone());
                sql.push_str(&format!(", {column} = ?{}", values.len()));
            }
        }
        sql.push_str(" WHERE rid = ?1");
        self.tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }

    /// Records fields taken from the server with their own stamps: stamp and history
    /// (origin remote, no author), never the outbox. A document field arriving for the
    /// first time replaces nothing, so it makes no history row (its value and stamp are
    /// the record's own); the trash and merge marks always do (the trash rule reads them).
    /// `changes`: (field, old value, new value, new stamp, old stamp).
    /// `stamps`: every stamp of the record, these changes' included.
    pub(crate) fn record_remote_changes(
        &mut self,
        rid: i64,
        record: (RecordId, Collection),
        changes: &[RemoteChange],
        stamps: &Stamps,
    ) -> Result<()> {
        let mut changed = Vec::with_capacity(changes.len());
        for (field, old, new, hlc, old_stamp) in changes {
            if old.is_some() || old_stamp.is_some() || is_meta_field(field) {
                self.history(rid, field, old.as_ref(), &new.to_string(), hlc, "", Origin::Remote)?;
            }
            changed.push((field.as_str(), *old_stamp, *hlc));
        }
        self.write_stamps(rid, record, encode_stamps(stamps), &changed)
    }

    /// Every stamp of one record, by field.
    pub(crate) fn stamps_of(&self, rid: i64, id: RecordId) -> Result<Stamps> {
        let (text, first, doc): (String, String, Option<String>) = self
            .tx
            .prepare_cached(&format!("SELECT {STAMPS_COLUMNS} FROM records WHERE rid = ?1"))?
            .query_row([rid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        parse_stamps(&text, id, &first, doc.as_deref())
    }

    /// Sets a field's stamp, keeping the local checksums in step (the old stamp's digest
    /// out, the new one's in).
    pub(crate) fn set_stamp(&mut self, rid: i64, record: (RecordId, Collection), field: &str, hlc: &Hlc) -> Result<()> {
        let mut stamps = self.stamps_of(rid, record.0)?;
        let old = stamps.insert(field.to_owned(), *hlc);
        self.write_stamps(rid, record, encode_stamps(&stamps), &[(field, old, *hlc)])
    }

    /// Keeps the local checksums in step with one stamp set (the old one's digest out,
    /// the new one's in); written at commit.
    pub(crate) fn count_stamp(&mut self, record: (RecordId, Collection), field: &str, old: Option<&Hlc>, hlc: &Hlc) {
        let (id, collection) = record;
        let delta = self.checksum_delta.entry(collection).or_default();
        if let Some(old) = old {
            delta.0 -= 1;
            delta.1 = delta.1.wrapping_sub(saite_protocol::merge::field_digest(&id, field, old));
        }
        delta.0 += 1;
        delta.1 = delta.1.wrapping_add(saite_protocol::merge::field_digest(&id, field, hlc));
    }

    /// Writes a record's stamps column (`text`: all its stamps, `changed` included, as
    /// [`parse_stamps`] reads them) after `changed` set some: (field, its stamp until
    /// now, new stamp). Keeps the local checksums in step (each old stamp's digest out,
    /// the new one's in).
    pub(crate) fn write_stamps(
        &mut self,
        rid: i64,
        record: (RecordId, Collection),
        text: String,
        changed: &[(&str, Option<Hlc>, Hlc)],
    ) -> Result<()> {
        if changed.is_empty() {
            return Ok(());
        }
        for (field, old, hlc) in changed {
            self.count_stamp(record, field, old.as_ref(), hlc);
        }
        self.tx.prepare_cached("UPDATE records SET stamps = ?2 WHERE rid = ?1")?.execute(params![rid, text])?;
        Ok(())
    }

    /// Appends one change to history (values as JSON text).
    #[allow(clippy::too_many_arguments)]
    fn history(
        &self,
        rid: i64,
        field: &str,
        old: Option<&Value>,
        new_text: &str,
        hlc: &Hlc,
        author: &str,
        origin: Origin,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO history (rid, field, old_value, new_value, hlc, author, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![rid, field, old.map(Value::to_string), new_text, hlc.to_string(), author, origin.as_str()])?;
        Ok(())
    }

    /// Takes a record out of the search index, references and duplicate keys.
    pub(crate) fn unindex(&mut self, rid: i64) -> Result<()> {
        self.tx.prepare_cached("DELETE FROM search WHERE rowid = ?1")?.execute([rid])?;
        self.tx.prepare_cached("DELETE FROM refs WHERE from_rid = ?1")?.execute([rid])?;
        self.tx.prepare_cached("DELETE FROM duplicate_keys WHERE rid = ?1")?.execute([rid])?;
        Ok(())
    }

    /// Keeps the search index, references and duplicate keys in step with a record.
    pub(crate) fn index(
        &mut self,
        rid: i64,
        collection: Collection,
        valid: &ValidDocument,
        deleted: bool,
    ) -> Result<()> {
        self.unindex(rid)?;
        self.index_new(rid, collection, valid, deleted)
    }

    /// [`Writer::index`] for a record not indexed yet (just inserted): nothing to remove.
    pub(crate) fn index_new(
        &mut self,
        rid: i64,
        collection: Collection,
        valid: &ValidDocument,
        deleted: bool,
    ) -> Result<()> {
        self.write_index(rid, &IndexEntry::of(collection, valid, deleted))
    }

    /// Writes what a record puts in the search index, references and duplicate keys.
    pub(crate) fn write_index(&mut self, rid: i64, entry: &IndexEntry) -> Result<()> {
        if let Some((label, body)) = &entry.search {
            match &mut self.search_at_commit {
                Some(later) => later.push((rid, label.clone(), body.clone())),
                None => insert_search(&self.tx, rid, label, body)?,
            }
        }
        for (field, target) in &entry.references {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO refs (from_rid, field, to_id) VALUES (?1, ?2, ?3)")?
                .execute(params![rid, field, target])?;
        }
        for key in &entry.duplicate_keys {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO duplicate_keys (rid, key) VALUES (?1, ?2)")?
                .execute(params![rid, key])?;
        }
        Ok(())
    }

    /// Adds fields newly stamped (their count and digest sum) to the local checksums.
    pub(crate) fn count_new_stamps(&mut self, collection: Collection, fields: i64, sum: u64) {
        let delta = self.checksum_delta.entry(collection).or_default();
        delta.0 += fields;
        delta.1 = delta.1.wrapping_add(sum);
    }
}

/// What a record puts in the search index, its references and its duplicate keys:
/// computed from its document alone (so a pulled page's can be computed on another
/// thread, `crate::remote::prepare_pulled`).
#[derive(Debug, PartialEq)]
pub(crate) struct IndexEntry {
    /// Folded label and search text, when the record is findable (live, searchable,
    /// with some text).
    search: Option<(String, String)>,
    /// (field, the id it names).
    references: Vec<(&'static str, String)>,
    /// Live records only.
    duplicate_keys: Vec<String>,
}

impl IndexEntry {
    pub(crate) fn of(collection: Collection, valid: &ValidDocument, deleted: bool) -> IndexEntry {
        IndexEntry::of_parts(collection, (&valid.label, &valid.search_text, &valid.references), deleted, || {
            Cow::Borrowed(&valid.document)
        })
    }

    /// [`IndexEntry::of`] a live record's valid text: its canonical document is made
    /// only for a collection with duplicate keys.
    pub(crate) fn of_text(collection: Collection, valid: &ValidText) -> IndexEntry {
        IndexEntry::of_parts(collection, (&valid.label, &valid.search_text, &valid.references), false, || {
            Cow::Owned(valid.document())
        })
    }

    fn of_parts<'a>(
        collection: Collection,
        (label, search_text, references): (&str, &str, &[(&'static str, Collection, RecordId)]),
        deleted: bool,
        document: impl FnOnce() -> Cow<'a, Map<String, Value>>,
    ) -> IndexEntry {
        let search = (collection.is_searchable() && !deleted)
            .then(|| (saite_domain::fold::fold(label), search_text.to_owned()))
            .filter(|(label, body)| !label.is_empty() || !body.is_empty());
        IndexEntry {
            search,
            references: references.iter().map(|(field, _, target)| (*field, target.to_string())).collect(),
            duplicate_keys: if deleted || !duplicates::has_keys(collection) {
                Vec::new()
            } else {
                duplicates::duplicate_keys(collection, &document())
            },
        }
    }
}

/// Adds a record's folded label and search text to the search index under its row.
fn insert_search(conn: &rusqlite::Connection, rid: i64, label: &str, body: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO search (rowid, label, body) VALUES (?1, ?2, ?3)")?
        .execute(params![rid, label, body])?;
    Ok(())
}

/// The SQLite JSON path of a top-level field (quoted: field names may hold any
/// character).
pub(crate) fn field_path(field: &str) -> String {
    format!("$.\"{field}\"")
}

/// A document as the `doc` column holds it (compact JSON), written without a copy.
pub(crate) fn doc_text(doc: &Map<String, Value>) -> String {
    serde_json::to_string(doc).expect("a JSON object serialises")
}

/// A record's stamps by field (meta fields such as `_deleted` included).
pub(crate) type Stamps = std::collections::BTreeMap<String, Hlc>;

/// A record's stamps column, in one of two forms:
/// - `{HLC: [field, ...]}`: each stamp once with the fields that carry it (fields
///   sorted), as the fields of one write share one stamp;
/// - [`STAMPS_AT_FIRST`]: every field of the document, and no other, carries the
///   record's first stamp (`created_hlc`). A record made in one write and not changed
///   since, as every record of a first pull is, names no field or stamp again, so its
///   row is smaller.
///
/// Invariant for the second form: it is written only with the row's first document,
/// and any later change of a stamp writes the first form (a field joins the document
/// only with its stamp), so the document's fields are the stamped ones while it holds.
///
/// `first` and `doc`: the row's `created_hlc` and `doc`, read for the second form only.
pub(crate) fn parse_stamps(text: &str, id: RecordId, first: &str, doc: Option<&str>) -> Result<Stamps> {
    let corrupt = || StoreError::Corrupt(format!("stamps of {id}"));
    if text == STAMPS_AT_FIRST {
        let first: Hlc = first.parse().map_err(|_| corrupt())?;
        let fields =
            serde_json::from_str::<std::collections::BTreeMap<String, serde::de::IgnoredAny>>(doc.ok_or_else(corrupt)?)
                .map_err(|_| corrupt())?;
        return Ok(fields.into_keys().map(|field| (field, first)).collect());
    }
    let by_stamp: Vec<(Hlc, Vec<String>)> = serde_json::from_str::<serde_json::Map<String, Value>>(text)
        .map_err(|_| corrupt())?
        .into_iter()
        .map(|(hlc, fields)| {
            Ok((hlc.parse().map_err(|_| corrupt())?, serde_json::from_value(fields).map_err(|_| corrupt())?))
        })
        .collect::<Result<_>>()?;
    let mut stamps = Stamps::new();
    for (hlc, fields) in by_stamp {
        for field in fields {
            if stamps.insert(field, hlc).is_some() {
                return Err(corrupt());
            }
        }
    }
    Ok(stamps)
}

/// The stamps column of a record whose every document field carries its first stamp
/// ([`parse_stamps`]).
pub(crate) const STAMPS_AT_FIRST: &str = "0";

/// The SQL that reads a record's stamps column with what [`parse_stamps`] needs beside
/// it (the document only for [`STAMPS_AT_FIRST`]), from `records`.
pub(crate) const STAMPS_COLUMNS: &str = "stamps, created_hlc, iif(stamps = '0', doc, NULL)";

/// The stamps column of a record's first write: [`STAMPS_AT_FIRST`] when every stamp
/// is `first` and none is a meta field, else [`encode_stamps`]. The caller's promise:
/// `stamps` names exactly the fields of the document written with them.
pub(crate) fn encode_first_stamps(stamps: &Stamps, first: &Hlc) -> String {
    if stamps.iter().all(|(field, hlc)| hlc == first && !is_meta_field(field)) {
        STAMPS_AT_FIRST.to_owned()
    } else {
        encode_stamps(stamps)
    }
}

/// The stamps column of [`parse_stamps`].
pub(crate) fn encode_stamps(stamps: &Stamps) -> String {
    let mut by_stamp: std::collections::BTreeMap<Hlc, Vec<&str>> = std::collections::BTreeMap::new();
    for (field, hlc) in stamps {
        by_stamp.entry(*hlc).or_default().push(field);
    }
    let mut out = String::with_capacity(2 + by_stamp.len() * 60 + stamps.len() * 16);
    out.push('{');
    for (i, (hlc, fields)) in by_stamp.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        hlc.with_text(|text| {
            out.push('"');
            out.push_str(text);
            out.push_str("\":");
        });
        out.push_str(&serde_json::to_string(fields).expect("field names serialise"));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use saite_domain::{DeviceId, Hlc, RecordId};

    use super::{STAMPS_AT_FIRST, Stamps, encode_first_stamps, encode_stamps, parse_stamps};

    fn hlc() -> impl Strategy<Value = Hlc> {
        (0u64..4, 0u32..3, 0u128..3).prop_map(|(wall, counter, device)| Hlc {
            wall_ms: 1_700_000_000_000 + wall,
            counter,
            device: DeviceId::from_uuid(uuid::Uuid::from_u128(device)),
        })
    }

    fn stamps() -> impl Strategy<Value = Stamps> {
        // Few distinct stamps over many fields, as writes share theirs; names with
        // characters JSON must escape too.
        proptest::collection::btree_map("[_a-zA-Z\"\\\\ā]{1,12}", hlc(), 0..12)
    }

    /// A pulled record's index entry, made from its text without its canonical document
    /// (`IndexEntry::of_text`), is the one made from its values: for every record of the
    /// demonstration data, an attachment, and people and organisations whose phones the
    /// canonical form rewrites (their duplicate keys are read from it). The typed label is
    /// the value of the collection's label field (`Collection::label_field`).
    #[test]
    fn an_index_entry_from_a_valid_text_is_the_one_from_its_values() {
        use std::sync::Arc;

        use saite_domain::{Collection, SystemClock, validate_document, validate_document_text};

        use super::IndexEntry;
        use crate::{Store, key::KdfParams};

        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), "x").unwrap();
        store.load_demo_data().unwrap();
        let mut docs: Vec<(Collection, String)> = store
            .conn
            .prepare("SELECT collection, doc FROM records")
            .unwrap()
            .query_map([], |r| Ok((Collection::parse(&r.get::<_, String>(0)?).unwrap(), r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let sha = "ab".repeat(32);
        let owner = RecordId::from_uuid(uuid::Uuid::from_u128(5));
        docs.extend([
            (Collection::Attachment, serde_json::json!({"owner": owner, "ownerCollection": "seminar", "fileName": "Programma.pdf", "sha256": sha.to_uppercase(), "sizeBytes": 10}).to_string()),
            (Collection::Person, serde_json::json!({"fullName": "Anna Bērziņa", "phones": ["2000 0000"], "emails": [" A@b.lv "], "legalBasis": "legitimate-interest", "basisConfirmedOn": "2015-12-15"}).to_string()),
            (Collection::Organisation, serde_json::json!({"name": "Rīgas bāriņtiesa", "kind": "ngo", "phones": ["6700 0000"]}).to_string()),
        ]);
        let collections: std::collections::BTreeSet<Collection> = docs.iter().map(|(c, _)| *c).collect();
        assert!(collections.len() >= 9, "{collections:?}");
        for (collection, text) in docs {
            let document = serde_json::from_str(&text).unwrap();
            let valid =
                validate_document(collection, &document).unwrap_or_else(|e| panic!("{collection} {text}: {e:?}"));
            assert_eq!(valid.label, crate::read::label_of(collection, &valid.document), "{collection}");
            let by_text = validate_document_text(collection, &text).unwrap();
            assert_eq!(
                IndexEntry::of_text(collection, &by_text),
                IndexEntry::of(collection, &valid, false),
                "{collection} {text}"
            );
        }
    }

    proptest! {
        #[test]
        fn stamps_read_back_as_written_and_name_each_stamp_once(stamps in stamps()) {
            let id = RecordId::from_uuid(uuid::Uuid::from_u128(7));
            let text = encode_stamps(&stamps);
            prop_assert_eq!(parse_stamps(&text, id, "", None).unwrap(), stamps.clone());
            let distinct: std::collections::BTreeSet<&Hlc> = stamps.values().collect();
            let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(object.len(), distinct.len());
        }

        /// A record's first write, its stamps named by its document's fields or not,
        /// reads back the same beside that document.
        #[test]
        fn first_stamps_read_back_beside_their_document(stamps in stamps(), first in hlc(), all_at_first in any::<bool>()) {
            let stamps: Stamps = if all_at_first { stamps.into_keys().map(|f| (f, first)).collect() } else { stamps };
            let id = RecordId::from_uuid(uuid::Uuid::from_u128(7));
            let doc = serde_json::Value::Object(stamps.keys().map(|f| (f.clone(), serde_json::json!(f.len()))).collect()).to_string();
            let text = encode_first_stamps(&stamps, &first);
            let short = stamps.iter().all(|(f, h)| *h == first && !saite_protocol::pull::is_meta_field(f));
            prop_assert_eq!(text == STAMPS_AT_FIRST, short);
            prop_assert_eq!(parse_stamps(&text, id, &first.to_string(), Some(&doc)).unwrap(), stamps);
        }
    }

    #[test]
    fn commits_wait_for_the_disk_again_after_a_write_that_need_not_even_when_it_fails() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(saite_domain::SystemClock);
        let mut store =
            crate::Store::initialize(dir.path(), "parole", crate::key::KdfParams::FAST_FOR_TESTS, clock, "a@x")
                .unwrap();
        let synchronous =
            |s: &crate::Store| s.conn.pragma_query_value(None, "synchronous", |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(synchronous(&store), 2, "FULL");
        let inside = store.not_waiting_for_disk(|s| Ok(synchronous(s))).unwrap();
        assert_eq!(inside, 1, "NORMAL");
        let failed: crate::Result<()> = store.not_waiting_for_disk(|_| Err(crate::StoreError::Corrupt("test".into())));
        assert!(failed.is_err());
        assert_eq!(synchronous(&store), 2, "FULL again");
    }

    #[test]
    fn the_stamps_read_names_the_short_form_it_reads() {
        assert!(super::STAMPS_COLUMNS.contains(&format!("stamps = '{STAMPS_AT_FIRST}'")));
    }

    #[test]
    fn a_field_under_two_stamps_is_corrupt() {
        let id = RecordId::from_uuid(uuid::Uuid::from_u128(7));
        let (a, b) = (
            "0190f3c27d4e-00000000-00000000000000000000000000000001",
            "0190f3c27d4f-00000000-00000000000000000000000000000001",
        );
        assert!(parse_stamps(&format!(r#"{{"{a}":["title"],"{b}":["title"]}}"#), id, a, None).is_err());
        assert!(
            parse_stamps(r#"{"title":"0190f3c27d4e-00000000-00000000000000000000000000000001"}"#, id, a, None).is_err(),
            "the old form"
        );
        assert!(parse_stamps(STAMPS_AT_FIRST, id, a, None).is_err(), "the short form without its document");
        assert!(parse_stamps(STAMPS_AT_FIRST, id, "h1", Some("{}")).is_err(), "the short form with no first stamp");
    }
}
