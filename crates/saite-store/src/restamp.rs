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

use crate::{Result, Store, StoreError, write::encode_stamps};

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
        let mut touched: BTreeMap<String, (i64, Collection, BTreeMap<String, Hlc>)> = BTreeMap::new();
        for (_, record, _) in &ahead {
            if touched.contains_key(record) {
                continue;
            }
            let id: RecordId = record.parse().map_err(|_| corrupt(format!("outbox record {record}")))?;
            let current = w.load(id)?.ok_or_else(|| corrupt(format!("outbox record {record} not stored")))?;
            let stamps = w.stamps_of(current.rid, id)?;
            touched.insert(record.clone(), (current.rid, current.collection, stamps));
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
        for stamp in touched.values().flat_map(|(_, _, stamps)| stamps.values()).filter(|h| !old.contains(h)) {
            kept = kept.max(Some(*stamp));
        }
        kept = kept.max(w.texts_synced_through()?);
        let pending: Vec<(i64, Hlc)> = ahead.iter().map(|(seq, _, h)| (*seq, *h)).collect();
        let (restamps, clock) = restamp_ahead(&pending, server_now_ms, kept, device);
        let new_of: HashMap<Hlc, Hlc> = restamps.iter().map(|r| (r.old, r.new)).collect();
        for (r, (_, record, _)) in restamps.iter().zip(&ahead) {
            let (old, new) = (r.old.to_string(), r.new.to_string());
            w.tx.prepare_cached("UPDATE outbox SET hlc = ?2 WHERE device_seq = ?1")?.execute(params![r.seq, new])?;
            let rid = touched[record].0;
            w.tx.prepare_cached("UPDATE history SET hlc = ?3 WHERE rid = ?1 AND hlc = ?2")?
                .execute(params![rid, old, new])?;
        }
        for (record, (rid, collection, stamps)) in touched {
            let id: RecordId = record.parse().map_err(|_| corrupt(format!("outbox record {record}")))?;
            let mut changed = Vec::new();
            let mut after = stamps.clone();
            for (field, stamp) in &stamps {
                if let Some(new) = new_of.get(stamp) {
                    after.insert(field.clone(), *new);
                    changed.push((field.as_str(), Some(*stamp), *new));
                }
            }
            let latest = after.values().max().copied();
            w.write_stamps(rid, (id, collection), encode_stamps(&after), &changed)?;
            let created: String =
                w.tx.query_row("SELECT created_hlc FROM records WHERE rid = ?1", [rid], |r| r.get(0))?;
            let created = created.parse::<Hlc>().map_err(|_| corrupt(format!("record {record}: first stamp")))?;
            let created = new_of.get(&created).copied().unwrap_or(created);
            w.tx.prepare_cached("UPDATE records SET updated_hlc = ?2, created_hlc = ?3 WHERE rid = ?1")?
                .execute(params![rid, latest.unwrap_or(created).to_string(), created.to_string()])?;
        }
        // The clock goes on from the last new stamp: kept with the commit, and taken up
        // here only once the commit has succeeded.
        crate::store::set_meta(&w.tx, "hlc_last", &clock.last().to_string())?;
        w.commit()?;
        self.hlc = clock;
        Ok(restamps.len())
    }
}
