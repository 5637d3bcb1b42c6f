//! The rows the server keeps, as backends hand them over.

use std::collections::BTreeMap;

use saite_domain::{Collection, DeviceId, RecordId, hlc::Hlc};
use saite_protocol::{
    Role, TenantId, UserId,
    merge::{FieldDigest, field_digest},
    office::OfficeSettings,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::StoredRecord;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub created_at_ms: u64,
    /// What its administrator set for every laptop (checked before it was stored).
    #[serde(default)]
    pub office: OfficeSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub tenant: TenantId,
    /// Lower-cased.
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// Argon2id in PHC string form.
    pub password_hash: String,
    /// Failed sign-ins since the last success.
    pub failed_sign_ins: u32,
    /// No sign-in is accepted before this time (ms since the epoch).
    pub locked_until_ms: Option<u64>,
    pub created_at_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub id: UserId,
    pub tenant: TenantId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// One change to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    SetRole(Role),
    SetDisabled(bool),
    /// A new password (its Argon2id hash); also lifts a lock-out.
    SetPasswordHash(String),
    /// Counts a failed sign-in; `lock_until_ms` is set when this failure locks the user.
    SignInFailed {
        lock_until_ms: Option<u64>,
    },
    /// Clears the failure count after a successful sign-in.
    SignInSucceeded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: DeviceId,
    pub tenant: TenantId,
    pub user: UserId,
    pub name: String,
    /// SHA-256 (hex) of the bearer token.
    pub token_hash: String,
    pub created_at_ms: u64,
    pub revoked_at_ms: Option<u64>,
    /// The device's changes up to this seq are applied.
    pub applied_seq: u64,
    /// The device confirmed having the server's values up to this server seq.
    pub pulled_seq: u64,
    /// The last contact (ms since the epoch): a push, or any request once a minute.
    pub last_seen_ms: Option<u64>,
    /// The app's version, as the laptop last said.
    #[serde(default)]
    pub app_version: Option<String>,
    /// The highest seq of the changes the laptop has made, as it last said: those after
    /// `applied_seq` wait on the laptop.
    #[serde(default)]
    pub outbox_seq: u64,
}

impl Device {
    /// Changes made on the laptop that the server has not received, as of its last contact.
    pub fn pending_changes(&self) -> u64 {
        self.outbox_seq.saturating_sub(self.applied_seq)
    }
}

impl UserChange {
    /// Whether this change takes `user` out of being an active administrator (a demotion,
    /// or disabling one). A backend refuses it with [`crate::StorageError::LastAdmin`]
    /// when no other active administrator of the organisation would remain, checked
    /// inside the change's own transaction so two administrators cannot each remove the
    /// other at once.
    pub fn takes_an_admin_away(&self, user: &User) -> bool {
        let removes = match self {
            UserChange::SetRole(role) => *role != Role::Admin,
            UserChange::SetDisabled(disabled) => *disabled,
            _ => false,
        };
        removes && user.role == Role::Admin && !user.disabled
    }
}

/// What a laptop says of itself with a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub at_ms: u64,
    pub app_version: Option<String>,
    pub outbox_seq: Option<u64>,
}

impl Contact {
    /// Whether `device` should be written: a minute since its last contact, or a version
    /// or changes it did not have. Most requests write nothing.
    pub fn news_for(&self, device: &Device) -> bool {
        device.last_seen_ms.is_none_or(|seen| self.at_ms >= seen + 60_000)
            || (self.app_version.is_some() && self.app_version != device.app_version)
            || self.outbox_seq.is_some_and(|seq| seq > device.outbox_seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub id: DeviceId,
    pub tenant: TenantId,
    pub user: UserId,
    pub name: String,
    pub token_hash: String,
}

/// One field of one record as the server stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredField {
    pub tenant: TenantId,
    pub record: RecordId,
    pub collection: Collection,
    pub field: String,
    pub value: Value,
    pub hlc: Hlc,
    pub server_seq: u64,
}

impl StoredField {
    /// A record's fields one by one (backups), each with the record's server seq.
    pub fn of_record(record: &StoredRecord, tenant: TenantId) -> impl Iterator<Item = StoredField> + '_ {
        record.fields.iter().map(move |(field, (value, hlc))| StoredField {
            tenant,
            record: record.record,
            collection: record.collection,
            field: field.clone(),
            value: value.clone(),
            hlc: *hlc,
            server_seq: record.server_seq,
        })
    }

    /// Fields grouped back into records (restoring a backup): a record's seq is its
    /// highest field's, its collection its first field's.
    pub fn group(fields: &[StoredField]) -> Vec<(TenantId, StoredRecord)> {
        let mut by_record: BTreeMap<(TenantId, RecordId), StoredRecord> = BTreeMap::new();
        for f in fields {
            let r = by_record.entry((f.tenant, f.record)).or_insert_with(|| StoredRecord::new(f.record, f.collection));
            r.fields.insert(f.field.clone(), (f.value.clone(), f.hlc));
            r.server_seq = r.server_seq.max(f.server_seq);
        }
        by_record.into_iter().map(|((tenant, _), r)| (tenant, r)).collect()
    }
}

/// Who did what, passed with every write so the backend can add it to the audit chain
/// in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContext {
    /// Server time (ms since the epoch), from the server's clock.
    pub at_ms: u64,
    /// The device's own clock, when a device sent the request.
    pub device_time_ms: Option<u64>,
    pub user: Option<UserId>,
    pub device: Option<DeviceId>,
    /// What happened: `push`, `sign-in`, `sign-in-failed`, `user-add`, `device-revoke`...
    pub action: String,
    pub detail: Value,
}

impl AuditContext {
    /// An administrator's action from the command line (no user, no device).
    pub fn admin(at_ms: u64, action: &str, detail: Value) -> AuditContext {
        AuditContext { at_ms, device_time_ms: None, user: None, device: None, action: action.to_owned(), detail }
    }
}

/// Which audit entries to read: every field given narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries after this seq.
    pub after: u64,
    pub user: Option<UserId>,
    pub device: Option<DeviceId>,
    pub action: Option<String>,
    /// Server time from (inclusive).
    pub from_ms: Option<u64>,
    /// Server time to (exclusive).
    pub to_ms: Option<u64>,
    /// Entries about this record ([`AuditRecord::record`]).
    pub record: Option<RecordId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub tenant: TenantId,
    pub seq: u64,
    pub at_ms: u64,
    pub device_time_ms: Option<u64>,
    pub user: Option<UserId>,
    pub device: Option<DeviceId>,
    pub action: String,
    pub detail: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// Per-tenant sync state kept beside the stored fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantState {
    pub tenant: TenantId,
    /// The last server seq assigned.
    pub last_seq: u64,
}

/// How many times every laptop was asked to fetch a collection again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepullGeneration {
    pub tenant: TenantId,
    pub collection: Collection,
    pub generation: u64,
}

/// One part of a blob upload: `bytes` belong at `offset` of a file of `size` bytes
/// whose SHA-256 is `sha256`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobPart {
    pub sha256: String,
    pub size: u64,
    pub offset: u64,
    pub bytes: Vec<u8>,
}

/// A complete blob, as a backup carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBlob {
    pub tenant: TenantId,
    pub sha256: String,
    pub created_at_ms: u64,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

/// Bytes as standard base64 in a backup's JSON (a number array would triple its size).
mod base64_bytes {
    use base64::{Engine, engine::general_purpose::STANDARD};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

/// Everything a server stores, in a backend-neutral form: a backup made on SQLite
/// restores into PostgreSQL and the reverse.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Dump {
    pub format: u32,
    pub tenants: Vec<Tenant>,
    pub tenant_states: Vec<TenantState>,
    pub users: Vec<User>,
    pub devices: Vec<Device>,
    pub fields: Vec<StoredField>,
    pub audit: Vec<AuditRecord>,
    /// Complete blobs only: an unfinished upload is not kept (its laptop starts it again).
    #[serde(default)]
    pub blobs: Vec<StoredBlob>,
    #[serde(default)]
    pub repulls: Vec<RepullGeneration>,
}

/// The [`Dump::format`] this build writes and reads.
pub const DUMP_FORMAT: u32 = 1;

/// What a restore writes into a tenant's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantHead {
    pub tenant: Tenant,
    pub last_seq: u64,
    pub audit_seq: u64,
    pub audit_head: String,
}

impl Dump {
    /// Whether this dump may be restored into a database already holding
    /// `tenants_present` organisations: only into an empty one, and only a format this
    /// build reads.
    pub fn check_restorable(&self, tenants_present: i64) -> crate::Result<()> {
        if tenants_present > 0 {
            return Err(crate::StorageError::NotEmpty);
        }
        if self.format != DUMP_FORMAT {
            return Err(crate::StorageError::Corrupt(format!(
                "backup format {} (this server reads {DUMP_FORMAT})",
                self.format
            )));
        }
        Ok(())
    }

    /// Each tenant with its last server seq and its audit chain's last entry.
    pub fn tenant_heads(&self) -> Vec<TenantHead> {
        self.tenants
            .iter()
            .map(|t| {
                let last_seq = self.tenant_states.iter().find(|s| s.tenant == t.id).map(|s| s.last_seq).unwrap_or(0);
                let (audit_seq, audit_head) = self
                    .audit
                    .iter()
                    .filter(|a| a.tenant == t.id)
                    .max_by_key(|a| a.seq)
                    .map(|a| (a.seq, a.hash.clone()))
                    .unwrap_or((0, crate::AUDIT_GENESIS.to_owned()));
                TenantHead { tenant: t.clone(), last_seq, audit_seq, audit_head }
            })
            .collect()
    }

    /// The checksums of the dump's fields, recomputed: a restore never trusts sums
    /// from a file.
    pub fn checksums(&self) -> BTreeMap<(TenantId, Collection), FieldDigest> {
        let mut digests: BTreeMap<(TenantId, Collection), FieldDigest> = BTreeMap::new();
        for f in &self.fields {
            digests.entry((f.tenant, f.collection)).or_default().add(field_digest(&f.record, &f.field, &f.hlc));
        }
        digests
    }

    /// Sorted so that two dumps of equal state compare equal whatever the backend.
    pub fn normalised(mut self) -> Dump {
        self.tenants.sort_by_key(|t| t.id);
        self.tenant_states.sort_by_key(|t| t.tenant);
        self.users.sort_by_key(|u| u.id);
        self.devices.sort_by_key(|d| d.id);
        self.fields.sort_by(|a, b| (a.tenant, a.record, &a.field).cmp(&(b.tenant, b.record, &b.field)));
        self.audit.sort_by_key(|a| (a.tenant, a.seq));
        self.blobs.sort_by(|a, b| (a.tenant, &a.sha256).cmp(&(b.tenant, &b.sha256)));
        self.repulls.sort_by_key(|r| (r.tenant, r.collection));
        self
    }
}

/// The `tenants.office` column of both backends: the settings as JSON, NULL while none
/// are set.
pub fn office_column(office: &OfficeSettings) -> Option<String> {
    (office != &OfficeSettings::default()).then(|| serde_json::to_string(office).expect("settings serialise"))
}

/// Reads the `tenants.office` column ([`office_column`]).
pub fn office_from_column(column: Option<&str>) -> crate::Result<OfficeSettings> {
    column.map_or(Ok(OfficeSettings::default()), |json| {
        serde_json::from_str(json).map_err(|e| crate::StorageError::Corrupt(format!("office settings: {e}")))
    })
}

/// The form an e-mail is stored and looked up in: trimmed and lowercase, so a user who
/// types it differently signs in all the same. Each backend applies it on every write
/// and lookup; the desk checks the same form.
pub fn normalised_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Of a laptop's events `(seq, entry)`, those above `applied` in seq order, and the
/// device's applied seq once they are stored: the one rule both backends apply.
pub fn fresh_events(mut events: Vec<(u64, AuditContext)>, applied: u64) -> (Vec<AuditContext>, u64) {
    events.sort_by_key(|(seq, _)| *seq);
    let last = events.last().map_or(applied, |(seq, _)| (*seq).max(applied));
    (events.into_iter().filter(|(seq, _)| *seq > applied).map(|(_, entry)| entry).collect(), last)
}

#[cfg(test)]
mod tests {
    use saite_domain::DeviceId;
    use serde_json::json;

    use super::*;

    fn stamp(wall_ms: u64) -> Hlc {
        Hlc { wall_ms, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(1)) }
    }

    fn record(fields: &[(&str, Value, u64)]) -> StoredRecord {
        let mut r = StoredRecord::new(RecordId::from_uuid(uuid::Uuid::from_u128(7)), Collection::Organisation);
        for (f, v, at) in fields {
            r.fields.insert((*f).to_owned(), (v.clone(), stamp(*at)));
        }
        r
    }

    #[test]
    fn columns_keep_every_value_and_stamp_and_name_only_the_exceptions() {
        let r = record(&[
            ("name", json!("NVA"), 5),
            ("kind", json!("ngo"), 5),
            ("phones", json!(["+37129000001"]), 9),
            ("notes", Value::Null, 5),
        ]);
        let (values, stamps) = r.to_columns();
        let stamps_json: Value = serde_json::from_str(&stamps).unwrap();
        assert_eq!(
            stamps_json,
            json!({"": stamp(5), "phones": stamp(9)}),
            "the shared stamp once, the exception by name"
        );
        assert_eq!(StoredRecord::from_columns(r.record, r.collection, &values, &stamps, 0).unwrap(), r);
        let empty = record(&[]);
        let (values, stamps) = empty.to_columns();
        assert_eq!((values.as_str(), stamps.as_str()), ("{}", "{}"));
        assert_eq!(StoredRecord::from_columns(empty.record, empty.collection, &values, &stamps, 0).unwrap(), empty);
    }

    #[test]
    fn stamps_naming_every_field_read_too_and_mismatches_are_corrupt() {
        let r = record(&[("name", json!("NVA"), 5), ("kind", json!("ngo"), 6)]);
        let every = json!({"name": stamp(5), "kind": stamp(6)}).to_string();
        let values = json!({"name": "NVA", "kind": "ngo"}).to_string();
        assert_eq!(StoredRecord::from_columns(r.record, r.collection, &values, &every, 0).unwrap(), r);
        let missing = json!({"name": stamp(5)}).to_string();
        assert!(
            StoredRecord::from_columns(r.record, r.collection, &values, &missing, 0).is_err(),
            "a value without stamp"
        );
        let extra = json!({"": stamp(5), "colour": stamp(6)}).to_string();
        assert!(
            StoredRecord::from_columns(r.record, r.collection, &values, &extra, 0).is_err(),
            "a stamp without value"
        );
        assert!(
            StoredRecord::pulled_from_columns(r.record, r.collection, values.clone(), &extra).is_err(),
            "a stamp without value"
        );
        let shared_and_extra = json!({"": stamp(5), "kind": stamp(6), "colour": stamp(7)}).to_string();
        assert!(
            StoredRecord::pulled_from_columns(r.record, r.collection, values.clone(), &shared_and_extra).is_err(),
            "a stamp without value beside one with"
        );
        assert!(
            StoredRecord::pulled_from_columns(
                r.record,
                r.collection,
                "{\"name\":".into(),
                &json!({"": stamp(5)}).to_string()
            )
            .is_err()
        );
        let pulled = StoredRecord::pulled_from_columns(r.record, r.collection, values, &every).unwrap();
        assert_eq!(pulled, r.into_pulled(), "stamps naming every field");
    }

    proptest::proptest! {
        /// A pull straight from the columns sends what expanding the record would.
        #[test]
        fn a_record_pulled_from_its_columns_is_the_record_pulled(
            fields in proptest::collection::btree_map("[a-z]{1,6}", (0u64..4, proptest::option::of("[a-zā ]{0,8}")), 0..8)
        ) {
            let fields: Vec<(&str, Value, u64)> =
                fields.iter().map(|(f, (at, v))| (f.as_str(), v.as_ref().map_or(Value::Null, |v| json!(v)), *at)).collect();
            let r = record(&fields);
            let (values, stamps) = r.to_columns();
            let pulled = StoredRecord::pulled_from_columns(r.record, r.collection, values, &stamps).unwrap();
            // The same on the wire (the values sent as stored) and once read back.
            let (sent, expanded) = (serde_json::to_string(&pulled).unwrap(), serde_json::to_string(&r.clone().into_pulled()).unwrap());
            proptest::prop_assert_eq!(serde_json::from_str::<Value>(&sent).unwrap(), serde_json::from_str::<Value>(&expanded).unwrap());
            proptest::prop_assert_eq!(serde_json::from_str::<saite_protocol::PulledRecord>(&sent).unwrap(), r.clone().into_pulled());
            proptest::prop_assert_eq!(pulled, r.into_pulled());
        }
    }
}
