//! Backups on a stick: made, found, restored as a new device, and refused when the
//! passphrase is wrong or a byte was changed, with the folder left as it was.

mod common;

use std::{fs, path::Path, sync::Arc};

use common::*;
use saite_domain::{Collection, ManualClock, RecordId};
use saite_store::{
    Store, StoreError, StoreStatus,
    backup::{self, MAGIC},
    key::KdfParams,
};
use serde_json::{Value, json};

const BACKUP_PASS: &str = "zibatmiņa Rēzeknē";

fn doc(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// A store with records, history, an attachment, some changes acknowledged and some
/// still waiting.
fn filled() -> (TestStore, Vec<RecordId>) {
    let mut t = new_store();
    let org =
        t.store.create(Collection::Organisation, doc(json!({"name": "Daugavpils NVA", "kind": "ngo"}))).unwrap().id;
    t.clock.advance(1_000);
    t.store.update(org, doc(json!({"name": "Daugavpils novada NVA", "kind": "ngo"}))).unwrap();
    let synced = t.store.outbox_extent().unwrap().1;
    t.store.ack_outbox(synced).unwrap();
    t.clock.advance(1_000);
    let person = t
        .store
        .create(
            Collection::Person,
            doc(json!({
                "fullName": "Inese Kalniņa",
                "organisation": org.to_string(),
                "legalBasis": "consent",
                "basisConfirmedOn": "2012-11-09"
            })),
        )
        .unwrap()
        .id;
    let file = t.store.attach(org, "programma.pdf", "application/pdf", b"%PDF-1.4 seminar programme").unwrap();
    t.clock.advance(1_000);
    (t, vec![org, person, file])
}

fn restore(dir: &Path, file: &Path, passphrase: &str) -> saite_store::Result<Store> {
    Store::restore_backup(
        dir,
        file,
        passphrase,
        KdfParams::FAST_FOR_TESTS,
        Arc::new(ManualClock::at(T0 + 86_400_000)),
        "Sandra",
        |_| Ok(()),
    )
}

fn assert_no_store(dir: &Path) {
    assert_eq!(Store::status(dir), StoreStatus::NotCreated);
    let left: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "the folder is left as it was: {left:?}");
}

#[test]
fn a_backup_restores_everything_as_a_new_device() {
    let (t, ids) = filled();
    let export = saite_protocol::EventDetail { file: Some("Pasākumi.csv".into()), ..Default::default() };
    t.store.note_event(saite_protocol::DeviceEventAction::Export, &export).unwrap();
    let stick = tempfile::tempdir().unwrap();
    let made = t.store.back_up(stick.path(), BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &[]).unwrap();
    assert_eq!(made.records, 3);
    assert_eq!(made.unsynced, t.store.outbox_len().unwrap());
    assert!(made.path.ends_with(".saite-backup") && Path::new(&made.path).exists());
    assert_eq!(fs::metadata(&made.path).unwrap().len(), made.bytes);
    let bytes = fs::read(&made.path).unwrap();
    assert!(bytes.starts_with(MAGIC));
    for clear in ["Daugavpils", "Inese", "PDF-1.4", "SQLite format"] {
        assert!(!bytes.windows(clear.len()).any(|w| w == clear.as_bytes()), "{clear} is not readable in the file");
    }
    assert_eq!(backup::backups_in([stick.path(), stick.path()]).len(), 1, "each file once");

    let laptop = tempfile::tempdir().unwrap();
    let restored = restore(laptop.path(), Path::new(&made.path), BACKUP_PASS).unwrap();
    for id in &ids {
        let (a, b) = (t.store.get(*id).unwrap().unwrap(), restored.get(*id).unwrap().unwrap());
        assert_eq!(a.document, b.document, "{id}");
        assert_eq!(t.store.history(*id).unwrap().len(), restored.history(*id).unwrap().len(), "{id}: history");
    }
    assert_eq!(restored.attachment_file(ids[2]).unwrap().1, b"%PDF-1.4 seminar programme");
    assert_eq!(restored.search("daugavpils", 10).unwrap().len(), 1, "the search index came along");

    // A new device: the waiting changes keep their times but name it, and count as
    // never pushed.
    assert_ne!(restored.device_id(), t.store.device_id());
    let (before, after) = (t.store.outbox_page(0, 1000).unwrap(), restored.outbox_page(0, 1000).unwrap());
    assert_eq!(before.len(), after.len());
    assert!(!after.is_empty());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (b.record_id, &b.field, &b.value, b.hlc.wall_ms, b.hlc.counter),
            (a.record_id, &a.field, &a.value, a.hlc.wall_ms, a.hlc.counter)
        );
        assert_eq!(a.hlc.device, restored.device_id());
    }
    assert_eq!(restored.acked_outbox_seq().unwrap(), 0);
    let waiting = restored.waiting_events(10).unwrap();
    let old = t.store.device_id().to_string();
    assert_eq!(
        waiting[0].detail,
        saite_protocol::EventDetail { restored_from: Some(old), ..export },
        "its origin told"
    );
    assert_eq!(restored.local_checksums().unwrap(), restored.recompute_local_checksums().unwrap(), "checksums follow");
    assert_eq!(restored.oldest_unprotected_change_ms().unwrap(), None, "what waits is on the stick");
    assert_eq!(restored.last_backup_ms().unwrap(), Some(made.made_at_ms));
    drop(restored);

    // It opens with the backup's passphrase, and its new stamps come after every old one.
    let mut again =
        Store::open(laptop.path(), BACKUP_PASS, Arc::new(ManualClock::at(T0 + 86_400_000)), "Sandra").unwrap();
    let latest = again.outbox_page(0, 1000).unwrap().iter().map(|e| e.hlc).max().unwrap();
    again.update(ids[0], doc(json!({"name": "Daugavpils NVA “Saite”", "kind": "ngo"}))).unwrap();
    let edit = again.outbox_page(0, 1000).unwrap().into_iter().last().unwrap();
    assert!(edit.hlc > latest && edit.hlc.device == again.device_id());
}

#[test]
fn the_backup_notes_what_it_holds_and_the_reminder_counts_only_the_rest() {
    let (mut t, ids) = filled();
    let oldest = t.store.outbox_page(0, 1000).unwrap()[0].hlc.wall_ms;
    assert_eq!(t.store.oldest_unprotected_change_ms().unwrap(), Some(oldest));
    assert_eq!(t.store.last_backup_ms().unwrap(), None);
    let stick = tempfile::tempdir().unwrap();
    let made = t.store.back_up(stick.path(), BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &[]).unwrap();
    assert_eq!(t.store.last_backup_ms().unwrap(), Some(made.made_at_ms));
    assert_eq!(t.store.oldest_unprotected_change_ms().unwrap(), None);
    t.clock.advance(60_000);
    t.store.update(ids[0], doc(json!({"name": "Pēc kopijas", "kind": "ngo"}))).unwrap();
    assert_eq!(t.store.oldest_unprotected_change_ms().unwrap(), Some(T0 + 3_000 + 60_000));
}

#[test]
fn a_wrong_passphrase_or_a_changed_byte_restores_nothing() {
    let (t, _) = filled();
    let stick = tempfile::tempdir().unwrap();
    let made = t.store.back_up(stick.path(), BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &[]).unwrap();
    let good = fs::read(&made.path).unwrap();
    let laptop = tempfile::tempdir().unwrap();

    assert!(matches!(restore(laptop.path(), Path::new(&made.path), "cita parole"), Err(StoreError::WrongPassphrase)));
    assert_no_store(laptop.path());

    let header_len = u32::from_le_bytes(good[16..20].try_into().unwrap()) as usize;
    let altered = stick.path().join("altered.saite-backup");
    // A byte of the database copy, the last byte, the readable time, and the file cut short.
    let copy_start = 20 + header_len;
    for (what, bytes) in [
        ("a page", {
            let mut b = good.clone();
            b[copy_start + 5000] ^= 1;
            b
        }),
        ("the end", {
            let mut b = good.clone();
            *b.last_mut().unwrap() ^= 0x80;
            b
        }),
        ("cut short", good[..good.len() - 4096].to_vec()),
        ("longer", {
            let mut b = good.clone();
            b.extend_from_slice(&[0; 4096]);
            b
        }),
    ] {
        fs::write(&altered, &bytes).unwrap();
        let result = restore(laptop.path(), &altered, BACKUP_PASS);
        assert!(matches!(result, Err(StoreError::BackupDamaged(_))), "{what}: {result:?}");
        assert_no_store(laptop.path());
    }
    let text = String::from_utf8_lossy(&good[20..copy_start]).to_string();
    let made_at = made.made_at_ms.to_string();
    let later = (made.made_at_ms + 1).to_string();
    assert_eq!(made_at.len(), later.len());
    let mut b = good.clone();
    b[20..copy_start].copy_from_slice(text.replace(&made_at, &later).as_bytes());
    fs::write(&altered, &b).unwrap();
    assert!(
        matches!(restore(laptop.path(), &altered, BACKUP_PASS), Err(StoreError::WrongPassphrase)),
        "the time is sealed too"
    );
    assert_no_store(laptop.path());

    fs::write(&altered, b"SQLite format 3\0 not a backup").unwrap();
    assert!(matches!(restore(laptop.path(), &altered, BACKUP_PASS), Err(StoreError::BackupDamaged(_))));
    assert_eq!(backup::find_backup(&altered), None);
    assert_no_store(laptop.path());

    // The untouched file still restores after all of that.
    restore(laptop.path(), Path::new(&made.path), BACKUP_PASS).unwrap();
}

#[test]
fn a_backup_is_restored_only_where_no_store_is() {
    let (t, _) = filled();
    let stick = tempfile::tempdir().unwrap();
    let made = t.store.back_up(stick.path(), BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &[]).unwrap();
    let other = new_store();
    let result = restore(other.dir.path(), Path::new(&made.path), BACKUP_PASS);
    assert!(matches!(result, Err(StoreError::AlreadyExists)));
    assert_eq!(Store::status(other.dir.path()), StoreStatus::Locked, "the store there is untouched");
    assert!(matches!(
        t.store.back_up(stick.path(), "", KdfParams::FAST_FOR_TESTS, &[]),
        Err(StoreError::EmptyPassphrase)
    ));
    for folder in [Path::new("relative/folder"), &stick.path().join("missing")] {
        let refused = t.store.back_up(folder, BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &[]);
        assert!(matches!(refused, Err(StoreError::BackupFolderUnusable(_))), "{folder:?}: {refused:?}");
    }
    let missing = restore(tempfile::tempdir().unwrap().path(), &stick.path().join("nav.saite-backup"), BACKUP_PASS);
    assert!(matches!(missing, Err(StoreError::BackupUnreadable(_))), "{missing:?}");
}

#[test]
fn the_values_left_out_stay_out_and_partial_files_are_cleared() {
    let (mut t, _) = filled();
    t.store.set_sync_value("account:token", "slepens").unwrap();
    t.store.set_sync_value("account:server", "https://birojs.example.lv").unwrap();
    let stick = tempfile::tempdir().unwrap();
    fs::write(stick.path().join("saite-2026-01-01-000000.saite-backup.partial"), b"cut short").unwrap();
    let made = t.store.back_up(stick.path(), BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &["account:token"]).unwrap();
    let files: Vec<_> = fs::read_dir(stick.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files, [Path::new(&made.path).to_owned()], "the backup alone");
    let laptop = tempfile::tempdir().unwrap();
    let restored = restore(laptop.path(), Path::new(&made.path), BACKUP_PASS).unwrap();
    assert_eq!(restored.sync_value("account:token").unwrap(), None);
    assert_eq!(restored.sync_value("account:server").unwrap().as_deref(), Some("https://birojs.example.lv"));
    assert_eq!(t.store.sync_value("account:token").unwrap().as_deref(), Some("slepens"), "the laptop keeps it");
}

#[test]
fn a_backup_of_a_newer_app_is_refused_before_anything_is_written() {
    let (t, _) = filled();
    let stick = tempfile::tempdir().unwrap();
    let made = t.store.back_up(stick.path(), BACKUP_PASS, KdfParams::FAST_FOR_TESTS, &[]).unwrap();
    let mut bytes = fs::read(&made.path).unwrap();
    let header_len = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
    let header = String::from_utf8(bytes[20..20 + header_len].to_vec()).unwrap();
    let schema = saite_store::schema::latest_version();
    let newer = header.replace(&format!("\"schema\":{schema}"), &format!("\"schema\":{}", schema + 1));
    assert_ne!(newer, header);
    bytes.splice(20..20 + header_len, newer.bytes());
    assert_eq!(newer.len(), header_len);
    fs::write(&made.path, &bytes).unwrap();
    let laptop = tempfile::tempdir().unwrap();
    assert!(matches!(restore(laptop.path(), Path::new(&made.path), BACKUP_PASS), Err(StoreError::BackupTooNew)));
    assert_no_store(laptop.path());
}

#[test]
fn backup_names_sort_by_time() {
    assert_eq!(backup::backup_file_name(T0), "saite-2012-11-09-100000.saite-backup");
    assert!(backup::backup_file_name(T0 + 1000) > backup::backup_file_name(T0));
}
