//! Sync without the user thinking of it: one loop per app runs rounds when asked
//! ("Sync now", the store unlocked, the network back), shortly after a change
//! (debounced), every few minutes while connected, and after a failure with
//! exponential back-off ([`crate::schedule::retry_delay`]). It keeps the
//! [`SyncStatus`] the UI shows and tells the app ([`SyncHost`]) when it changes.
//!
//! Invariants: one loop, one round at a time (the loop awaits each round; the engine
//! also refuses to overlap); a failure that retrying cannot fix (signed out, a version
//! mismatch, a mass delete awaiting an answer) is not retried until the user acts; a
//! revoked device, or the no-contact policy falling due, makes the loop ask the host to
//! destroy the data ([`SyncHost::wipe`]) and nothing else happens after it.

use std::{
    hash::{BuildHasher, Hasher},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use saite_domain::Clock;
use tokio::{sync::Notify, time::Instant};

use crate::{
    Account, AccountSummary, ConnectError, HttpTransport, MassDeleteQuestion, Replica, SyncEngine, SyncError,
    SyncFailure, SyncFailureCode, SyncPhase, SyncReport, SyncStatus, Verification, VerificationState, account, network,
    schedule::retry_delay,
};

/// How often the loop syncs by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncCadence {
    /// A round this long after the last one while connected.
    pub every: Duration,
    /// A round this long after the last change (each change restarts the wait).
    pub after_change: Duration,
    /// How often the network is looked at while offline, and the status refreshed
    /// during a round.
    pub poll: Duration,
}

impl Default for SyncCadence {
    fn default() -> SyncCadence {
        SyncCadence {
            every: Duration::from_secs(5 * 60),
            after_change: Duration::from_secs(10),
            poll: Duration::from_secs(5),
        }
    }
}

/// Why the data must be destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WipeReason {
    /// The server says this device was revoked (reported lost).
    DeviceRevoked,
    /// The lost-laptop policy: no contact with the server for too many days.
    NoContact,
}

/// What the loop needs from the app around it.
pub trait SyncHost: Send + Sync + 'static {
    /// The status changed (a round began, progressed, ended, failed...).
    fn status_changed(&self, status: &SyncStatus);
    /// Destroy the store's key and files and return to first run.
    fn wipe(&self, reason: WipeReason);
}

/// When the next round is due, and what the last ones did.
#[derive(Debug, Default)]
struct Plan {
    now: bool,
    after_change: Option<Instant>,
    timer: Option<Instant>,
    failures: u32,
    stopped: bool,
}

impl Plan {
    fn due(&self) -> Option<Instant> {
        if self.now {
            return Some(Instant::now());
        }
        match (self.after_change, self.timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

struct Inner<R: Replica> {
    replica: R,
    clock: Arc<dyn Clock>,
    host: Arc<dyn SyncHost>,
    cadence: SyncCadence,
    wake: Notify,
    plan: Mutex<Plan>,
    status: Mutex<SyncStatus>,
    /// The engine for the stored account, made on the first round after it was read.
    engine: Mutex<Option<ConnectedEngine<R>>>,
}

type ConnectedEngine<R> = (Account, Arc<SyncEngine<HttpTransport, R>>);

/// The app's handle on its sync loop; cheap to clone.
pub struct BackgroundSync<R: Replica> {
    inner: Arc<Inner<R>>,
}

impl<R: Replica> Clone for BackgroundSync<R> {
    fn clone(&self) -> Self {
        BackgroundSync { inner: self.inner.clone() }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A number in [0, 1) for spreading retries; any randomness serves.
fn jitter() -> f64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

impl<R: Replica> BackgroundSync<R> {
    /// The handle, and the loop to spawn on the app's async runtime. The first round
    /// runs at once (resuming whatever an earlier session left).
    pub fn new(
        replica: R,
        clock: Arc<dyn Clock>,
        host: Arc<dyn SyncHost>,
        cadence: SyncCadence,
    ) -> (Self, impl Future<Output = ()>) {
        let inner = Arc::new(Inner {
            replica,
            clock,
            host,
            cadence,
            wake: Notify::new(),
            plan: Mutex::new(Plan { now: true, ..Plan::default() }),
            status: Mutex::new(SyncStatus::new(SyncPhase::Locked)),
            engine: Mutex::new(None),
        });
        let handle = BackgroundSync { inner };
        let looping = handle.clone();
        (handle, async move { looping.run().await })
    }

    /// A round as soon as possible ("Sync now", the network back, the store unlocked).
    pub fn sync_now(&self) {
        let mut plan = lock(&self.inner.plan);
        plan.now = true;
        drop(plan);
        self.inner.wake.notify_one();
    }

    /// Something was written locally: a round after the debounce time.
    pub fn changed(&self) {
        lock(&self.inner.plan).after_change = Some(Instant::now() + self.inner.cadence.after_change);
        self.inner.wake.notify_one();
    }

    /// The store was unlocked: read the account and sync.
    pub fn store_opened(&self) {
        self.sync_now();
    }

    /// Something the status counts changed outside a round (a backup was made): the UI
    /// is sent the status afresh.
    pub fn refresh_status(&self) {
        self.publish(|_| {});
    }

    /// The store was locked or wiped: the loop idles until it is open again.
    pub fn store_closed(&self) {
        *lock(&self.inner.engine) = None;
        self.publish(|s| *s = SyncStatus::new(SyncPhase::Locked));
    }

    /// Ends the loop (the app is closing). A round in flight finishes its current step;
    /// everything is resumable, so nothing is lost either way.
    pub fn stop(&self) {
        lock(&self.inner.plan).stopped = true;
        self.inner.wake.notify_one();
    }

    /// The user accepted the deletions the last round stopped at: the next round
    /// applies them.
    pub fn allow_mass_delete(&self) {
        let question = lock(&self.inner.status).mass_delete;
        if let (Some(q), Some((_, engine))) = (question, lock(&self.inner.engine).as_ref()) {
            engine.allow_mass_delete(q.collection);
        }
        self.publish(|s| s.mass_delete = None);
        self.sync_now();
    }

    /// The current status, with the pending and conflict counts read afresh, and
    /// during a round its progress, counted in the same read as the pending count.
    pub fn status(&self) -> SyncStatus {
        let mut status = lock(&self.inner.status).clone();
        let engine = match status.phase {
            SyncPhase::Syncing { .. } => lock(&self.inner.engine).as_ref().map(|(_, e)| e.clone()),
            _ => None,
        };
        let through = engine.as_ref().map_or(0, |e| e.outbox_through());
        let counts = self
            .inner
            .replica
            .with(move |s| {
                let backups = (s.last_backup_ms()?, s.oldest_unprotected_change_ms()?);
                Ok((s.pending_records_through(through)?, s.text_conflict_count()?, backups))
            })
            .ok();
        if let Some(((pending, still_waiting), conflicts, (last_backup, unprotected))) = counts {
            (status.pending, status.conflicts, status.last_backup_ms) = (pending, conflicts, last_backup);
            status.unsynced_reminder_since_ms =
                account::unsynced_reminder(unprotected, &status.office, self.inner.clock.now_ms());
            if let (SyncPhase::Syncing { progress }, Some(engine)) = (&mut status.phase, engine) {
                *progress = engine.progress(still_waiting);
            }
        }
        status
    }

    /// Signs in and stores the account; the first round follows at once (and pushes
    /// everything recorded before connecting).
    pub async fn connect(
        &self,
        server: &str,
        email: &str,
        password: &str,
        device_name: &str,
    ) -> Result<AccountSummary, ConnectError> {
        let store_failed = |e: SyncError| ConnectError::Failed(SyncFailureCode::LocalStore, e.to_string());
        let device = self.inner.replica.with(|s| Ok(s.device_id())).map_err(store_failed)?;
        let account = account::connect(server, email, password, device, device_name).await?;
        let now = self.inner.clock.now_ms();
        let saved = account.clone();
        self.inner
            .replica
            .with(move |s| {
                saved.save(s)?;
                account::record_contact(s, now, false)
            })
            .map_err(store_failed)?;
        lock(&self.inner.plan).failures = 0;
        self.publish(|s| {
            s.account = Some(account.summary());
            s.phase = SyncPhase::Idle;
        });
        self.sync_now();
        Ok(account.summary())
    }

    /// Stops syncing with the server (local-only); the data stays.
    pub fn disconnect(&self) -> Result<(), SyncError> {
        self.inner.replica.with(Account::forget)?;
        *lock(&self.inner.engine) = None;
        self.publish(|s| {
            let policy = (s.wipe_after_days, s.wipe_after_days_in_force, s.last_contact_ms, s.office.clone());
            *s = SyncStatus::new(SyncPhase::LocalOnly);
            (s.wipe_after_days, s.wipe_after_days_in_force, s.last_contact_ms, s.office) = policy;
        });
        Ok(())
    }

    /// The desk of the server this laptop is signed in to (the Administration section).
    pub fn desk(&self) -> Result<crate::desk::Desk, SyncError> {
        let account = self.inner.replica.with(|s| Account::load(s))?.ok_or(SyncError::SignedOut)?;
        Ok(crate::desk::Desk::new(&account.server, &account.token))
    }

    /// A record's changes as the office's audit keeps them (its History's arrival
    /// times); needs the server.
    pub async fn record_trail(
        &self,
        record: saite_domain::RecordId,
    ) -> Result<Vec<saite_protocol::TrailEntry>, SyncError> {
        let account = self.inner.replica.with(|s| Account::load(s))?.ok_or(SyncError::SignedOut)?;
        let engine = self.engine_for(&account);
        Ok(engine.transport().get_json(&format!("/v1/records/{record}/trail")).await?)
    }

    /// Fetches an attachment's file from the server now (the user opened it).
    pub async fn fetch_attachment(&self, attachment: saite_domain::RecordId) -> Result<(), SyncError> {
        let account = self.inner.replica.with(|s| Account::load(s))?.ok_or(SyncError::SignedOut)?;
        let engine = self.engine_for(&account);
        engine.fetch_attachment(attachment).await
    }

    /// Attachments up to `bytes` are downloaded by each round; larger when opened.
    pub fn set_auto_download_bytes(&self, bytes: u64) -> Result<(), SyncError> {
        self.inner.replica.with(move |s| account::set_auto_download_bytes(s, bytes))?;
        self.publish(|s| s.auto_download_bytes = bytes);
        Ok(())
    }

    /// Sets or lifts the lost-laptop policy.
    pub fn set_wipe_after_days(&self, days: Option<u32>) -> Result<(), SyncError> {
        let now = self.inner.clock.now_ms();
        let (days, contact) = self.inner.replica.with(move |s| {
            account::set_wipe_after_days(s, days, now)?;
            Ok(((account::wipe_after_days(s)?, account::wipe_after_days_in_force(s)?), account::last_contact(s)?))
        })?;
        self.publish(|s| ((s.wipe_after_days, s.wipe_after_days_in_force), s.last_contact_ms) = (days, contact));
        Ok(())
    }

    fn publish(&self, change: impl FnOnce(&mut SyncStatus)) {
        change(&mut lock(&self.inner.status));
        self.inner.host.status_changed(&self.status());
    }

    async fn run(self) {
        loop {
            let due = lock(&self.inner.plan).due();
            let poll = tokio::time::sleep(self.inner.cadence.poll);
            tokio::select! {
                _ = self.inner.wake.notified() => {}
                _ = async { tokio::time::sleep_until(due.expect("guarded")).await }, if due.is_some() => {}
                _ = poll => self.look_at_network(),
            }
            let ready = {
                let plan = lock(&self.inner.plan);
                if plan.stopped {
                    return;
                }
                plan.due().is_some_and(|d| d <= Instant::now())
            };
            if ready {
                self.round().await;
            }
        }
    }

    /// While offline: sync the moment a route appears.
    fn look_at_network(&self) {
        let offline = lock(&self.inner.status).phase.failure().is_some_and(|f| f.code == SyncFailureCode::Offline);
        if offline && network::has_default_route() {
            lock(&self.inner.plan).now = true;
        }
    }

    async fn round(&self) {
        {
            let mut plan = lock(&self.inner.plan);
            plan.now = false;
            plan.after_change = None;
            plan.timer = None;
        }
        let now = self.inner.clock.now_ms();
        let every = self.inner.cadence.every;
        let loaded = self.inner.replica.with(move |s| {
            Ok((
                Account::load(s)?,
                account::wipe_due(s, now)?,
                (account::wipe_after_days(s)?, account::wipe_after_days_in_force(s)?, account::office(s)?),
                account::last_contact(s)?,
                (account::last_success(s)?, account::auto_download_bytes(s)?),
            ))
        });
        let (account, wipe_due, (wipe_after_days, in_force, office), last_contact, (last_success, auto_download)) =
            match loaded {
                Ok(l) => l,
                Err(SyncError::StoreLocked) => return self.store_closed(),
                Err(e) => return self.failed(&e, now),
            };
        if wipe_due {
            return self.wipe(WipeReason::NoContact);
        }
        self.publish(|s| {
            (s.wipe_after_days, s.last_contact_ms, s.last_success_ms) = (wipe_after_days, last_contact, last_success);
            (s.wipe_after_days_in_force, s.office) = (in_force, office);
            s.auto_download_bytes = auto_download;
            s.account = account.as_ref().map(Account::summary);
            if account.is_none() {
                s.phase = SyncPhase::LocalOnly;
            }
        });
        let Some(account) = account else {
            // Local-only: look again later (the policy may fall due).
            lock(&self.inner.plan).timer = Some(Instant::now() + every);
            return;
        };
        if !network::can_reach(&account.server) {
            let offline = SyncFailure { code: SyncFailureCode::Offline, detail: "no network route".into(), at_ms: now };
            return self.schedule_after_failure(offline, None);
        }
        let engine = self.engine_for(&account);
        // The server lists what waits on each laptop: it hears this one's latest change.
        if let Ok(seq) = self.inner.replica.with(|s| s.outbox_head_seq()) {
            engine.transport().tell_outbox_seq(seq);
        }
        // The skew is read only from answers of this round: an older one would show the
        // time since it as the clock's error.
        let seen_before = crate::Transport::server_time_ms(engine.transport());
        engine.begin_round(0, 0);
        self.publish(|s| {
            s.phase = SyncPhase::Syncing { progress: Default::default() };
            // Asked again if the round meets the deletions again.
            s.mass_delete = None;
        });
        let result = {
            let round = engine.sync_once();
            tokio::pin!(round);
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            loop {
                tokio::select! {
                    r = &mut round => break r,
                    _ = tick.tick() => self.inner.host.status_changed(&self.status()),
                }
            }
        };
        let now = self.inner.clock.now_ms();
        if let Some(server) = crate::Transport::server_time_ms(engine.transport()).filter(|t| Some(*t) != seen_before) {
            let skew = saite_protocol::clock::clock_skew(now, server);
            self.publish(|s| s.clock_skew_ms = skew);
        }
        match result {
            Ok(report) => {
                self.succeeded(report, now);
                self.refresh_from_office(&engine, &account).await;
            }
            Err(SyncError::DeviceRevoked) => self.wipe(WipeReason::DeviceRevoked),
            Err(e) => {
                self.failed(&e, now);
                // A laptop whose round stops at a refusal or a question still takes what
                // the office changed (a tightened policy above all).
                if server_answered(&e) {
                    self.refresh_from_office(&engine, &account).await;
                }
            }
        }
    }

    /// Asks the server who this laptop's user is, and keeps what the office changed: the
    /// role and the office-wide settings. A failure changes nothing: the next round asks
    /// again.
    async fn refresh_from_office(&self, engine: &SyncEngine<HttpTransport, R>, account: &Account) {
        let Ok(me) = engine.transport().me().await else { return };
        let role = Some(me.user.role);
        // Kept only for the sign-in it was asked for: the user may have signed in anew.
        let asked = account.clone();
        let office = me.office;
        let kept = self.inner.replica.with(move |s| match Account::load(s)? {
            Some(now) if now.same_sign_in(&asked) => {
                if now.role != role {
                    account::set_role(s, role)?;
                }
                if account::office(s)? != office {
                    account::set_office(s, &office)?;
                }
                Ok(Some((office, account::wipe_after_days_in_force(s)?)))
            }
            _ => Ok(None),
        });
        if let Ok(Some((office, in_force))) = kept {
            self.publish(|s| {
                if let Some(a) = s.account.as_mut() {
                    a.role = role;
                }
                (s.office, s.wipe_after_days_in_force) = (office, in_force);
            });
        }
    }

    fn engine_for(&self, account: &Account) -> Arc<SyncEngine<HttpTransport, R>> {
        let mut slot = lock(&self.inner.engine);
        match slot.as_ref() {
            Some((a, engine)) if a.same_sign_in(account) => engine.clone(),
            _ => {
                let engine = Arc::new(SyncEngine::new(
                    HttpTransport::new(&account.server, &account.token),
                    self.inner.replica.clone(),
                ));
                *slot = Some((account.clone(), engine.clone()));
                engine
            }
        }
    }

    fn succeeded(&self, report: SyncReport, now: u64) {
        let _ = self.inner.replica.with(move |s| account::record_contact(s, now, true));
        let (verification, mismatched) = match report.verification {
            Verification::Verified if !report.repulled.is_empty() => (VerificationState::Repaired, vec![]),
            Verification::Verified => (VerificationState::Verified, vec![]),
            Verification::ChangedMeanwhile => (VerificationState::ChangedMeanwhile, vec![]),
            Verification::Mismatch(c) => (VerificationState::Mismatch, c),
        };
        // Something changed during the round: look again soon, so the status settles.
        let next = match verification {
            VerificationState::ChangedMeanwhile | VerificationState::Mismatch => {
                self.inner.cadence.every.min(Duration::from_secs(15))
            }
            _ => self.inner.cadence.every,
        };
        {
            let mut plan = lock(&self.inner.plan);
            plan.failures = 0;
            plan.timer = Some(Instant::now() + next);
        }
        self.publish(|s| {
            s.phase = SyncPhase::Idle;
            s.mass_delete = None;
            s.last_success_ms = Some(now);
            s.last_contact_ms = Some(now);
            s.verification = Some(verification);
            s.repulled = report.repulled;
            s.mismatched = mismatched;
        });
    }

    fn failed(&self, error: &SyncError, now: u64) {
        // The server answered (with a refusal): that is contact.
        let Some(failure) = SyncFailure::of(error, now) else { return self.store_closed() };
        if server_answered(error) {
            let _ = self.inner.replica.with(move |s| account::record_contact(s, now, false));
        }
        let question = match *error {
            SyncError::MassDelete { collection, records, of } => Some(MassDeleteQuestion { collection, records, of }),
            _ => None,
        };
        self.schedule_after_failure(failure, question);
    }

    /// Shows the failure (with the question it asks, if any) and plans the retry.
    fn schedule_after_failure(&self, failure: SyncFailure, question: Option<MassDeleteQuestion>) {
        let retry = {
            let mut plan = lock(&self.inner.plan);
            plan.failures = plan.failures.saturating_add(1);
            let delay = failure.code.retry_helps().then(|| retry_delay(plan.failures, jitter()));
            plan.timer = delay.map(|d| Instant::now() + d);
            delay
        };
        let at = failure.at_ms;
        self.publish(|s| {
            if failure.code == SyncFailureCode::SignedOut {
                s.verification = None;
            }
            s.mass_delete = question;
            s.phase = SyncPhase::Failed { failure, next_attempt_ms: retry.map(|d| at + d.as_millis() as u64) };
        });
    }

    fn wipe(&self, reason: WipeReason) {
        *lock(&self.inner.engine) = None;
        *lock(&self.inner.plan) = Plan::default();
        self.inner.host.wipe(reason);
        self.store_closed();
    }
}

/// Whether a failed round still heard from the server (a refusal, a question): that
/// counts as contact for the lost-laptop policy.
fn server_answered(error: &SyncError) -> bool {
    matches!(
        error,
        SyncError::SignedOut | SyncError::VersionMismatch { .. } | SyncError::Refused(_) | SyncError::MassDelete { .. }
    )
}
