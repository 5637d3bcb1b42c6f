//! The laptop's side of sync: one round pushes the outbox, pulls what others changed
//! since the cursor, and proves the result equal to the server by checksums.
//!
//! Glossary:
//! - **transport**: how requests reach the server ([`Transport`]); [`HttpTransport`]
//!   in the app, a fault-injecting wrapper in tests.
//! - **round**: one [`SyncEngine::sync_once`]: push, pull, verify.
//! - **verified**: after a round the server's per-collection checksums equal the
//!   laptop's own ([`saite_store::Store::local_checksums`]) at the same cursor, with
//!   nothing left to push. Only then may the app say "Verified in sync".
//! - **mass delete**: a pull that would move more of a collection to the trash than
//!   [`MassDeleteLimit`] allows in one round (a laptop gone wrong, or a careless
//!   bulk delete); the round stops before applying it and asks the user.
//! - **background loop**: [`BackgroundSync`], which decides when rounds run and keeps
//!   the [`SyncStatus`] the app shows.
//! - **account**: the server, e-mail and device token this laptop syncs with, kept in
//!   the encrypted store ([`Account`]).
//! - **re-pull**: fetching one collection again from the start, when its checksum
//!   differs or the server raised its re-pull generation.
//!
//! Invariants: an outbox entry is dropped only after the server answered that it
//! applied it; a pulled page and the cursor after it are stored in one transaction
//! (by the store). So a round cut anywhere — a lost answer, a dead connection, the app
//! closed — loses nothing, and the next round resumes: a push repeated is applied once
//! by the server, a page pulled again merges to the same state.

pub mod account;
mod background;
pub mod desk;
mod engine;
pub mod network;
pub mod schedule;
mod status;
mod transport;

pub use account::{Account, ConnectError};
pub use background::{BackgroundSync, SyncCadence, SyncHost, WipeReason};
pub use engine::{MassDeleteLimit, Replica, SyncEngine, SyncReport, Verification};
pub use status::{
    AccountSummary, MassDeleteQuestion, SyncFailure, SyncFailureCode, SyncPhase, SyncProgress, SyncStage, SyncStatus,
    VerificationState,
};
pub use transport::{HttpTransport, SignedIn, Transport, TransportError, sign_in};

/// Why a round stopped, as the app explains it to the user.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the server no longer knows this laptop's token: sign in again")]
    SignedOut,
    /// The laptop was reported lost: the app must destroy its data.
    #[error("this laptop was revoked")]
    DeviceRevoked,
    #[error("the server speaks protocol {server:?}, this app {client}")]
    VersionMismatch { server: Option<u32>, client: u32 },
    /// The server refused a request for a reason the user cannot fix by retrying
    /// (an invalid value, a missing attachment); the code says which.
    #[error("the server refused: {0:?}")]
    Refused(saite_protocol::ApiError),
    /// A pull would move more of a collection to the trash than
    /// [`MassDeleteLimit`] allows; nothing of it was applied. The user decides:
    /// [`SyncEngine::allow_mass_delete`], then sync again.
    #[error("a pull would delete {records} of {of} {collection} records")]
    MassDelete { collection: saite_domain::Collection, records: u64, of: u64 },
    /// The app locked its store (the user stepped away); the round stops and resumes
    /// after unlocking.
    #[error("the store is locked")]
    StoreLocked,
    #[error("local store: {0}")]
    Store(#[from] saite_store::StoreError),
}

impl From<TransportError> for SyncError {
    fn from(e: TransportError) -> SyncError {
        use saite_protocol::ApiErrorCode as Code;
        match e {
            TransportError::Unreachable(m) => SyncError::Unreachable(m),
            TransportError::Refused(api) => match api.code {
                Code::SignedOut | Code::UserDisabled | Code::BadCredentials => SyncError::SignedOut,
                Code::DeviceRevoked => SyncError::DeviceRevoked,
                Code::VersionMismatch => {
                    SyncError::VersionMismatch { server: api.server_protocol, client: saite_protocol::PROTOCOL_VERSION }
                }
                Code::Unavailable => SyncError::Unreachable(api.message),
                _ => SyncError::Refused(api),
            },
        }
    }
}
