//! Records an earlier version wrote (a campaign's funders as names), pulled from a server
//! that still holds them: every laptop upgrades them the same way, so their upgrades
//! merge into one set of funders instead of doubling them.

mod common;

use common::*;
use saite_domain::{Collection, DeviceId, Hlc, RecordId, fold::fold, upgrade::derived_id};
use saite_store::{ListQuery, Store};
use serde_json::json;

/// A campaign as a laptop of protocol 3 wrote it.
fn legacy_campaign(id: RecordId, funders: serde_json::Value) -> Vec<RemoteField> {
    let hlc = Hlc { wall_ms: T0 - 86_400_000, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(3)) };
    [("name", json!("Atver acis")), ("kind", json!("campaign")), ("funders", funders)]
        .into_iter()
        .map(|(field, value)| RemoteField {
            record: id,
            collection: Collection::Campaign,
            field: field.into(),
            value,
            hlc,
        })
        .collect()
}

fn names(store: &Store, collection: Collection) -> Vec<String> {
    let query = ListQuery {
        collection,
        filters: vec![],
        sort: None,
        descending: false,
        offset: 0,
        limit: 100,
        with_total: false,
    };
    let mut names: Vec<String> = store.list(&query).unwrap().items.into_iter().map(|r| r.label).collect();
    names.sort();
    names
}

fn links(store: &Store, campaign: RecordId) -> Vec<RecordId> {
    let mut far: Vec<RecordId> = store
        .referrers(campaign, Some(Collection::CampaignFunder))
        .unwrap()
        .into_iter()
        .filter(|r| !r.deleted)
        .map(|r| r.document["funder"].as_str().unwrap().parse().unwrap())
        .collect();
    far.sort();
    far
}

#[test]
fn a_legacy_campaign_pulled_on_two_laptops_becomes_one_set_of_funders() {
    let (mut a, mut b) = (new_store(), new_store());
    let campaign = RecordId::from_uuid(uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0042));
    let page = legacy_campaign(campaign, json!(["Iekšlietu ministrija", "Rīgas dome", "iekslietu ministrija"]));
    // Laptop b already has the council as a funder of its own.
    let council =
        b.store.create(Collection::Funder, obj(json!({"name": "Rīgas dome", "kind": "municipality"}))).unwrap().id;
    a.store.apply_remote(&page, 1).unwrap();
    b.store.apply_remote(&page, 1).unwrap();

    let ministry = derived_id(Collection::Funder, &fold("Iekšlietu ministrija"));
    assert_eq!(names(&a.store, Collection::Funder), ["Iekšlietu ministrija", "Rīgas dome"]);
    let mut expected = vec![ministry, derived_id(Collection::Funder, &fold("Rīgas dome"))];
    expected.sort();
    assert_eq!(links(&a.store, campaign), expected);
    let mut on_b = vec![ministry, council];
    on_b.sort();
    assert_eq!(links(&b.store, campaign), on_b, "b links its own council");
    for s in [&a.store, &b.store] {
        let record = s.get(campaign).unwrap().unwrap();
        assert!(!record.document.contains_key("funders"), "{:?}", record.document);
        let cleared = s.history(campaign).unwrap().into_iter().find(|h| h.field == "funders").unwrap();
        assert_eq!((cleared.origin.as_str(), cleared.new_value), ("local", Some(json!(null))));
    }

    // Each pushes its upgrade and pulls the other's (rounds until nothing is left to
    // send, as sync does): the ministry is one record on both. (Which stamp a text keeps
    // is the server's to settle, so the stamps are not compared here.)
    assert!(outbox_of(&a.store).iter().any(|f| f.record == campaign && f.field == "funders" && f.value.is_null()));
    for round in 2..6 {
        let (from_a, from_b) = (outbox_of(&a.store), outbox_of(&b.store));
        a.store.ack_outbox(i64::MAX).unwrap();
        b.store.ack_outbox(i64::MAX).unwrap();
        a.store.apply_remote(&from_b, round).unwrap();
        b.store.apply_remote(&from_a, round).unwrap();
    }
    assert_eq!((a.store.outbox_len().unwrap(), b.store.outbox_len().unwrap()), (0, 0));
    assert_eq!(names(&a.store, Collection::Funder), names(&b.store, Collection::Funder));
    assert_eq!(names(&a.store, Collection::Funder).iter().filter(|n| n.starts_with("Iek")).count(), 1);
    assert_eq!(links(&a.store, campaign), links(&b.store, campaign));
    let set_fields = |s: &Store| {
        let mut doc = s.get(campaign).unwrap().unwrap().document;
        doc.retain(|_, v| !v.is_null());
        doc
    };
    assert_eq!(set_fields(&a.store), set_fields(&b.store));
    // Nothing is legacy any more: pulling the old page again upgrades nothing.
    let queued = b.store.outbox_len().unwrap();
    b.store.apply_remote(&page, 9).unwrap();
    assert_eq!(b.store.outbox_len().unwrap(), queued);
}

#[test]
fn a_value_for_a_retired_field_is_refused_by_name() {
    let mut s = new_store();
    let err = s
        .store
        .create(
            Collection::Campaign,
            obj(json!({"name": "STROM", "kind": "project", "funders": ["Zviedru institūts"]})),
        )
        .unwrap_err();
    assert!(format!("{err:?}").contains("funders"), "{err:?}");
    let id = s.store.create(Collection::Campaign, obj(json!({"name": "STROM", "kind": "project"}))).unwrap().id;
    assert!(s.store.update(id, obj(json!({"funders": ["Zviedru institūts"]}))).is_err());
}

#[test]
fn an_edit_made_after_one_laptop_upgraded_outranks_a_later_upgrade_elsewhere() {
    let (mut a, mut b) = (new_store(), new_store());
    let campaign = RecordId::from_uuid(uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0043));
    let page = legacy_campaign(campaign, json!(["Rīgas dome"]));
    let council = derived_id(Collection::Funder, &fold("Rīgas dome"));
    // Laptop a upgrades, and its user says what kind of funder the council is.
    a.store.apply_remote(&page, 1).unwrap();
    a.clock.set(T0 + 3_600_000);
    a.store.update(council, obj(json!({"kind": "municipality"}))).unwrap();
    // Laptop b, offline all along, upgrades the same campaign a day later.
    b.clock.set(T0 + 86_400_000);
    b.store.apply_remote(&page, 1).unwrap();
    let (from_a, from_b) = (outbox_of(&a.store), outbox_of(&b.store));
    a.store.apply_remote(&from_b, 2).unwrap();
    b.store.apply_remote(&from_a, 2).unwrap();
    for s in [&a.store, &b.store] {
        assert_eq!(s.get(council).unwrap().unwrap().document["kind"], "municipality", "the edit is kept");
        assert_eq!(links(s, campaign), [council]);
    }
}

#[test]
fn a_legacy_record_that_cannot_take_its_upgrade_is_left_and_the_pull_goes_on() {
    let mut a = new_store();
    // A seminar whose organiser's name arrives before its title (a later page): not whole.
    let seminar = RecordId::from_uuid(uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0044));
    let hlc = Hlc { wall_ms: T0 - 1_000, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(3)) };
    let field = |field: &str, value: serde_json::Value| RemoteField {
        record: seminar,
        collection: Collection::Seminar,
        field: field.into(),
        value,
        hlc,
    };
    a.store.apply_remote(&[field("organiser", json!("Biedrība „Patvērums”"))], 1).unwrap();
    assert_eq!(a.store.outbox_len().unwrap(), 0, "nothing upgraded yet");
    // The rest arrives: now whole, it is upgraded.
    let rest = [
        field("title", json!("Seminārs")),
        field("kind", json!("seminar")),
        field("date", json!("2012-11-09")),
        field("municipality", json!("riga")),
    ];
    a.store.apply_remote(&rest, 2).unwrap();
    assert_eq!(a.store.pull_cursor().unwrap(), 2);
    let organised_by = a.store.get(seminar).unwrap().unwrap().document["organisedBy"].clone();
    assert_eq!(organised_by, json!(derived_id(Collection::Organisation, &fold("Biedrība „Patvērums”"))));
}
