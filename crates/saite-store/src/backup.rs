//! Backups on a stick: the whole store in one file sealed under a backup passphrase, and
//! its restore on a laptop that has no store (a new one, or one wiped).
//!
//! Glossary:
//! - **backup file**: [`MAGIC`], a length-prefixed JSON header ([`BackupHeader`]) and a
//!   copy of the database that `sqlcipher_export` wrote under a fresh random key
//!   (records, history, outbox, attachments: everything the store holds). The header
//!   seals that key with the copy's SHA-256 and length under the backup passphrase
//!   (Argon2id + XChaCha20-Poly1305, as the key file seals the data key), so a wrong
//!   passphrase, or any byte changed anywhere in the file, is refused before anything is
//!   written.
//! - **covered change**: an unsynced change the last backup holds (its outbox seq is at
//!   most the backup's `through` seq); the reminder counts only those not covered.
//! - **adoption**: a restored store takes a new device id. The laptop the backup came
//!   from may live on, or be revoked as lost; two stores stamping as one device would
//!   issue equal stamps for different edits, and a revoked id would wipe the restored
//!   laptop at its first round. Its unsynced changes keep their times but name the new
//!   device, and count as never pushed (acknowledged seq 0), so the server is sent them
//!   all. The new id sorts before the old one ([`DeviceId::sorting_before`]): where the
//!   old laptop pushed a change after the backup, the server holds it under the same
//!   time, and the adopted copy loses the tie, so it changes nothing there; later edits
//!   anywhere still win, and no record is doubled.
//! - **left out**: sync values a backup must not carry, such as the device token (a
//!   stick and its passphrase must not reach the server); the sync engine names them.

use std::{
    fs,
    io::{BufReader, BufWriter, Read, Write},
    path::Path,
    sync::Arc,
};

use base64::{Engine, engine::general_purpose::STANDARD as B64};
use rusqlite::{OptionalExtension, params};
use saite_domain::{Clock, DeviceId, Hlc, HlcGenerator};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    Result, Store, StoreError,
    key::{DataKey, KEY_LEN, KdfParams, KeyFile, PageHmac, Sealed},
    store::{meta, meta_number, set_meta},
};

/// The first bytes of every backup file, and the version of its layout.
pub const MAGIC: &[u8; 16] = b"SAITE BACKUP 01\n";
/// What a backup file's name ends with.
pub const EXTENSION: &str = "saite-backup";
/// A header longer than this is not a Saite backup's.
const MAX_HEADER: u32 = 64 * 1024;
/// Argon2id costs above these are refused (the app writes [`KdfParams::DEFAULT`]): a
/// crafted header must not hold the laptop for minutes or exhaust its memory before the
/// passphrase is even checked.
const MAX_KDF: KdfParams = KdfParams { memory_kib: 256 * 1024, iterations: 12, parallelism: 4 };
const LAST_BACKUP_MS: &str = "backup:last_ms";
const LAST_BACKUP_THROUGH: &str = "backup:through_seq";

/// The part of a backup file before the database copy (JSON). Only `made_at_ms` is
/// readable without the passphrase; it is bound to the sealed part, so it cannot be
/// changed unnoticed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BackupHeader {
    made_at_ms: u64,
    /// The store's schema version: a backup of a newer app is refused before anything
    /// is written.
    schema: u32,
    kdf: KdfParams,
    salt: String,
    nonce: String,
    /// The copy's data key, SHA-256 and length in bytes (little-endian), sealed.
    sealed: String,
}

/// What "Back up now" wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct BackupMade {
    pub path: String,
    pub bytes: u64,
    pub made_at_ms: u64,
    /// Live records it holds.
    pub records: u64,
    /// Changes not yet synced that it holds.
    pub unsynced: u64,
    /// The outbox seq it holds through (what it covers).
    #[serde(skip)]
    #[ts(skip)]
    pub through_seq: i64,
}

/// A backup file found in a folder, as listed before the passphrase is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct BackupFound {
    pub path: String,
    pub bytes: u64,
    pub made_at_ms: u64,
}

/// The name a backup made at `now_ms` gets: `saite-2026-12-08-013005.saite-backup` (UTC).
pub fn backup_file_name(now_ms: u64) -> String {
    let at =
        time::OffsetDateTime::from_unix_timestamp((now_ms / 1000) as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "saite-{:04}-{:02}-{:02}-{:02}{:02}{:02}.{EXTENSION}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// What the seal binds besides the secret: the readable header fields.
fn aad(made_at_ms: u64, schema: u32) -> Vec<u8> {
    let mut aad = MAGIC.to_vec();
    aad.extend_from_slice(&made_at_ms.to_le_bytes());
    aad.extend_from_slice(&schema.to_le_bytes());
    aad
}

fn damaged(detail: impl Into<String>) -> StoreError {
    StoreError::BackupDamaged(detail.into())
}

/// Reads a backup file's header; the reader is left at the database copy.
fn read_header(file: &mut impl Read) -> Result<BackupHeader> {
    let mut magic = [0u8; 16];
    file.read_exact(&mut magic).map_err(|_| damaged("shorter than a header"))?;
    if &magic != MAGIC {
        return Err(damaged("not a Saite backup"));
    }
    let mut len = [0u8; 4];
    file.read_exact(&mut len).map_err(|_| damaged("shorter than a header"))?;
    let len = u32::from_le_bytes(len);
    if len > MAX_HEADER {
        return Err(damaged("header too long"));
    }
    let mut header = vec![0u8; len as usize];
    file.read_exact(&mut header).map_err(|_| damaged("shorter than its header"))?;
    serde_json::from_slice(&header).map_err(|e| damaged(format!("header: {e}")))
}

/// The backup file at `path`, if it is one (by its header; the passphrase is not asked).
pub fn find_backup(path: &Path) -> Option<BackupFound> {
    let mut file = fs::File::open(path).ok()?;
    let header = read_header(&mut file).ok()?;
    Some(BackupFound {
        path: path.display().to_string(),
        bytes: file.metadata().ok()?.len(),
        made_at_ms: header.made_at_ms,
    })
}

/// The backup files directly in any of `folders`, newest first, each once. A folder
/// that cannot be read has none.
pub fn backups_in<P: AsRef<Path>>(folders: impl IntoIterator<Item = P>) -> Vec<BackupFound> {
    let mut found: Vec<BackupFound> = folders
        .into_iter()
        .filter_map(|folder| fs::read_dir(folder).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == EXTENSION) && p.is_file())
        .filter_map(|p| find_backup(&p))
        .collect();
    found.sort_by(|a, b| b.made_at_ms.cmp(&a.made_at_ms).then(a.path.cmp(&b.path)));
    found.dedup_by(|a, b| a.path == b.path);
    found
}

fn remove_database(path: &Path) {
    let _ = crate::store::remove_database_files(path);
}

/// A copy of the store made for a backup ([`Store::backup_copy`]), beside the store and
/// encrypted under its own key; removed when dropped.
pub struct BackupCopy {
    path: std::path::PathBuf,
    key: DataKey,
    made_at_ms: u64,
    through_seq: i64,
    records: u64,
    unsynced: u64,
}

impl Drop for BackupCopy {
    fn drop(&mut self) {
        remove_database(&self.path);
    }
}

impl BackupCopy {
    /// Writes the backup file into `folder` (an existing folder, by its absolute path),
    /// sealed under `passphrase`. Needs no store: the slow part of a backup (hashing,
    /// Argon2id, writing to a stick) runs while the app goes on.
    pub fn write_to(self, folder: &Path, passphrase: &str, kdf: KdfParams) -> Result<BackupMade> {
        if passphrase.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        if !folder.is_absolute() || !folder.is_dir() {
            let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "not an existing folder");
            return Err(StoreError::BackupFolderUnusable(missing));
        }
        let target = folder.join(backup_file_name(self.made_at_ms));
        let bytes = write_backup_file(&self.path, &target, &self.key, passphrase, kdf, self.made_at_ms)?;
        Ok(BackupMade {
            path: target.display().to_string(),
            bytes,
            made_at_ms: self.made_at_ms,
            records: self.records,
            unsynced: self.unsynced,
            through_seq: self.through_seq,
        })
    }
}

impl Store {
    /// Writes a backup of this store into `folder` (see the module docs), sealed under
    /// `passphrase`, leaving out the sync values `left_out`, and notes it as the last
    /// backup: [`Store::backup_copy`], [`BackupCopy::write_to`], [`Store::note_backup`].
    /// The file appears under its name only once complete.
    pub fn back_up(&self, folder: &Path, passphrase: &str, kdf: KdfParams, left_out: &[&str]) -> Result<BackupMade> {
        let made = self.backup_copy(left_out)?.write_to(folder, passphrase, kdf)?;
        self.note_backup(&made)?;
        Ok(made)
    }

    /// Copies the store for a backup, without the sync values `left_out`, on a
    /// connection of its own (a snapshot; writes may go on meanwhile).
    pub fn backup_copy(&self, left_out: &[&str]) -> Result<BackupCopy> {
        let store_key =
            self.reader_key.as_ref().ok_or_else(|| StoreError::Corrupt("no key to read a backup with".into()))?;
        let made_at_ms = self.clock.now_ms();
        let key = DataKey::random(PageHmac::Sha256);
        let path = self.data_dir().join("backup-copy.db");
        remove_database(&path);
        let left_out: Vec<String> = left_out.iter().map(|k| format!("sync:{k}")).collect();
        // Made first, so the copy is removed on any error.
        let mut copy = BackupCopy { path, key, made_at_ms, through_seq: 0, records: 0, unsynced: 0 };
        let database = Store::database_path(self.data_dir());
        (copy.through_seq, copy.records, copy.unsynced) =
            export_copy(&database, store_key, &copy.path, &copy.key, made_at_ms, &left_out)?;
        Ok(copy)
    }

    /// Notes `made` as the last backup: what waits up to its seq is on the stick.
    pub fn note_backup(&self, made: &BackupMade) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        set_meta(&tx, LAST_BACKUP_MS, &made.made_at_ms.to_string())?;
        set_meta(&tx, LAST_BACKUP_THROUGH, &made.through_seq.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// When the last backup was made, if ever.
    pub fn last_backup_ms(&self) -> Result<Option<u64>> {
        Ok(meta(&self.conn, LAST_BACKUP_MS)?.and_then(|v| v.parse().ok()))
    }

    /// The stamp time of the oldest change not yet synced that no backup holds (see
    /// "covered change"), if any.
    pub fn oldest_unprotected_change_ms(&self) -> Result<Option<u64>> {
        let through: i64 = meta_number(&self.conn, LAST_BACKUP_THROUGH, "backed-up outbox seq")?;
        let oldest: Option<String> = self
            .conn
            .query_row("SELECT hlc FROM outbox WHERE device_seq > ?1 ORDER BY device_seq LIMIT 1", [through], |r| {
                r.get(0)
            })
            .optional()?;
        oldest
            .map(|h| h.parse::<Hlc>().map(|h| h.wall_ms).map_err(|_| StoreError::Corrupt("an outbox stamp".into())))
            .transpose()
    }

    /// Restores the backup at `backup` into `data_dir`, which must hold no store: the
    /// whole file is checked first (passphrase, then every byte), the store adopts a new
    /// device id (module docs), `prepare` runs on it (the sync engine forgets the
    /// account's token there), and only then is the key file written, wrapping the
    /// backup's key under the same passphrase. On any error the folder is left without
    /// a store, as it was.
    pub fn restore_backup(
        data_dir: &Path,
        backup: &Path,
        passphrase: &str,
        kdf: KdfParams,
        clock: Arc<dyn Clock>,
        author: &str,
        prepare: impl FnOnce(&mut Store) -> Result<()>,
    ) -> Result<Store> {
        if Store::status(data_dir) != crate::StoreStatus::NotCreated {
            return Err(StoreError::AlreadyExists);
        }
        if passphrase.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        let db = Store::database_path(data_dir);
        remove_database(&db);
        let result = (|| {
            // Checked whole under another name first: a restore cut short leaves no
            // database that would stop a fresh start.
            let restoring = data_dir.join("store.db.restoring");
            let copied = copy_checked(backup, passphrase, &restoring);
            let key = match copied {
                Ok(key) => key,
                Err(e) => {
                    let _ = fs::remove_file(&restoring);
                    return Err(e);
                }
            };
            fs::rename(&restoring, &db)?;
            let mut store = Store::open_with_key(data_dir, key.clone(), clock, author)?;
            store.adopt_new_device()?;
            prepare(&mut store)?;
            KeyFile::wrap(&key, passphrase, kdf)?.write(&crate::store::key_path(data_dir))?;
            Ok(store)
        })();
        if result.is_err() {
            remove_database(&db);
        }
        result
    }

    /// Gives this store a new device id (see "adoption"), in one transaction.
    fn adopt_new_device(&mut self) -> Result<()> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let device = DeviceId::sorting_before(self.hlc.device());
        let mut w = self.writer()?;
        let pending: Vec<(i64, String, String)> =
            w.tx.prepare("SELECT device_seq, record_id, hlc FROM outbox ORDER BY device_seq")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
        let mut changes = Vec::with_capacity(pending.len());
        for (seq, record, hlc) in pending {
            let old: Hlc = hlc.parse().map_err(|_| corrupt(format!("outbox {seq}: stamp")))?;
            changes.push((seq, record, old, Hlc { device, ..old }));
        }
        w.replace_outbox_stamps(&changes)?;
        let last = w.hlc.last();
        let through: i64 = w.tx.query_row("SELECT coalesce(max(device_seq), 0) FROM outbox", [], |r| r.get(0))?;
        // Exports waiting in the backup may have been sent from the old laptop already:
        // the audit is told where they come from.
        let old = w.hlc.device().to_string();
        w.tx.execute("UPDATE event_outbox SET detail = json_set(detail, '$.restoredFrom', ?1)", [&old])?;
        set_meta(&w.tx, "device_id", &device.to_string())?;
        set_meta(&w.tx, crate::read::ACKED_KEY, "0")?;
        set_meta(&w.tx, "hlc_last", &Hlc { device, ..last }.to_string())?;
        // Everything waiting came from the backup, so the backup holds it.
        set_meta(&w.tx, LAST_BACKUP_THROUGH, &through.to_string())?;
        w.commit()?;
        self.hlc = HlcGenerator::resume(device, last);
        Ok(())
    }
}

/// Copies the store's database at `store_db` (under `store_key`) to `copy` under
/// `copy_key` with `sqlcipher_export`, marks in the copy when it was made, and returns
/// the outbox seq it holds through, its live records and its unsynced changes.
fn export_copy(
    store_db: &Path,
    store_key: &DataKey,
    copy: &Path,
    copy_key: &DataKey,
    made_at_ms: u64,
    left_out: &[String],
) -> Result<(i64, u64, u64)> {
    let conn = crate::store::open_connection(store_db, Some(store_key))?;
    conn.execute(
        "ATTACH DATABASE ?1 AS backup KEY ?2",
        params![copy.display().to_string(), copy_key.raw_key_literal().as_str()],
    )?;
    conn.execute_batch("PRAGMA backup.cipher_hmac_algorithm = HMAC_SHA256")?;
    conn.query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))?;
    // The export copies tables, not the schema version the migrations count by.
    let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
    conn.execute_batch(&format!("PRAGMA backup.user_version = {version}"))?;
    conn.execute(
        "INSERT INTO backup.meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![LAST_BACKUP_MS, made_at_ms.to_string()],
    )?;
    for key in left_out {
        conn.execute("DELETE FROM backup.meta WHERE key = ?1", [key])?;
    }
    let counts = conn.query_row(
        "SELECT (SELECT coalesce(max(device_seq), 0) FROM backup.outbox),
                (SELECT count(*) FROM backup.records WHERE deleted = 0),
                (SELECT count(*) FROM backup.outbox)",
        [],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64, r.get::<_, i64>(2)? as u64)),
    )?;
    conn.execute_batch("DETACH DATABASE backup")?;
    Ok(counts)
}

/// Writes the backup file: header, then the copy, under a temporary name renamed into
/// place once synced. Returns its size.
fn write_backup_file(
    copy: &Path,
    target: &Path,
    copy_key: &DataKey,
    passphrase: &str,
    kdf: KdfParams,
    made_at_ms: u64,
) -> Result<u64> {
    let (digest, len) = {
        let mut hasher = Sha256::new();
        let len = std::io::copy(&mut BufReader::new(fs::File::open(copy)?), &mut hasher)?;
        (hasher.finalize(), len)
    };
    let mut secret = zeroize::Zeroizing::new(Vec::with_capacity(KEY_LEN + 32 + 8));
    secret.extend_from_slice(copy_key.bytes());
    secret.extend_from_slice(&digest);
    secret.extend_from_slice(&len.to_le_bytes());
    let schema = crate::schema::latest_version() as u32;
    let sealed = Sealed::seal(&secret, passphrase, kdf, &aad(made_at_ms, schema))?;
    let header = serde_json::to_vec(&BackupHeader {
        made_at_ms,
        schema,
        kdf,
        salt: B64.encode(&sealed.salt),
        nonce: B64.encode(&sealed.nonce),
        sealed: B64.encode(&sealed.ciphertext),
    })
    .expect("a header serialises");
    let partial = target.with_extension(format!("{EXTENSION}.partial"));
    remove_partials(target.parent().unwrap_or(Path::new(".")));
    let written = (|| -> std::io::Result<u64> {
        let mut out = BufWriter::new(fs::File::create(&partial)?);
        out.write_all(MAGIC)?;
        out.write_all(&(header.len() as u32).to_le_bytes())?;
        out.write_all(&header)?;
        std::io::copy(&mut BufReader::new(fs::File::open(copy)?), &mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        drop(file);
        fs::rename(&partial, target)?;
        #[cfg(unix)]
        if let Some(dir) = target.parent() {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(bytes)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written.map_err(StoreError::BackupFolderUnusable)
}

/// Removes what backups cut short left in `folder` (files named as backups in the
/// making), so a stick does not fill up with them.
fn remove_partials(folder: &Path) {
    let suffix = format!(".{EXTENSION}.partial");
    for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().ends_with(&suffix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Checks the backup at `backup` against `passphrase` and copies its database to `db`,
/// checking every byte against the sealed digest (and reading no more than it seals);
/// returns the database's key.
fn copy_checked(backup: &Path, passphrase: &str, db: &Path) -> Result<DataKey> {
    let unreadable = StoreError::BackupUnreadable;
    let mut file = BufReader::new(fs::File::open(backup).map_err(unreadable)?);
    let header = read_header(&mut file)?;
    if header.schema as usize > crate::schema::latest_version() {
        return Err(StoreError::BackupTooNew);
    }
    let kdf = header.kdf;
    if kdf.memory_kib > MAX_KDF.memory_kib
        || kdf.iterations > MAX_KDF.iterations
        || kdf.parallelism > MAX_KDF.parallelism
    {
        return Err(damaged("key derivation too costly"));
    }
    let decode = |what: &str, text: &str| B64.decode(text).map_err(|_| damaged(format!("header: {what}")));
    let sealed = Sealed {
        kdf,
        salt: decode("salt", &header.salt)?,
        nonce: decode("nonce", &header.nonce)?,
        ciphertext: decode("sealed", &header.sealed)?,
    };
    let secret = sealed.open(passphrase, &aad(header.made_at_ms, header.schema)).map_err(|e| match e {
        crate::key::KeyError::WrongPassphrase => StoreError::WrongPassphrase,
        other => damaged(other.to_string()),
    })?;
    if secret.len() != KEY_LEN + 32 + 8 {
        return Err(damaged("sealed part"));
    }
    let key = DataKey::from_bytes(secret[..KEY_LEN].try_into().expect("length checked"), PageHmac::Sha256);
    let digest = &secret[KEY_LEN..KEY_LEN + 32];
    let len = u64::from_le_bytes(secret[KEY_LEN + 32..].try_into().expect("length checked"));
    let mut hasher = Sha256::new();
    let mut out = BufWriter::new(fs::File::create(db)?);
    let mut buf = vec![0u8; 1 << 16];
    let mut copied = 0u64;
    loop {
        // One byte past the sealed length is enough to know the file is longer.
        let room = (len + 1).saturating_sub(copied).min(buf.len() as u64) as usize;
        if room == 0 {
            break;
        }
        let n = file.read(&mut buf[..room]).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        copied += n as u64;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    if copied != len || hasher.finalize().as_slice() != digest {
        return Err(damaged("the file was altered or cut short"));
    }
    Ok(key)
}
