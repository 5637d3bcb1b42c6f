//! The rules of a push, written once: [`plan_push`] takes the pushing device's state,
//! the batch, the records it names as stored and the server's time, and says what to
//! write and what to answer, or why the batch is refused. Both server backends only
//! lock, read what the plan names and write what it says.
//!
//! Glossary:
//! - **fresh change**: a change with a seq above the device's applied seq; the others
//!   were applied before (a retry) and have no effect.
//! - **plan**: the records to write (values and stamps texts, and the server seq each
//!   takes, counted from the tenant's last), the checksum change per collection, the
//!   device's new applied seq and the answer.
//! - **refusal**: the reason nothing of a batch is stored; a refused change names its
//!   record and field.
//! - **change note**: what one fresh change did to its record (made it, edited it, put
//!   it in the trash or took it out), with the stamp it was made under: one audit entry
//!   each, so the audit answers who changed a record, when on the laptop and when it
//!   reached the office.
//!
//! Invariants: a batch is planned whole or refused whole; every fresh change is checked
//! (its stamps, its values against the record it makes, its collection) whether or not
//! its fields win the merge; per field the later stamp wins ([`RecordChange::applies_over`]).

use std::collections::{BTreeMap, HashMap};

use saite_domain::{Collection, DeviceId, FieldError, RecordId, hlc::Hlc};
use serde_json::Value;

use crate::{
    PushRequest, PushResponse, RecordChange, SeqRange, check,
    merge::{RecordDigests, field_digest},
    pull::DELETED_FIELD,
    stored::{SHARED_STAMP, StoredRecord},
};

/// How far ahead of the server's clock a stamp may be, unless the server is told
/// otherwise: a laptop whose clock runs a day ahead is refused rather than stamping
/// fields no correct clock can overwrite for that long.
pub const DEFAULT_MAX_STAMP_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

/// The server's side of a push: its time, and the bound on stamps ahead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushRules {
    pub now_ms: u64,
    pub max_stamp_ahead_ms: u64,
}

impl PushRules {
    pub fn at(now_ms: u64) -> PushRules {
        PushRules { now_ms, max_stamp_ahead_ms: DEFAULT_MAX_STAMP_AHEAD_MS }
    }
}

/// The pushing device as the push's transaction reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceState {
    pub id: DeviceId,
    pub applied_seq: u64,
    pub revoked: bool,
}

/// Why a change of a push is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// A value breaks its collection's rules or cannot be read.
    InvalidValue,
    /// The record is stored in another collection.
    OtherCollection,
    /// A stamp lies further ahead of the server's clock than the rules allow.
    StampAhead,
    /// A stamp names another device than the one pushing.
    StampOfOtherDevice,
}

/// A change refused: the record and the field at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub record: RecordId,
    pub field: String,
    pub kind: RefusalKind,
    pub message: String,
}

/// Why nothing of a batch is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushRefusal {
    DeviceRevoked,
    /// The batch starts after changes the server never applied.
    SeqGap {
        after_seq: u64,
        applied_seq: u64,
    },
    Change(Refusal),
}

/// One record to write: its columns ([`StoredRecord::to_columns`]) and its server seq,
/// counted from the tenant's last seq before the push (1 is the first the push takes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordWrite {
    pub record: RecordId,
    pub collection: Collection,
    pub values: String,
    pub stamps: String,
    pub seq_offset: u64,
}

/// What a change did to its record, as the audit names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    /// Made the record (the server did not hold it).
    Create,
    Edit,
    /// Put the record in the trash.
    Delete,
    /// Took it out of the trash.
    Restore,
}

impl ChangeAction {
    /// The audit entry's action.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "record-create",
            ChangeAction::Edit => "record-edit",
            ChangeAction::Delete => "record-delete",
            ChangeAction::Restore => "record-restore",
        }
    }

    /// Every action, for the audit's filters.
    pub const ALL: [ChangeAction; 4] =
        [ChangeAction::Create, ChangeAction::Edit, ChangeAction::Delete, ChangeAction::Restore];
}

/// One fresh change of a push, for its audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNote {
    pub record: RecordId,
    pub collection: Collection,
    pub action: ChangeAction,
    /// The change's stamp: when the laptop made it, and which laptop.
    pub hlc: Hlc,
    /// The fields it set, by name, sorted.
    pub fields: Vec<String>,
}

impl ChangeNote {
    /// The audit entry's detail (the record's id is what the audit filters on).
    pub fn audit_detail(&self) -> Value {
        serde_json::json!({
            "record": self.record.to_string(), "collection": self.collection.as_str(),
            "hlc": self.hlc.to_string(), "fields": self.fields,
        })
    }
}

/// What a push stores and answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushPlan {
    /// The device's applied seq after the push.
    pub applied_seq: u64,
    /// In the order of their seqs.
    pub writes: Vec<RecordWrite>,
    /// Server seqs the push takes: one per change that stored a field.
    pub seqs: u64,
    /// Per collection: fields added and the wrapping sum of digests to add.
    pub checksums: BTreeMap<Collection, (i64, u64)>,
    pub fields_sent: usize,
    pub fields_stored: usize,
    /// Fields left as stored (a later stamp there, or a text made from another version).
    pub kept_out: usize,
    /// Every fresh change, in batch order.
    pub changes: Vec<ChangeNote>,
}

impl PushPlan {
    /// The answer, given the tenant's last seq before the push.
    pub fn answer(&self, seq_base: u64) -> PushResponse {
        let range = SeqRange { after: seq_base, to: seq_base + self.seqs };
        PushResponse { applied_seq: self.applied_seq, stored: (self.kept_out == 0).then_some(range) }
    }

    /// The audit entry's detail.
    pub fn audit_detail(&self, batch: &PushRequest) -> Value {
        serde_json::json!({
            "afterSeq": batch.after_seq, "appliedSeq": self.applied_seq,
            "fieldsSent": self.fields_sent, "fieldsStored": self.fields_stored,
        })
    }
}

/// Why a batch's shape is refused before anything is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// More field values than the server takes in one push.
    TooLarge { fields: usize, max: usize },
    /// A seq at or below the one before it.
    SeqsNotRising { seq: u64, after: u64 },
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShapeError::TooLarge { fields, max } => write!(f, "{fields} field changes in one push; at most {max}"),
            ShapeError::SeqsNotRising { seq, after } => {
                write!(f, "seq {seq} follows seq {after}: seqs must rise through the batch")
            }
        }
    }
}

/// Checks a batch's size (at most `max_fields` field values) and that its seqs rise
/// strictly: each change once, in outbox order. Seqs at or below the applied seq may
/// lead the batch (a retry); the plan skips them.
pub fn check_shape(batch: &PushRequest, max_fields: usize) -> Result<(), ShapeError> {
    let fields = batch.field_count();
    if fields > max_fields {
        return Err(ShapeError::TooLarge { fields, max: max_fields });
    }
    let mut after = 0;
    for c in &batch.changes {
        if c.seq <= after {
            return Err(ShapeError::SeqsNotRising { seq: c.seq, after });
        }
        after = c.seq;
    }
    Ok(())
}

/// The records a push's plan needs as stored: those its fresh changes name, each once.
pub fn records_to_read(batch: &PushRequest, applied_seq: u64) -> Vec<RecordId> {
    let mut seen = std::collections::HashSet::new();
    batch.changes.iter().filter(|c| c.seq > applied_seq).map(|c| c.record).filter(|r| seen.insert(*r)).collect()
}

/// Plans a push: refuses a revoked device, a batch after a gap, or the first change
/// whose stamps or values are refused; otherwise merges every fresh change, in batch
/// order, into the records as stored (`current`, as [`records_to_read`] names them).
pub fn plan_push(
    device: &DeviceState,
    batch: &PushRequest,
    current: HashMap<RecordId, StoredRecord>,
    rules: &PushRules,
) -> Result<PushPlan, PushRefusal> {
    plan(device, batch, current, rules, true)
}

/// [`plan_push`], with or without the shortcut for new records (tests prove both plan
/// alike).
fn plan(
    device: &DeviceState,
    batch: &PushRequest,
    mut current: HashMap<RecordId, StoredRecord>,
    rules: &PushRules,
    shortcuts: bool,
) -> Result<PushPlan, PushRefusal> {
    if device.revoked {
        return Err(PushRefusal::DeviceRevoked);
    }
    if batch.after_seq > device.applied_seq {
        return Err(PushRefusal::SeqGap { after_seq: batch.after_seq, applied_seq: device.applied_seq });
    }
    let fresh: Vec<&RecordChange> = batch.changes.iter().filter(|c| c.seq > device.applied_seq).collect();
    let mut named: HashMap<RecordId, u32> = HashMap::new();
    for c in &fresh {
        *named.entry(c.record).or_default() += 1;
    }
    let mut plan = PushPlan {
        applied_seq: batch.last_seq().unwrap_or(0).max(device.applied_seq),
        writes: Vec::new(),
        seqs: 0,
        checksums: BTreeMap::new(),
        fields_sent: batch.field_count(),
        fields_stored: 0,
        kept_out: 0,
        changes: Vec::new(),
    };
    // Records merged the general way, with the seq of their last change that stored.
    let mut merged_seq: BTreeMap<RecordId, u64> = BTreeMap::new();
    for change in fresh {
        check_stamps(device.id, change, rules)?;
        let stored = current.get(&change.record);
        if let Some(r) = stored.filter(|r| r.collection != change.collection) {
            let message = format!("the record is a {}, not a {}", r.collection, change.collection);
            return Err(refused(change, "collection", RefusalKind::OtherCollection, message));
        }
        let note = |action| {
            let mut fields: Vec<String> = change.fields.names().into_iter().map(|f| f.into_owned()).collect();
            fields.sort();
            ChangeNote { record: change.record, collection: change.collection, action, hlc: change.hlc, fields }
        };
        // A record new to the server, made by this one change (the bulk of a first push):
        // checked and written out straight from the texts it came in.
        let only_change = shortcuts && stored.is_none() && named[&change.record] == 1;
        let shortcut = only_change && check::is_valid_new_record(change.collection, &change.fields);
        if let Some((merged, values, stamps)) = shortcut.then(|| new_record_columns(change)).flatten() {
            plan.add(change.collection, merged);
            plan.seqs += 1;
            let write = RecordWrite {
                record: change.record,
                collection: change.collection,
                values,
                stamps,
                seq_offset: plan.seqs,
            };
            plan.writes.push(write);
            plan.changes.push(note(ChangeAction::Create));
            continue;
        }
        let values = check::read_values(&change.fields).map_err(|e| invalid(change, e))?;
        check::check_values(change.collection, stored, &values).map_err(|e| invalid(change, e))?;
        let action = match (stored.is_some(), values.get(DELETED_FIELD)) {
            (false, _) => ChangeAction::Create,
            (true, Some(Value::Bool(true))) => ChangeAction::Delete,
            (true, Some(Value::Bool(false))) => ChangeAction::Restore,
            (true, _) => ChangeAction::Edit,
        };
        plan.changes.push(note(action));
        let record =
            current.entry(change.record).or_insert_with(|| StoredRecord::new(change.record, change.collection));
        let merged = merge_change(record, change, values);
        plan.add(record.collection, merged);
        if merged.stored > 0 {
            plan.seqs += 1;
            merged_seq.insert(change.record, plan.seqs);
        }
    }
    for (id, seq_offset) in merged_seq {
        let record = &current[&id];
        let (values, stamps) = record.to_columns();
        plan.writes.push(RecordWrite { record: id, collection: record.collection, values, stamps, seq_offset });
    }
    plan.writes.sort_by_key(|w| w.seq_offset);
    Ok(plan)
}

impl PushPlan {
    fn add(&mut self, collection: Collection, merged: Merged) {
        self.kept_out += merged.kept_out;
        self.fields_stored += merged.stored;
        if merged.stored > 0 {
            let delta = self.checksums.entry(collection).or_default();
            delta.0 += merged.checksum.0;
            delta.1 = delta.1.wrapping_add(merged.checksum.1);
        }
    }
}

fn refused(change: &RecordChange, field: &str, kind: RefusalKind, message: String) -> PushRefusal {
    PushRefusal::Change(Refusal { record: change.record, field: field.to_owned(), kind, message })
}

fn invalid(change: &RecordChange, e: FieldError) -> PushRefusal {
    let message = format!("{} is refused: {:?}", e.field, e.code);
    refused(change, &e.field, RefusalKind::InvalidValue, message)
}

/// Every stamp a change's fields carry names the pushing device and lies at most the
/// rules' bound ahead of the server's clock.
fn check_stamps(device: DeviceId, change: &RecordChange, rules: &PushRules) -> Result<(), PushRefusal> {
    let latest = rules.now_ms.saturating_add(rules.max_stamp_ahead_ms);
    for field in change.fields.names() {
        let stamp: &Hlc = change.stamp_of(&field);
        if stamp.device != device {
            let message = format!("{field} is stamped by device {}, not by the device pushing it", stamp.device);
            return Err(refused(change, &field, RefusalKind::StampOfOtherDevice, message));
        }
        if stamp.wall_ms > latest {
            let ahead = (stamp.wall_ms - rules.now_ms) / 1000;
            let message = format!(
                "{field} is stamped {ahead} s ahead of the server's clock; at most {} s",
                rules.max_stamp_ahead_ms / 1000
            );
            return Err(refused(change, &field, RefusalKind::StampAhead, message));
        }
    }
    Ok(())
}

/// What one change did to a record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Merged {
    /// Fields whose value and stamp the change replaced (or set first).
    stored: usize,
    /// Fields it left as they were: the stored stamp is later or equal, or a long text
    /// was made from another version than the stored one.
    kept_out: usize,
    /// The change to the record's collection checksum: fields added, wrapping digest sum.
    checksum: (i64, u64),
}

/// A change that makes a record the server does not hold, with every field under one
/// stamp and none kept out (a laptop's new record): what [`merge_change`] on
/// [`StoredRecord::new`] then [`StoredRecord::to_columns`] give, made straight from the
/// change without a stamp per field to build and count. `None` for any other change.
fn new_record_columns(change: &RecordChange) -> Option<(Merged, String, String)> {
    // By name only: the values are written out as they came (a pushed change's texts
    // as they arrived), never built into JSON values here.
    let fields = change.fields.names();
    if !change.stamps.is_empty() || fields.is_empty() || fields.iter().any(|f| !change.applies_over(f, None)) {
        return None;
    }
    let mut digests = RecordDigests::new(&change.record);
    let sum = fields.iter().fold(0u64, |sum, field| sum.wrapping_add(digests.field(field, &change.hlc)));
    let n = fields.len();
    let merged = Merged { stored: n, kept_out: 0, checksum: (n as i64, sum) };
    let values = serde_json::to_string(&change.fields).expect("values serialise");
    let stamps = serde_json::to_string(&BTreeMap::from([(SHARED_STAMP, &change.hlc)])).expect("stamps serialise");
    Some((merged, values, stamps))
}

/// Applies a change's `values` (read by [`check::read_values`]) to `current` field by
/// field by the protocol's rule ([`RecordChange::applies_over`]). The record keeps the
/// collection it was first stored in.
fn merge_change(current: &mut StoredRecord, change: &RecordChange, values: BTreeMap<String, Value>) -> Merged {
    let mut merged = Merged::default();
    for (field, value) in values {
        let old = current.fields.get(&field).map(|(_, hlc)| *hlc);
        if !change.applies_over(&field, old.as_ref()) {
            merged.kept_out += 1;
            continue;
        }
        let hlc = *change.stamp_of(&field);
        if let Some(old) = &old {
            merged.checksum.0 -= 1;
            merged.checksum.1 = merged.checksum.1.wrapping_sub(field_digest(&current.record, &field, old));
        }
        merged.checksum.0 += 1;
        merged.checksum.1 = merged.checksum.1.wrapping_add(field_digest(&current.record, &field, &hlc));
        current.fields.insert(field, (value, hlc));
        merged.stored += 1;
    }
    merged
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use saite_domain::{Collection, DeviceId, RecordId, hlc::Hlc};
    use serde_json::{Value, json};

    use super::*;
    use crate::{Expected, merge::FieldDigest};

    const NOW: u64 = 1_700_000_000_000;

    fn device(n: u128) -> DeviceId {
        DeviceId::from_uuid(uuid::Uuid::from_u128(0xDE00 + n))
    }

    fn stamp(at: u64) -> Hlc {
        Hlc { wall_ms: NOW - 1_000_000 + at, counter: 0, device: device(1) }
    }

    fn record(n: u64) -> RecordId {
        RecordId::from_uuid(uuid::Uuid::from_u128(0x5E00 + n as u128))
    }

    fn laptop() -> DeviceState {
        DeviceState { id: device(1), applied_seq: 0, revoked: false }
    }

    /// A change as the server reads it off the wire: its values the texts they came in.
    fn received(change: &RecordChange) -> RecordChange {
        serde_json::from_str(&serde_json::to_string(change).unwrap()).unwrap()
    }

    /// Valid values of a seminar's fields, and invalid ones beside each.
    fn seminar_fields() -> Vec<(&'static str, Value, Value)> {
        vec![
            ("title", json!("Seminārs"), json!("")),
            ("kind", json!("seminar"), json!("dance")),
            ("date", json!("2012-11-09"), json!("2012-02-30")),
            ("municipality", json!("daugavpils"), json!("atlantis")),
            ("participants", json!({"youth": 3}), json!({"youth": -1})),
            ("venue", json!("Zāle"), json!(12)),
            ("organiser", json!(null), json!(["NVA"])),
            ("topics", json!(["vervēšana"]), json!("vervēšana")),
            ("endDate", json!(null), json!("rīt")),
            ("notes", json!("Teksts."), json!({"a": 1})),
        ]
    }

    /// A batch of seminar changes: each (record, fields picked by index, stamp).
    fn seminar_batch(changes: &[(u64, Vec<usize>, u64)]) -> PushRequest {
        let fields = seminar_fields();
        let changes = changes
            .iter()
            .enumerate()
            .map(|(i, (r, picked, at))| {
                let values = picked.iter().map(|&f| (fields[f].0.to_owned(), fields[f].1.clone(), stamp(*at)));
                received(&RecordChange::from_fields(i as u64 + 1, record(*r), Collection::Seminar, values))
            })
            .collect();
        PushRequest { after_seq: 0, changes }
    }

    fn changes() -> impl Strategy<Value = Vec<(u64, Vec<usize>, u64)>> {
        proptest::collection::vec((0u64..6, proptest::collection::vec(0usize..10, 1..10), 0u64..50), 1..12)
    }

    /// Stored records: some of the batch's, each with some valid fields.
    fn stored() -> impl Strategy<Value = Vec<(u64, Vec<usize>, u64)>> {
        proptest::collection::vec((0u64..6, proptest::collection::vec(0usize..10, 0..10), 0u64..50), 0..4)
    }

    fn current_of(stored: &[(u64, Vec<usize>, u64)]) -> HashMap<RecordId, StoredRecord> {
        let fields = seminar_fields();
        let mut current = HashMap::new();
        for (r, picked, at) in stored {
            let rec = current.entry(record(*r)).or_insert_with(|| StoredRecord::new(record(*r), Collection::Seminar));
            for &f in picked {
                rec.fields.insert(fields[f].0.to_owned(), (fields[f].1.clone(), stamp(*at)));
            }
        }
        current
    }

    /// Each fresh change is noted for the audit with what it did and its stamp: the
    /// first change of a record new to the server makes it, a later one edits it, and
    /// the trash mark deletes or restores it; a change applied before is not noted.
    #[test]
    fn every_fresh_change_is_noted_with_its_action_and_stamp() {
        let full: Vec<usize> = vec![0, 1, 2, 3];
        let mut batch = seminar_batch(&[(1, full.clone(), 1), (1, vec![5], 2), (2, full, 3)]);
        let trash = |seq, deleted, at| {
            let values = [(DELETED_FIELD.to_owned(), json!(deleted), stamp(at))];
            received(&RecordChange::from_fields(seq, record(1), Collection::Seminar, values))
        };
        batch.changes.push(trash(4, true, 4));
        batch.changes.push(trash(5, false, 5));
        let plan = plan_push(&laptop(), &batch, HashMap::new(), &PushRules::at(NOW)).unwrap();
        let noted: Vec<(RecordId, ChangeAction, u64)> =
            plan.changes.iter().map(|n| (n.record, n.action, n.hlc.wall_ms)).collect();
        assert_eq!(
            noted,
            vec![
                (record(1), ChangeAction::Create, stamp(1).wall_ms),
                (record(1), ChangeAction::Edit, stamp(2).wall_ms),
                (record(2), ChangeAction::Create, stamp(3).wall_ms),
                (record(1), ChangeAction::Delete, stamp(4).wall_ms),
                (record(1), ChangeAction::Restore, stamp(5).wall_ms),
            ]
        );
        assert_eq!(plan.changes[1].fields, vec!["venue"]);
        assert_eq!(plan.changes[0].audit_detail()["record"], json!(record(1).to_string()));
        // A retry of the first three: only the two after them are noted.
        let device = DeviceState { applied_seq: 3, ..laptop() };
        let stored = current_of(&[(1, vec![0, 1, 2, 3], 1), (2, vec![0, 1, 2, 3], 3)]);
        let retried = plan_push(&device, &batch, stored, &PushRules::at(NOW)).unwrap();
        let actions: Vec<ChangeAction> = retried.changes.iter().map(|n| n.action).collect();
        assert_eq!(actions, vec![ChangeAction::Delete, ChangeAction::Restore]);
    }

    /// The digest of every stored field.
    fn digest(records: &HashMap<RecordId, StoredRecord>) -> FieldDigest {
        let mut d = FieldDigest::default();
        for r in records.values() {
            for (field, (_, hlc)) in &r.fields {
                d.add(field_digest(&r.record, field, hlc));
            }
        }
        d
    }

    proptest! {
        /// The shortcut for a new record stores what the merge would, or declines.
        #[test]
        fn a_new_record_made_straight_from_its_change_is_the_merged_one(
            fields in proptest::collection::btree_map("[a-z]{1,6}", (0u64..3, proptest::option::of("[a-zā ]{0,8}")), 1..8),
            expect in proptest::option::of(("[a-z]{1,6}", proptest::option::of(0u64..3))),
        ) {
            let r = record(11);
            let stamped = fields.iter().map(|(f, (at, v))| (f.clone(), v.as_ref().map_or(Value::Null, |v| json!(v)), stamp(*at)));
            let mut change = RecordChange::from_fields(1, r, Collection::Organisation, stamped);
            if let Some((field, at)) = expect {
                change.expect.insert(field, Expected { hlc: at.map(stamp) });
            }
            let mut merged_record = StoredRecord::new(r, Collection::Organisation);
            let merged = merge_change(&mut merged_record, &change, change.fields.to_values().unwrap());
            let (values, stamps) = merged_record.to_columns();
            let one_stamp = change.stamps.is_empty();
            let expects_none = change.expect.values().all(|e| e.hlc.is_none());
            let straight = new_record_columns(&change);
            match &straight {
                Some(straight) => prop_assert_eq!(straight, &(merged, values, stamps)),
                None => prop_assert!(!one_stamp || !expects_none, "declined a plain new record: {change:?}"),
            }
            // As the server reads it off the wire: the values' texts, stored as they came.
            let received = received(&change);
            prop_assert!(matches!(received.fields, crate::FieldValues::Received(_)));
            prop_assert_eq!(new_record_columns(&received), straight);
        }

        /// A plan made with the shortcut for new records is the plan made without it;
        /// and a plan's writes and checksum change are the merge of its changes.
        #[test]
        fn the_shortcut_plans_what_the_general_way_plans(changes in changes(), stored in stored()) {
            let batch = seminar_batch(&changes);
            let current = current_of(&stored);
            let fast = plan(&laptop(), &batch, current.clone(), &PushRules::at(NOW), true);
            let slow = plan(&laptop(), &batch, current.clone(), &PushRules::at(NOW), false);
            prop_assert_eq!(&fast, &slow);
            let plan = fast.expect("valid values");
            // The model: every change merged by the later stamp, one record at a time.
            let mut model = current.clone();
            for change in &batch.changes {
                let rec = model.entry(change.record).or_insert_with(|| StoredRecord::new(change.record, Collection::Seminar));
                for (field, value) in change.fields.to_values().unwrap() {
                    let hlc = *change.stamp_of(&field);
                    if crate::merge::incoming_wins(rec.fields.get(&field).map(|(_, h)| h), &hlc) {
                        rec.fields.insert(field, (value, hlc));
                    }
                }
            }
            let mut after = current.clone();
            for w in &plan.writes {
                after.insert(w.record, StoredRecord::from_columns(w.record, w.collection, &w.values, &w.stamps, 0).unwrap());
            }
            prop_assert_eq!(&after, &model);
            let (before, now) = (digest(&current), digest(&after));
            let delta = plan.checksums.get(&Collection::Seminar).copied().unwrap_or_default();
            prop_assert_eq!((now.fields as i64 - before.fields as i64, now.sum.wrapping_sub(before.sum)), delta);
            // One seq per change that stored a field; writes in seq order, each record once.
            prop_assert!(plan.writes.windows(2).all(|w| w[0].seq_offset < w[1].seq_offset));
            prop_assert!(plan.writes.last().is_none_or(|w| w.seq_offset <= plan.seqs));
            prop_assert_eq!(plan.applied_seq, batch.changes.len() as u64);
        }

        /// Any invalid value in any field of any change is refused, naming its record and
        /// field, whatever else the batch and the stored records hold.
        #[test]
        fn any_invalid_value_in_any_change_is_refused(
            changes in changes(),
            stored in stored(),
            which in any::<prop::sample::Index>(),
            bad_field in 0usize..10,
        ) {
            let mut batch = seminar_batch(&changes);
            let k = which.index(batch.changes.len());
            let (field, _, bad) = &seminar_fields()[bad_field];
            let mut change = batch.changes[k].clone();
            change.fields.to_mut().insert((*field).to_owned(), bad.clone());
            batch.changes[k] = received(&change);
            let refusal = plan_push(&laptop(), &batch, current_of(&stored), &PushRules::at(NOW)).unwrap_err();
            let PushRefusal::Change(r) = refusal else { panic!("a change refused: {refusal:?}") };
            prop_assert_eq!((r.record, r.kind), (change.record, RefusalKind::InvalidValue));
            prop_assert_eq!(r.field.split(['.', '[']).next().unwrap(), *field);
        }

        /// A stamp is refused when it lies beyond the bound ahead of the server's clock,
        /// or names another device; any other is planned.
        #[test]
        fn stamps_ahead_of_the_bound_or_of_another_device_are_refused(
            ahead in 0u64..(3 * DEFAULT_MAX_STAMP_AHEAD_MS),
            other in any::<bool>(),
            bound in 1u64..(2 * DEFAULT_MAX_STAMP_AHEAD_MS),
        ) {
            let hlc = Hlc { wall_ms: NOW + ahead, counter: 0, device: if other { device(2) } else { device(1) } };
            let change = RecordChange::from_fields(1, record(1), Collection::Seminar, [("title".to_owned(), json!("Seminārs"), hlc)]);
            let batch = PushRequest { after_seq: 0, changes: vec![change] };
            let rules = PushRules { now_ms: NOW, max_stamp_ahead_ms: bound };
            let planned = plan_push(&laptop(), &batch, HashMap::new(), &rules);
            let kind = match planned {
                Ok(_) => None,
                Err(PushRefusal::Change(r)) => Some(r.kind),
                Err(other) => panic!("{other:?}"),
            };
            let expected = if other { Some(RefusalKind::StampOfOtherDevice) } else { (ahead > bound).then_some(RefusalKind::StampAhead) };
            prop_assert_eq!(kind, expected);
        }
    }

    #[test]
    fn a_revoked_device_and_a_gap_are_refused_before_any_change() {
        let batch = seminar_batch(&[(1, vec![0], 1)]);
        let revoked = DeviceState { revoked: true, ..laptop() };
        assert_eq!(plan_push(&revoked, &batch, HashMap::new(), &PushRules::at(NOW)), Err(PushRefusal::DeviceRevoked));
        let gap = PushRequest { after_seq: 3, ..batch };
        assert_eq!(
            plan_push(&laptop(), &gap, HashMap::new(), &PushRules::at(NOW)),
            Err(PushRefusal::SeqGap { after_seq: 3, applied_seq: 0 })
        );
    }

    #[test]
    fn changes_applied_before_are_skipped_unchecked() {
        // Seq 1 was applied: a retry may carry it again, even as it would now be refused.
        let mut batch = seminar_batch(&[(1, vec![0], 1), (1, vec![5], 2)]);
        batch.changes[0].fields.to_mut().insert("title".into(), json!(""));
        let device = DeviceState { applied_seq: 1, ..laptop() };
        let plan = plan_push(&device, &batch, HashMap::new(), &PushRules::at(NOW)).unwrap();
        assert_eq!((plan.applied_seq, plan.seqs, plan.fields_stored), (2, 1, 1));
    }

    #[test]
    fn seqs_must_rise_and_batches_are_bounded() {
        let batch = |seqs: &[u64]| {
            let mut b = seminar_batch(&seqs.iter().map(|_| (1, vec![0], 1)).collect::<Vec<_>>());
            for (c, s) in b.changes.iter_mut().zip(seqs) {
                c.seq = *s;
            }
            b
        };
        assert!(check_shape(&batch(&[1, 2, 3]), 10).is_ok());
        assert_eq!(check_shape(&batch(&[1, 3, 2]), 10), Err(ShapeError::SeqsNotRising { seq: 2, after: 3 }));
        assert_eq!(check_shape(&batch(&[1, 2, 3]), 2), Err(ShapeError::TooLarge { fields: 3, max: 2 }));
    }
}
