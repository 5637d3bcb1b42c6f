//! [`PostgresStorage`]: saite-server's storage in PostgreSQL, for deployments where
//! several server instances share one database.
//!
//! Glossary: the **tenant row lock** (`SELECT ... FOR NO KEY UPDATE`, or the `UPDATE
//! tenants` that reserves a push's server seqs) is taken by every transaction that
//! assigns server seqs or appends to the audit chain, so two instances never hand out
//! the same seq and seqs become visible in commit order (a pull can never pass a seq
//! that commits later). **Record locks** (transaction advisory locks on a hash of tenant
//! and record id) let pushes touching the same records take turns while they read the
//! stored stamps and decide the winners; pushes to other records run side by side. Locks
//! are always taken device row, then record locks in id order, then tenant row, so two
//! transactions cannot wait on each other; the tenant row is taken last, and what
//! follows it is one pipelined round trip, since it is held until commit.
//!
//! Why `NO KEY UPDATE` and not `FOR UPDATE`: inserting a row that references the
//! tenant (a user, a device, a blob) takes `FOR KEY SHARE` on the tenant row, which
//! `FOR UPDATE` waits for. Two sign-ins at once, each inserting its device and then
//! locking the tenant for the audit entry, would wait on each other (a deadlock,
//! seen with three laptops signing in at once). `NO KEY UPDATE` still excludes every
//! other seq or audit writer but lets key-share holders be.

use std::collections::HashMap;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use saite_domain::{Collection, DeviceId, RecordId};
use saite_protocol::{
    Checksums, CollectionChecksum, PullPage, PushRequest, PushResponse, Role, TenantId, UserId,
    merge::FieldDigest,
    office::OfficeSettings,
    push::{self, DeviceState},
};
use saite_server_storage::{
    AUDIT_GENESIS, AuditContext, AuditFilter, AuditRecord, BlobPart, BlobStatus, Contact, DUMP_FORMAT, Device, Dump,
    NewDevice, NewUser, PushRules, RepullGeneration, Result, ServerStorage, StorageError, StoredBlob, StoredField,
    StoredRecord, Tenant, TenantState, User, UserChange,
    blob::{self, PartPlan},
    fresh_events, normalised_email, office_column, office_from_column,
};
use tokio_postgres::{NoTls, Row, error::SqlState};

/// Schema migrations, applied in order; each runs once per database.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_device_contact.sql")),
    (3, include_str!("../migrations/0003_office_settings.sql")),
    (4, include_str!("../migrations/0004_audit_by_record.sql")),
    (5, include_str!("../migrations/0005_device_events.sql")),
];

/// A fixed key for the advisory lock that serialises migrations when several
/// instances start at once.
const MIGRATION_LOCK: i64 = 0x0005_A17E_0001;

#[derive(Clone)]
pub struct PostgresStorage {
    pool: Pool,
}

fn db(e: impl std::fmt::Display) -> StorageError {
    StorageError::Database(e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn pg(e: tokio_postgres::Error) -> StorageError {
    // The full text (with the server's detail), not just "db error".
    match e.as_db_error() {
        Some(d) => StorageError::Database(format!("{}: {}", d.code().code(), d.message())),
        None => StorageError::Database(e.to_string()),
    }
}

fn parse<T: std::str::FromStr>(s: String, what: &str) -> Result<T> {
    s.parse().map_err(|_| StorageError::Corrupt(format!("{what} {s:?}")))
}

fn u(v: i64) -> u64 {
    v as u64
}

impl PostgresStorage {
    /// Connects to `url` (`postgres://user@host:port/db`) with a pool of `pool_size`
    /// connections and brings the schema up to date.
    pub async fn connect(url: &str, pool_size: usize) -> Result<PostgresStorage> {
        let config: tokio_postgres::Config = url.parse().map_err(db)?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(pool_size).build().map_err(db)?;
        let storage = PostgresStorage { pool };
        storage.migrate().await?;
        Ok(storage)
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.pool.get().await.map_err(db)?;
        let tx = client.transaction().await.map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(pg)?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")
            .await
            .map_err(pg)?;
        for (version, sql) in MIGRATIONS {
            let done =
                tx.query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[version]).await.map_err(pg)?;
            if done.is_none() {
                tx.batch_execute(sql).await.map_err(pg)?;
                tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[version]).await.map_err(pg)?;
            }
        }
        tx.commit().await.map_err(pg)
    }
}

/// One array per column for an `unnest` insert of records: record, collection, values,
/// stamps, server seq.
type RecordColumns = (Vec<String>, Vec<String>, Vec<String>, Vec<String>, Vec<i64>);

/// Runs the body in one transaction on a pooled connection, committing on Ok.
macro_rules! in_tx {
    ($self:expr, |$tx:ident| $body:expr) => {{
        let mut client = $self.pool.get().await.map_err(db)?;
        let $tx = client.transaction().await.map_err(pg)?;
        let out = $body;
        match out {
            Ok(v) => {
                $tx.commit().await.map_err(pg)?;
                Ok(v)
            }
            Err(e) => Err(e),
        }
    }};
}

// ---- rows ---------------------------------------------------------------------------

const TENANT_COLUMNS: &str = "id, name, created_at_ms, office";
fn to_tenant(r: &Row) -> Result<Tenant> {
    to_tenant_at(r, 0)
}

/// A tenant from the columns starting at `o` (a joined row).
fn to_tenant_at(r: &Row, o: usize) -> Result<Tenant> {
    Ok(Tenant {
        id: parse(r.get(o), "tenant id")?,
        name: r.get(o + 1),
        created_at_ms: u(r.get(o + 2)),
        office: office_from_column(r.get::<_, Option<&str>>(o + 3))?,
    })
}

const USER_COLUMNS: &str =
    "id, tenant, email, name, role, disabled, password_hash, failed_sign_ins, locked_until_ms, created_at_ms";
fn to_user(r: &Row) -> Result<User> {
    to_user_at(r, 0)
}

/// A user from the columns starting at `o` (a joined row).
fn to_user_at(r: &Row, o: usize) -> Result<User> {
    let role: String = r.get(o + 4);
    Ok(User {
        id: parse(r.get(o), "user id")?,
        tenant: parse(r.get(o + 1), "tenant id")?,
        email: r.get(o + 2),
        name: r.get(o + 3),
        role: Role::parse(&role).ok_or_else(|| corrupt(format!("role {role:?}")))?,
        disabled: r.get(o + 5),
        password_hash: r.get(o + 6),
        failed_sign_ins: r.get::<_, i64>(o + 7) as u32,
        locked_until_ms: r.get::<_, Option<i64>>(o + 8).map(u),
        created_at_ms: u(r.get(o + 9)),
    })
}

const DEVICE_COLUMNS: &str = "id, tenant, user_id, name, token_hash, created_at_ms, revoked_at_ms, applied_seq, \
     pulled_seq, last_seen_ms, app_version, outbox_seq";
/// How many columns [`DEVICE_COLUMNS`] and [`USER_COLUMNS`] name (a joined row's offsets).
const DEVICE_COLUMN_COUNT: usize = 12;
const USER_COLUMN_COUNT: usize = 10;
fn to_device(r: &Row) -> Result<Device> {
    to_device_at(r, 0)
}

/// A device from the columns starting at `o` (a joined row).
fn to_device_at(r: &Row, o: usize) -> Result<Device> {
    Ok(Device {
        id: parse(r.get(o), "device id")?,
        tenant: parse(r.get(o + 1), "tenant id")?,
        user: parse(r.get(o + 2), "user id")?,
        name: r.get(o + 3),
        token_hash: r.get(o + 4),
        created_at_ms: u(r.get(o + 5)),
        revoked_at_ms: r.get::<_, Option<i64>>(o + 6).map(u),
        applied_seq: u(r.get(o + 7)),
        pulled_seq: u(r.get(o + 8)),
        last_seen_ms: r.get::<_, Option<i64>>(o + 9).map(u),
        app_version: r.get(o + 10),
        outbox_seq: u(r.get(o + 11)),
    })
}

const RECORD_COLUMNS: &str = "tenant, record, collection, doc, stamps, server_seq";
fn parse_collection(name: &str) -> Result<Collection> {
    Collection::parse(name).ok_or_else(|| corrupt(format!("collection {name:?}")))
}
fn to_record(r: &Row) -> Result<(TenantId, StoredRecord)> {
    let collection = parse_collection(r.get(2))?;
    let (values, stamps): (&str, &str) = (r.get(3), r.get(4));
    Ok((
        parse(r.get(0), "tenant id")?,
        StoredRecord::from_columns(parse(r.get(1), "record id")?, collection, values, stamps, u(r.get(5)))?,
    ))
}

/// A record row as a pull sends it, with its server seq.
fn pulled(r: &Row) -> Result<(u64, saite_protocol::PulledRecord)> {
    let collection = parse_collection(r.get(2))?;
    let (values, stamps): (String, &str) = (r.get(3), r.get(4));
    Ok((u(r.get(5)), StoredRecord::pulled_from_columns(parse(r.get(1), "record id")?, collection, values, stamps)?))
}

const AUDIT_COLUMNS: &str = "tenant, seq, at_ms, device_time_ms, user_id, device_id, action, detail, prev_hash, hash";
fn to_audit(r: &Row) -> Result<AuditRecord> {
    let detail: String = r.get(7);
    Ok(AuditRecord {
        tenant: parse(r.get(0), "tenant id")?,
        seq: u(r.get(1)),
        at_ms: u(r.get(2)),
        device_time_ms: r.get::<_, Option<i64>>(3).map(u),
        user: r.get::<_, Option<String>>(4).map(|x| parse(x, "user id")).transpose()?,
        device: r.get::<_, Option<String>>(5).map(|x| parse(x, "device id")).transpose()?,
        action: r.get(6),
        detail: serde_json::from_str(&detail).map_err(corrupt)?,
        prev_hash: r.get(8),
        hash: r.get(9),
    })
}

async fn load_user(tx: &Transaction<'_>, id: UserId) -> Result<Option<User>> {
    tx.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"), &[&id.to_string()])
        .await
        .map_err(pg)?
        .map(|r| to_user(&r))
        .transpose()
}

async fn load_device(tx: &Transaction<'_>, id: DeviceId, lock: bool) -> Result<Option<Device>> {
    let lock = if lock { " FOR UPDATE" } else { "" };
    let statement =
        tx.prepare_cached(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1{lock}")).await.map_err(pg)?;
    tx.query_opt(&statement, &[&id.to_string()]).await.map_err(pg)?.map(|r| to_device(&r)).transpose()
}

async fn insert_audit(tx: &Transaction<'_>, r: &AuditRecord) -> Result<()> {
    insert_audits(tx, std::slice::from_ref(r)).await
}

/// Inserts audit entries in one statement (a push writes one per change).
async fn insert_audits(tx: &Transaction<'_>, records: &[AuditRecord]) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let mut cols: AuditColumns = Default::default();
    for r in records {
        cols.0.push(r.tenant.to_string());
        cols.1.push(r.seq as i64);
        cols.2.push(r.at_ms as i64);
        cols.3.push(r.device_time_ms.map(|t| t as i64));
        cols.4.push(r.user.map(|x| x.to_string()));
        cols.5.push(r.device.map(|x| x.to_string()));
        cols.6.push(r.action.clone());
        cols.7.push(r.detail.to_string());
        cols.8.push(r.prev_hash.clone());
        cols.9.push(r.hash.clone());
        cols.10.push(r.record());
    }
    let statement = tx
        .prepare_cached(&format!(
            "INSERT INTO audit ({AUDIT_COLUMNS}, record)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[],
                                  $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])"
        ))
        .await
        .map_err(pg)?;
    tx.execute(
        &statement,
        &[&cols.0, &cols.1, &cols.2, &cols.3, &cols.4, &cols.5, &cols.6, &cols.7, &cols.8, &cols.9, &cols.10],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

/// One array per column for an `unnest` insert of audit entries (and their record).
type AuditColumns = (
    Vec<String>,
    Vec<i64>,
    Vec<i64>,
    Vec<Option<i64>>,
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<Option<String>>,
);

/// Appends to the tenant's audit chain inside the caller's transaction (locks the
/// tenant row).
async fn append_audit(tx: &Transaction<'_>, tenant: TenantId, a: &AuditContext) -> Result<AuditRecord> {
    let row = tx
        .query_opt("SELECT audit_seq, audit_head FROM tenants WHERE id = $1 FOR NO KEY UPDATE", &[&tenant.to_string()])
        .await
        .map_err(pg)?
        .ok_or(StorageError::NotFound("tenant"))?;
    let record = AuditRecord::chained(tenant, u(row.get(0)) + 1, row.get(1), a);
    insert_audit(tx, &record).await?;
    tx.execute(
        "UPDATE tenants SET audit_seq = $2, audit_head = $3 WHERE id = $1",
        &[&tenant.to_string(), &(record.seq as i64), &record.hash],
    )
    .await
    .map_err(pg)?;
    Ok(record)
}

/// [`append_audit`] for several entries: one chain, one insert, one move of the head,
/// so the organisation's row is locked for a few round trips however many there are.
async fn append_audits(tx: &Transaction<'_>, tenant: TenantId, entries: &[AuditContext]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let row = tx
        .query_opt("SELECT audit_seq, audit_head FROM tenants WHERE id = $1 FOR NO KEY UPDATE", &[&tenant.to_string()])
        .await
        .map_err(pg)?
        .ok_or(StorageError::NotFound("tenant"))?;
    let records = AuditRecord::chain(tenant, u(row.get(0)), row.get(1), entries);
    insert_audits(tx, &records).await?;
    let last = records.last().expect("entries are not empty");
    tx.execute(
        "UPDATE tenants SET audit_seq = $2, audit_head = $3 WHERE id = $1",
        &[&tenant.to_string(), &(last.seq as i64), &last.hash],
    )
    .await
    .map_err(pg)?;
    Ok(())
}

fn unique_violation(e: &tokio_postgres::Error, constraint: &str) -> bool {
    e.as_db_error().is_some_and(|d| d.code() == &SqlState::UNIQUE_VIOLATION && d.constraint() == Some(constraint))
}

// ---- the trait ------------------------------------------------------------------------

impl ServerStorage for PostgresStorage {
    async fn ping(&self) -> Result<()> {
        let client = self.pool.get().await.map_err(db)?;
        client.execute("SELECT 1", &[]).await.map_err(pg)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn create_tenant(&self, id: TenantId, name: &str, audit: AuditContext) -> Result<Tenant> {
        let tenant = Tenant { id, name: name.to_owned(), created_at_ms: audit.at_ms, office: Default::default() };
        in_tx!(self, |tx| {
            tx.execute(
                "INSERT INTO tenants (id, name, created_at_ms, audit_head) VALUES ($1, $2, $3, $4)",
                &[&tenant.id.to_string(), &tenant.name, &(tenant.created_at_ms as i64), &AUDIT_GENESIS],
            )
            .await
            .map_err(pg)?;
            append_audit(&tx, tenant.id, &audit).await?;
            Ok(tenant)
        })
    }

    async fn tenants(&self) -> Result<Vec<Tenant>> {
        let client = self.pool.get().await.map_err(db)?;
        let rows = client
            .query(&format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY created_at_ms, id"), &[])
            .await
            .map_err(pg)?;
        rows.iter().map(to_tenant).collect()
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>> {
        let client = self.pool.get().await.map_err(db)?;
        let statement =
            client.prepare_cached(&format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE id = $1")).await.map_err(pg)?;
        let row = client.query_opt(&statement, &[&id.to_string()]).await.map_err(pg)?;
        row.map(|r| to_tenant(&r)).transpose()
    }

    async fn set_office(&self, id: TenantId, office: OfficeSettings, audit: AuditContext) -> Result<Tenant> {
        in_tx!(self, |tx| {
            let row = tx
                .query_opt(
                    &format!("UPDATE tenants SET office = $2 WHERE id = $1 RETURNING {TENANT_COLUMNS}"),
                    &[&id.to_string(), &office_column(&office)],
                )
                .await
                .map_err(pg)?
                .ok_or(StorageError::NotFound("organisation"))?;
            append_audit(&tx, id, &audit).await?;
            to_tenant(&row)
        })
    }

    async fn create_user(&self, user: NewUser, audit: AuditContext) -> Result<User> {
        in_tx!(self, |tx| {
            let email = normalised_email(&user.email);
            let inserted = tx
                .execute(
                    "INSERT INTO users (id, tenant, email, name, role, password_hash, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        &user.id.to_string(),
                        &user.tenant.to_string(),
                        &email,
                        &user.name,
                        &user.role.as_str(),
                        &user.password_hash,
                        &(audit.at_ms as i64),
                    ],
                )
                .await;
            match inserted {
                Err(e) if unique_violation(&e, "users_email_key") => Err(StorageError::EmailTaken),
                Err(e) if e.as_db_error().is_some_and(|d| d.code() == &SqlState::FOREIGN_KEY_VIOLATION) => {
                    Err(StorageError::NotFound("tenant"))
                }
                Err(e) => Err(pg(e)),
                Ok(_) => {
                    append_audit(&tx, user.tenant, &audit).await?;
                    load_user(&tx, user.id).await?.ok_or(StorageError::NotFound("user"))
                }
            }
        })
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let client = self.pool.get().await.map_err(db)?;
        let statement =
            client.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).await.map_err(pg)?;
        let row = client.query_opt(&statement, &[&id.to_string()]).await.map_err(pg)?;
        row.map(|r| to_user(&r)).transpose()
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let client = self.pool.get().await.map_err(db)?;
        let email = normalised_email(email);
        let row = client
            .query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"), &[&email])
            .await
            .map_err(pg)?;
        row.map(|r| to_user(&r)).transpose()
    }

    async fn users(&self, tenant: TenantId) -> Result<Vec<User>> {
        let client = self.pool.get().await.map_err(db)?;
        let rows = client
            .query(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE tenant = $1 ORDER BY email"),
                &[&tenant.to_string()],
            )
            .await
            .map_err(pg)?;
        rows.iter().map(to_user).collect()
    }

    async fn update_user(&self, id: UserId, change: UserChange, audit: Option<AuditContext>) -> Result<User> {
        in_tx!(self, |tx| {
            let user = load_user(&tx, id).await?.ok_or(StorageError::NotFound("user"))?;
            let key = id.to_string();
            if change.takes_an_admin_away(&user) {
                // Locks every active administrator's row, this one's too: a concurrent
                // change of another waits, then finds this one gone.
                let admins = tx
                    .query(
                        "SELECT id FROM users WHERE tenant = $1 AND role = 'admin' AND NOT disabled FOR UPDATE",
                        &[&user.tenant.to_string()],
                    )
                    .await
                    .map_err(pg)?;
                if !admins.iter().any(|r| r.get::<_, String>(0) != key) {
                    return Err(StorageError::LastAdmin);
                }
            }
            match &change {
                UserChange::SetRole(role) => tx.execute("UPDATE users SET role = $2 WHERE id = $1", &[&key, &role.as_str()]).await,
                UserChange::SetDisabled(d) => tx.execute("UPDATE users SET disabled = $2 WHERE id = $1", &[&key, d]).await,
                UserChange::SetPasswordHash(h) => {
                    tx.execute("UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until_ms = NULL WHERE id = $1", &[&key, h]).await
                }
                UserChange::SignInFailed { lock_until_ms } => {
                    tx.execute(
                        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_until_ms = coalesce($2, locked_until_ms) WHERE id = $1",
                        &[&key, &lock_until_ms.map(|t| t as i64)],
                    )
                    .await
                }
                UserChange::SignInSucceeded => tx.execute("UPDATE users SET failed_sign_ins = 0, locked_until_ms = NULL WHERE id = $1", &[&key]).await,
            }
            .map_err(pg)?;
            if let Some(audit) = &audit {
                append_audit(&tx, user.tenant, audit).await?;
            }
            load_user(&tx, id).await?.ok_or(StorageError::NotFound("user"))
        })
    }

    async fn register_device(&self, device: NewDevice, audit: AuditContext) -> Result<Device> {
        in_tx!(self, |tx| {
            let result: Result<()> = async {
                match load_device(&tx, device.id, true).await? {
                    Some(existing) if existing.user != device.user => return Err(StorageError::DeviceTaken),
                    Some(existing) if existing.revoked_at_ms.is_some() => return Err(StorageError::DeviceRevoked),
                    Some(_) => {
                        tx.execute(
                            "UPDATE devices SET token_hash = $2, name = $3 WHERE id = $1",
                            &[&device.id.to_string(), &device.token_hash, &device.name],
                        )
                        .await
                        .map_err(pg)?;
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO devices (id, tenant, user_id, name, token_hash, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                            &[
                                &device.id.to_string(),
                                &device.tenant.to_string(),
                                &device.user.to_string(),
                                &device.name,
                                &device.token_hash,
                                &(audit.at_ms as i64),
                            ],
                        )
                        .await
                        .map_err(pg)?;
                    }
                }
                Ok(())
            }
            .await;
            match result {
                Ok(()) => {
                    append_audit(&tx, device.tenant, &audit).await?;
                    load_device(&tx, device.id, false).await?.ok_or(StorageError::NotFound("device"))
                }
                Err(e) => Err(e),
            }
        })
    }

    async fn device(&self, id: DeviceId) -> Result<Option<Device>> {
        let client = self.pool.get().await.map_err(db)?;
        let row = client
            .query_opt(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1"), &[&id.to_string()])
            .await
            .map_err(pg)?;
        row.map(|r| to_device(&r)).transpose()
    }

    async fn device_by_token_hash(&self, token_hash: &str) -> Result<Option<Device>> {
        let client = self.pool.get().await.map_err(db)?;
        let statement = client
            .prepare_cached(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = $1"))
            .await
            .map_err(pg)?;
        let row = client.query_opt(&statement, &[&token_hash]).await.map_err(pg)?;
        row.map(|r| to_device(&r)).transpose()
    }

    async fn caller_by_token_hash(&self, token_hash: &str) -> Result<Option<(Device, User, Tenant)>> {
        let client = self.pool.get().await.map_err(db)?;
        let columns =
            |prefix: &str, list: &str| list.split(", ").map(|c| format!("{prefix}.{c}")).collect::<Vec<_>>().join(", ");
        let statement = client
            .prepare_cached(&format!(
                "SELECT {}, {}, {} FROM devices d JOIN users u ON u.id = d.user_id JOIN tenants t ON t.id = d.tenant
                 WHERE d.token_hash = $1",
                columns("d", DEVICE_COLUMNS),
                columns("u", USER_COLUMNS),
                columns("t", TENANT_COLUMNS)
            ))
            .await
            .map_err(pg)?;
        let Some(r) = client.query_opt(&statement, &[&token_hash]).await.map_err(pg)? else { return Ok(None) };
        let user_at = DEVICE_COLUMN_COUNT;
        let tenant_at = user_at + USER_COLUMN_COUNT;
        Ok(Some((to_device_at(&r, 0)?, to_user_at(&r, user_at)?, to_tenant_at(&r, tenant_at)?)))
    }

    async fn devices(&self, tenant: TenantId) -> Result<Vec<Device>> {
        let client = self.pool.get().await.map_err(db)?;
        let rows = client
            .query(
                &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE tenant = $1 ORDER BY created_at_ms, id"),
                &[&tenant.to_string()],
            )
            .await
            .map_err(pg)?;
        rows.iter().map(to_device).collect()
    }

    async fn revoke_device(&self, id: DeviceId, audit: AuditContext) -> Result<Device> {
        in_tx!(self, |tx| {
            match load_device(&tx, id, true).await? {
                None => Err(StorageError::NotFound("device")),
                Some(device) => {
                    tx.execute(
                        "UPDATE devices SET revoked_at_ms = coalesce(revoked_at_ms, $2) WHERE id = $1",
                        &[&id.to_string(), &(audit.at_ms as i64)],
                    )
                    .await
                    .map_err(pg)?;
                    append_audit(&tx, device.tenant, &audit).await?;
                    load_device(&tx, id, false).await?.ok_or(StorageError::NotFound("device"))
                }
            }
        })
    }

    async fn note_contact(&self, id: DeviceId, contact: Contact) -> Result<()> {
        let client = self.pool.get().await.map_err(db)?;
        client
            .execute(
                "UPDATE devices SET last_seen_ms = greatest(coalesce(last_seen_ms, 0), $2::bigint),
                 app_version = coalesce($3::text, app_version),
                 outbox_seq = greatest(outbox_seq, coalesce($4::bigint, 0)) WHERE id = $1",
                &[
                    &id.to_string(),
                    &(contact.at_ms as i64),
                    &contact.app_version,
                    &contact.outbox_seq.map(|s| s as i64),
                ],
            )
            .await
            .map_err(pg)?;
        Ok(())
    }

    async fn push(
        &self,
        device: DeviceId,
        batch: PushRequest,
        rules: PushRules,
        audit: AuditContext,
    ) -> Result<PushResponse> {
        in_tx!(self, |tx| { push_in(&tx, device, &batch, &rules, audit).await })
    }

    async fn pull(&self, device: DeviceId, after: u64, limit: u32) -> Result<PullPage> {
        in_tx!(self, |tx| { pull_in(&tx, device, None, after, limit).await })
    }

    async fn pull_collection(
        &self,
        device: DeviceId,
        collection: Collection,
        after: u64,
        limit: u32,
    ) -> Result<PullPage> {
        in_tx!(self, |tx| { pull_in(&tx, device, Some(collection), after, limit).await })
    }

    async fn records_after(&self, tenant: TenantId, collection: Option<Collection>, after: u64) -> Result<u64> {
        let client = self.pool.get().await.map_err(db)?;
        let statement = client
            .prepare_cached(
                "SELECT count(*) FROM records WHERE tenant = $1 AND server_seq > $2 AND ($3::text IS NULL OR collection = $3)",
            )
            .await
            .map_err(pg)?;
        let row = client
            .query_one(&statement, &[&tenant.to_string(), &(after as i64), &collection.map(Collection::as_str)])
            .await
            .map_err(pg)?;
        Ok(u(row.get::<_, i64>(0)))
    }

    async fn request_repull(&self, tenant: TenantId, collection: Collection, audit: AuditContext) -> Result<u64> {
        in_tx!(self, |tx| {
            async {
                let generation: i64 = tx
                    .query_one(
                        "INSERT INTO repulls (tenant, collection, generation) VALUES ($1, $2, 1)
                         ON CONFLICT (tenant, collection) DO UPDATE SET generation = repulls.generation + 1 RETURNING generation",
                        &[&tenant.to_string(), &collection.as_str()],
                    )
                    .await
                    .map_err(pg)?
                    .get(0);
                append_audit(&tx, tenant, &audit).await?;
                Ok(u(generation))
            }
            .await
        })
    }

    async fn records(&self, tenant: TenantId, records: Vec<RecordId>) -> Result<Vec<StoredRecord>> {
        let client = self.pool.get().await.map_err(db)?;
        let ids: Vec<String> = records.iter().map(|r| r.to_string()).collect();
        let statement = client
            .prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE tenant = $1 AND record = ANY($2)"))
            .await
            .map_err(pg)?;
        let rows = client.query(&statement, &[&tenant.to_string(), &ids]).await.map_err(pg)?;
        rows.iter().map(|r| to_record(r).map(|(_, r)| r)).collect()
    }

    async fn checksums(&self, tenant: TenantId) -> Result<Checksums> {
        in_tx!(self, |tx| {
            // One snapshot for the cursor and the sums.
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").await.map_err(pg)?;
            match tx
                .query_opt("SELECT last_seq FROM tenants WHERE id = $1", &[&tenant.to_string()])
                .await
                .map_err(pg)?
            {
                None => Err(StorageError::NotFound("tenant")),
                Some(row) => {
                    let rows = tx
                        .query(
                            "SELECT c.collection, c.fields, c.digest, coalesce(p.generation, 0) FROM checksums c
                             LEFT JOIN repulls p ON p.tenant = c.tenant AND p.collection = c.collection
                             WHERE c.tenant = $1 AND c.fields > 0 ORDER BY c.collection",
                            &[&tenant.to_string()],
                        )
                        .await
                        .map_err(pg)?;
                    let mut collections = Vec::new();
                    for r in &rows {
                        let c: String = r.get(0);
                        let fields: i64 = r.get(1);
                        let digest: i64 = r.get(2);
                        collections.push(CollectionChecksum {
                            collection: parse_collection(&c)?,
                            fields: u(fields),
                            digest: FieldDigest { fields: u(fields), sum: digest as u64 }.sum_hex(),
                            repull_generation: u(r.get(3)),
                        });
                    }
                    Ok(Checksums { cursor: u(row.get(0)), collections })
                }
            }
        })
    }

    async fn append_audit(&self, tenant: TenantId, audit: AuditContext) -> Result<AuditRecord> {
        in_tx!(self, |tx| { append_audit(&tx, tenant, &audit).await })
    }

    async fn append_device_events(&self, device: DeviceId, events: Vec<(u64, AuditContext)>) -> Result<u64> {
        in_tx!(self, |tx| {
            // The device's row locked first: two sends of one laptop apply one after the other.
            let tenant = load_device(&tx, device, true).await?.ok_or(StorageError::NotFound("device"))?.tenant;
            let applied: i64 = tx
                .query_one("SELECT events_applied_seq FROM devices WHERE id = $1", &[&device.to_string()])
                .await
                .map_err(pg)?
                .get(0);
            let (fresh, last) = fresh_events(events, applied as u64);
            append_audits(&tx, tenant, &fresh).await?;
            tx.execute(
                "UPDATE devices SET events_applied_seq = $2 WHERE id = $1",
                &[&device.to_string(), &(last as i64)],
            )
            .await
            .map_err(pg)?;
            Ok(last)
        })
    }

    async fn audit_entries(&self, tenant: TenantId, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditRecord>> {
        let client = self.pool.get().await.map_err(db)?;
        let rows = client
            .query(
                &format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit WHERE tenant = $1 AND seq > $2
                     AND ($3::text IS NULL OR user_id = $3) AND ($4::text IS NULL OR device_id = $4)
                     AND ($5::text IS NULL OR action = $5) AND ($6::bigint IS NULL OR at_ms >= $6)
                     AND ($7::bigint IS NULL OR at_ms < $7) AND ($9::text IS NULL OR record = $9)
                     ORDER BY seq LIMIT $8"
                ),
                &[
                    &tenant.to_string(),
                    &(filter.after as i64),
                    &filter.user.map(|x| x.to_string()),
                    &filter.device.map(|x| x.to_string()),
                    &filter.action,
                    &filter.from_ms.map(|t| t as i64),
                    &filter.to_ms.map(|t| t as i64),
                    &(limit as i64),
                    &filter.record.map(|r| r.to_string()),
                ],
            )
            .await
            .map_err(pg)?;
        rows.iter().map(to_audit).collect()
    }

    async fn blob_status(&self, tenant: TenantId, sha256: String) -> Result<Option<BlobStatus>> {
        let client = self.pool.get().await.map_err(db)?;
        let row = client
            .query_opt(
                "SELECT size, received FROM blobs WHERE tenant = $1 AND sha256 = $2",
                &[&tenant.to_string(), &sha256],
            )
            .await
            .map_err(pg)?;
        Ok(row.map(|r| blob::status(&sha256, u(r.get(0)), u(r.get(1)))))
    }

    async fn put_blob_part(&self, tenant: TenantId, part: BlobPart, audit: AuditContext) -> Result<BlobStatus> {
        let outcome: Result<Result<BlobStatus>> = in_tx!(self, |tx| {
            async {
                let t = tenant.to_string();
                // One upload of one blob at a time, across every server instance.
                tx.execute(
                    "SELECT pg_advisory_xact_lock(hashtext($1::text || '/' || $2::text)::bigint)",
                    &[&t, &part.sha256],
                )
                .await
                .map_err(pg)?;
                let stored = tx
                    .query_opt(
                        "SELECT size, received FROM blobs WHERE tenant = $1 AND sha256 = $2",
                        &[&t, &part.sha256],
                    )
                    .await
                    .map_err(pg)?
                    .map(|r| (u(r.get(0)), u(r.get(1))));
                let (create, completes) = match blob::plan_part(stored, &part)? {
                    PartPlan::Complete(status) => return Ok(Ok(status)),
                    PartPlan::Append { create, completes } => (create, completes),
                };
                if create {
                    tx.execute(
                        "INSERT INTO blobs (tenant, sha256, size, received, created_at_ms) VALUES ($1, $2, $3, 0, $4)",
                        &[&t, &part.sha256, &(part.size as i64), &(audit.at_ms as i64)],
                    )
                    .await
                    .map_err(pg)?;
                }
                let received = part.offset + part.bytes.len() as u64;
                if !part.bytes.is_empty() {
                    tx.execute(
                        "INSERT INTO blob_parts (tenant, sha256, start, bytes) VALUES ($1, $2, $3, $4)",
                        &[&t, &part.sha256, &(part.offset as i64), &part.bytes],
                    )
                    .await
                    .map_err(pg)?;
                }
                if completes {
                    let parts = blob_parts(&tx, &t, &part.sha256, 0, part.size).await?;
                    if !blob::digest_matches(parts.iter().map(|(_, b)| b), &part.sha256) {
                        // Discarded and committed: the laptop starts this file again.
                        tx.execute("DELETE FROM blob_parts WHERE tenant = $1 AND sha256 = $2", &[&t, &part.sha256])
                            .await
                            .map_err(pg)?;
                        tx.execute("DELETE FROM blobs WHERE tenant = $1 AND sha256 = $2", &[&t, &part.sha256])
                            .await
                            .map_err(pg)?;
                        return Ok(Err(StorageError::DigestMismatch(part.sha256.clone())));
                    }
                    append_audit(&tx, tenant, &audit).await?;
                }
                tx.execute(
                    "UPDATE blobs SET received = $3 WHERE tenant = $1 AND sha256 = $2",
                    &[&t, &part.sha256, &(received as i64)],
                )
                .await
                .map_err(pg)?;
                Ok(Ok(blob::status(&part.sha256, part.size, received)))
            }
            .await
        });
        outcome?
    }

    async fn read_blob(&self, tenant: TenantId, sha256: String, start: u64, end: u64) -> Result<Option<Vec<u8>>> {
        in_tx!(self, |tx| {
            async {
                let t = tenant.to_string();
                let size = tx
                    .query_opt(
                        "SELECT size FROM blobs WHERE tenant = $1 AND sha256 = $2 AND received = size",
                        &[&t, &sha256],
                    )
                    .await
                    .map_err(pg)?
                    .map(|r| u(r.get(0)));
                let Some(size) = size else { return Ok(None) };
                let end = end.min(size);
                if start >= end {
                    return Ok(Some(Vec::new()));
                }
                Ok(Some(blob::cut_range(&blob_parts(&tx, &t, &sha256, start, end).await?, start, end)))
            }
            .await
        })
    }

    async fn missing_blobs(&self, tenant: TenantId, sha256s: Vec<String>) -> Result<Vec<String>> {
        let client = self.pool.get().await.map_err(db)?;
        let present: Vec<String> = client
            .query(
                "SELECT sha256 FROM blobs WHERE tenant = $1 AND sha256 = ANY($2) AND received = size",
                &[&tenant.to_string(), &sha256s],
            )
            .await
            .map_err(pg)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        Ok(sha256s.into_iter().filter(|s| !present.contains(s)).collect())
    }

    async fn export(&self) -> Result<Dump> {
        in_tx!(self, |tx| {
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").await.map_err(pg)?;
            let mut dump = Dump { format: DUMP_FORMAT, ..Dump::default() };
            for r in tx.query(&format!("SELECT {TENANT_COLUMNS}, last_seq FROM tenants"), &[]).await.map_err(pg)? {
                let t = to_tenant(&r)?;
                dump.tenant_states.push(TenantState { tenant: t.id, last_seq: u(r.get(4)) });
                dump.tenants.push(t);
            }
            for r in tx.query(&format!("SELECT {USER_COLUMNS} FROM users"), &[]).await.map_err(pg)? {
                dump.users.push(to_user(&r)?);
            }
            for r in tx.query(&format!("SELECT {DEVICE_COLUMNS} FROM devices"), &[]).await.map_err(pg)? {
                dump.devices.push(to_device(&r)?);
            }
            for r in tx.query(&format!("SELECT {RECORD_COLUMNS} FROM records"), &[]).await.map_err(pg)? {
                let (tenant, record) = to_record(&r)?;
                dump.fields.extend(StoredField::of_record(&record, tenant));
            }
            for r in tx.query(&format!("SELECT {AUDIT_COLUMNS} FROM audit"), &[]).await.map_err(pg)? {
                dump.audit.push(to_audit(&r)?);
            }
            for r in tx
                .query("SELECT tenant, sha256, size, created_at_ms FROM blobs WHERE received = size", &[])
                .await
                .map_err(pg)?
            {
                let (tenant, sha256, size): (String, String, i64) = (r.get(0), r.get(1), r.get(2));
                let bytes = blob::cut_range(&blob_parts(&tx, &tenant, &sha256, 0, u(size)).await?, 0, u(size));
                dump.blobs.push(StoredBlob {
                    tenant: parse(tenant, "tenant id")?,
                    sha256,
                    created_at_ms: u(r.get(3)),
                    bytes,
                });
            }
            for r in tx.query("SELECT tenant, collection, generation FROM repulls", &[]).await.map_err(pg)? {
                let c: String = r.get(1);
                let collection = parse_collection(&c)?;
                dump.repulls.push(RepullGeneration {
                    tenant: parse(r.get(0), "tenant id")?,
                    collection,
                    generation: u(r.get(2)),
                });
            }
            Ok::<_, StorageError>(dump.normalised())
        })
    }

    async fn import(&self, dump: &Dump) -> Result<()> {
        in_tx!(self, |tx| { import_in(&tx, dump).await })
    }
}

async fn push_in(
    tx: &Transaction<'_>,
    device: DeviceId,
    batch: &PushRequest,
    rules: &PushRules,
    audit: AuditContext,
) -> Result<PushResponse> {
    let d = load_device(tx, device, true).await?.ok_or(StorageError::NotFound("device"))?;
    let state = DeviceState { id: d.id, applied_seq: d.applied_seq, revoked: d.revoked_at_ms.is_some() };
    let tenant = d.tenant.to_string();
    let records: Vec<String> = if state.revoked {
        Vec::new()
    } else {
        push::records_to_read(batch, d.applied_seq).iter().map(|r| r.to_string()).collect()
    };

    // Record locks: pushes touching the same records take turns from here, so the
    // records read below stay current until this transaction ends. Taken in the order
    // of their lock ids, by every push alike, so two pushes never wait on each other.
    let mut current: HashMap<RecordId, StoredRecord> = HashMap::new();
    if !records.is_empty() {
        let keys: Vec<String> = records.iter().map(|r| format!("{tenant}/{r}")).collect();
        tx.execute(&tx.prepare_cached("SELECT pg_advisory_xact_lock(id) FROM (SELECT DISTINCT hashtext(k)::bigint AS id FROM unnest($1::text[]) AS k ORDER BY 1) AS ids").await.map_err(pg)?,
            &[&keys],
        )
        .await
        .map_err(pg)?;
        // The touched records as stored, in one round trip.
        let statement = tx
            .prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE tenant = $1 AND record = ANY($2)"))
            .await
            .map_err(pg)?;
        for r in tx.query(&statement, &[&tenant, &records]).await.map_err(pg)? {
            let (_, record) = to_record(&r)?;
            current.insert(record.record, record);
        }
    }
    let plan = push::plan_push(&state, batch, current, rules)?;
    let seqs = plan.seqs as i64;

    // The tenant row lock, as late as possible: it orders server seqs and the audit
    // chain, and is held until commit, so the work after it is one pipelined round trip.
    let entries = audit.of_push(&plan, batch);
    let head = tx
        .query_one(
            "UPDATE tenants SET last_seq = last_seq + $2, audit_seq = audit_seq + $3 WHERE id = $1
             RETURNING last_seq - $2, audit_seq - $3, audit_head",
            &[&tenant, &seqs, &(entries.len() as i64)],
        )
        .await
        .map_err(pg)?;
    let (base, audit_seq, prev_hash): (i64, i64, String) = (head.get(0), head.get(1), head.get(2));
    let records = AuditRecord::chain(d.tenant, u(audit_seq), prev_hash, &entries);
    let last_hash = records.last().expect("a push's own entry").hash.clone();

    let mut cols: RecordColumns = Default::default();
    for w in &plan.writes {
        cols.0.push(w.record.to_string());
        cols.1.push(w.collection.as_str().to_owned());
        cols.2.push(w.values.clone());
        cols.3.push(w.stamps.clone());
        cols.4.push(base + w.seq_offset as i64);
    }
    let (sum_collections, sum_counts, sum_digests): (Vec<String>, Vec<i64>, Vec<i64>) = {
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for (collection, (count, sum)) in &plan.checksums {
            out.0.push(collection.as_str().to_owned());
            out.1.push(*count);
            out.2.push(*sum as i64);
        }
        out
    };
    let fields_written = async {
        if cols.0.is_empty() {
            return Ok(0);
        }
        tx.execute(
            &tx.prepare_cached(
                "INSERT INTO records (tenant, record, collection, doc, stamps, server_seq)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
             ON CONFLICT (tenant, record) DO UPDATE SET doc = excluded.doc, stamps = excluded.stamps, server_seq = excluded.server_seq",
            )
            .await?,
            &[&tenant, &cols.0, &cols.1, &cols.2, &cols.3, &cols.4],
        )
        .await
    };
    // Checksums add up in SQL: the digest is a u64 kept bit for bit in a bigint, so the
    // sum wraps at 2^64 like FieldDigest's.
    let sums_written = async {
        if sum_collections.is_empty() {
            return Ok(0);
        }
        tx.execute(
            &tx.prepare_cached(
                "INSERT INTO checksums (tenant, collection, fields, digest)
             SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[])
             ON CONFLICT (tenant, collection) DO UPDATE SET
                 fields = checksums.fields + excluded.fields,
                 digest = ((((checksums.digest::numeric + excluded.digest::numeric + 9223372036854775808)
                             % 18446744073709551616) + 18446744073709551616) % 18446744073709551616
                           - 9223372036854775808)::bigint",
            )
            .await?,
            &[&tenant, &sum_collections, &sum_counts, &sum_digests],
        )
        .await
    };
    let (device_id, applied, seen) = (device.to_string(), plan.applied_seq as i64, entries[0].at_ms as i64);
    let device_written = async {
        tx.execute(
            &tx.prepare_cached("UPDATE devices SET applied_seq = $2, last_seen_ms = $3 WHERE id = $1").await?,
            &[&device_id, &applied, &seen],
        )
        .await
    };
    let head_written = async {
        tx.execute(
            &tx.prepare_cached("UPDATE tenants SET audit_head = $2 WHERE id = $1").await?,
            &[&tenant, &last_hash],
        )
        .await
    };
    let audit_written = insert_audits(tx, &records);
    // tokio-postgres sends requests polled together in one pipeline.
    let (f, c, dv, h, a) = tokio::join!(fields_written, sums_written, device_written, head_written, audit_written);
    f.map_err(pg)?;
    c.map_err(pg)?;
    dv.map_err(pg)?;
    h.map_err(pg)?;
    a?;
    Ok(plan.answer(u(base)))
}

async fn import_in(tx: &Transaction<'_>, dump: &Dump) -> Result<()> {
    let tenants: i64 = tx.query_one("SELECT count(*) FROM tenants", &[]).await.map_err(pg)?.get(0);
    dump.check_restorable(tenants)?;
    for h in dump.tenant_heads() {
        tx.execute(
            "INSERT INTO tenants (id, name, created_at_ms, last_seq, audit_seq, audit_head, office)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &h.tenant.id.to_string(),
                &h.tenant.name,
                &(h.tenant.created_at_ms as i64),
                &(h.last_seq as i64),
                &(h.audit_seq as i64),
                &h.audit_head,
                &office_column(&h.tenant.office),
            ],
        )
        .await
        .map_err(pg)?;
    }
    for x in &dump.users {
        tx.execute(
            &format!("INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            &[
                &x.id.to_string(),
                &x.tenant.to_string(),
                &x.email,
                &x.name,
                &x.role.as_str(),
                &x.disabled,
                &x.password_hash,
                &(x.failed_sign_ins as i64),
                &x.locked_until_ms.map(|t| t as i64),
                &(x.created_at_ms as i64),
            ],
        )
        .await
        .map_err(pg)?;
    }
    for x in &dump.devices {
        tx.execute(
            &format!(
                "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            ),
            &[
                &x.id.to_string(),
                &x.tenant.to_string(),
                &x.user.to_string(),
                &x.name,
                &x.token_hash,
                &(x.created_at_ms as i64),
                &x.revoked_at_ms.map(|t| t as i64),
                &(x.applied_seq as i64),
                &(x.pulled_seq as i64),
                &x.last_seen_ms.map(|t| t as i64),
                &x.app_version,
                &(x.outbox_seq as i64),
            ],
        )
        .await
        .map_err(pg)?;
    }
    let insert = tx
        .prepare(&format!("INSERT INTO records ({RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"))
        .await
        .map_err(pg)?;
    for (tenant, r) in StoredField::group(&dump.fields) {
        let (values, stamps) = r.to_columns();
        tx.execute(
            &insert,
            &[
                &tenant.to_string(),
                &r.record.to_string(),
                &r.collection.as_str(),
                &values,
                &stamps,
                &(r.server_seq as i64),
            ],
        )
        .await
        .map_err(pg)?;
    }
    // Checksums are derived: recomputed from the fields, never trusted from a file.
    for ((tenant, collection), d) in dump.checksums() {
        tx.execute(
            "INSERT INTO checksums (tenant, collection, fields, digest) VALUES ($1, $2, $3, $4)",
            &[&tenant.to_string(), &collection.as_str(), &(d.fields as i64), &(d.sum as i64)],
        )
        .await
        .map_err(pg)?;
    }
    for a in &dump.audit {
        insert_audit(tx, a).await?;
    }
    for b in &dump.blobs {
        // A backup's blob is checked like an upload: its bytes must match its address.
        if !blob::digest_matches([&b.bytes], &b.sha256) {
            return Err(StorageError::Corrupt(format!("blob {} does not match its bytes", b.sha256)));
        }
        let t = b.tenant.to_string();
        tx.execute(
            "INSERT INTO blobs (tenant, sha256, size, received, created_at_ms) VALUES ($1, $2, $3, $3, $4)",
            &[&t, &b.sha256, &(b.bytes.len() as i64), &(b.created_at_ms as i64)],
        )
        .await
        .map_err(pg)?;
        tx.execute(
            "INSERT INTO blob_parts (tenant, sha256, start, bytes) VALUES ($1, $2, 0, $3)",
            &[&t, &b.sha256, &b.bytes],
        )
        .await
        .map_err(pg)?;
    }
    for r in &dump.repulls {
        tx.execute(
            "INSERT INTO repulls (tenant, collection, generation) VALUES ($1, $2, $3)",
            &[&r.tenant.to_string(), &r.collection.as_str(), &(r.generation as i64)],
        )
        .await
        .map_err(pg)?;
    }
    Ok(())
}

/// A page of the device's tenant's records changed after server seq `after`, of one
/// collection or all. Only a pull of all of them moves the device's `pulled_seq`.
async fn pull_in(
    tx: &Transaction<'_>,
    device: DeviceId,
    collection: Option<Collection>,
    after: u64,
    limit: u32,
) -> Result<PullPage> {
    let d = match load_device(tx, device, false).await? {
        None => return Err(StorageError::NotFound("device")),
        Some(d) if d.revoked_at_ms.is_some() => return Err(StorageError::DeviceRevoked),
        Some(d) => d,
    };
    let statement = tx
        .prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE tenant = $1 AND server_seq > $2 AND ($4::text IS NULL OR collection = $4)
                 ORDER BY server_seq LIMIT $3"
        ))
        .await
        .map_err(pg)?;
    let rows = tx
        .query(
            &statement,
            &[&d.tenant.to_string(), &(after as i64), &(limit as i64 + 1), &collection.map(Collection::as_str)],
        )
        .await
        .map_err(pg)?;
    let more = rows.len() > limit as usize;
    let page = rows.iter().take(limit as usize).map(pulled).collect::<Result<Vec<_>>>()?;
    let end_cursor = page.last().map(|(seq, _)| *seq).unwrap_or(after);
    if collection.is_none() {
        // Bookkeeping a crash may undo without harm (`pulled_seq` only says "at least
        // this far" and the next pull writes it again), so its commit does not wait for
        // the WAL flush; later synchronous commits flush it with theirs, in order.
        tx.batch_execute("SET LOCAL synchronous_commit = off").await.map_err(pg)?;
        // Only when it moves: a pull that confirms nothing new writes nothing.
        tx.execute(
            &tx.prepare_cached("UPDATE devices SET pulled_seq = $2 WHERE id = $1 AND pulled_seq < $2")
                .await
                .map_err(pg)?,
            &[&device.to_string(), &(after as i64)],
        )
        .await
        .map_err(pg)?;
    }
    Ok(PullPage {
        records: page.into_iter().map(|(_, r)| r).collect(),
        end_cursor,
        more,
        summary: None,
        remaining: None,
    })
}

/// The parts of a blob overlapping bytes `[start, end)`, in order.
async fn blob_parts(
    tx: &Transaction<'_>,
    tenant: &str,
    sha256: &str,
    start: u64,
    end: u64,
) -> Result<Vec<(u64, Vec<u8>)>> {
    Ok(tx
        .query(
            "SELECT start, bytes FROM blob_parts WHERE tenant = $1 AND sha256 = $2 AND start < $4 AND start + octet_length(bytes) > $3 ORDER BY start",
            &[&tenant, &sha256, &(start as i64), &(end as i64)],
        )
        .await
        .map_err(pg)?
        .iter()
        .map(|r| (u(r.get(0)), r.get(1)))
        .collect())
}
