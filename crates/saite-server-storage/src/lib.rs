//! What `saite-server` stores and the trait each database backend implements.
//!
//! Glossary:
//! - **tenant**: an organisation using the server; every query is scoped to one.
//! - **device**: one laptop of one user, known by its HLC device id; it holds a bearer
//!   token whose SHA-256 hash is stored (never the token), may be revoked, and carries
//!   two cursors: `applied_seq` (its outbox, as far as the server applied it) and
//!   `pulled_seq` (the server's changes, as far as it confirmed having them).
//! - **stored record**: the current value and HLC of every field of one record, and the
//!   server seq of the last change stored in it; pulls read records in server-seq order.
//!   A **stored field** is one of its fields (validation, backups).
//! - **audit chain**: per tenant, entries numbered 1, 2, ...; each entry's hash covers
//!   the previous hash and the entry ([`audit_hash`]), so editing or deleting one entry
//!   breaks every hash after it ([`verify_chain`]).
//!
//! - **blob**: the bytes of an attached file, addressed by their SHA-256, stored once per
//!   tenant in parts as they were uploaded ([`blob`]).
//!
//! Invariants every backend keeps (the conformance suite checks them):
//! - a push is one transaction: all of a batch's effects, the device's `applied_seq`
//!   and the audit entry are stored together or not at all;
//! - a change with `seq <= applied_seq` has no effect (exactly-once over retries);
//! - each change that stores a field takes the next server seq, in batch order, and its
//!   record carries it; seqs of one tenant are assigned in commit order, so a pull never
//!   skips a record that commits later with a lower seq;
//! - what a push stores, refuses and answers is decided by [`saite_protocol::push::plan_push`]
//!   (the checks, the merge, the seqs): a backend reads the rows it names and writes
//!   what it says; the per-collection checksum always equals the digest of the stored
//!   fields.

mod audit;
pub mod blob;
mod types;

use std::future::Future;

pub use audit::{AUDIT_GENESIS, ChainCheck, ChainFault, audit_hash, verify_chain};
use saite_domain::{Collection, DeviceId, RecordId};
pub use saite_protocol::{
    BlobStatus,
    push::{PushRefusal, PushRules, Refusal, RefusalKind},
    stored::{CorruptRecord, StoredRecord},
};
use saite_protocol::{Checksums, PullPage, PushRequest, PushResponse, TenantId, UserId, office::OfficeSettings};
pub use types::*;

impl From<CorruptRecord> for StorageError {
    fn from(e: CorruptRecord) -> StorageError {
        StorageError::Corrupt(e.0)
    }
}

impl From<PushRefusal> for StorageError {
    fn from(refusal: PushRefusal) -> StorageError {
        match refusal {
            PushRefusal::DeviceRevoked => StorageError::DeviceRevoked,
            PushRefusal::SeqGap { after_seq, applied_seq } => StorageError::SeqGap { after_seq, applied_seq },
            PushRefusal::Change(r) => StorageError::Refused(r),
        }
    }
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change would leave the organisation without an active administrator
    /// ([`UserChange::takes_an_admin_away`]); checked in the change's transaction.
    #[error("the organisation must keep an active administrator")]
    LastAdmin,
    #[error("the e-mail address is already used")]
    EmailTaken,
    #[error("the device id belongs to another user")]
    DeviceTaken,
    #[error("the device is revoked")]
    DeviceRevoked,
    #[error("the push starts after seq {after_seq}, but the server applied only up to {applied_seq}")]
    SeqGap { after_seq: u64, applied_seq: u64 },
    #[error("the upload part starts at byte {offset}, but the server holds {received} bytes of the file")]
    UploadOffset { offset: u64, received: u64 },
    #[error("the file was started with {size} bytes, not {asked}")]
    BlobSizeChanged { size: u64, asked: u64 },
    #[error("the uploaded bytes do not hash to {0}; the upload was discarded")]
    DigestMismatch(String),
    #[error("a restore needs an empty database")]
    NotEmpty,
    #[error("{}", .0.message)]
    Refused(Refusal),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(String),
}

/// The database behind `saite-server`. Every method is one transaction.
///
/// Methods return `impl Future + Send` so the server's handlers, generic over the
/// backend, can run on a multi-threaded runtime.
pub trait ServerStorage: Clone + Send + Sync + 'static {
    /// Whether the database answers (for `/healthz`).
    fn ping(&self) -> impl Future<Output = Result<()>> + Send;
    /// Which database this is (`sqlite`, `postgres`), for the server's health.
    fn backend(&self) -> &'static str;

    fn create_tenant(
        &self,
        id: TenantId,
        name: &str,
        audit: AuditContext,
    ) -> impl Future<Output = Result<Tenant>> + Send;
    fn tenants(&self) -> impl Future<Output = Result<Vec<Tenant>>> + Send;
    fn tenant(&self, id: TenantId) -> impl Future<Output = Result<Option<Tenant>>> + Send;
    /// Replaces the tenant's office-wide settings (checked by the caller) and audits it.
    fn set_office(
        &self,
        id: TenantId,
        office: OfficeSettings,
        audit: AuditContext,
    ) -> impl Future<Output = Result<Tenant>> + Send;

    /// Fails with [`StorageError::EmailTaken`] when the (lower-cased) e-mail is used.
    fn create_user(&self, user: NewUser, audit: AuditContext) -> impl Future<Output = Result<User>> + Send;
    fn user(&self, id: UserId) -> impl Future<Output = Result<Option<User>>> + Send;
    /// Looks the address up lower-cased.
    fn user_by_email(&self, email: &str) -> impl Future<Output = Result<Option<User>>> + Send;
    fn users(&self, tenant: TenantId) -> impl Future<Output = Result<Vec<User>>> + Send;
    /// Applies one change to a user; `audit` is None for sign-in bookkeeping, which
    /// the caller audits itself (success and failure alike).
    fn update_user(
        &self,
        id: UserId,
        change: UserChange,
        audit: Option<AuditContext>,
    ) -> impl Future<Output = Result<User>> + Send;

    /// Registers a device (or re-registers it for the same user with a new token).
    /// Fails with [`StorageError::DeviceTaken`] when the id belongs to another user,
    /// and with [`StorageError::DeviceRevoked`] when it was revoked.
    fn register_device(&self, device: NewDevice, audit: AuditContext) -> impl Future<Output = Result<Device>> + Send;
    fn device(&self, id: DeviceId) -> impl Future<Output = Result<Option<Device>>> + Send;
    fn device_by_token_hash(&self, token_hash: &str) -> impl Future<Output = Result<Option<Device>>> + Send;
    /// A device by its token's hash, with its user and tenant: what every request's
    /// authentication needs. Backends may answer it in one query.
    fn caller_by_token_hash(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<(Device, User, Tenant)>>> + Send {
        async move {
            let Some(device) = self.device_by_token_hash(token_hash).await? else { return Ok(None) };
            let Some(user) = self.user(device.user).await? else { return Ok(None) };
            let Some(tenant) = self.tenant(device.tenant).await? else { return Ok(None) };
            Ok(Some((device, user, tenant)))
        }
    }
    fn devices(&self, tenant: TenantId) -> impl Future<Output = Result<Vec<Device>>> + Send;
    fn revoke_device(&self, id: DeviceId, audit: AuditContext) -> impl Future<Output = Result<Device>> + Send;
    /// Notes a laptop's contact: the time (never moving back), the app's version when
    /// given, the changes it has made (never moving back).
    fn note_contact(&self, id: DeviceId, contact: Contact) -> impl Future<Output = Result<()>> + Send;

    /// Applies a batch of one device's outbox as [`saite_protocol::push::plan_push`]
    /// plans it, in one transaction with the plan's reads (see the invariants above):
    /// a refusal stores nothing ([`StorageError::Refused`], [`StorageError::SeqGap`],
    /// [`StorageError::DeviceRevoked`]). The audit entry records the batch. The batch is
    /// taken, not borrowed: a backend may run the transaction on another thread without
    /// copying it.
    fn push(
        &self,
        device: DeviceId,
        batch: PushRequest,
        rules: PushRules,
        audit: AuditContext,
    ) -> impl Future<Output = Result<PushResponse>> + Send;
    /// Records of the device's tenant changed after server seq `after`, at most `limit`,
    /// whole, in server-seq order. Records `after` as the device's `pulled_seq`.
    fn pull(&self, device: DeviceId, after: u64, limit: u32) -> impl Future<Output = Result<PullPage>> + Send;
    /// [`ServerStorage::pull`], with the summary of the tenant's checksums
    /// ([`Checksums::summary`]) on the last page (`more` false): what a pull request
    /// answers. Backends may read both in the pull's transaction (one step instead of
    /// two; the summary is then exactly the page's).
    fn pull_with_summary(
        &self,
        device: DeviceId,
        tenant: TenantId,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<PullPage>> + Send {
        async move {
            let mut page = self.pull(device, after, limit).await?;
            if !page.more {
                page.summary = Some(self.checksums(tenant).await?.summary());
            }
            Ok(page)
        }
    }
    /// Like [`ServerStorage::pull`], but only one collection's records, and the device's
    /// `pulled_seq` is left alone (a partial pull proves nothing about the rest).
    fn pull_collection(
        &self,
        device: DeviceId,
        collection: Collection,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<PullPage>> + Send;
    /// How many of the tenant's records (of `collection`, or all) changed after server
    /// seq `after`: what a pull from `after` has still to bring, as a laptop shows it.
    fn records_after(
        &self,
        tenant: TenantId,
        collection: Option<Collection>,
        after: u64,
    ) -> impl Future<Output = Result<u64>> + Send;
    /// Raises the collection's re-pull generation (see [`saite_protocol::CollectionChecksum`])
    /// and audits it; returns the new generation.
    fn request_repull(
        &self,
        tenant: TenantId,
        collection: Collection,
        audit: AuditContext,
    ) -> impl Future<Output = Result<u64>> + Send;
    /// These records as stored (for validating changes against them), those the
    /// tenant has, in no particular order.
    fn records(
        &self,
        tenant: TenantId,
        records: Vec<RecordId>,
    ) -> impl Future<Output = Result<Vec<StoredRecord>>> + Send;
    /// One record as stored.
    fn record(&self, tenant: TenantId, record: RecordId) -> impl Future<Output = Result<Option<StoredRecord>>> + Send {
        async move { Ok(self.records(tenant, vec![record]).await?.pop()) }
    }
    fn checksums(&self, tenant: TenantId) -> impl Future<Output = Result<Checksums>> + Send;

    /// Appends an entry to the tenant's audit chain on its own (sign-ins and refusals).
    fn append_audit(&self, tenant: TenantId, audit: AuditContext) -> impl Future<Output = Result<AuditRecord>> + Send;
    /// Appends a laptop's own events (its exports), each `(seq, entry)`, to its
    /// organisation's audit in seq order: only those above the seq the device had applied,
    /// so a retried send is kept once. Returns the device's applied seq after.
    fn append_device_events(
        &self,
        device: DeviceId,
        events: Vec<(u64, AuditContext)>,
    ) -> impl Future<Output = Result<u64>> + Send;
    /// Audit entries of a tenant with seq > `after`, oldest first.
    fn audit_log(
        &self,
        tenant: TenantId,
        after: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<AuditRecord>>> + Send {
        async move { self.audit_entries(tenant, &AuditFilter { after, ..AuditFilter::default() }, limit).await }
    }
    /// Audit entries of a tenant that `filter` lets through, oldest first, at most
    /// `limit`.
    fn audit_entries(
        &self,
        tenant: TenantId,
        filter: &AuditFilter,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<AuditRecord>>> + Send;

    /// How much of a blob the tenant's store holds; None when no upload started.
    fn blob_status(&self, tenant: TenantId, sha256: String) -> impl Future<Output = Result<Option<BlobStatus>>> + Send;
    /// Stores one part of an upload (see [`blob`] for the rules): the part must start
    /// where the stored bytes end ([`StorageError::UploadOffset`] otherwise). The part
    /// that completes the file is checked against its address; a mismatch discards the
    /// whole upload ([`StorageError::DigestMismatch`]), a match makes the blob complete
    /// and appends `audit` in the same transaction. A part for a blob already complete
    /// stores nothing (per-tenant de-duplication) and answers its status.
    fn put_blob_part(
        &self,
        tenant: TenantId,
        part: BlobPart,
        audit: AuditContext,
    ) -> impl Future<Output = Result<BlobStatus>> + Send;
    /// Bytes `[start, end)` of a complete blob (`end` clipped to its size); None when
    /// the blob is not complete in this tenant.
    fn read_blob(
        &self,
        tenant: TenantId,
        sha256: String,
        start: u64,
        end: u64,
    ) -> impl Future<Output = Result<Option<Vec<u8>>>> + Send;
    /// Which of these addresses are not complete blobs of the tenant.
    fn missing_blobs(&self, tenant: TenantId, sha256s: Vec<String>)
    -> impl Future<Output = Result<Vec<String>>> + Send;

    /// Everything stored, for a backup.
    fn export(&self) -> impl Future<Output = Result<Dump>> + Send;
    /// Loads a backup into an empty database ([`StorageError::NotEmpty`] otherwise).
    fn import(&self, dump: &Dump) -> impl Future<Output = Result<()>> + Send;
}
