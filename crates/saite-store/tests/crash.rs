//! The laptop killed while it applies a pulled page (power cut, the app killed): the
//! page and its cursor are one transaction, so after the restart the store holds the
//! page whole or not at all, its kept checksums agree with its stamps, and applying the
//! page again (the next round) gives the same state as an uninterrupted apply.
//!
//! The test runs itself as a child process (`SAITE_CRASH_CHILD` set) that applies large
//! pages in a loop, and kills it with SIGKILL mid-way.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::Arc,
    time::Duration,
};

use common::{ApplyRemote, RemoteField};
use saite_domain::{Collection, DeviceId, Hlc, ManualClock, RecordId};
use saite_store::Store;
use serde_json::json;

const PAGES: u64 = 40;
const RECORDS_PER_PAGE: u128 = 2_000;

/// Page `p` of another laptop's seminars, as pulled (every field of each record).
fn page(p: u64) -> Vec<RemoteField> {
    let device = DeviceId::from_uuid(uuid::Uuid::from_u128(7));
    let mut fields = Vec::new();
    for r in 0..RECORDS_PER_PAGE {
        let n = p as u128 * RECORDS_PER_PAGE + r;
        let record = RecordId::from_uuid(uuid::Uuid::from_u128(1 << 64 | n));
        let values = [
            ("title", json!(format!("Seminārs {n}"))),
            ("kind", json!("seminar")),
            ("date", json!("2015-05-12")),
            ("municipality", json!("daugavpils")),
            ("notes", json!(format!("Piezīmes par semināru {n}, kas notika Daugavpilī."))),
        ];
        for (i, (field, value)) in values.into_iter().enumerate() {
            let hlc = Hlc { wall_ms: 1_400_000_000_000 + n as u64, counter: i as u32, device };
            fields.push(RemoteField { record, collection: Collection::Seminar, field: field.into(), value, hlc });
        }
    }
    fields
}

fn open(dir: &std::path::Path) -> Store {
    Store::open(dir, "pareiza parole", Arc::new(ManualClock::at(common::T0)), "Sandra").unwrap()
}

/// The child: applies the pages one by one (cursor = page number + 1), saying when each
/// begins, until it is killed.
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os("SAITE_CRASH_CHILD") else { return };
    let mut store = open(std::path::Path::new(&dir));
    for p in 0..PAGES {
        println!("applying {p}");
        store.apply_remote(&page(p), p + 1).unwrap();
    }
    println!("done");
}

#[test]
fn a_laptop_killed_while_applying_a_page_keeps_it_whole_or_not_at_all() {
    let t = common::new_store();
    let dir = t.dir.path().to_owned();
    drop(t.store);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads", "1"])
        .env("SAITE_CRASH_CHILD", &dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill it a little after the third page began: inside a transaction.
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap() == "applying 3" {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(40));
    child.kill().unwrap();
    child.wait().unwrap();

    let mut store = open(&dir);
    let cursor = store.pull_cursor().unwrap();
    let seminars = store.live_count(Collection::Seminar).unwrap();
    assert!((3..=4).contains(&cursor), "killed during page 3 (or just after it), cursor {cursor}");
    assert_eq!(seminars, cursor * RECORDS_PER_PAGE as u64, "whole pages only");
    assert_eq!(store.local_checksums().unwrap(), store.recompute_local_checksums().unwrap());

    // The next rounds resume from the cursor (and a page seen twice changes nothing).
    for p in cursor.saturating_sub(1)..PAGES.min(6) {
        store.apply_remote(&page(p), p + 1).unwrap();
    }
    let resumed = (store.local_checksums().unwrap(), store.live_count(Collection::Seminar).unwrap());

    // The same pages applied without a crash give the same state.
    let mut clean = common::new_store();
    for p in 0..PAGES.min(6) {
        clean.store.apply_remote(&page(p), p + 1).unwrap();
    }
    assert_eq!(resumed, (clean.store.local_checksums().unwrap(), clean.store.live_count(Collection::Seminar).unwrap()));
}
