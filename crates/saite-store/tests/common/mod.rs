#![allow(dead_code)]

use std::sync::Arc;

use saite_domain::{Collection, Hlc, ManualClock, RecordId};
use saite_protocol::PulledRecord;
use saite_store::{Applied, Store, key::KdfParams};
use serde_json::{Map, Value, json};

/// 2012-11-09 10:00 UTC, the day of the Daugavpils seminar.
pub const T0: u64 = 1_352_455_200_000;

pub struct TestStore {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub store: Store,
}

pub fn new_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::at(T0));
    let store = Store::initialize(dir.path(), "pareiza parole", KdfParams::FAST_FOR_TESTS, clock.clone(), "Sandra")
        .unwrap_or_else(|e| panic!("initialize: {e:?}"));
    TestStore { dir, clock, store }
}

/// One field of one record as the server relays it: the tests' unit of a pulled page.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteField {
    pub record: RecordId,
    pub collection: Collection,
    pub field: String,
    pub value: Value,
    pub hlc: Hlc,
}

/// `fields` as pulled records, in the page's order of records: a record's fields
/// together wherever they stand in the page, as one record, and a record again after it
/// where a field repeats (the server never sends a field twice; a test that does asks
/// for the merge field by field).
pub fn pulled(fields: &[RemoteField]) -> Vec<PulledRecord> {
    type Stamped = (String, Value, Hlc);
    let mut by_record: Vec<(RecordId, Collection, Vec<Stamped>)> = Vec::new();
    for f in fields {
        let stamped = (f.field.clone(), f.value.clone(), f.hlc);
        match by_record.iter_mut().find(|(id, _, _)| *id == f.record) {
            Some((_, _, held)) => held.push(stamped),
            None => by_record.push((f.record, f.collection, vec![stamped])),
        }
    }
    let mut records = Vec::new();
    for (id, collection, fields) in by_record {
        let mut run: Vec<Stamped> = Vec::new();
        for f in fields {
            if run.iter().any(|(name, _, _)| *name == f.0) {
                records.push(PulledRecord::of_fields(id, collection, std::mem::take(&mut run)));
            }
            run.push(f);
        }
        records.push(PulledRecord::of_fields(id, collection, run));
    }
    records
}

/// Everything `from` has queued, as the server would relay it.
pub fn outbox_of(from: &Store) -> Vec<RemoteField> {
    from.outbox_page(0, 100_000)
        .unwrap()
        .into_iter()
        .map(|e| RemoteField {
            record: e.record_id,
            collection: e.collection,
            field: e.field,
            value: e.value,
            hlc: e.hlc,
        })
        .collect()
}

/// Applies remote fields as one pulled page ([`pulled`]) at `cursor`.
pub trait ApplyRemote {
    fn apply_remote(&mut self, fields: &[RemoteField], cursor: u64) -> saite_store::Result<Applied>;
}

impl ApplyRemote for Store {
    fn apply_remote(&mut self, fields: &[RemoteField], cursor: u64) -> saite_store::Result<Applied> {
        self.apply_pulled(pulled(fields), cursor)
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().expect("an object").clone()
}

pub fn organisation(store: &mut Store, name: &str, municipality: &str) -> RecordId {
    store
        .create(Collection::Organisation, obj(json!({"name": name, "kind": "ngo", "municipality": municipality})))
        .unwrap()
        .id
}

pub fn seminar(store: &mut Store, title: &str, municipality: &str, date: &str) -> RecordId {
    store
        .create(
            Collection::Seminar,
            obj(json!({"title": title, "kind": "seminar", "date": date, "municipality": municipality})),
        )
        .unwrap()
        .id
}
