use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use rusqlite::{Connection, OptionalExtension, params};
use saite_domain::{Clock, DeviceId, Hlc, HlcGenerator, IdGenerator};

use crate::{
    checkpoint::Checkpointer,
    error::{Result, StoreError},
    key::{DataKey, KdfParams, KeyFile},
    schema::MIGRATIONS,
};

const DB_FILE: &str = "store.db";
const KEY_FILE: &str = "store.key";

/// Whether a data folder has a store yet (first run asks for a new passphrase; later
/// runs ask to unlock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum StoreStatus {
    NotCreated,
    Locked,
}

/// An open, unlocked store.
///
/// Invariant: every change goes through the write path in `write.rs`; nothing else
/// writes `records` (with their stamps), `history` or `outbox`.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hlc: HlcGenerator,
    pub(crate) ids: IdGenerator,
    pub(crate) author: String,
    data_dir: PathBuf,
    /// The ordered matches of the last list query, so scrolling or jumping through a
    /// long list reads only the rows it shows ([`crate::read`]).
    pub(crate) list_snapshot: std::sync::Mutex<Option<crate::read::ListSnapshot>>,
    /// Copies the WAL into the database beside the writer ([`crate::checkpoint`]);
    /// `None` on a reader. Declared after `conn`, so dropped after it.
    pub(crate) checkpointer: Option<Checkpointer>,
    /// The data key, to open a reader beside this store ([`Store::reader`]); `None` on a
    /// reader, and on the benchmark's plaintext store. Wiped from memory when dropped.
    pub(crate) reader_key: Option<DataKey>,
}

/// A second connection to an open store's database, for reads only (SQLite refuses any
/// write on it): the app reads through it while the sync loop holds the store to write
/// a pulled page, since WAL lets readers go on beside the writer. It sees every commit
/// the store has made. Only the store's `&self` methods are reachable; a write to the
/// database through it is refused.
pub struct StoreReader(Store);

impl std::ops::Deref for StoreReader {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.0
    }
}

impl std::fmt::Debug for StoreReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("StoreReader").field(&self.0).finish()
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("data_dir", &self.data_dir).field("device", &self.hlc.device()).finish()
    }
}

fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE)
}

pub(crate) fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEY_FILE)
}

impl Store {
    pub fn status(data_dir: &Path) -> StoreStatus {
        if key_path(data_dir).exists() { StoreStatus::Locked } else { StoreStatus::NotCreated }
    }

    /// Creates a new store protected by `passphrase`. Fails if one exists already.
    pub fn initialize(
        data_dir: &Path,
        passphrase: &str,
        kdf: KdfParams,
        clock: Arc<dyn Clock>,
        author: &str,
    ) -> Result<Store> {
        Self::initialize_with(data_dir, KeyFile::create(passphrase, kdf)?, clock, author)
    }

    /// [`Store::initialize`] under a key file made already: tests make a store as an
    /// earlier version did ([`KeyFile::create_with`]).
    #[doc(hidden)]
    pub fn initialize_with(
        data_dir: &Path,
        (key_file, key): (KeyFile, DataKey),
        clock: Arc<dyn Clock>,
        author: &str,
    ) -> Result<Store> {
        if Self::status(data_dir) != StoreStatus::NotCreated || db_path(data_dir).exists() {
            return Err(StoreError::AlreadyExists);
        }
        let mut conn = open_database(&db_path(data_dir), Some(&key))?;
        bring_to_latest_schema(&mut conn)?;
        let ids = IdGenerator::new();
        let device: DeviceId = ids.new_id(clock.now_ms());
        conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?1)", params![device.to_string()])?;
        // The key file is written last: a crash before this leaves no key file, so the
        // folder still counts as having no store, and the half-made database is replaced.
        key_file.write(&key_path(data_dir))?;
        Ok(Store {
            conn,
            clock,
            hlc: HlcGenerator::new(device),
            ids,
            author: author.to_owned(),
            data_dir: data_dir.to_owned(),
            list_snapshot: Default::default(),
            checkpointer: Some(Checkpointer::start(open_connection(&db_path(data_dir), Some(&key))?)?),
            reader_key: Some(key),
        })
    }

    /// Unlocks an existing store. A wrong passphrase fails before the database is
    /// opened, so it cannot change anything.
    pub fn open(data_dir: &Path, passphrase: &str, clock: Arc<dyn Clock>, author: &str) -> Result<Store> {
        if Self::status(data_dir) == StoreStatus::NotCreated {
            return Err(StoreError::NotCreated);
        }
        let key = KeyFile::read(&key_path(data_dir))?.unlock(passphrase, &key_path(data_dir))?;
        Self::open_with_key(data_dir, key, clock, author)
    }

    /// Opens the database in `data_dir` under `key`, whatever the key file says: a
    /// restore opens the backup's copy so before it writes the key file.
    pub(crate) fn open_with_key(data_dir: &Path, key: DataKey, clock: Arc<dyn Clock>, author: &str) -> Result<Store> {
        let mut conn = open_database(&db_path(data_dir), Some(&key))?;
        bring_to_latest_schema(&mut conn)?;
        let device: DeviceId = meta(&conn, "device_id")?
            .ok_or_else(|| StoreError::Corrupt("no device id".into()))?
            .parse()
            .map_err(|_| StoreError::Corrupt("bad device id".into()))?;
        let hlc = match meta(&conn, "hlc_last")? {
            Some(text) => {
                HlcGenerator::resume(device, text.parse::<Hlc>().map_err(|e| StoreError::Corrupt(e.to_string()))?)
            }
            None => HlcGenerator::new(device),
        };
        let mut store = Store {
            conn,
            clock,
            hlc,
            ids: IdGenerator::new(),
            author: author.to_owned(),
            data_dir: data_dir.to_owned(),
            list_snapshot: Default::default(),
            checkpointer: Some(Checkpointer::start(open_connection(&db_path(data_dir), Some(&key))?)?),
            reader_key: Some(key),
        };
        store.upgrade_legacy_records()?;
        Ok(store)
    }

    /// A reader beside this store ([`StoreReader`]), on a connection of its own.
    pub fn reader(&self) -> Result<StoreReader> {
        let key = self.reader_key.as_ref().ok_or_else(|| StoreError::Corrupt("no key to open a reader with".into()))?;
        let conn = open_connection(&db_path(&self.data_dir), Some(key))?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", -32_768)?;
        Ok(StoreReader(Store {
            conn,
            clock: self.clock.clone(),
            hlc: self.hlc.clone(),
            ids: IdGenerator::new(),
            author: self.author.clone(),
            data_dir: self.data_dir.clone(),
            list_snapshot: Default::default(),
            checkpointer: None,
            reader_key: None,
        }))
    }

    /// How SQLCipher authenticates this database's pages, as it reports it
    /// (`HMAC_SHA256`, or `HMAC_SHA512` for stores of key file format 1).
    pub fn page_hmac_algorithm(&self) -> Result<String> {
        Ok(self.conn.query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))?)
    }

    /// Rewraps the data key under a new passphrase; the database is untouched.
    pub fn change_passphrase(&self, old: &str, new: &str) -> Result<()> {
        let path = key_path(&self.data_dir);
        let rewrapped = KeyFile::read(&path)?.rewrap(old, new, &path)?;
        rewrapped.write(&path)?;
        Ok(())
    }

    /// Destroys this store for good (a lost laptop's data, once the server says the
    /// device is revoked): the key file is overwritten and removed first, which alone
    /// makes the database unreadable (crypto-shredding: its pages are encrypted under
    /// the key it wrapped), then the database files are removed. Afterwards the folder
    /// holds no store ([`StoreStatus::NotCreated`]).
    pub fn shred(self) -> Result<()> {
        let data_dir = self.data_dir.clone();
        // Close the database before its files go.
        drop(self);
        Store::shred_folder(&data_dir)
    }

    /// [`Store::shred`] for a store that is not open (locked, or never unlocked on this
    /// start): the same files, the same order. Missing files are not an error.
    pub fn shred_folder(data_dir: &Path) -> Result<()> {
        let key = key_path(data_dir);
        if let Ok(meta) = std::fs::metadata(&key) {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new().write(true).open(&key)?;
            file.write_all(&vec![0u8; meta.len() as usize])?;
            file.sync_all()?;
            drop(file);
            std::fs::remove_file(&key)?;
        }
        remove_database_files(&db_path(data_dir))
    }

    pub fn device_id(&self) -> DeviceId {
        self.hlc.device()
    }

    /// The name recorded as author of local changes in history.
    pub fn set_author(&mut self, author: &str) {
        self.author = author.to_owned();
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn database_path(data_dir: &Path) -> PathBuf {
        db_path(data_dir)
    }

    /// A store whose database is NOT encrypted, for measuring SQLCipher's overhead
    /// against plain SQLite on the same work. Compiled only with the
    /// `plaintext-baseline` feature, which the app never enables.
    #[cfg(feature = "plaintext-baseline")]
    pub fn initialize_plaintext_baseline(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        let mut conn = open_database(&db_path(data_dir), None)?;
        bring_to_latest_schema(&mut conn)?;
        let ids = IdGenerator::new();
        let device: DeviceId = ids.new_id(clock.now_ms());
        Ok(Store {
            conn,
            clock,
            hlc: HlcGenerator::new(device),
            ids,
            author: "bench".into(),
            data_dir: data_dir.to_owned(),
            list_snapshot: Default::default(),
            checkpointer: Some(Checkpointer::start(open_connection(&db_path(data_dir), None)?)?),
            reader_key: None,
        })
    }

    /// Folds the write-ahead log into the database file (for size measurements).
    /// Runs `sql` (a hand-written query) on this store's connection and returns how many
    /// rows it gave, every column of each read: the floor a benchmark compares the
    /// store's own queries with. Compiled only with the `bench-floor` feature, which the
    /// app never enables.
    #[cfg(feature = "bench-floor")]
    pub fn floor_query(&self, sql: &str) -> Result<usize> {
        let mut stmt = self.conn.prepare(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                std::hint::black_box(row.get_ref(i)?);
            }
            n += 1;
        }
        Ok(n)
    }

    pub fn checkpoint(&self) -> Result<()> {
        self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Bytes each table and index takes in the database file (pages, as stored:
    /// encrypted, with their free space), largest first. For the benchmarks' reports.
    pub fn table_sizes(&self) -> Result<Vec<(String, u64)>> {
        self.checkpoint()?;
        let mut stmt =
            self.conn.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Migrates the database to this build's schema, and turns the search index's merging
/// back on if a bulk pull was cut short: every way of opening a store goes through this.
fn bring_to_latest_schema(conn: &mut Connection) -> Result<()> {
    MIGRATIONS.to_latest(conn)?;
    crate::list_keys::ensure_list_indexes(conn)?;
    crate::list_keys::ensure_list_sums(conn)?;
    crate::remote::restore_search_merging(conn)?;
    Ok(())
}

/// Removes the database at `path` with its write-ahead log, shared memory and journal;
/// missing files are not an error.
pub(crate) fn remove_database_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        match std::fs::remove_file(PathBuf::from(format!("{}{suffix}", path.display()))) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

/// A value of the `meta` table (device id, clock state, sync cursor and settings).
pub(crate) fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// A number kept in the `meta` table (0 when absent); `what` names it if it is unreadable.
pub(crate) fn meta_number<T: std::str::FromStr + Default>(conn: &Connection, key: &str, what: &str) -> Result<T> {
    let text = meta(conn, key)?;
    text.map(|t| t.parse().map_err(|_| StoreError::Corrupt(format!("{what} {t:?}"))))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Sets a value of the `meta` table (inside the caller's transaction, if any).
pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Opens (creating if absent) the database file with SQLCipher under `key`, and
/// checks the key by reading the schema. `None` opens it unencrypted, which only the
/// benchmark's plaintext baseline does.
fn open_database(path: &Path, key: Option<&DataKey>) -> Result<Connection> {
    let conn = open_connection(path, key)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 32 MiB of page cache: SQLCipher decrypts every page it reads from disk, so pages
    // kept decrypted in memory make repeated list and search queries several times faster.
    conn.pragma_update(None, "cache_size", -32_768)?;
    // The WAL is copied into the database every 10 000 pages (40 MiB) instead of 1 000:
    // a pull writes a page of records per transaction, and at the default nearly every
    // one of them ended in a checkpoint that copied (and synced) the pages the next
    // would change again.
    conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
    // Refresh the query planner's statistics where they are missing or stale.
    conn.execute_batch("PRAGMA optimize = 0x10002;")?;
    Ok(conn)
}

/// A connection to the database under `key` (checked by reading the schema), as every
/// connection of the store needs it: the checkpointer's ([`crate::checkpoint`]) is
/// only this. It must not refresh the planner's statistics: opened on a new store, it
/// would record its empty tables as the statistics of the full ones a pull then makes.
pub(crate) fn open_connection(path: &Path, key: Option<&DataKey>) -> Result<Connection> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        key.unlock_database(&conn)?;
    }
    // Temporary tables and indices stay in memory: SQLCipher does not encrypt
    // temporary files written outside the database.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .map_err(|e| StoreError::Corrupt(format!("cannot read the database with this key: {e}")))?;
    // FULL: a change the user saw saved survives a power cut.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

#[cfg(test)]
mod reader_tests {
    use std::sync::Arc;

    use saite_domain::{Collection, SystemClock};
    use serde_json::json;

    use super::Store;
    use crate::key::KdfParams;

    /// A reader reads while the store holds a write transaction open (a pulled page being
    /// written), sees the state before it until it commits and every commit after, and
    /// refuses to write.
    #[test]
    fn a_reader_reads_beside_the_writer_and_sees_each_commit() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), "x").unwrap();
        let doc = |name: &str| json!({"name": name, "kind": "ngo"}).as_object().unwrap().clone();
        let org = store.create(Collection::Organisation, doc("NVA")).unwrap().id;
        let reader = store.reader().unwrap();
        let name = || reader.get(org).unwrap().unwrap().document["name"].clone();
        assert_eq!(name(), json!("NVA"));
        store.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        store
            .conn
            .execute("UPDATE records SET doc = json_set(doc, '$.name', 'Rakstot') WHERE id = ?1", [org.to_string()])
            .unwrap();
        assert_eq!(name(), json!("NVA"), "beside an open write: the state before it, without waiting");
        store.conn.execute_batch("COMMIT").unwrap();
        assert_eq!(name(), json!("Rakstot"), "the commit, at once");
        store.update(org, doc("Pēc")).unwrap();
        assert_eq!(name(), json!("Pēc"));
        assert!(reader.conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')", []).is_err(), "no writes");
    }
}
