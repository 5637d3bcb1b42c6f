//! The server this laptop syncs with, kept in the encrypted store: the address, the
//! e-mail it signed in with, its organisation and the device token. Nothing of it is
//! written anywhere else, so a lost laptop's token is as safe as its data (and a token
//! is useless once the office revokes the device).
//!
//! Also the lost-laptop policy: the days without contact after which the data is
//! destroyed, and the last contact it counts from; and the office-wide settings the
//! server last gave ([`OfficeSettings`]), of which the stricter limit applies.

use saite_domain::DeviceId;
use saite_protocol::{
    Role,
    office::{OfficeSettings, stricter_limit},
};
use saite_store::Store;

use crate::{AccountSummary, SyncFailureCode, TransportError, sign_in};

const SERVER: &str = "account:server";
const EMAIL: &str = "account:email";
const ORGANISATION: &str = "account:organisation";
const TOKEN: &str = "account:token";
const ROLE: &str = "account:role";
const LAST_CONTACT: &str = "last_contact_ms";
const LAST_SUCCESS: &str = "last_success_ms";
const WIPE_AFTER_DAYS: &str = "policy:wipe_after_days";
const AUTO_DOWNLOAD_BYTES: &str = "policy:auto_download_bytes";
const OFFICE: &str = "office:settings";

/// The sync values a backup leaves out: a stick and its passphrase must not reach the
/// server (a restored laptop signs in again).
pub const LEFT_OUT_OF_BACKUPS: &[&str] = &[TOKEN];

/// Attachments up to this size are downloaded by each sync; larger ones when opened.
pub const DEFAULT_AUTO_DOWNLOAD_BYTES: u64 = 5_000_000;

/// A connection to a server, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub server: String,
    pub email: String,
    pub organisation: String,
    pub token: String,
    /// What the server says this user may do; `None` until it said (a store connected
    /// before the app knew roles, until its next round).
    pub role: Option<Role>,
}

impl Account {
    pub fn summary(&self) -> AccountSummary {
        AccountSummary {
            server: self.server.clone(),
            email: self.email.clone(),
            organisation: self.organisation.clone(),
            role: self.role,
        }
    }

    /// Whether `other` is the same sign-in (a role may differ).
    pub fn same_sign_in(&self, other: &Account) -> bool {
        (&self.server, &self.email, &self.token) == (&other.server, &other.email, &other.token)
    }

    /// The stored account, if this laptop is connected.
    pub fn load(store: &Store) -> saite_store::Result<Option<Account>> {
        let Some(token) = store.sync_value(TOKEN)? else { return Ok(None) };
        Ok(Some(Account {
            server: store.sync_value(SERVER)?.unwrap_or_default(),
            email: store.sync_value(EMAIL)?.unwrap_or_default(),
            organisation: store.sync_value(ORGANISATION)?.unwrap_or_default(),
            token,
            role: store.sync_value(ROLE)?.as_deref().and_then(Role::parse),
        }))
    }

    pub fn save(&self, store: &mut Store) -> saite_store::Result<()> {
        store.set_sync_value(SERVER, &self.server)?;
        store.set_sync_value(EMAIL, &self.email)?;
        store.set_sync_value(ORGANISATION, &self.organisation)?;
        set_role(store, self.role)?;
        store.set_sync_value(TOKEN, &self.token)
    }

    /// Disconnects: the token is forgotten (the address and e-mail stay, to prefill the
    /// form next time). Records and the outbox stay; a later sign-in pushes them.
    pub fn forget(store: &mut Store) -> saite_store::Result<()> {
        store.clear_sync_value(ROLE)?;
        store.clear_sync_value(TOKEN)
    }
}

/// Keeps the role the server last gave.
pub fn set_role(store: &mut Store, role: Option<Role>) -> saite_store::Result<()> {
    match role {
        Some(role) => store.set_sync_value(ROLE, role.as_str()),
        None => store.clear_sync_value(ROLE),
    }
}

/// The address and e-mail last used, to prefill the sign-in form.
pub fn last_used(store: &Store) -> saite_store::Result<(String, String)> {
    Ok((store.sync_value(SERVER)?.unwrap_or_default(), store.sync_value(EMAIL)?.unwrap_or_default()))
}

/// Normalises a server address the user typed: `https://` assumed when no scheme is
/// given, trailing slashes dropped. Refuses anything that is not http(s) with a host.
pub fn server_address(typed: &str) -> Result<String, SyncFailureCode> {
    let typed = typed.trim();
    let with_scheme = if typed.contains("://") { typed.to_owned() } else { format!("https://{typed}") };
    let url = reqwest::Url::parse(&with_scheme).map_err(|_| SyncFailureCode::BadServerAddress)?;
    let plain = url.query().is_none() && url.fragment().is_none() && url.username().is_empty();
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) || !plain {
        return Err(SyncFailureCode::BadServerAddress);
    }
    Ok(with_scheme.trim_end_matches('/').to_owned())
}

/// Signs this laptop in: on success the server knows it as `device` and the account
/// is ready to save.
pub async fn connect(
    server: &str,
    email: &str,
    password: &str,
    device: DeviceId,
    device_name: &str,
) -> Result<Account, ConnectError> {
    let server = server_address(server).map_err(ConnectError::Refused)?;
    let email = email.trim();
    match sign_in(&server, email, password, device, device_name).await {
        Ok(signed) => Ok(Account {
            server,
            email: email.to_owned(),
            organisation: signed.response.tenant.name,
            token: signed.token,
            role: Some(signed.response.user.role),
        }),
        Err(TransportError::Unreachable(detail)) => {
            Err(ConnectError::Failed(SyncFailureCode::ServerUnreachable, detail))
        }
        Err(TransportError::Refused(api)) => {
            use saite_protocol::ApiErrorCode as Code;
            let code = match api.code {
                Code::BadCredentials | Code::UserDisabled | Code::SignedOut => SyncFailureCode::BadCredentials,
                Code::VersionMismatch if api.server_protocol.is_some_and(|s| s > saite_protocol::PROTOCOL_VERSION) => {
                    SyncFailureCode::AppTooOld
                }
                Code::VersionMismatch => SyncFailureCode::ServerTooOld,
                Code::LockedOut | Code::RateLimited => SyncFailureCode::TooManyAttempts,
                Code::Unavailable => SyncFailureCode::ServerUnreachable,
                _ => SyncFailureCode::ServerRefused,
            };
            Err(ConnectError::Failed(code, api.message))
        }
    }
}

/// Why signing in failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("{0:?}")]
    Refused(SyncFailureCode),
    #[error("{0:?}: {1}")]
    Failed(SyncFailureCode, String),
}

impl ConnectError {
    pub fn code(&self) -> SyncFailureCode {
        match self {
            ConnectError::Refused(c) | ConnectError::Failed(c, _) => *c,
        }
    }
}

/// When the server last answered this laptop, and when a round last succeeded.
pub fn last_contact(store: &Store) -> saite_store::Result<Option<u64>> {
    Ok(store.sync_value(LAST_CONTACT)?.and_then(|v| v.parse().ok()))
}

pub fn last_success(store: &Store) -> saite_store::Result<Option<u64>> {
    Ok(store.sync_value(LAST_SUCCESS)?.and_then(|v| v.parse().ok()))
}

pub fn record_contact(store: &mut Store, at_ms: u64, succeeded: bool) -> saite_store::Result<()> {
    store.set_sync_value(LAST_CONTACT, &at_ms.to_string())?;
    if succeeded {
        store.set_sync_value(LAST_SUCCESS, &at_ms.to_string())?;
    }
    Ok(())
}

/// This laptop user's own lost-laptop policy: destroy the data after this many days
/// without contact ([`wipe_after_days_in_force`] is what applies).
pub fn wipe_after_days(store: &Store) -> saite_store::Result<Option<u32>> {
    Ok(store.sync_value(WIPE_AFTER_DAYS)?.and_then(|v| v.parse().ok()).filter(|d| *d > 0))
}

/// Sets or (with `None`) lifts the policy. Setting it counts as contact from now, so a
/// laptop that never synced is not wiped the moment the policy is set.
pub fn set_wipe_after_days(store: &mut Store, days: Option<u32>, now_ms: u64) -> saite_store::Result<()> {
    match days.filter(|d| *d > 0) {
        Some(d) => {
            if last_contact(store)?.is_none() {
                store.set_sync_value(LAST_CONTACT, &now_ms.to_string())?;
            }
            store.set_sync_value(WIPE_AFTER_DAYS, &d.to_string())
        }
        None => store.clear_sync_value(WIPE_AFTER_DAYS),
    }
}

/// Attachments up to this many bytes are downloaded by each sync (0: only when opened).
pub fn auto_download_bytes(store: &Store) -> saite_store::Result<u64> {
    Ok(store.sync_value(AUTO_DOWNLOAD_BYTES)?.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_AUTO_DOWNLOAD_BYTES))
}

pub fn set_auto_download_bytes(store: &mut Store, bytes: u64) -> saite_store::Result<()> {
    store.set_sync_value(AUTO_DOWNLOAD_BYTES, &bytes.to_string())
}

/// The settings the organisation's server last gave (none before the first round).
pub fn office(store: &Store) -> saite_store::Result<OfficeSettings> {
    // Unreadable settings (written by a later app) read as none until the next round.
    Ok(store.sync_value(OFFICE)?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

/// Keeps the settings the server gave. Contact is noted first by the round that got
/// them, so an office policy never wipes a laptop the moment it arrives.
pub fn set_office(store: &mut Store, office: &OfficeSettings) -> saite_store::Result<()> {
    store.set_sync_value(OFFICE, &serde_json::to_string(office).expect("settings serialise"))
}

/// The lost-laptop policy that applies: the stricter of this laptop's own and the
/// office's.
pub fn wipe_after_days_in_force(store: &Store) -> saite_store::Result<Option<u32>> {
    Ok(stricter_limit(wipe_after_days(store)?, office(store)?.wipe_after_days))
}

/// A restored store (`saite_store::backup`) is a new device the server does not know
/// yet: the token of the laptop it came from is forgotten (its user signs in again; the
/// address and e-mail stay to prefill the form), and the days without contact count from
/// the restore, so an old backup is not wiped the moment it is opened.
pub fn restored(store: &mut Store, now_ms: u64) -> saite_store::Result<()> {
    Account::forget(store)?;
    store.set_sync_value(LAST_CONTACT, &now_ms.to_string())
}

/// The time of the oldest change neither synced nor backed up, once it has waited longer
/// than the office allows ([`OfficeSettings::remind_unsynced_days_in_force`]): the app
/// reminds its user.
pub fn unsynced_reminder(oldest_unprotected_ms: Option<u64>, office: &OfficeSettings, now_ms: u64) -> Option<u64> {
    let oldest = oldest_unprotected_ms?;
    let allowed = u64::from(office.remind_unsynced_days_in_force()) * 24 * 60 * 60 * 1000;
    (now_ms.saturating_sub(oldest) > allowed).then_some(oldest)
}

/// Whether the policy in force says this laptop's data must be destroyed now.
pub fn wipe_due(store: &Store, now_ms: u64) -> saite_store::Result<bool> {
    let Some(days) = wipe_after_days_in_force(store)? else { return Ok(false) };
    let Some(contact) = last_contact(store)? else { return Ok(false) };
    Ok(now_ms.saturating_sub(contact) > u64::from(days) * 24 * 60 * 60 * 1000)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::ManualClock;
    use saite_store::key::KdfParams;

    use super::*;

    const DAY: u64 = 24 * 60 * 60 * 1000;

    #[test]
    fn addresses_get_a_scheme_and_lose_trailing_slashes() {
        assert_eq!(server_address(" sync.patverums.lv/ ").unwrap(), "https://sync.patverums.lv");
        assert_eq!(server_address("http://127.0.0.1:8443//").unwrap(), "http://127.0.0.1:8443");
        for bad in ["", "ftp://x.lv", "https://", "https://a.lv/?x=1", "https://user@a.lv", "ht tp://a"] {
            assert_eq!(server_address(bad), Err(SyncFailureCode::BadServerAddress), "{bad:?}");
        }
    }

    #[test]
    fn the_account_round_trips_and_forgetting_keeps_the_address() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, Arc::new(ManualClock::at(1)), "t").unwrap();
        assert_eq!(Account::load(&store).unwrap(), None);
        let account = Account {
            server: "https://s.lv".into(),
            email: "a@b.lv".into(),
            organisation: "Org".into(),
            token: "tok".into(),
            role: Some(Role::Coordinator),
        };
        account.save(&mut store).unwrap();
        assert_eq!(Account::load(&store).unwrap(), Some(account.clone()));
        set_role(&mut store, Some(Role::Admin)).unwrap();
        assert_eq!(Account::load(&store).unwrap().unwrap().role, Some(Role::Admin), "a role the office changed");
        Account::forget(&mut store).unwrap();
        assert_eq!(Account::load(&store).unwrap(), None);
        assert_eq!(last_used(&store).unwrap(), ("https://s.lv".to_owned(), "a@b.lv".to_owned()));
    }

    #[test]
    fn the_reminder_waits_the_office_days_and_a_restore_forgets_the_token() {
        let start = 100 * DAY;
        let office = OfficeSettings { remind_unsynced_days: Some(3), ..Default::default() };
        assert_eq!(unsynced_reminder(None, &office, start + 100 * DAY), None, "nothing waits");
        assert_eq!(unsynced_reminder(Some(start), &office, start + 3 * DAY), None);
        assert_eq!(unsynced_reminder(Some(start), &office, start + 3 * DAY + 1), Some(start));
        assert_eq!(unsynced_reminder(Some(start), &OfficeSettings::default(), start + 4 * DAY), None, "7 by default");
        assert_eq!(unsynced_reminder(Some(start), &OfficeSettings::default(), start + 8 * DAY), Some(start));

        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, Arc::new(ManualClock::at(1)), "t").unwrap();
        let account = Account {
            server: "https://s.lv".into(),
            email: "a@b.lv".into(),
            organisation: "Org".into(),
            token: "tok".into(),
            role: Some(Role::Consultant),
        };
        account.save(&mut store).unwrap();
        record_contact(&mut store, start, true).unwrap();
        set_wipe_after_days(&mut store, Some(30), start).unwrap();
        restored(&mut store, start + 90 * DAY).unwrap();
        assert_eq!(Account::load(&store).unwrap(), None, "signs in again");
        assert_eq!(last_used(&store).unwrap(), ("https://s.lv".to_owned(), "a@b.lv".to_owned()));
        assert!(!wipe_due(&store, start + 90 * DAY + 1).unwrap(), "the days count from the restore");
        assert!(wipe_due(&store, start + 120 * DAY + 1).unwrap());
    }

    #[test]
    fn the_wipe_policy_counts_days_from_the_last_contact() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, Arc::new(ManualClock::at(1)), "t").unwrap();
        let start = 100 * DAY;
        assert!(!wipe_due(&store, start + 1000 * DAY).unwrap(), "no policy, no wipe");
        set_wipe_after_days(&mut store, Some(30), start).unwrap();
        assert!(!wipe_due(&store, start + 30 * DAY).unwrap());
        assert!(wipe_due(&store, start + 30 * DAY + 1).unwrap());
        record_contact(&mut store, start + 29 * DAY, false).unwrap();
        assert!(!wipe_due(&store, start + 30 * DAY + 1).unwrap(), "a server answer resets the count");
        assert_eq!(last_success(&store).unwrap(), None, "an answer is not a successful round");
        set_wipe_after_days(&mut store, None, start).unwrap();
        assert!(!wipe_due(&store, start + 1000 * DAY).unwrap(), "policy lifted");
        assert_eq!(wipe_after_days(&store).unwrap(), None);

        // The office's policy applies where the laptop has none, and the stricter of
        // the two where both are set: lifting the own one does not lift the office's.
        set_office(&mut store, &OfficeSettings { wipe_after_days: Some(14), ..Default::default() }).unwrap();
        assert_eq!(wipe_after_days_in_force(&store).unwrap(), Some(14));
        let contact = start + 29 * DAY;
        assert!(!wipe_due(&store, contact + 14 * DAY).unwrap());
        assert!(wipe_due(&store, contact + 14 * DAY + 1).unwrap());
        set_wipe_after_days(&mut store, Some(30), start).unwrap();
        assert_eq!(wipe_after_days_in_force(&store).unwrap(), Some(14), "the own looser policy does not loosen it");
        set_wipe_after_days(&mut store, Some(7), start).unwrap();
        assert_eq!(wipe_after_days_in_force(&store).unwrap(), Some(7), "a stricter own policy applies");
        set_office(&mut store, &OfficeSettings::default()).unwrap();
        assert_eq!(wipe_after_days_in_force(&store).unwrap(), Some(7));
    }
}
