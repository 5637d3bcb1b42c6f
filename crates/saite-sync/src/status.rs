//! What the app shows about sync: the Sync screen and the status-bar indicator read a
//! [`SyncStatus`]; every failure carries a [`SyncFailureCode`] the UI turns into plain
//! words and a next step (`error-<code>` in each locale's `errors.ftl`).

use saite_domain::Collection;
use saite_protocol::office::OfficeSettings;
use serde::Serialize;
use ts_rs::TS;

use crate::SyncError;

/// Why the last round failed, as the user is told.
///
/// Invariant: codes are never renamed or reused, and none equals a shell or store error
/// code (the app shows them all through one message namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum SyncFailureCode {
    /// No network at all (no route out of this computer).
    Offline,
    /// A network, but the server did not answer.
    ServerUnreachable,
    /// The server no longer accepts this laptop's token; sign in again.
    SignedOut,
    /// Sign-in refused: wrong e-mail or password, or the account is disabled.
    BadCredentials,
    /// Sign-in refused for now: too many attempts; wait and try again.
    TooManyAttempts,
    /// The server address cannot be used (not http(s)://host…).
    BadServerAddress,
    /// The server speaks a newer protocol: update the app.
    AppTooOld,
    /// The server speaks an older protocol: the office must update it.
    ServerTooOld,
    /// The server refused a change for a reason retrying does not fix.
    ServerRefused,
    /// A pull would delete much of a collection; it waits for the user's answer.
    MassDelete,
    /// The laptop's own store failed.
    LocalStore,
    /// The server refused this laptop's changes as stamped ahead of its clock, and
    /// stamping them again by the server's time did not help: one of the two clocks is
    /// wrong.
    ClockAhead,
}

impl SyncFailureCode {
    pub const ALL: [SyncFailureCode; 12] = [
        SyncFailureCode::Offline,
        SyncFailureCode::ServerUnreachable,
        SyncFailureCode::SignedOut,
        SyncFailureCode::BadCredentials,
        SyncFailureCode::TooManyAttempts,
        SyncFailureCode::BadServerAddress,
        SyncFailureCode::AppTooOld,
        SyncFailureCode::ServerTooOld,
        SyncFailureCode::ServerRefused,
        SyncFailureCode::MassDelete,
        SyncFailureCode::LocalStore,
        SyncFailureCode::ClockAhead,
    ];

    /// Whether trying again later, unchanged, can succeed. The scheduler retries only
    /// these; the others wait for the user (sign in, update, answer a question).
    pub fn retry_helps(self) -> bool {
        matches!(
            self,
            SyncFailureCode::Offline
                | SyncFailureCode::ServerUnreachable
                | SyncFailureCode::ServerRefused
                | SyncFailureCode::ClockAhead
        )
    }
}

/// A failure as shown: its code, and the technical detail for the "details" line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SyncFailure {
    pub code: SyncFailureCode,
    pub detail: String,
    /// When it happened (ms since the epoch).
    pub at_ms: u64,
}

impl SyncFailure {
    /// The failure a round's error means; `None` for a locked store, which is not a
    /// failure (the round resumes after unlocking). A device revoked is handled before
    /// this (the data is destroyed).
    pub fn of(error: &SyncError, at_ms: u64) -> Option<SyncFailure> {
        let code = match error {
            SyncError::StoreLocked => return None,
            SyncError::Unreachable(_) => SyncFailureCode::ServerUnreachable,
            SyncError::SignedOut | SyncError::DeviceRevoked => SyncFailureCode::SignedOut,
            SyncError::VersionMismatch { server: Some(s), client } if s > client => SyncFailureCode::AppTooOld,
            SyncError::VersionMismatch { .. } => SyncFailureCode::ServerTooOld,
            SyncError::Refused(api) if api.code == saite_protocol::ApiErrorCode::StampAhead => {
                SyncFailureCode::ClockAhead
            }
            SyncError::Refused(_) => SyncFailureCode::ServerRefused,
            SyncError::MassDelete { .. } => SyncFailureCode::MassDelete,
            SyncError::Store(_) => SyncFailureCode::LocalStore,
        };
        Some(SyncFailure { code, detail: error.to_string(), at_ms })
    }
}

/// What the sync loop is doing: one state, and with it only what that state can show
/// (progress only while a round runs, a failure only after one failed), so the
/// headline, the progress and the failure the UI shows cannot contradict each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "phase", rename_all = "kebab-case")]
#[ts(tag = "phase", rename_all = "kebab-case")]
pub enum SyncPhase {
    /// Not connected to a server: everything stays on this laptop.
    LocalOnly,
    /// The store is locked: sync resumes after unlocking.
    Locked,
    /// Connected, waiting for the next round.
    Idle,
    /// A round is running.
    Syncing { progress: SyncProgress },
    /// The last round failed.
    Failed {
        failure: SyncFailure,
        /// When the loop tries again by itself; `None` when it waits for the user.
        #[serde(rename = "nextAttemptMs")]
        #[ts(rename = "nextAttemptMs")]
        next_attempt_ms: Option<u64>,
    },
}

impl SyncPhase {
    pub fn is_syncing(&self) -> bool {
        matches!(self, SyncPhase::Syncing { .. })
    }

    /// The last round's failure, while it stands.
    pub fn failure(&self) -> Option<&SyncFailure> {
        match self {
            SyncPhase::Failed { failure, .. } => Some(failure),
            _ => None,
        }
    }
}

/// Where the laptop stands against the server after the last finished round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum VerificationState {
    /// Checksums equal: "Verified in sync".
    Verified,
    /// Checksums differed, the collections were fetched again and now agree.
    Repaired,
    /// Something changed during the round (an edit here, another laptop's push); the
    /// next round checks again.
    ChangedMeanwhile,
    /// Still different after fetching again; see `mismatched`.
    Mismatch,
}

/// What a running round is doing now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum SyncStage {
    /// Sending this laptop's changes.
    #[default]
    Sending,
    /// Bringing and storing the server's records.
    Receiving,
    /// Comparing checksums, fetching again a collection that differs.
    Checking,
    /// Downloading attached files.
    Files,
}

/// A running round's progress, counted in records (as the pending count is): records
/// whose changes were waiting when the round began and how many of them no longer wait
/// (the server confirmed them, or a newer edit queued them again as new); records the pull has stored and how many it brings in all (known once its
/// first page answers); bytes both ways.
///
/// Invariant: `pushed <= to_push`, and `to_push - pushed` of the records still waiting
/// are among the status's `pending` (read in the same store call).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SyncProgress {
    pub stage: SyncStage,
    pub to_push: u64,
    pub pushed: u64,
    pub to_pull: Option<u64>,
    pub pulled: u64,
    pub bytes: u64,
}

/// The server this laptop syncs with, as the Sync screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AccountSummary {
    pub server: String,
    pub email: String,
    pub organisation: String,
    /// What the server says this user may do (the app shows what it allows; the server
    /// still judges every request). `None` until the server said.
    pub role: Option<saite_protocol::Role>,
}

/// A pull that would delete much of a collection, waiting for the user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct MassDeleteQuestion {
    pub collection: Collection,
    pub records: u64,
    pub of: u64,
}

/// Everything the UI shows about sync.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SyncStatus {
    #[serde(flatten)]
    #[ts(flatten)]
    pub phase: SyncPhase,
    pub account: Option<AccountSummary>,
    /// Records with changes not yet confirmed by the server.
    pub pending: u64,
    /// Long texts edited on two laptops in the same lines, waiting for the user.
    pub conflicts: u64,
    pub last_success_ms: Option<u64>,
    /// The result of the last finished round's comparison.
    pub verification: Option<VerificationState>,
    /// Collections fetched again in the last round (repaired), or still differing.
    pub repulled: Vec<Collection>,
    pub mismatched: Vec<Collection>,
    pub mass_delete: Option<MassDeleteQuestion>,
    /// This laptop's own lost-laptop policy: destroy the data after this many days
    /// without contact.
    pub wipe_after_days: Option<u32>,
    /// The policy that applies: the stricter of the own and the office's.
    pub wipe_after_days_in_force: Option<u32>,
    /// What the organisation set for every laptop, as the server last said.
    pub office: OfficeSettings,
    pub last_contact_ms: Option<u64>,
    /// Attachments up to this size come with each sync; larger ones when opened.
    pub auto_download_bytes: u64,
    /// This laptop's clock minus the server's, as the last answer showed it, when it is
    /// off by more than [`saite_protocol::clock::CLOCK_TOLERANCE_MS`] (ms; positive:
    /// ahead). The app asks the user to set the clock.
    #[ts(type = "number | null")]
    pub clock_skew_ms: Option<i64>,
    /// When the last backup was made on this laptop.
    pub last_backup_ms: Option<u64>,
    /// The time of the oldest change neither synced nor backed up, once it is older than
    /// the office allows ([`crate::account::unsynced_reminder`]): the app reminds.
    pub unsynced_reminder_since_ms: Option<u64>,
}

impl SyncStatus {
    pub fn new(phase: SyncPhase) -> SyncStatus {
        SyncStatus {
            phase,
            account: None,
            pending: 0,
            conflicts: 0,
            last_success_ms: None,
            verification: None,
            repulled: Vec::new(),
            mismatched: Vec::new(),
            mass_delete: None,
            wipe_after_days: None,
            wipe_after_days_in_force: None,
            office: OfficeSettings::default(),
            last_contact_ms: None,
            auto_download_bytes: crate::account::DEFAULT_AUTO_DOWNLOAD_BYTES,
            clock_skew_ms: None,
            last_backup_ms: None,
            unsynced_reminder_since_ms: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_mismatch_names_the_side_to_update() {
        let old_app = SyncError::VersionMismatch { server: Some(2), client: 1 };
        let old_server = SyncError::VersionMismatch { server: Some(1), client: 2 };
        let unknown = SyncError::VersionMismatch { server: None, client: 1 };
        assert_eq!(SyncFailure::of(&old_app, 0).unwrap().code, SyncFailureCode::AppTooOld);
        assert_eq!(SyncFailure::of(&old_server, 0).unwrap().code, SyncFailureCode::ServerTooOld);
        assert_eq!(SyncFailure::of(&unknown, 0).unwrap().code, SyncFailureCode::ServerTooOld);
        assert!(SyncFailure::of(&SyncError::StoreLocked, 0).is_none());
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<SyncStatus>();
        saite_ts_bindings::assert_ts_fresh::<SyncPhase>();
        saite_ts_bindings::assert_ts_fresh::<SyncFailure>();
        saite_ts_bindings::assert_ts_fresh::<SyncFailureCode>();
        saite_ts_bindings::assert_ts_fresh::<VerificationState>();
        saite_ts_bindings::assert_ts_fresh::<SyncProgress>();
        saite_ts_bindings::assert_ts_fresh::<SyncStage>();
        saite_ts_bindings::assert_ts_fresh::<AccountSummary>();
        saite_ts_bindings::assert_ts_fresh::<MassDeleteQuestion>();
        saite_ts_bindings::assert_ts_fresh::<crate::desk::DeskFailureCode>();
    }
}
