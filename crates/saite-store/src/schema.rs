//! Schema migrations (rusqlite_migration, tracked in SQLite's `user_version`). The first
//! is the whole schema of the first release (the nineteen steps before it were folded
//! into it: none of them had shipped).
//!
//! Invariant: a migration that has shipped is never edited or removed; a change is a new
//! file appended to [`MIGRATIONS`].

use std::sync::LazyLock;

use rusqlite_migration::{M, Migrations};

/// Every migration, oldest first. Index + 1 is the schema version it produces.
pub const MIGRATION_SQL: &[&str] = &[include_str!("../migrations/0001_initial.sql")];

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
        let names = |conn: &rusqlite::Connection| -> Vec<String> {
            let mut stmt =
                conn.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'list%' ORDER BY name").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
        };
        assert_eq!(names(&conn), Vec::<String>::new(), "the migrations make none");
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        let mut wanted: Vec<String> = crate::list_keys::list_indexes().into_iter().map(|(n, _)| n).collect();
        wanted.sort();
        assert_eq!(names(&conn), wanted);
        assert!(wanted.contains(&"list_seminar_list_sort".to_owned()) && wanted.len() == 12, "{wanted:?}");
        // An index of a key no spec has any longer is dropped, and one changed is made again.
        conn.execute_batch(
            "CREATE INDEX list_material_list_a ON records (list_a);
             DROP INDEX list_seminar_list_c;
             CREATE INDEX list_seminar_list_c ON records (list_c);",
        )
        .unwrap();
        crate::list_keys::ensure_list_indexes(&conn).unwrap();
        assert_eq!(names(&conn), wanted);
        let sql: String = conn
            .query_row("SELECT sql FROM sqlite_master WHERE name = 'list_seminar_list_c'", [], |r| r.get(0))
            .unwrap();
        assert!(sql.contains("list_c IS NOT NULL"), "{sql}");
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
            ("collection = 'seminar' AND deleted = 0 AND list_a = 'riga' ORDER BY list_sort", "list_seminar_list_a"),
            ("collection = 'seminar' AND deleted = 0 AND list_b = 'c1' ORDER BY list_sort", "list_seminar_list_b"),
            ("collection = 'seminar' AND deleted = 0 AND list_c = 'seminar' ORDER BY list_sort", "list_seminar_list_c"),
            ("collection = 'person' AND deleted = 0 AND list_a = 'o1'", "list_person_list_a"),
            ("collection = 'distribution' AND deleted = 0 AND list_a = 'm1'", "list_distribution_list_a"),
        ] {
            let plan = plan(&conn, &format!("SELECT rid FROM records WHERE {sql}"));
            assert!(plan.contains(index), "{sql}: {plan}");
        }
    }
}
