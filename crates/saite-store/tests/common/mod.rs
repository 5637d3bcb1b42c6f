#![allow(dead_code)]

use std::sync::Arc;

use saite_domain::{Collection, ManualClock, RecordId};
use saite_store::{Store, key::KdfParams};
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
