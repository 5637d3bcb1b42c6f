//! Copying the write-ahead log into the database file on a thread of its own.
//!
//! Glossary: the **WAL** is the log SQLite appends each commit's pages to; a
//! **checkpoint** copies logged pages into the database file, after which the log can
//! start over. SQLite runs one inside the committing thread once the log passes
//! `wal_autocheckpoint` pages; in a first pull, the writer spent a tenth of its time
//! there. The **checkpointer** is a second connection to the same database, on its own
//! thread, that does this copying while the writer goes on with the next page.
//!
//! Invariant: the checkpointer only runs PASSIVE checkpoints, which never wait for and
//! never block the writer or a reader; what one cannot copy yet stays in the log, where
//! reads find it, and a later checkpoint copies it (the writer's own automatic one
//! stays on as the fallback). It holds no transaction between checkpoints.

use std::{
    sync::mpsc::{SyncSender, TrySendError, sync_channel},
    thread::JoinHandle,
};

use rusqlite::Connection;

use crate::error::{Result, StoreError};

pub(crate) struct Checkpointer {
    /// Wakes the thread; dropped to stop it.
    wake: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread on `conn`, a connection of its own to the store's database.
    pub(crate) fn start(conn: Connection) -> Result<Checkpointer> {
        // It copies pages from file to file, not through its page cache.
        conn.pragma_update(None, "cache_size", 16)?;
        let (wake, woken) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("saite-checkpoint".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    // A checkpoint that fails (the writer's own was running) leaves the
                    // pages in the log, for the next one.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .map_err(StoreError::Io)?;
        Ok(Checkpointer { wake: Some(wake), thread: Some(thread) })
    }

    /// Asks for a checkpoint soon. One already asked for and not started yet covers
    /// this one too.
    pub(crate) fn wake(&self) {
        if let Some(wake) = &self.wake {
            match wake.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
            }
        }
    }
}

/// Records (or pushed fields) a write must take in for its pages to be copied beside
/// the writer. A small sync leaves the copying to SQLite's own checkpoint: a checkpoint
/// beside every small write cost more (its syncs of the log and the file) than it saved.
pub(crate) const BULK_WRITE: usize = 256;

impl crate::Store {
    /// After a write of `items` records or fields: a checkpoint beside the writer when
    /// it was a bulk one (a page of a first pull, a batch of a first push).
    pub(crate) fn checkpoint_after_bulk(&self, items: usize) {
        if items >= BULK_WRITE
            && let Some(checkpointer) = &self.checkpointer
        {
            checkpointer.wake();
        }
    }
}

impl Drop for Checkpointer {
    /// Stops the thread and waits for it: its connection is closed when this returns
    /// (the store's files may be removed next, [`crate::Store::shred`]).
    fn drop(&mut self) {
        self.wake.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{sync::Arc, time::Duration};

    use saite_domain::{Collection, Hlc, RecordId, SystemClock};

    use saite_protocol::PulledRecord;

    use crate::{Store, key::KdfParams};

    #[test]
    fn a_new_store_holds_no_planner_statistics_of_its_empty_tables() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::initialize(dir.path(), "parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), "x").unwrap();
        // Statistics taken now would describe empty tables to the planner after a pull
        // has filled them (the checkpointer's connection once took them as it opened).
        let tables: i64 = store
            .conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'", [], |r| r.get(0))
            .unwrap();
        let stats: i64 = if tables == 0 {
            0
        } else {
            store.conn.query_row("SELECT count(*) FROM sqlite_stat1", [], |r| r.get(0)).unwrap()
        };
        assert_eq!(stats, 0);
    }

    #[test]
    fn pulled_pages_reach_the_database_file_without_the_writer_checkpointing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), "x").unwrap();
        let db = Store::database_path(dir.path());
        let before = std::fs::metadata(&db).unwrap().len();
        let device = saite_domain::IdGenerator::new().new_id(1);
        let page: Vec<PulledRecord> = (0..300u64)
            .map(|i| {
                PulledRecord::of_fields(
                    RecordId::from_uuid(uuid::Uuid::from_u128(
                        0x0190_f3c2_7d4e_7000_8000_0000_0000_0000 + u128::from(i),
                    )),
                    Collection::Seminar,
                    [(
                        "title".to_owned(),
                        serde_json::json!(format!("Seminārs {i} ").repeat(20)),
                        Hlc { wall_ms: 1_700_000_000_000 + i, counter: 0, device },
                    )],
                )
            })
            .collect();
        store.apply_pulled(page, 1).unwrap();
        // The writer's own checkpoint waits for 10 000 pages; this page is far fewer.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&db).unwrap().len() <= before {
            assert!(std::time::Instant::now() < deadline, "the page never reached the database file");
            std::thread::sleep(Duration::from_millis(20));
        }
        // Dropping the store stops the thread and closes its connection: the folder can go.
        store.shred().unwrap();
        assert_eq!(Store::status(dir.path()), crate::StoreStatus::NotCreated);
    }
}
