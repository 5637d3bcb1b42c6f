//! Upgrading the records an earlier version wrote ([`saite_domain::upgrade`]): every
//! live legacy record once when a store first opens under this version, then those a
//! pulled page brings (before any laptop upgraded them), and one restored from the
//! trash.
//!
//! The changes are this laptop's own (stamped, in the outbox, in history as local
//! edits), so the server and the other laptops learn them; the records an upgrade
//! creates have derived ids, so two laptops upgrading the same record create the same
//! records and sync merges them.
//!
//! Invariant: upgrading never refuses. A record in the trash is left as it is (an edit
//! would take it out); one that is not whole yet (a pull's later page holds the rest) is
//! left for the page that completes it, one naming a record in the trash for its next
//! edit; a link to a record in the trash is not made. An upgrade's writes are stamped
//! just after the retired value, so every laptop's upgrade of a record is stamped alike
//! and never outranks an edit made since.

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use saite_domain::{
    Collection, Hlc, RecordId,
    fold::fold,
    upgrade::{LEVEL, derived_id, is_legacy, upgrade},
    validate_document,
};
use serde_json::{Map, Value};

use crate::{
    Store,
    error::Result,
    read::stored_collection,
    store::{meta_number, set_meta},
    write::{Origin, Writer},
};

const LEVEL_KEY: &str = "upgrade_level";

impl Store {
    /// Upgrades every live legacy record, once per [`LEVEL`]. Returns how many.
    pub(crate) fn upgrade_legacy_records(&mut self) -> Result<u64> {
        if meta_number::<u32>(&self.conn, LEVEL_KEY, "upgrade level")? >= LEVEL {
            return Ok(0);
        }
        let mut w = self.writer()?;
        let upgraded = w.upgrade_legacy(None)?;
        set_meta(&w.tx, LEVEL_KEY, &LEVEL.to_string())?;
        w.commit()?;
        Ok(upgraded)
    }
}

impl Writer<'_> {
    /// Upgrades the live legacy records among `only` (every record, if `None`). Returns
    /// how many it upgraded.
    pub(crate) fn upgrade_legacy(&mut self, only: Option<&[RecordId]>) -> Result<u64> {
        let retiring: Vec<&str> =
            Collection::ALL.into_iter().filter(|c| !c.spec().retired.is_empty()).map(|c| c.as_str()).collect();
        if retiring.is_empty() || only.is_some_and(<[RecordId]>::is_empty) {
            return Ok(0);
        }
        let mut legacy: Vec<(RecordId, Collection, Map<String, Value>)> = Vec::new();
        let mut consider = |id: String, collection: String, doc: String| -> Result<()> {
            let collection = stored_collection(&collection)?;
            let doc: Map<String, Value> =
                serde_json::from_str(&doc).map_err(|e| crate::StoreError::Corrupt(format!("record {id}: {e}")))?;
            if is_legacy(collection, &doc) {
                let id = id.parse().map_err(|_| crate::StoreError::Corrupt(format!("record id {id:?}")))?;
                legacy.push((id, collection, doc));
            }
            Ok(())
        };
        match only {
            Some(ids) => {
                let mut stmt =
                    self.tx.prepare_cached("SELECT id, collection, doc FROM records WHERE id = ?1 AND deleted = 0")?;
                for id in ids {
                    let row = stmt.query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
                    if let Some((id, collection, doc)) = row {
                        consider(id, collection, doc)?;
                    }
                }
            }
            None => {
                let in_list = retiring.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
                let mut stmt = self.tx.prepare(&format!(
                    "SELECT id, collection, doc FROM records WHERE collection IN ({in_list}) AND deleted = 0"
                ))?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                for row in rows {
                    let (id, collection, doc) = row?;
                    consider(id, collection, doc)?;
                }
            }
        }
        if legacy.is_empty() {
            return Ok(0);
        }
        // The records an upgrade may link to by name, read once.
        let mut names: HashMap<Collection, HashMap<String, RecordId>> = HashMap::new();
        for c in [Collection::Funder, Collection::Organisation] {
            names.insert(c, self.live_names(c)?);
        }
        let mut upgraded = 0;
        for (id, collection, doc) in legacy {
            // The derived record when this laptop holds it (so laptops that made it agree),
            // else a live one of that name.
            let existing = |c: Collection, key: &str| {
                let derived = derived_id(c, key);
                match self.state_of(derived) {
                    Ok(Some(false)) => Some(derived),
                    _ => names.get(&c).and_then(|n| n.get(key)).copied(),
                }
            };
            let Some(up) = upgrade(collection, id, &doc, &existing) else { continue };
            // A derived record in the trash stays there, and nothing links to it.
            let mut trashed: Vec<String> = Vec::new();
            let mut creates = Vec::new();
            for (c, new_id, document) in up.creates {
                match self.state_of(new_id)? {
                    None if !names_any(&document, &trashed) => creates.push((c, new_id, document)),
                    Some(true) => trashed.push(new_id.to_string()),
                    _ => {}
                }
            }
            let mut patch = up.patch;
            patch.retain(|_, v| !v.as_str().is_some_and(|v| trashed.iter().any(|t| t == v)));
            let mut next = doc.clone();
            next.extend(patch.clone());
            // Every write must pass before any is made: upgrading never refuses, so a
            // record that cannot take its upgrade (not whole yet, or naming a record in
            // the trash) is left as it is, read without its retired fields.
            let made: Vec<RecordId> = creates.iter().map(|(_, i, _)| *i).collect();
            let mut passes = self.would_pass(collection, &next, &made)?;
            for (c, _, document) in &creates {
                passes = passes && self.would_pass(*c, document, &made)?;
            }
            if !passes {
                continue;
            }
            // Stamped just after the retired value, not now: every laptop upgrading the
            // record stamps alike, and an edit made since (on a laptop that upgraded
            // earlier) stays later than this one and wins.
            let current = self.load(id)?.ok_or(crate::StoreError::NotFound(id))?;
            let stamps = self.stamps_of(current.rid, id)?;
            // After every stamp of the fields it clears or sets (one set since, by a laptop
            // that has not upgraded, must not outrank it), and never ahead of this
            // laptop's own clock (then it is stamped as any edit).
            let after = collection
                .spec()
                .retired
                .iter()
                .copied()
                .chain(patch.keys().map(String::as_str))
                .filter_map(|f| stamps.get(f))
                .max()
                .map(|h| Hlc { counter: h.counter.saturating_add(1), device: self.hlc.device(), ..*h });
            let now_ms = self.clock_now_ms();
            self.stamp_override = after.filter(|h| h.wall_ms <= now_ms);
            let written = (|| -> Result<()> {
                for (c, new_id, document) in &creates {
                    self.insert_new(*new_id, *c, document, Origin::Local)?;
                }
                self.update_record(id, patch, Origin::Local)?;
                Ok(())
            })();
            self.stamp_override = None;
            written?;
            upgraded += 1;
        }
        Ok(upgraded)
    }

    /// Whether `document` of `collection` passes validation, its references naming live
    /// records or ones about to be `made`.
    fn would_pass(&self, collection: Collection, document: &Map<String, Value>, made: &[RecordId]) -> Result<bool> {
        let Ok(valid) = validate_document(collection, document) else { return Ok(false) };
        for (_, target_collection, target) in &valid.references {
            if !made.contains(target) && !self.is_live(*target, *target_collection)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether the record `id` is in the trash, or `None` if there is none.
    fn state_of(&self, id: RecordId) -> Result<Option<bool>> {
        Ok(self.held(id)?.map(|(_, deleted)| deleted))
    }
}

/// Whether any value of `document` names one of `ids`.
fn names_any(document: &Map<String, Value>, ids: &[String]) -> bool {
    document.values().any(|v| v.as_str().is_some_and(|v| ids.iter().any(|i| i == v)))
}

impl Writer<'_> {
    /// The live records of `collection` by their folded label; of two with one name,
    /// the first made.
    fn live_names(&self, collection: Collection) -> Result<HashMap<String, RecordId>> {
        let label = collection.label_field().expect("a collection with names");
        let mut stmt = self.tx.prepare(&format!(
            "SELECT id, json_extract(doc, '$.{label}') FROM records WHERE collection = ?1 AND deleted = 0 ORDER BY created_hlc DESC"
        ))?;
        let rows =
            stmt.query_map([collection.as_str()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
        let mut names = HashMap::new();
        for row in rows {
            if let (id, Some(name)) = row?
                && let Ok(id) = id.parse()
            {
                names.insert(fold(name.trim()), id);
            }
        }
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::ManualClock;
    use serde_json::json;

    use super::*;
    use crate::key::KdfParams;

    fn funders_of(s: &Store, campaign: RecordId) -> Vec<String> {
        let links = s.referrers(campaign, Some(Collection::CampaignFunder)).unwrap();
        let ids: Vec<RecordId> =
            links.iter().map(|l| l.document["funder"].as_str().unwrap().parse().unwrap()).collect();
        s.get_many(&ids).unwrap().into_iter().map(|r| r.label).collect()
    }

    #[test]
    fn a_store_of_the_earlier_version_upgrades_its_records_when_opened_and_a_restored_one_then() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let mut s = Store::initialize(dir.path(), "parole12", KdfParams::FAST_FOR_TESTS, clock.clone(), "A").unwrap();
        let new = |s: &mut Store, name: &str| {
            s.create(Collection::Campaign, json!({"name": name, "kind": "campaign"}).as_object().unwrap().clone())
                .unwrap()
                .id
        };
        let (live, trashed) = (new(&mut s, "Atver acis"), new(&mut s, "Pārdota brīvība"));
        s.delete(trashed).unwrap();
        // As an earlier version left them: funders as names, no upgrade level.
        s.conn
            .execute_batch(
                "UPDATE records SET doc = json_set(doc, '$.funders', json('[\"Rīgas dome\", \"EuroAWK\"]'))
                 WHERE collection = 'campaign';
                 DELETE FROM meta WHERE key = 'upgrade_level';",
            )
            .unwrap();
        drop(s);

        let mut s = Store::open(dir.path(), "parole12", clock, "A").unwrap();
        let mut names = funders_of(&s, live);
        names.sort();
        assert_eq!(names, ["EuroAWK", "Rīgas dome"]);
        assert!(!s.get(live).unwrap().unwrap().document.contains_key("funders"));
        assert_eq!(funders_of(&s, trashed), Vec::<String>::new(), "left in the trash as it was");
        s.restore(trashed).unwrap();
        assert_eq!(funders_of(&s, trashed).len(), 2);
        let funders: i64 =
            s.conn.query_row("SELECT count(*) FROM records WHERE collection = 'funder'", [], |r| r.get(0)).unwrap();
        assert_eq!(funders, 2, "one funder per name, shared by both campaigns");
        // Once per level: opening again upgrades nothing.
        assert_eq!(s.upgrade_legacy_records().unwrap(), 0);
    }

    #[test]
    fn a_seminars_organiser_becomes_a_link_to_an_organisation_held_or_made() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let mut s = Store::initialize(dir.path(), "parole12", KdfParams::FAST_FOR_TESTS, clock.clone(), "A").unwrap();
        let doc = |v: serde_json::Value| v.as_object().unwrap().clone();
        let dm = s
            .create(Collection::Organisation, doc(json!({"name": "Patvērums „Drošā māja”", "kind": "ngo"})))
            .unwrap()
            .id;
        let mut seminar = |title: &str| {
            s.create(
                Collection::Seminar,
                doc(json!({"title": title, "kind": "seminar", "date": "2012-11-09", "municipality": "riga"})),
            )
            .unwrap()
            .id
        };
        let (held, made) = (seminar("A"), seminar("B"));
        s.conn
            .execute_batch(&format!(
                "UPDATE records SET doc = json_set(doc, '$.organiser', 'patverums drosa maja') WHERE id = '{held}';
                 UPDATE records SET doc = json_set(doc, '$.organiser', 'Rīgas domes Labklājības departaments') WHERE id = '{made}';
                 DELETE FROM meta WHERE key = 'upgrade_level';"
            ))
            .unwrap();
        drop(s);

        let s = Store::open(dir.path(), "parole12", clock, "A").unwrap();
        let organised_by =
            |id: RecordId| s.get(id).unwrap().unwrap().document["organisedBy"].as_str().unwrap().to_owned();
        assert_eq!(organised_by(held), dm.to_string(), "the organisation of that name");
        let department = s.get(organised_by(made).parse().unwrap()).unwrap().unwrap();
        assert_eq!(
            (department.label.as_str(), department.document["kind"].as_str()),
            ("Rīgas domes Labklājības departaments", Some("other"))
        );
        assert!(s.referrers(dm, Some(Collection::Seminar)).unwrap().iter().any(|r| r.id == held), "listed on its page");
        for id in [held, made] {
            assert!(s.get(id).unwrap().unwrap().document.get("organiser").is_none_or(|v| v.is_null()));
        }
    }

    #[test]
    fn a_record_that_cannot_take_its_upgrade_keeps_its_old_value_until_it_can() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::at(1_700_000_000_000));
        let mut s = Store::initialize(dir.path(), "parole12", KdfParams::FAST_FOR_TESTS, clock.clone(), "A").unwrap();
        let doc = |v: serde_json::Value| v.as_object().unwrap().clone();
        let old = s.create(Collection::Campaign, doc(json!({"name": "Vecā", "kind": "campaign"}))).unwrap().id;
        let live = s.create(Collection::Campaign, doc(json!({"name": "Jaunā", "kind": "campaign"}))).unwrap().id;
        let seminar = s
            .create(
                Collection::Seminar,
                doc(json!({"title": "S", "kind": "seminar", "date": "2012-11-09", "municipality": "riga", "campaign": old})),
            )
            .unwrap()
            .id;
        s.delete(old).unwrap();
        s.conn
            .execute_batch(&format!(
                "UPDATE records SET doc = json_set(doc, '$.organiser', 'Biedrība X') WHERE id = '{seminar}';
                 DELETE FROM meta WHERE key = 'upgrade_level';"
            ))
            .unwrap();
        drop(s);
        // Opened: its campaign is in the trash, so the upgrade cannot pass; the store opens.
        let mut s = Store::open(dir.path(), "parole12", clock, "A").unwrap();
        let held = |s: &Store| s.get(seminar).unwrap().unwrap().document;
        assert_eq!(held(&s)["organiser"], "Biedrība X");
        // An edit that mends the campaign keeps the old name; the next edit upgrades it.
        s.update(seminar, doc(json!({"campaign": live}))).unwrap();
        assert_eq!(held(&s)["organiser"], "Biedrība X", "not dropped unseen");
        s.update(seminar, doc(json!({"venue": "Zāle"}))).unwrap();
        let made = saite_domain::upgrade::derived_id(Collection::Organisation, &fold("Biedrība X"));
        assert_eq!(held(&s)["organisedBy"], json!(made));
        assert!(held(&s).get("organiser").is_none_or(|v| v.is_null()));
    }
}
