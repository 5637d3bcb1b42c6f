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

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// An export reads a list in one pass; it must hold exactly the records the list's
    /// pages show, in their order, whatever the sort, direction and filters.
    #[test]
    fn each_listed_visits_what_the_pages_list_in_their_order(
        seminars in proptest::collection::vec(
            (prop_oneof![Just("Alfa"), Just("beta"), Just("Gamma"), Just("alfa")],
             prop_oneof![Just("riga"), Just("daugavpils"), Just("ventspils")],
             prop_oneof![Just("2012-11-09"), Just("2013-01-31"), Just("2014-06-01")]),
            0..24),
        sort in prop_oneof![Just(None), Just(Some("title")), Just(Some("date"))],
        descending in any::<bool>(),
        filter in prop_oneof![
            Just(None),
            Just(Some(saite_store::ListFilter::Region { region: "latgale".into() })),
            Just(Some(saite_store::ListFilter::Year { year: 2013 })),
        ],
        page in 1u32..7,
    ) {
        let mut t = new_store();
        for (title, municipality, date) in &seminars {
            seminar(&mut t.store, title, municipality, date);
        }
        let query = |offset| saite_store::ListQuery {
            collection: Collection::Seminar,
            filters: filter.clone().into_iter().collect(),
            sort: sort.map(str::to_owned),
            descending,
            offset,
            limit: page,
            with_total: false,
        };
        let mut paged = Vec::new();
        loop {
            let items = t.store.list(&query(paged.len() as u32)).unwrap().items;
            if items.is_empty() { break; }
            paged.extend(items.into_iter().map(|r| r.id));
        }
        let mut visited = Vec::new();
        let count = t.store.each_listed(&query(3), |r| {
            visited.push(r.id);
            Ok(std::ops::ControlFlow::Continue(()))
        }).unwrap();
        prop_assert_eq!(count as usize, visited.len());
        prop_assert_eq!(&visited, &paged);

        // A visitor that breaks stops the reading there.
        let mut first = Vec::new();
        t.store.each_listed(&query(0), |r| {
            first.push(r.id);
            Ok(if first.len() == 2 { std::ops::ControlFlow::Break(()) } else { std::ops::ControlFlow::Continue(()) })
        }).unwrap();
        prop_assert_eq!(&first[..], &paged[..paged.len().min(2)]);
    }
}
