//! Taking in what other laptops changed, as pulled from the server.
//!
//! Glossary: a **remote field** is one field of one record as the server stores it,
//! with the stamp (HLC) of the laptop that wrote it; the **pull cursor** is the server
//! seq up to which this store holds the server's values; the **local checksums** are the
//! same per-collection digests the server keeps ([`saite_protocol::merge`]), computed
//! from this store's stamps, so equal checksums prove equal data; a **prepared page**
//! is a pulled page ([`saite_protocol::PulledRecord`]s, their values still the JSON
//! text they arrived in) with what inserting its records needs, should they be new here,
//! computed beforehand without the store ([`prepare_pulled`]).
//!
//! The rules (which pulled field replaces the value held, when a record is taken
//! whole, when it is in the trash) are [`saite_protocol::pull`]'s; this module reads
//! what they need and writes what they decide.
//!
//! Invariants: a page of remote fields and the cursor after it are stored in one
//! transaction (a crash leaves both or neither); per field the later stamp wins
//! ([`saite_protocol::merge::incoming_wins`]), so applying a page twice, or pages in any
//! order, leaves the same state; the value a remote field replaces stays in history
//! (origin `remote`); remote changes never enter the outbox.
//!
//! A delete against an edit ([`saite_protocol::pull::in_trash`]): a laptop that edited
//! a record another laptop deleted meanwhile gets it back, restored for everyone, and
//! the delete stays in its history; an edit older than the delete leaves it in the
//! trash, with the edit inside (restorable).
//!
//! Remote records are not validated: the fields of one record may arrive over several
//! pages, and rules between fields are the laptops' forms' business (see
//! `saite-server`'s validation). A record is indexed for search and references as soon
//! as its document passes validation, and left out until then.

use std::{borrow::Cow, collections::BTreeMap};

use rusqlite::{OptionalExtension, params};
use saite_domain::{Collection, Hlc, RecordId, validate_document};
use saite_protocol::{
    FieldValues, PulledRecord,
    merge::{FieldDigest, RecordDigests, field_digest},
    pull::{PulledField, in_trash, is_meta_field, is_whole_arrival, merge_pulled_field},
};
use serde_json::{Map, Value, value::RawValue};

use crate::{
    DELETED_FIELD, Origin, Store,
    error::{Result, StoreError},
    read::stored_collection,
    store::{meta, set_meta},
    text_merge::Reconciled,
    write::IndexEntry,
};

/// One field of a pulled record, read into its value, for the merge field by field.
#[derive(Debug, Clone, PartialEq)]
struct PulledValue {
    field: String,
    /// `null` for an empty optional field.
    value: Value,
    hlc: Hlc,
}

/// A pulled record to be merged field by field.
#[derive(Debug)]
struct PulledFields {
    record: RecordId,
    collection: Collection,
    fields: Vec<PulledValue>,
}

/// A pulled record's values (`texts`, read from it) as JSON values, each with its
/// stamp, for the merge field by field.
fn fields_of<'a>(
    r: &PulledRecord,
    texts: impl IntoIterator<Item = (Cow<'a, str>, &'a RawValue)>,
) -> Result<PulledFields> {
    let fields = texts
        .into_iter()
        .map(|(field, text)| {
            let value = serde_json::from_str(text.get())
                .map_err(|e| StoreError::Corrupt(format!("pulled value of {}: {e}", r.record)))?;
            Ok(PulledValue { hlc: *r.stamp_of(&field), field: field.into_owned(), value })
        })
        .collect::<Result<_>>()?;
    Ok(PulledFields { record: r.record, collection: r.collection, fields })
}

/// A JSON object's fields as (name, value text) pairs, in the order written, names
/// borrowed from the text where they hold no escape.
struct FieldTexts<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

#[derive(serde::Deserialize)]
struct FieldName<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for FieldTexts<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = FieldTexts<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object of field values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<FieldTexts<'de>, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some((FieldName(name), text)) = map.next_entry::<FieldName<'de>, &'de RawValue>()? {
                    pairs.push((name, text));
                }
                Ok(FieldTexts(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// What applying a page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Fields whose value changed here (the remote stamp was later).
    pub changed: u64,
    /// Fields this store already had, or held a later value for.
    pub unchanged: u64,
    /// Records seen for the first time.
    pub new_records: u64,
}

const CURSOR_KEY: &str = "pull_cursor";

/// The stored pull cursor (0: none yet), read inside a transaction or not.
fn read_cursor(conn: &rusqlite::Connection) -> Result<u64> {
    crate::store::meta_number(conn, CURSOR_KEY, "pull cursor")
}

/// Whether a record is in the trash by [`in_trash`], reading its latest `_deleted`
/// value. `stamps`: the record's every stamp. A record never put in the trash has no
/// `_deleted` stamp, and needs no read.
pub(crate) fn deleted_after_merge(
    tx: &rusqlite::Transaction<'_>,
    rid: i64,
    stamps: &crate::write::Stamps,
) -> Result<bool> {
    if !stamps.contains_key(DELETED_FIELD) {
        return Ok(false);
    }
    let flagged: Option<String> = tx
        .prepare_cached(
            "SELECT new_value FROM history WHERE rid = ?1 AND field = ?2 ORDER BY hlc DESC, seq DESC LIMIT 1",
        )?
        .query_row(params![rid, DELETED_FIELD], |r| r.get(0))
        .optional()?;
    Ok(in_trash(flagged.as_deref() == Some("true"), stamps.iter().map(|(f, h)| (f.as_str(), h))))
}

/// A pulled page made ready to write ([`prepare_pulled`]).
#[derive(Debug)]
pub struct PreparedPage {
    records: Vec<Prepared>,
}

#[derive(Debug)]
enum Prepared {
    /// Each field once and no trash or merge mark: taken in whole if the record is new
    /// here (the common case of a first pull), else merged from its fields.
    Whole(Box<NewRecord>),
    /// Merged field by field.
    Fields(PulledFields),
}

/// What inserting a pulled record new here writes, computed from its fields alone.
#[derive(Debug)]
struct NewRecord {
    record: RecordId,
    collection: Collection,
    doc_text: String,
    stamps: crate::write::Stamps,
    stamps_text: String,
    /// The earliest and the latest stamp, as stored (formatted here, off the writer's
    /// thread).
    first: String,
    last: String,
    keys: crate::list_keys::ListKeys,
    /// `None` while the document is not whole (its other fields are in a later page).
    index: Option<IndexEntry>,
    /// The sum of its fields' checksum digests.
    digest: u64,
}

/// Prepares a page of pulled records for [`Store::apply_prepared`]: for each record,
/// what inserting it needs if it is new here: the document and stamps as stored, its
/// list keys, search text, references, duplicate keys and checksum digests. Needs no
/// store, so the sync engine runs it on another thread while the previous page is
/// written. A whole arrival ([`is_whole_arrival`]: every record of a first pull) is
/// prepared from its values' texts alone (its document written out from them as they
/// are, validated, listed and indexed from that document), and any other is read into
/// values, to be merged field by field. Fails on values that are not a JSON object (the
/// page is then not applied).
pub fn prepare_pulled(records: Vec<PulledRecord>) -> Result<PreparedPage> {
    let mut prepared = Vec::with_capacity(records.len());
    for mut r in records {
        let text = std::mem::replace(&mut r.fields, FieldValues::Values(BTreeMap::new())).into_text();
        let FieldTexts(mut texts) = serde_json::from_str(text.get())
            .map_err(|e| StoreError::Corrupt(format!("pulled values of {}: {e}", r.record)))?;
        if texts.is_empty() {
            continue;
        }
        texts.sort_by(|(a, _), (b, _)| a.cmp(b));
        let names: Vec<&str> = texts.iter().map(|(name, _)| name.as_ref()).collect();
        prepared.push(if is_whole_arrival(&names) {
            Prepared::Whole(Box::new(NewRecord::of_texts(&r, &text, &texts)))
        } else {
            // The last of a repeated field wins, as when the values are read into a map
            // (the sort above keeps repeated fields in the order sent).
            let last: BTreeMap<Cow<'_, str>, &RawValue> = texts.into_iter().collect();
            Prepared::Fields(fields_of(&r, last)?)
        });
    }
    Ok(PreparedPage { records: prepared })
}

impl NewRecord {
    /// A record new here from the texts of its values (`texts`, read from `text`), sorted
    /// by field, each field once.
    fn of_texts(r: &PulledRecord, text: &RawValue, texts: &[(Cow<'_, str>, &RawValue)]) -> NewRecord {
        let stamps: crate::write::Stamps =
            texts.iter().map(|(field, _)| (field.clone().into_owned(), *r.stamp_of(field))).collect();
        // The document as the values' texts came (the server's stored text; a laptop
        // that merges writes out the same form), its fields in order.
        let mut doc_text = String::with_capacity(text.get().len());
        doc_text.push('{');
        for (i, (field, text)) in texts.iter().enumerate() {
            if i > 0 {
                doc_text.push(',');
            }
            doc_text.push_str(&serde_json::to_string(field).expect("a field name serialises"));
            doc_text.push(':');
            doc_text.push_str(text.get());
        }
        doc_text.push('}');
        // The list keys and sums read from the few values they are made of.
        let spec = r.collection.spec();
        let keyed: Map<String, Value> = crate::list_keys::list_key_fields(r.collection)
            .into_iter()
            .flatten()
            .chain(spec.list.sums.iter().copied())
            .filter_map(|f| {
                let at = texts.binary_search_by(|(name, _)| name.as_ref().cmp(f)).ok()?;
                Some((f.to_owned(), serde_json::from_str(texts[at].1.get()).ok()?))
            })
            .collect();
        let index = saite_domain::validate_document_text(r.collection, &doc_text)
            .ok()
            .map(|valid| IndexEntry::of_text(r.collection, &valid));
        let keys = crate::list_keys::list_keys(r.collection, &keyed);
        NewRecord::stamped((r.record, r.collection), stamps, doc_text, keys, index)
    }

    /// A new record of these parts, with what its stamps (each field once) give: the
    /// earliest and latest stamp, the stamps column and the checksum digests.
    fn stamped(
        (record, collection): (RecordId, Collection),
        stamps: crate::write::Stamps,
        doc_text: String,
        keys: crate::list_keys::ListKeys,
        index: Option<IndexEntry>,
    ) -> NewRecord {
        let first = *stamps.values().min().expect("a prepared record has fields");
        let last = *stamps.values().max().expect("a prepared record has fields");
        let mut digests = RecordDigests::new(&record);
        let digest = stamps.iter().fold(0u64, |sum, (field, hlc)| sum.wrapping_add(digests.field(field, hlc)));
        let first_text = first.with_text(str::to_owned);
        let last_text = if last == first { first_text.clone() } else { last.with_text(str::to_owned) };
        NewRecord {
            record,
            collection,
            doc_text,
            stamps_text: crate::write::encode_first_stamps(&stamps, &first),
            keys,
            stamps,
            first: first_text,
            last: last_text,
            index,
            digest,
        }
    }
}

impl PreparedPage {
    /// Puts `later`'s records after this page's: applying the two as one page, with
    /// `later`'s cursor, leaves what applying this page and then `later` does (records
    /// are applied in order, each merged with what the store holds by then), in one
    /// transaction instead of two.
    pub fn append(&mut self, later: PreparedPage) {
        self.records.extend(later.records);
    }

    /// How many field values the page carries.
    pub fn field_count(&self) -> u64 {
        self.records
            .iter()
            .map(|r| match r {
                Prepared::Whole(new) => new.stamps.len() as u64,
                Prepared::Fields(r) => r.fields.len() as u64,
            })
            .sum()
    }

    /// The records the page puts in the trash (a `_deleted` of `true`), by collection.
    pub fn trashed(&self) -> BTreeMap<Collection, Vec<RecordId>> {
        let mut trashed: BTreeMap<Collection, Vec<RecordId>> = BTreeMap::new();
        for r in &self.records {
            // A record prepared whole carries no meta field.
            if let Prepared::Fields(r) = r
                && r.fields.iter().any(|f| f.field == DELETED_FIELD && f.value == Value::Bool(true))
            {
                trashed.entry(r.collection).or_default().push(r.record);
            }
        }
        trashed
    }
}

impl Prepared {
    fn record(&self) -> (RecordId, Collection) {
        match self {
            Prepared::Whole(new) => (new.record, new.collection),
            Prepared::Fields(r) => (r.record, r.collection),
        }
    }

    /// Whether it carries a field its collection has retired: only then can taking it
    /// make the record legacy ([`saite_domain::upgrade`]).
    fn carries_retired(&self) -> bool {
        let retired = self.record().1.spec().retired;
        !retired.is_empty()
            && match self {
                Prepared::Whole(new) => new.stamps.keys().any(|f| retired.contains(&f.as_str())),
                Prepared::Fields(r) => r.fields.iter().any(|f| retired.contains(&f.field.as_str())),
            }
    }

    /// The fields as pulled, for the merge (of a record prepared whole but known here:
    /// a re-pull, read back from the prepared document).
    fn into_fields(self) -> Result<Vec<PulledValue>> {
        match self {
            Prepared::Fields(r) => Ok(r.fields),
            Prepared::Whole(new) => {
                let NewRecord { doc_text, stamps, .. } = *new;
                let mut doc = crate::read::stored_doc(&doc_text)?;
                Ok(stamps
                    .into_iter()
                    .map(|(field, hlc)| PulledValue { value: doc.remove(&field).unwrap_or(Value::Null), field, hlc })
                    .collect())
            }
        }
    }
}

/// Pulled pages with at least this many records new here are written as a bulk load
/// (a first pull, a re-pull): see [`Store::apply_prepared`].
const BULK_PAGE: usize = 1_000;

/// FTS5's default `automerge`: a bulk pull turns it off until the index is compacted.
const SEARCH_AUTOMERGE: i64 = 4;

/// FTS5's default `crisismerge`: when this many segments stand at one level, the next
/// write merges them, `automerge` off or not.
const SEARCH_CRISIS_MERGE: i64 = 16;

/// `crisismerge` during a bulk pull. Each pulled page's commit leaves one segment; at
/// the default the writer stopped in the middle of a first pull to merge them, and the
/// compaction after the pull merged that output again. Up to a million records are
/// merged once, at the compaction; a search during the pull reads up to this many
/// segments. FTS5 allows 2 000 in all.
const BULK_SEARCH_CRISIS_MERGE: i64 = 200;

/// Whether a bulk pull turned the search index's merging off (until
/// [`Store::compact_search_index`]).
fn search_merging_paused(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(search_setting(conn, "automerge")? == Some(0))
}

/// One of FTS5's settings as the search index keeps it (`None`: never set, the default).
fn search_setting(conn: &rusqlite::Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT v FROM search_config WHERE k = ?1", [key], |r| r.get(0)).optional()?)
}

/// Turns the search index's merging of segments back on (after a bulk pull, or at
/// opening a store whose bulk pull was cut short), when it is off.
pub(crate) fn restore_search_merging(conn: &rusqlite::Connection) -> Result<()> {
    if search_merging_paused(conn)? {
        set_search_merging(conn, SEARCH_AUTOMERGE, SEARCH_CRISIS_MERGE)?;
    }
    Ok(())
}

/// Sets FTS5's `automerge` and `crisismerge` (kept in `search_config`, so they hold
/// until set again, across openings).
fn set_search_merging(conn: &rusqlite::Connection, automerge: i64, crisis_merge: i64) -> Result<()> {
    let mut set = conn.prepare_cached("INSERT INTO search (search, rank) VALUES (?1, ?2)")?;
    set.execute(params!["automerge", automerge])?;
    set.execute(params!["crisismerge", crisis_merge])?;
    Ok(())
}

impl crate::write::Writer<'_> {
    /// Inserts a record as prepared from its pulled fields ([`NewRecord`]) if this
    /// store has never seen it: its row, each long text as the base of later merges (the
    /// text is the field's value) and its index entries. Nothing is replaced, so no
    /// history row. A record held here already is handed back, untouched, to be merged.
    fn insert_prepared(&mut self, new: Box<NewRecord>, now: u64) -> Result<Option<Box<NewRecord>>> {
        let [sort, a, b, c, sums] = &new.keys;
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO records (id, collection, doc, deleted, created_hlc, updated_hlc, stamps, list_sort, list_a, list_b, list_c, list_sums)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![
                new.record.to_string(),
                new.collection.as_str(),
                new.doc_text,
                new.first,
                new.last,
                new.stamps_text,
                sort,
                a,
                b,
                c,
                sums
            ])?;
        if inserted == 0 {
            return Ok(Some(new));
        }
        let rid = self.tx.last_insert_rowid();
        let NewRecord { collection, stamps, index, digest, .. } = *new;
        for hlc in stamps.values() {
            self.observe(*hlc, now);
        }
        self.count_new_stamps(collection, stamps.len() as i64, digest);
        // A long text from another laptop is its own base without a row; one stamped
        // here (this laptop's text, pulled back) gets its row.
        for (field, hlc) in stamps.iter().filter(|(f, _)| collection.is_long_text(f)) {
            if !self.is_implied_base(hlc)? {
                self.set_base(rid, field, None, hlc)?;
            }
        }
        // Not whole yet (its other fields come in a later page): not findable until then.
        if let Some(entry) = &index {
            self.write_index(rid, entry)?;
        }
        Ok(None)
    }

    /// Moves the pull cursor from `from` to `to` when it stands at `from`, and says
    /// whether it did: for a push whose every change the server stored, at server seqs
    /// `from < seq <= to` ([`saite_protocol::PushResponse::stored`]). Those values are
    /// this store's own, so it holds them already; pulling them back would only make
    /// each pushed long text the base of later merges, which
    /// [`Writer::settle_pushed_texts`] does instead.
    fn skip_own_echo(&self, from: u64, to: u64) -> Result<bool> {
        if read_cursor(&self.tx)? != from || to < from {
            return Ok(false);
        }
        set_meta(&self.tx, CURSOR_KEY, &to.to_string())?;
        Ok(true)
    }
}

impl Store {
    /// The server seq up to which this store holds the server's values (0: none yet).
    pub fn pull_cursor(&self) -> Result<u64> {
        read_cursor(&self.conn)
    }

    /// What a push's answer settles, in one transaction: the outbox up to
    /// `up_to_device_seq` is acknowledged ([`Store::ack_outbox`]), the pushed long
    /// texts' bases are settled (`Writer::settle_pushed_texts`) and, when the server
    /// stored the whole push at `echo` = (from, to], its own echo is skipped
    /// (`Writer::skip_own_echo`). Returns the entries removed and whether the echo was
    /// skipped. One commit instead of two: each costs a WAL write and an fsync.
    ///
    /// `pushed_through`: the seq of the push's last change; `texts`: its long texts
    /// (entries without `expect` are passed over, so a caller may pass all of them).
    pub fn settle_push(
        &mut self,
        up_to_device_seq: i64,
        echo: Option<(u64, u64)>,
        pushed_through: i64,
        texts: &[crate::OutboxEntry],
    ) -> Result<(u64, bool)> {
        // Lost to a power cut, it is redone: the entries go again (the server skips
        // them), the echo comes back in the pull.
        let settled = self.not_waiting_for_disk(|s| {
            let w = s.writer()?;
            let removed = crate::read::ack_in(&w.tx, up_to_device_seq)?;
            w.settle_pushed_texts(pushed_through, texts, echo.is_some())?;
            let skipped = match echo {
                Some((from, to)) => w.skip_own_echo(from, to)?,
                None => false,
            };
            w.commit()?;
            Ok((removed, skipped))
        })?;
        // The outbox rows removed are what this commit wrote.
        self.checkpoint_after_bulk(settled.0 as usize);
        Ok(settled)
    }

    /// Merges the search index into one segment. After a bulk pull the index is many
    /// segments, and later small writes would pay for merging them, one by one.
    pub fn compact_search_index(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch("INSERT INTO search(search) VALUES('optimize');")?;
        restore_search_merging(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Whether the search index waits to be compacted after a bulk pull (which paused
    /// the merging of its segments): the sync engine then compacts it.
    pub fn search_needs_compacting(&self) -> Result<bool> {
        search_merging_paused(&self.conn)
    }

    /// Live (not deleted) records of a collection.
    pub fn live_count(&self, collection: Collection) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM records WHERE collection = ?1 AND deleted = 0",
            [collection.as_str()],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Of these records, how many are live here (a remote delete of them would move
    /// them to the trash).
    pub fn live_among(&self, ids: &[RecordId]) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM records WHERE id = ?1 AND deleted = 0")?;
        let mut live = 0;
        for id in ids {
            if stmt.exists([id.to_string()])? {
                live += 1;
            }
        }
        Ok(live)
    }

    /// A value the sync engine keeps between rounds (the server's address, the re-pull
    /// generations seen), in the encrypted store beside the data it describes.
    pub fn sync_value(&self, key: &str) -> Result<Option<String>> {
        meta(&self.conn, &format!("sync:{key}"))
    }

    pub fn set_sync_value(&mut self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn, &format!("sync:{key}"), value)
    }

    /// Forgets a sync value (signing out forgets the token).
    pub fn clear_sync_value(&mut self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM meta WHERE key = ?1", [format!("sync:{key}")])?;
        Ok(())
    }

    /// Applies a page of pulled records (as the server sends them: each record once)
    /// and moves the pull cursor to `cursor`, in one transaction (see the module docs):
    /// [`prepare_pulled`], then [`Store::apply_prepared`].
    pub fn apply_pulled(&mut self, records: Vec<PulledRecord>, cursor: u64) -> Result<Applied> {
        self.apply_prepared(prepare_pulled(records)?, cursor)
    }

    /// [`Store::apply_pulled`] of a page already prepared ([`prepare_pulled`]).
    pub fn apply_prepared(&mut self, page: PreparedPage, cursor: u64) -> Result<Applied> {
        // A page lost to a power cut is lost with its cursor, and pulled again.
        let records = page.records.len();
        let bulk = page.records.iter().filter(|r| matches!(r, Prepared::Whole(_))).count() >= BULK_PAGE;
        let applied = self.not_waiting_for_disk(|s| {
            if !bulk {
                return s.apply_prepared_now(page, cursor, false);
            }
            // The documents and stamps written whole are serde_json's own output, valid
            // by construction: their CHECK (json_valid) would parse each again. Every
            // other write is still checked.
            s.conn.pragma_update(None, "ignore_check_constraints", true)?;
            let out = s.apply_prepared_now(page, cursor, true);
            let restored = s.conn.pragma_update(None, "ignore_check_constraints", false);
            let out = out?;
            restored?;
            Ok(out)
        })?;
        self.checkpoint_after_bulk(records);
        Ok(applied)
    }

    fn apply_prepared_now(&mut self, page: PreparedPage, cursor: u64, bulk: bool) -> Result<Applied> {
        let now = self.clock.now_ms();
        let mut applied = Applied::default();
        let mut w = self.writer()?;
        if bulk {
            // The search index's segments are merged once, after the pull
            // ([`Store::compact_search_index`]), not also page by page.
            set_search_merging(&w.tx, 0, BULK_SEARCH_CRISIS_MERGE)?;
        }
        // Records an earlier version wrote, upgraded once the page is in.
        let mut maybe_legacy = Vec::new();
        for prepared in page.records {
            let (id, collection) = prepared.record();
            if prepared.carries_retired() {
                maybe_legacy.push(id);
            }
            // A record new here, each field once and no trash or merge mark: taken in
            // whole, one row written (the common case of a first pull), without looking
            // it up first. The general path below gives the same result.
            let prepared = match prepared {
                Prepared::Whole(new) => {
                    let fields = new.stamps.len() as u64;
                    match w.insert_prepared(new, now)? {
                        None => {
                            applied.new_records += 1;
                            applied.changed += fields;
                            continue;
                        }
                        Some(known) => Prepared::Whole(known),
                    }
                }
                fields => fields,
            };
            let current = w.load(id)?;
            if current.as_ref().is_some_and(|c| c.collection != collection) {
                return Err(StoreError::Corrupt(format!(
                    "record {id} is a {} here, but the server sends a {collection}",
                    current.unwrap().collection
                )));
            }
            let incoming = prepared.into_fields()?;
            let known = current.is_some();
            let (rid, mut doc, was_deleted) = match current {
                Some(c) => (c.rid, c.doc, c.deleted),
                None => {
                    let first = incoming.iter().map(|f| f.hlc).min().expect("a record in the page has fields");
                    w.tx.prepare_cached(
                        "INSERT INTO records (id, collection, doc, deleted, created_hlc, updated_hlc) VALUES (?1, ?2, '{}', 0, ?3, ?3)",
                    )?
                    .execute(params![id.to_string(), collection.as_str(), first.to_string()])?;
                    applied.new_records += 1;
                    (w.tx.last_insert_rowid(), Map::new(), false)
                }
            };
            let keys_before = crate::list_keys::list_keys(collection, &doc);
            let mut changes = Vec::new();
            let mut merged_edits = Vec::new();
            let mut latest: Option<Hlc> = None;
            // Every stamp of the record in one read (none for a record new here).
            let mut stamps = if known { w.stamps_of(rid, id)? } else { BTreeMap::new() };
            for f in incoming {
                w.observe(f.hlc, now);
                let stamp: Option<Hlc> = stamps.get(&f.field).copied();
                match merge_pulled_field(collection, &f.field, stamp.as_ref(), &f.hlc) {
                    PulledField::Take => {}
                    PulledField::Keep => {
                        applied.unchanged += 1;
                        continue;
                    }
                    PulledField::MergeText => {
                        let local = (doc.get(&f.field), stamp.as_ref());
                        match w.reconcile_text(rid, id, collection, &f.field, (&f.value, &f.hlc), local, now)? {
                            Reconciled::Take => {}
                            Reconciled::Keep(requeued) => {
                                if let Some(hlc) = requeued {
                                    stamps.insert(f.field.clone(), hlc);
                                }
                                applied.unchanged += 1;
                                continue;
                            }
                            Reconciled::TakeThenEdit(merged) => merged_edits.push((f.field.clone(), merged)),
                        }
                    }
                }
                applied.changed += 1;
                latest = latest.max(Some(f.hlc));
                let old = if f.field == DELETED_FIELD {
                    Some(Value::Bool(was_deleted))
                } else if is_meta_field(&f.field) {
                    None
                } else {
                    // Kept as sent, `null` included: the write path stores an empty
                    // optional field as `null` too, so both sides hold the same document.
                    doc.insert(f.field.clone(), f.value.clone())
                };
                changes.push((f.field.clone(), old, f.value.clone(), f.hlc, stamp));
                stamps.insert(f.field.clone(), f.hlc);
            }
            if changes.is_empty() {
                continue;
            }
            w.record_remote_changes(rid, (id, collection), &changes, &stamps)?;
            // Texts merged with a local edit: the merged text is a new local change (origin
            // merge), later than both, queued for the server.
            if !merged_edits.is_empty() {
                let edits: Vec<(String, Option<Value>, Value)> = merged_edits
                    .into_iter()
                    .map(|(field, text)| {
                        let old = doc.insert(field.clone(), Value::String(text.clone()));
                        (field, old, Value::String(text))
                    })
                    .collect();
                // The merged texts take new stamps.
                let (last, with_merged) = w.record_changes(rid, id, collection, &edits, Origin::Merge, None)?;
                latest = latest.max(Some(last));
                stamps = with_merged;
            }
            let deleted = deleted_after_merge(&w.tx, rid, &stamps)?;
            // A legacy record completed or restored by this page, its retired field
            // pulled earlier.
            if !deleted && !maybe_legacy.contains(&id) && saite_domain::upgrade::is_legacy(collection, &doc) {
                maybe_legacy.push(id);
            }
            let keys = crate::list_keys::list_keys(collection, &doc);
            w.write_row(
                rid,
                &doc,
                &latest.expect("a change was applied"),
                (deleted != was_deleted).then_some(deleted),
                (&keys_before, &keys),
            )?;
            match validate_document(collection, &doc) {
                Ok(valid) => w.index(rid, collection, &valid, deleted)?,
                // Not whole yet (its other fields are in a later page): not findable.
                Err(_) => w.unindex(rid)?,
            }
        }
        w.upgrade_legacy(Some(&maybe_legacy))?;
        set_meta(&w.tx, CURSOR_KEY, &cursor.to_string())?;
        w.commit()?;
        Ok(applied)
    }

    /// Per collection, the count and digest of this store's stamped fields: equal to the
    /// server's checksums exactly when both hold the same stamps. Kept up to date with
    /// every stamp written, so reading them does not grow with the store.
    pub fn local_checksums(&self) -> Result<BTreeMap<Collection, FieldDigest>> {
        let mut stmt = self.conn.prepare_cached("SELECT collection, fields, digest FROM local_checksums")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (collection, fields, digest) = row?;
            if fields > 0 {
                out.insert(stored_collection(&collection)?, FieldDigest { fields: fields as u64, sum: digest as u64 });
            }
        }
        Ok(out)
    }

    /// [`Store::local_checksums`] computed from every stamp (a store of an earlier schema
    /// fills the kept ones from this once; tests check the two agree).
    pub fn recompute_local_checksums(&self) -> Result<BTreeMap<Collection, FieldDigest>> {
        recompute_local_checksums(&self.conn)
    }
}

pub(crate) fn recompute_local_checksums(conn: &rusqlite::Connection) -> Result<BTreeMap<Collection, FieldDigest>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT id, collection, {} FROM records", crate::write::STAMPS_COLUMNS))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out: BTreeMap<Collection, FieldDigest> = BTreeMap::new();
    for row in rows {
        let (id, collection, stamps, first, doc) = row?;
        let id: RecordId = crate::read::stored_id(&id)?;
        let digest = out.entry(stored_collection(&collection)?).or_default();
        for (field, hlc) in crate::write::parse_stamps(&stamps, id, &first, doc.as_deref())? {
            digest.add(field_digest(&id, &field, &hlc));
        }
    }
    Ok(out)
}

/// Adds a transaction's change to one collection's kept checksum (wrapping, as the
/// server's; SQLite's own integer sum would overflow into a float).
pub(crate) fn add_to_local_checksum(
    tx: &rusqlite::Connection,
    collection: Collection,
    fields: i64,
    sum: u64,
) -> Result<()> {
    let (had_fields, had_digest): (i64, i64) = tx
        .query_row("SELECT fields, digest FROM local_checksums WHERE collection = ?1", [collection.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((0, 0));
    tx.prepare_cached(
        "INSERT INTO local_checksums (collection, fields, digest) VALUES (?1, ?2, ?3)
         ON CONFLICT (collection) DO UPDATE SET fields = excluded.fields, digest = excluded.digest",
    )?
    .execute(params![collection.as_str(), had_fields + fields, (had_digest as u64).wrapping_add(sum) as i64])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use saite_domain::{Collection, DeviceId, Hlc, RecordId};
    use serde_json::json;

    use saite_protocol::{FieldValues, PulledRecord};

    /// A page of `n` seminars from another laptop, new here.
    fn page(n: u128) -> Vec<PulledRecord> {
        let hlc = Hlc { wall_ms: 1_700_000_000_000, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(9)) };
        (0..n)
            .map(|i| {
                PulledRecord::of_fields(
                    RecordId::from_uuid(uuid::Uuid::from_u128(1_000 + i)),
                    Collection::Seminar,
                    [
                        ("title", json!(format!("Seminārs {i}"))),
                        ("kind", json!("seminar")),
                        ("date", json!("2015-05-12")),
                        ("municipality", json!("daugavpils")),
                    ]
                    .into_iter()
                    .map(|(field, value)| (field.to_owned(), value, hlc)),
                )
            })
            .collect()
    }

    #[test]
    fn a_bulk_page_leaves_the_checks_on_and_the_search_index_merging_until_compacted() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(saite_domain::SystemClock);
        let mut store =
            crate::Store::initialize(dir.path(), "parole", crate::key::KdfParams::FAST_FOR_TESTS, clock, "a@x")
                .unwrap();
        store.apply_pulled(page(10), 1).unwrap();
        assert!(!store.search_needs_compacting().unwrap(), "a small page is no bulk load");
        store.apply_pulled(page(super::BULK_PAGE as u128), 2).unwrap();
        assert!(store.search_needs_compacting().unwrap());
        assert_eq!(search_config(&store, "crisismerge"), Some(super::BULK_SEARCH_CRISIS_MERGE));
        let refused = store.conn.execute("UPDATE records SET doc = 'not json' WHERE rid = 1", []);
        assert!(refused.is_err(), "the CHECK constraints hold again after the page");
        assert_eq!(store.search("seminars 999", 5).unwrap().len(), 1);
        store.compact_search_index().unwrap();
        assert!(!store.search_needs_compacting().unwrap());
        assert_eq!(search_config(&store, "automerge"), Some(super::SEARCH_AUTOMERGE));
        assert_eq!(search_config(&store, "crisismerge"), Some(super::SEARCH_CRISIS_MERGE));
        // A store whose bulk pull was cut short merges again once reopened.
        store.apply_pulled(page(super::BULK_PAGE as u128 + 1), 3).unwrap();
        assert!(store.search_needs_compacting().unwrap());
        drop(store);
        let store =
            crate::Store::open(dir.path(), "parole", std::sync::Arc::new(saite_domain::SystemClock), "a@x").unwrap();
        assert!(!store.search_needs_compacting().unwrap());
        assert_eq!(search_config(&store, "crisismerge"), Some(super::SEARCH_CRISIS_MERGE));
    }

    /// A record pulled in one write names its stamps by its document (the short form),
    /// and the first later change writes them out; every stamp is kept either way.
    #[test]
    fn a_record_pulled_whole_keeps_its_stamps_short_until_a_stamp_changes() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(saite_domain::SystemClock);
        let mut store =
            crate::Store::initialize(dir.path(), "parole", crate::key::KdfParams::FAST_FOR_TESTS, clock, "a@x")
                .unwrap();
        let mut pulled = page(2);
        // The second record's title stamped later than its other fields.
        let later = Hlc { wall_ms: 1_700_000_000_500, ..pulled[1].hlc };
        pulled[1].stamps.insert("title".to_owned(), later);
        store.apply_pulled(pulled.clone(), 1).unwrap();
        let column = |store: &crate::Store, id: RecordId| -> String {
            store.conn.query_row("SELECT stamps FROM records WHERE id = ?1", [id.to_string()], |r| r.get(0)).unwrap()
        };
        let stamps = |store: &crate::Store, id: RecordId| -> crate::write::Stamps {
            let (text, first, doc): (String, String, Option<String>) = store
                .conn
                .query_row(
                    &format!("SELECT {} FROM records WHERE id = ?1", crate::write::STAMPS_COLUMNS),
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .unwrap();
            crate::write::parse_stamps(&text, id, &first, doc.as_deref()).unwrap()
        };
        let as_pulled = |r: &PulledRecord| -> crate::write::Stamps {
            let FieldValues::Values(values) = &r.fields else { unreachable!("made of values") };
            values.keys().map(|f| (f.clone(), *r.stamp_of(f))).collect()
        };
        let (one, two) = (pulled[0].record, pulled[1].record);
        assert_eq!(column(&store, one), crate::write::STAMPS_AT_FIRST);
        assert_ne!(column(&store, two), crate::write::STAMPS_AT_FIRST, "two stamps are named");
        assert_eq!(stamps(&store, one), as_pulled(&pulled[0]));
        assert_eq!(stamps(&store, two), as_pulled(&pulled[1]));
        assert_eq!(store.local_checksums().unwrap(), store.recompute_local_checksums().unwrap());
        // An edit here: the edited field's new stamp beside the pulled ones.
        store.update(one, json!({"venue": "Daugavpils pils"}).as_object().unwrap().clone()).unwrap();
        let after = stamps(&store, one);
        assert_ne!(column(&store, one), crate::write::STAMPS_AT_FIRST);
        // The pulled fields keep their stamps; the venue, and the empty fields the edit
        // wrote out with it, carry the edit's.
        let edit = after["venue"];
        assert!(edit > after["title"]);
        let mut expected: crate::write::Stamps =
            store.get(one).unwrap().unwrap().document.keys().map(|f| (f.clone(), edit)).collect();
        expected.extend(as_pulled(&pulled[0]));
        assert_eq!(after, expected);
        assert_eq!(store.local_checksums().unwrap(), store.recompute_local_checksums().unwrap());
        // A record made here is short too, and reads back its one stamp for each field.
        let made = store.create(Collection::Seminar, pulled_doc()).unwrap().id;
        assert_eq!(column(&store, made), crate::write::STAMPS_AT_FIRST);
        let made_stamps = stamps(&store, made);
        assert_eq!(
            made_stamps.keys().cloned().collect::<Vec<_>>(),
            store.get(made).unwrap().unwrap().document.keys().cloned().collect::<Vec<_>>()
        );
        assert_eq!(made_stamps.values().collect::<std::collections::BTreeSet<_>>().len(), 1);
        assert_eq!(store.local_checksums().unwrap(), store.recompute_local_checksums().unwrap());
    }

    fn pulled_doc() -> serde_json::Map<String, serde_json::Value> {
        json!({"title": "Seminārs", "kind": "seminar", "date": "2015-05-12", "municipality": "daugavpils"})
            .as_object()
            .unwrap()
            .clone()
    }

    fn search_config(store: &crate::Store, key: &str) -> Option<i64> {
        super::search_setting(&store.conn, key).unwrap()
    }
}
