//! Property tests of the write path: a refused write leaves no trace, an accepted one
//! leaves a valid record and exactly one outbox entry per changed field, and either way
//! the list keys match the stored document.

mod common;

use common::*;
use proptest::prelude::*;
use saite_domain::{Collection, validate_document};
use serde_json::{Map, Value, json};

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..50).prop_map(|n| json!(n)),
        "[a-zA-Zāšž ]{0,12}".prop_map(Value::String),
        prop_oneof![Just("2013-05-01"), Just("2013-02-30"), Just("01.05.2013"), Just("")].prop_map(|s| json!(s)),
        prop_oneof![Just("riga"), Just("daugavpils"), Just("atlantis"), Just("seminar"), Just("picnic")]
            .prop_map(|s| json!(s)),
        proptest::collection::btree_map(prop_oneof![Just("youth"), Just("teachers"), Just("aliens")], -3i64..30, 0..3)
            .prop_map(|m| json!(m)),
        proptest::collection::vec("[a-z]{0,6}", 0..3).prop_map(|v| json!(v)),
    ]
}

fn patch() -> impl Strategy<Value = Map<String, Value>> {
    let field = prop_oneof![
        Just("title"),
        Just("kind"),
        Just("date"),
        Just("endDate"),
        Just("municipality"),
        Just("venue"),
        Just("topics"),
        Just("participants"),
        Just("notes"),
        Just("campaign"),
        Just("bogus"),
    ];
    proptest::collection::btree_map(field.prop_map(str::to_owned), value(), 1..4).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn refused_writes_leave_no_trace_and_accepted_ones_are_valid(patches in proptest::collection::vec(patch(), 1..6)) {
        let mut t = new_store();
        let id = seminar(&mut t.store, "Seminārs", "daugavpils", "2012-11-09");
        for p in patches {
            let before = t.store.get(id).unwrap().unwrap().document;
            let outbox_before = t.store.outbox_page(0, u32::MAX).unwrap();
            // A long text keeps one waiting version: a newer edit replaces it.
            let queued_texts: Vec<String> = t.store.outbox_page(0, u32::MAX).unwrap().into_iter()
                .filter(|e| Collection::Seminar.is_long_text(&e.field)).map(|e| e.field).collect();
            let history_before = t.store.history(id).unwrap().len();
            t.clock.advance(1);
            match t.store.update(id, p) {
                Err(_) => {
                    prop_assert_eq!(t.store.get(id).unwrap().unwrap().document, before);
                    prop_assert_eq!(t.store.outbox_page(0, u32::MAX).unwrap(), outbox_before);
                    prop_assert_eq!(t.store.history(id).unwrap().len(), history_before);
                }
                Ok(_) => {
                    let after = t.store.get(id).unwrap().unwrap().document;
                    prop_assert!(validate_document(Collection::Seminar, &after).is_ok());
                    let changed = after.iter().filter(|(k, v)| before.get(*k) != Some(*v)).count() as u64;
                    let replaced = after.iter().filter(|(k, v)| before.get(*k) != Some(*v) && queued_texts.contains(k)).count() as u64;
                    let queued = t.store.outbox_page(0, u32::MAX).unwrap().len() as u64;
                    prop_assert_eq!(queued, outbox_before.len() as u64 + changed - replaced);
                    prop_assert_eq!(t.store.history(id).unwrap().len() as u64, history_before as u64 + changed);
                }
            }
            prop_assert_eq!(t.store.stale_list_keys().unwrap(), vec![]);
        }
    }
}
