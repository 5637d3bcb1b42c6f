//! The one write path: validation, HLC stamps, history, outbox, soft delete.

mod common;

use common::*;
use saite_domain::{Collection, FieldError, Hlc, RecordId, ValidationCode};
use saite_store::{DELETED_FIELD, StoreError};
use serde_json::{Value, json};

#[test]
fn a_new_record_stamps_history_and_queues_every_field() {
    let mut t = new_store();
    let id = seminar(&mut t.store, "Informatīvs seminārs", "daugavpils", "2012-11-09");
    let rec = t.store.get(id).unwrap().unwrap();
    assert_eq!(rec.created_at_ms, T0);
    assert_eq!(rec.document["venue"], json!(""));
    let history = t.store.history(id).unwrap();
    let fields: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
    assert!(fields.contains(&"title") && fields.contains(&"date"));
    assert!(history.iter().all(|h| h.old_value.is_none() && h.author == "Sandra" && h.origin == "local"));
    let outbox = t.store.outbox_page(0, 100).unwrap();
    assert_eq!(outbox.len(), rec.document.len(), "every field queued");
    assert_eq!(t.store.outbox_len().unwrap(), 1, "as one change");
    assert!(
        outbox.iter().all(|e| (e.device_seq, e.hlc) == (outbox[0].device_seq, outbox[0].hlc)),
        "one seq and one stamp"
    );
    assert!(outbox.iter().all(|e| e.record_id == id && e.collection == Collection::Seminar));
    assert!(history.iter().all(|h| h.hlc == outbox[0].hlc.to_string()), "history carries the same stamp");
}

#[test]
fn an_update_stamps_only_changed_fields_with_later_hlcs() {
    let mut t = new_store();
    let id = seminar(&mut t.store, "Seminārs", "daugavpils", "2012-11-09");
    let before = t.store.outbox_len().unwrap();
    t.clock.advance(60_000);
    let changed = t.store.update(id, obj(json!({"venue": "Daugavpils dome", "title": "Seminārs"}))).unwrap();
    assert!(changed);
    assert_eq!(t.store.outbox_len().unwrap(), before + 1, "one more change");
    let outbox = t.store.outbox_page(0, 100).unwrap();
    let last = outbox.last().unwrap();
    let in_last: Vec<_> = outbox.iter().filter(|e| e.device_seq == last.device_seq).collect();
    assert_eq!(in_last.len(), 1, "only venue changed");
    assert_eq!((last.field.as_str(), &last.value), ("venue", &json!("Daugavpils dome")));
    assert_eq!(last.hlc.wall_ms, T0 + 60_000);
    assert!(outbox.iter().all(|e| e.device_seq == last.device_seq || e.hlc < last.hlc));
    let h = t.store.history(id).unwrap();
    let venue: Vec<_> = h.iter().filter(|e| e.field == "venue").collect();
    assert_eq!(venue.last().unwrap().old_value, Some(json!("")));
    assert_eq!(venue.last().unwrap().new_value, Some(json!("Daugavpils dome")));
    assert!(!t.store.update(id, obj(json!({"venue": "Daugavpils dome"}))).unwrap(), "same value: no change");
}

#[test]
fn a_clock_going_back_never_reorders_changes() {
    let mut t = new_store();
    let id = seminar(&mut t.store, "A", "riga", "2013-01-01");
    t.clock.set(T0 - 3_600_000);
    t.store.update(id, obj(json!({"venue": "B"}))).unwrap();
    let outbox = t.store.outbox_page(0, 100).unwrap();
    let (a, b) = (&outbox[outbox.len() - 2], &outbox[outbox.len() - 1]);
    assert!(b.hlc > a.hlc);
}

#[test]
fn a_refused_write_changes_nothing_and_names_the_field() {
    let mut t = new_store();
    let id = seminar(&mut t.store, "Seminārs", "daugavpils", "2012-11-09");
    let doc_before = t.store.get(id).unwrap().unwrap().document;
    let outbox_before = t.store.outbox_len().unwrap();
    let history_before = t.store.history(id).unwrap().len();
    let err = t
        .store
        .update(id, obj(json!({"venue": "Jauna vieta", "participants": {"youth": -5}, "date": "2012-13-01"})))
        .unwrap_err();
    let StoreError::Invalid(errors) = err else { panic!("{err:?}") };
    assert_eq!(
        errors,
        vec![
            FieldError::new("date", ValidationCode::InvalidDate),
            FieldError::new("participants.youth", ValidationCode::NegativeCount)
        ]
    );
    assert_eq!(t.store.get(id).unwrap().unwrap().document, doc_before);
    assert_eq!(t.store.outbox_len().unwrap(), outbox_before);
    assert_eq!(t.store.history(id).unwrap().len(), history_before);
}

#[test]
fn references_must_name_live_records_of_the_right_kind() {
    let mut t = new_store();
    let org = organisation(&mut t.store, "Daugavpils ģimenes atbalsta centrs", "daugavpils");
    let missing: RecordId = "01890000-0000-7000-8000-000000000007".parse().unwrap();
    let person = |o: &str| {
        obj(
            json!({"fullName": "Anna Ozola", "organisation": o, "legalBasis": "consent", "basisConfirmedOn": "2012-11-09"}),
        )
    };
    let err = t.store.create(Collection::Person, person(&missing.to_string())).unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(ref e) if e == &vec![FieldError::new("organisation", ValidationCode::UnknownReference)])
    );
    let sem = seminar(&mut t.store, "S", "riga", "2013-01-01");
    let err = t.store.create(Collection::Person, person(&sem.to_string())).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "a seminar is not an organisation");
    t.store.create(Collection::Person, person(&org.to_string())).unwrap();
    t.store.delete(org).unwrap();
    assert!(t.store.create(Collection::Person, person(&org.to_string())).is_err(), "a trashed organisation");
}

#[test]
fn delete_is_a_restorable_tombstone() {
    let mut t = new_store();
    let id = organisation(&mut t.store, "Rēzeknes sociālais dienests", "rezekne");
    t.store.delete(id).unwrap();
    let rec = t.store.get(id).unwrap().unwrap();
    assert!(rec.deleted);
    assert_eq!(t.store.trash(10).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    let last = t.store.outbox_page(0, 1000).unwrap().pop().unwrap();
    assert_eq!((last.field.as_str(), last.value), (DELETED_FIELD, json!(true)));
    assert!(t.store.search("Rēzeknes", 10).unwrap().is_empty(), "trashed records are not found");
    t.store.restore(id).unwrap();
    assert!(!t.store.get(id).unwrap().unwrap().deleted);
    assert!(t.store.trash(10).unwrap().is_empty());
    assert_eq!(t.store.search("rezeknes", 10).unwrap().len(), 1);
    let h: Vec<(String, Option<Value>)> = t
        .store
        .history(id)
        .unwrap()
        .into_iter()
        .filter(|h| h.field == DELETED_FIELD)
        .map(|h| (h.field, h.new_value))
        .collect();
    assert_eq!(h, vec![(DELETED_FIELD.into(), Some(json!(true))), (DELETED_FIELD.into(), Some(json!(false)))]);
}

#[test]
fn reserved_and_unknown_fields_are_refused() {
    let mut t = new_store();
    let id = organisation(&mut t.store, "X", "riga");
    let err = t.store.update(id, obj(json!({"_deleted": true}))).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e[0].field == "_deleted"));
    let err = t.store.update(id, obj(json!({"favouriteColour": "blue"}))).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e[0].field == "favouriteColour"));
    let missing: RecordId = "01890000-0000-7000-8000-000000000007".parse().unwrap();
    assert!(matches!(t.store.update(missing, obj(json!({"name": "Y"}))), Err(StoreError::NotFound(_))));
}

#[test]
fn acknowledged_changes_leave_the_outbox_once() {
    let mut t = new_store();
    for title in ["A", "B", "C"] {
        seminar(&mut t.store, title, "riga", "2013-01-01");
    }
    let page = t.store.outbox_page(0, 2).unwrap();
    let changes: std::collections::BTreeSet<i64> = page.iter().map(|e| e.device_seq).collect();
    assert_eq!(changes.len(), 2, "the fields of two changes");
    let acked = page.last().unwrap().device_seq;
    assert_eq!(t.store.ack_outbox(acked).unwrap(), 2);
    assert_eq!(t.store.acked_outbox_seq().unwrap(), acked);
    assert_eq!(t.store.ack_outbox(acked).unwrap(), 0, "a repeated acknowledgement removes nothing more");
    assert!(t.store.outbox_page(0, 100).unwrap().iter().all(|e| e.device_seq > acked));
}

#[test]
fn a_text_edited_while_its_older_version_is_being_sent_stays_queued() {
    let mut t = new_store();
    let id = seminar(&mut t.store, "A", "riga", "2013-01-01");
    t.store.update(id, obj(json!({"notes": "Pirmā versija."}))).unwrap();
    // A sync reads the outbox, old notes included, and sends it...
    let sent = t.store.outbox_page(0, 100).unwrap();
    assert!(sent.iter().any(|e| e.field == "notes" && e.value == json!("Pirmā versija.")));
    // ...the consultant edits the notes meanwhile...
    t.store.update(id, obj(json!({"notes": "Otrā versija."}))).unwrap();
    // ...and the server acknowledges what was sent.
    t.store.ack_outbox(sent.last().unwrap().device_seq).unwrap();
    let left = t.store.outbox_page(0, 100).unwrap();
    let notes: Vec<_> = left.iter().filter(|e| e.field == "notes").map(|e| e.value.clone()).collect();
    assert_eq!(notes, vec![json!("Otrā versija.")], "the newer text still waits to be sent, once");
}

#[test]
fn the_clock_state_survives_a_restart() {
    let mut t = new_store();
    seminar(&mut t.store, "A", "riga", "2013-01-01");
    let last: Hlc = t.store.outbox_page(0, 100).unwrap().last().unwrap().hlc;
    let common::TestStore { dir, clock, store } = t;
    drop(store);
    clock.set(T0 - 86_400_000);
    let mut s = saite_store::Store::open(dir.path(), "pareiza parole", clock, "Sandra").unwrap();
    let id = seminar(&mut s, "B", "riga", "2013-01-02");
    let first_after = s.outbox_page(0, 1000).unwrap().into_iter().find(|e| e.record_id == id).unwrap().hlc;
    assert!(first_after > last, "stamps after a restart sort after those before, even with the clock set back");
}

#[test]
fn a_batch_is_all_or_nothing() {
    let mut t = new_store();
    let before = t.store.outbox_len().unwrap();
    let good = obj(json!({"name": "A", "kind": "ngo"}));
    let bad = obj(json!({"name": "", "kind": "ngo"}));
    let err = t
        .store
        .create_batch(vec![(Collection::Organisation, good.clone()), (Collection::Organisation, bad)])
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    assert_eq!(t.store.outbox_len().unwrap(), before, "the valid first record was not kept either");
    assert!(t.store.search("a", 10).unwrap().is_empty());
    let ids =
        t.store.create_batch(vec![(Collection::Organisation, good.clone()), (Collection::Organisation, good)]).unwrap();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|id| t.store.get(*id).unwrap().is_some()));
}

#[test]
fn every_record_of_a_batch_is_found_after_it_and_the_records_written_alone_too() {
    // A batch writes its search entries at commit, all together; records created one
    // by one before and after it are indexed as they are made.
    let mut t = new_store();
    let before = organisation(&mut t.store, "Zilupes bibliotēka", "ludzas-novads");
    let names: Vec<String> = (0..300).map(|i| format!("Biedrība Nr{i}x Gaismeklis")).collect();
    let batch = names.iter().map(|n| (Collection::Organisation, obj(json!({"name": n, "kind": "ngo"})))).collect();
    let ids = t.store.create_batch(batch).unwrap();
    let after = organisation(&mut t.store, "Zilupes skola", "ludzas-novads");
    for (name, id) in names.iter().zip(&ids) {
        let hits = t.store.search(name, 5).unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![*id], "{name}");
    }
    assert_eq!(t.store.search("gaismeklis", 500).unwrap().len(), names.len());
    let zilupe: Vec<_> = t.store.search("zilupes", 10).unwrap().into_iter().map(|h| h.id).collect();
    assert!(zilupe.contains(&before) && zilupe.contains(&after) && zilupe.len() == 2, "{zilupe:?}");
}

#[test]
fn referrers_and_stock_on_hand_follow_the_links() {
    let mut t = new_store();
    let org = organisation(&mut t.store, "Ludzas novada bibliotēka", "ludzas-novads");
    let sem = seminar(&mut t.store, "Seminārs", "ludzas-novads", "2014-03-01");
    let material = t
        .store
        .create(Collection::Material, obj(json!({"title": "Plakāts", "kind": "poster", "stock": 100})))
        .unwrap()
        .id;
    t.store.create(Collection::SeminarOrganisation, obj(json!({"seminar": sem, "organisation": org}))).unwrap();
    let d1 = t
        .store
        .create(Collection::Distribution, obj(json!({"material": material, "organisation": org, "seminar": sem, "quantity": 30, "date": "2014-03-01", "method": "handed-out-at-event"})))
        .unwrap()
        .id;
    t.store
        .create(
            Collection::Distribution,
            obj(json!({"material": material, "organisation": org, "quantity": 25, "date": "2014-04-01", "method": "mailed"})),
        )
        .unwrap();
    assert_eq!(t.store.material_on_hand(material).unwrap(), 45);
    t.store.delete(d1).unwrap();
    assert_eq!(t.store.material_on_hand(material).unwrap(), 75, "a trashed distribution gives its copies back");

    let of_org: Vec<Collection> = t.store.referrers(org, None).unwrap().iter().map(|r| r.collection).collect();
    assert_eq!(of_org, vec![Collection::SeminarOrganisation, Collection::Distribution]);
    let of_sem = t.store.referrers(sem, Some(Collection::SeminarOrganisation)).unwrap();
    assert_eq!(of_sem.len(), 1);
    assert_eq!(t.store.get_many(&[org, sem]).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![org, sem]);
}

#[test]
fn lists_filter_on_flags_and_refuse_unknown_fields() {
    let mut t = new_store();
    let sem = seminar(&mut t.store, "S", "riga", "2014-01-01");
    for (title, done) in [("A", false), ("B", true), ("C", false)] {
        t.store
            .create(
                Collection::FollowUp,
                obj(json!({"title": title, "seminar": sem, "owner": "Sandra", "done": done, "dueOn": "2014-02-01"})),
            )
            .unwrap();
    }
    let open = t
        .store
        .list(&saite_store::ListQuery {
            collection: Collection::FollowUp,
            filters: vec![saite_store::ListFilter::Flag { field: "done".into(), value: false }],
            sort: Some("dueOn".into()),
            descending: false,
            offset: 0,
            limit: 10,
            with_total: true,
        })
        .unwrap();
    assert_eq!(open.total, Some(2));
    assert_eq!(open.items.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), vec!["A", "C"]);
    let bad = t.store.list(&saite_store::ListQuery {
        collection: Collection::FollowUp,
        filters: vec![saite_store::ListFilter::FieldEquals { field: "notes') OR 1=1 --".into(), value: "x".into() }],
        sort: None,
        descending: false,
        offset: 0,
        limit: 10,
        with_total: false,
    });
    assert!(matches!(bad, Err(StoreError::Invalid(_))), "only listed fields reach the SQL");
}

#[test]
fn attachments_store_each_content_once_and_survive_trash_and_restore() {
    let mut t = new_store();
    let sem = seminar(&mut t.store, "S", "riga", "2014-01-01");
    let org = organisation(&mut t.store, "O", "riga");
    let bytes = b"Darba kartiba: 1. Ievads 2. Gadijumu identificesana".to_vec();
    let a = t.store.attach(sem, "darba-kartiba.txt", "text/plain", &bytes).unwrap();
    let b = t.store.attach(org, "kopija.txt", "text/plain", &bytes).unwrap();
    assert_eq!(t.store.attachment_file(a).unwrap(), ("darba-kartiba.txt".to_owned(), bytes.clone()));
    assert_eq!(t.store.attachment_file(b).unwrap().1, bytes);
    let on_seminar = t.store.referrers(sem, Some(Collection::Attachment)).unwrap();
    assert_eq!(on_seminar.len(), 1);
    assert_eq!(on_seminar[0].document["sha256"], json!(saite_domain::content_address(&bytes)));
    t.store.delete(a).unwrap();
    assert!(t.store.referrers(sem, Some(Collection::Attachment)).unwrap().is_empty());
    t.store.restore(a).unwrap();
    assert_eq!(t.store.attachment_file(a).unwrap().1, bytes, "the bytes stayed while in the trash");

    let missing: RecordId = "01890000-0000-7000-8000-000000000007".parse().unwrap();
    assert!(matches!(t.store.attach(missing, "x.txt", "text/plain", b"x"), Err(StoreError::NotFound(_))));
    let err = t.store.attach(sem, "", "text/plain", b"x").unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e[0].field == "fileName"));
}

#[test]
fn names_sort_without_regard_to_case_in_latvian_and_russian() {
    let mut t = new_store();
    for name in ["Ācu klīnika", "ābolu nams", "Bauskas dome", "Игнатов и партнёры", "иванова и ко", "Иванов и сыновья"]
    {
        organisation(&mut t.store, name, "riga");
    }
    // Letters compare by code point once lower-cased (so Latvian "ā" after "z"); what
    // matters here is that a capital never separates a name from its neighbours.
    let expected =
        ["Bauskas dome", "ābolu nams", "Ācu klīnika", "Иванов и сыновья", "иванова и ко", "Игнатов и партнёры"];
    assert_eq!(organisation_names_paged(&t.store, 50), (Some(6), expected.map(str::to_owned).to_vec()));
}

#[test]
fn hotline_contacts_of_one_day_list_by_their_time_whatever_order_they_were_written_in() {
    let mut t = new_store();
    for (date, time) in
        [("2026-03-02", "09:15"), ("2026-03-02", "17:40"), ("2026-03-01", "18:00"), ("2026-03-02", "12:05")]
    {
        let contact = json!({"date": date, "time": time, "channel": "phone", "topic": "work-abroad"});
        t.store.create(Collection::HotlineContact, obj(contact)).unwrap();
    }
    let listed = |descending, filters: Vec<saite_store::ListFilter>| -> Vec<String> {
        let query = saite_store::ListQuery {
            collection: Collection::HotlineContact,
            filters,
            sort: Some("date".into()),
            descending,
            offset: 0,
            limit: 10,
            with_total: false,
        };
        t.store
            .list(&query)
            .unwrap()
            .items
            .iter()
            .map(|r| format!("{} {}", r.document["date"], r.document["time"]))
            .collect()
    };
    let newest_first = ["2026-03-02 17:40", "2026-03-02 12:05", "2026-03-02 09:15", "2026-03-01 18:00"].map(|s| {
        let (d, t) = s.split_once(' ').unwrap();
        format!("\"{d}\" \"{t}\"")
    });
    assert_eq!(listed(true, vec![]), newest_first);
    let mut oldest_first = newest_first.to_vec();
    oldest_first.reverse();
    assert_eq!(listed(false, vec![]), oldest_first);
    // With a filter too (the order is then SQLite's sort, not an index's).
    let phone = saite_store::ListFilter::FieldEquals { field: "channel".into(), value: "phone".into() };
    assert_eq!(listed(true, vec![phone]), newest_first);
}

/// Every page of a sorted list, read one window at a time, as the list screen reads it.
fn organisation_names_paged(store: &saite_store::Store, window: u32) -> (Option<u32>, Vec<String>) {
    let query = |offset| saite_store::ListQuery {
        collection: Collection::Organisation,
        filters: vec![],
        sort: Some("name".into()),
        descending: false,
        offset,
        limit: window,
        with_total: offset == 0,
    };
    let first = store.list(&query(0)).unwrap();
    let total = first.total;
    let mut names: Vec<String> = first.items.into_iter().map(|r| r.label).collect();
    let mut offset = window;
    loop {
        let page = store.list(&query(offset)).unwrap();
        assert_eq!(page.total, None, "the count comes with the first page only");
        if page.items.is_empty() {
            return (total, names);
        }
        names.extend(page.items.into_iter().map(|r| r.label));
        offset += window;
    }
}

#[test]
fn list_pages_follow_every_write_between_them() {
    let mut t = new_store();
    let mut ids = Vec::new();
    for n in (0..30).rev() {
        ids.push(organisation(&mut t.store, &format!("Iestāde {n:02}"), "riga"));
    }
    let expected: Vec<String> = (0..30).map(|n| format!("Iestāde {n:02}")).collect();
    assert_eq!(organisation_names_paged(&t.store, 7), (Some(30), expected.clone()));
    // The same query again is served from the snapshot; it must still see each change.
    t.store.update(ids[0], obj(json!({"name": "A pirmā"}))).unwrap(); // was "Iestāde 29"
    let (total, names) = organisation_names_paged(&t.store, 7);
    assert_eq!(total, Some(30));
    assert_eq!(names[0], "A pirmā");
    assert!(!names.contains(&"Iestāde 29".to_owned()));
    t.store.delete(ids[1]).unwrap(); // "Iestāde 28"
    let (total, names) = organisation_names_paged(&t.store, 7);
    assert_eq!((total, names.len()), (Some(29), 29));
    assert!(!names.contains(&"Iestāde 28".to_owned()));
    t.store.restore(ids[1]).unwrap();
    assert_eq!(organisation_names_paged(&t.store, 7).1.len(), 30);
    // A different filter on the same collection is its own snapshot.
    let filtered = t
        .store
        .list(&saite_store::ListQuery {
            collection: Collection::Organisation,
            filters: vec![saite_store::ListFilter::FieldEquals { field: "kind".into(), value: "school".into() }],
            sort: Some("name".into()),
            descending: false,
            offset: 0,
            limit: 50,
            with_total: true,
        })
        .unwrap();
    assert_eq!(filtered.total, Some(0));
    // A window past the end is empty, not an error.
    let past = t
        .store
        .list(&saite_store::ListQuery {
            collection: Collection::Organisation,
            filters: vec![],
            sort: Some("name".into()),
            descending: false,
            offset: 10_000,
            limit: 50,
            with_total: true,
        })
        .unwrap();
    assert_eq!((past.total, past.items.len()), (Some(30), 0));
}

#[test]
fn every_sortable_field_lists_with_and_without_filters() {
    // Unfiltered sorted lists name their index (`INDEXED BY`): a misnamed or unusable
    // index would fail here, not on a laptop.
    let mut t = new_store();
    seminar(&mut t.store, "S", "riga", "2014-01-01");
    organisation(&mut t.store, "O", "riga");
    for collection in [
        Collection::Seminar,
        Collection::Organisation,
        Collection::Person,
        Collection::Material,
        Collection::Distribution,
        Collection::Campaign,
        Collection::FollowUp,
    ] {
        for field in saite_store::sortable_fields(collection) {
            for descending in [false, true] {
                let query = saite_store::ListQuery {
                    collection,
                    filters: vec![],
                    sort: Some((*field).to_owned()),
                    descending,
                    offset: 0,
                    limit: 10,
                    with_total: true,
                };
                let page = t.store.list(&query).unwrap_or_else(|e| panic!("{collection:?} by {field}: {e}"));
                let expected = u32::from(matches!(collection, Collection::Seminar | Collection::Organisation));
                assert_eq!(page.total, Some(expected), "{collection:?} by {field}");
            }
        }
    }
}
