//! The laptop's side of a first pull, alone: N seminars (the sync benchmark's) prepared
//! from the texts their values arrive in (as the engine takes a pull:
//! `prepare_pulled`) and then applied as pulled pages of 5 000 records (the
//! engine's) into an empty
//! encrypted store, each step timed (`prepare_s`, `apply_s`: the writing alone), then
//! the store's size by table and the bytes the apply wrote (log and checkpoints). Shows
//! where a first pull's time and bytes go without the server or HTTP in the way
//! (`cargo xtask bench --only sync` measures the whole round).
//!
//! Run: `cargo bench -p saite-store --bench pull_apply` (SAITE_BENCH_N: records,
//! 100 000 by default; SAITE_BENCH_PAGE: records per page; SAITE_BENCH_PERF: a fifo
//! for `perf record --control=fifo:FIFO -D -1`, which then records the writing alone,
//! or the preparing alone with SAITE_BENCH_STEP=prepare).

use std::{sync::Arc, time::Instant};

use saite_domain::{Collection, SystemClock};
use saite_protocol::{FieldValues, PulledRecord};
use saite_store::{Store, key::KdfParams, prepare_pulled};
use serde_json::json;

#[path = "data/seminar.rs"]
mod seminar_doc;

use seminar_doc::seminar;

/// The app's allocator (src-tauri/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::var("SAITE_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    // The pages as laptop A's outbox would send them (its own stamps and documents).
    let source_dir = tempfile::tempdir().unwrap();
    let mut source = Store::initialize(
        source_dir.path(),
        "pareiza parole",
        KdfParams::FAST_FOR_TESTS,
        Arc::new(SystemClock),
        "a@example.lv",
    )
    .unwrap();
    for start in (0..n).step_by(1_000) {
        let batch: Vec<_> = (start..(start + 1_000).min(n)).map(|i| (Collection::Seminar, seminar(i))).collect();
        source.create_batch(batch).unwrap();
    }
    let page_size: u32 = std::env::var("SAITE_BENCH_PAGE").ok().and_then(|v| v.parse().ok()).unwrap_or(5_000);
    // Each record as the server sends it: its values as one JSON object's text (the
    // server's stored text), one stamp for all (a record made in one write).
    let mut pages: Vec<Vec<PulledRecord>> = Vec::new();
    let mut after = 0;
    loop {
        let entries = source.outbox_page(after, page_size).unwrap();
        let Some(last) = entries.last() else { break };
        after = last.device_seq;
        let mut page: Vec<(PulledRecord, serde_json::Map<String, serde_json::Value>)> = Vec::new();
        for e in entries {
            match page.last_mut() {
                Some((r, values)) if r.record == e.record_id => {
                    values.insert(e.field, e.value);
                }
                _ => {
                    let r = PulledRecord {
                        record: e.record_id,
                        collection: e.collection,
                        fields: FieldValues::Values(Default::default()),
                        hlc: e.hlc,
                        stamps: Default::default(),
                    };
                    page.push((r, [(e.field, e.value)].into_iter().collect()));
                }
            }
        }
        pages.push(
            page.into_iter()
                .map(|(r, values)| PulledRecord {
                    fields: FieldValues::Stored(serde_json::value::to_raw_value(&values).unwrap()),
                    ..r
                })
                .collect(),
        );
    }
    drop(source);

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::initialize(
        dir.path(),
        "pareiza parole",
        KdfParams::FAST_FOR_TESTS,
        Arc::new(SystemClock),
        "b@example.lv",
    )
    .unwrap();
    // Prepared first, then written, each timed: in a pull the engine prepares the next
    // page on another thread while this one is written, so the writing alone is the
    // critical path.
    perf_control("prepare", "enable");
    let started = Instant::now();
    let pages: Vec<_> = pages.into_iter().map(|page| prepare_pulled(page).unwrap()).collect();
    let prepare_s = started.elapsed().as_secs_f64();
    perf_control("prepare", "disable");
    let written_before = bytes_written();
    perf_control("apply", "enable");
    let started = Instant::now();
    for (i, page) in pages.into_iter().enumerate() {
        store.apply_prepared(page, i as u64 + 1).unwrap();
    }
    let apply_s = started.elapsed().as_secs_f64();
    perf_control("apply", "disable");
    // The log's size after the writing: it restarts from its start only when every
    // page in it was copied into the database when a write began.
    let wal_bytes =
        std::fs::metadata(format!("{}-wal", Store::database_path(dir.path()).display())).map(|m| m.len()).ok();
    let written = bytes_written().zip(written_before).map(|(after, before)| after - before);
    let started = Instant::now();
    store.compact_search_index().unwrap();
    let compact_s = started.elapsed().as_secs_f64();
    assert_eq!(store.live_count(Collection::Seminar).unwrap(), n as u64);
    let sizes = store.table_sizes().unwrap();
    let total: u64 = sizes.iter().map(|(_, b)| b).sum();
    println!(
        "{}",
        json!({"N": n, "prepare_s": prepare_s, "apply_s": apply_s, "compact_s": compact_s, "bytes": total, "written_by_apply": written, "wal_bytes": wal_bytes, "bytes_per_record": total / n as u64, "by_table": sizes})
    );
}

/// Bytes this process has written to files so far (Linux's `/proc/self/io`: the log's
/// pages and the checkpoints' copies of them into the database file), `None` elsewhere.
fn bytes_written() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    io.lines().find_map(|l| l.strip_prefix("wchar:")).and_then(|v| v.trim().parse().ok())
}

/// SAITE_BENCH_PERF=<fifo>: tells `perf record --control=fifo:<fifo> -D -1` to record
/// one step only: the writing, or the preparing with SAITE_BENCH_STEP=prepare.
fn perf_control(step: &str, command: &str) {
    let wanted = std::env::var("SAITE_BENCH_STEP").unwrap_or_else(|_| "apply".to_owned());
    if let Ok(fifo) = std::env::var("SAITE_BENCH_PERF")
        && wanted == step
    {
        std::fs::write(fifo, format!("{command}\n")).unwrap();
    }
}
