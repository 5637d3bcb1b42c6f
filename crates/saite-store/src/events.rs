//! Events for the office's audit: what this laptop did although no record changed (an
//! export of records to a file), with its time, kept here until the server has them.
//!
//! Glossary:
//! - **event outbox**: the events not yet acknowledged, by seq; the sync round sends
//!   them and drops those up to the seq the server answers.

use rusqlite::params;
use saite_protocol::{DeviceEvent, DeviceEventAction, EventDetail};
use serde_json::Value;

use crate::{Result, Store, StoreError};

impl Store {
    /// Notes an event for the audit, at the clock's time.
    pub fn note_event(&self, action: DeviceEventAction, detail: &EventDetail) -> Result<()> {
        let action = serde_json::to_value(action).expect("an action serialises");
        let detail = serde_json::to_string(detail).expect("a detail serialises");
        self.conn.execute(
            "INSERT INTO event_outbox (action, at_ms, detail) VALUES (?1, ?2, ?3)",
            params![action.as_str(), self.clock.now_ms() as i64, detail],
        )?;
        Ok(())
    }

    /// The first `limit` events waiting, oldest first.
    pub fn waiting_events(&self, limit: u32) -> Result<Vec<DeviceEvent>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT seq, action, at_ms, detail FROM event_outbox ORDER BY seq LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (seq, action, at_ms, detail) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("event {seq}: {what}"));
            events.push(DeviceEvent {
                seq: seq as u64,
                action: serde_json::from_value(Value::String(action)).map_err(|_| corrupt("action"))?,
                at_ms: at_ms as u64,
                detail: serde_json::from_str(&detail).map_err(|_| corrupt("detail"))?,
            });
        }
        Ok(events)
    }

    /// Drops the events up to `seq`, which the server has.
    pub fn ack_events(&self, seq: u64) -> Result<()> {
        self.conn.execute("DELETE FROM event_outbox WHERE seq <= ?1", [seq as i64])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::ManualClock;

    use super::*;
    use crate::key::KdfParams;

    #[test]
    fn events_wait_in_order_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_000));
        let store = Store::initialize(dir.path(), "parole", KdfParams::FAST_FOR_TESTS, clock.clone(), "x").unwrap();
        let file = |name: &str| EventDetail { file: Some(name.into()), ..Default::default() };
        store.note_event(DeviceEventAction::Export, &file("Pasākumi.csv")).unwrap();
        clock.advance(500);
        store.note_event(DeviceEventAction::Export, &file("Kontakti.vcf")).unwrap();
        let waiting = store.waiting_events(10).unwrap();
        let seen: Vec<_> = waiting.iter().map(|e| (e.seq, e.at_ms, e.detail.file.clone().unwrap())).collect();
        assert_eq!(seen, [(1, 1_000, "Pasākumi.csv".to_owned()), (2, 1_500, "Kontakti.vcf".to_owned())]);
        assert_eq!(store.waiting_events(1).unwrap().len(), 1);
        store.ack_events(1).unwrap();
        assert_eq!(store.waiting_events(10).unwrap()[0].seq, 2);
        store.ack_events(2).unwrap();
        store.note_event(DeviceEventAction::Export, &EventDetail::default()).unwrap();
        assert_eq!(store.waiting_events(10).unwrap()[0].seq, 3, "seqs are never reused");
    }
}
