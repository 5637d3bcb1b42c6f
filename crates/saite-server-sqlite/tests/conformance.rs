//! The storage conformance suite on SQLite, each test on a fresh database file.

use saite_server_sqlite::SqliteStorage;

async fn fresh() -> (SqliteStorage, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::open(&dir.path().join("saite-server.db")).unwrap();
    (storage, dir)
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
async fn the_schema_is_created_once_and_reopening_keeps_the_data() {
    use saite_server_storage::{AuditContext, ServerStorage};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saite-server.db");
    let tenant = saite_protocol::TenantId(uuid::Uuid::from_u128(1));
    {
        let s = SqliteStorage::open(&path).unwrap();
        s.create_tenant(
            tenant,
            "Patvērums \"Drošā māja\"",
            AuditContext::admin(1, "tenant-add", serde_json::json!({})),
        )
        .await
        .unwrap();
    }
    let s = SqliteStorage::open(&path).unwrap();
    assert_eq!(s.tenants().await.unwrap()[0].name, "Patvērums \"Drošā māja\"");
}
