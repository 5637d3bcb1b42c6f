//! The coordinator's desk over HTTP (`/v1/users`, `/v1/devices`, `/v1/audit`,
//! `/v1/server`): the bodies the server answers and takes, for the app's Administration
//! section.
//!
//! Glossary:
//! - **one-time password**: a password the server makes up when an administrator adds
//!   a user or resets a password, shown once to the administrator, who hands it over.
//! - **audit chain**: the organisation's audit entries, each holding the hash of the
//!   one before ([`AuditView::prev_hash`]), so an entry changed or removed shows.
//!
//! Who may: a coordinator reads, an administrator also changes; a consultant gets 403
//! from every endpoint here, and an id of another organisation answers 404, as an
//! unknown one does.

use saite_domain::DeviceId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

use crate::{Role, UserSummary};

/// A user as coordinators and administrators see them (no password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct UserView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub user: UserSummary,
    pub disabled: bool,
    /// Until when too many failed sign-ins lock the user out.
    pub locked_until_ms: Option<u64>,
    pub created_at_ms: u64,
    /// The user asking (whose own role and state the screen does not offer to change).
    pub is_you: bool,
}

/// `POST /v1/users`: a new user of the caller's organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct NewUserRequest {
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// A user added, or a password reset: the one-time password, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct OneTimePassword {
    pub user: UserView,
    pub password: String,
}

/// `POST /v1/users/{id}/role`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(rename_all = "camelCase")]
pub struct RoleRequest {
    pub role: Role,
}

/// A device as coordinators and administrators see it (no token hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct DeviceView {
    #[schema(value_type = String)]
    pub id: DeviceId,
    pub user: crate::UserId,
    pub name: String,
    pub created_at_ms: u64,
    pub revoked_at_ms: Option<u64>,
    pub last_seen_ms: Option<u64>,
    /// The last of its changes the server has applied.
    pub applied_seq: u64,
    pub pulled_seq: u64,
    /// The app's version, as the laptop last said.
    pub app_version: Option<String>,
    /// Changes made on the laptop that had not reached the server at its last contact.
    pub pending_changes: u64,
    /// The laptop asking (revoking it would wipe the laptop in use).
    pub is_this_laptop: bool,
}

/// `GET /v1/audit`: which entries, oldest first. Every filter narrows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries after this seq.
    #[serde(default)]
    pub after: u64,
    /// At most this many (500 unless said; never over 5 000).
    pub limit: Option<u32>,
    pub user: Option<crate::UserId>,
    #[param(value_type = Option<String>)]
    pub device: Option<DeviceId>,
    /// One action (`sign-in`, `push`, `device-revoke`, …).
    pub action: Option<String>,
    /// Server time from (ms since the epoch, inclusive).
    pub from_ms: Option<u64>,
    /// Server time to (exclusive).
    pub to_ms: Option<u64>,
    /// Entries about one record: the changes laptops made to it.
    #[param(value_type = Option<String>)]
    pub record: Option<saite_domain::RecordId>,
}

/// One audit entry, as coordinators and administrators read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AuditView {
    pub seq: u64,
    /// When it reached the server (the server's clock).
    pub at_ms: u64,
    /// When it was done on the laptop (the laptop's clock), where a laptop said.
    pub device_time_ms: Option<u64>,
    pub user: Option<crate::UserId>,
    #[schema(value_type = Option<String>)]
    pub device: Option<DeviceId>,
    pub action: String,
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
    /// The hash of the entry before (64 zeros before the first).
    pub prev_hash: String,
    pub hash: String,
}

/// `GET /v1/audit/verify`: whether the organisation's whole audit chain holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AuditVerdict {
    /// How many entries were checked and found sound: all of them when there is no
    /// fault, those before it when there is.
    pub entries: u64,
    /// The first fault found (an entry missing, changed or out of its chain), if any.
    pub fault: Option<String>,
}

/// `GET /v1/server`: how the server is, for the Administration section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ServerHealth {
    /// The server's version (`0.1.0`).
    pub version: String,
    pub protocol: u32,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// How long the database took to answer a ping, in ms.
    pub database_ms: u64,
    /// When this server process started (ms since the epoch).
    pub started_at_ms: u64,
    /// The server's clock now (ms since the epoch).
    pub now_ms: u64,
    pub users: u64,
    pub active_devices: u64,
    /// Devices not heard from for 30 days or more, not revoked.
    pub silent_devices: u64,
}

#[cfg(test)]
mod generated_typescript {
    use super::*;

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<crate::UserId>();
        saite_ts_bindings::assert_ts_fresh::<Role>();
        saite_ts_bindings::assert_ts_fresh::<UserSummary>();
        saite_ts_bindings::assert_ts_fresh::<UserView>();
        saite_ts_bindings::assert_ts_fresh::<NewUserRequest>();
        saite_ts_bindings::assert_ts_fresh::<OneTimePassword>();
        saite_ts_bindings::assert_ts_fresh::<DeviceView>();
        saite_ts_bindings::assert_ts_fresh::<AuditQuery>();
        saite_ts_bindings::assert_ts_fresh::<AuditView>();
        saite_ts_bindings::assert_ts_fresh::<AuditVerdict>();
        saite_ts_bindings::assert_ts_fresh::<ServerHealth>();
        saite_ts_bindings::assert_ts_fresh::<crate::office::OfficeSettings>();
        saite_ts_bindings::assert_ts_fresh::<crate::TrailEntry>();
    }
}
