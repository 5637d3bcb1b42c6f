//! Schema migrations (rusqlite_migration, tracked in SQLite's `user_version`). The first
//! is the whole schema of the first release (the nineteen steps before it were folded
//! into it: none of them had shipped).
//!
//! Invariant: a migration that has shipped is never edited or removed; a change is a new
//! file appended to [`MIGRATIONS`].

use std::sync::LazyLock;

use rusqlite_migration::{M, Migrations};

/// Every migration, oldest first. Index + 1 is the schema version it produces.
pub const MIGRATION_SQL: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_list_sums.sql"),
    include_str!("../migrations/0003_event_outbox.sql"),
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

    #[test]
    fn the_list_indexes_follow_the_specs_and_are_made_once() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let indexes = |conn: &rusqlite::Connection| -> Vec<(String, String)> {
            let mut stmt =
                conn.prepare("SELECT name, sql FROM sqlite_master WHERE name LIKE 'list%' ORDER BY name").unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
        };
        assert_eq!(indexes(&conn), Vec::<(String, String)>::new(), "the migrations make none");
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        let made = indexes(&conn);
        let mut wanted: Vec<String> = crate::list_keys::list_indexes().into_iter().map(|(_, n, _)| n).collect();
        wanted.sort();
        assert_eq!(made.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), wanted);
        assert!(wanted.contains(&"list_seminar_by_date".to_owned()) && wanted.len() == 18, "{wanted:?}");
        // Opened again: nothing is made or dropped.
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        assert_eq!(indexes(&conn), made);
        // A seminar whose stored keys are stale (as after a spec moved a column to
        // another field): an index of a key no spec has any longer is dropped, one that
        // changed is made again, and the collection's keys are written again.
        conn.execute_batch(
            "INSERT INTO records (id, collection, doc, created_hlc, updated_hlc, list_a)
             VALUES ('r1', 'seminar', '{\"municipality\":\"riga\",\"date\":\"2015-01-02\"}', 'h', 'h', 'stale');
             CREATE INDEX list_material_by_kind ON records (list_a);
             DROP INDEX list_seminar_by_kind;
             CREATE INDEX list_seminar_by_kind ON records (list_c);",
        )
        .unwrap();
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        assert_eq!(indexes(&conn), made);
        let keys: (String, String) = conn
            .query_row("SELECT list_sort, list_a FROM records WHERE id = 'r1'", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(keys, ("2015-01-02".to_owned(), "riga".to_owned()));
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
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        for (sql, index) in [
            (
                "collection = 'seminar' AND deleted = 0 AND list_a = 'riga' ORDER BY list_sort",
                "list_seminar_by_municipality",
            ),
            ("collection = 'seminar' AND deleted = 0 AND list_b = 'c1' ORDER BY list_sort", "list_seminar_by_campaign"),
            (
                "collection = 'seminar' AND deleted = 0 AND list_c = 'seminar' ORDER BY list_sort",
                "list_seminar_by_kind",
            ),
            (
                "collection = 'person' AND deleted = 0 AND list_a = 'o1' ORDER BY list_sort",
                "list_person_by_organisation",
            ),
            (
                "collection = 'distribution' AND deleted = 0 AND list_a = 'm1' ORDER BY list_sort",
                "list_distribution_by_material",
            ),
        ] {
            let plan = plan(&conn, &format!("SELECT rid FROM records WHERE {sql}"));
            assert!(plan.contains(index), "{sql}: {plan}");
        }
    }

    #[test]
    fn a_report_reads_keys_and_numbers_without_the_documents_or_a_sort() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        // The shape of `Store::tally_events`: keys and sums from the one index.
        let plan = plan(
            &conn,
            "SELECT list_a, list_sums FROM records INDEXED BY records_by_collection
             WHERE collection = 'seminar' AND deleted = 0 AND list_sort >= '2015-01-01'
             AND instr(list_sums, ';participants:pupils=') > 0",
        );
        assert!(plan.contains("COVERING INDEX records_by_collection") && !plan.contains("TEMP B-TREE"), "{plan}");
    }
}
