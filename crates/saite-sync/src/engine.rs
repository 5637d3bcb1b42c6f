//! One sync round: push, pull, verify ([`SyncEngine::sync_once`]).

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicI64, AtomicU8, AtomicU64, Ordering},
    },
};

use saite_domain::Collection;
use saite_protocol::{Checksums, FieldValues, PulledRecord, PushRequest, RecordChange};
use saite_store::{OutboxChange, OutboxEntry, Store};

use crate::{
    SyncError, Transport,
    status::{SyncProgress, SyncStage},
};

/// Pulled pages written in one transaction at most: the pages fetched while the one
/// before was written. Each commit writes again the index pages it touched, so fewer
/// commits write less. A cut-off loses at most these pages, pulled again. Also the most
/// pages fetched ahead of the writing.
const PAGES_PER_WRITE: usize = 4;

/// The largest part of a file sent or fetched in one request (below the server's body
/// limit, small enough that a cut-off costs little).
const FILE_PART: u64 = 2 * 1024 * 1024;

/// What a round did and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Outbox entries the server confirmed.
    pub pushed: u64,
    /// Pulled fields that changed a value here, and all pulled fields.
    pub changed: u64,
    pub pulled: u64,
    /// Collections fetched again from the start (a checksum differed, or the server
    /// asked), and the pull cursor after the round.
    pub repulled: Vec<Collection>,
    pub cursor: u64,
    pub verification: Verification,
}

/// Whether the laptop provably holds what the server holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Verification {
    /// Every collection's checksum equals the server's, at the server's cursor.
    Verified,
    /// Something changed while the round ran (a local edit not pushed yet, or another
    /// laptop's push after the pull): not an error; the next round settles it.
    #[default]
    ChangedMeanwhile,
    /// These collections still differ after fetching them again.
    Mismatch(Vec<Collection>),
}

/// When a pull's deletions need the user's yes: more than `min_records` records of a
/// collection and more than `share` of its live records, counted over one round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MassDeleteLimit {
    pub min_records: u64,
    pub share: f64,
}

impl Default for MassDeleteLimit {
    fn default() -> MassDeleteLimit {
        MassDeleteLimit { min_records: 20, share: 0.25 }
    }
}

/// Where the engine finds the laptop's store. The app shares its store with the engine
/// and may lock it (closing it) at any time, so each use asks for it anew.
pub trait Replica: Clone + Send + Sync + 'static {
    /// Runs `f` on the store; [`SyncError::StoreLocked`] when it is not open.
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> saite_store::Result<R>) -> Result<R, SyncError>;
}

impl Replica for Arc<Mutex<Store>> {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> saite_store::Result<R>) -> Result<R, SyncError> {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(f(&mut guard)?)
    }
}

/// The app's store slot: `None` while locked.
impl Replica for Arc<Mutex<Option<Store>>> {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> saite_store::Result<R>) -> Result<R, SyncError> {
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let store = guard.as_mut().ok_or(SyncError::StoreLocked)?;
        Ok(f(store)?)
    }
}

/// Pushes and pulls for one store through one transport. One round at a time: a
/// second [`SyncEngine::sync_once`] waits for the first.
pub struct SyncEngine<T, R = Arc<Mutex<Store>>> {
    transport: T,
    store: R,
    round: tokio::sync::Mutex<()>,
    /// Outbox changes read per push (a push then carries at most [`PUSH_FIELDS`] values
    /// and [`PUSH_BYTES`]), records per pulled page. Large: each request and each page's
    /// transaction (with its fsync) has a fixed cost; a cut-off loses at most one of
    /// them. Pages of 5 000 records rather than the server's 10 000, so the next page's
    /// fetch overlaps this one's write in finer steps; not fewer, as more commits mean
    /// more search-index segments to merge and index pages written twice.
    pub push_batch: u32,
    pub pull_page: u32,
    pub mass_delete: MassDeleteLimit,
    /// Collections whose mass delete the user accepted, for the next round only.
    allowed_mass_delete: Mutex<Vec<Collection>>,
    progress: RoundProgress,
}

/// The running round's counters, read while it runs ([`SyncEngine::progress`]).
#[derive(Default)]
struct RoundProgress {
    stage: AtomicU8,
    /// Records with changes waiting when the round began, and the last outbox seq then.
    to_push: AtomicU64,
    outbox_through: AtomicI64,
    /// Records the pulls have stored, and what they bring in all (`NOT_COUNTED` until
    /// the server said).
    pulled: AtomicU64,
    to_pull: AtomicU64,
    /// The transport's byte count when the round began.
    bytes_before: AtomicU64,
}

const NOT_COUNTED: u64 = u64::MAX;

impl RoundProgress {
    fn enter(&self, stage: SyncStage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    fn stage(&self) -> SyncStage {
        match self.stage.load(Ordering::Relaxed) {
            s if s == SyncStage::Receiving as u8 => SyncStage::Receiving,
            s if s == SyncStage::Checking as u8 => SyncStage::Checking,
            s if s == SyncStage::Files as u8 => SyncStage::Files,
            _ => SyncStage::Sending,
        }
    }
}

/// The store's sync value holding the re-pull generation last seen for `collection`.
fn repull_key(collection: Collection) -> String {
    format!("repull_generation:{}", collection.as_str())
}

impl<T: Transport, R: Replica> SyncEngine<T, R> {
    pub fn new(transport: T, store: R) -> SyncEngine<T, R> {
        let engine = SyncEngine {
            transport,
            store,
            round: tokio::sync::Mutex::new(()),
            push_batch: 2_000,
            pull_page: 5_000,
            mass_delete: MassDeleteLimit::default(),
            allowed_mass_delete: Mutex::new(Vec::new()),
            progress: RoundProgress::default(),
        };
        engine.begin_round(0, 0);
        engine
    }

    /// Sets the progress to a round's start (`waiting` records to send, through outbox
    /// seq `through`), so no status shows the last round's counts as this one's.
    pub fn begin_round(&self, waiting: u64, through: i64) {
        let p = &self.progress;
        p.enter(SyncStage::Sending);
        p.pulled.store(0, Ordering::Relaxed);
        p.to_pull.store(NOT_COUNTED, Ordering::Relaxed);
        p.to_push.store(waiting, Ordering::Relaxed);
        p.outbox_through.store(through, Ordering::Relaxed);
        p.bytes_before.store(self.transport.bytes_moved(), Ordering::Relaxed);
    }

    /// How far the current (or last) round got, given how many of the records it
    /// began with still wait (`still_waiting`, read by
    /// [`saite_store::Store::pending_records_through`] at [`Self::outbox_through`]).
    pub fn progress(&self, still_waiting: u64) -> SyncProgress {
        let p = &self.progress;
        let to_push = p.to_push.load(Ordering::Relaxed);
        let to_pull = p.to_pull.load(Ordering::Relaxed);
        let pulled = p.pulled.load(Ordering::Relaxed);
        SyncProgress {
            stage: p.stage(),
            to_push,
            pushed: to_push.saturating_sub(still_waiting),
            // More may come than counted (pushed meanwhile); never "13 of 12".
            to_pull: (to_pull != NOT_COUNTED).then(|| to_pull.max(pulled)),
            pulled,
            bytes: self.transport.bytes_moved().saturating_sub(p.bytes_before.load(Ordering::Relaxed)),
        }
    }

    /// The last outbox seq when the round began: its records are the round's to send.
    pub fn outbox_through(&self) -> i64 {
        self.progress.outbox_through.load(Ordering::Relaxed)
    }

    /// The user accepted the deletions [`SyncError::MassDelete`] reported for
    /// `collection`: the next round applies them.
    pub fn allow_mass_delete(&self, collection: Collection) {
        self.allowed_mass_delete.lock().unwrap_or_else(|p| p.into_inner()).push(collection);
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Runs `f` on the store off the async threads (SQLite calls block).
    async fn with_store<V: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> saite_store::Result<V> + Send + 'static,
    ) -> Result<V, SyncError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.with(f)).await.expect("a store call does not panic")
    }

    /// One round: push the whole outbox, pull everything after the cursor (and once more
    /// both, when the pull merged texts with local edits), then compare checksums (re-pulling a collection that differs or that the server asks for).
    pub async fn sync_once(&self) -> Result<SyncReport, SyncError> {
        let _one_at_a_time = self.round.lock().await;
        let allowed = std::mem::take(&mut *self.allowed_mass_delete.lock().unwrap_or_else(|p| p.into_inner()));
        self.begin_round(0, 0);
        let (waiting, through) = self.with_store(|s| s.outbox_extent()).await?;
        self.begin_round(waiting, through);
        let (pushed, last) = self.push_restamping().await?;
        self.send_events().await?;
        let mut report = SyncReport { pushed, ..SyncReport::default() };
        let mut summary = self.pull_all(None, &mut report, &allowed, last).await?;
        let mut after_pull = self.after_pull().await?;
        // Merging pulled texts with local edits queues the results: send them in this
        // round too, and take in their echo, so the round can end verified.
        if after_pull.waiting > 0 {
            let (pushed, last) = self.push_restamping().await?;
            report.pushed += pushed;
            summary = self.pull_all(None, &mut report, &allowed, last).await?;
            after_pull = self.after_pull().await?;
        }
        self.progress.enter(SyncStage::Checking);
        if report.changed >= COMPACT_AFTER || after_pull.search_to_compact {
            self.with_store(|s| s.compact_search_index()).await?;
        }
        if !after_pull.small_files.is_empty() {
            self.progress.enter(SyncStage::Files);
            for file in &after_pull.small_files {
                self.download_file(&file.sha256, file.size).await?;
            }
            // The user may have edited meanwhile.
            after_pull = self.after_pull().await?;
            self.progress.enter(SyncStage::Checking);
        }
        // The last page's summary equal to this store's own: verified, without asking for
        // the per-collection checksums (a round with nothing to do is one request).
        if let Some(summary) = summary {
            let (mine, cursor) = after_pull.summary;
            if mine == summary {
                report.cursor = cursor;
                report.verification = Verification::Verified;
                return Ok(report);
            }
        }
        let server = self.transport.checksums().await?;
        // The server may ask for collections again (an administrator's `repull`).
        let keys: Vec<String> = server.collections.iter().map(|c| repull_key(c.collection)).collect();
        let seen = self
            .with_store(move |s| keys.iter().map(|k| s.sync_value(k)).collect::<saite_store::Result<Vec<_>>>())
            .await?;
        let mut again: Vec<Collection> = server
            .collections
            .iter()
            .zip(seen)
            .filter(|(c, seen)| seen.as_deref().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) < c.repull_generation)
            .map(|(c, _)| c.collection)
            .collect();
        let mut verification = self.compare(&server).await?;
        if let Verification::Mismatch(differing) = &verification {
            for c in differing {
                if !again.contains(c) {
                    again.push(*c);
                }
            }
        }
        if !again.is_empty() {
            for collection in &again {
                self.pull_all(Some(*collection), &mut report, &allowed, None).await?;
                report.repulled.push(*collection);
            }
            let server = self.transport.checksums().await?;
            for c in server.collections.iter().filter(|c| again.contains(&c.collection)) {
                let (key, value) = (repull_key(c.collection), c.repull_generation.to_string());
                self.with_store(move |s| s.set_sync_value(&key, &value)).await?;
            }
            verification = self.compare(&server).await?;
        }
        report.cursor = self.with_store(|s| s.pull_cursor()).await?;
        report.verification = verification;
        Ok(report)
    }

    /// [`SyncEngine::push`]; when the server refuses a stamp as ahead of its clock, the
    /// changes this laptop's wrong clock stamped ahead are stamped again by the server's
    /// time ([`Store::restamp_ahead`]) and the push goes once more. A second refusal, or
    /// nothing to stamp again (the server's clock may be the wrong one), fails the round.
    async fn push_restamping(&self) -> Result<(u64, Option<Answered>), SyncError> {
        self.progress.enter(SyncStage::Sending);
        match self.push().await {
            Err(SyncError::Refused(api)) if api.code == saite_protocol::ApiErrorCode::StampAhead => {
                let Some(server_now) = self.transport.server_time_ms() else { return Err(SyncError::Refused(api)) };
                let applied = api.applied_seq.unwrap_or(0) as i64;
                if self.with_store(move |s| s.restamp_ahead(server_now, applied)).await? == 0 {
                    return Err(SyncError::Refused(api));
                }
                self.push().await
            }
            other => other,
        }
    }

    /// Sends the outbox oldest first in batches; drops each batch once the server
    /// confirms it. Returns how many entries were confirmed and settled, and the last
    /// answer, left for the pull to settle ([`SyncEngine::pull_all`]).
    ///
    /// Three things overlap: while the server stores batch k, the laptop settles batch
    /// k − 1's answer ([`Store::settle_push`]: acknowledge, settle the texts' bases,
    /// skip its echo) and reads and serialises batch k + 1 ([`Outgoing`]). Batches still
    /// reach the server one after another, each sent only once the one before was
    /// answered in full, so its `afterSeq` is never ahead of the server.
    async fn push(&self) -> Result<(u64, Option<Answered>), SyncError> {
        let mut pushed = 0;
        let batch = self.push_batch;
        let mut outgoing = self
            .with_store(move |s| {
                let after_seq = s.acked_outbox_seq()? as u64;
                Outgoing::of(after_seq, s.outbox_changes(0, batch)?)
            })
            .await?;
        // The batch answered last, not settled yet.
        let mut answered: Option<Answered> = None;
        loop {
            // A change is numbered by the last outbox entry it carries.
            let Some(sent_to) = outgoing.request.changes.last().map(|c| c.seq as i64) else {
                return Ok((pushed, answered));
            };
            // A change naming a file goes only after the file (the server refuses it
            // otherwise).
            let files: Vec<String> = outgoing
                .request
                .changes
                .iter()
                .filter(|c| c.collection == Collection::Attachment)
                .filter_map(|c| Some(c.fields.as_map().get("sha256")?.as_str()?.to_owned()))
                .collect();
            for sha256 in files {
                self.upload_file(&sha256).await?;
            }
            // An entry read early is safe: a newer edit of a long text takes a new seq
            // instead of changing a waiting entry (saite_store's queue), and a text the
            // server keeps out comes back in the pull and is queued again. The store
            // runs one call at a time, so the settling and the read do not interleave.
            // The next batch is serialised for an `afterSeq` of this one's last seq:
            // what the server has applied once it answers this one in full (and a
            // lower `afterSeq` than the server's is never refused).
            let body = std::mem::take(&mut outgoing.body);
            let (response, settled, next) = tokio::join!(
                self.transport.push_serialised(&outgoing.request, body),
                self.settle(answered.take()),
                self.with_store(move |s| Outgoing::of(sent_to as u64, s.outbox_changes(sent_to, batch)?)),
            );
            pushed += settled?.0;
            let response = response?;
            let complete = response.applied_seq >= sent_to as u64;
            answered = Some(Answered {
                response,
                changes: outgoing.request.changes.len() as u64,
                texts: outgoing.texts,
                sent: outgoing.request,
            });
            if !complete {
                // The server applied less than sent without refusing: not expected from
                // saite-server; stop rather than loop.
                return Ok((pushed, answered));
            }
            outgoing = match next {
                Ok(next) => next,
                Err(e) => {
                    // What the server confirmed is settled all the same.
                    self.settle(answered.take()).await?;
                    return Err(e);
                }
            };
        }
    }

    /// Settles an answered push in the store (see [`Store::settle_push`]); returns the
    /// entries it acknowledged and whether its echo was skipped.
    async fn settle(&self, answered: Option<Answered>) -> Result<(u64, bool), SyncError> {
        let Some(answered) = answered else { return Ok((0, false)) };
        let (confirmed, echo) = (answered.response.applied_seq as i64, answered.echo());
        let Answered { texts, sent, .. } = answered;
        let pushed_through = sent.changes.last().map_or(0, |c| c.seq as i64);
        let (acked, skipped) = self
            .with_store(move |s| {
                // Freed here, off the round's critical path.
                drop(sent);
                s.settle_push(confirmed, echo, pushed_through, &texts)
            })
            .await?;
        Ok((acked, skipped))
    }

    /// Uploads a file this laptop holds, resuming where the server's copy ends.
    async fn upload_file(&self, sha256: &str) -> Result<(), SyncError> {
        let sha = sha256.to_owned();
        let Some(size) = self.with_store(move |s| s.blob_size(&sha)).await? else { return Ok(()) };
        let mut at = match self.transport.blob_status(sha256).await? {
            Some(status) if status.complete => return Ok(()),
            Some(status) if status.size == size => status.received,
            _ => 0,
        };
        while at < size || size == 0 {
            let end = (at + FILE_PART).min(size);
            let sha = sha256.to_owned();
            let bytes = self.with_store(move |s| s.blob_range(&sha, at, end)).await?;
            match self.transport.put_blob_part(sha256, at, bytes, size).await {
                Ok(status) if status.complete => return Ok(()),
                Ok(status) => at = status.received,
                // Another laptop (or an earlier, cut-off attempt) moved the server's copy
                // on: continue from where it is.
                Err(crate::TransportError::Refused(api)) if api.code == saite_protocol::ApiErrorCode::UploadOffset => {
                    at = api.received.unwrap_or(0);
                }
                Err(e) => return Err(e.into()),
            }
            if size == 0 {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Downloads a file into the store, resuming after the parts already here.
    pub async fn download_file(&self, sha256: &str, size: u64) -> Result<(), SyncError> {
        let sha = sha256.to_owned();
        if self.with_store(move |s| s.blob_size(&sha)).await?.is_some() {
            return Ok(());
        }
        let sha = sha256.to_owned();
        let mut at = self.with_store(move |s| s.download_progress(&sha)).await?;
        while at < size {
            let end = (at + FILE_PART).min(size);
            let bytes = self.transport.get_blob_range(sha256, at, end).await?;
            if bytes.is_empty() {
                break;
            }
            let (sha, start, len) = (sha256.to_owned(), at, bytes.len() as u64);
            self.with_store(move |s| s.save_download_part(&sha, start, &bytes)).await?;
            at = start + len;
        }
        let sha = sha256.to_owned();
        if !self.with_store(move |s| s.finish_download(&sha)).await? {
            return Err(SyncError::Refused(saite_protocol::ApiError::new(
                saite_protocol::ApiErrorCode::DigestMismatch,
                format!("the file {sha256} did not match its address; it will be downloaded again"),
            )));
        }
        Ok(())
    }

    /// Fetches an attachment's file now (the user opened it).
    pub async fn fetch_attachment(&self, attachment: saite_domain::RecordId) -> Result<(), SyncError> {
        let file = self.with_store(move |s| s.attachment_address(attachment)).await?;
        self.download_file(&file.sha256, file.size).await
    }

    /// Sends the events waiting for the audit (exports), a send at a time, and drops
    /// those the server answers it has. A server that refuses them (an older one, without
    /// the endpoint) stops no round: they wait, and go with a later one.
    async fn send_events(&self) -> Result<(), SyncError> {
        loop {
            let limit = saite_protocol::MAX_EVENTS_PER_SEND as u32;
            let events = self.with_store(move |s| s.waiting_events(limit)).await?;
            if events.is_empty() {
                return Ok(());
            }
            let full = events.len() as u32 == limit;
            let request = saite_protocol::DeviceEventsRequest { events };
            let answer = match self.transport.send_events(&request).await {
                Ok(answer) => answer,
                Err(crate::TransportError::Refused(refusal)) => {
                    eprintln!("saite: the server keeps no events yet: {}", refusal.message);
                    return Ok(());
                }
                Err(e) => return Err(e.into()),
            };
            self.with_store(move |s| s.ack_events(answer.applied_seq)).await?;
            if !full {
                return Ok(());
            }
        }
    }

    /// What the store says after a pull, read in one store call (each call is a hop to
    /// a blocking thread, and a round with little to do is made of such hops).
    async fn after_pull(&self) -> Result<AfterPull, SyncError> {
        let keys: Vec<String> = Collection::ALL.iter().map(|c| repull_key(*c)).collect();
        self.with_store(move |s| {
            let limit = crate::account::auto_download_bytes(s)?;
            let waiting = s.outbox_len()?;
            Ok(AfterPull {
                waiting,
                // Larger files wait to be opened.
                small_files: s.missing_files()?.into_iter().filter(|f| f.size <= limit).collect(),
                summary: local_summary(s, &keys, waiting)?,
                search_to_compact: s.search_needs_compacting()?,
            })
        })
        .await
    }

    /// Pulls pages until the server has no more. All collections: from the stored
    /// cursor, moving it with each page. One collection (a re-pull): from 0, leaving the
    /// cursor where it is.
    /// Returns the server's summary from the last page (pulls of all collections).
    ///
    /// `settling`: a push's last answer, settled while the first page is fetched — from
    /// the cursor the settling leaves (past the push's own echo when that is skipped;
    /// fetched again in the unexpected case it is not).
    async fn pull_all(
        &self,
        collection: Option<Collection>,
        report: &mut SyncReport,
        allowed: &[Collection],
        settling: Option<Answered>,
    ) -> Result<Option<saite_protocol::ChecksumSummary>, SyncError> {
        let mut after = match collection {
            None => self.with_store(|s| s.pull_cursor()).await?,
            Some(_) => 0,
        };
        // Per collection: live records when the round began, and those this round's
        // pages have deleted so far.
        let mut deleting: BTreeMap<Collection, (u64, u64)> = BTreeMap::new();
        // A pull of everything is what the user waits for: its first page says how
        // much comes. A re-pull is part of checking.
        let count = collection.is_none();
        if count {
            self.progress.enter(SyncStage::Receiving);
        }
        let first = match settling {
            None => self.fetch(after, collection, count).await?,
            Some(answered) => {
                let skips = answered.echo().filter(|(from, _)| *from == after && collection.is_none());
                let from = skips.map_or(after, |(_, to)| to);
                let (settled, page) = tokio::join!(self.settle(Some(answered)), self.fetch(from, collection, count));
                let (acked, skipped) = settled?;
                report.pushed += acked;
                if skipped == skips.is_some() {
                    after = from;
                    page?
                } else {
                    after = self.with_store(|s| s.pull_cursor()).await?;
                    self.fetch(after, collection, count).await?
                }
            }
        };
        if let Some(rest) = first.remaining {
            let p = &self.progress;
            p.to_pull.store(p.pulled.load(Ordering::Relaxed) + first.records + rest, Ordering::Relaxed);
        }
        // Fetching runs ahead of the writing, up to `PAGES_PER_WRITE` pages (those
        // waiting and the one about to be): the server's reading, the transfer and the
        // preparing overlap the local transaction, and a slow page on either side is
        // taken up by the other's lead. Pages are written in order, each in the
        // transaction that moves the cursor past it.
        let (ready, mut waiting) = tokio::sync::mpsc::channel::<Result<Fetched, SyncError>>(PAGES_PER_WRITE - 1);
        let fetching = async move {
            let mut page = first;
            loop {
                let next = page.more.then_some(page.end_cursor);
                if ready.send(Ok(page)).await.is_err() {
                    return; // the writing stopped (an error): nothing more is wanted
                }
                let Some(after) = next else { return };
                page = match self.fetch(after, collection, false).await {
                    Ok(page) => page,
                    Err(e) => {
                        let _ = ready.send(Err(e)).await;
                        return;
                    }
                };
            }
        };
        let writing = async move {
            loop {
                // The next page, and every page already waiting behind it. A failed
                // fetch among them ends the pull once the pages before it are written.
                let mut pages = vec![waiting.recv().await.expect("fetching sends each page, the last, or an error")?];
                let mut failed = None;
                while pages.len() < PAGES_PER_WRITE && pages.last().is_some_and(|p| p.more) {
                    match waiting.try_recv() {
                        Ok(Ok(page)) => pages.push(page),
                        Ok(Err(e)) => {
                            failed = Some(e);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                let mut joined: Option<(saite_store::PreparedPage, u64, u64)> = None;
                for Fetched { prepared, deletions, values, records, end_cursor, more, summary, .. } in pages {
                    report.pulled += values;
                    // The check counts the records live here: the pages before are
                    // written first.
                    if !deletions.is_empty() {
                        report.changed += self.apply_joined(joined.take()).await?;
                    }
                    self.check_mass_delete(deletions, &mut deleting, allowed).await?;
                    let cursor = match collection {
                        None => end_cursor,
                        Some(_) => self.with_store(|s| s.pull_cursor()).await?,
                    };
                    // Nothing new (the usual answer when there is nothing to do): no write.
                    if values > 0 || (collection.is_none() && cursor != after) {
                        joined = Some(match joined {
                            None => (prepared, cursor, records),
                            Some((mut earlier, _, before)) => {
                                earlier.append(prepared);
                                (earlier, cursor, before + records)
                            }
                        });
                    }
                    after = end_cursor;
                    if !more {
                        report.changed += self.apply_joined(joined).await?;
                        return Ok(summary);
                    }
                }
                report.changed += self.apply_joined(joined).await?;
                if let Some(e) = failed {
                    return Err(e);
                }
            }
        };
        let ((), pulled) = tokio::join!(fetching, writing);
        pulled
    }

    /// Writes pages appended into one ([`saite_store::PreparedPage::append`]) with the
    /// cursor after the last, in one transaction, and counts their `records` as stored;
    /// returns the fields that changed.
    async fn apply_joined(&self, joined: Option<(saite_store::PreparedPage, u64, u64)>) -> Result<u64, SyncError> {
        let Some((prepared, cursor, records)) = joined else { return Ok(0) };
        let changed = self.with_store(move |s| s.apply_prepared(prepared, cursor)).await?.changed;
        self.progress.pulled.fetch_add(records, Ordering::Relaxed);
        Ok(changed)
    }

    /// Fetches the page after `after` and prepares it for writing ([`prepare_page`], on
    /// a blocking thread: it needs no store).
    /// `count`: ask the server how many records follow the page (`remaining`).
    async fn fetch(&self, after: u64, collection: Option<Collection>, count: bool) -> Result<Fetched, SyncError> {
        let mut page = self.transport.pull(after, self.pull_page, collection, count).await?;
        let records = std::mem::take(&mut page.records);
        let record_count = records.len() as u64;
        let (prepared, deletions, values) =
            tokio::task::spawn_blocking(move || prepare_page(records)).await.expect("preparing does not panic")?;
        Ok(Fetched {
            prepared,
            deletions,
            values,
            records: record_count,
            remaining: page.remaining,
            end_cursor: page.end_cursor,
            more: page.more,
            summary: page.summary.take(),
        })
    }

    /// Refuses a page whose deletions (records put in the trash, by collection), with the
    /// round's earlier ones, pass the limit for a collection the user has not allowed.
    async fn check_mass_delete(
        &self,
        by_collection: BTreeMap<Collection, Vec<saite_domain::RecordId>>,
        deleting: &mut BTreeMap<Collection, (u64, u64)>,
        allowed: &[Collection],
    ) -> Result<(), SyncError> {
        for (collection, ids) in by_collection {
            if allowed.contains(&collection) {
                continue;
            }
            let (live, gone) = self.with_store(move |s| Ok((s.live_count(collection)?, s.live_among(&ids)?))).await?;
            let entry = deleting.entry(collection).or_insert((live, 0));
            entry.1 += gone;
            let (of, records) = *entry;
            if records > self.mass_delete.min_records && records as f64 > self.mass_delete.share * of as f64 {
                return Err(SyncError::MassDelete { collection, records, of });
            }
        }
        Ok(())
    }

    /// Compares the server's checksums with the store's own.
    async fn compare(&self, server: &Checksums) -> Result<Verification, SyncError> {
        let (local, cursor, pending) =
            self.with_store(|s| Ok((s.local_checksums()?, s.pull_cursor()?, s.outbox_len()?))).await?;
        if cursor != server.cursor || pending > 0 {
            return Ok(Verification::ChangedMeanwhile);
        }
        let theirs: BTreeMap<Collection, (u64, &str)> =
            server.collections.iter().map(|c| (c.collection, (c.fields, c.digest.as_str()))).collect();
        let mut differing: Vec<Collection> = Vec::new();
        for c in Collection::ALL {
            let mine = local.get(&c).map(|d| (d.fields, d.sum_hex())).filter(|(n, _)| *n > 0);
            let server = theirs.get(&c).map(|(n, d)| (*n, (*d).to_owned())).filter(|(n, _)| *n > 0);
            if mine != server {
                differing.push(c);
            }
        }
        Ok(if differing.is_empty() { Verification::Verified } else { Verification::Mismatch(differing) })
    }
}

/// This store's checksums folded as the server folds its own (with the re-pull
/// generations it has seen, under `repull_keys`), and its cursor. A store with changes
/// waiting (`pending`, its outbox length) never matches (its summary carries an
/// impossible field count).
fn local_summary(
    s: &Store,
    repull_keys: &[String],
    pending: u64,
) -> saite_store::Result<(saite_protocol::ChecksumSummary, u64)> {
    let local = s.local_checksums()?;
    let cursor = s.pull_cursor()?;
    let mut repull = 0u64;
    for k in repull_keys {
        repull += s.sync_value(k)?.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    }
    let mut summary = saite_protocol::ChecksumSummary::fold(cursor, local.values().map(|d| (d.fields, d.sum)), repull);
    if pending > 0 {
        summary.fields = u64::MAX;
    }
    Ok((summary, cursor))
}

/// [`SyncEngine::after_pull`]'s answer.
struct AfterPull {
    /// Outbox changes waiting (made by merging pulled texts).
    waiting: u64,
    /// Files referenced here but not held, small enough to fetch at once.
    small_files: Vec<saite_store::MissingFile>,
    /// [`local_summary`].
    summary: (saite_protocol::ChecksumSummary, u64),
    /// A bulk pull left the search index to compact ([`saite_store::Store::search_needs_compacting`]).
    search_to_compact: bool,
}

/// A pulled page, prepared for writing.
struct Fetched {
    prepared: saite_store::PreparedPage,
    /// The records it puts in the trash, by collection (for the mass-delete check).
    deletions: BTreeMap<Collection, Vec<saite_domain::RecordId>>,
    /// Field values and records in the page, and how many records follow it (when
    /// asked).
    values: u64,
    records: u64,
    remaining: Option<u64>,
    end_cursor: u64,
    more: bool,
    summary: Option<saite_protocol::ChecksumSummary>,
}

/// A pulled page's records as the store takes them ([`saite_store::prepare_pulled`]),
/// the records it puts in the trash (by collection, for the mass-delete check) and its
/// number of field values.
fn prepare_page(
    records: Vec<PulledRecord>,
) -> saite_store::Result<(saite_store::PreparedPage, BTreeMap<Collection, Vec<saite_domain::RecordId>>, u64)> {
    let prepared = saite_store::prepare_pulled(records)?;
    let (deletions, values) = (prepared.trashed(), prepared.field_count());
    Ok((prepared, deletions, values))
}

/// A push the server answered: its answer, how many changes it carried, its long texts
/// and the request that carried them.
struct Answered {
    response: saite_protocol::PushResponse,
    changes: u64,
    /// What settling the answer reads of the push ([`Outgoing::texts`]).
    texts: Vec<OutboxEntry>,
    sent: PushRequest,
}

/// A batch ready to push: the outbox changes of a page that fit one push
/// ([`within_push_limits`]) as a request and that request serialised, and the long
/// texts settling its answer reads. Made on a blocking thread, beside the store's read,
/// while the server stores the batch before.
struct Outgoing {
    request: PushRequest,
    body: Vec<u8>,
    /// The long texts, each with its `expect` ([`Store::settle_push`]).
    texts: Vec<OutboxEntry>,
}

impl Outgoing {
    fn of(after_seq: u64, mut changes: Vec<OutboxChange>) -> saite_store::Result<Outgoing> {
        changes.truncate(within_push_limits(&changes));
        // The body's size known up front: grown as it was written, its copies and fresh
        // pages were a tenth of a first push's CPU.
        let size = 64 + changes.iter().map(change_bytes).sum::<usize>();
        let (request, texts) = push_request(after_seq, changes)?;
        let mut body = Vec::with_capacity(size);
        serde_json::to_writer(&mut body, &request).expect("a push request serialises");
        Ok(Outgoing { request, body, texts })
    }
}

impl Answered {
    /// The server seqs (from, to] of this push's own echo, when it can be skipped: the
    /// server stored every change sent. One it kept out (an older stamp, a text made from
    /// another version) must come back in the pull. Skipped only when nothing else came
    /// between this laptop's last pull and the push (saite_protocol's "own echo"; the
    /// store checks its cursor).
    fn echo(&self) -> Option<(u64, u64)> {
        self.response.stored.filter(|r| r.to.checked_sub(r.after) == Some(self.changes)).map(|r| (r.after, r.to))
    }
}

/// Pulled values after which a round compacts the search index
/// ([`saite_store::Store::compact_search_index`]): a first pull, a re-pull.
const COMPACT_AFTER: u64 = 20_000;

/// The bytes one push may carry: half the server's default body limit (8 MiB), so a
/// batch of long notes is split instead of refused as too large.
pub const PUSH_BYTES: usize = 4 * 1024 * 1024;

/// The field values one push may carry: the server's default limit (20 000).
pub const PUSH_FIELDS: usize = 20_000;

/// A change's bytes in a push, at most: its fields' text and its framing (seq, record
/// id, collection, stamp, keys, a long text's `expect`), well under 300 bytes.
fn change_bytes(change: &OutboxChange) -> usize {
    const FRAMING: usize = 300;
    let fields = match &change.fields {
        FieldValues::Stored(text) => text.get().len(),
        values => serde_json::to_string(values).map_or(0, |t| t.len()),
    };
    FRAMING + fields
}

/// How many of `changes` (oldest first) fit in one push ([`PUSH_BYTES`],
/// [`PUSH_FIELDS`]); at least the first, which always fits (a field's value is at most
/// `LONG_TEXT_MAX` characters). Whole changes only: the server acknowledges a change
/// whole, so one sent in part would leave the outbox with its other fields unsent.
fn within_push_limits(changes: &[OutboxChange]) -> usize {
    let (mut bytes, mut fields) = (0, 0);
    for (i, change) in changes.iter().enumerate() {
        bytes += change_bytes(change);
        fields += change.field_count;
        if (bytes > PUSH_BYTES || fields > PUSH_FIELDS) && i > 0 {
            return i;
        }
    }
    changes.len()
}

/// A batch for the server: the changes in outbox order, consecutive changes of one
/// record grouped into one (seqs must rise through the whole batch). Also returns the
/// long texts settling its answer reads ([`Outgoing::texts`]).
fn push_request(after_seq: u64, changes: Vec<OutboxChange>) -> saite_store::Result<(PushRequest, Vec<OutboxEntry>)> {
    let mut sent: Vec<RecordChange> = Vec::new();
    let mut texts: Vec<OutboxEntry> = Vec::new();
    let mut changes = changes.into_iter().peekable();
    // Consecutive changes of one record travel as one change numbered by the last of
    // them: the server applies a change whole, so it never holds part of such a run.
    while let Some(first) = changes.next() {
        let record = first.record_id;
        if changes.peek().is_none_or(|next| next.record_id != record) {
            // Alone (a first push's every change): its fields go as the outbox stored them.
            let expect = first
                .texts
                .iter()
                .filter_map(|t| Some((t.field.clone(), saite_protocol::Expected { hlc: t.expect? })))
                .collect();
            sent.push(RecordChange {
                seq: first.device_seq as u64,
                record,
                collection: first.collection,
                hlc: first.hlc,
                fields: first.fields,
                stamps: BTreeMap::new(),
                expect,
            });
            texts.extend(first.texts);
            continue;
        }
        let mut run: Vec<OutboxEntry> = first.into_entries()?;
        while let Some(next) = changes.next_if(|c| c.record_id == record) {
            run.extend(next.into_entries()?);
        }
        texts.extend(run.iter().filter(|e| e.expect.is_some()).cloned());
        let last = run.last().expect("a change has fields");
        let (seq, collection) = (last.device_seq as u64, last.collection);
        let expect: BTreeMap<String, saite_protocol::Expected> =
            run.iter().filter_map(|e| Some((e.field.clone(), saite_protocol::Expected { hlc: e.expect? }))).collect();
        // A field edited twice in the run: its later value (and stamp) is the one sent,
        // as the server would have kept it anyway.
        let fields = run.into_iter().map(|e| (e.field, e.value, e.hlc));
        let mut change = RecordChange::from_fields(seq, record, collection, fields);
        change.expect = expect;
        sent.push(change);
    }
    Ok((PushRequest { after_seq, changes: sent }, texts))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use saite_domain::{Collection, DeviceId, Hlc, RecordId};
    use saite_protocol::{Expected, FieldValues, PushRequest, RecordChange};
    use saite_store::{OutboxChange, OutboxEntry};
    use serde_json::Value;

    use super::{Outgoing, push_request, within_push_limits};

    /// The request as built from one entry per field (values parsed): each run of one
    /// record's entries one change, its fields and `expect` in order.
    fn request_of_entries(after_seq: u64, entries: &[OutboxEntry]) -> PushRequest {
        let changes = entries
            .chunk_by(|a, b| a.record_id == b.record_id)
            .map(|run| {
                let last = run.last().unwrap();
                let fields = run.iter().map(|e| (e.field.clone(), e.value.clone(), e.hlc));
                let mut change =
                    RecordChange::from_fields(last.device_seq as u64, last.record_id, last.collection, fields);
                for e in run {
                    if let Some(hlc) = e.expect {
                        change.expect.insert(e.field.clone(), Expected { hlc });
                    }
                }
                change
            })
            .collect();
        PushRequest { after_seq, changes }
    }

    /// Outbox changes as the store reads them: fields as stored text, the long text
    /// (notes) with its `expect`.
    fn changes() -> impl Strategy<Value = Vec<OutboxChange>> {
        let device = DeviceId::from(uuid::Uuid::from_u128(9));
        // (record, fields set, values, stamp's counter, the notes' base): records from a
        // few, so runs of one record and a record again later both occur.
        let change = (0u128..4, 1u8..16, any::<[Option<String>; 4]>(), 0u32..3, any::<Option<u32>>());
        prop::collection::vec(change, 0..12).prop_map(move |raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (record, set, values, counter, base))| {
                    let names = ["title", "notes", "date", "venue"];
                    let fields: serde_json::Map<String, Value> = (0..4)
                        .filter(|f| set & (1 << f) != 0)
                        .map(|f| (names[f].to_owned(), values[f].clone().map_or(Value::Null, Value::String)))
                        .collect();
                    let (device_seq, record_id, hlc) = (
                        i as i64 + 1,
                        RecordId::from(uuid::Uuid::from_u128(record + 1)),
                        Hlc { wall_ms: 1_700_000_000_000, counter, device },
                    );
                    let texts = fields
                        .get("notes")
                        .map(|value| OutboxEntry {
                            device_seq,
                            record_id,
                            collection: Collection::Seminar,
                            field: "notes".to_owned(),
                            value: value.clone(),
                            hlc,
                            expect: Some(base.map(|counter| Hlc { wall_ms: 1_600_000_000_000, counter, device })),
                        })
                        .into_iter()
                        .collect();
                    OutboxChange {
                        device_seq,
                        record_id,
                        collection: Collection::Seminar,
                        hlc,
                        field_count: fields.len(),
                        fields: FieldValues::stored(serde_json::to_string(&fields).unwrap()).unwrap(),
                        texts,
                    }
                })
                .collect()
        })
    }

    proptest! {
        /// A change sent as the outbox stored it carries what the change parsed into
        /// entries carries, and the body is that request; settling keeps exactly the
        /// long texts, with their `expect`.
        #[test]
        fn stored_changes_push_what_their_entries_push(changes in changes()) {
            let entries: Vec<OutboxEntry> = changes.iter().cloned().flat_map(|c| c.into_entries().unwrap()).collect();
            let expected = request_of_entries(7, &entries);
            let wanted: Vec<OutboxEntry> = entries.iter().filter(|e| e.expect.is_some()).cloned().collect();
            let (request, texts) = push_request(7, changes.clone()).unwrap();
            prop_assert_eq!(&request, &expected);
            prop_assert_eq!(texts, wanted);
            let outgoing = Outgoing::of(7, changes).unwrap();
            let read: PushRequest = serde_json::from_slice(&outgoing.body).unwrap();
            prop_assert_eq!(read, expected);
        }
    }

    proptest! {
        // Each case writes out megabytes: fewer cases.
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// A batch holds whole changes within the push limits (at least one).
        #[test]
        fn a_batch_is_cut_between_changes_within_the_limits(sizes in prop::collection::vec((1usize..400_000, 1usize..9_000), 1..40)) {
            let device = DeviceId::from(uuid::Uuid::from_u128(9));
            let changes: Vec<OutboxChange> = sizes
                .iter()
                .enumerate()
                .map(|(i, (bytes, fields))| {
                    let values: serde_json::Map<String, Value> =
                        (0..*fields).map(|f| (format!("f{f}"), Value::String("x".repeat(bytes / fields)))).collect();
                    OutboxChange {
                        device_seq: i as i64 + 1,
                        record_id: RecordId::from(uuid::Uuid::from_u128(i as u128 + 1)),
                        collection: Collection::Seminar,
                        hlc: Hlc { wall_ms: 1_700_000_000_000, counter: 0, device },
                        field_count: values.len(),
                        fields: FieldValues::stored(serde_json::to_string(&values).unwrap()).unwrap(),
                        texts: Vec::new(),
                    }
                })
                .collect();
            let n = within_push_limits(&changes);
            prop_assert!(n >= 1 && n <= changes.len());
            let outgoing = Outgoing::of(0, changes[..n].to_vec()).unwrap();
            if n > 1 {
                prop_assert!(outgoing.body.len() <= super::PUSH_BYTES, "{} bytes", outgoing.body.len());
                prop_assert!(outgoing.request.field_count() <= super::PUSH_FIELDS);
            }
            if n < changes.len() {
                // The next change would not have fitted.
                let with_next = changes[..=n].iter().map(super::change_bytes).sum::<usize>();
                let fields_next = changes[..=n].iter().map(|c| c.field_count).sum::<usize>();
                prop_assert!(with_next > super::PUSH_BYTES || fields_next > super::PUSH_FIELDS);
            }
        }
    }
}
