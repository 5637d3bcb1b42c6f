//! The list screens' keys, kept in plain columns of `records`.
//!
//! Glossary: a record's **list keys** are the values of the few document fields its
//! collection's list screen sorts and filters on through an index: `list_sort` holds
//! the default sort field lower-cased (a seminar's date, an organisation's name),
//! `list_a`,
//! `list_b`, `list_c` the indexed filters (a seminar's municipality, campaign, kind).
//! [`list_key_fields`] says which field each column holds, per collection. `list_sums`
//! holds the numbers reports add up (`ListSpec::sums`: a seminar's participants per
//! target group, a distribution's copies) as one text ([`sums_text`]), so a report reads
//! every record's keys and numbers off `records_by_collection` alone, never a document.
//!
//! Why columns and not indexes on `json_extract(doc, …)`: SQLite evaluated those
//! expressions (parsing the document) for every index on every write of a record, and
//! rewrote every such index whenever `doc` or `deleted` changed, even when no key did
//! (editing a note rewrote every list index of its record). The store writes these
//! columns only when a key changes, so an index is touched only when its key is.
//!
//! Invariant: a record's list keys are those [`list_keys`] computes from its stored
//! document (every write of `doc` goes through `Writer::write_row` or an insert that
//! sets them).

use rusqlite::types::Value as SqlValue;
use saite_domain::Collection;
use serde_json::{Map, Value};

use crate::{error::Result, read::stored_collection};

/// The columns, in the order of [`list_key_fields`].
pub(crate) const LIST_KEY_COLUMNS: [&str; 5] = ["list_sort", "list_a", "list_b", "list_c", "list_sums"];

/// Which document field each list-key column holds for `collection` (in the order of
/// [`LIST_KEY_COLUMNS`]): its spec's list keys. The list indexes are built on these.
pub(crate) fn list_key_fields(collection: Collection) -> [Option<&'static str>; 4] {
    collection.spec().list.keys
}

/// The name of the list index on `collection`'s key column `column` (an index into
/// [`LIST_KEY_COLUMNS`]): named by the field it holds, so a spec that moves a column to
/// another field gets a new index (and its rows' keys written again).
pub(crate) fn list_index_name(collection: Collection, column: usize) -> String {
    let field = list_key_fields(collection)[column].unwrap_or("none");
    format!("list_{}_by_{field}", collection.as_str().replace('-', "_"))
}

/// The list indexes the specs call for, as (collection, name, SQL): for each collection,
/// one on its sort key and one on each filter key followed by the sort key, over live
/// records only, so a page and its total are read from the index alone. A filter's index
/// leaves out records without its key.
pub(crate) fn list_indexes() -> Vec<(Collection, String, String)> {
    let mut indexes = Vec::new();
    for collection in Collection::ALL {
        let live = format!("collection = '{}' AND deleted = 0", collection.as_str());
        for (i, field) in list_key_fields(collection).iter().enumerate() {
            if field.is_none() {
                continue;
            }
            let name = list_index_name(collection, i);
            let sql = if i == 0 {
                format!("CREATE INDEX {name} ON records (list_sort) WHERE {live}")
            } else {
                let column = LIST_KEY_COLUMNS[i];
                format!("CREATE INDEX {name} ON records ({column}, list_sort) WHERE {live} AND {column} IS NOT NULL")
            };
            indexes.push((collection, name, sql));
        }
    }
    indexes
}

/// Makes the list indexes [`list_indexes`] names and drops any other `list_` index (a
/// key a spec no longer has). Every opening of a store runs it after the migrations, so
/// a spec's list keys are indexed without a migration of their own; a collection whose
/// indexes changed has its rows' list keys written again from their documents first.
pub(crate) fn ensure_list_indexes(conn: &rusqlite::Connection) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    let conn = &*tx;
    let wanted = list_indexes();
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND name LIKE 'list\\_%' ESCAPE '\\'",
    )?;
    let existing: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let mut changed: Vec<Collection> = Vec::new();
    for (name, sql) in &existing {
        if !wanted.iter().any(|(_, n, s)| n == name && s == sql) {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            // The collection an index of ours was on, read from its WHERE clause.
            changed.extend(Collection::ALL.into_iter().filter(|c| sql.contains(&format!("collection = '{c}'"))));
        }
    }
    let missing: Vec<&(Collection, String, String)> =
        wanted.iter().filter(|(_, n, s)| !existing.iter().any(|(en, es)| en == n && es == s)).collect();
    changed.extend(missing.iter().map(|(c, _, _)| *c));
    changed.sort();
    changed.dedup();
    for collection in changed {
        refill_list_keys(conn, collection)?;
    }
    for (_, _, sql) in missing {
        conn.execute_batch(sql)?;
    }
    tx.commit()?;
    Ok(())
}

/// Writes the list keys of every record of `collection` again from its document.
fn refill_list_keys(conn: &rusqlite::Connection, collection: Collection) -> Result<()> {
    let mut read = conn.prepare("SELECT rid, doc FROM records WHERE collection = ?1")?;
    let rows: Vec<(i64, String)> =
        read.query_map([collection.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut write = conn.prepare(
        "UPDATE records SET list_sort = ?2, list_a = ?3, list_b = ?4, list_c = ?5, list_sums = ?6 WHERE rid = ?1",
    )?;
    for (rid, doc) in rows {
        let [sort, a, b, c, sums] = list_keys(collection, &crate::read::stored_doc(&doc)?);
        write.execute(rusqlite::params![rid, sort, a, b, c, sums])?;
    }
    Ok(())
}

/// The `meta` key holding which fields the stored `list_sums` were written for.
const SUMS_KEY: &str = "list_sums";

/// Which fields the specs sum, as one line (`seminar.participants distribution.quantity`).
fn summed_fields() -> String {
    let mut fields = Vec::new();
    for collection in Collection::ALL {
        fields.extend(collection.spec().list.sums.iter().map(|f| format!("{collection}.{f}")));
    }
    fields.join(" ")
}

/// Writes every record's `list_sums` again when the specs sum other fields than they
/// were written for (or none were: a store from before the column). Every opening of a
/// store runs it after the migrations.
pub(crate) fn ensure_list_sums(conn: &rusqlite::Connection) -> Result<()> {
    let wanted = summed_fields();
    if crate::store::meta(conn, SUMS_KEY)?.as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    // Only the sums: the other keys, and the list indexes on them, stay as they are.
    let mut read = tx.prepare("SELECT rid, collection, doc, list_sums FROM records")?;
    let mut write = tx.prepare("UPDATE records SET list_sums = ?2 WHERE rid = ?1")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let collection = stored_collection(&row.get::<_, String>(1)?)?;
        let [.., sums] = list_keys(collection, &crate::read::stored_doc(&row.get::<_, String>(2)?)?);
        if sums != row.get::<_, SqlValue>(3)? {
            write.execute(rusqlite::params![row.get::<_, i64>(0)?, sums])?;
        }
    }
    drop(rows);
    drop((read, write));
    crate::store::set_meta(&tx, SUMS_KEY, &wanted)?;
    tx.commit()?;
    Ok(())
}

/// A record's summed numbers (`CollectionSpec::sums`) as `list_sums` holds them, each
/// as `;field:code=value` and a closing `;` (`;participants:pupils=12;participants:
/// teachers=3;`, `;quantity:=30;`), or NULL for none. Codes and field names hold no
/// `;`, `:` or `=`, so `;participants:pupils=` finds a seminar with pupils
/// ([`sums_pattern`]).
pub(crate) fn sums_text(sums: &[saite_domain::ReportNumber]) -> SqlValue {
    // A code that holds one of the marks (only an invalid record's can) is left out:
    // it would read as other entries.
    let plain = |s: &str| !s.contains([';', ':', '=']);
    let mut text = String::from(";");
    for (field, code, value) in sums.iter().filter(|(field, code, _)| plain(field) && plain(code)) {
        text.push_str(&format!("{field}:{code}={value};"));
    }
    // None at all (or none plain): NULL, as for a record without sums.
    if text.len() == 1 {
        return SqlValue::Null;
    }
    SqlValue::Text(text)
}

/// What `list_sums` holds for a record with some of `code` in `field`.
pub(crate) fn sums_pattern(field: &str, code: &str) -> String {
    format!(";{field}:{code}=")
}

/// The (field, code, value) of a [`sums_text`], field and code as bytes; whatever does
/// not read is left out. Read as the bytes SQLite gives (the marks are ASCII): reports
/// read one per record, and checking and splitting it as a `str` was a third of their
/// time.
pub(crate) fn read_sums(text: &[u8]) -> impl Iterator<Item = (&[u8], &[u8], i64)> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b';', text).chain(std::iter::once(text.len()));
    let entries = ends.map(move |end| {
        let entry = &text[start..end];
        start = end + 1;
        entry
    });
    entries.filter_map(|entry| {
        let equals = memchr::memchr(b'=', entry)?;
        let (name, value) = (&entry[..equals], &entry[equals + 1..]);
        let colon = memchr::memchr(b':', name)?;
        Some((&name[..colon], &name[colon + 1..], std::str::from_utf8(value).ok()?.parse().ok()?))
    })
}

/// The total of `field`'s values in a `list_sums` column's value (0 for NULL): a
/// distribution's copies.
pub(crate) fn summed(sums: rusqlite::types::ValueRef<'_>, field: &str) -> u64 {
    match sums {
        rusqlite::types::ValueRef::Text(text) => {
            read_sums(text).filter(|(f, _, _)| *f == field.as_bytes()).map(|(_, _, n)| n.max(0) as u64).sum()
        }
        _ => 0,
    }
}

/// The column holding `field` of `collection`, if one does.
pub(crate) fn column_of(collection: Collection, field: &str) -> Option<&'static str> {
    list_key_fields(collection).iter().zip(LIST_KEY_COLUMNS).find(|(f, _)| **f == Some(field)).map(|(_, column)| column)
}

/// A record's list keys and sums, as the columns hold them.
pub(crate) type ListKeys = [SqlValue; 5];

/// The list keys of a document: each field's value as `json_extract` would give it
/// (so filters compare as they did on the expression indexes), NULL when absent; the
/// sort key's text lower-cased (names sort without regard to case in any alphabet,
/// compared byte by byte).
pub(crate) fn list_keys(collection: Collection, doc: &Map<String, Value>) -> ListKeys {
    let [mut sort, a, b, c] =
        list_key_fields(collection).map(|field| field.and_then(|f| doc.get(f)).map_or(SqlValue::Null, sql_value));
    if let SqlValue::Text(text) = &mut sort
        && text.chars().any(char::is_uppercase)
    {
        *text = text.to_lowercase();
    }
    [sort, a, b, c, sums_text(&collection.spec().sums(doc))]
}

fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => {
            n.as_i64().map(SqlValue::Integer).unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(f64::NAN)))
        }
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

impl crate::Store {
    /// Records whose list-key columns differ from the keys of their document: none,
    /// unless a write forgot them (the tests check every path keeps the invariant).
    pub fn stale_list_keys(&self) -> Result<Vec<saite_domain::RecordId>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, collection, doc, list_sort, list_a, list_b, list_c, list_sums FROM records")?;
        let mut rows = stmt.query([])?;
        let mut stale = Vec::new();
        while let Some(row) = rows.next()? {
            let collection = stored_collection(&row.get::<_, String>(1)?)?;
            let doc = crate::read::stored_doc(&row.get::<_, String>(2)?)?;
            let stored: ListKeys = [row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?];
            if stored != list_keys(collection, &doc) {
                stale.push(crate::read::stored_id(&row.get::<_, String>(0)?)?);
            }
        }
        Ok(stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_field_is_a_field_the_list_may_sort_or_filter_on() {
        for collection in Collection::ALL {
            let [sort, filters @ ..] = list_key_fields(collection);
            if let Some(sort) = sort {
                assert!(crate::sortable_fields(collection).contains(&sort), "{collection} sorts on {sort}");
            }
            for f in filters.into_iter().flatten() {
                assert!(crate::filterable_fields(collection).contains(&f), "{collection} filters on {f}");
            }
        }
    }

    #[test]
    fn no_list_filters_on_a_sort_key() {
        // The sort column holds its text lower-cased: a filter comparing a value with it
        // would have to lower-case the value too. None does (a year compares dates).
        for collection in Collection::ALL {
            if let [Some(sort), ..] = list_key_fields(collection) {
                assert!(!crate::filterable_fields(collection).contains(&sort), "{collection} filters on {sort}");
            }
        }
    }

    #[test]
    fn keys_are_what_json_extract_gives() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for value in [
            serde_json::json!("Rēzekne"),
            serde_json::json!(12),
            serde_json::json!(2.5),
            serde_json::json!(true),
            Value::Null,
        ] {
            let doc = serde_json::json!({ "date": value, "municipality": value });
            let from_sql: SqlValue =
                conn.query_row("SELECT json_extract(?1, '$.date')", [doc.to_string()], |r| r.get(0)).unwrap();
            let [sort, municipality, ..] = list_keys(Collection::Seminar, doc.as_object().unwrap());
            assert_eq!(municipality, from_sql, "{value}");
            // The sort key is the same, its text lower-cased.
            let lower = match from_sql {
                SqlValue::Text(t) => SqlValue::Text(t.to_lowercase()),
                other => other,
            };
            assert_eq!(sort, lower, "{value}");
        }
        assert_eq!(list_keys(Collection::Seminar, &Map::new()), [const { SqlValue::Null }; 5]);
    }

    #[test]
    fn sums_read_back_as_written_and_a_pattern_finds_one_group_only() {
        let sums = vec![
            ("participants", "pupils".to_owned(), 12),
            ("participants", "social-workers".to_owned(), 3),
            ("quantity", String::new(), 30),
        ];
        let SqlValue::Text(text) = sums_text(&sums) else { panic!("a text") };
        let read: Vec<(&[u8], &[u8], i64)> = read_sums(text.as_bytes()).collect();
        let expected: [(&[u8], &[u8], i64); 3] =
            [(b"participants", b"pupils", 12), (b"participants", b"social-workers", 3), (b"quantity", b"", 30)];
        assert_eq!(read, expected);
        assert!(text.contains(&sums_pattern("participants", "social-workers")));
        assert!(!text.contains(&sums_pattern("participants", "social")), "a code is not found by its start");
        assert_eq!(sums_text(&[]), SqlValue::Null);
        // An invalid record's code holding the marks would read as another entry.
        assert_eq!(sums_text(&[("participants", "x;participants:teachers".to_owned(), 3)]), SqlValue::Null);
    }

    proptest::proptest! {
        /// The byte reader reads what splitting the text as a `str` reads, for any text
        /// (marks where codes would be, numbers out of range, signs, empty parts).
        #[test]
        fn sums_read_as_bytes_as_they_read_as_text(text in "[;:=+\\-0-9a-zé]{0,40}") {
            let as_text: Vec<(&[u8], &[u8], i64)> = text
                .split(';')
                .filter_map(|entry| {
                    let (name, value) = entry.split_once('=')?;
                    let (field, code) = name.split_once(':')?;
                    Some((field.as_bytes(), code.as_bytes(), value.parse().ok()?))
                })
                .collect();
            proptest::prop_assert_eq!(read_sums(text.as_bytes()).collect::<Vec<_>>(), as_text);
        }
    }

    #[test]
    fn a_store_from_before_the_sums_has_them_written_when_it_opens() {
        use std::sync::Arc;

        use crate::{ListFilter, ReportDimension, ReportFigure, ReportQuery, Store, key::KdfParams};
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(saite_domain::ManualClock::at(1_700_000_000_000));
        let mut s = Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, clock, "sums").unwrap();
        for (date, groups) in [
            ("2014-03-01", serde_json::json!({"pupils": 12, "teachers": 3})),
            ("2015-05-02", serde_json::json!({"pupils": 0})),
        ] {
            let doc = serde_json::json!({"title": "Seminārs", "kind": "training", "date": date, "municipality": "riga",
                "participants": groups});
            s.create(Collection::Seminar, doc.as_object().unwrap().clone()).unwrap();
        }
        let by_year = ReportQuery { figure: ReportFigure::Events, by: ReportDimension::Year, filters: vec![] };
        let before = s.report(&by_year).unwrap();
        assert_eq!(before.total, [2, 15, 3, 12], "teachers come before pupils in the code list");
        let teachers = ListFilter::Counts { field: "participants".into(), code: "teachers".into() };
        assert_eq!(s.report(&ReportQuery { filters: vec![teachers], ..by_year.clone() }).unwrap().total[0], 1);

        // As a store of schema 1 opens: the column empty, never written.
        s.conn.execute_batch("UPDATE records SET list_sums = NULL; DELETE FROM meta WHERE key = 'list_sums';").unwrap();
        assert_eq!(s.report(&by_year).unwrap().total, [2, 0]);
        assert_eq!(s.stale_list_keys().unwrap().len(), 1, "the seminar with people");
        ensure_list_sums(&s.conn).unwrap();
        assert_eq!(s.report(&by_year).unwrap(), before);
        assert_eq!(s.stale_list_keys().unwrap(), vec![]);
        // Written once: a later opening leaves them alone.
        s.conn.execute("UPDATE records SET list_sums = NULL", []).unwrap();
        ensure_list_sums(&s.conn).unwrap();
        assert_eq!(s.stale_list_keys().unwrap().len(), 1);
    }
}
