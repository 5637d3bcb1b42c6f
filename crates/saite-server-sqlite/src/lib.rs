//! [`SqliteStorage`]: saite-server's storage in one SQLite file.
//!
//! Glossary: the **writer** is the one connection every write goes through, one
//! transaction at a time (SQLite allows one writer; queuing in-process beats spinning
//! on `SQLITE_BUSY`); **readers** are a small pool for reads, which WAL mode lets run
//! beside the writer. rusqlite is blocking, so each call runs on tokio's blocking pool.

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, Mutex},
};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rusqlite_migration::{M, Migrations};
use saite_domain::{Collection, DeviceId, RecordId};
use saite_protocol::{
    Checksums, CollectionChecksum, PullPage, PulledRecord, PushRequest, PushResponse, Role, TenantId, UserId,
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

/// How many read connections the pool keeps.
const READERS: u32 = 4;

#[derive(Clone)]
pub struct SqliteStorage {
    writer: Arc<Mutex<Connection>>,
    readers: r2d2::Pool<SqliteConnectionManager>,
    /// The checkpointer's own connection ([`SqliteStorage::checkpoint_beside_writer`]).
    checkpointer: Arc<Mutex<Connection>>,
}

/// Changes a push must carry for the log to be copied beside the writer afterwards.
const BULK_PUSH: usize = 256;

fn db(e: impl std::fmt::Display) -> StorageError {
    StorageError::Database(e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn configure(c: &Connection) -> rusqlite::Result<()> {
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    // A larger page cache than SQLite's 2 MiB default for the one writer: a push reads
    // the rows it merges into, and with the default most of a large organisation's
    // records were read back from the file for every batch (measured in the push
    // profile as pread and copy time).
    // FULL: a commit is on disk before the answer leaves. A laptop drops its outbox
    // entries once a push is answered, so a push lost to a power cut after its answer
    // (NORMAL's risk in WAL mode) would reach the server from nowhere again.
    c.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -{WRITER_CACHE_KIB};"
    ))
}

/// The writer's page cache (KiB).
const WRITER_CACHE_KIB: u32 = 64 * 1024;
/// Each reader's page cache (KiB).
const READER_CACHE_KIB: u32 = 16 * 1024;

impl SqliteStorage {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStorage> {
        let mut writer = Connection::open(path).map_err(db)?;
        configure(&writer).map_err(db)?;
        Migrations::new(vec![
            M::up(include_str!("../migrations/0001_initial.sql")),
            M::up(include_str!("../migrations/0002_device_contact.sql")),
            M::up(include_str!("../migrations/0003_office_settings.sql")),
            M::up(include_str!("../migrations/0004_audit_by_record.sql")),
            M::up(include_str!("../migrations/0005_device_events.sql")),
        ])
        .to_latest(&mut writer)
        .map_err(db)?;
        let manager = SqliteConnectionManager::file(path).with_init(|c| {
            c.busy_timeout(std::time::Duration::from_secs(10))?;
            c.execute_batch(&format!("PRAGMA query_only = ON; PRAGMA cache_size = -{READER_CACHE_KIB};"))
        });
        let readers = r2d2::Pool::builder().max_size(READERS).build(manager).map_err(db)?;
        let checkpointer = Connection::open(path).map_err(db)?;
        checkpointer.execute_batch("PRAGMA synchronous = FULL; PRAGMA cache_size = 16;").map_err(db)?;
        Ok(SqliteStorage {
            writer: Arc::new(Mutex::new(writer)),
            readers,
            checkpointer: Arc::new(Mutex::new(checkpointer)),
        })
    }

    /// Copies the write-ahead log into the database file on a thread beside the
    /// writer (a PASSIVE checkpoint: it neither waits for nor blocks the writer or a
    /// reader), after a bulk push. Otherwise the writer copies it itself inside a
    /// push's commit once the log passes 1 000 pages, on the push's critical path. The
    /// writer's own checkpoint stays on for what this one leaves. One running covers this
    /// one too.
    fn checkpoint_beside_writer(&self) {
        let checkpointer = self.checkpointer.clone();
        tokio::task::spawn_blocking(move || {
            if let Ok(conn) = checkpointer.try_lock() {
                // One that fails (the writer's own was running) leaves the pages in the
                // log, where reads find them, for the next.
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
        });
    }

    /// Runs `f` in one immediate (write) transaction on the writer, committing on Ok.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
            let out = f(&tx)?;
            tx.commit().map_err(db)?;
            Ok(out)
        })
        .await
        .map_err(db)?
    }

    /// Like [`Self::write`], but the commit is not flushed to disk (synchronous NORMAL
    /// for this one transaction), for bookkeeping a power cut may undo without harm:
    /// a device's `pulled_seq` only ever says "at least this far", and the next pull
    /// writes it again. A later flushed commit flushes this one too (the WAL is
    /// appended in order and synced whole), so nothing after it can outlive it.
    async fn write_unflushed<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = writer.lock().unwrap_or_else(|p| p.into_inner());
            conn.execute_batch("PRAGMA synchronous = NORMAL").map_err(db)?;
            let out = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(db)?;
                let out = f(&tx)?;
                tx.commit().map_err(db)?;
                Ok(out)
            })();
            // Every other write answers only once on disk: FULL again, whatever happened.
            conn.execute_batch("PRAGMA synchronous = FULL").map_err(db)?;
            out
        })
        .await
        .map_err(db)?
    }

    /// Runs `f` in one read transaction on a pooled reader.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = readers.get().map_err(db)?;
            let tx = conn.transaction().map_err(db)?;
            f(&tx)
        })
        .await
        .map_err(db)?
    }

    /// Copies the database to `dest` with SQLite's online backup (consistent while the
    /// server runs).
    pub async fn backup_file(&self, dest: &Path) -> Result<()> {
        let dest = dest.to_owned();
        self.read(move |tx| {
            tx.execute("VACUUM INTO ?1", [dest.to_string_lossy()]).map_err(db)?;
            Ok(())
        })
        .await
    }
}

// ---- rows -------------------------------------------------------------------------

fn parse<T: std::str::FromStr>(s: String, what: &str) -> Result<T> {
    s.parse().map_err(|_| StorageError::Corrupt(format!("{what} {s:?}")))
}

fn u(v: i64) -> u64 {
    v as u64
}

const TENANT_COLUMNS: &str = "id, name, created_at_ms, office";
type TenantRow = (String, String, i64, Option<String>);
fn tenant_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TenantRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}
fn to_tenant((id, name, at, office): TenantRow) -> Result<Tenant> {
    Ok(Tenant {
        id: parse(id, "tenant id")?,
        name,
        created_at_ms: u(at),
        office: office_from_column(office.as_deref())?,
    })
}

const USER_COLUMNS: &str =
    "id, tenant, email, name, role, disabled, password_hash, failed_sign_ins, locked_until_ms, created_at_ms";
type UserRow = (String, String, String, String, String, bool, String, i64, Option<i64>, i64);
fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
}
fn to_user(row: UserRow) -> Result<User> {
    let (id, tenant, email, name, role, disabled, password_hash, failed, locked, created) = row;
    Ok(User {
        id: parse(id, "user id")?,
        tenant: parse(tenant, "tenant id")?,
        email,
        name,
        role: Role::parse(&role).ok_or_else(|| corrupt(format!("role {role:?}")))?,
        disabled,
        password_hash,
        failed_sign_ins: failed as u32,
        locked_until_ms: locked.map(u),
        created_at_ms: u(created),
    })
}

const DEVICE_COLUMNS: &str = "id, tenant, user_id, name, token_hash, created_at_ms, revoked_at_ms, applied_seq, \
     pulled_seq, last_seen_ms, app_version, outbox_seq";
type DeviceRow = (String, String, String, String, String, i64, Option<i64>, i64, i64, Option<i64>, Option<String>, i64);
fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    ))
}
fn to_device(row: DeviceRow) -> Result<Device> {
    let (id, tenant, user, name, token_hash, created, revoked, applied, pulled, seen, app_version, outbox) = row;
    Ok(Device {
        id: parse(id, "device id")?,
        tenant: parse(tenant, "tenant id")?,
        user: parse(user, "user id")?,
        name,
        token_hash,
        created_at_ms: u(created),
        revoked_at_ms: revoked.map(u),
        applied_seq: u(applied),
        pulled_seq: u(pulled),
        last_seen_ms: seen.map(u),
        app_version,
        outbox_seq: u(outbox),
    })
}

// The statements below run on every request (authentication, pulls): cached, not
// compiled again each time.

/// The one row `sql` selects by `key` (its only parameter), converted.
fn load_one<R, T>(
    tx: &Transaction<'_>,
    sql: &str,
    key: &str,
    row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<R>,
    convert: fn(R) -> Result<T>,
) -> Result<Option<T>> {
    tx.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_row([key], row).optional())
        .map_err(db)?
        .map(convert)
        .transpose()
}

fn load_user(tx: &Transaction<'_>, id: UserId) -> Result<Option<User>> {
    load_one(tx, &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"), &id.to_string(), user_row, to_user)
}

fn load_device(tx: &Transaction<'_>, id: DeviceId) -> Result<Option<Device>> {
    load_one(tx, &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"), &id.to_string(), device_row, to_device)
}

fn device_by_token_hash(tx: &Transaction<'_>, token_hash: &str) -> Result<Option<Device>> {
    load_one(
        tx,
        &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = ?1"),
        token_hash,
        device_row,
        to_device,
    )
}

fn load_tenant(tx: &Transaction<'_>, id: TenantId) -> Result<Option<Tenant>> {
    load_one(tx, &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE id = ?1"), &id.to_string(), tenant_row, to_tenant)
}

/// Appends to the tenant's audit chain inside the caller's transaction.
fn append_audit(tx: &Transaction<'_>, tenant: TenantId, a: &AuditContext) -> Result<AuditRecord> {
    Ok(append_audits(tx, tenant, std::slice::from_ref(a))?.pop().expect("one entry appended"))
}

/// Appends `entries` to the tenant's audit chain, in order, inside the caller's
/// transaction.
fn append_audits(tx: &Transaction<'_>, tenant: TenantId, entries: &[AuditContext]) -> Result<Vec<AuditRecord>> {
    let (seq, head): (i64, String) = tx
        .query_row("SELECT audit_seq, audit_head FROM tenants WHERE id = ?1", [tenant.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .map_err(db)?
        .ok_or(StorageError::NotFound("tenant"))?;
    let records = AuditRecord::chain(tenant, u(seq), head, entries);
    for record in &records {
        insert_audit(tx, record)?;
    }
    if let Some(last) = records.last() {
        tx.execute(
            "UPDATE tenants SET audit_seq = ?2, audit_head = ?3 WHERE id = ?1",
            params![tenant.to_string(), last.seq as i64, last.hash],
        )
        .map_err(db)?;
    }
    Ok(records)
}

fn insert_audit(tx: &Transaction<'_>, r: &AuditRecord) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (tenant, seq, at_ms, device_time_ms, user_id, device_id, action, detail, prev_hash, hash, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .map_err(db)?
    .execute(params![
            r.tenant.to_string(),
            r.seq as i64,
            r.at_ms as i64,
            r.device_time_ms.map(|t| t as i64),
            r.user.map(|x| x.to_string()),
            r.device.map(|x| x.to_string()),
            r.action,
            r.detail.to_string(),
            r.prev_hash,
            r.hash,
            r.record()
        ])
        .map_err(db)?;
    Ok(())
}

type AuditRow = (String, i64, i64, Option<i64>, Option<String>, Option<String>, String, String, String, String);
fn audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
}
fn to_audit(row: AuditRow) -> Result<AuditRecord> {
    let (tenant, seq, at, dt, user, device, action, detail, prev_hash, hash) = row;
    Ok(AuditRecord {
        tenant: parse(tenant, "tenant id")?,
        seq: u(seq),
        at_ms: u(at),
        device_time_ms: dt.map(u),
        user: user.map(|x| parse(x, "user id")).transpose()?,
        device: device.map(|x| parse(x, "device id")).transpose()?,
        action,
        detail: serde_json::from_str(&detail).map_err(corrupt)?,
        prev_hash,
        hash,
    })
}
const AUDIT_COLUMNS: &str = "tenant, seq, at_ms, device_time_ms, user_id, device_id, action, detail, prev_hash, hash";

type RecordRow = (String, String, String, String, String, i64);
const RECORD_COLUMNS: &str = "tenant, record, collection, doc, stamps, server_seq";
fn record_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}
fn parse_collection(name: &str) -> Result<Collection> {
    Collection::parse(name).ok_or_else(|| corrupt(format!("collection {name:?}")))
}
/// These records of the tenant as stored, those it has, in no particular order.
fn records_in(tx: &Connection, tenant: &str, records: &[RecordId]) -> Result<Vec<StoredRecord>> {
    let mut out = Vec::new();
    // SQLite binds at most 32 766 parameters: ask in chunks.
    for chunk in records.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = tx
            .prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records WHERE tenant = ? AND record IN ({marks})"))
            .map_err(db)?;
        let args: Vec<String> = std::iter::once(tenant.to_owned()).chain(chunk.iter().map(|r| r.to_string())).collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(args), record_row).map_err(db)?;
        for row in rows {
            out.push(to_record(row.map_err(db)?)?.1);
        }
    }
    Ok(out)
}

fn to_record(row: RecordRow) -> Result<(TenantId, StoredRecord)> {
    let (tenant, record, collection, values, stamps, seq) = row;
    let collection = parse_collection(&collection)?;
    Ok((
        parse(tenant, "tenant id")?,
        StoredRecord::from_columns(parse(record, "record id")?, collection, &values, &stamps, u(seq))?,
    ))
}

/// A page of the device's tenant's records changed after server seq `after`, of one
/// collection or all. Only a pull of all of them moves the device's `pulled_seq` (so
/// `tx` is a write transaction then).
fn pull_in(
    tx: &Transaction<'_>,
    device: DeviceId,
    collection: Option<Collection>,
    after: u64,
    limit: u32,
) -> Result<PullPage> {
    let d = load_device(tx, device)?.ok_or(StorageError::NotFound("device"))?;
    if d.revoked_at_ms.is_some() {
        return Err(StorageError::DeviceRevoked);
    }
    let mut stmt = tx
        .prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE tenant = ?1 AND server_seq > ?2 AND (?4 IS NULL OR collection = ?4)
             ORDER BY server_seq LIMIT ?3"
        ))
        .map_err(db)?;
    let rows = stmt
        .query_map(
            params![d.tenant.to_string(), after as i64, limit as i64 + 1, collection.map(Collection::as_str)],
            record_row,
        )
        .map_err(db)?
        .map(|r| pulled(r.map_err(db)?))
        .collect::<Result<Vec<_>>>()?;
    let more = rows.len() > limit as usize;
    let page: Vec<(u64, PulledRecord)> = rows.into_iter().take(limit as usize).collect();
    let end_cursor = page.last().map(|(seq, _)| *seq).unwrap_or(after);
    if collection.is_none() {
        // Only when it moves: a pull that confirms nothing new writes nothing.
        tx.execute(
            "UPDATE devices SET pulled_seq = ?2 WHERE id = ?1 AND pulled_seq < ?2",
            params![device.to_string(), after as i64],
        )
        .map_err(db)?;
    }
    Ok(PullPage {
        records: page.into_iter().map(|(_, r)| r).collect(),
        end_cursor,
        more,
        summary: None,
        remaining: None,
    })
}

/// The tenant's checksums as `tx` reads them.
fn checksums_in(tx: &Transaction<'_>, tenant: TenantId) -> Result<Checksums> {
    let cursor: i64 = tx
        .prepare_cached("SELECT last_seq FROM tenants WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([tenant.to_string()], |r| r.get(0)).optional())
        .map_err(db)?
        .ok_or(StorageError::NotFound("tenant"))?;
    let mut stmt = tx
        .prepare_cached(
            "SELECT c.collection, c.fields, c.digest, coalesce(p.generation, 0) FROM checksums c
             LEFT JOIN repulls p ON p.tenant = c.tenant AND p.collection = c.collection
             WHERE c.tenant = ?1 AND c.fields > 0 ORDER BY c.collection",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map([tenant.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
        })
        .map_err(db)?;
    let mut collections = Vec::new();
    for row in rows {
        let (c, fields, digest, generation) = row.map_err(db)?;
        let collection = parse_collection(&c)?;
        collections.push(CollectionChecksum {
            collection,
            fields: u(fields),
            digest: FieldDigest { fields: u(fields), sum: digest as u64 }.sum_hex(),
            repull_generation: u(generation),
        });
    }
    Ok(Checksums { cursor: u(cursor), collections })
}

/// A record row as a pull sends it, with its server seq.
fn pulled(row: RecordRow) -> Result<(u64, PulledRecord)> {
    let (_, record, collection, values, stamps, seq) = row;
    let collection = parse_collection(&collection)?;
    Ok((u(seq), StoredRecord::pulled_from_columns(parse(record, "record id")?, collection, values, &stamps)?))
}

/// The parts of a blob overlapping bytes `[start, end)`, in order.
fn blob_parts(tx: &Transaction<'_>, tenant: &str, sha256: &str, start: u64, end: u64) -> Result<Vec<(u64, Vec<u8>)>> {
    let mut stmt = tx
        .prepare_cached(
            "SELECT start, bytes FROM blob_parts WHERE tenant = ?1 AND sha256 = ?2 AND start < ?4 AND start + length(bytes) > ?3 ORDER BY start",
        )
        .map_err(db)?;
    stmt.query_map(params![tenant, sha256, start as i64, end as i64], |r| {
        Ok((u(r.get::<_, i64>(0)?), r.get::<_, Vec<u8>>(1)?))
    })
    .map_err(db)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(db)
}

fn is_unique_violation(e: &rusqlite::Error, column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg))
        if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains(column))
}

// ---- the trait -----------------------------------------------------------------------

impl ServerStorage for SqliteStorage {
    async fn ping(&self) -> Result<()> {
        self.read(|tx| tx.query_row("SELECT 1", [], |_| Ok(())).map_err(db)).await
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn create_tenant(&self, id: TenantId, name: &str, audit: AuditContext) -> Result<Tenant> {
        let tenant = Tenant { id, name: name.to_owned(), created_at_ms: audit.at_ms, office: Default::default() };
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO tenants (id, name, created_at_ms, audit_head) VALUES (?1, ?2, ?3, ?4)",
                params![tenant.id.to_string(), tenant.name, tenant.created_at_ms as i64, AUDIT_GENESIS],
            )
            .map_err(db)?;
            append_audit(tx, tenant.id, &audit)?;
            Ok(tenant)
        })
        .await
    }

    async fn tenants(&self) -> Result<Vec<Tenant>> {
        self.read(|tx| {
            let mut stmt =
                tx.prepare(&format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY created_at_ms, id")).map_err(db)?;
            let rows = stmt.query_map([], tenant_row).map_err(db)?;
            rows.map(|r| to_tenant(r.map_err(db)?)).collect()
        })
        .await
    }

    async fn tenant(&self, id: TenantId) -> Result<Option<Tenant>> {
        self.read(move |tx| load_tenant(tx, id)).await
    }

    async fn set_office(&self, id: TenantId, office: OfficeSettings, audit: AuditContext) -> Result<Tenant> {
        self.write(move |tx| {
            let changed = tx
                .execute(
                    "UPDATE tenants SET office = ?2 WHERE id = ?1",
                    params![id.to_string(), office_column(&office)],
                )
                .map_err(db)?;
            if changed == 0 {
                return Err(StorageError::NotFound("organisation"));
            }
            append_audit(tx, id, &audit)?;
            load_tenant(tx, id)?.ok_or(StorageError::NotFound("organisation"))
        })
        .await
    }

    async fn create_user(&self, user: NewUser, audit: AuditContext) -> Result<User> {
        self.write(move |tx| {
            let email = normalised_email(&user.email);
            let inserted = tx.execute(
                "INSERT INTO users (id, tenant, email, name, role, password_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    user.id.to_string(),
                    user.tenant.to_string(),
                    email,
                    user.name,
                    user.role.as_str(),
                    user.password_hash,
                    audit.at_ms as i64
                ],
            );
            match inserted {
                Err(e) if is_unique_violation(&e, "users.email") => return Err(StorageError::EmailTaken),
                Err(e) if matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation) => {
                    return Err(StorageError::NotFound("tenant"));
                }
                other => other.map_err(db)?,
            };
            append_audit(tx, user.tenant, &audit)?;
            load_user(tx, user.id)?.ok_or(StorageError::NotFound("user"))
        })
        .await
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.read(move |tx| load_user(tx, id)).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let email = normalised_email(email);
        self.read(move |tx| {
            tx.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"), [email], user_row)
                .optional()
                .map_err(db)?
                .map(to_user)
                .transpose()
        })
        .await
    }

    async fn users(&self, tenant: TenantId) -> Result<Vec<User>> {
        self.read(move |tx| {
            let mut stmt = tx
                .prepare(&format!("SELECT {USER_COLUMNS} FROM users WHERE tenant = ?1 ORDER BY email"))
                .map_err(db)?;
            let rows = stmt.query_map([tenant.to_string()], user_row).map_err(db)?;
            rows.map(|r| to_user(r.map_err(db)?)).collect()
        })
        .await
    }

    async fn update_user(&self, id: UserId, change: UserChange, audit: Option<AuditContext>) -> Result<User> {
        self.write(move |tx| {
            let user = load_user(tx, id)?.ok_or(StorageError::NotFound("user"))?;
            let key = id.to_string();
            // Writes run one at a time here, so the count cannot change under the check.
            if change.takes_an_admin_away(&user) {
                let others: i64 = tx
                    .query_row(
                        "SELECT count(*) FROM users WHERE tenant = ?1 AND role = 'admin' AND disabled = 0 AND id <> ?2",
                        params![user.tenant.to_string(), key],
                        |r| r.get(0),
                    )
                    .map_err(db)?;
                if others == 0 {
                    return Err(StorageError::LastAdmin);
                }
            }
            let n = match &change {
                UserChange::SetRole(role) => tx.execute("UPDATE users SET role = ?2 WHERE id = ?1", params![key, role.as_str()]),
                UserChange::SetDisabled(d) => tx.execute("UPDATE users SET disabled = ?2 WHERE id = ?1", params![key, d]),
                UserChange::SetPasswordHash(h) => tx.execute(
                    "UPDATE users SET password_hash = ?2, failed_sign_ins = 0, locked_until_ms = NULL WHERE id = ?1",
                    params![key, h],
                ),
                UserChange::SignInFailed { lock_until_ms } => tx.execute(
                    "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_until_ms = coalesce(?2, locked_until_ms) WHERE id = ?1",
                    params![key, lock_until_ms.map(|t| t as i64)],
                ),
                UserChange::SignInSucceeded => {
                    tx.execute("UPDATE users SET failed_sign_ins = 0, locked_until_ms = NULL WHERE id = ?1", params![key])
                }
            }
            .map_err(db)?;
            debug_assert_eq!(n, 1);
            if let Some(audit) = &audit {
                append_audit(tx, user.tenant, audit)?;
            }
            load_user(tx, id)?.ok_or(StorageError::NotFound("user"))
        })
        .await
    }

    async fn register_device(&self, device: NewDevice, audit: AuditContext) -> Result<Device> {
        self.write(move |tx| {
            if let Some(existing) = load_device(tx, device.id)? {
                if existing.user != device.user {
                    return Err(StorageError::DeviceTaken);
                }
                if existing.revoked_at_ms.is_some() {
                    return Err(StorageError::DeviceRevoked);
                }
                tx.execute(
                    "UPDATE devices SET token_hash = ?2, name = ?3 WHERE id = ?1",
                    params![device.id.to_string(), device.token_hash, device.name],
                )
                .map_err(db)?;
            } else {
                tx.execute(
                    "INSERT INTO devices (id, tenant, user_id, name, token_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        device.id.to_string(),
                        device.tenant.to_string(),
                        device.user.to_string(),
                        device.name,
                        device.token_hash,
                        audit.at_ms as i64
                    ],
                )
                .map_err(db)?;
            }
            append_audit(tx, device.tenant, &audit)?;
            load_device(tx, device.id)?.ok_or(StorageError::NotFound("device"))
        })
        .await
    }

    async fn device(&self, id: DeviceId) -> Result<Option<Device>> {
        self.read(move |tx| load_device(tx, id)).await
    }

    async fn device_by_token_hash(&self, token_hash: &str) -> Result<Option<Device>> {
        let token_hash = token_hash.to_owned();
        self.read(move |tx| device_by_token_hash(tx, &token_hash)).await
    }

    /// In one read: every request asks this first, and three trips to a reader's
    /// thread were most of a request with nothing to do.
    async fn caller_by_token_hash(&self, token_hash: &str) -> Result<Option<(Device, User, Tenant)>> {
        let token_hash = token_hash.to_owned();
        self.read(move |tx| {
            let Some(device) = device_by_token_hash(tx, &token_hash)? else { return Ok(None) };
            let Some(user) = load_user(tx, device.user)? else { return Ok(None) };
            let Some(tenant) = load_tenant(tx, device.tenant)? else { return Ok(None) };
            Ok(Some((device, user, tenant)))
        })
        .await
    }

    async fn devices(&self, tenant: TenantId) -> Result<Vec<Device>> {
        self.read(move |tx| {
            let mut stmt = tx
                .prepare(&format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE tenant = ?1 ORDER BY created_at_ms, id"))
                .map_err(db)?;
            let rows = stmt.query_map([tenant.to_string()], device_row).map_err(db)?;
            rows.map(|r| to_device(r.map_err(db)?)).collect()
        })
        .await
    }

    async fn revoke_device(&self, id: DeviceId, audit: AuditContext) -> Result<Device> {
        self.write(move |tx| {
            let device = load_device(tx, id)?.ok_or(StorageError::NotFound("device"))?;
            tx.execute(
                "UPDATE devices SET revoked_at_ms = coalesce(revoked_at_ms, ?2) WHERE id = ?1",
                params![id.to_string(), audit.at_ms as i64],
            )
            .map_err(db)?;
            append_audit(tx, device.tenant, &audit)?;
            load_device(tx, id)?.ok_or(StorageError::NotFound("device"))
        })
        .await
    }

    async fn note_contact(&self, id: DeviceId, contact: Contact) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE devices SET last_seen_ms = max(coalesce(last_seen_ms, 0), ?2),
                 app_version = coalesce(?3, app_version), outbox_seq = max(outbox_seq, coalesce(?4, 0)) WHERE id = ?1",
                params![
                    id.to_string(),
                    contact.at_ms as i64,
                    contact.app_version,
                    contact.outbox_seq.map(|s| s as i64)
                ],
            )
            .map_err(db)?;
            Ok(())
        })
        .await
    }

    async fn push(
        &self,
        device: DeviceId,
        batch: PushRequest,
        rules: PushRules,
        audit: AuditContext,
    ) -> Result<PushResponse> {
        let bulk = batch.changes.len() >= BULK_PUSH;
        let answer = self.write(move |tx| {
            let d = load_device(tx, device)?.ok_or(StorageError::NotFound("device"))?;
            let state = DeviceState { id: d.id, applied_seq: d.applied_seq, revoked: d.revoked_at_ms.is_some() };
            let tenant = d.tenant.to_string();
            let mut current = HashMap::new();
            if !state.revoked {
                for record in records_in(tx, &tenant, &push::records_to_read(&batch, d.applied_seq))? {
                    current.insert(record.record, record);
                }
            }
            let plan = push::plan_push(&state, &batch, current, &rules)?;
            let base: i64 = tx.query_row("SELECT last_seq FROM tenants WHERE id = ?1", [&tenant], |r| r.get(0)).map_err(db)?;
            {
                let mut upsert = tx
                    .prepare_cached(
                        "INSERT INTO records (tenant, record, collection, doc, stamps, server_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                         ON CONFLICT (tenant, record) DO UPDATE SET doc = excluded.doc, stamps = excluded.stamps, server_seq = excluded.server_seq",
                    )
                    .map_err(db)?;
                for w in &plan.writes {
                    let seq = base + w.seq_offset as i64;
                    upsert.execute(params![tenant, w.record.to_string(), w.collection.as_str(), w.values, w.stamps, seq]).map_err(db)?;
                }
            }
            for (collection, (count, sum)) in &plan.checksums {
                let (fields, digest): (i64, i64) = tx
                    .query_row(
                        "SELECT fields, digest FROM checksums WHERE tenant = ?1 AND collection = ?2",
                        params![tenant, collection.as_str()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .map_err(db)?
                    .unwrap_or((0, 0));
                tx.execute(
                    "INSERT INTO checksums (tenant, collection, fields, digest) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (tenant, collection) DO UPDATE SET fields = excluded.fields, digest = excluded.digest",
                    params![tenant, collection.as_str(), fields + count, (digest as u64).wrapping_add(*sum) as i64],
                )
                .map_err(db)?;
            }
            tx.execute(
                "UPDATE devices SET applied_seq = ?2, last_seen_ms = ?3 WHERE id = ?1",
                params![device.to_string(), plan.applied_seq as i64, audit.at_ms as i64],
            )
            .map_err(db)?;
            tx.execute("UPDATE tenants SET last_seq = ?2 WHERE id = ?1", params![tenant, base + plan.seqs as i64]).map_err(db)?;
            append_audits(tx, d.tenant, &audit.of_push(&plan, &batch))?;
            Ok(plan.answer(u(base)))
        })
        .await?;
        if bulk {
            self.checkpoint_beside_writer();
        }
        Ok(answer)
    }

    async fn pull(&self, device: DeviceId, after: u64, limit: u32) -> Result<PullPage> {
        self.write_unflushed(move |tx| pull_in(tx, device, None, after, limit)).await
    }

    /// The page and the summary in one transaction: one trip to the writer's thread
    /// instead of two, which were most of a pull with nothing to send.
    async fn pull_with_summary(&self, device: DeviceId, tenant: TenantId, after: u64, limit: u32) -> Result<PullPage> {
        self.write_unflushed(move |tx| {
            let mut page = pull_in(tx, device, None, after, limit)?;
            if !page.more {
                page.summary = Some(checksums_in(tx, tenant)?.summary());
            }
            Ok(page)
        })
        .await
    }

    async fn pull_collection(
        &self,
        device: DeviceId,
        collection: Collection,
        after: u64,
        limit: u32,
    ) -> Result<PullPage> {
        self.read(move |tx| pull_in(tx, device, Some(collection), after, limit)).await
    }

    async fn records_after(&self, tenant: TenantId, collection: Option<Collection>, after: u64) -> Result<u64> {
        self.read(move |tx| {
            tx.prepare_cached(
                "SELECT count(*) FROM records WHERE tenant = ?1 AND server_seq > ?2 AND (?3 IS NULL OR collection = ?3)",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![tenant.to_string(), after as i64, collection.map(Collection::as_str)], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .map(u)
            .map_err(db)
        })
        .await
    }

    async fn request_repull(&self, tenant: TenantId, collection: Collection, audit: AuditContext) -> Result<u64> {
        self.write(move |tx| {
            let generation: i64 = tx
                .query_row(
                    "INSERT INTO repulls (tenant, collection, generation) VALUES (?1, ?2, 1)
                     ON CONFLICT (tenant, collection) DO UPDATE SET generation = generation + 1 RETURNING generation",
                    params![tenant.to_string(), collection.as_str()],
                    |r| r.get(0),
                )
                .map_err(db)?;
            append_audit(tx, tenant, &audit)?;
            Ok(u(generation))
        })
        .await
    }

    async fn records(&self, tenant: TenantId, records: Vec<RecordId>) -> Result<Vec<StoredRecord>> {
        self.read(move |tx| records_in(tx, &tenant.to_string(), &records)).await
    }

    async fn checksums(&self, tenant: TenantId) -> Result<Checksums> {
        self.read(move |tx| checksums_in(tx, tenant)).await
    }

    async fn append_audit(&self, tenant: TenantId, audit: AuditContext) -> Result<AuditRecord> {
        self.write(move |tx| append_audit(tx, tenant, &audit)).await
    }

    async fn append_device_events(&self, device: DeviceId, events: Vec<(u64, AuditContext)>) -> Result<u64> {
        self.write(move |tx| {
            let tenant = load_device(tx, device)?.ok_or(StorageError::NotFound("device"))?.tenant;
            let applied: i64 = tx
                .query_row("SELECT events_applied_seq FROM devices WHERE id = ?1", [device.to_string()], |r| r.get(0))
                .map_err(db)?;
            let (fresh, last) = fresh_events(events, applied as u64);
            append_audits(tx, tenant, &fresh)?;
            tx.execute(
                "UPDATE devices SET events_applied_seq = ?2 WHERE id = ?1",
                params![device.to_string(), last as i64],
            )
            .map_err(db)?;
            Ok(last)
        })
        .await
    }

    async fn audit_entries(&self, tenant: TenantId, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditRecord>> {
        let f = filter.clone();
        // A record's entries through the index on (tenant, record), named: without
        // statistics SQLite walks the whole log by seq instead, and an `?9 IS NULL OR`
        // term hides the index from it.
        let (index, record) = match f.record {
            Some(_) => ("INDEXED BY audit_by_record", "record = ?9"),
            None => ("", "?9 IS NULL"),
        };
        self.read(move |tx| {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit {index} WHERE tenant = ?1 AND seq > ?2 AND {record}
                     AND (?3 IS NULL OR user_id = ?3) AND (?4 IS NULL OR device_id = ?4)
                     AND (?5 IS NULL OR action = ?5) AND (?6 IS NULL OR at_ms >= ?6) AND (?7 IS NULL OR at_ms < ?7)
                     ORDER BY seq LIMIT ?8"
                ))
                .map_err(db)?;
            let rows = stmt
                .query_map(
                    params![
                        tenant.to_string(),
                        f.after as i64,
                        f.user.map(|x| x.to_string()),
                        f.device.map(|x| x.to_string()),
                        f.action,
                        f.from_ms.map(|t| t as i64),
                        f.to_ms.map(|t| t as i64),
                        limit as i64,
                        f.record.map(|r| r.to_string())
                    ],
                    audit_row,
                )
                .map_err(db)?;
            rows.map(|r| to_audit(r.map_err(db)?)).collect()
        })
        .await
    }

    async fn blob_status(&self, tenant: TenantId, sha256: String) -> Result<Option<BlobStatus>> {
        self.read(move |tx| {
            let row: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT size, received FROM blobs WHERE tenant = ?1 AND sha256 = ?2",
                    params![tenant.to_string(), sha256],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(db)?;
            Ok(row.map(|(size, received)| blob::status(&sha256, u(size), u(received))))
        })
        .await
    }

    async fn put_blob_part(&self, tenant: TenantId, part: BlobPart, audit: AuditContext) -> Result<BlobStatus> {
        // The inner Result carries a digest mismatch out of a transaction that commits
        // (the discarded upload must stay discarded).
        self.write(move |tx| {
            let t = tenant.to_string();
            let stored: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT size, received FROM blobs WHERE tenant = ?1 AND sha256 = ?2",
                    params![t, part.sha256],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(db)?;
            let (create, completes) = match blob::plan_part(stored.map(|(s, r)| (u(s), u(r))), &part)? {
                PartPlan::Complete(status) => return Ok(Ok(status)),
                PartPlan::Append { create, completes } => (create, completes),
            };
            if create {
                tx.execute(
                    "INSERT INTO blobs (tenant, sha256, size, received, created_at_ms) VALUES (?1, ?2, ?3, 0, ?4)",
                    params![t, part.sha256, part.size as i64, audit.at_ms as i64],
                )
                .map_err(db)?;
            }
            let received = part.offset + part.bytes.len() as u64;
            if !part.bytes.is_empty() {
                tx.execute(
                    "INSERT INTO blob_parts (tenant, sha256, start, bytes) VALUES (?1, ?2, ?3, ?4)",
                    params![t, part.sha256, part.offset as i64, part.bytes],
                )
                .map_err(db)?;
            }
            if completes {
                let parts = blob_parts(tx, &t, &part.sha256, 0, part.size)?;
                if !blob::digest_matches(parts.iter().map(|(_, b)| b), &part.sha256) {
                    // Discarded and committed: the laptop starts this file again.
                    tx.execute("DELETE FROM blob_parts WHERE tenant = ?1 AND sha256 = ?2", params![t, part.sha256])
                        .map_err(db)?;
                    tx.execute("DELETE FROM blobs WHERE tenant = ?1 AND sha256 = ?2", params![t, part.sha256])
                        .map_err(db)?;
                    return Ok(Err(StorageError::DigestMismatch(part.sha256)));
                }
                append_audit(tx, tenant, &audit)?;
            }
            tx.execute(
                "UPDATE blobs SET received = ?3 WHERE tenant = ?1 AND sha256 = ?2",
                params![t, part.sha256, received as i64],
            )
            .map_err(db)?;
            Ok(Ok(blob::status(&part.sha256, part.size, received)))
        })
        .await?
    }

    async fn read_blob(&self, tenant: TenantId, sha256: String, start: u64, end: u64) -> Result<Option<Vec<u8>>> {
        self.read(move |tx| {
            let t = tenant.to_string();
            let size: Option<i64> = tx
                .query_row(
                    "SELECT size FROM blobs WHERE tenant = ?1 AND sha256 = ?2 AND received = size",
                    params![t, sha256],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db)?;
            let Some(size) = size else { return Ok(None) };
            let end = end.min(u(size));
            if start >= end {
                return Ok(Some(Vec::new()));
            }
            Ok(Some(blob::cut_range(&blob_parts(tx, &t, &sha256, start, end)?, start, end)))
        })
        .await
    }

    async fn missing_blobs(&self, tenant: TenantId, sha256s: Vec<String>) -> Result<Vec<String>> {
        self.read(move |tx| {
            let mut stmt = tx
                .prepare_cached("SELECT 1 FROM blobs WHERE tenant = ?1 AND sha256 = ?2 AND received = size")
                .map_err(db)?;
            let mut missing = Vec::new();
            for sha in sha256s {
                if !stmt.exists(params![tenant.to_string(), sha]).map_err(db)? {
                    missing.push(sha);
                }
            }
            Ok(missing)
        })
        .await
    }

    async fn export(&self) -> Result<Dump> {
        self.read(|tx| {
            let mut dump = Dump { format: DUMP_FORMAT, ..Dump::default() };
            let mut stmt = tx.prepare(&format!("SELECT {TENANT_COLUMNS}, last_seq FROM tenants")).map_err(db)?;
            let rows = stmt.query_map([], |r| Ok((tenant_row(r)?, r.get::<_, i64>(4)?))).map_err(db)?;
            for row in rows {
                let (t, last_seq) = row.map_err(db)?;
                let t = to_tenant(t)?;
                dump.tenant_states.push(TenantState { tenant: t.id, last_seq: u(last_seq) });
                dump.tenants.push(t);
            }
            let mut stmt = tx.prepare(&format!("SELECT {USER_COLUMNS} FROM users")).map_err(db)?;
            for row in stmt.query_map([], user_row).map_err(db)? {
                dump.users.push(to_user(row.map_err(db)?)?);
            }
            let mut stmt = tx.prepare(&format!("SELECT {DEVICE_COLUMNS} FROM devices")).map_err(db)?;
            for row in stmt.query_map([], device_row).map_err(db)? {
                dump.devices.push(to_device(row.map_err(db)?)?);
            }
            let mut stmt = tx.prepare(&format!("SELECT {RECORD_COLUMNS} FROM records")).map_err(db)?;
            for row in stmt.query_map([], record_row).map_err(db)? {
                let (tenant, record) = to_record(row.map_err(db)?)?;
                dump.fields.extend(StoredField::of_record(&record, tenant));
            }
            let mut stmt = tx.prepare(&format!("SELECT {AUDIT_COLUMNS} FROM audit")).map_err(db)?;
            for row in stmt.query_map([], audit_row).map_err(db)? {
                dump.audit.push(to_audit(row.map_err(db)?)?);
            }
            let mut stmt = tx
                .prepare("SELECT tenant, sha256, size, created_at_ms FROM blobs WHERE received = size")
                .map_err(db)?;
            let complete = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
                })
                .map_err(db)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(db)?;
            for (tenant, sha256, size, created) in complete {
                let parts = blob_parts(tx, &tenant, &sha256, 0, u(size))?;
                let bytes = blob::cut_range(&parts, 0, u(size));
                dump.blobs.push(StoredBlob {
                    tenant: parse(tenant, "tenant id")?,
                    sha256,
                    created_at_ms: u(created),
                    bytes,
                });
            }
            let mut stmt = tx.prepare("SELECT tenant, collection, generation FROM repulls").map_err(db)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))
                .map_err(db)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(db)?;
            for (tenant, c, generation) in rows {
                let collection = parse_collection(&c)?;
                dump.repulls.push(RepullGeneration {
                    tenant: parse(tenant, "tenant id")?,
                    collection,
                    generation: u(generation),
                });
            }
            Ok(dump.normalised())
        })
        .await
    }

    async fn import(&self, dump: &Dump) -> Result<()> {
        let dump = dump.clone();
        self.write(move |tx| {
            let tenants: i64 = tx.query_row("SELECT count(*) FROM tenants", [], |r| r.get(0)).map_err(db)?;
            dump.check_restorable(tenants)?;
            for h in dump.tenant_heads() {
                tx.execute(
                    "INSERT INTO tenants (id, name, created_at_ms, last_seq, audit_seq, audit_head, office)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        h.tenant.id.to_string(),
                        h.tenant.name,
                        h.tenant.created_at_ms as i64,
                        h.last_seq as i64,
                        h.audit_seq as i64,
                        h.audit_head,
                        office_column(&h.tenant.office)
                    ],
                )
                .map_err(db)?;
            }
            for x in &dump.users {
                tx.execute(
                    &format!("INSERT INTO users ({USER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
                    params![
                        x.id.to_string(),
                        x.tenant.to_string(),
                        x.email,
                        x.name,
                        x.role.as_str(),
                        x.disabled,
                        x.password_hash,
                        x.failed_sign_ins as i64,
                        x.locked_until_ms.map(|t| t as i64),
                        x.created_at_ms as i64
                    ],
                )
                .map_err(db)?;
            }
            for x in &dump.devices {
                tx.execute(
                    &format!(
                        "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                    ),
                    params![
                        x.id.to_string(),
                        x.tenant.to_string(),
                        x.user.to_string(),
                        x.name,
                        x.token_hash,
                        x.created_at_ms as i64,
                        x.revoked_at_ms.map(|t| t as i64),
                        x.applied_seq as i64,
                        x.pulled_seq as i64,
                        x.last_seen_ms.map(|t| t as i64),
                        x.app_version,
                        x.outbox_seq as i64
                    ],
                )
                .map_err(db)?;
            }
            for (tenant, r) in StoredField::group(&dump.fields) {
                let (values, stamps) = r.to_columns();
                tx.execute(
                    &format!("INSERT INTO records ({RECORD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                    params![tenant.to_string(), r.record.to_string(), r.collection.as_str(), values, stamps, r.server_seq as i64],
                )
                .map_err(db)?;
            }
            // Checksums are derived: recomputed from the fields, never trusted from a file.
            for ((tenant, collection), d) in dump.checksums() {
                tx.execute(
                    "INSERT INTO checksums (tenant, collection, fields, digest) VALUES (?1, ?2, ?3, ?4)",
                    params![tenant.to_string(), collection.as_str(), d.fields as i64, d.sum as i64],
                )
                .map_err(db)?;
            }
            for a in &dump.audit {
                insert_audit(tx, a)?;
            }
            for b in &dump.blobs {
                // A backup's blob is checked like an upload: its bytes must match its address.
                if !blob::digest_matches([&b.bytes], &b.sha256) {
                    return Err(StorageError::Corrupt(format!("blob {} does not match its bytes", b.sha256)));
                }
                tx.execute(
                    "INSERT INTO blobs (tenant, sha256, size, received, created_at_ms) VALUES (?1, ?2, ?3, ?3, ?4)",
                    params![b.tenant.to_string(), b.sha256, b.bytes.len() as i64, b.created_at_ms as i64],
                )
                .map_err(db)?;
                tx.execute(
                    "INSERT INTO blob_parts (tenant, sha256, start, bytes) VALUES (?1, ?2, 0, ?3)",
                    params![b.tenant.to_string(), b.sha256, b.bytes],
                )
                .map_err(db)?;
            }
            for r in &dump.repulls {
                tx.execute(
                    "INSERT INTO repulls (tenant, collection, generation) VALUES (?1, ?2, ?3)",
                    params![r.tenant.to_string(), r.collection.as_str(), r.generation as i64],
                )
                .map_err(db)?;
            }
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    /// An answered push must survive a power cut: the writer commits to disk before the
    /// answer (synchronous FULL; NORMAL may lose the last commits in WAL mode).
    #[test]
    fn the_writer_commits_to_disk_before_answering() {
        let dir = tempfile::tempdir().unwrap();
        let storage = super::SqliteStorage::open(&dir.path().join("server.db")).unwrap();
        let writer = storage.writer.lock().unwrap();
        let synchronous: i64 = writer.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(synchronous, 2, "FULL");
        let mode: String = writer.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }

    /// After a bulk push the log is copied into the database file beside the writer,
    /// though it is far below the 1 000 pages at which the writer copies it itself.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bulk_push_reaches_the_database_file_beside_the_writer() {
        use saite_server_storage::ServerStorage;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        let storage = super::SqliteStorage::open(&path).unwrap();
        let (device, push, audit) =
            saite_server_conformance::device_and_bulk_push(&storage, super::BULK_PUSH as u128).await;
        let before = std::fs::metadata(&path).unwrap().len();
        storage.push(device, push, saite_server_storage::PushRules::at(audit.at_ms), audit).await.unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::fs::metadata(&path).unwrap().len() == before {
            assert!(
                std::time::Instant::now() < deadline,
                "the database file still holds only what it held before the push"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let wal = std::fs::metadata(dir.path().join("server.db-wal")).unwrap().len();
        assert!(wal < 1_000 * 4096, "the log ({wal} bytes) stayed below the writer's own checkpoint");
    }

    /// A pull writes its bookkeeping unflushed, then the writer flushes every commit again,
    /// also when the pull failed.
    #[tokio::test]
    async fn a_pull_leaves_the_writer_flushing_its_commits() {
        use saite_server_storage::ServerStorage;
        let dir = tempfile::tempdir().unwrap();
        let storage = super::SqliteStorage::open(&dir.path().join("server.db")).unwrap();
        let unknown = saite_domain::DeviceId::from(uuid::Uuid::from_u128(7));
        assert!(storage.pull(unknown, 0, 10).await.is_err(), "no such device");
        let writer = storage.writer.lock().unwrap();
        let synchronous: i64 = writer.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(synchronous, 2, "FULL after a failed pull");
    }
}
