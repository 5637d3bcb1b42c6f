//! The coordinator's desk from the laptop: the Administration section's requests to the
//! server (`/v1/users`, `/v1/devices`, `/v1/audit`, `/v1/server`, `/v1/office`), with this laptop's
//! token. The server judges every one; the app only shows what the role allows.
//!
//! Glossary: a **desk refusal** is an answer the user can act on (not allowed, not
//! found, the last administrator, a field to correct), as [`DeskFailureCode`]; every
//! other failure is a [`SyncError`] as a sync round would meet it.

use saite_domain::DeviceId;
use saite_protocol::{
    ApiErrorCode, Role, UserId,
    admin::{
        AuditQuery, AuditVerdict, AuditView, DeviceView, NewUserRequest, OneTimePassword, RoleRequest, ServerHealth,
        UserView,
    },
    office::OfficeSettings,
};
use serde::Serialize;
use ts_rs::TS;

use crate::{HttpTransport, SyncError, TransportError};

/// Why the desk refused, as the app explains it.
///
/// Invariant: codes are never renamed or reused; they share the app's message
/// namespace (`error-desk-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub enum DeskFailureCode {
    /// This user's role does not allow it (the office changed it meanwhile).
    #[serde(rename = "desk-forbidden")]
    Forbidden,
    /// The user or device is not (or no longer) known to the server.
    #[serde(rename = "desk-not-found")]
    NotFound,
    /// The change would leave the organisation without an active administrator.
    #[serde(rename = "desk-last-admin")]
    LastAdmin,
    /// A user with that e-mail exists.
    #[serde(rename = "desk-email-taken")]
    EmailTaken,
    /// A field of the input is not acceptable (`field` says which).
    #[serde(rename = "desk-invalid-input")]
    InvalidInput,
}

impl DeskFailureCode {
    pub const ALL: [DeskFailureCode; 5] = [
        DeskFailureCode::Forbidden,
        DeskFailureCode::NotFound,
        DeskFailureCode::LastAdmin,
        DeskFailureCode::EmailTaken,
        DeskFailureCode::InvalidInput,
    ];
}

/// A request of the desk that failed.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("the desk refused: {code:?} ({message})")]
    Refused { code: DeskFailureCode, field: Option<String>, message: String },
    #[error(transparent)]
    Sync(#[from] SyncError),
}

impl From<TransportError> for DeskError {
    fn from(e: TransportError) -> DeskError {
        let TransportError::Refused(api) = &e else { return DeskError::Sync(e.into()) };
        let code = match api.code {
            ApiErrorCode::Forbidden => DeskFailureCode::Forbidden,
            ApiErrorCode::NotFound => DeskFailureCode::NotFound,
            ApiErrorCode::LastAdmin => DeskFailureCode::LastAdmin,
            ApiErrorCode::EmailTaken => DeskFailureCode::EmailTaken,
            ApiErrorCode::InvalidInput => DeskFailureCode::InvalidInput,
            _ => return DeskError::Sync(e.into()),
        };
        DeskError::Refused { code, field: api.field.clone(), message: api.message.clone() }
    }
}

type Result<T> = std::result::Result<T, DeskError>;

/// The desk of the server this laptop is signed in to.
pub struct Desk {
    transport: HttpTransport,
}

impl Desk {
    pub fn new(server: &str, token: &str) -> Desk {
        Desk { transport: HttpTransport::new(server, token) }
    }

    pub async fn users(&self) -> Result<Vec<UserView>> {
        Ok(self.transport.get_json("/v1/users").await?)
    }

    /// Adds a user; the answer holds the one-time password to hand over.
    pub async fn add_user(&self, new: &NewUserRequest) -> Result<OneTimePassword> {
        Ok(self.transport.post_json("/v1/users", Some(new)).await?)
    }

    pub async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<UserView> {
        let action = if disabled { "disable" } else { "enable" };
        Ok(self.transport.post_json::<(), _>(&format!("/v1/users/{user}/{action}"), None).await?)
    }

    pub async fn set_role(&self, user: UserId, role: Role) -> Result<UserView> {
        Ok(self.transport.post_json(&format!("/v1/users/{user}/role"), Some(&RoleRequest { role })).await?)
    }

    /// A new one-time password for `user` (also lifts a lock-out).
    pub async fn reset_password(&self, user: UserId) -> Result<OneTimePassword> {
        Ok(self.transport.post_json::<(), _>(&format!("/v1/users/{user}/password"), None).await?)
    }

    pub async fn devices(&self) -> Result<Vec<DeviceView>> {
        Ok(self.transport.get_json("/v1/devices").await?)
    }

    /// Revokes a laptop: it wipes itself at its next contact.
    pub async fn revoke_device(&self, device: DeviceId) -> Result<DeviceView> {
        Ok(self.transport.post_json::<(), _>(&format!("/v1/devices/{device}/revoke"), None).await?)
    }

    pub async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditView>> {
        Ok(self.transport.get_query("/v1/audit", query).await?)
    }

    pub async fn verify_audit(&self) -> Result<AuditVerdict> {
        Ok(self.transport.get_json("/v1/audit/verify").await?)
    }

    pub async fn server_health(&self) -> Result<ServerHealth> {
        Ok(self.transport.get_json("/v1/server").await?)
    }

    pub async fn office(&self) -> Result<OfficeSettings> {
        Ok(self.transport.get_json("/v1/office").await?)
    }

    /// Replaces the settings every laptop of the organisation applies; answers them as
    /// stored.
    pub async fn set_office(&self, office: &OfficeSettings) -> Result<OfficeSettings> {
        Ok(self.transport.put_json("/v1/office", office).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desk_refusals_keep_their_code_and_field() {
        let mut api = saite_protocol::ApiError::new(ApiErrorCode::InvalidInput, "email: not an e-mail address");
        api.field = Some("email".into());
        match DeskError::from(TransportError::Refused(api)) {
            DeskError::Refused { code, field, .. } => {
                assert_eq!((code, field.as_deref()), (DeskFailureCode::InvalidInput, Some("email")))
            }
            other => panic!("{other:?}"),
        }
        let revoked = saite_protocol::ApiError::new(ApiErrorCode::DeviceRevoked, "revoked");
        assert!(matches!(DeskError::from(TransportError::Refused(revoked)), DeskError::Sync(SyncError::DeviceRevoked)));
    }
}
