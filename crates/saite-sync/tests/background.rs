//! The background loop ([`BackgroundSync`]) against the real `saite-server` router over
//! real HTTP, in real time with a short cadence: it connects and pushes what was made
//! before, folds a burst of changes into one round, says "server unreachable" and
//! retries by itself, asks before a mass delete, idles while the store is locked, and
//! asks the app to destroy the data when the device is revoked or the no-contact policy
//! falls due.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use saite_domain::{Clock, Collection, ManualClock, SystemClock};
use saite_server_storage::{AuditContext, ServerStorage};
use saite_store::{Store, key::KdfParams};
use saite_sync::{
    BackgroundSync, SyncCadence, SyncFailureCode, SyncHost, SyncPhase, SyncStatus, VerificationState, WipeReason,
};
use serde_json::{Value, json};

mod common;

use common::{PASSWORD, Server, organisation};

type Slot = Arc<Mutex<Option<Store>>>;

/// The app around the loop: remembers every status it was shown, and wipes as the app
/// does (the store leaves its slot and is shredded).
struct RecordingHost {
    slot: Slot,
    statuses: Mutex<Vec<SyncStatus>>,
    wipes: Mutex<Vec<WipeReason>>,
}

impl SyncHost for RecordingHost {
    fn status_changed(&self, status: &SyncStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }

    fn wipe(&self, reason: WipeReason) {
        self.wipes.lock().unwrap().push(reason);
        if let Some(store) = self.slot.lock().unwrap().take() {
            store.shred().unwrap();
        }
    }
}

impl RecordingHost {
    /// How many rounds began among the statuses shown so far.
    fn rounds_begun(&self) -> usize {
        let statuses = self.statuses.lock().unwrap();
        let syncing: Vec<bool> = statuses.iter().map(|s| s.phase.is_syncing()).collect();
        syncing.iter().enumerate().filter(|(i, now)| **now && (*i == 0 || !syncing[i - 1])).count()
    }
}

const FAST: SyncCadence = SyncCadence {
    every: Duration::from_secs(600),
    after_change: Duration::from_millis(300),
    poll: Duration::from_millis(100),
};

struct Laptop {
    dir: tempfile::TempDir,
    slot: Slot,
    host: Arc<RecordingHost>,
    sync: BackgroundSync<Slot>,
    clock: Arc<ManualClock>,
}

fn laptop() -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::initialize(
        dir.path(),
        "pareiza parole",
        KdfParams::FAST_FOR_TESTS,
        Arc::new(SystemClock),
        "konsultante",
    )
    .unwrap();
    let slot: Slot = Arc::new(Mutex::new(Some(store)));
    let host = Arc::new(RecordingHost { slot: slot.clone(), statuses: Mutex::default(), wipes: Mutex::default() });
    let clock = Arc::new(ManualClock::at(SystemClock.now_ms()));
    let (sync, looping) = BackgroundSync::new(slot.clone(), clock.clone(), host.clone(), FAST);
    tokio::spawn(looping);
    Laptop { dir, slot, host, sync, clock }
}

impl Laptop {
    fn create(&self, collection: Collection, doc: Value) -> saite_domain::RecordId {
        let id = self
            .slot
            .lock()
            .unwrap()
            .as_mut()
            .unwrap()
            .create(collection, doc.as_object().unwrap().clone())
            .unwrap()
            .id;
        self.sync.changed();
        id
    }

    fn live(&self, collection: Collection) -> u64 {
        self.slot.lock().unwrap().as_ref().unwrap().live_count(collection).unwrap()
    }

    /// Waits (up to 20 s) for a status that satisfies `wanted`, and returns it.
    async fn until(&self, what: &str, wanted: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
        for _ in 0..400 {
            let status = self.sync.status();
            if wanted(&status) {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("never {what}; last status {:?}", self.sync.status());
    }

    /// Signs in to `server` as `email` and waits for the first round to end verified.
    async fn connect_and_verify(&self, server: &Server, email: &str, device_name: &str) {
        self.sync.connect(&server.url, email, PASSWORD, device_name).await.unwrap();
        self.until_verified().await;
    }

    async fn until_verified(&self) -> SyncStatus {
        self.until("verified with nothing pending", |s| {
            s.phase == SyncPhase::Idle && s.verification == Some(VerificationState::Verified) && s.pending == 0
        })
        .await
    }

    /// With the server gone: `kept` days on, a round fails and the data stays;
    /// `wiped` days on, the round destroys it for lack of contact.
    async fn kept_then_wiped_without_contact(&self, kept: u64, wiped: u64) {
        const DAY: u64 = 24 * 3600 * 1000;
        self.clock.advance(kept * DAY);
        self.sync.sync_now();
        self.until("failed", |s| matches!(s.phase, SyncPhase::Failed { .. })).await;
        assert!(self.host.wipes.lock().unwrap().is_empty(), "kept after {kept} days");
        self.clock.advance((wiped - kept) * DAY);
        self.sync.sync_now();
        self.until("locked after the wipe", |s| s.phase == SyncPhase::Locked).await;
        assert_eq!(*self.host.wipes.lock().unwrap(), vec![WipeReason::NoContact]);
    }

    fn device(&self) -> saite_domain::DeviceId {
        self.slot.lock().unwrap().as_ref().unwrap().device_id()
    }
}

fn organisation_doc(name: &str) -> Value {
    json!({"name": name, "kind": "ngo", "municipality": "riga"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_pushes_what_was_recorded_before_and_the_other_laptop_receives_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop();
    a.create(
        Collection::Seminar,
        json!({"title": "Informatīvs seminārs", "kind": "seminar", "date": "2014-03-01", "municipality": "rezeknes-novads"}),
    );
    a.create(Collection::Organisation, organisation_doc("Rēzeknes novada sociālais dienests"));
    let local = a.until("local-only", |s| s.phase == SyncPhase::LocalOnly).await;
    assert_eq!((local.pending, local.account.is_none(), local.verification), (2, true, None), "{local:?}");

    let wrong = a.sync.connect(&server.url, &sandra, "nepareiza", "Klēpjdators A").await.unwrap_err();
    assert_eq!(wrong.code(), SyncFailureCode::BadCredentials);
    let bad_address = a.sync.connect("ftp://birojs", &sandra, PASSWORD, "Klēpjdators A").await.unwrap_err();
    assert_eq!(bad_address.code(), SyncFailureCode::BadServerAddress);
    let account = a.sync.connect(&server.url, &sandra, PASSWORD, "Klēpjdators A").await.unwrap();
    assert_eq!((account.organisation.as_str(), account.email.as_str()), ("Biedrība Patvērums", sandra.as_str()));
    let verified = a.until_verified().await;
    assert!(verified.last_success_ms.is_some() && verified.phase == SyncPhase::Idle, "{verified:?}");
    assert!(a.host.rounds_begun() >= 1);
    let shown = a.host.statuses.lock().unwrap().clone();
    assert!(shown.iter().any(|s| s.phase.is_syncing()), "a round shows its progress while it runs");
    // The progress and the pending count agree in every status shown: records sent of
    // those waiting when the round began, the rest of them still pending.
    for s in &shown {
        if let SyncPhase::Syncing { progress: p } = &s.phase {
            assert!(p.pushed <= p.to_push && p.to_push - p.pushed <= s.pending, "{s:?}");
        }
    }

    let b = laptop();
    b.connect_and_verify(&server, &ilze, "Klēpjdators B").await;
    assert_eq!((b.live(Collection::Seminar), b.live(Collection::Organisation)), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_changes_is_one_round_after_the_debounce() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop();
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    let before = a.host.rounds_begun();
    for n in 0..5 {
        a.create(Collection::Organisation, organisation_doc(&format!("Iestāde {n}")));
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    assert_eq!(a.host.rounds_begun(), before, "no round while changes keep coming");
    assert_eq!(a.sync.status().pending, 5);
    a.until_verified().await;
    assert_eq!(a.host.rounds_begun(), before + 1, "five changes, one round");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_said_plainly_and_retried_until_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let address = server.url.trim_start_matches("http://").to_owned();
    let (_tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop();
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    server.stop().await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    a.create(Collection::Organisation, organisation_doc("Iestāde, ierakstīta bez servera"));
    let failed = a.until("failed", |s| matches!(s.phase, SyncPhase::Failed { .. })).await;
    let SyncPhase::Failed { failure, next_attempt_ms } = failed.phase.clone() else { unreachable!() };
    assert_eq!(failure.code, SyncFailureCode::ServerUnreachable, "{failed:?}");
    let next = next_attempt_ms.expect("a retry is planned");
    let wait = next - failure.at_ms;
    assert!((2_500..=5_000).contains(&wait), "the first retry waits 2.5–5 s, not {wait} ms");
    assert_eq!(failed.pending, 1);
    assert_eq!(failed.verification, Some(VerificationState::Verified), "the last verified state is still shown");

    // The server comes back where it was; the retry finds it without anyone asking.
    let _back = Server::start_at(dir.path(), &address).await;
    let verified = a.until_verified().await;
    assert_eq!(verified.phase, SyncPhase::Idle, "no failure, no retry planned: {verified:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mass_delete_waits_for_the_user_and_is_applied_once_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (tenant, [sandra, ilze]) = organisation(&server.storage).await;
    let a = laptop();
    let b = laptop();
    let ids: Vec<_> =
        (0..40).map(|n| a.create(Collection::Organisation, organisation_doc(&format!("Iestāde {n:02}")))).collect();
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    b.connect_and_verify(&server, &ilze, "Klēpjdators B").await;
    for id in &ids[..30] {
        a.slot.lock().unwrap().as_mut().unwrap().delete(*id).unwrap();
    }
    a.sync.sync_now();
    a.until_verified().await;
    // Meanwhile the office tightens its policy: a round stopped by a question still
    // brings it, as the server answered.
    let office = saite_protocol::office::OfficeSettings { wipe_after_days: Some(5), ..Default::default() };
    let audit = AuditContext::admin(SystemClock.now_ms(), "office-settings", json!({}));
    server.storage.set_office(tenant, office.clone(), audit).await.unwrap();

    b.sync.sync_now();
    let asked = b.until("asking about a mass delete", |s| s.mass_delete.is_some()).await;
    b.until("told the office's policy", |s| s.wipe_after_days_in_force == Some(5)).await;
    let question = asked.mass_delete.unwrap();
    assert_eq!((question.collection, question.records, question.of), (Collection::Organisation, 30, 40));
    let SyncPhase::Failed { failure, next_attempt_ms } = &asked.phase else { panic!("{asked:?}") };
    assert_eq!(failure.code, SyncFailureCode::MassDelete);
    assert_eq!(*next_attempt_ms, None, "not retried behind the user's back");
    assert_eq!(b.live(Collection::Organisation), 40);
    b.sync.allow_mass_delete();
    b.until_verified().await;
    assert_eq!(b.live(Collection::Organisation), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_store_is_waited_for_and_synced_once_unlocked() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop();
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    a.create(Collection::Organisation, organisation_doc("Iestāde pirms aizslēgšanas"));
    // Locked before the debounce ends.
    drop(a.slot.lock().unwrap().take());
    a.sync.store_closed();
    a.sync.sync_now();
    let locked = a.until("locked", |s| s.phase == SyncPhase::Locked).await;
    assert!(locked.phase.failure().is_none(), "a locked store is not a failure: {locked:?}");
    let store = Store::open(a.dir.path(), "pareiza parole", Arc::new(SystemClock), "konsultante").unwrap();
    assert!(store.outbox_len().unwrap() > 0, "the change waits in the outbox");
    *a.slot.lock().unwrap() = Some(store);
    a.sync.store_opened();
    let verified = a.until_verified().await;
    assert_eq!(verified.pending, 0, "pushed after unlocking");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop();
    a.create(Collection::Organisation, organisation_doc("Iestāde ar tālruni"));
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    let audit = AuditContext::admin(SystemClock.now_ms(), "device-revoke", json!({}));
    server.storage.revoke_device(a.device(), audit).await.unwrap();
    a.sync.sync_now();
    a.until("locked after the wipe", |s| s.phase == SyncPhase::Locked).await;
    assert_eq!(*a.host.wipes.lock().unwrap(), vec![WipeReason::DeviceRevoked]);
    assert!(a.slot.lock().unwrap().is_none());
    assert!(
        Store::open(a.dir.path(), "pareiza parole", Arc::new(SystemClock), "konsultante").is_err(),
        "nothing left to open"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_no_contact_policy_wipes_a_laptop_that_has_not_reached_the_server_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (_tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop();
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    a.sync.set_wipe_after_days(Some(14)).unwrap();
    assert_eq!(a.sync.status().wipe_after_days, Some(14));
    server.stop().await;
    // Thirteen days on the road: still there; fifteen: gone.
    a.kept_then_wiped_without_contact(13, 15).await;
}

/// The office sets the policy for every laptop: it arrives with the next round, is kept
/// in the store, cannot be loosened by the laptop's own choice, and is enforced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offices_policy_reaches_the_laptop_and_the_stricter_one_wipes_it() {
    use saite_protocol::office::OfficeSettings;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path()).await;
    let (tenant, [sandra, _]) = organisation(&server.storage).await;
    let a = laptop();
    a.connect_and_verify(&server, &sandra, "Klēpjdators A").await;
    assert_eq!(a.sync.status().office, OfficeSettings::default());
    let office = OfficeSettings { wipe_after_days: Some(10), hotline: Some("116006".into()), ..Default::default() };
    let audit = AuditContext::admin(SystemClock.now_ms(), "office-settings", json!({}));
    server.storage.set_office(tenant, office.clone(), audit).await.unwrap();
    a.sync.sync_now();
    let status = a.until("told the office's settings", |s| s.office == office).await;
    assert_eq!((status.wipe_after_days, status.wipe_after_days_in_force), (None, Some(10)));
    // The laptop's own looser choice changes nothing; the settings are in the store.
    a.sync.set_wipe_after_days(Some(60)).unwrap();
    assert_eq!((a.sync.status().wipe_after_days, a.sync.status().wipe_after_days_in_force), (Some(60), Some(10)));
    let kept = saite_sync::account::office(a.slot.lock().unwrap().as_ref().unwrap()).unwrap();
    assert_eq!(kept, office);
    server.stop().await;
    a.kept_then_wiped_without_contact(9, 11).await;
}
