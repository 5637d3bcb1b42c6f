//! Saite's sync against its peers' (PouchDB, Atuin; see ../shared/peers), with the same
//! N: two laptops' encrypted stores (SQLCipher, with history, search index and outbox)
//! syncing through the real `saite-server` process on SQLite over loopback HTTP (its
//! release binary: `SAITE_BENCH_SERVER`, by default `target/release/saite-server`, which
//! `cargo xtask bench` builds). A separate process, as in use: SQLite connections in one
//! process share memory, and a server writing 100 000 records in the laptop's process
//! pushed the laptop's pages out of its cache (measured: outbox pages 25× slower).
//!
//! - first push: laptop A's first round with N seminars recorded (the whole round: push,
//!   taking in the server's answer, verifying);
//! - first pull: an empty laptop B's first round (the median of three empty laptops,
//!   each pulling the whole set; all three in the raw line);
//! - nothing to do: a round of A after both are in sync, at N and at 1 000 records:
//!   requests, bytes on the wire (a counting TCP relay between engine and server, HTTP
//!   headers included) and time;
//! - ten edits: A edits ten seminars' notes; A's round then B's (the median of five
//!   such cycles, all five in the raw line; PouchDB's own benchmark times one).
//!
//! The laptops allocate with the app's allocator (mimalloc, src-tauri/src/main.rs).
//!
//! Beside each first push's and pull's time, the CPU seconds the laptops' process and
//! the server's used in that round (Linux).
//!
//! Run by `cargo xtask bench --only sync`; prints one JSON line for xtask to tabulate.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use saite_domain::{Collection, SystemClock};
use saite_server_sqlite::SqliteStorage;
use saite_store::{Store, key::KdfParams};
use saite_sync::{HttpTransport, SyncEngine, Verification, sign_in};
use serde_json::json;

// The sync tests' organisation and its two consultants (only that part is used here).
#[path = "../tests/common/mod.rs"]
mod common;

use common::PASSWORD;

#[path = "../../saite-store/benches/data/seminar.rs"]
mod seminar_doc;

use seminar_doc::seminar;

/// A TCP relay that counts the bytes passing both ways (requests and answers, headers
/// included): what "on the wire" means here.
async fn counting_relay(to: SocketAddr) -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let bytes = Arc::new(AtomicU64::new(0));
    let counted = bytes.clone();
    tokio::spawn(async move {
        loop {
            let (mut client, _) = listener.accept().await.unwrap();
            let counted = counted.clone();
            tokio::spawn(async move {
                let mut server = tokio::net::TcpStream::connect(to).await.unwrap();
                if let Ok((up, down)) = tokio::io::copy_bidirectional(&mut client, &mut server).await {
                    counted.fetch_add(up + down, Ordering::Relaxed);
                }
            });
        }
    });
    (url, bytes)
}

struct Setup {
    _dir: tempfile::TempDir,
    _server: ServerProcess,
    address: SocketAddr,
    url: String,
    emails: [String; 2],
}

/// The server process, killed when dropped.
struct ServerProcess(std::process::Child);

/// CPU seconds (user and system) a process has used so far, from `/proc/<pid>/stat`
/// (Linux; `None` elsewhere). A round's CPU per process is less swayed than its wall
/// time by what else the machine runs, so it shows where a change saved work.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // /proc counts in USER_HZ, 100 on Linux.
    Some(ticks / 100.0)
}

/// The laptops' (this process) and the server's CPU seconds so far.
fn cpu_now(setup: &Setup) -> [Option<f64>; 2] {
    [cpu_seconds("self"), cpu_seconds(&setup._server.0.id().to_string())]
}

/// CPU seconds used since `before`, as JSON: `{"laptop": .., "server": ..}`.
fn cpu_since(setup: &Setup, before: [Option<f64>; 2]) -> serde_json::Value {
    let [laptop, server] = cpu_now(setup);
    let used = |now: Option<f64>, then: Option<f64>| now.zip(then).map(|(n, t)| ((n - t) * 100.0).round() / 100.0);
    json!({"laptop": used(laptop, before[0]), "server": used(server, before[1])})
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn server_binary() -> std::path::PathBuf {
    std::env::var_os("SAITE_BENCH_SERVER")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/saite-server"))
}

async fn server() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    // The organisation and its two consultants, written before the server starts.
    let emails = common::organisation(&SqliteStorage::open(&path).unwrap()).await.1;
    let address: SocketAddr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let binary = server_binary();
    assert!(
        binary.is_file(),
        "{} is missing: `cargo build --release -p saite-server` (cargo xtask bench does)",
        binary.display()
    );
    let child = std::process::Command::new(binary)
        .args([
            "serve",
            "--listen",
            &address.to_string(),
            "--database",
            &format!("sqlite://{}", path.display()),
            "--shutdown-grace",
            "1",
        ])
        .env("SAITE_SERVER_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = ServerProcess(child);
    let deadline = Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(address).is_err() {
        assert!(Instant::now() < deadline, "saite-server did not listen on {address}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Setup { _dir: dir, _server: server, address, url: format!("http://{address}"), emails }
}

struct Laptop {
    _dir: tempfile::TempDir,
    store: Arc<Mutex<Store>>,
    token: String,
}

async fn laptop(setup: &Setup, email: &str, records: usize) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        Store::initialize(dir.path(), "pareiza parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), email)
            .unwrap();
    for start in (0..records).step_by(1_000) {
        let batch: Vec<_> = (start..(start + 1_000).min(records)).map(|i| (Collection::Seminar, seminar(i))).collect();
        store.create_batch(batch).unwrap();
    }
    let signed = sign_in(&setup.url, email, PASSWORD, store.device_id(), "Klēpjdators").await.unwrap();
    Laptop { _dir: dir, store: Arc::new(Mutex::new(store)), token: signed.token }
}

/// SAITE_BENCH_PERF=<fifo> with SAITE_BENCH_PROFILE=push|pull|edits: tells `perf record
/// --control=fifo:<fifo> -D -1` to record that round only.
fn perf_control(round: &str, command: &str) {
    if let (Ok(fifo), Ok(wanted)) = (std::env::var("SAITE_BENCH_PERF"), std::env::var("SAITE_BENCH_PROFILE"))
        && wanted == round
    {
        std::fs::write(fifo, format!("{command}\n")).unwrap();
    }
}

async fn timed_round(engine: &SyncEngine<HttpTransport>) -> f64 {
    // SAITE_BENCH_DEBUG=1: each round's start (a mark for a profiler), time and report
    // on stderr.
    let debug = std::env::var("SAITE_BENCH_DEBUG").is_ok();
    if debug {
        eprintln!("round starts");
    }
    let started = Instant::now();
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    if debug {
        eprintln!("{:.1} ms {report:?}", started.elapsed().as_secs_f64() * 1000.0);
    }
    started.elapsed().as_secs_f64() * 1000.0
}

/// A round with nothing to do, through the counting relay: (median ms of 7, bytes).
async fn nothing_to_do(setup: &Setup, laptop: &Laptop) -> (f64, u64) {
    let (relay, bytes) = counting_relay(setup.address).await;
    let engine = SyncEngine::new(HttpTransport::new(&relay, &laptop.token), laptop.store.clone());
    timed_round(&engine).await; // the connection is made once; later rounds reuse it
    let mut times = Vec::new();
    for _ in 0..7 {
        times.push(timed_round(&engine).await);
    }
    drop(engine);
    // The relay counts a connection's bytes when it closes.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    times.sort_by(f64::total_cmp);
    (times[3], bytes.load(Ordering::Relaxed) / 8)
}

/// The app's allocator (src-tauri/src/main.rs), so the laptop here allocates as the
/// app does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("SAITE_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let setup = server().await;
    let a = laptop(&setup, &setup.emails[0], n).await;
    let a_engine = SyncEngine::new(HttpTransport::new(&setup.url, &a.token), a.store.clone());
    perf_control("push", "enable");
    let cpu = cpu_now(&setup);
    let push_ms = timed_round(&a_engine).await;
    let push_cpu = cpu_since(&setup, cpu);
    perf_control("push", "disable");
    // Three empty laptops pull in turn (a single round of a few seconds varied by a
    // sixth from run to run on these machines); the first stays, as B, for the edits.
    // SAITE_BENCH_PULL_PAGE: records per pulled page (the engine's default otherwise).
    let pull_page: Option<u32> = std::env::var("SAITE_BENCH_PULL_PAGE").ok().and_then(|v| v.parse().ok());
    let mut pulls: Vec<(f64, serde_json::Value)> = Vec::new();
    let mut b: Option<(Laptop, SyncEngine<HttpTransport>)> = None;
    for _ in 0..3 {
        let laptop = laptop(&setup, &setup.emails[1], 0).await;
        let mut engine = SyncEngine::new(HttpTransport::new(&setup.url, &laptop.token), laptop.store.clone());
        if let Some(page) = pull_page {
            engine.pull_page = page;
        }
        perf_control("pull", "enable");
        let cpu = cpu_now(&setup);
        let ms = timed_round(&engine).await;
        pulls.push((ms, cpu_since(&setup, cpu)));
        perf_control("pull", "disable");
        assert_eq!(laptop.store.lock().unwrap().live_count(Collection::Seminar).unwrap(), n as u64);
        b.get_or_insert((laptop, engine));
    }
    // The laptop (its folder) stays until the end; its engine syncs it.
    let (_b, b_engine) = b.expect("three pulls");
    let pull_samples: Vec<f64> = pulls.iter().map(|(ms, _)| ms.round()).collect();
    pulls.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (pull_ms, pull_cpu) = pulls.swap_remove(1);
    let (noop_ms, noop_bytes) = nothing_to_do(&setup, &a).await;

    let ids: Vec<_> = {
        let store = a.store.lock().unwrap();
        let q = saite_store::ListQuery {
            collection: Collection::Seminar,
            filters: vec![],
            sort: None,
            descending: false,
            offset: 0,
            limit: 10,
            with_total: false,
        };
        store.list(&q).unwrap().items.into_iter().map(|r| r.id).collect()
    };
    // Five times (a single round of a few milliseconds varies by half from run to run):
    // 10 notes edited on A, then A's round and B's round, timed together.
    let mut ten_edits: Vec<f64> = Vec::new();
    for cycle in 0..5 {
        for id in &ids {
            let doc = a.store.lock().unwrap().get(*id).unwrap().unwrap().document;
            let notes = format!("{} (labots {cycle})", doc["notes"].as_str().unwrap_or_default());
            a.store.lock().unwrap().update(*id, json!({"notes": notes}).as_object().unwrap().clone()).unwrap();
        }
        perf_control("edits", "enable");
        let started = Instant::now();
        timed_round(&a_engine).await;
        timed_round(&b_engine).await;
        ten_edits.push(started.elapsed().as_secs_f64() * 1000.0);
        perf_control("edits", "disable");
    }
    let ten_edits_samples: Vec<f64> = ten_edits.iter().map(|t| (t * 10.0).round() / 10.0).collect();
    ten_edits.sort_by(f64::total_cmp);
    let ten_edits_ms = ten_edits[2];

    // Nothing to do at 1 000 records, on a server of its own.
    let small = server().await;
    let c = laptop(&small, &small.emails[0], 1_000).await;
    let c_engine = SyncEngine::new(HttpTransport::new(&small.url, &c.token), c.store.clone());
    timed_round(&c_engine).await;
    let (noop_1k_ms, noop_1k_bytes) = nothing_to_do(&small, &c).await;

    println!(
        "{}",
        json!({
            "N": n, "push_ms": push_ms.round(), "pull_ms": pull_ms.round(), "pull_samples_ms": pull_samples, "push_cpu_s": push_cpu, "pull_cpu_s": pull_cpu,
            "noop_ms": (noop_ms * 10.0).round() / 10.0,
            "noop_bytes": noop_bytes, "noop_1k_ms": (noop_1k_ms * 10.0).round() / 10.0, "noop_1k_bytes": noop_1k_bytes,
            "ten_edits_ms": (ten_edits_ms * 10.0).round() / 10.0, "ten_edits_samples_ms": ten_edits_samples,
        })
    );
}
