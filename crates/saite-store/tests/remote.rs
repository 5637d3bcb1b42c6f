//! Taking in other laptops' changes: what one store queues in its outbox, another applies
//! as remote fields (the server's role, relaying values unchanged, is played by the
//! test). Stores converge whatever the order and repetition of pages.

mod common;

use common::*;
use proptest::prelude::*;
use saite_domain::Collection;
use saite_store::Store;
use serde_json::json;

/// A seminar with `notes`, made on `a` and taken in by `b` (pulled at cursor 1), its
/// push acknowledged: both laptops hold the same synced notes.
fn notes_on_both(a: &mut Store, b: &mut Store, title: &str, notes: &str) -> saite_domain::RecordId {
    let sem = seminar(a, title, "rezeknes-novads", "2014-03-01");
    a.update(sem, obj(json!({ "notes": notes }))).unwrap();
    b.apply_remote(&outbox_of(a), 1).unwrap();
    a.ack_outbox(i64::MAX).unwrap();
    sem
}

fn same_records(a: &Store, b: &Store, ids: &[saite_domain::RecordId]) {
    for id in ids {
        let (ra, rb) = (a.get(*id).unwrap().unwrap(), b.get(*id).unwrap().unwrap());
        assert_eq!((&ra.document, ra.deleted), (&rb.document, rb.deleted), "record {id}");
    }
    assert_eq!(a.local_checksums().unwrap(), b.local_checksums().unwrap());
    // The kept checksums equal those computed from every stamp, on both.
    assert_eq!(a.local_checksums().unwrap(), a.recompute_local_checksums().unwrap());
    assert_eq!(b.local_checksums().unwrap(), b.recompute_local_checksums().unwrap());
    // The list keys follow every document, on both.
    assert_eq!(a.stale_list_keys().unwrap(), vec![]);
    assert_eq!(b.stale_list_keys().unwrap(), vec![]);
}

#[test]
fn a_record_made_on_one_laptop_appears_on_another() {
    let mut a = new_store();
    let mut b = new_store();
    let org = organisation(&mut a.store, "Rēzeknes novada sociālais dienests", "rezeknes-novads");
    let sem = seminar(&mut a.store, "Informatīvs seminārs", "rezeknes-novads", "2014-03-01");
    let page = outbox_of(&a.store);
    let applied = b.store.apply_remote(&page, 17).unwrap();
    assert_eq!((applied.new_records, applied.changed, applied.unchanged), (2, page.len() as u64, 0));
    assert_eq!(b.store.pull_cursor().unwrap(), 17);
    same_records(&a.store, &b.store, &[org, sem]);
    // Findable, listed, and its history says where it came from; nothing to push back.
    assert_eq!(b.store.search("rezeknes socialais", 5).unwrap()[0].id, org);
    assert!(b.store.history(org).unwrap().iter().all(|h| h.origin == "remote"));
    assert_eq!(b.store.outbox_len().unwrap(), 0);
    // Again (the answer to the pull was lost): nothing changes, no history is added.
    let history = b.store.history(org).unwrap().len();
    let again = b.store.apply_remote(&page, 17).unwrap();
    assert_eq!((again.changed, again.unchanged, again.new_records), (0, page.len() as u64, 0));
    assert_eq!(b.store.history(org).unwrap().len(), history);
}

#[test]
fn a_record_taken_in_whole_equals_one_taken_field_by_field() {
    let mut a = new_store();
    let mut b = new_store();
    let mut c = new_store();
    let sem = seminar(&mut a.store, "Apaļais galds Rēzeknē", "rezeknes-novads", "2014-03-01");
    a.store.update(sem, obj(json!({"notes": "Piezīmes par darba piedāvājumiem ārzemēs."}))).unwrap();
    let page = outbox_of(&a.store);
    // b: the record's fields once each (taken in whole). c: the same page with the first
    // field repeated ahead of it, which takes the general path, field by field.
    b.store.apply_remote(&page, 1).unwrap();
    let mut repeated = vec![page[0].clone()];
    repeated.extend(page.iter().cloned());
    c.store.apply_remote(&repeated, 1).unwrap();
    same_records(&b.store, &c.store, &[sem]);
    same_records(&a.store, &b.store, &[sem]);
    assert_eq!(b.store.search("apalais galds", 5).unwrap()[0].id, sem);
    assert_eq!(c.store.search("apalais galds", 5).unwrap()[0].id, sem);
    // Both hold the notes as the base of later merges: an edit on either is stored over it.
    assert_eq!(b.store.history(sem).unwrap(), c.store.history(sem).unwrap());
    for s in [&mut b.store, &mut c.store] {
        s.update(sem, obj(json!({"notes": "Piezīmes par darba piedāvājumiem ārzemēs.\nPapildināts."}))).unwrap();
        let queued = s.outbox_page(0, 10).unwrap();
        let notes = queued.iter().find(|e| e.field == "notes").unwrap();
        assert_eq!(notes.expect, Some(Some(page.iter().rfind(|f| f.field == "notes").unwrap().hlc)));
    }
}

#[test]
fn concurrent_edits_keep_the_later_one_on_both_laptops_and_the_other_in_history() {
    let mut a = new_store();
    let mut b = new_store();
    let org = organisation(&mut a.store, "NVA Daugavpils filiāle", "daugavpils");
    b.store.apply_remote(&outbox_of(&a.store), 1).unwrap();
    a.store.ack_outbox(i64::MAX).unwrap();
    // Offline, both change the address; b a minute later. a also changes the phone.
    a.clock.advance(60_000);
    a.store.update(org, obj(json!({"address": "Cietokšņa iela 60", "phones": ["+37165400000"]}))).unwrap();
    b.clock.advance(120_000);
    b.store.update(org, obj(json!({"address": "Cietokšņa iela 82"}))).unwrap();
    let (from_a, from_b) = (outbox_of(&a.store), outbox_of(&b.store));
    a.store.apply_remote(&from_b, 3).unwrap();
    b.store.apply_remote(&from_a, 3).unwrap();
    same_records(&a.store, &b.store, &[org]);
    let rec = a.store.get(org).unwrap().unwrap();
    assert_eq!(rec.document["address"], json!("Cietokšņa iela 82"), "the later edit wins");
    assert_eq!(rec.document["phones"], json!(["+37165400000"]), "a's other field is kept");
    // The overwritten address is in a's history.
    let replaced =
        a.store.history(org).unwrap().into_iter().find(|h| h.field == "address" && h.origin == "remote").unwrap();
    assert_eq!(replaced.old_value, Some(json!("Cietokšņa iela 60")));
    // b's older address never replaces a's newer one, even delivered again.
    assert_eq!(b.store.apply_remote(&from_a, 3).unwrap().changed, 0);
}

#[test]
fn a_record_split_over_two_pages_is_findable_once_whole() {
    let mut a = new_store();
    let mut b = new_store();
    let sem = seminar(&mut a.store, "Apaļā galda diskusija", "liepaja", "2015-06-01");
    let page = outbox_of(&a.store);
    let (first, second) = page.split_at(2);
    b.store.apply_remote(first, 1).unwrap();
    assert!(b.store.get(sem).unwrap().is_some(), "stored as it arrives");
    assert!(b.store.search("apala galda", 5).unwrap().is_empty(), "not whole yet: not findable");
    b.store.apply_remote(second, 2).unwrap();
    assert_eq!(b.store.search("apala galda", 5).unwrap()[0].id, sem);
    same_records(&a.store, &b.store, &[sem]);
}

#[test]
fn a_delete_travels_and_a_restore_after_it_wins() {
    let mut a = new_store();
    let mut b = new_store();
    let org = organisation(&mut a.store, "Biedrība Patvērums", "riga");
    b.store.apply_remote(&outbox_of(&a.store), 1).unwrap();
    a.store.ack_outbox(i64::MAX).unwrap();
    a.clock.advance(1_000);
    a.store.delete(org).unwrap();
    b.store.apply_remote(&outbox_of(&a.store), 2).unwrap();
    assert!(b.store.get(org).unwrap().unwrap().deleted);
    assert!(b.store.search("patverums", 5).unwrap().is_empty());
    assert_eq!(b.store.trash(10).unwrap().len(), 1);
    // b restores it later: a takes the restore in.
    a.store.ack_outbox(i64::MAX).unwrap();
    b.clock.advance(5_000);
    b.store.restore(org).unwrap();
    a.store.apply_remote(&outbox_of(&b.store), 3).unwrap();
    assert!(!a.store.get(org).unwrap().unwrap().deleted);
    assert_eq!(a.store.search("patverums", 5).unwrap().len(), 1);
}

#[derive(Debug, Clone)]
enum Op {
    Create { laptop: usize, name: u8 },
    Rename { laptop: usize, pick: usize, name: u8 },
    Delete { laptop: usize, pick: usize },
    Restore { laptop: usize, pick: usize },
    Tick { laptop: usize, ms: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, any::<u8>()).prop_map(|(laptop, name)| Op::Create { laptop, name }),
        (0..3usize, any::<usize>(), any::<u8>()).prop_map(|(laptop, pick, name)| Op::Rename { laptop, pick, name }),
        (0..3usize, any::<usize>()).prop_map(|(laptop, pick)| Op::Delete { laptop, pick }),
        (0..3usize, any::<usize>()).prop_map(|(laptop, pick)| Op::Restore { laptop, pick }),
        (0..3usize, 0..5_000u64).prop_map(|(laptop, ms)| Op::Tick { laptop, ms }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Three laptops edit the same organisations offline; every change reaches every
    /// other laptop in a shuffled order, some twice. All three end with the same
    /// records and the same checksums.
    #[test]
    fn laptops_converge_whatever_the_order(ops in proptest::collection::vec(op(), 1..30), seed in any::<u64>()) {
        let mut laptops = [new_store(), new_store(), new_store()];
        let mut ids = Vec::new();
        for op in ops {
            match op {
                Op::Create { laptop, name } => {
                    ids.push(organisation(&mut laptops[laptop].store, &format!("Iestāde {name}"), "riga"));
                    // Every laptop learns of new records at once, so the others can edit them.
                    let page = outbox_of(&laptops[laptop].store);
                    for (i, other) in laptops.iter_mut().enumerate() {
                        if i != laptop {
                            other.store.apply_remote(&page, 0).unwrap();
                        }
                    }
                }
                Op::Rename { laptop, pick, name } if !ids.is_empty() => {
                    let id = ids[pick % ids.len()];
                    laptops[laptop].store.update(id, obj(json!({"name": format!("Jauns nosaukums {name}")}))).unwrap();
                }
                Op::Delete { laptop, pick } if !ids.is_empty() => {
                    laptops[laptop].store.delete(ids[pick % ids.len()]).unwrap();
                }
                Op::Restore { laptop, pick } if !ids.is_empty() => {
                    laptops[laptop].store.restore(ids[pick % ids.len()]).unwrap();
                }
                Op::Tick { laptop, ms } => laptops[laptop].clock.advance(ms),
                _ => {}
            }
        }
        // Deliver: each laptop's whole outbox to each other laptop, in a shuffled order
        // of single-field pages, every third page twice.
        let outboxes: Vec<Vec<RemoteField>> = laptops.iter().map(|l| outbox_of(&l.store)).collect();
        let mut state = seed | 1;
        for (to, laptop) in laptops.iter_mut().enumerate() {
            let mut pages: Vec<&RemoteField> = outboxes.iter().enumerate().filter(|(from, _)| *from != to).flat_map(|(_, o)| o).collect();
            for i in (1..pages.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                pages.swap(i, (state % (i as u64 + 1)) as usize);
            }
            for (n, field) in pages.iter().enumerate() {
                let times = if n % 3 == 0 { 2 } else { 1 };
                for _ in 0..times {
                    laptop.store.apply_remote(std::slice::from_ref(*field), n as u64).unwrap();
                }
            }
        }
        for other in &laptops[1..] {
            same_records(&laptops[0].store, &other.store, &ids);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A pulled record taken from the text its values arrived in leaves the store as the
    /// same record taken from its values read into a map (the last of a repeated field
    /// winning): valid or not, with empty, repeated and meta fields, stamped once or
    /// twice, new here or known from an earlier pull. A text naming a field twice takes
    /// the merge field by field where its map is taken whole: the fast path equals the
    /// general one.
    #[test]
    fn a_record_taken_from_its_texts_equals_one_taken_from_its_values(
        picks in proptest::collection::vec((0usize..9, 0usize..4), 1..12),
        two_stamps in any::<bool>(),
        known in any::<bool>(),
    ) {
        use saite_domain::{DeviceId, Hlc, RecordId};
        use saite_protocol::{FieldValues, PulledRecord};
        let fields = [
            ("title", json!("Seminārs \"Drošā māja\"")), ("kind", json!("seminar")), ("date", json!("2015-05-12")),
            ("municipality", json!("daugavpils")), ("notes", json!("Piezīmes\npar darbu ārzemēs")), ("endDate", json!(null)),
            ("participants", json!({"youth": 3})), ("_deleted", json!(true)), ("colour", json!("red")),
        ];
        let others = [json!(null), json!(""), json!(12)];
        let device = DeviceId::from_uuid(uuid::Uuid::from_u128(9));
        let (early, late) = (Hlc { wall_ms: 1_700_000_000_000, counter: 0, device }, Hlc { wall_ms: 1_700_000_000_900, counter: 1, device });
        let stamp_of = |field: &str| if two_stamps && field == "notes" { late } else { early };
        let record = RecordId::from_uuid(uuid::Uuid::from_u128(0x0190_f3c2_7d4e_7000_8000_0000_0000_0001));
        let sent: Vec<(&str, serde_json::Value)> =
            picks.iter().map(|&(f, v)| (fields[f].0, if v == 0 { fields[f].1.clone() } else { others[v - 1].clone() })).collect();
        let text = format!("{{{}}}", sent.iter().map(|(f, v)| format!("{}:{v}", json!(f))).collect::<Vec<_>>().join(","));
        let as_map: std::collections::BTreeMap<&str, serde_json::Value> = sent.iter().cloned().collect();
        let values = PulledRecord::of_fields(
            record,
            Collection::Seminar,
            as_map.iter().map(|(f, v)| ((*f).to_owned(), v.clone(), stamp_of(f))),
        );
        let stamps = if two_stamps && as_map.contains_key("notes") { [("notes".to_owned(), late)].into() } else { Default::default() };
        let texts = PulledRecord {
            record,
            collection: Collection::Seminar,
            fields: FieldValues::Stored(serde_json::value::RawValue::from_string(text).unwrap()),
            hlc: early,
            stamps,
        };
        let (mut by_values, mut by_texts) = (new_store(), new_store());
        if known {
            // An earlier version of the record, pulled into both.
            let earlier = Hlc { wall_ms: 1_600_000_000_000, ..early };
            let first = PulledRecord::of_fields(
                record,
                Collection::Seminar,
                [("title", json!("Agrāk")), ("kind", json!("seminar")), ("date", json!("2015-05-01")), ("municipality", json!("riga"))]
                    .into_iter()
                    .map(|(field, value)| (field.to_owned(), value, earlier)),
            );
            by_values.store.apply_pulled(vec![first.clone()], 1).unwrap();
            by_texts.store.apply_pulled(vec![first], 1).unwrap();
        }
        let applied_values = by_values.store.apply_pulled(vec![values], 2).unwrap();
        let prepared = saite_store::prepare_pulled(vec![texts]).unwrap();
        prop_assert_eq!(prepared.field_count(), as_map.len() as u64);
        prop_assert_eq!(prepared.trashed().len(), usize::from(as_map.get("_deleted") == Some(&json!(true))));
        let applied_texts = by_texts.store.apply_prepared(prepared, 2).unwrap();
        prop_assert_eq!(applied_values, applied_texts);
        let (a, b) = (&by_values.store, &by_texts.store);
        let (ra, rb) = (a.get(record).unwrap(), b.get(record).unwrap());
        prop_assert_eq!(ra.map(|r| (r.document, r.deleted)), rb.map(|r| (r.document, r.deleted)));
        prop_assert_eq!(a.local_checksums().unwrap(), b.local_checksums().unwrap());
        prop_assert_eq!(b.local_checksums().unwrap(), b.recompute_local_checksums().unwrap());
        // The same list keys (a number where a list key's text belongs reads back as text
        // either way: such a record is invalid, and listed by the text).
        prop_assert_eq!(a.stale_list_keys().unwrap(), b.stale_list_keys().unwrap());
        prop_assert_eq!(a.history(record).unwrap().len(), b.history(record).unwrap().len());
        let found = |s: &Store| s.search("drosa maja", 5).unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>();
        prop_assert_eq!(found(&by_values.store), found(&by_texts.store));
    }
}

#[test]
fn pages_from_another_collection_for_a_known_id_are_refused_whole() {
    let mut a = new_store();
    let org = organisation(&mut a.store, "O", "riga");
    let bogus = RemoteField {
        record: org,
        collection: Collection::Seminar,
        field: "title".into(),
        value: json!("X"),
        hlc: a.store.outbox_page(0, 1).unwrap()[0].hlc,
    };
    let before = a.store.get(org).unwrap();
    assert!(a.store.apply_remote(&[bogus], 99).is_err());
    assert_eq!(a.store.get(org).unwrap(), before);
    assert_eq!(a.store.pull_cursor().unwrap(), 0, "nothing of the page, not even the cursor");
}

#[test]
fn an_edit_after_a_delete_elsewhere_restores_the_record_and_an_older_one_does_not() {
    for edit_is_later in [true, false] {
        let mut a = new_store();
        let mut b = new_store();
        let org = organisation(&mut a.store, "Valmieras jauniešu centrs", "valmieras-novads");
        b.store.apply_remote(&outbox_of(&a.store), 1).unwrap();
        a.store.ack_outbox(i64::MAX).unwrap();
        // Offline: a deletes it; b, not knowing, adds a phone.
        let (delete_at, edit_at) = if edit_is_later { (1_000, 5_000) } else { (5_000, 1_000) };
        a.clock.advance(delete_at);
        a.store.delete(org).unwrap();
        b.clock.advance(edit_at);
        b.store.update(org, obj(json!({"phones": ["+37164200000"]}))).unwrap();
        let (from_a, from_b) = (outbox_of(&a.store), outbox_of(&b.store));
        a.store.apply_remote(&from_b, 2).unwrap();
        b.store.apply_remote(&from_a, 2).unwrap();
        same_records(&a.store, &b.store, &[org]);
        let rec = a.store.get(org).unwrap().unwrap();
        assert_eq!(rec.deleted, !edit_is_later, "edit later than the delete: {edit_is_later}");
        assert_eq!(rec.document["phones"], json!(["+37164200000"]), "the edit is kept either way");
        assert!(a.store.history(org).unwrap().iter().any(|h| h.field == "_deleted"), "the delete stays in history");
        assert_eq!(a.store.search("valmieras jauniesu", 5).unwrap().len(), usize::from(edit_is_later));
    }
}

#[test]
fn a_text_edited_while_its_push_was_under_way_keeps_the_pushed_text_as_its_base() {
    let mut a = new_store();
    let mut b = new_store();
    let sem = seminar(&mut a.store, "Apaļais galds Daugavpilī", "daugavpils", "2014-03-01");
    a.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 12.\nTēma: darbs ārzemēs.\nNākamā tikšanās: maijā."})))
        .unwrap();
    // a's push is read and sent; while the server stores it, the notes are edited again.
    let pushed = a.store.outbox_page(0, 100).unwrap();
    let sent = outbox_of(&a.store);
    a.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 12.\nTēma: darbs ārzemēs.\nNākamā tikšanās: jūnijā."})))
        .unwrap();
    let last = pushed.last().unwrap().device_seq;
    let changes = pushed.iter().map(|e| e.device_seq).collect::<std::collections::BTreeSet<_>>().len() as u64;
    let (_, skipped) = a.store.settle_push(last, Some((0, changes)), last, &pushed).unwrap();
    assert!(skipped, "the cursor stood where the push's server seqs began");
    assert_eq!(a.store.outbox_len().unwrap(), 1, "the newer notes wait to be pushed");
    // b takes the pushed version and edits another line of it.
    b.store.apply_remote(&sent, changes).unwrap();
    b.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 14.\nTēma: darbs ārzemēs.\nNākamā tikšanās: maijā."})))
        .unwrap();
    let from_b: Vec<RemoteField> = outbox_of(&b.store).into_iter().filter(|f| f.field == "notes").collect();
    // a merges b's edit against the version it pushed (not the one it holds now): both
    // edits are kept.
    a.store.apply_remote(&from_b, changes + 1).unwrap();
    assert_eq!(
        a.store.get(sem).unwrap().unwrap().document["notes"],
        json!("Dalībnieki: 14.\nTēma: darbs ārzemēs.\nNākamā tikšanās: jūnijā.")
    );
}

#[test]
fn a_text_kept_in_a_conflict_keeps_its_new_stamp_beside_the_fields_taken_with_it() {
    let (mut a, mut b) = (new_store(), new_store());
    let sem =
        notes_on_both(&mut a.store, &mut b.store, "Apaļais galds Rēzeknē", "Dalībnieki: 12.\nTēma: darbs ārzemēs.");
    a.store.update(sem, obj(json!({"notes": "Dalībnieki: 14.\nTēma: darbs ārzemēs."}))).unwrap();
    // b changes the same line and the venue in one write.
    b.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 15.\nTēma: darbs ārzemēs.", "venue": "Rēzeknes bibliotēka"})))
        .unwrap();
    let from_b: Vec<RemoteField> =
        outbox_of(&b.store).into_iter().filter(|f| f.field == "notes" || f.field == "venue").collect();
    a.store.apply_remote(&from_b, 2).unwrap();
    let doc = a.store.get(sem).unwrap().unwrap().document;
    assert_eq!(
        (doc["notes"].clone(), doc["venue"].clone()),
        (json!("Dalībnieki: 14.\nTēma: darbs ārzemēs."), json!("Rēzeknes bibliotēka"))
    );
    assert_eq!(a.store.text_conflict_count().unwrap(), 1);
    // a's text goes again with a new stamp, later than b's: the record holds that stamp.
    let queued = a.store.outbox_page(0, 10).unwrap();
    let notes = queued.iter().rfind(|e| e.field == "notes").unwrap();
    assert!(notes.hlc > from_b[0].hlc);
    assert_eq!(
        a.store.local_checksums().unwrap(),
        a.store.recompute_local_checksums().unwrap(),
        "kept sums follow the stamps"
    );
}

#[test]
fn a_pulled_text_updated_elsewhere_is_taken_as_is_with_no_base_stored_before() {
    let (mut a, mut b) = (new_store(), new_store());
    // b takes the notes in with the record: their base is themselves, stored as no row.
    let sem = notes_on_both(&mut a.store, &mut b.store, "Seminārs Cēsīs", "Dalībnieki: 12.\nTēma: darbs ārzemēs.");
    // a edits two lines; b has not touched the notes, so takes a's text as is (against
    // no base, the two texts would meet as a conflict).
    a.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 14.\nTēma: drošs darbs ārzemēs.\nNākamā tikšanās: maijā."})))
        .unwrap();
    b.store.apply_remote(&outbox_of(&a.store), 2).unwrap();
    let taken = json!("Dalībnieki: 14.\nTēma: drošs darbs ārzemēs.\nNākamā tikšanās: maijā.");
    assert_eq!(b.store.get(sem).unwrap().unwrap().document["notes"], taken);
    assert_eq!(b.store.text_conflict_count().unwrap(), 0);
    assert_eq!(b.store.outbox_len().unwrap(), 0, "nothing of b's to send");
    // b then edits one line and a another: merged against the text both held.
    a.store.ack_outbox(i64::MAX).unwrap();
    b.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 14.\nTēma: drošs darbs ārzemēs.\nNākamā tikšanās: jūnijā."})))
        .unwrap();
    a.store
        .update(sem, obj(json!({"notes": "Dalībnieki: 16.\nTēma: drošs darbs ārzemēs.\nNākamā tikšanās: maijā."})))
        .unwrap();
    b.store.apply_remote(&outbox_of(&a.store), 3).unwrap();
    assert_eq!(
        b.store.get(sem).unwrap().unwrap().document["notes"],
        json!("Dalībnieki: 16.\nTēma: drošs darbs ārzemēs.\nNākamā tikšanās: jūnijā.")
    );
}

/// One pulled record for [`pages_applied_together_leave_what_pages_applied_one_by_one_do`]:
/// (which of four seminars, which fields with which of two values, stamp's milliseconds).
type PulledPick = (usize, Vec<(usize, bool)>, u64);

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The sync engine applies the pages waiting for the writer together, appended into
    /// one page and one transaction ([`saite_store::PreparedPage::append`]). Whatever the
    /// pages (a record whole in one, its fields spread over several, a field stamped
    /// older than the one stored, trashed and restored) and however they are grouped,
    /// the store ends as when each page was applied in its own transaction.
    #[test]
    fn pages_applied_together_leave_what_pages_applied_one_by_one_do(
        pages in proptest::collection::vec(proptest::collection::vec(
            (0usize..4, proptest::collection::vec((0usize..6, any::<bool>()), 1..6), 0u64..50),
            1..5,
        ), 1..8),
        groups in proptest::collection::vec(1usize..4, 8),
    ) {
        use saite_domain::{DeviceId, Hlc, RecordId};
        use saite_protocol::{FieldValues, PulledRecord};
        let device = DeviceId::from_uuid(uuid::Uuid::from_u128(7));
        let ids: Vec<RecordId> =
            (0..4u128).map(|i| RecordId::from_uuid(uuid::Uuid::from_u128(0x0190_f3c2_7d4e_7000_8000_0000_0000_0000 + i))).collect();
        let field = |f: usize, second: bool| -> (&'static str, serde_json::Value) {
            match (f, second) {
                (0, false) => ("title", json!("Seminārs par drošību")),
                (0, true) => ("title", json!("Apaļais galds Rēzeknē")),
                (1, _) => ("kind", json!(if second { "round-table" } else { "seminar" })),
                (2, _) => ("date", json!(if second { "2016-01-02" } else { "2015-05-12" })),
                (3, _) => ("municipality", json!(if second { "rezekne" } else { "daugavpils" })),
                (4, _) => ("notes", json!(if second { "Otrās piezīmes" } else { "Piezīmes par darbu ārzemēs" })),
                _ => ("_deleted", json!(second)),
            }
        };
        // Each page's records as the server sends them (one stamp a record).
        let texts = |page: &[PulledPick]| -> Vec<PulledRecord> {
            page.iter()
                .map(|(record, fields, ms)| {
                    let values: serde_json::Map<String, serde_json::Value> =
                        fields.iter().map(|&(f, second)| field(f, second)).map(|(f, v)| (f.to_owned(), v)).collect();
                    PulledRecord {
                        record: ids[*record],
                        collection: Collection::Seminar,
                        fields: FieldValues::Stored(serde_json::value::to_raw_value(&values).unwrap()),
                        hlc: Hlc { wall_ms: 1_700_000_000_000 + ms, counter: 0, device },
                        stamps: Default::default(),
                    }
                })
                .collect()
        };
        let add = |total: &mut saite_store::Applied, a: saite_store::Applied| {
            total.new_records += a.new_records;
            total.changed += a.changed;
            total.unchanged += a.unchanged;
        };
        let (mut one_by_one, mut together) = (new_store(), new_store());
        let mut applied_one_by_one = saite_store::Applied::default();
        for (n, page) in pages.iter().enumerate() {
            let a = one_by_one.store.apply_prepared(saite_store::prepare_pulled(texts(page)).unwrap(), n as u64 + 1).unwrap();
            add(&mut applied_one_by_one, a);
        }
        let mut applied_together = saite_store::Applied::default();
        let (mut next, mut group) = (0, groups.iter().cycle());
        while next < pages.len() {
            let end = (next + group.next().unwrap()).min(pages.len());
            let mut joined = saite_store::prepare_pulled(texts(&pages[next])).unwrap();
            for page in &pages[next + 1..end] {
                joined.append(saite_store::prepare_pulled(texts(page)).unwrap());
            }
            add(&mut applied_together, together.store.apply_prepared(joined, end as u64).unwrap());
            next = end;
        }
        prop_assert_eq!(applied_one_by_one, applied_together);
        let (a, b) = (&one_by_one.store, &together.store);
        prop_assert_eq!(a.pull_cursor().unwrap(), b.pull_cursor().unwrap());
        for id in &ids {
            let (ra, rb) = (a.get(*id).unwrap(), b.get(*id).unwrap());
            prop_assert_eq!(ra.map(|r| (r.document, r.deleted)), rb.map(|r| (r.document, r.deleted)));
            prop_assert_eq!(a.history(*id).unwrap().len(), b.history(*id).unwrap().len());
        }
        prop_assert_eq!(a.local_checksums().unwrap(), b.local_checksums().unwrap());
        prop_assert_eq!(b.local_checksums().unwrap(), b.recompute_local_checksums().unwrap());
        prop_assert_eq!(a.stale_list_keys().unwrap(), b.stale_list_keys().unwrap());
        let found = |s: &Store| s.search("drosibu", 5).unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>();
        prop_assert_eq!(found(a), found(b));
    }
}

/// A laptop whose clock ran three days ahead: its waiting changes get the server's time,
/// later than everything it keeps (its acknowledged edits, a colleague's pulled one,
/// both a little ahead of the server, as the server allows), rising in outbox order; the
/// records' stamps, their history and the local checksums follow, and a colleague who
/// takes the re-stamped changes in holds the same records.
#[test]
fn changes_a_wrong_clock_stamped_ahead_get_the_servers_time() {
    const HOUR: u64 = 3_600_000;
    let server_now = T0;
    let mut a = new_store();
    let mut b = new_store();
    // Kept: a's own edit, acknowledged, and b's pulled in; both an hour ahead of the server.
    a.clock.set(server_now + HOUR);
    let org = organisation(&mut a.store, "NVA Daugavpils filiāle", "daugavpils");
    b.store.apply_remote(&outbox_of(&a.store), 1).unwrap();
    a.store.ack_outbox(i64::MAX).unwrap();
    b.clock.set(server_now + HOUR + 1);
    b.store.update(org, obj(json!({"address": "Cietokšņa iela 60"}))).unwrap();
    a.store.apply_remote(&outbox_of(&b.store), 2).unwrap();
    let kept = outbox_of(&b.store)[0].hlc;
    // Then a's clock runs three days ahead.
    a.clock.set(server_now + 72 * HOUR);
    let sem = seminar(&mut a.store, "Apaļais galds", "daugavpils", "2014-03-01");
    a.store.update(sem, obj(json!({"venue": "Kultūras nams"}))).unwrap();
    a.store.update(org, obj(json!({"phones": ["+37165400000"]}))).unwrap();
    let before: Vec<_> = outbox_of(&a.store);
    assert!(before.iter().all(|f| f.hlc.wall_ms == server_now + 72 * HOUR));

    assert_eq!(a.store.restamp_ahead(server_now, 0).unwrap(), 3, "three changes waiting");
    let after = outbox_of(&a.store);
    assert_eq!(after.len(), before.len());
    let changes: Vec<saite_domain::Hlc> = a.store.outbox_changes(0, 100).unwrap().iter().map(|c| c.hlc).collect();
    assert!(changes.windows(2).all(|w| w[0] < w[1]), "rising in outbox order: {changes:?}");
    for (old, new) in before.iter().zip(&after) {
        assert_eq!((old.record, &old.field, &old.value), (new.record, &new.field, &new.value));
        assert!(
            new.hlc > kept && (new.hlc.wall_ms, new.hlc.counter) > (kept.wall_ms, kept.counter),
            "{} after {kept}",
            new.hlc
        );
        assert!(new.hlc.wall_ms <= server_now + HOUR + 1, "by the server's time, not the laptop's: {}", new.hlc);
        assert_eq!(new.hlc.device, old.hlc.device);
    }
    // The records' stamps, history and checksums follow.
    assert_eq!(a.store.local_checksums().unwrap(), a.store.recompute_local_checksums().unwrap());
    for h in a.store.history(sem).unwrap() {
        assert!(after.iter().any(|f| f.hlc.to_string() == h.hlc), "history of {} at {}", h.field, h.hlc);
    }
    // A colleague taking the changes in holds the same records.
    b.store.apply_remote(&after, 3).unwrap();
    same_records(&a.store, &b.store, &[org, sem]);
    // A later edit is stamped after them (the laptop's clock is still wrong: ahead again).
    a.store.update(sem, obj(json!({"venue": "Biedrības zāle"}))).unwrap();
    assert!(outbox_of(&a.store).last().unwrap().hlc > after.last().unwrap().hlc);
    // Nothing ahead: nothing to do.
    let mut c = new_store();
    organisation(&mut c.store, "Cita", "riga");
    assert_eq!(c.store.restamp_ahead(T0, 0).unwrap(), 0);
}

/// Changes the server has applied (up to the seq its refusal names) keep their stamps
/// when the rest is stamped again: the server holds them so.
#[test]
fn changes_the_server_applied_keep_their_stamps() {
    const HOUR: u64 = 3_600_000;
    let mut a = new_store();
    a.clock.set(T0 + 2 * HOUR);
    let org = organisation(&mut a.store, "NVA", "riga");
    let applied = a.store.outbox_changes(0, 10).unwrap().last().unwrap().device_seq;
    a.clock.set(T0 + 72 * HOUR);
    a.store.update(org, obj(json!({"address": "Rīgas iela 1"}))).unwrap();
    let before = a.store.outbox_changes(0, 10).unwrap();
    assert_eq!(a.store.restamp_ahead(T0, applied).unwrap(), 1, "only the change after the applied seq");
    let after = a.store.outbox_changes(0, 10).unwrap();
    assert_eq!(after[0].hlc, before[0].hlc, "applied: as the server holds it");
    assert!(after[1].hlc > after[0].hlc && after[1].hlc.wall_ms <= T0 + 2 * HOUR + 1, "{}", after[1].hlc);
    assert_eq!(a.store.local_checksums().unwrap(), a.store.recompute_local_checksums().unwrap());
}
