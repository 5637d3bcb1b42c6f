//! The sync engine against the real `saite-server` (its router on a random port, on a
//! real SQLite file) over real HTTP: two laptops' stores converge, and a round cut by
//! any fault — a lost answer, a request never sent, one sent twice, a batch cut short, a
//! server gone mid-round — loses and duplicates nothing; the next round finishes the job.

use std::{
    collections::VecDeque,
    net::SocketAddr,
    path::Path,
    sync::{Arc, Mutex},
};

use saite_domain::{Clock, Collection, SystemClock};
use saite_protocol::{Checksums, PullPage, PushRequest, PushResponse, Role, TenantId, UserId};
use saite_server::{AppState, Limits, router};
use saite_server_sqlite::SqliteStorage;
use saite_server_storage::{AuditContext, NewUser, ServerStorage};
use saite_store::{Store, key::KdfParams};
use saite_sync::{HttpTransport, SyncEngine, Transport, TransportError, Verification, sign_in};
use serde_json::{Map, Value, json};

const PASSWORD: &str = "Drošā parole 2026";

struct Server {
    url: String,
    task: tokio::task::JoinHandle<()>,
    storage: SqliteStorage,
}

impl Server {
    /// Serves the database in `dir` (made on first use) on a new random port.
    async fn start(dir: &Path) -> Server {
        let storage = SqliteStorage::open(&dir.join("server.db")).unwrap();
        let app = router(AppState::new(storage.clone(), Arc::new(SystemClock), Limits::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        Server { url, task, storage }
    }

    fn stop(&self) {
        self.task.abort();
    }
}

/// One organisation with two consultants; returns their e-mails.
async fn organisation(storage: &SqliteStorage) -> (TenantId, [String; 2]) {
    let tenant = TenantId(uuid::Uuid::now_v7());
    let admin = |action: &str| AuditContext::admin(SystemClock.now_ms(), action, json!({}));
    storage.create_tenant(tenant, "Biedrība Patvērums", admin("tenant-add")).await.unwrap();
    let hash = saite_server::auth::hash_password(PASSWORD);
    let emails = ["sandra@example.lv", "ilze@example.lv"].map(str::to_owned);
    for email in &emails {
        let user = NewUser {
            id: UserId(uuid::Uuid::now_v7()),
            tenant,
            email: email.clone(),
            name: email.clone(),
            role: Role::Consultant,
            password_hash: hash.clone(),
        };
        storage.create_user(user, admin("user-add")).await.unwrap();
    }
    (tenant, emails)
}

struct Laptop {
    _dir: tempfile::TempDir,
    store: Arc<Mutex<Store>>,
    token: String,
}

async fn laptop(server: &Server, email: &str) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::initialize(dir.path(), "pareiza parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), email).unwrap();
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
    let org =
        a.create(Collection::Organisation, json!({"name": "NVA Daugavpils filiāle", "kind": "nva-branch", "municipality": "daugavpils"}));
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
}

struct Faulty<T> {
    inner: T,
    faults: Mutex<VecDeque<Fault>>,
    server_gone: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

impl<T: Transport> Faulty<T> {
    fn next(&self) -> Fault {
        self.faults.lock().unwrap().pop_front().unwrap_or(Fault::Pass)
    }

    fn lost() -> TransportError {
        TransportError::Unreachable("the connection dropped (injected)".into())
    }
}

impl<T: Transport> Transport for Faulty<T> {
    async fn push(&self, batch: &PushRequest) -> Result<PushResponse, TransportError> {
        match self.next() {
            Fault::Pass => self.inner.push(batch).await,
            Fault::LoseAnswer => self.inner.push(batch).await.and(Err(Self::lost())),
            Fault::NotSent => Err(Self::lost()),
            Fault::Twice => {
                let _ = self.inner.push(batch).await;
                self.inner.push(batch).await
            }
            Fault::CutBatch => {
                let mut half = batch.clone();
                let keep = half.records.len().div_ceil(2);
                half.records.truncate(keep);
                let _ = self.inner.push(&half).await;
                Err(Self::lost())
            }
            Fault::ServerGone => {
                if let Some(stop) = self.server_gone.lock().unwrap().take() {
                    stop();
                }
                self.inner.push(batch).await
            }
        }
    }

    async fn pull(&self, after: u64, limit: u32, collection: Option<Collection>) -> Result<PullPage, TransportError> {
        match self.next() {
            Fault::LoseAnswer | Fault::CutBatch => self.inner.pull(after, limit, collection).await.and(Err(Self::lost())),
            Fault::NotSent | Fault::ServerGone => Err(Self::lost()),
            Fault::Twice => {
                let _ = self.inner.pull(after, limit, collection).await;
                self.inner.pull(after, limit, collection).await
            }
            Fault::Pass => self.inner.pull(after, limit, collection).await,
        }
    }

    async fn checksums(&self) -> Result<Checksums, TransportError> {
        match self.next() {
            Fault::NotSent | Fault::ServerGone | Fault::LoseAnswer | Fault::CutBatch => Err(Self::lost()),
            _ => self.inner.checksums().await,
        }
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
        let org = a.create(Collection::Organisation, json!({"name": format!("Iestāde {n:03}"), "kind": "ngo", "municipality": "riga"}));
        if n % 3 == 0 {
            a.update(org, json!({"address": format!("Brīvības iela {n}")}));
        }
    }
    let b_org =
        b.create(Collection::Organisation, json!({"name": "Ludzas novada bibliotēka", "kind": "library", "municipality": "ludzas-novads"}));

    let mut rounds = 0;
    for seed in [7u64, 99, 2026] {
        let mut ea = SyncEngine::new(
            Faulty { inner: HttpTransport::new(&server.url, &a.token), faults: Mutex::new(plan(seed, 200)), server_gone: Mutex::new(None) },
            a.store.clone(),
        );
        ea.push_batch = 25;
        ea.pull_page = 40;
        let mut eb = SyncEngine::new(
            Faulty {
                inner: HttpTransport::new(&server.url, &b.token),
                faults: Mutex::new(plan(seed + 1, 200)),
                server_gone: Mutex::new(None),
            },
            b.store.clone(),
        );
        eb.push_batch = 25;
        eb.pull_page = 40;
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
        a.create(Collection::Organisation, json!({"name": format!("Iestāde {n:03}"), "kind": "ngo", "municipality": "riga"}));
    }
    // The third push finds the server gone.
    let task = first.task.abort_handle();
    let faulty = Faulty {
        inner: HttpTransport::new(&first.url, &a.token),
        faults: Mutex::new(VecDeque::from([Fault::Pass, Fault::Pass, Fault::ServerGone])),
        server_gone: Mutex::new(Some(Box::new(move || task.abort()))),
    };
    let mut engine = SyncEngine::new(faulty, a.store.clone());
    engine.push_batch = 50;
    assert!(engine.sync_once().await.is_err(), "the round stops where the server went away");
    let left = a.store.lock().unwrap().outbox_len().unwrap();
    assert!(left > 0, "what the server did not confirm stays queued");
    first.stop();
    drop(first);
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
        .map(|n| a.create(Collection::Organisation, json!({"name": format!("Iestāde {n:02}"), "kind": "ngo", "municipality": "riga"})))
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
