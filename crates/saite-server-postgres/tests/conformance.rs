//! The storage conformance suite on PostgreSQL, each test in its own throwaway
//! database on the server named by `SAITE_TEST_POSTGRES` (default: the local one at
//! 127.0.0.1:5432, trust auth). `cargo xtask test` makes sure one runs; without one
//! these tests fail, they are never skipped.

use std::sync::atomic::{AtomicU32, Ordering};

use saite_server_postgres::PostgresStorage;

fn admin_url() -> String {
    std::env::var("SAITE_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Drops its database when the test ends (also when it fails).
struct ThrowawayDatabase {
    name: String,
}

impl Drop for ThrowawayDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // A fresh runtime on a fresh thread: Drop may run inside the test's runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                if let Ok((client, conn)) = tokio_postgres::connect(&admin_url(), tokio_postgres::NoTls).await {
                    tokio::spawn(conn);
                    let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            });
        })
        .join();
    }
}

async fn throwaway_database() -> (String, ThrowawayDatabase) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!("saite_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let (client, conn) = tokio_postgres::connect(&admin_url(), tokio_postgres::NoTls).await.unwrap_or_else(|e| {
        panic!("PostgreSQL at {} is needed for these tests (cargo xtask test starts one): {e}", admin_url())
    });
    tokio::spawn(conn);
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let mut config: tokio_postgres::Config = admin_url().parse().unwrap();
    config.dbname(&name);
    let url = format!(
        "postgres://{}@{}:{}/{name}",
        config.get_user().unwrap_or("postgres"),
        match &config.get_hosts()[0] {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            #[allow(unreachable_patterns)]
            _ => "127.0.0.1".to_owned(),
        },
        config.get_ports().first().copied().unwrap_or(5432)
    );
    (url, ThrowawayDatabase { name })
}

async fn fresh() -> (PostgresStorage, ThrowawayDatabase) {
    let (url, guard) = throwaway_database().await;
    (PostgresStorage::connect(&url, 8).await.unwrap(), guard)
}

saite_server_conformance::conformance_tests!(fresh);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_into_an_empty_database_identically() {
    let (from, _a) = fresh().await;
    saite_server_conformance::sample_state(&from).await;
    let (to, _b) = fresh().await;
    saite_server_conformance::restore_gives_identical_state(&from, &to).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_into_postgres_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = saite_server_sqlite::SqliteStorage::open(&dir.path().join("a.db")).unwrap();
    saite_server_conformance::sample_state(&sqlite).await;
    let (postgres, _guard) = fresh().await;
    saite_server_conformance::restore_gives_identical_state(&sqlite, &postgres).await;
    let sqlite_again = saite_server_sqlite::SqliteStorage::open(&dir.path().join("b.db")).unwrap();
    saite_server_conformance::restore_gives_identical_state(&postgres, &sqlite_again).await;
}

/// Two server instances are two pools on one database: concurrent pushes through both
/// keep server seqs unique and gap-free, and each instance sees the other's writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_agree() {
    use saite_server_storage::ServerStorage;
    let (url, _guard) = throwaway_database().await;
    // Both start at once: the schema is created exactly once (advisory lock).
    let (one, two) = tokio::join!(PostgresStorage::connect(&url, 4), PostgresStorage::connect(&url, 4));
    let (one, two) = (one.unwrap(), two.unwrap());
    saite_server_conformance::concurrent_pushes_through_two_instances(&one, &two).await;
    assert_eq!(one.export().await.unwrap(), two.export().await.unwrap());
}
