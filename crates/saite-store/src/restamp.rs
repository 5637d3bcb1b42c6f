//! Re-stamping the changes a wrong clock stamped ahead of the server's, when the server
//! refuses them (the rule is [`saite_protocol::clock`]'s; this writes it).
//!
//! Glossary:
//! - **ahead**: an outbox change whose stamp is later than the server's time.
//! - **kept stamp**: any stamp the store holds that is not an ahead change's: its own
//!   acknowledged ones (the server took them, so they lie within its bound) and those it
//!   pulled.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params;
use saite_domain::{Collection, Hlc, RecordId};
use saite_protocol::clock::{latest_stamp_at, restamp_ahead};

use crate::{
    Result, Store, StoreError,
    write::{Writer, encode_stamps},
};

impl Store {
    /// Gives every outbox change after `applied_seq` (the server's: those up to it are
    /// stored with their stamps) stamped after `server_now_ms` a new stamp by the
    /// server's time, later than every stamp the store keeps, in outbox order; the
    /// records' stamps, their history and the local checksums follow, in one transaction,
    /// and this laptop's clock once it commits. Returns how many changes were stamped
    /// again (0: none was ahead).
    pub fn restamp_ahead(&mut self, server_now_ms: u64, applied_seq: i64) -> Result<usize> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let bound = latest_stamp_at(server_now_ms).to_string();
        let device = self.hlc.device();
        let mut w = self.writer()?;
        let ahead: Vec<(i64, String, Hlc)> =
            w.tx.prepare(
                "SELECT device_seq, record_id, hlc FROM outbox WHERE hlc > ?1 AND device_seq > ?2 ORDER BY device_seq",
            )?
            .query_map(params![&bound, applied_seq], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?
            .map(|row| {
                let (seq, record, hlc) = row?;
                Ok((seq, record, hlc.parse().map_err(|_| corrupt(format!("outbox {seq}: stamp")))?))
            })
            .collect::<Result<_>>()?;
        if ahead.is_empty() {
            return Ok(0);
        }
        let old: std::collections::HashSet<Hlc> = ahead.iter().map(|(_, _, h)| *h).collect();
        // The records the ahead changes touch, with their stamps.
        let mut touched: BTreeMap<String, BTreeMap<String, Hlc>> = BTreeMap::new();
        for (_, record, _) in &ahead {
            if touched.contains_key(record) {
                continue;
            }
            let id: RecordId = record.parse().map_err(|_| corrupt(format!("outbox record {record}")))?;
            let current = w.load(id)?.ok_or_else(|| corrupt(format!("outbox record {record} not stored")))?;
            let stamps = w.stamps_of(current.rid, id)?;
            touched.insert(record.clone(), stamps);
        }
        // The latest stamp kept: of the records untouched, their latest; of the touched,
        // their stamps but the ahead ones; and the texts' synced-through stamp.
        let untouched: Option<String> = w.tx.query_row(
            "SELECT max(updated_hlc) FROM records
             WHERE id NOT IN (SELECT record_id FROM outbox WHERE hlc > ?1 AND device_seq > ?2)",
            params![&bound, applied_seq],
            |r| r.get(0),
        )?;
        let mut kept: Option<Hlc> =
            untouched.map(|t| t.parse().map_err(|_| corrupt("a record's latest stamp".into()))).transpose()?;
        for stamp in touched.values().flat_map(|stamps| stamps.values()).filter(|h| !old.contains(h)) {
            kept = kept.max(Some(*stamp));
        }
        kept = kept.max(w.texts_synced_through()?);
        let pending: Vec<(i64, Hlc)> = ahead.iter().map(|(seq, _, h)| (*seq, *h)).collect();
        let (restamps, clock) = restamp_ahead(&pending, server_now_ms, kept, device);
        let changes: Vec<(i64, String, Hlc, Hlc)> =
            restamps.iter().zip(&ahead).map(|(r, (_, record, _))| (r.seq, record.clone(), r.old, r.new)).collect();
        w.replace_outbox_stamps(&changes)?;
        // The clock goes on from the last new stamp: kept with the commit, and taken up
        // here only once the commit has succeeded.
        crate::store::set_meta(&w.tx, "hlc_last", &clock.last().to_string())?;
        w.commit()?;
        self.hlc = clock;
        Ok(restamps.len())
    }
}

impl Writer<'_> {
    /// Gives outbox changes new stamps, each `(seq, record, old stamp, new stamp)`: the
    /// outbox rows, the records' field stamps (and first and latest stamp), their history
    /// and the local checksums follow, in this transaction.
    pub(crate) fn replace_outbox_stamps(&mut self, changes: &[(i64, String, Hlc, Hlc)]) -> Result<()> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let new_of: HashMap<Hlc, Hlc> = changes.iter().map(|(_, _, old, new)| (*old, *new)).collect();
        let mut touched: BTreeMap<&str, (i64, Collection)> = BTreeMap::new();
        for (seq, record, old, new) in changes {
            let rid = match touched.get(record.as_str()) {
                Some((rid, _)) => *rid,
                None => {
                    let id: RecordId = record.parse().map_err(|_| corrupt(format!("outbox record {record}")))?;
                    let current =
                        self.load(id)?.ok_or_else(|| corrupt(format!("outbox record {record} not stored")))?;
                    touched.insert(record, (current.rid, current.collection));
                    current.rid
                }
            };
            let (old, new) = (old.to_string(), new.to_string());
            self.tx.prepare_cached("UPDATE outbox SET hlc = ?2 WHERE device_seq = ?1")?.execute(params![seq, new])?;
            self.tx
                .prepare_cached("UPDATE history SET hlc = ?3 WHERE rid = ?1 AND hlc = ?2")?
                .execute(params![rid, old, new])?;
        }
        for (record, (rid, collection)) in touched {
            let id: RecordId = record.parse().map_err(|_| corrupt(format!("outbox record {record}")))?;
            let stamps = self.stamps_of(rid, id)?;
            let mut changed = Vec::new();
            let mut after = stamps.clone();
            for (field, stamp) in &stamps {
                if let Some(new) = new_of.get(stamp) {
                    after.insert(field.clone(), *new);
                    changed.push((field.as_str(), Some(*stamp), *new));
                }
            }
            let latest = after.values().max().copied();
            self.write_stamps(rid, (id, collection), encode_stamps(&after), &changed)?;
            let created: String =
                self.tx.query_row("SELECT created_hlc FROM records WHERE rid = ?1", [rid], |r| r.get(0))?;
            let created = created.parse::<Hlc>().map_err(|_| corrupt(format!("record {record}: first stamp")))?;
            let created = new_of.get(&created).copied().unwrap_or(created);
            self.tx
                .prepare_cached("UPDATE records SET updated_hlc = ?2, created_hlc = ?3 WHERE rid = ?1")?
                .execute(params![rid, latest.unwrap_or(created).to_string(), created.to_string()])?;
        }
        Ok(())
    }
}
