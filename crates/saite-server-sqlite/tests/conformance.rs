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

/// A database of the per-field schema (migration 3) keeps every value, stamp and
/// checksum through migration 4: one row per record, carrying its latest field's seq.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_stored_one_by_one_become_records_with_every_value_and_stamp() {
    use saite_server_storage::ServerStorage;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saite-server.db");
    let tenant = "00000000-0000-0000-0000-000000000001";
    let (r1, r2) = ("01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002");
    let hlc = |n: u32| format!("000000000001-{n:08x}-00000000000000000000000000000001");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../migrations/0001_server.sql"),
            include_str!("../migrations/0002_blobs.sql"),
            include_str!("../migrations/0003_repull.sql"),
        ] {
            c.execute_batch(sql).unwrap();
        }
        c.pragma_update(None, "user_version", 3).unwrap();
        c.execute(
            "INSERT INTO tenants (id, name, created_at_ms, last_seq, audit_head) VALUES (?1, 'Biedrība', 1, 3, '')",
            [tenant],
        )
        .unwrap();
        for (record, field, value, n) in [
            (r1, "name", "\"NVA Rēzekne\"", 1),
            (r2, "fullName", "\"Anna\"", 2),
            (r1, "phones", "[\"+37129000001\"]", 3),
        ] {
            c.execute(
                "INSERT INTO fields (tenant, record, collection, field, value, hlc, server_seq) VALUES (?1, ?2, 'organisation', ?3, ?4, ?5, ?6)",
                rusqlite::params![tenant, record, field, value, hlc(n), n],
            )
            .unwrap();
        }
    }
    let s = SqliteStorage::open(&path).unwrap();
    let fields = s.export().await.unwrap().fields;
    let got: Vec<(String, String, serde_json::Value, String, u64)> = fields
        .iter()
        .map(|f| (f.record.to_string(), f.field.clone(), f.value.clone(), f.hlc.to_string(), f.server_seq))
        .collect();
    assert_eq!(
        got,
        vec![
            (r1.to_owned(), "name".to_owned(), serde_json::json!("NVA Rēzekne"), hlc(1), 3),
            (r1.to_owned(), "phones".to_owned(), serde_json::json!(["+37129000001"]), hlc(3), 3),
            (r2.to_owned(), "fullName".to_owned(), serde_json::json!("Anna"), hlc(2), 2),
        ],
        "every value and stamp kept; a record carries its latest field's seq"
    );
}
