//! Schema migrations (rusqlite_migration, tracked in SQLite's `user_version`).
//!
//! Invariant: a migration that has shipped is never edited or removed; a change is a new
//! file appended to [`MIGRATIONS`].

use std::sync::LazyLock;

use rusqlite_migration::{M, Migrations};

/// Every migration, oldest first. Index + 1 is the schema version it produces.
pub const MIGRATION_SQL: &[&str] = &[
    include_str!("../migrations/0001_records.sql"),
    include_str!("../migrations/0002_list_indexes.sql"),
    include_str!("../migrations/0003_blobs.sql"),
    include_str!("../migrations/0004_text_merge.sql"),
    include_str!("../migrations/0005_blob_transfers.sql"),
    include_str!("../migrations/0006_local_checksums.sql"),
    include_str!("../migrations/0007_outbox_by_field.sql"),
    include_str!("../migrations/0008_record_stamps.sql"),
    include_str!("../migrations/0009_attachments_index.sql"),
    include_str!("../migrations/0010_outbox_by_change.sql"),
    include_str!("../migrations/0011_stamps_by_stamp.sql"),
    include_str!("../migrations/0012_text_bases_by_reference.sql"),
    include_str!("../migrations/0013_list_key_columns.sql"),
    include_str!("../migrations/0014_collection_index_without_stamp.sql"),
    include_str!("../migrations/0015_list_indexes_without_empty_keys.sql"),
    include_str!("../migrations/0016_text_bases_never_synced.sql"),
    include_str!("../migrations/0017_history_origin_without_in_list.sql"),
    include_str!("../migrations/0018_search_without_positions.sql"),
    include_str!("../migrations/0019_list_sort_lower_cased.sql"),
];

pub static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect()));

/// The schema version this build writes.
pub fn latest_version() -> usize {
    MIGRATION_SQL.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn every_earlier_version_migrates_to_the_latest() {
        for start in 0..=latest_version() {
            let mut conn = rusqlite::Connection::open_in_memory().unwrap();
            MIGRATIONS.to_version(&mut conn, start).unwrap();
            MIGRATIONS.to_latest(&mut conn).unwrap();
            let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
            assert_eq!(v as usize, latest_version(), "from version {start}");
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('records', 'outbox', 'history', 'search')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(tables, 4);
        }
    }

    /// Schema 17 keeps every history row and still refuses an unknown origin, and
    /// writing a history row builds no temporary b-tree (what its `IN (...)` CHECK did).
    #[test]
    fn the_history_keeps_its_rows_and_checks_its_origin_without_a_temporary_btree() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 16).unwrap();
        let insert = "INSERT INTO history (rid, field, old_value, new_value, hlc, author, origin) VALUES (1, 'title', NULL, '\"T\"', 'h1', 'Sandra', ?1)";
        let plan_opens_a_btree = |conn: &rusqlite::Connection| -> bool {
            let mut explain = conn.prepare(&format!("EXPLAIN {insert}")).unwrap();
            let ops: Vec<String> =
                explain.query_map(["local"], |r| r.get(1)).unwrap().collect::<Result<_, _>>().unwrap();
            ops.iter().any(|op| op == "OpenEphemeral")
        };
        assert!(plan_opens_a_btree(&conn), "schema 16 builds one per row (so this test can tell)");
        conn.execute_batch(
            "INSERT INTO records (rid, id, collection, doc, created_hlc, updated_hlc) VALUES (1, 'a', 'seminar', '{}', 'h1', 'h1')",
        )
        .unwrap();
        for origin in ["local", "remote", "merge"] {
            conn.execute(insert, [origin]).unwrap();
        }
        let rows = |conn: &rusqlite::Connection| -> Vec<(i64, String)> {
            conn.prepare("SELECT seq, origin FROM history ORDER BY seq")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let before = rows(&conn);
        MIGRATIONS.to_version(&mut conn, 17).unwrap();
        assert_eq!(rows(&conn), before);
        assert!(!plan_opens_a_btree(&conn));
        assert!(conn.execute(insert, ["elsewhere"]).is_err(), "an unknown origin is refused");
        conn.execute(insert, ["merge"]).unwrap();
        let index: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'history_by_record'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(index, 1);
    }

    /// Every record's stamps column, by rid.
    fn stamps_column(conn: &rusqlite::Connection) -> Vec<String> {
        conn.prepare("SELECT stamps FROM records ORDER BY rid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn stamps_move_from_their_own_rows_into_the_record_row() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 7).unwrap();
        conn.execute_batch(
            "INSERT INTO records (rid, id, collection, doc, created_hlc, updated_hlc) VALUES
                 (1, 'a', 'seminar', '{\"title\":\"T\"}', 'h1', 'h2'), (2, 'b', 'seminar', '{}', 'h1', 'h1');
             INSERT INTO field_stamps (rid, field, hlc) VALUES (1, 'title', 'h1'), (1, '_deleted', 'h2');",
        )
        .unwrap();
        MIGRATIONS.to_version(&mut conn, 8).unwrap();
        let stamps = stamps_column(&conn);
        let first: serde_json::Value = serde_json::from_str(&stamps[0]).unwrap();
        assert_eq!(first, serde_json::json!({"title": "h1", "_deleted": "h2"}));
        assert_eq!(stamps[1], "{}", "a record without stamps gets an empty object");
        let gone: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'field_stamps'", [], |r| r.get(0)).unwrap();
        assert_eq!(gone, 0);
    }

    #[test]
    fn stamps_by_field_become_fields_by_stamp_and_read_back_the_same() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 10).unwrap();
        let (h1, h2) = (
            "0190f3c27d4e-00000000-0190f3c27d4e70008000000000000001",
            "0190f3c27d4f-00000002-0190f3c27d4e70008000000000000002",
        );
        let by_field =
            serde_json::json!({"title": h1, "date": h1, "notes": h2, "_deleted": h2, "kind": h1}).to_string();
        conn.execute(
            "INSERT INTO records (rid, id, collection, doc, created_hlc, updated_hlc, stamps) VALUES
                 (1, '0190f3c2-7d4e-7000-8000-000000000001', 'seminar', '{}', ?1, ?1, ?2),
                 (2, '0190f3c2-7d4e-7000-8000-000000000002', 'seminar', '{}', ?1, ?1, '{}')",
            rusqlite::params![h1, by_field],
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let stamps = stamps_column(&conn);
        let grouped: serde_json::Value = serde_json::from_str(&stamps[0]).unwrap();
        assert_eq!(grouped, serde_json::json!({h1: ["date", "kind", "title"], h2: ["_deleted", "notes"]}));
        assert_eq!(
            stamps[0],
            crate::write::encode_stamps(
                &crate::write::parse_stamps(
                    &stamps[0],
                    "0190f3c2-7d4e-7000-8000-000000000001".parse().unwrap(),
                    h1,
                    None
                )
                .unwrap()
            ),
            "the form this build writes"
        );
        let id = "0190f3c2-7d4e-7000-8000-000000000001".parse().unwrap();
        let read = crate::write::parse_stamps(&stamps[0], id, h1, None).unwrap();
        let before: std::collections::BTreeMap<String, String> = serde_json::from_str(&by_field).unwrap();
        let read: std::collections::BTreeMap<String, String> =
            read.into_iter().map(|(f, h)| (f, h.to_string())).collect();
        assert_eq!(read, before, "every field keeps its stamp");
        assert_eq!(stamps[1], "{}", "no stamps stay no stamps");
    }

    #[test]
    fn text_bases_keep_their_copies_and_may_then_name_the_current_value() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 11).unwrap();
        conn.execute_batch(
            "INSERT INTO records (rid, id, collection, doc, created_hlc, updated_hlc) VALUES (1, 'a', 'seminar', '{}', 'h1', 'h1');
             INSERT INTO text_bases (rid, field, value, hlc) VALUES (1, 'notes', '\"Dalībnieki: 12.\"', 'h1');",
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let kept: (String, String) =
            conn.query_row("SELECT value, hlc FROM text_bases", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(kept, ("\"Dalībnieki: 12.\"".to_owned(), "h1".to_owned()));
        conn.execute("UPDATE text_bases SET value = NULL", []).unwrap();
    }

    #[test]
    fn list_keys_move_into_columns_and_are_filled_once_from_the_documents() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 12).unwrap();
        conn.execute_batch(
            r#"INSERT INTO records (rid, id, collection, doc, created_hlc, updated_hlc) VALUES
                 (1, 'a', 'seminar', '{"date":"2012-11-09","municipality":"riga","kind":"seminar","campaign":null}', 'h1', 'h1'),
                 (2, 'b', 'organisation', '{"name":"Rīgas bāriņtiesa","kind":"orphans-court"}', 'h1', 'h1'),
                 (3, 'c', 'material', '{"title":"Buklets"}', 'h1', 'h1');"#,
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        crate::list_keys::fill(&conn).unwrap();
        let keys = |rid: i64| -> [rusqlite::types::Value; 4] {
            conn.query_row("SELECT list_sort, list_a, list_b, list_c FROM records WHERE rid = ?1", [rid], |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
            })
            .unwrap()
        };
        use rusqlite::types::Value::{Null, Text};
        let text = |s: &str| Text(s.to_owned());
        assert_eq!(keys(1), [text("2012-11-09"), text("riga"), Null, text("seminar")]);
        assert_eq!(keys(2), [text("rīgas bāriņtiesa"), text("orphans-court"), Null, Null], "the sort key lower-cased");
        assert_eq!(keys(3), [Null, Null, Null, Null], "a collection without list keys");
        // The list indexes are on the columns now, and hold the filled keys.
        let by_date: i64 = conn
            .query_row("SELECT count(*) FROM records INDEXED BY seminars_by_date WHERE collection = 'seminar' AND deleted = 0 AND list_sort = '2012-11-09'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(by_date, 1);
        // Filled once: a key written later by hand stays as it is on the next opening.
        conn.execute("UPDATE records SET list_a = 'cesis' WHERE rid = 1", []).unwrap();
        crate::list_keys::fill(&conn).unwrap();
        assert_eq!(keys(1)[1], text("cesis"));
    }

    #[test]
    fn the_search_index_is_made_again_without_positions_and_filled_from_the_records() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 17).unwrap();
        conn.execute_batch(
            r#"INSERT INTO records (rid, id, collection, doc, deleted, created_hlc, updated_hlc) VALUES
                 (1, 'a', 'seminar', '{"title":"Apaļais galds","kind":"round-table","date":"2012-11-09","municipality":"riga","notes":"Par darbu ārzemēs"}', 0, 'h1', 'h1'),
                 (2, 'b', 'organisation', '{"name":"Rīgas bāriņtiesa","kind":"orphans-court"}', 1, 'h1', 'h1'),
                 (3, 'c', 'organisation', '{"name":"Cēsu novada dome","kind":"municipality"}', 0, 'h1', 'h1');
               INSERT INTO search (rowid, label, body) VALUES (1, 'apalais galds', 'apalais galds riga par darbu arzemes');"#,
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let sql: String =
            conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'search'", [], |r| r.get(0)).unwrap();
        assert!(sql.contains("detail = column"), "{sql}");
        crate::write::fill_search(&conn).unwrap();
        let found = |query: &str| -> Vec<i64> {
            let mut stmt = conn.prepare("SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid").unwrap();
            stmt.query_map([query], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
        };
        assert_eq!(found(r#"label : ("apal"*)"#), [1], "the title is the label");
        assert_eq!(found(r#""arzem"* "galds"*"#), [1], "words from the label and the body together");
        assert_eq!(found(r#"label : ("cesu"*)"#), [3]);
        assert!(found(r#""barintiesa"*"#).is_empty(), "a record in the trash is not findable");
        assert!(crate::store::meta(&conn, "search_to_fill").unwrap().is_none(), "filled once");
    }

    #[test]
    fn the_sort_key_is_made_again_lower_cased_and_compared_byte_by_byte() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 18).unwrap();
        conn.execute_batch(
            r#"INSERT INTO records (rid, id, collection, doc, created_hlc, updated_hlc, list_sort, list_a) VALUES
                 (1, 'a', 'organisation', '{"name":"Ācu klīnika","kind":"clinic"}', 'h1', 'h1', 'Ācu klīnika', 'clinic'),
                 (2, 'b', 'organisation', '{"name":"ābolu nams","kind":"school"}', 'h1', 'h1', 'ābolu nams', 'school'),
                 (3, 'c', 'seminar', '{"date":"2012-11-09","municipality":"riga","kind":"seminar"}', 'h1', 'h1', '2012-11-09', 'riga');
               INSERT INTO meta (key, value) VALUES ('list_keys_kept', '1');"#,
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        crate::list_keys::fill(&conn).unwrap();
        let table: String =
            conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'records'", [], |r| r.get(0)).unwrap();
        assert!(!table.contains("NOCASE"), "{table}");
        let names: Vec<String> = conn
            .prepare("SELECT list_sort FROM records INDEXED BY organisations_by_name WHERE collection = 'organisation' AND deleted = 0 ORDER BY list_sort")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        // Under NOCASE "Ā" (U+0100) came before "ā" (U+0101) whatever followed.
        assert_eq!(names, ["ābolu nams", "ācu klīnika"]);
        let kept: (String, String) = conn
            .query_row("SELECT list_sort, list_a FROM records WHERE rid = 3", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(kept, ("2012-11-09".to_owned(), "riga".to_owned()), "the filter keys as they were");
        assert!(crate::store::meta(&conn, "list_keys_kept").unwrap().is_some(), "filled once");
    }

    /// The plan SQLite picks for `sql`, as one line.
    fn plan(conn: &rusqlite::Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
    }

    #[test]
    fn the_trash_and_lists_in_row_order_read_an_index_without_sorting() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let trash = plan(
            &conn,
            &format!(
                "SELECT {} FROM records WHERE deleted = 1 ORDER BY updated_hlc DESC LIMIT 50",
                crate::read::RECORD_COLUMNS
            ),
        );
        assert!(trash.contains("records_in_trash") && !trash.contains("TEMP B-TREE"), "{trash}");
        let newest =
            plan(&conn, "SELECT rid FROM records WHERE collection = 'seminar' AND deleted = 0 ORDER BY rid DESC");
        assert!(newest.contains("records_by_collection") && !newest.contains("TEMP B-TREE"), "{newest}");
    }

    #[test]
    fn list_filters_read_their_index_though_it_leaves_out_records_without_the_key() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        for (sql, index) in [
            (
                "collection = 'seminar' AND deleted = 0 AND list_a = 'riga' ORDER BY list_sort",
                "seminars_by_municipality",
            ),
            ("collection = 'seminar' AND deleted = 0 AND list_b = 'c1' ORDER BY list_sort", "seminars_by_campaign"),
            ("collection = 'seminar' AND deleted = 0 AND list_c = 'seminar' ORDER BY list_sort", "seminars_by_kind"),
            ("collection = 'person' AND deleted = 0 AND list_a = 'o1'", "people_by_organisation"),
            ("collection = 'distribution' AND deleted = 0 AND list_a = 'm1'", "distributions_by_material"),
        ] {
            let plan = plan(&conn, &format!("SELECT rid FROM records WHERE {sql}"));
            assert!(plan.contains(index), "{sql}: {plan}");
        }
    }

    #[test]
    fn waiting_field_changes_become_changes_and_seqs_continue_after_the_highest_issued() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_version(&mut conn, 9).unwrap();
        conn.execute_batch(
            "INSERT INTO outbox (record_id, collection, field, value, hlc) VALUES
                 ('a', 'seminar', 'title', '\"Seminārs\"', 'h1'), ('a', 'seminar', 'date', '\"2012-11-09\"', 'h2'),
                 ('b', 'person', 'phones', '[\"+37129000001\"]', 'h3'), ('b', 'person', 'notes', 'null', 'h4');
             DELETE FROM outbox WHERE device_seq <= 1;  -- acknowledged
             DELETE FROM outbox WHERE device_seq = 4;   -- the newest, acknowledged too",
        )
        .unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let rows: Vec<(i64, String, String, String, String)> = conn
            .prepare("SELECT device_seq, record_id, collection, fields, hlc FROM outbox ORDER BY device_seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let own = |s: &str| s.to_owned();
        assert_eq!(
            rows,
            vec![
                (2, own("a"), own("seminar"), own(r#"{"date":"2012-11-09"}"#), own("h2")),
                (3, own("b"), own("person"), own(r#"{"phones":["+37129000001"]}"#), own("h3")),
            ]
        );
        conn.execute("INSERT INTO outbox (record_id, collection, fields, hlc) VALUES ('c', 'seminar', '{}', 'h5')", [])
            .unwrap();
        assert_eq!(conn.last_insert_rowid(), 5, "after 4, the highest ever issued (the server knows it), not 3");
    }
}
