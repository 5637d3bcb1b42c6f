//! The sync engine against the real `saite-server` (its router on a random port, on a
//! real SQLite file) over real HTTP: two laptops' stores converge, and a round cut by
//! any fault — a lost answer, a request never sent, one sent twice, a batch cut short, a
//! server gone mid-round — loses and duplicates nothing; the next round finishes the job.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use saite_domain::{Clock, Collection, SystemClock};
use saite_protocol::{BlobStatus, Checksums, PullPage, PushRequest, PushResponse};
use saite_server_storage::{AuditContext, ServerStorage};
use saite_store::{Store, key::KdfParams};
use saite_sync::{HttpTransport, SyncEngine, Transport, TransportError, Verification, sign_in};
use serde_json::{Map, Value, json};

mod common;

use common::{PASSWORD, Server, organisation};

struct Laptop {
    _dir: tempfile::TempDir,
    store: Arc<Mutex<Store>>,
    token: String,
}

async fn laptop(server: &Server, email: &str) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let store =
        Store::initialize(dir.path(), "pareiza parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), email)
            .unwrap();
    let signed = sign_in(&server.url, email, PASSWORD, store.device_id(), "Klēpjdators").await.unwrap();
    Laptop { _dir: dir, store: Arc::new(Mutex::new(store)), token: signed.token }
}

impl Laptop {
    fn engine(&self, server: &Server) -> SyncEngine<HttpTransport> {
        SyncEngine::new(HttpTransport::new(&server.url, &self.token), self.store.clone())
    }

    fn create(&self, collection: Collection, doc: Value) -> saite_domain::RecordId {
        let doc: Map<String, Value> = doc.as_object().unwrap().clone();
        self.store.lock().unwrap().create(collection, doc).unwrap().id
    }

    fn update(&self, id: saite_domain::RecordId, patch: Value) {
        self.store.lock().unwrap().update(id, patch.as_object().unwrap().clone()).unwrap();
    }

    fn document(&self, id: saite_domain::RecordId) -> Map<String, Value> {
        self.store.lock().unwrap().get(id).unwrap().unwrap().document
    }

    /// Every live record's document, by id.
    fn everything(&self) -> Vec<(saite_domain::RecordId, Map<String, Value>, bool)> {
        let store = self.store.lock().unwrap();
        let mut out = Vec::new();
        for c in [Collection::Organisation, Collection::Seminar, Collection::Person] {
            let q = saite_store::ListQuery {
                collection: c,
                filters: vec![],
                sort: None,
                descending: false,
                offset: 0,
                limit: 500,
                with_total: false,
            };
            for r in store.list(&q).unwrap().items {
                out.push((r.id, r.document, r.deleted));
            }
        }
        out.sort_by_key(|(id, _, _)| *id);
        out
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seminar_recorded_offline_reaches_the_other_laptop_and_both_are_verified() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    let b = laptop(&server, &ilze).await;
    let org = a.create(
        Collection::Organisation,
        json!({"name": "Rēzeknes novada sociālais dienests", "kind": "social-service", "municipality": "rezeknes-novads"}),
    );
    let sem = a.create(
        Collection::Seminar,
        json!({"title": "Informatīvs seminārs", "kind": "seminar", "date": "2014-03-01", "municipality": "rezeknes-novads", "notes": "Jaunieši"}),
    );
    let report = a.engine(&server).sync_once().await.unwrap();
    assert!(report.pushed > 0);
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(a.store.lock().unwrap().outbox_len().unwrap(), 0);

    let report = b.engine(&server).sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(b.document(org), a.document(org));
    assert_eq!(b.document(sem), a.document(sem));
    assert_eq!(b.store.lock().unwrap().search("rezeknes socialais", 5).unwrap()[0].id, org);
    // Nothing to do: a second round pushes and changes nothing, and is still verified.
    let again = b.engine(&server).sync_once().await.unwrap();
    assert_eq!((again.pushed, again.changed, again.verification), (0, 0, Verification::Verified));

    // The server asks every laptop to fetch seminars again: the next round does, once.
    server
        .storage
        .request_repull(tenant, Collection::Seminar, AuditContext::admin(SystemClock.now_ms(), "repull", json!({})))
        .await
        .unwrap();
    let repulled = b.engine(&server).sync_once().await.unwrap();
    assert_eq!((repulled.repulled.clone(), repulled.verification), (vec![Collection::Seminar], Verification::Verified));
    assert_eq!(repulled.changed, 0, "the same values again change nothing");
    assert!(b.engine(&server).sync_once().await.unwrap().repulled.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_of_different_fields_on_two_laptops_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    let b = laptop(&server, &ilze).await;
    let org = a.create(
        Collection::Organisation,
        json!({"name": "NVA Daugavpils filiāle", "kind": "nva-branch", "municipality": "daugavpils"}),
    );
    a.engine(&server).sync_once().await.unwrap();
    b.engine(&server).sync_once().await.unwrap();
    // Offline, each edits a different field of the same organisation.
    a.update(org, json!({"address": "Cietokšņa iela 60"}));
    b.update(org, json!({"phones": ["+37165400000"]}));
    a.engine(&server).sync_once().await.unwrap();
    let rb = b.engine(&server).sync_once().await.unwrap();
    let ra = a.engine(&server).sync_once().await.unwrap();
    assert_eq!((ra.verification, rb.verification.clone()), (Verification::Verified, Verification::Verified), "{rb:?}");
    let doc = a.document(org);
    assert_eq!((doc["address"].clone(), doc["phones"].clone()), (json!("Cietokšņa iela 60"), json!(["+37165400000"])));
    assert_eq!(b.document(org), doc);
}

/// What the faulty transport does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    /// The request is applied, the answer lost.
    LoseAnswer,
    /// The request never leaves the laptop.
    NotSent,
    /// The request arrives twice (a proxy's retry); the second answer is returned.
    Twice,
    /// A push arrives with only its first half (the connection dropped mid-batch,
    /// and the server saw a shorter, well-formed batch); no answer.
    CutBatch,
    /// The server goes away before this request (it is restarted by the test).
    ServerGone,
    /// A push is held back (no answer) and arrives later, after the next push: messages
    /// reordered, a stale duplicate landing after newer changes.
    Delayed,
}

struct Faulty<T> {
    inner: T,
    faults: Mutex<VecDeque<Fault>>,
    /// The server that [`Fault::ServerGone`] stops.
    server_gone: Mutex<Option<Server>>,
    /// A push held back by [`Fault::Delayed`], delivered after the next one.
    held: Mutex<Option<PushRequest>>,
}

impl<T: Transport> Faulty<T> {
    fn next(&self) -> Fault {
        self.faults.lock().unwrap().pop_front().unwrap_or(Fault::Pass)
    }

    /// The push as the fault plan has it, without the held-back one.
    async fn push_now(&self, batch: &PushRequest) -> Result<PushResponse, TransportError> {
        match self.next() {
            Fault::Pass => self.inner.push(batch).await,
            Fault::Delayed => {
                *self.held.lock().unwrap() = Some(batch.clone());
                Err(Self::lost())
            }
            Fault::LoseAnswer => self.inner.push(batch).await.and(Err(Self::lost())),
            Fault::NotSent => Err(Self::lost()),
            Fault::Twice => {
                let _ = self.inner.push(batch).await;
                self.inner.push(batch).await
            }
            Fault::CutBatch => {
                let mut half = batch.clone();
                let keep = half.changes.len().div_ceil(2);
                half.changes.truncate(keep);
                let _ = self.inner.push(&half).await;
                Err(Self::lost())
            }
            Fault::ServerGone => {
                let server = self.server_gone.lock().unwrap().take();
                if let Some(server) = server {
                    server.stop().await;
                }
                self.inner.push(batch).await
            }
        }
    }

    fn lost() -> TransportError {
        TransportError::Unreachable("the connection dropped (injected)".into())
    }
}

impl<T: Transport> Transport for Faulty<T> {
    async fn push(&self, batch: &PushRequest) -> Result<PushResponse, TransportError> {
        let held = self.held.lock().unwrap().take();
        let answer = self.push_now(batch).await;
        if let Some(stale) = held {
            // Arrives after the newer push; its answer goes nowhere.
            let _ = self.inner.push(&stale).await;
        }
        answer
    }

    async fn pull(
        &self,
        after: u64,
        limit: u32,
        collection: Option<Collection>,
        count: bool,
    ) -> Result<PullPage, TransportError> {
        match self.next() {
            Fault::LoseAnswer | Fault::CutBatch => {
                self.inner.pull(after, limit, collection, count).await.and(Err(Self::lost()))
            }
            Fault::NotSent | Fault::ServerGone | Fault::Delayed => Err(Self::lost()),
            Fault::Twice => {
                let _ = self.inner.pull(after, limit, collection, count).await;
                self.inner.pull(after, limit, collection, count).await
            }
            Fault::Pass => self.inner.pull(after, limit, collection, count).await,
        }
    }
    async fn checksums(&self) -> Result<Checksums, TransportError> {
        match self.next() {
            Fault::NotSent | Fault::ServerGone | Fault::LoseAnswer | Fault::CutBatch | Fault::Delayed => {
                Err(Self::lost())
            }
            _ => self.inner.checksums().await,
        }
    }

    async fn send_events(
        &self,
        request: &saite_protocol::DeviceEventsRequest,
    ) -> Result<saite_protocol::DeviceEventsResponse, TransportError> {
        match self.next() {
            Fault::LoseAnswer | Fault::CutBatch => self.inner.send_events(request).await.and(Err(Self::lost())),
            Fault::NotSent | Fault::ServerGone | Fault::Delayed => Err(Self::lost()),
            Fault::Twice => {
                let _ = self.inner.send_events(request).await;
                self.inner.send_events(request).await
            }
            Fault::Pass => self.inner.send_events(request).await,
        }
    }

    async fn blob_status(&self, sha256: &str) -> Result<Option<BlobStatus>, TransportError> {
        match self.next() {
            Fault::NotSent | Fault::ServerGone | Fault::LoseAnswer | Fault::CutBatch | Fault::Delayed => {
                Err(Self::lost())
            }
            _ => self.inner.blob_status(sha256).await,
        }
    }

    async fn put_blob_part(
        &self,
        sha256: &str,
        start: u64,
        bytes: Vec<u8>,
        size: u64,
    ) -> Result<BlobStatus, TransportError> {
        match self.next() {
            Fault::Pass => self.inner.put_blob_part(sha256, start, bytes, size).await,
            Fault::LoseAnswer => self.inner.put_blob_part(sha256, start, bytes, size).await.and(Err(Self::lost())),
            Fault::NotSent | Fault::ServerGone | Fault::Delayed => Err(Self::lost()),
            Fault::Twice => {
                let _ = self.inner.put_blob_part(sha256, start, bytes.clone(), size).await;
                self.inner.put_blob_part(sha256, start, bytes, size).await
            }
            // The connection drops half-way through the part: the server keeps nothing
            // of it (a part is stored whole or not at all).
            Fault::CutBatch => Err(Self::lost()),
        }
    }

    async fn get_blob_range(&self, sha256: &str, start: u64, end: u64) -> Result<Vec<u8>, TransportError> {
        match self.next() {
            Fault::NotSent | Fault::ServerGone | Fault::Delayed => Err(Self::lost()),
            Fault::LoseAnswer | Fault::CutBatch => {
                self.inner.get_blob_range(sha256, start, end).await.and(Err(Self::lost()))
            }
            Fault::Twice => {
                let _ = self.inner.get_blob_range(sha256, start, end).await;
                self.inner.get_blob_range(sha256, start, end).await
            }
            Fault::Pass => self.inner.get_blob_range(sha256, start, end).await,
        }
    }

    fn server_time_ms(&self) -> Option<u64> {
        self.inner.server_time_ms()
    }
}

/// A fixed pseudo-random fault plan: `n` requests, about one in three faulty.
fn plan(seed: u64, n: usize) -> VecDeque<Fault> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            match state % 15 {
                0 => Fault::LoseAnswer,
                1 => Fault::NotSent,
                2 => Fault::Twice,
                3 => Fault::CutBatch,
                4 => Fault::LoseAnswer,
                5 => Fault::Delayed,
                _ => Fault::Pass,
            }
        })
        .collect()
}

/// Rounds until one ends verified; every failed round must fail cleanly.
async fn sync_until_verified<T: Transport>(engine: &SyncEngine<T>) -> usize {
    for round in 1..=40 {
        if let Ok(report) = engine.sync_once().await
            && report.verification == Verification::Verified
        {
            return round;
        }
    }
    panic!("no verified round in 40");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_anywhere_in_a_round_lose_and_duplicate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    let b = laptop(&server, &ilze).await;
    for n in 0..120 {
        let org = a.create(
            Collection::Organisation,
            json!({"name": format!("Iestāde {n:03}"), "kind": "ngo", "municipality": "riga"}),
        );
        if n % 3 == 0 {
            a.update(org, json!({"address": format!("Brīvības iela {n}")}));
        }
    }
    let b_org = b.create(
        Collection::Organisation,
        json!({"name": "Ludzas novada bibliotēka", "kind": "library", "municipality": "ludzas-novads"}),
    );

    let mut rounds = 0;
    for seed in [7u64, 99, 2026] {
        let mut ea = SyncEngine::new(
            Faulty {
                inner: HttpTransport::new(&server.url, &a.token),
                faults: Mutex::new(plan(seed, 200)),
                server_gone: Mutex::new(None),
                held: Mutex::new(None),
            },
            a.store.clone(),
        );
        ea.push_batch = 8;
        ea.pull_page = 12;
        let mut eb = SyncEngine::new(
            Faulty {
                inner: HttpTransport::new(&server.url, &b.token),
                faults: Mutex::new(plan(seed + 1, 200)),
                server_gone: Mutex::new(None),
                held: Mutex::new(None),
            },
            b.store.clone(),
        );
        eb.push_batch = 8;
        eb.pull_page = 12;
        rounds += sync_until_verified(&ea).await;
        rounds += sync_until_verified(&eb).await;
        rounds += sync_until_verified(&ea).await;
        // More edits between seeds, on both sides.
        a.update(b_org, json!({"address": format!("Raiņa iela {seed}")}));
        b.update(b_org, json!({"phones": [format!("+3712{seed:07}")]}));
    }
    assert!(rounds > 9, "the faults cut some rounds short ({rounds} rounds for 9 syncs)");
    let (clean_a, clean_b) = (a.engine(&server), b.engine(&server));
    sync_until_verified(&clean_a).await;
    sync_until_verified(&clean_b).await;
    sync_until_verified(&clean_a).await;
    assert_eq!(a.everything(), b.everything(), "both laptops hold the same records");
    assert_eq!(a.everything().len(), 121);
    // Exactly once on the server: its checksums count each field once and equal both
    // laptops' own.
    let server_sums = server.storage.checksums(tenant).await.unwrap();
    let local = a.store.lock().unwrap().local_checksums().unwrap();
    let orgs = server_sums.collections.iter().find(|c| c.collection == Collection::Organisation).unwrap();
    assert_eq!(orgs.fields, local[&Collection::Organisation].fields);
    assert_eq!(orgs.digest, local[&Collection::Organisation].sum_hex());
    let doc = a.document(b_org);
    assert_eq!(
        (doc["address"].clone(), doc["phones"].clone()),
        (json!("Raiņa iela 2026"), json!(["+37120002026"])),
        "the last edits of both kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_restarted_mid_round_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(dir.path()).await;
    let (_tenant, [sandra, ilze]) = organisation(&first.storage).await;
    let a = laptop(&first, &sandra).await;
    for n in 0..60 {
        a.create(
            Collection::Organisation,
            json!({"name": format!("Iestāde {n:03}"), "kind": "ngo", "municipality": "riga"}),
        );
    }
    // The third push finds the server gone.
    let faulty = Faulty {
        inner: HttpTransport::new(&first.url, &a.token),
        faults: Mutex::new(VecDeque::from([Fault::Pass, Fault::Pass, Fault::ServerGone])),
        server_gone: Mutex::new(Some(first)),
        held: Mutex::new(None),
    };
    let mut engine = SyncEngine::new(faulty, a.store.clone());
    engine.push_batch = 20;
    assert!(engine.sync_once().await.is_err(), "the round stops where the server went away");
    let left = a.store.lock().unwrap().outbox_len().unwrap();
    // The laptop settles an answered push while the next one is under way: the two
    // answered ones are settled all the same when that one fails.
    assert_eq!(left, 20, "what the server confirmed leaves the outbox, the rest stays queued");
    // Back, on the same database (another port, as after a restart behind a proxy).
    let second = Server::start(dir.path()).await;
    let report = a.engine(&second).sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    let b = laptop(&second, &ilze).await;
    b.engine(&second).sync_once().await.unwrap();
    assert_eq!(a.everything(), b.everything());
    assert_eq!(b.everything().len(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_that_would_empty_a_collection_waits_for_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    let b = laptop(&server, &ilze).await;
    let ids: Vec<_> = (0..40)
        .map(|n| {
            a.create(
                Collection::Organisation,
                json!({"name": format!("Iestāde {n:02}"), "kind": "ngo", "municipality": "riga"}),
            )
        })
        .collect();
    a.engine(&server).sync_once().await.unwrap();
    b.engine(&server).sync_once().await.unwrap();
    // On a, 30 of the 40 go to the trash (a careless bulk delete), and a syncs.
    for id in &ids[..30] {
        a.store.lock().unwrap().delete(*id).unwrap();
    }
    a.engine(&server).sync_once().await.unwrap();
    let live = |l: &Laptop| l.store.lock().unwrap().live_count(Collection::Organisation).unwrap();
    let cursor = b.store.lock().unwrap().pull_cursor().unwrap();
    let engine = b.engine(&server);
    match engine.sync_once().await {
        Err(saite_sync::SyncError::MassDelete { collection, records, of }) => {
            assert_eq!((collection, records, of), (Collection::Organisation, 30, 40));
        }
        other => panic!("expected a mass-delete stop, got {other:?}"),
    }
    assert_eq!(live(&b), 40, "nothing deleted before the user says so");
    assert_eq!(b.store.lock().unwrap().pull_cursor().unwrap(), cursor, "and the cursor did not move past it");
    // The user looked and said yes: the next round applies them.
    engine.allow_mass_delete(Collection::Organisation);
    let report = engine.sync_once().await.unwrap();
    assert_eq!((live(&b), report.verification), (10, Verification::Verified));
}

/// The laptop's store, slow to write (as a laptop's disk under a big pull): each use
/// takes `delay` first. Notes the pull cursor after each use that moved it, i.e. after
/// each transaction that wrote pulled pages.
#[derive(Clone)]
struct SlowStore {
    store: Arc<Mutex<Store>>,
    delay: std::time::Duration,
    cursors: Arc<Mutex<Vec<u64>>>,
}

impl saite_sync::Replica for SlowStore {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> saite_store::Result<R>) -> Result<R, saite_sync::SyncError> {
        std::thread::sleep(self.delay);
        let mut store = self.store.lock().unwrap();
        let out = f(&mut store)?;
        let cursor = store.pull_cursor()?;
        let mut cursors = self.cursors.lock().unwrap();
        if cursors.last() != Some(&cursor) {
            cursors.push(cursor);
        }
        Ok(out)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fetched_while_the_store_writes_are_written_together_four_at_most() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    for n in 0..100 {
        a.create(
            Collection::Organisation,
            json!({"name": format!("Iestāde {n:03}"), "kind": "ngo", "municipality": "riga"}),
        );
    }
    a.engine(&server).sync_once().await.unwrap();
    let b = laptop(&server, &ilze).await;
    let slow =
        SlowStore { store: b.store.clone(), delay: std::time::Duration::from_millis(150), cursors: Arc::default() };
    let mut engine = SyncEngine::new(HttpTransport::new(&server.url, &b.token), slow.clone());
    engine.pull_page = 10;
    // What the user is shown meanwhile, sampled: the records stored so far, of all
    // those coming, known from the first page on.
    let done = std::sync::atomic::AtomicBool::new(false);
    let sampling = async {
        let mut seen = Vec::new();
        while !done.load(std::sync::atomic::Ordering::Relaxed) {
            seen.push(engine.progress(0));
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        seen
    };
    let (report, seen) = tokio::join!(
        async {
            let report = engine.sync_once().await;
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            report
        },
        sampling
    );
    let report = report.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(b.everything(), a.everything());
    let receiving: Vec<_> = seen.iter().filter(|p| p.stage == saite_sync::SyncStage::Receiving).collect();
    assert!(receiving.iter().all(|p| p.to_pull.is_none_or(|all| all == 100)), "{seen:?}");
    assert!(
        receiving.iter().any(|p| p.to_pull == Some(100) && p.pulled > 0 && p.pulled < 100),
        "a pull in progress shows records stored of all coming: {seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0].pulled <= w[1].pulled), "the count only grows: {seen:?}");
    let last = engine.progress(0);
    assert_eq!((last.pulled, last.to_pull, last.to_push, last.pushed), (100, Some(100), 0, 0));
    // Ten pages: the first written alone while the others are fetched, then those
    // waiting, four to a transaction at most.
    let cursors = slow.cursors.lock().unwrap().clone();
    assert_eq!(cursors[0], 0, "the round began with nothing pulled");
    let writes = cursors.len() - 1;
    assert!((3..10).contains(&writes), "ten pages in {writes} transactions: {cursors:?}");
}

fn seminar_with_notes(notes: &str) -> Value {
    json!({"title": "Apaļā galda diskusija", "kind": "round-table", "date": "2015-05-12", "municipality": "daugavpils", "notes": notes})
}

const NOTES: &str = "Dalībnieki: 12 sociālie darbinieki.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: maijā.";

/// Two laptops with one seminar both hold, synced.
async fn both_hold_a_seminar(server: &Server) -> (Laptop, Laptop, saite_domain::RecordId) {
    let a = laptop(server, "sandra@example.lv").await;
    let b = laptop(server, "ilze@example.lv").await;
    let sem = a.create(Collection::Seminar, seminar_with_notes(NOTES));
    a.engine(server).sync_once().await.unwrap();
    b.engine(server).sync_once().await.unwrap();
    assert_eq!(b.document(sem)["notes"], NOTES);
    (a, b, sem)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_edited_in_different_lines_on_two_laptops_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let (a, b, sem) = both_hold_a_seminar(&server).await;
    // Offline: a corrects the count, b the next meeting; a twice (one entry waits).
    a.update(sem, json!({"notes": NOTES.replace("12", "13")}));
    a.update(sem, json!({"notes": NOTES.replace("12", "14")}));
    assert_eq!(a.store.lock().unwrap().outbox_len().unwrap(), 1, "a text keeps one waiting entry");
    b.update(sem, json!({"notes": NOTES.replace("maijā", "jūnijā")}));
    let merged = NOTES.replace("12", "14").replace("maijā", "jūnijā");

    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    // b's text was made from the old version: the server keeps a's, b merges both.
    let report = b.engine(&server).sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(b.document(sem)["notes"], merged.as_str());
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    assert_eq!(a.document(sem)["notes"], merged.as_str());
    let history = b.store.lock().unwrap().history(sem).unwrap();
    assert!(history.iter().any(|h| h.origin == "merge" && h.new_value == Some(json!(merged))), "{history:?}");
    assert!(b.store.lock().unwrap().text_conflicts().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_edited_in_the_same_line_become_a_conflict_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let (a, b, sem) = both_hold_a_seminar(&server).await;
    let (from_a, from_b) =
        (NOTES.replace("12 sociālie", "12 jaunie sociālie"), NOTES.replace("12 sociālie", "11 sociālie"));
    a.update(sem, json!({"notes": from_a}));
    b.update(sem, json!({"notes": from_b}));
    a.engine(&server).sync_once().await.unwrap();
    let report = b.engine(&server).sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    // b keeps its own text and holds a's beside it.
    assert_eq!(b.document(sem)["notes"], from_b.as_str());
    let conflicts = b.store.lock().unwrap().text_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(
        (c.record, c.field.as_str(), c.mine.as_str(), c.theirs.as_str()),
        (sem, "notes", from_b.as_str(), from_a.as_str())
    );
    assert!(c.combined.contains("12 jaunie sociālie") && c.combined.contains("11 sociālie"), "{}", c.combined);
    // Every laptop shows one version meanwhile; a's own text stays in a's history.
    a.engine(&server).sync_once().await.unwrap();
    assert_eq!(a.document(sem)["notes"], from_b.as_str());
    assert!(a.store.lock().unwrap().history(sem).unwrap().iter().any(|h| h.new_value == Some(json!(from_a))));

    // b combines; both laptops and the server agree.
    let combined = NOTES.replace("12 sociālie", "11 jaunie sociālie");
    b.store.lock().unwrap().resolve_text_conflict(sem, "notes", &combined).unwrap();
    assert!(b.store.lock().unwrap().text_conflicts().unwrap().is_empty());
    assert_eq!(b.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    assert_eq!(a.document(sem)["notes"], combined.as_str());
    assert_eq!(a.everything(), b.everything());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_edit_made_before_the_other_laptops_sync_is_merged_too() {
    // b edits last but syncs first: its text is stored, and a merges when it syncs.
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let (a, b, sem) = both_hold_a_seminar(&server).await;
    a.update(sem, json!({"notes": format!("{NOTES}\nPiezīme no Sandras.")}));
    b.update(sem, json!({"notes": format!("Ilzes ievads.\n{NOTES}")}));
    b.engine(&server).sync_once().await.unwrap();
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    b.engine(&server).sync_once().await.unwrap();
    let both = format!("Ilzes ievads.\n{NOTES}\nPiezīme no Sandras.");
    assert_eq!(a.document(sem)["notes"], both.as_str());
    assert_eq!(b.document(sem)["notes"], both.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attachment_travels_in_parts_through_faults_and_arrives_whole() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let a = laptop(&server, "sandra@example.lv").await;
    let b = laptop(&server, "ilze@example.lv").await;
    let sem = a.create(Collection::Seminar, seminar_with_notes("Saraksts pielikumā."));
    // 5 MB: three parts each way; every byte distinct enough to catch a misplaced part.
    let file: Vec<u8> = (0..5_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let small = b"dalibnieki;12\n".to_vec();
    let big = a.store.lock().unwrap().attach(sem, "foto.jpg", "image/jpeg", &file).unwrap();
    let list = a.store.lock().unwrap().attach(sem, "saraksts.csv", "text/csv", &small).unwrap();

    // Pushing through faults: every round that fails leaves a resumable state.
    let faulty = Faulty {
        inner: HttpTransport::new(&server.url, &a.token),
        faults: Mutex::new(plan(7, 60)),
        server_gone: Mutex::new(None),
        held: Mutex::new(None),
    };
    let engine = SyncEngine::new(faulty, a.store.clone());
    sync_until_verified(&engine).await;

    // b downloads the small file with the round and the big one when opened.
    let b_engine = b.engine(&server);
    b.store.lock().unwrap().set_sync_value("policy:auto_download_bytes", "1000000").unwrap();
    assert_eq!(b_engine.sync_once().await.unwrap().verification, Verification::Verified);
    assert_eq!(b.store.lock().unwrap().attachment_file(list).unwrap(), ("saraksts.csv".to_owned(), small));
    let states = b.store.lock().unwrap().attachment_files(sem).unwrap();
    let big_state = states.iter().find(|f| f.attachment == big).unwrap();
    assert_eq!((big_state.state, big_state.here), (saite_store::FileState::OnServer, 0));
    // Opened through a faulty line: the download resumes from the parts already here.
    let faulty = Faulty {
        inner: HttpTransport::new(&server.url, &b.token),
        faults: Mutex::new(VecDeque::from([Fault::Pass, Fault::LoseAnswer, Fault::Pass, Fault::NotSent])),
        server_gone: Mutex::new(None),
        held: Mutex::new(None),
    };
    let b_faulty = SyncEngine::new(faulty, b.store.clone());
    let mut tries = 0;
    while b_faulty.fetch_attachment(big).await.is_err() {
        tries += 1;
        assert!(tries < 10);
        let here =
            b.store.lock().unwrap().attachment_files(sem).unwrap().into_iter().find(|f| f.attachment == big).unwrap();
        assert!(matches!(here.state, saite_store::FileState::Downloading | saite_store::FileState::OnServer));
    }
    assert!(tries > 0, "the faults were met");
    assert_eq!(b.store.lock().unwrap().attachment_file(big).unwrap().1, file);
    let states = b.store.lock().unwrap().attachment_files(sem).unwrap();
    assert!(states.iter().all(|f| f.state == saite_store::FileState::OnThisLaptop), "{states:?}");
}

/// Counts the requests a round makes.
struct Counting<T> {
    inner: T,
    requests: std::sync::atomic::AtomicU64,
}

impl<T: Transport> Counting<T> {
    fn count(&self) {
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl<T: Transport> Transport for Counting<T> {
    async fn push(&self, batch: &PushRequest) -> Result<PushResponse, TransportError> {
        self.count();
        self.inner.push(batch).await
    }
    async fn pull(
        &self,
        after: u64,
        limit: u32,
        collection: Option<Collection>,
        count: bool,
    ) -> Result<PullPage, TransportError> {
        self.count();
        self.inner.pull(after, limit, collection, count).await
    }
    async fn checksums(&self) -> Result<Checksums, TransportError> {
        self.count();
        self.inner.checksums().await
    }
    async fn send_events(
        &self,
        request: &saite_protocol::DeviceEventsRequest,
    ) -> Result<saite_protocol::DeviceEventsResponse, TransportError> {
        self.count();
        self.inner.send_events(request).await
    }
    async fn blob_status(&self, sha256: &str) -> Result<Option<BlobStatus>, TransportError> {
        self.count();
        self.inner.blob_status(sha256).await
    }
    async fn put_blob_part(
        &self,
        sha256: &str,
        start: u64,
        bytes: Vec<u8>,
        size: u64,
    ) -> Result<BlobStatus, TransportError> {
        self.count();
        self.inner.put_blob_part(sha256, start, bytes, size).await
    }
    async fn get_blob_range(&self, sha256: &str, start: u64, end: u64) -> Result<Vec<u8>, TransportError> {
        self.count();
        self.inner.get_blob_range(sha256, start, end).await
    }
    fn bytes_moved(&self) -> u64 {
        self.inner.bytes_moved()
    }
    fn server_time_ms(&self) -> Option<u64> {
        self.inner.server_time_ms()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_with_nothing_to_do_is_one_small_request() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let a = laptop(&server, "sandra@example.lv").await;
    let b = laptop(&server, "ilze@example.lv").await;
    for n in 0..50 {
        a.create(
            Collection::Organisation,
            json!({"name": format!("Iestāde {n:02}"), "kind": "ngo", "municipality": "riga"}),
        );
        b.create(Collection::Seminar, seminar_with_notes(&format!("Piezīmes {n}")));
    }
    a.engine(&server).sync_once().await.unwrap();
    b.engine(&server).sync_once().await.unwrap();
    let engine = SyncEngine::new(
        Counting { inner: HttpTransport::new(&server.url, &a.token), requests: Default::default() },
        a.store.clone(),
    );
    // The first round pulls b's seminars (and checks them).
    assert_eq!(engine.sync_once().await.unwrap().verification, Verification::Verified);
    let before =
        (engine.transport().requests.load(std::sync::atomic::Ordering::Relaxed), engine.transport().bytes_moved());
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified);
    let requests = engine.transport().requests.load(std::sync::atomic::Ordering::Relaxed) - before.0;
    let bytes = engine.transport().bytes_moved() - before.1;
    assert_eq!(requests, 1, "one request");
    assert!(bytes < 400, "{bytes} body bytes");
    // A repull asked by the office is still noticed from the summary.
    let tenant = server.storage.tenants().await.unwrap()[0].id;
    server
        .storage
        .request_repull(tenant, Collection::Organisation, AuditContext::admin(1, "repull", json!({})))
        .await
        .unwrap();
    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.repulled, report.verification), (vec![Collection::Organisation], Verification::Verified));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_notes_beyond_the_servers_body_limit_go_in_several_pushes() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let a = laptop(&server, "sandra@example.lv").await;
    let b = laptop(&server, "ilze@example.lv").await;
    // 30 seminars of 300 KB notes each: 9 MB, more than the server's 8 MiB body limit.
    let notes = "žā ".repeat(60_000);
    let ids: Vec<_> =
        (0..30).map(|n| a.create(Collection::Seminar, seminar_with_notes(&format!("{n} {notes}")))).collect();
    let engine = SyncEngine::new(
        Counting { inner: HttpTransport::new(&server.url, &a.token), requests: Default::default() },
        a.store.clone(),
    );
    let report = engine.sync_once().await.expect("no push is refused as too large");
    assert_eq!(report.verification, Verification::Verified);
    assert!(engine.transport().bytes_moved() > 9_000_000);
    assert_eq!(a.store.lock().unwrap().outbox_len().unwrap(), 0);
    assert_eq!(b.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    for id in ids {
        assert_eq!(b.document(id), a.document(id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_does_not_pull_back_what_it_just_pushed_and_its_next_text_edit_still_lands() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let a = laptop(&server, "sandra@example.lv").await;
    let b = laptop(&server, "ilze@example.lv").await;
    let sem = a.create(Collection::Seminar, seminar_with_notes(NOTES));
    let first = a.engine(&server).sync_once().await.unwrap();
    assert!(first.pushed > 0);
    assert_eq!((first.pulled, first.verification.clone()), (0, Verification::Verified), "{first:?}");

    // The pushed notes are the base of the next edit, as a pulled echo would have made
    // them: the server stores the edit (it expects the version the server holds).
    let edited = format!("{NOTES}\nPapildinājums.");
    a.update(sem, json!({"notes": edited}));
    let second = a.engine(&server).sync_once().await.unwrap();
    assert_eq!((second.pulled, second.verification), (0, Verification::Verified));
    b.engine(&server).sync_once().await.unwrap();
    assert_eq!(b.document(sem)["notes"], edited.as_str());

    // Another laptop's push came between: the echo is pulled with it, as before.
    let org = b.create(
        Collection::Organisation,
        json!({"name": "Valmieras novada dome", "kind": "municipality", "municipality": "valmieras-novads"}),
    );
    b.engine(&server).sync_once().await.unwrap();
    a.update(sem, json!({"title": "Apaļais galds Daugavpilī"}));
    let third = a.engine(&server).sync_once().await.unwrap();
    assert_eq!(third.verification, Verification::Verified);
    assert!(third.pulled >= 4, "b's organisation and a's own title: {third:?}");
    assert_eq!(a.document(org)["name"], "Valmieras novada dome");
    b.engine(&server).sync_once().await.unwrap();
    assert_eq!(a.everything(), b.everything());
}

/// A text written here for the first time (no base) that the server keeps out, because
/// another laptop's first text reached it before: it is marked never stored, so when
/// the other text arrives it is not taken as this text's base (which would replace it
/// unseen) but met as a conflict, both versions kept. (A record both hold without the
/// field at all: one made elsewhere before the field existed, sent here by a third
/// device.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_text_the_server_kept_out_meets_the_other_as_a_conflict_not_as_its_base() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    organisation(&server.storage).await;
    let a = laptop(&server, "sandra@example.lv").await;
    let b = laptop(&server, "ilze@example.lv").await;
    let ids = saite_domain::IdGenerator::new();
    let elsewhere: saite_domain::DeviceId = ids.new_id(SystemClock.now_ms());
    let signed = sign_in(&server.url, "sandra@example.lv", PASSWORD, elsewhere, "Birojs").await.unwrap();
    let sem: saite_domain::RecordId = ids.new_id(SystemClock.now_ms());
    let stamp = saite_domain::Hlc { wall_ms: SystemClock.now_ms(), counter: 0, device: elsewhere };
    let fields = [
        ("title", json!("Apaļā galda diskusija")),
        ("kind", json!("round-table")),
        ("date", json!("2015-05-12")),
        ("municipality", json!("daugavpils")),
    ];
    let change = saite_protocol::RecordChange::from_fields(
        1,
        sem,
        Collection::Seminar,
        fields.map(|(f, v)| (f.to_owned(), v, stamp)),
    );
    HttpTransport::new(&server.url, &signed.token)
        .push(&PushRequest { after_seq: 0, changes: vec![change] })
        .await
        .unwrap();
    a.engine(&server).sync_once().await.unwrap();
    b.engine(&server).sync_once().await.unwrap();
    assert!(!a.document(sem).contains_key("notes"));
    let (from_a, from_b) = ("Dalībnieki: 9.", "Dalībnieki: 10.");
    // Both write the first notes offline; b syncs first.
    a.update(sem, json!({"notes": from_a}));
    b.update(sem, json!({"notes": from_b}));
    b.engine(&server).sync_once().await.unwrap();
    // a's push is stored except its text (it expected no text on the server), so the
    // synced-through stamp passes a's text: the mark keeps it from counting as synced.
    let report = a.engine(&server).sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(a.document(sem)["notes"], from_a, "a keeps its own text");
    let conflicts = a.store.lock().unwrap().text_conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!((conflicts[0].mine.as_str(), conflicts[0].theirs.as_str()), (from_a, from_b));
    // Every laptop ends with one version; neither text is gone.
    b.engine(&server).sync_once().await.unwrap();
    assert_eq!(a.everything(), b.everything());
}

/// A laptop whose clock runs three days ahead records offline; the server refuses its
/// stamps, the laptop stamps its waiting changes again by the server's time and the
/// round ends verified; a colleague then edits one of those fields, and the later edit
/// wins everywhere (the wrong clock's stamps would have beaten it for three days).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_with_its_clock_days_ahead_syncs_and_loses_no_later_edit() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let ahead = Arc::new(saite_domain::ManualClock::at(SystemClock.now_ms() + 3 * 24 * 3_600_000));
    let a = {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::initialize(dir.path(), "pareiza parole", KdfParams::FAST_FOR_TESTS, ahead.clone(), &sandra).unwrap();
        let signed = sign_in(&server.url, &sandra, PASSWORD, store.device_id(), "Klēpjdators").await.unwrap();
        Laptop { _dir: dir, store: Arc::new(Mutex::new(store)), token: signed.token }
    };
    let b = laptop(&server, &ilze).await;
    let sem = a.create(
        Collection::Seminar,
        json!({"title": "Apaļais galds", "kind": "round-table", "date": "2014-03-01", "municipality": "rezeknes-novads"}),
    );
    a.update(sem, json!({"venue": "Kultūras nams"}));
    let engine = a.engine(&server);
    let report = engine.sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(a.store.lock().unwrap().outbox_len().unwrap(), 0, "nothing stuck");
    let server_now = engine.transport().server_time_ms().expect("the server's clock in its answers");
    assert!(
        saite_protocol::clock::clock_skew(ahead.now_ms(), server_now).is_some_and(|skew| skew > 0),
        "the laptop sees its clock ahead"
    );
    b.engine(&server).sync_once().await.unwrap();
    assert_eq!(b.document(sem)["venue"], json!("Kultūras nams"));
    // The colleague's later edit (by a right clock) wins on both laptops.
    b.update(sem, json!({"venue": "Bibliotēka"}));
    b.engine(&server).sync_once().await.unwrap();
    let report = a.engine(&server).sync_once().await.unwrap();
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(a.document(sem)["venue"], json!("Bibliotēka"));
    assert_eq!(b.document(sem), a.document(sem));
}

/// A laptop is backed up with changes waiting, pushes them anyway and edits on; then it
/// is lost, and its backup is restored on a new laptop, which signs in as a new device.
/// Its first rounds send the waiting changes again: the server doubles no record and
/// undoes no later edit (the old laptop's own or a colleague's), and the restored laptop
/// ends verified, equal to the colleague's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_backup_syncs_as_a_new_device_and_doubles_or_undoes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    let b = laptop(&server, &ilze).await;
    let org = a.create(Collection::Organisation, json!({"name": "Ludzas NVA", "kind": "ngo"}));
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);

    // Offline: a new seminar and a renamed organisation wait when the backup is made.
    let sem = a.create(Collection::Seminar, seminar_with_notes(NOTES));
    a.update(org, json!({"name": "Ludzas novada NVA"}));
    let stick = tempfile::tempdir().unwrap();
    let made = a
        .store
        .lock()
        .unwrap()
        .back_up(stick.path(), "rezerves parole", KdfParams::FAST_FOR_TESTS, saite_sync::account::LEFT_OUT_OF_BACKUPS)
        .unwrap();
    assert_eq!(made.unsynced, 2);
    // They reach the office after all; later the seminar's title changes on a, and the
    // organisation's name on b.
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    a.update(sem, json!({"title": "Seminārs Ludzā (precizēts)"}));
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    b.engine(&server).sync_once().await.unwrap();
    b.update(org, json!({"name": "Biedrība “Ludzas NVA”"}));
    assert_eq!(b.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    let old_device = a.store.lock().unwrap().device_id();
    drop(a);

    let new_laptop = tempfile::tempdir().unwrap();
    let now = SystemClock.now_ms();
    let restored = Store::restore_backup(
        new_laptop.path(),
        std::path::Path::new(&made.path),
        "rezerves parole",
        KdfParams::FAST_FOR_TESTS,
        Arc::new(SystemClock),
        &sandra,
        |s| saite_sync::account::restored(s, now),
    )
    .unwrap();
    assert_ne!(restored.device_id(), old_device);
    assert_eq!(restored.outbox_len().unwrap(), 2, "what waited at the backup waits again");
    let signed = sign_in(&server.url, &sandra, PASSWORD, restored.device_id(), "Jaunais klēpjdators").await.unwrap();
    let c = Laptop { _dir: new_laptop, store: Arc::new(Mutex::new(restored)), token: signed.token };
    let report = c.engine(&server).sync_once().await.unwrap();
    assert_eq!(report.pushed, 2, "{report:?}");
    let report = if report.verification == Verification::Verified {
        report
    } else {
        c.engine(&server).sync_once().await.unwrap()
    };
    assert_eq!(report.verification, Verification::Verified, "{report:?}");
    assert_eq!(c.store.lock().unwrap().outbox_len().unwrap(), 0);
    assert!(c.store.lock().unwrap().text_conflicts().unwrap().is_empty(), "the same notes are no conflict");

    assert_eq!(c.document(org)["name"], "Biedrība “Ludzas NVA”", "the colleague's later name stays");
    assert_eq!(c.document(sem)["title"], "Seminārs Ludzā (precizēts)", "the old laptop's later title stays");
    assert_eq!(c.document(sem)["notes"], NOTES);
    let after = b.engine(&server).sync_once().await.unwrap();
    assert_eq!(after.verification, Verification::Verified);
    assert_eq!(after.pulled, 0, "what was sent again lost its ties at the office: nothing new to pull");
    assert_eq!(c.everything(), b.everything(), "one organisation and one seminar on both, the same");
    assert_eq!(c.everything().len(), 2);
}

/// An export noted on a laptop reaches the office's audit with the laptop's time at its
/// next round, once; the laptop then holds nothing waiting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_reaches_the_audit_at_the_next_round_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop(&server, &sandra).await;
    let detail = saite_protocol::EventDetail {
        file: Some("Pasākumi un dalībnieki 2026-12-08.csv".into()),
        format: Some("csv".into()),
        rows: Some(12),
        ..Default::default()
    };
    a.store.lock().unwrap().note_event(saite_protocol::DeviceEventAction::Export, &detail).unwrap();
    let noted_at = a.store.lock().unwrap().waiting_events(10).unwrap()[0].at_ms;
    assert_eq!(a.engine(&server).sync_once().await.unwrap().verification, Verification::Verified);
    assert!(a.store.lock().unwrap().waiting_events(10).unwrap().is_empty(), "acknowledged");
    a.engine(&server).sync_once().await.unwrap();
    let filter = saite_server_storage::AuditFilter { action: Some("export".into()), ..Default::default() };
    let kept = server.storage.audit_entries(tenant, &filter, 10).await.unwrap();
    assert_eq!(kept.len(), 1, "once: {kept:?}");
    let want = json!({"file": "Pasākumi un dalībnieki 2026-12-08.csv", "format": "csv", "rows": 12});
    assert_eq!((kept[0].device_time_ms, kept[0].detail.clone()), (Some(noted_at), want));
    assert_eq!(kept[0].device, Some(a.store.lock().unwrap().device_id()));
}
