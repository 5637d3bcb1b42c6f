//! saite-server under load, on SQLite and on PostgreSQL, through the real release
//! binary over real HTTP on this machine (the load generator shares its 2 cores):
//! - first push of 100 000 records (5 fields each) from one laptop, batches of 2 000;
//! - first pull of them into a second laptop, pages of 10 000 records;
//! - 500 devices pushing 10-record batches: the capacity (back to back), and the
//!   latency when together they offer the goal's 400 pushes/s.
//!
//! Run by `cargo xtask bench --only server`; prints Markdown table rows.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use saite_domain::{Collection, DeviceId};
use saite_protocol::{PushRequest, RecordChange};
use serde_json::json;

const RECORDS: u128 = 100_000;
const BATCH: u128 = 2_000;
const DEVICES: usize = 500;
const USERS: usize = 50;
/// Pushes per device in the capacity run and in the run at the goal's rate.
const CAPACITY_PUSHES: usize = 10;
const RATE_PUSHES: usize = 10;
const OFFERED_PER_S: f64 = 400.0;

/// `n` organisations with 5 fields each (one change per organisation, seqs up by 5 per
/// change as a laptop's outbox numbers its fields), seqs after `after_seq`, record ids
/// from `first`.
fn batch(device: DeviceId, after_seq: u64, first: u128, n: u128) -> PushRequest {
    let changes = (first..first + n)
        .enumerate()
        .map(|(k, i)| {
            let seq = after_seq + 5 * (k as u64 + 1);
            let hlc = stamp(1_700_000_000_000 + seq, device);
            let fields = [
                ("name", json!(format!("Iestāde {i:06}"))),
                ("kind", json!("social-service")),
                ("municipality", json!("daugavpils")),
                ("address", json!(format!("Rīgas iela {}", i % 200))),
                ("phones", json!([format!("+3716{:07}", i % 10_000_000)])),
            ];
            RecordChange::from_fields(
                seq,
                record(i),
                Collection::Organisation,
                fields.into_iter().map(|(f, v)| (f.to_owned(), v, hlc)),
            )
        })
        .collect();
    PushRequest { after_seq, changes }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn run(backend: &str, database: &str) {
    let (_org, [first_user, ..]) = organisation(database, "Biedrība", "load");
    let org = admin_ok(database, &["org", "list"], None).split('\t').next().unwrap().to_owned();
    let mut emails = vec![first_user];
    for u in 1..USERS {
        let email = format!("load-user{u}@example.lv");
        admin_ok(database, &["user", "add", "--org", &org, "--email", &email, "--name", "Konsultante"], Some(PASSWORD));
        emails.push(email);
    }
    let server = Server::start_with(database, &["--sign-ins-per-minute", "100000"]);

    // First push: 100 000 records from one laptop.
    let a = sign_in(&server.url, &emails[0], device_id(1)).await;
    let started = Instant::now();
    let mut after = 0;
    for b in 0..RECORDS / BATCH {
        let req = batch(a.device, after, b * BATCH, BATCH);
        let (status, body) = a.push(&req).await;
        assert_eq!(status, 200, "{body}");
        after = body["appliedSeq"].as_u64().unwrap();
    }
    let push_s = started.elapsed().as_secs_f64();

    // First pull into an empty laptop.
    let b = sign_in(&server.url, &emails[1], device_id(2)).await;
    let started = Instant::now();
    let pulled = b.pull_all(10_000).await.len();
    let pull_s = started.elapsed().as_secs_f64();
    assert_eq!(pulled as u128, RECORDS * 5);

    // 500 devices (10 per user), signed in.
    let mut laptops = Vec::new();
    for d in 0..DEVICES {
        laptops.push(std::sync::Arc::new(sign_in(&server.url, &emails[d % USERS], device_id(1_000 + d as u128)).await));
    }
    // Capacity: every device pushes its batches back to back (a closed loop: each waits
    // for its answer), so the server is never idle; pushes/s is what it can take.
    let capacity = load(&laptops, 0, CAPACITY_PUSHES, None).await;
    // Latency at the goal's rate: the 500 devices together offer 400 pushes/s, each
    // on its own schedule (an open loop: a slow answer does not slow the arrivals).
    let at_rate =
        load(&laptops, CAPACITY_PUSHES, RATE_PUSHES, Some(Duration::from_secs_f64(DEVICES as f64 / OFFERED_PER_S)))
            .await;
    drop(server);

    println!(
        "| {backend} | first push, 100 000 records (500 000 fields), batches of {BATCH} | {:.0} records/s ({push_s:.1} s) | — |",
        RECORDS as f64 / push_s
    );
    println!(
        "| {backend} | first pull into an empty laptop, pages of 10 000 records | {:.0} records/s ({pull_s:.1} s) | — |",
        RECORDS as f64 / pull_s
    );
    println!(
        "| {backend} | capacity: {DEVICES} devices pushing 10-record batches back to back, {} pushes | {:.0} pushes/s; {} errors | — |",
        capacity.latencies.len(),
        capacity.per_s,
        capacity.errors
    );
    println!(
        "| {backend} | {DEVICES} devices offering {OFFERED_PER_S:.0} pushes/s of 10 records, {} pushes | {:.0} pushes/s done; p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {} errors | ≥ 400 pushes/s, p99 ≤ 200 ms, 0 errors |",
        at_rate.latencies.len(),
        at_rate.per_s,
        percentile(&at_rate.latencies, 0.5),
        percentile(&at_rate.latencies, 0.99),
        at_rate.latencies.last().unwrap(),
        at_rate.errors
    );
}

struct LoadResult {
    latencies: Vec<f64>,
    errors: usize,
    per_s: f64,
}

/// Each device pushes `pushes` batches of 10 new records after its first `done` ones;
/// with `period`, device d starts at d/DEVICES of a period and pushes once per period.
async fn load(laptops: &[std::sync::Arc<Laptop>], done: usize, pushes: usize, period: Option<Duration>) -> LoadResult {
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::new();
    for (d, laptop) in laptops.iter().enumerate() {
        let laptop = laptop.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut after = (done * 10 * 5) as u64;
            for p in 0..pushes {
                if let Some(period) = period {
                    let offset = period.mul_f64(d as f64 / DEVICES as f64) + period * p as u32;
                    tokio::time::sleep_until(start + offset).await;
                }
                let first = 1_000_000 + (d as u128) * 10_000 + ((done + p) as u128) * 10;
                let req = batch(laptop.device, after, first, 10);
                let t0 = Instant::now();
                let (status, body) = laptop.push(&req).await;
                latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
                if status == 200 {
                    after = body["appliedSeq"].as_u64().unwrap();
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors += e;
    }
    let elapsed = (tokio::time::Instant::now() - start).as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    LoadResult { per_s: latencies.len() as f64 / elapsed, latencies, errors }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = temp();
    run("SQLite", &sqlite_url(dir.path())).await;
    let admin_url = std::env::var("SAITE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let (client, conn) =
        tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.expect("PostgreSQL for the benchmark");
    tokio::spawn(conn);
    let name = format!("saite_bench_{}", std::process::id());
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let base = admin_url.rsplit_once('/').unwrap().0.to_owned();
    run("PostgreSQL", &format!("{base}/{name}")).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    client.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
}
