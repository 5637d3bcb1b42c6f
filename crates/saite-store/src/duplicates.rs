//! Duplicate detection and merging of organisations and people.
//!
//! A record's **duplicate keys** are its folded name (words sorted, so "Daugavpils NVA
//! filiāle" meets "NVA Daugavpils filiāle"; for organisations together with the
//! municipality), each phone (E.164) and each e-mail (lower-case). Two live records
//! sharing a key are probably the same.

use std::collections::BTreeMap;

use rusqlite::{Connection, params_from_iter};
use saite_domain::{Collection, RecordId, fold::fold};
use saite_protocol::pull::is_meta_field;
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::{
    Store,
    error::{Result, StoreError},
    read::{StoredRecord, label_of, stored_collection, stored_doc, stored_id},
    write::{MERGED_INTO_FIELD, Origin},
};

/// Why a record looks like a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum DuplicateReason {
    Name,
    Phone,
    Email,
}

/// A live record that is probably the same organisation or person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct DuplicateCandidate {
    pub id: RecordId,
    pub label: String,
    pub reasons: Vec<DuplicateReason>,
}

fn sorted_words(text: &str) -> String {
    let folded = fold(text);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.join(" ")
}

fn strings(doc: &Map<String, Value>, field: &str) -> Vec<String> {
    match doc.get(field) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// Whether records of `collection` have duplicate keys ([`keys`]).
pub(crate) fn has_keys(collection: Collection) -> bool {
    matches!(collection, Collection::Organisation | Collection::Person)
}

/// The duplicate keys of a document (empty for collections without duplicate checks):
/// two documents sharing a key are probably the same organisation or person.
pub fn duplicate_keys(collection: Collection, doc: &Map<String, Value>) -> Vec<String> {
    let (prefix, name) = match collection {
        Collection::Organisation => {
            let name = sorted_words(doc.get("name").and_then(Value::as_str).unwrap_or_default());
            let municipality = doc.get("municipality").and_then(Value::as_str).unwrap_or_default();
            ("organisation", format!("{name}|{municipality}"))
        }
        Collection::Person => ("person", sorted_words(doc.get("fullName").and_then(Value::as_str).unwrap_or_default())),
        // `has_keys` names the collections above.
        _ => return Vec::new(),
    };
    let mut keys = Vec::new();
    if !name.trim_matches('|').is_empty() {
        keys.push(format!("{prefix}:name:{name}"));
    }
    keys.extend(strings(doc, "phones").into_iter().map(|p| format!("{prefix}:phone:{p}")));
    keys.extend(strings(doc, "emails").into_iter().map(|e| format!("{prefix}:email:{}", e.to_lowercase())));
    keys
}

fn reason_of(key: &str) -> DuplicateReason {
    if key.contains(":phone:") {
        DuplicateReason::Phone
    } else if key.contains(":email:") {
        DuplicateReason::Email
    } else {
        DuplicateReason::Name
    }
}

/// The fields of `kept` that merging `removed` into it changes: every field `kept`
/// lacks that `removed` has, and the union of phone and e-mail lists. Both the merge
/// and its side-by-side preview use this, so the preview shows what the merge does.
fn merge_patch(kept: &Map<String, Value>, removed: &Map<String, Value>) -> Map<String, Value> {
    let mut patch = Map::new();
    for (field, value) in removed {
        if is_meta_field(field) {
            continue;
        }
        let mine = kept.get(field).cloned().unwrap_or(Value::Null);
        if is_empty_value(&mine) && !is_empty_value(value) {
            patch.insert(field.clone(), value.clone());
        } else if (field == "phones" || field == "emails")
            && let (Value::Array(a), Value::Array(b)) = (&mine, value)
        {
            // E-mail addresses differ only in case as one address.
            let same = |x: &Value, y: &Value| match (x.as_str(), y.as_str()) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                _ => x == y,
            };
            let mut joined = a.clone();
            for v in b {
                if !joined.iter().any(|mine| same(mine, v)) {
                    joined.push(v.clone());
                }
            }
            if joined.len() != a.len() {
                patch.insert(field.clone(), Value::Array(joined));
            }
        }
    }
    patch
}

/// What merging `remove` into `keep` would do, without doing it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct MergePreview {
    pub keep: StoredRecord,
    pub remove: StoredRecord,
    /// The fields of `keep` the merge fills in or joins, with their values after it.
    #[ts(type = "Record<string, unknown>")]
    pub changes: Map<String, Value>,
    /// Live records that reference `remove` and will reference `keep` instead.
    pub moved_references: u32,
}

pub(crate) fn candidates_for(
    conn: &Connection,
    collection: Collection,
    doc: &Map<String, Value>,
    exclude: Option<RecordId>,
) -> Result<Vec<DuplicateCandidate>> {
    let keys = duplicate_keys(collection, doc);
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = vec!["?"; keys.len()].join(", ");
    let sql = format!(
        "SELECT r.id, r.collection, r.doc, k.key FROM duplicate_keys k JOIN records r ON r.rid = k.rid
         WHERE k.key IN ({placeholders}) AND r.deleted = 0 ORDER BY r.rid"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(keys.iter()), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut found: BTreeMap<String, DuplicateCandidate> = BTreeMap::new();
    for row in rows {
        let (id, collection, doc, key) = row?;
        let rid = stored_id(&id)?;
        if Some(rid) == exclude {
            continue;
        }
        let doc = stored_doc(&doc)?;
        let collection = stored_collection(&collection)?;
        let entry = found.entry(id).or_insert_with(|| DuplicateCandidate {
            id: rid,
            label: label_of(collection, &doc),
            reasons: Vec::new(),
        });
        let reason = reason_of(&key);
        if !entry.reasons.contains(&reason) {
            entry.reasons.push(reason);
            entry.reasons.sort();
        }
    }
    Ok(found.into_values().collect())
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// One write of an import ([`Store::apply_import`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ImportWrite {
    /// A new record.
    Create { collection: Collection, document: Map<String, Value> },
    /// A row merged into the live record `into`: the fields `into` lacks are taken from
    /// `document`, phone and e-mail lists joined, as [`Store::merge`] takes them.
    Merge { into: RecordId, document: Map<String, Value> },
}

impl Store {
    /// Writes an import's records in one transaction: all of them, or (on the first
    /// refused one, or when `progress(done, total)` breaks) none. Returns the ids of the
    /// records created, in order, or `None` when cancelled. A refusal names the write:
    /// `Err((index, error))`.
    pub fn apply_import(
        &mut self,
        writes: Vec<ImportWrite>,
        progress: &mut dyn FnMut(u64, u64) -> std::ops::ControlFlow<()>,
    ) -> std::result::Result<Option<Vec<RecordId>>, (Option<usize>, StoreError)> {
        let total = writes.len() as u64;
        let ids: Vec<RecordId> = writes.iter().map(|_| self.ids.new_id(self.clock.now_ms())).collect();
        let mut created = Vec::new();
        let only_new = writes.iter().all(|w| matches!(w, ImportWrite::Create { .. }));
        let mut w = self.writer().map_err(|e| (None, e))?;
        // New records' search entries can wait for the commit, as in a batch; an update
        // writes its own at once, so a mixed import does too.
        if only_new {
            w.search_at_commit = Some(Vec::new());
        }
        for (i, (write, id)) in writes.into_iter().zip(ids).enumerate() {
            if i % 200 == 0 && progress(i as u64, total).is_break() {
                // Dropping the writer rolls every write back.
                return Ok(None);
            }
            let written: Result<()> = (|| {
                match write {
                    ImportWrite::Create { collection, document } => {
                        crate::write::reject_reserved_fields(&document)?;
                        crate::write::reject_retired_fields(collection, &document)?;
                        let valid = w.validate(collection, &document)?;
                        w.insert_record(id, collection, &valid, Origin::Local)?;
                        created.push(id);
                    }
                    ImportWrite::Merge { into, document } => {
                        crate::write::reject_reserved_fields(&document)?;
                        let kept = w.load(into)?.filter(|c| !c.deleted).ok_or(StoreError::NotFound(into))?;
                        // Compared as the store keeps values (phones in E.164), so a
                        // number written another way is not added twice.
                        let valid = w.validate(kept.collection, &document)?;
                        let patch = merge_patch(&kept.doc, &valid.document);
                        if !patch.is_empty() {
                            w.update_record(into, patch, Origin::Local)?;
                        }
                    }
                }
                Ok(())
            })();
            written.map_err(|e| (Some(i), e))?;
        }
        if progress(total, total).is_break() {
            return Ok(None);
        }
        w.commit().map_err(|e| (None, e))?;
        // After a bulk load the planner's statistics are stale; without them it may pick
        // the broad collection index over the list indexes. The records are written
        // whatever this answers.
        let _ = self.conn.execute_batch("PRAGMA optimize;");
        Ok(Some(created))
    }

    /// Live records that are probably the same as `document` would be (shown while a
    /// new organisation or person is typed).
    pub fn duplicate_candidates(
        &self,
        collection: Collection,
        document: &Map<String, Value>,
        exclude: Option<RecordId>,
    ) -> Result<Vec<DuplicateCandidate>> {
        // One SELECT: its own implicit read transaction is consistent enough.
        candidates_for(&self.conn, collection, document, exclude)
    }

    /// Both records side by side and what [`Store::merge`] would change, for the user
    /// to check before confirming. Refuses what `merge` refuses.
    pub fn merge_preview(&self, keep: RecordId, remove: RecordId) -> Result<MergePreview> {
        if keep == remove {
            return Err(StoreError::MergeIntoItself);
        }
        let kept = self.get(keep)?.filter(|r| !r.deleted).ok_or(StoreError::NotFound(keep))?;
        let removed = self.get(remove)?.ok_or(StoreError::NotFound(remove))?;
        if kept.collection != removed.collection {
            return Err(StoreError::MergeAcrossCollections);
        }
        let changes = merge_patch(&kept.document, &removed.document);
        let moved_references = self.conn.query_row(
            "SELECT count(*) FROM refs f JOIN records r ON r.rid = f.from_rid WHERE f.to_id = ?1 AND r.deleted = 0",
            [remove.to_string()],
            |r| r.get(0),
        )?;
        Ok(MergePreview { keep: kept, remove: removed, changes, moved_references })
    }

    /// Merges `remove` into `keep`: every record that referenced `remove` now
    /// references `keep` (link records that become twins of an existing link go to the
    /// trash), fields `keep` lacks are taken from `remove` (phone and e-mail lists are
    /// joined), and `remove` goes to the trash marked as merged. Both records' history
    /// stays, and [`Store::history`] of `keep` shows both.
    pub fn merge(&mut self, keep: RecordId, remove: RecordId) -> Result<()> {
        if keep == remove {
            return Err(StoreError::MergeIntoItself);
        }
        let mut w = self.writer()?;
        let kept = w.load(keep)?.ok_or(StoreError::NotFound(keep))?;
        let removed = w.load(remove)?.ok_or(StoreError::NotFound(remove))?;
        if kept.collection != removed.collection {
            return Err(StoreError::MergeAcrossCollections);
        }
        if kept.deleted {
            return Err(StoreError::NotFound(keep));
        }

        // 1. Fields keep lacks, and the union of contact lists.
        let patch = merge_patch(&kept.doc, &removed.doc);
        if !patch.is_empty() {
            w.update_record(keep, patch, Origin::Merge)?;
        }

        // 2. Redirect every reference to `remove`.
        let referrers: Vec<(String, String)> = {
            let mut stmt =
                w.tx.prepare("SELECT r.id, f.field FROM refs f JOIN records r ON r.rid = f.from_rid WHERE f.to_id = ?1 AND r.deleted = 0")?;
            stmt.query_map([remove.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?
        };
        for (referrer, field) in referrers {
            let referrer = stored_id(&referrer)?;
            let mut patch = Map::new();
            patch.insert(field, Value::String(keep.to_string()));
            w.update_record(referrer, patch, Origin::Merge)?;
            // A link record identical to another live one (the same seminar and
            // organisation twice) is redundant after the merge.
            let current = w.load(referrer)?.ok_or(StoreError::NotFound(referrer))?;
            if !current.collection.is_searchable() {
                let twin: Option<String> =
                    w.tx.query_row(
                        "SELECT id FROM records WHERE collection = ?1 AND deleted = 0 AND doc = ?2 AND rid <> ?3 LIMIT 1",
                        rusqlite::params![current.collection.as_str(), crate::write::doc_text(&current.doc), current.rid],
                        |r| r.get(0),
                    )
                    .ok();
                if twin.is_some() {
                    w.set_deleted(referrer, true, Origin::Merge)?;
                }
            }
        }

        // 3. The merged-away record goes to the trash, saying where it went.
        w.set_meta_field(remove, MERGED_INTO_FIELD, Value::String(keep.to_string()), Origin::Merge)?;
        w.set_deleted(remove, true, Origin::Merge)?;
        let stamp = w.tx.query_row("SELECT updated_hlc FROM records WHERE id = ?1", [remove.to_string()], |r| {
            r.get::<_, String>(0)
        })?;
        w.tx.execute(
            "INSERT INTO merges (removed_id, kept_id, hlc) VALUES (?1, ?2, ?3)
             ON CONFLICT (removed_id) DO UPDATE SET kept_id = excluded.kept_id, hlc = excluded.hlc",
            rusqlite::params![remove.to_string(), keep.to_string(), stamp],
        )?;
        w.commit()
    }
}
