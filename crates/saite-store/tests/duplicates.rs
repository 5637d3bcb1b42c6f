//! Likely duplicates are found on create, and merging keeps every link and history.

mod common;

use common::*;
use saite_domain::Collection;
use saite_store::{DuplicateReason, MERGED_INTO_FIELD, StoreError};
use serde_json::json;

#[test]
fn creating_a_likely_duplicate_returns_candidates() {
    let mut t = new_store();
    let first = t
        .store
        .create(
            Collection::Organisation,
            obj(json!({"name": "NVA Daugavpils filiāle", "kind": "nva-branch", "municipality": "daugavpils",
                       "phones": ["65401234"], "emails": ["Daugavpils@nva.gov.lv"]})),
        )
        .unwrap();
    assert!(first.possible_duplicates.is_empty());
    let by_name = t
        .store
        .create(
            Collection::Organisation,
            obj(json!({"name": "Daugavpils NVA filiale", "kind": "nva-branch", "municipality": "daugavpils"})),
        )
        .unwrap();
    assert_eq!(by_name.possible_duplicates.len(), 1);
    assert_eq!(by_name.possible_duplicates[0].id, first.id);
    assert_eq!(by_name.possible_duplicates[0].reasons, vec![DuplicateReason::Name]);

    let other_town = t
        .store
        .create(
            Collection::Organisation,
            obj(json!({"name": "NVA Daugavpils filiāle", "kind": "nva-branch", "municipality": "rezekne"})),
        )
        .unwrap();
    assert!(other_town.possible_duplicates.iter().all(|c| c.id != first.id), "same name, other municipality");

    let by_contact = t.store.duplicate_candidates(
        Collection::Organisation,
        &obj(json!({"name": "Cits nosaukums", "kind": "ngo", "phones": ["+371 6540 1234"], "emails": ["daugavpils@NVA.gov.lv"]})),
        None,
    );
    // Phones are compared after normalisation by the write path; candidates for a
    // typed-in document compare what was typed, so normalise as the UI would.
    let by_contact = by_contact.unwrap();
    let hit = by_contact.iter().find(|c| c.id == first.id).expect("found by e-mail");
    assert!(hit.reasons.contains(&DuplicateReason::Email));
}

#[test]
fn people_are_matched_by_name_phone_and_email() {
    let mut t = new_store();
    let person = |name: &str, phone: &str| {
        obj(
            json!({"fullName": name, "phones": [phone], "legalBasis": "legitimate-interest", "basisConfirmedOn": "2012-11-09"}),
        )
    };
    let a = t.store.create(Collection::Person, person("Sandra Zalcmane", "+37128612120")).unwrap();
    let b = t.store.create(Collection::Person, person("Zalcmane Sandra", "+37129999999")).unwrap();
    assert_eq!(b.possible_duplicates.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a.id]);
    let c = t.store.create(Collection::Person, person("Cita Persona", "2861 2120")).unwrap();
    assert_eq!(c.possible_duplicates.len(), 1);
    assert_eq!(c.possible_duplicates[0].reasons, vec![DuplicateReason::Phone]);
}

#[test]
fn merging_keeps_every_link_and_both_histories() {
    let mut t = new_store();
    let keep = t
        .store
        .create(Collection::Organisation, obj(json!({"name": "Daugavpils Izglītības pārvalde", "kind": "education-board", "municipality": "daugavpils", "emails": ["a@dip.lv"]})))
        .unwrap()
        .id;
    let remove = t
        .store
        .create(
            Collection::Organisation,
            obj(json!({"name": "Daugavpils izglītības pārvalde", "kind": "education-board", "municipality": "daugavpils",
                                                    "address": "Saules iela 7", "emails": ["b@dip.lv"]})),
        )
        .unwrap()
        .id;
    let s1 = seminar(&mut t.store, "Seminārs 1", "daugavpils", "2012-11-09");
    let s2 = seminar(&mut t.store, "Seminārs 2", "daugavpils", "2012-12-01");
    let link = |s: saite_domain::RecordId, o: saite_domain::RecordId| obj(json!({"seminar": s, "organisation": o}));
    t.store.create(Collection::SeminarOrganisation, link(s1, keep)).unwrap();
    t.store.create(Collection::SeminarOrganisation, link(s1, remove)).unwrap();
    let only_removed = t.store.create(Collection::SeminarOrganisation, link(s2, remove)).unwrap().id;
    let contact = t
        .store
        .create(
            Collection::Person,
            obj(json!({"fullName": "Inese", "organisation": remove, "legalBasis": "consent", "basisConfirmedOn": "2012-11-09"})),
        )
        .unwrap()
        .id;

    // The side-by-side preview says what the merge will do, and changes nothing.
    let before = t.store.get(keep).unwrap().unwrap();
    let preview = t.store.merge_preview(keep, remove).unwrap();
    assert_eq!(preview.keep, before);
    assert_eq!(preview.remove.id, remove);
    assert_eq!(
        serde_json::Value::Object(preview.changes.clone()),
        json!({"address": "Saules iela 7", "emails": ["a@dip.lv", "b@dip.lv"]}),
        "name, kind and municipality stay as kept"
    );
    assert_eq!(preview.moved_references, 3, "two seminar links and one person");
    assert_eq!(t.store.get(keep).unwrap().unwrap(), before);
    assert!(matches!(t.store.merge_preview(keep, keep), Err(StoreError::MergeIntoItself)));
    assert!(matches!(t.store.merge_preview(keep, s1), Err(StoreError::MergeAcrossCollections)));

    t.store.merge(keep, remove).unwrap();

    let kept = t.store.get(keep).unwrap().unwrap();
    for (field, value) in &preview.changes {
        assert_eq!(&kept.document[field], value, "the merge did what the preview showed for {field}");
    }
    assert_eq!(kept.document["address"], json!("Saules iela 7"), "an empty field is filled from the merged record");
    assert_eq!(kept.document["emails"], json!(["a@dip.lv", "b@dip.lv"]));
    let gone = t.store.get(remove).unwrap().unwrap();
    assert!(gone.deleted, "the merged record is in the trash");
    assert_eq!(t.store.get(contact).unwrap().unwrap().document["organisation"], json!(keep.to_string()));
    assert_eq!(t.store.get(only_removed).unwrap().unwrap().document["organisation"], json!(keep.to_string()));
    let live_links: Vec<_> = t
        .store
        .list(&saite_store::ListQuery {
            collection: Collection::SeminarOrganisation,
            filters: vec![],
            sort: None,
            descending: false,
            offset: 0,
            limit: 100,
            with_total: false,
        })
        .unwrap()
        .items;
    assert_eq!(live_links.len(), 2, "s1-keep and s2-keep; the twin s1 link went to the trash");

    let history = t.store.history(keep).unwrap();
    assert!(history.iter().any(|h| h.record_id == remove && h.field == "address"), "the merged record's history shows");
    assert!(history.iter().any(|h| h.record_id == keep && h.origin == "merge"));
    assert!(t.store.history(remove).unwrap().iter().any(|h| h.field == MERGED_INTO_FIELD));

    assert!(matches!(t.store.merge(keep, keep), Err(StoreError::MergeIntoItself)));
    assert!(matches!(t.store.merge(keep, s1), Err(StoreError::MergeAcrossCollections)));
}
