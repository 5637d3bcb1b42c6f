//! At rest the store is ciphertext, and only the right passphrase opens it.

mod common;

use std::{fs, path::Path, sync::Arc};

use common::*;
use saite_domain::{Collection, ManualClock};
use saite_store::{
    Store, StoreError, StoreStatus,
    key::{KdfParams, KeyFile, PageHmac},
};
use serde_json::json;

fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

const NAME: &str = "Patvērums Drošā māja Zalcmane";
const SECRETS: [&str; 7] = [NAME, "Zalcmane", "Drošā", "drosa maa", "zalcmane", "28612120", "Uzticības"];

fn assert_opaque(dir: &Path, phase: &str) {
    let files = all_bytes(dir);
    assert!(files.iter().any(|(n, _)| n == "store.db"), "{phase}: no store.db");
    for (file, bytes) in &files {
        assert!(!contains(bytes, b"SQLite format 3"), "{phase}: {file} has the SQLite header");
        for needle in SECRETS {
            assert!(!contains(bytes, needle.as_bytes()), "{phase}: {file} contains {needle:?}");
        }
    }
}

#[test]
fn the_files_on_disk_hold_no_header_and_no_stored_name() {
    let mut t = new_store();
    t.store
        .create(
            Collection::Organisation,
            obj(json!({"name": NAME, "kind": "ngo", "notes": "Uzticības tālrunis 28612120", "phones": ["+37128612120"]})),
        )
        .unwrap();
    // While open, the write-ahead log holds the change; after closing, the database.
    assert_opaque(t.dir.path(), "open");
    let TestStore { dir, store, .. } = t;
    drop(store);
    assert_opaque(dir.path(), "closed");
}

#[test]
fn the_right_passphrase_reopens_the_data() {
    let mut t = new_store();
    let id = organisation(&mut t.store, "NVA Daugavpils filiāle", "daugavpils");
    let device = t.store.device_id();
    let TestStore { dir, clock, store } = t;
    drop(store);
    assert_eq!(Store::status(dir.path()), StoreStatus::Locked);
    let reopened = Store::open(dir.path(), "pareiza parole", clock, "Sandra").unwrap();
    assert_eq!(reopened.get(id).unwrap().unwrap().label, "NVA Daugavpils filiāle");
    assert_eq!(reopened.device_id(), device, "the device keeps its id");
}

#[test]
fn a_wrong_passphrase_is_refused_without_touching_the_data() {
    let mut t = new_store();
    organisation(&mut t.store, "NVA Rēzeknes filiāle", "rezekne");
    let TestStore { dir, clock, store } = t;
    drop(store);
    let before = all_bytes(dir.path());
    for wrong in ["nepareiza parole", "", "Pareiza parole"] {
        let err = Store::open(dir.path(), wrong, clock.clone(), "x").unwrap_err();
        assert!(matches!(err, StoreError::WrongPassphrase), "{wrong:?}: {err:?}");
    }
    assert_eq!(all_bytes(dir.path()), before, "no file changed");
}

#[test]
fn changing_the_passphrase_keeps_the_data() {
    let mut t = new_store();
    let id = organisation(&mut t.store, "Valmieras jauniešu centrs", "valmieras-novads");
    t.store.change_passphrase("pareiza parole", "jauna parole").unwrap();
    assert!(matches!(t.store.change_passphrase("bad", "x"), Err(StoreError::WrongPassphrase)));
    let TestStore { dir, clock, store } = t;
    drop(store);
    assert!(matches!(Store::open(dir.path(), "pareiza parole", clock.clone(), "x"), Err(StoreError::WrongPassphrase)));
    let s = Store::open(dir.path(), "jauna parole", clock, "x").unwrap();
    assert!(s.get(id).unwrap().is_some());
}

#[test]
fn a_folder_has_one_store() {
    let t = new_store();
    let again = Store::initialize(t.dir.path(), "x", KdfParams::FAST_FOR_TESTS, t.clock.clone(), "x");
    assert!(matches!(again, Err(StoreError::AlreadyExists)));
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(Store::status(empty.path()), StoreStatus::NotCreated);
    let clock = Arc::new(ManualClock::at(T0));
    assert!(matches!(Store::open(empty.path(), "x", clock.clone(), "x"), Err(StoreError::NotCreated)));
    assert!(matches!(
        Store::initialize(empty.path(), "", KdfParams::FAST_FOR_TESTS, clock, "x"),
        Err(StoreError::EmptyPassphrase)
    ));
}

#[test]
fn shredding_removes_the_key_first_and_leaves_no_store_behind() {
    let mut t = new_store();
    organisation(&mut t.store, "Biedrība Patvērums „Drošā māja”", "riga");
    t.store.checkpoint().unwrap();
    let dir = t.dir.path().to_owned();
    let files = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("store."))
            .collect()
    };
    assert!(!files(&dir).is_empty());
    t.store.shred().unwrap();
    assert_eq!(files(&dir), Vec::<String>::new(), "neither the key nor any database file remains");
    assert_eq!(saite_store::Store::status(&dir), saite_store::StoreStatus::NotCreated);
    assert!(matches!(
        saite_store::Store::open(&dir, "pareiza parole", t.clock.clone(), "Sandra"),
        Err(saite_store::StoreError::NotCreated)
    ));
    // The folder can start again from first run; shredding an empty folder is harmless.
    saite_store::Store::shred_folder(&dir).unwrap();
    saite_store::Store::initialize(
        &dir,
        "jauna parole",
        saite_store::key::KdfParams::FAST_FOR_TESTS,
        t.clock.clone(),
        "Sandra",
    )
    .unwrap();
}

/// New stores authenticate their pages with HMAC-SHA256 (key file format 2); stores made
/// before, with SQLCipher's default HMAC-SHA512 (format 1), still open and keep theirs,
/// also across a passphrase change. The key file's format is what decides: read with
/// the other HMAC, the same database does not open.
#[test]
fn each_store_keeps_the_page_hmac_it_was_made_with() {
    for (page_hmac, format, algorithm, other_format) in
        [(PageHmac::Sha256, 2, "HMAC_SHA256", 1), (PageHmac::Sha512, 1, "HMAC_SHA512", 2)]
    {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(T0));
        let made = KeyFile::create_with("pareiza parole", KdfParams::FAST_FOR_TESTS, page_hmac).unwrap();
        let mut store = Store::initialize_with(dir.path(), made, clock.clone(), "Sandra").unwrap();
        assert_eq!(store.page_hmac_algorithm().unwrap(), algorithm);
        let id = organisation(&mut store, NAME, "riga");
        store.change_passphrase("pareiza parole", "jauna parole").unwrap();
        drop(store);
        assert_opaque(dir.path(), algorithm);
        let key_path = dir.path().join("store.key");
        assert_eq!(KeyFile::read(&key_path).unwrap().format, format, "{algorithm}");

        let store = Store::open(dir.path(), "jauna parole", clock.clone(), "Sandra").unwrap();
        assert_eq!(store.page_hmac_algorithm().unwrap(), algorithm);
        assert_eq!(store.get(id).unwrap().unwrap().label, NAME);
        drop(store);

        let mut swapped = KeyFile::read(&key_path).unwrap();
        swapped.format = other_format;
        swapped.write(&key_path).unwrap();
        let err = Store::open(dir.path(), "jauna parole", clock, "Sandra").unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{algorithm} read as format {other_format}: {err:?}");
    }
    let (file, _) = KeyFile::create("parole", KdfParams::FAST_FOR_TESTS).unwrap();
    assert_eq!(file.format, 2, "a new store's key file");
}
