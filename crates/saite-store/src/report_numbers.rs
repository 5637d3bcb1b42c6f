//! The numbers reports add up, kept out of the documents in `report_numbers`.
//!
//! Glossary: a record's **report numbers** are the values of the fields its
//! collection's spec lists as summed (`ListSpec::sums`): one row per target group of a
//! seminar's participants, one for a distribution's copies. A report joins its records
//! to these rows instead of reading every document, which SQLite would decrypt and
//! parse for each record counted.
//!
//! Invariant: a record's rows are those its stored document gives
//! (`CollectionSpec::sums`), like its list keys: every write of `records.doc` writes
//! them ([`replace`]), and a store whose rows were made for other specs (or before the
//! table existed) has them made again when it opens ([`ensure_report_numbers`]).

use rusqlite::Connection;
use saite_domain::{Collection, ReportNumber};

use crate::{
    error::Result,
    read::{stored_collection, stored_doc},
    store::{meta, set_meta},
};

/// The `meta` key holding which fields the rows were made for.
const FIELDS_KEY: &str = "report_numbers";

/// Which fields the specs sum, as one line (`seminar.participants distribution.quantity`).
fn summed_fields() -> String {
    let mut fields = Vec::new();
    for collection in Collection::ALL {
        fields.extend(collection.spec().list.sums.iter().map(|f| format!("{collection}.{f}")));
    }
    fields.join(" ")
}

/// Makes every record's report numbers again when the specs sum other fields than the
/// rows were made for (or they were never made: a store from before the table).
pub(crate) fn ensure_report_numbers(conn: &Connection) -> Result<()> {
    let wanted = summed_fields();
    if meta(conn, FIELDS_KEY)?.as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM report_numbers", [])?;
    let summing: Vec<&str> =
        Collection::ALL.into_iter().filter(|c| !c.spec().list.sums.is_empty()).map(|c| c.as_str()).collect();
    let mut read = tx.prepare(&format!(
        "SELECT rid, collection, doc FROM records WHERE collection IN ({})",
        summing.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
    ))?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let collection = stored_collection(&row.get::<_, String>(1)?)?;
        let doc = stored_doc(&row.get::<_, String>(2)?)?;
        replace(&tx, row.get(0)?, &[], &collection.spec().sums(&doc))?;
    }
    drop(rows);
    drop(read);
    set_meta(&tx, FIELDS_KEY, &wanted)?;
    tx.commit()?;
    Ok(())
}

/// Writes a record's report numbers after its document changed from one giving
/// `before` (none for a record new here) to one giving `after`; nothing when they are
/// the same (an edited note rewrites no row).
pub(crate) fn replace(conn: &Connection, rid: i64, before: &[ReportNumber], after: &[ReportNumber]) -> Result<()> {
    if before == after {
        return Ok(());
    }
    if !before.is_empty() {
        conn.prepare_cached("DELETE FROM report_numbers WHERE rid = ?1")?.execute([rid])?;
    }
    let mut insert =
        conn.prepare_cached("INSERT INTO report_numbers (rid, field, code, value) VALUES (?1, ?2, ?3, ?4)")?;
    for (field, code, value) in after {
        insert.execute(rusqlite::params![rid, field, code, value])?;
    }
    Ok(())
}

impl crate::Store {
    /// Records whose report numbers differ from those of their document: none, unless
    /// a write forgot them (the tests check every path keeps the invariant).
    pub fn stale_report_numbers(&self) -> Result<Vec<saite_domain::RecordId>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, collection, doc, (SELECT json_group_array(json_array(field, code, value)) FROM
               (SELECT field, code, value FROM report_numbers n WHERE n.rid = records.rid ORDER BY field, code))
             FROM records",
        )?;
        let mut rows = stmt.query([])?;
        let mut stale = Vec::new();
        while let Some(row) = rows.next()? {
            let collection = stored_collection(&row.get::<_, String>(1)?)?;
            let mut wanted = collection.spec().sums(&stored_doc(&row.get::<_, String>(2)?)?);
            wanted.sort();
            let wanted: Vec<(String, String, i64)> =
                wanted.into_iter().map(|(f, code, value)| (f.to_owned(), code, value)).collect();
            let stored: Vec<(String, String, i64)> = serde_json::from_str(&row.get::<_, String>(3)?)
                .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
            if stored != wanted {
                stale.push(crate::read::stored_id(&row.get::<_, String>(0)?)?);
            }
        }
        Ok(stale)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::ManualClock;
    use serde_json::json;

    use super::*;
    use crate::{ListFilter, ReportDimension, ReportFigure, ReportQuery, Store, key::KdfParams};

    #[test]
    fn a_store_from_before_the_table_has_its_numbers_made_when_it_opens() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let mut s = Store::initialize(dir.path(), "p", KdfParams::FAST_FOR_TESTS, clock, "numbers").unwrap();
        for (date, groups) in
            [("2014-03-01", json!({"pupils": 12, "teachers": 3})), ("2015-05-02", json!({"pupils": 0}))]
        {
            let doc = json!({"title": "Seminārs", "kind": "training", "date": date, "municipality": "riga",
                "participants": groups});
            s.create(Collection::Seminar, doc.as_object().unwrap().clone()).unwrap();
        }
        let by_year = ReportQuery { figure: ReportFigure::Events, by: ReportDimension::Year, filters: vec![] };
        let before = s.report(&by_year).unwrap();
        assert_eq!(before.total, [2, 15, 3, 12], "teachers come before pupils in the code list");
        let teachers = ListFilter::Counts { field: "participants".into(), code: "teachers".into() };
        let with_teachers = ReportQuery { filters: vec![teachers], ..by_year.clone() };
        assert_eq!(s.report(&with_teachers).unwrap().total[0], 1);

        // As a store of schema 1 opens: the table empty, never filled.
        s.conn.execute_batch("DELETE FROM report_numbers; DELETE FROM meta WHERE key = 'report_numbers';").unwrap();
        assert_eq!(s.report(&by_year).unwrap().total, [2, 0]);
        assert_eq!(s.stale_report_numbers().unwrap().len(), 1, "the seminar with people");
        ensure_report_numbers(&s.conn).unwrap();
        assert_eq!(s.report(&by_year).unwrap(), before);
        assert_eq!(s.stale_report_numbers().unwrap(), vec![]);
        // Made once: a later opening leaves them alone.
        s.conn.execute("DELETE FROM report_numbers WHERE field = 'participants' AND code = 'teachers'", []).unwrap();
        ensure_report_numbers(&s.conn).unwrap();
        assert_eq!(s.stale_report_numbers().unwrap().len(), 1);
    }
}
