//! The coordinator's desk: users, devices, the audit log and the office-wide settings,
//! as the terminal (`saite-server admin`) and the app's Administration section (the
//! `/v1/users`, `/v1/devices`, `/v1/audit` and `/v1/office` endpoints) both reach them.
//!
//! Glossary:
//! - **actor**: who acts ([`Actor`]): the server's terminal, which may do anything in any
//!   organisation, or a signed-in member of one organisation, by role.
//! - **read / change**: a coordinator reads; an administrator also changes; a consultant
//!   does neither.
//! - **active administrator**: an administrator who is not disabled. An organisation
//!   always keeps one, so someone can still reach its desk (the storage checks it in the
//!   change's transaction: [`saite_server_storage::UserChange::takes_an_admin_away`]).
//!
//! Invariant: a member never learns of another organisation's users or devices by their
//! ids: an id of another organisation is refused as [`DeskError::NotFound`], exactly as
//! an unknown id. (E-mail addresses are one namespace for sign-in, so adding a user
//! whose address another organisation uses is refused as taken.)

use saite_domain::{DeviceId, RecordId};
use saite_protocol::{
    Role, TenantId, UserId,
    admin::{AuditQuery, NewUserRequest},
    office::OfficeSettings,
};
use saite_server_storage::{
    AuditContext, AuditFilter, AuditRecord, ChainCheck, Device, NewUser, ServerStorage, StorageError, User, UserChange,
};
use serde_json::json;

use crate::auth::{self, Caller};

/// Audit entries read at once when verifying the chain.
const VERIFY_PAGE: u32 = 5_000;

/// The shortest password a person may choose (a one-time password is longer).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Who acts at the desk.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// `saite-server admin` on the server itself.
    Terminal,
    /// A signed-in user, from their laptop.
    Member(&'a Caller),
}

/// What an act does to the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Change,
}

/// Why the desk refused.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("a {0} may not do this")]
    Forbidden(Role),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// An input field is not acceptable; `field` names it.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: &'static str },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

type Result<T> = std::result::Result<T, DeskError>;

impl Actor<'_> {
    /// Refuses unless this actor may do `access` at the desk.
    fn may(self, access: Access) -> Result<()> {
        let Actor::Member(caller) = self else { return Ok(()) };
        match (caller.user.role, access) {
            (Role::Admin, _) | (Role::Coordinator, Access::Read) => Ok(()),
            (role, _) => Err(DeskError::Forbidden(role)),
        }
    }

    /// Whether the actor may see `tenant`'s users and devices.
    fn sees(self, tenant: TenantId) -> bool {
        match self {
            Actor::Terminal => true,
            Actor::Member(caller) => caller.tenant.id == tenant,
        }
    }

    /// The audit entry of an act: a member's user and device, or none for the terminal.
    fn audit(self, at_ms: u64, action: &str, detail: serde_json::Value) -> AuditContext {
        match self {
            Actor::Terminal => AuditContext::admin(at_ms, action, detail),
            Actor::Member(caller) => crate::handlers::audit_of(at_ms, caller, action, detail),
        }
    }
}

/// The desk of one storage, at the time `now_ms`.
pub struct Desk<'a, S> {
    pub storage: &'a S,
    pub actor: Actor<'a>,
    pub now_ms: u64,
}

impl<S: ServerStorage> Desk<'_, S> {
    /// A user the actor may see, by id.
    pub async fn user(&self, id: UserId) -> Result<User> {
        self.actor.may(Access::Read)?;
        match self.storage.user(id).await? {
            Some(user) if self.actor.sees(user.tenant) => Ok(user),
            _ => Err(DeskError::NotFound("user")),
        }
    }

    pub async fn users(&self, tenant: TenantId) -> Result<Vec<User>> {
        self.actor.may(Access::Read)?;
        self.require_visible(tenant)?;
        Ok(self.storage.users(tenant).await?)
    }

    /// Adds a user to `tenant`, with `password` or, when none is given, a one-time
    /// password made up here (returned).
    pub async fn add_user(
        &self,
        tenant: TenantId,
        new: NewUserRequest,
        password: Option<String>,
    ) -> Result<(User, Option<String>)> {
        self.actor.may(Access::Change)?;
        self.require_visible(tenant)?;
        let email = saite_server_storage::normalised_email(&new.email);
        let name = new.name.trim().to_owned();
        if !email_looks_right(&email) {
            return Err(DeskError::Invalid { field: "email", reason: "not an e-mail address" });
        }
        if name.is_empty() {
            return Err(DeskError::Invalid { field: "name", reason: "empty" });
        }
        let (password, one_time) = self.password(password)?;
        let hash = hash(password).await;
        let audit = self.actor.audit(self.now_ms, "user-add", json!({"email": email, "role": new.role}));
        let user =
            NewUser { id: UserId(uuid::Uuid::now_v7()), tenant, email, name, role: new.role, password_hash: hash };
        Ok((self.storage.create_user(user, audit).await?, one_time))
    }

    pub async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<User> {
        self.actor.may(Access::Change)?;
        let user = self.user(id).await?;
        let action = if disabled { "user-disable" } else { "user-enable" };
        let audit = self.actor.audit(self.now_ms, action, json!({"email": user.email}));
        Ok(self.storage.update_user(id, UserChange::SetDisabled(disabled), Some(audit)).await?)
    }

    pub async fn set_role(&self, id: UserId, role: Role) -> Result<User> {
        self.actor.may(Access::Change)?;
        let user = self.user(id).await?;
        let audit = self.actor.audit(self.now_ms, "user-role", json!({"email": user.email, "role": role}));
        Ok(self.storage.update_user(id, UserChange::SetRole(role), Some(audit)).await?)
    }

    /// Gives a user a new password (and lifts a lock-out): `password`, or a one-time
    /// password made up here (returned).
    pub async fn reset_password(&self, id: UserId, password: Option<String>) -> Result<(User, Option<String>)> {
        self.actor.may(Access::Change)?;
        let user = self.user(id).await?;
        let (password, one_time) = self.password(password)?;
        let hash = hash(password).await;
        let audit = self.actor.audit(self.now_ms, "user-password", json!({"email": user.email}));
        Ok((self.storage.update_user(id, UserChange::SetPasswordHash(hash), Some(audit)).await?, one_time))
    }

    pub async fn devices(&self, tenant: TenantId) -> Result<Vec<Device>> {
        self.actor.may(Access::Read)?;
        self.require_visible(tenant)?;
        Ok(self.storage.devices(tenant).await?)
    }

    /// Revokes a device: the laptop wipes itself at its next contact.
    pub async fn revoke_device(&self, id: DeviceId) -> Result<Device> {
        self.actor.may(Access::Change)?;
        match self.storage.device(id).await? {
            Some(device) if self.actor.sees(device.tenant) => {
                let audit = self.actor.audit(self.now_ms, "device-revoke", json!({"device": id.to_string()}));
                Ok(self.storage.revoke_device(id, audit).await?)
            }
            _ => Err(DeskError::NotFound("device")),
        }
    }

    /// The audit entries `q` asks for, oldest first (500 unless it says; at most 5 000).
    pub async fn audit(&self, tenant: TenantId, q: &AuditQuery) -> Result<Vec<AuditRecord>> {
        self.actor.may(Access::Read)?;
        self.require_visible(tenant)?;
        let filter = AuditFilter {
            after: q.after,
            user: q.user,
            device: q.device,
            action: q.action.clone(),
            from_ms: q.from_ms,
            to_ms: q.to_ms,
            record: q.record,
        };
        Ok(self.storage.audit_entries(tenant, &filter, q.limit.unwrap_or(500).clamp(1, 5_000)).await?)
    }

    /// Every audit entry of `tenant`, checked link by link a page at a time: how many
    /// were sound, and the first fault.
    pub async fn verify_audit(&self, tenant: TenantId) -> Result<(u64, Option<String>)> {
        self.actor.may(Access::Read)?;
        self.require_visible(tenant)?;
        let mut check = ChainCheck::default();
        loop {
            let page = self.storage.audit_log(tenant, check.checked(), VERIFY_PAGE).await?;
            if let Err(fault) = check.check(&page) {
                return Ok((check.checked(), Some(fault.to_string())));
            }
            if page.len() < VERIFY_PAGE as usize {
                return Ok((check.checked(), None));
            }
        }
    }

    /// A record's changes as the audit keeps them, oldest first (at most 1 000): any
    /// member of the organisation may read them, for the record's History. A record of
    /// another organisation has none, as an unknown one.
    pub async fn record_trail(&self, tenant: TenantId, record: RecordId) -> Result<Vec<AuditRecord>> {
        self.require_visible(tenant)?;
        let filter = AuditFilter { record: Some(record), ..AuditFilter::default() };
        Ok(self.storage.audit_entries(tenant, &filter, 1_000).await?)
    }

    /// The organisation's settings for every laptop.
    pub async fn office(&self, tenant: TenantId) -> Result<OfficeSettings> {
        self.actor.may(Access::Read)?;
        self.require_visible(tenant)?;
        Ok(self.storage.tenant(tenant).await?.ok_or(DeskError::NotFound("organisation"))?.office)
    }

    /// Replaces the organisation's settings for every laptop; each laptop takes them at
    /// its next round.
    pub async fn set_office(&self, tenant: TenantId, office: OfficeSettings) -> Result<OfficeSettings> {
        self.actor.may(Access::Change)?;
        self.require_visible(tenant)?;
        let office = office.checked().map_err(|e| DeskError::Invalid { field: e.field, reason: e.reason })?;
        let audit = self.actor.audit(self.now_ms, "office-settings", json!(office));
        Ok(self.storage.set_office(tenant, office, audit).await?.office)
    }

    /// Refuses a tenant the actor may not see, as an unknown one.
    fn require_visible(&self, tenant: TenantId) -> Result<()> {
        if self.actor.sees(tenant) { Ok(()) } else { Err(DeskError::NotFound("organisation")) }
    }

    /// The password to set: one given (checked), or a one-time one made up here.
    fn password(&self, given: Option<String>) -> Result<(String, Option<String>)> {
        match given {
            Some(p) if p.chars().count() < MIN_PASSWORD_CHARS => {
                Err(DeskError::Invalid { field: "password", reason: "too short" })
            }
            Some(p) => Ok((p, None)),
            None => {
                let one_time = auth::one_time_password();
                Ok((one_time.clone(), Some(one_time)))
            }
        }
    }
}

/// Argon2id takes a while: off the async threads.
async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || auth::hash_password(&password)).await.expect("hashing does not panic")
}

/// Something, an `@`, something with a dot: the server cannot know more without
/// sending mail.
fn email_looks_right(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !email.contains(char::is_whitespace)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}
