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
}
