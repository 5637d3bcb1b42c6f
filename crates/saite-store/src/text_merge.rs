//! Long texts (notes, descriptions) edited on two laptops are merged as text instead of
//! the later edit replacing the other.
//!
//! Glossary:
//! - **base**: per long text field, the version this laptop last saw on the server (its
//!   text and stamp, from a pull). It is the common ancestor of a three-way merge, and
//!   what a push of the field `expect`s the server still to hold (protocol 2): the
//!   server stores a text edit only over the version it was made from. Kept in
//!   `text_bases`, but implied, without a row, for a text the server holds as it is
//!   here: one last written on another laptop (so pulled), or one written here and
//!   stamped at or below the **synced-through stamp** (a push the server stored whole
//!   moves it to the push's latest stamp). A first pull or a first push writes no row
//!   per note.
//! - **never stored mark**: a `text_bases` row without stamp: the text may not be on
//!   the server (it went in a push the server did not store whole), so it has no base
//!   even below the synced-through stamp.
//! - **conflict**: both laptops changed the same lines. This laptop keeps its own text
//!   (pushed, so every laptop shows one version) and keeps the other laptop's text
//!   beside it until the user chooses or combines ([`TextConflict`]).
//!
//! What a pulled long text meets here (in [`crate::Store::apply_prepared`]):
//! - our own current version coming back: it is now the base;
//! - no local edit since the base: the pulled version is taken as is;
//! - our own earlier version while a later local edit is not on the server (the server
//!   did not store it because it expected an older base): the local text is queued again
//!   over the new base;
//! - another laptop's version while we edited too: three-way merge against the base.
//!   Clean → the merged text becomes a new local edit (origin `merge`), queued; lines
//!   both changed → a conflict, our text queued again.
//!
//! Invariant: no text is ever dropped unseen. Every version a laptop typed is in some
//! laptop's field, its conflict row or its history.

use diffy::{ConflictStyle, MergeOptions};
use rusqlite::{OptionalExtension, params};
use saite_domain::{Collection, Hlc, RecordId};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::{
    Store,
    error::{Result, StoreError},
    write::{Origin, Writer},
};

/// Two versions of a long text waiting for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct TextConflict {
    pub record: RecordId,
    pub collection: Collection,
    pub field: String,
    /// The record's title or name, for lists.
    pub label: String,
    /// This laptop's version (the field's current value).
    pub mine: String,
    /// The other laptop's version.
    pub theirs: String,
    /// A starting point for combining: the lines both kept, and where they differ,
    /// this laptop's lines followed by the other's.
    pub combined: String,
    #[ts(type = "number")]
    pub at_ms: u64,
}

/// The outcome of merging `mine` and `theirs`, both edited from `base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextMerge {
    Clean(String),
    /// Lines both changed; the draft holds both versions of them, ours first.
    Overlap {
        draft: String,
    },
}

/// The `meta` key of the synced-through stamp (see the module docs).
const SYNCED_THROUGH_KEY: &str = "texts_synced_through";

/// Line-by-line three-way merge.
pub fn merge_texts(base: &str, mine: &str, theirs: &str) -> TextMerge {
    let mut options = MergeOptions::new();
    options.set_conflict_style(ConflictStyle::Merge);
    match options.merge(base, mine, theirs) {
        Ok(merged) => TextMerge::Clean(merged),
        Err(marked) => {
            // For the draft every line ends in a newline (so no marker follows a last line
            // on the same line); it ends in one only if a side's text did.
            let with_newline =
                |t: &str| if t.ends_with('\n') || t.is_empty() { t.to_owned() } else { format!("{t}\n") };
            let draft = combined_draft(&with_newline(base), &with_newline(mine), &with_newline(theirs)).map(|mut d| {
                if !mine.ends_with('\n') && !theirs.ends_with('\n') && d.ends_with('\n') {
                    d.pop();
                }
                d
            });
            TextMerge::Overlap { draft: draft.unwrap_or(marked) }
        }
    }
}

/// Both versions of the lines both changed, ours first; `None` if the markers cannot be
/// told from the text (a line of the text itself looks like one). Every text ends in a
/// newline here.
fn combined_draft(base: &str, mine: &str, theirs: &str) -> Option<String> {
    // Long markers no real note contains.
    const LENGTH: usize = 31;
    let mut options = MergeOptions::new();
    options.set_conflict_style(ConflictStyle::Merge).set_conflict_marker_length(LENGTH);
    // Clean once every line ends in a newline: the sides differed only in that.
    let marked = match options.merge(base, mine, theirs) {
        Ok(clean) => return Some(clean),
        Err(marked) => marked,
    };
    let (open, middle, close) = ("<".repeat(LENGTH), "=".repeat(LENGTH), ">".repeat(LENGTH));
    if [base, mine, theirs].iter().any(|t| t.contains(&open) || t.contains(&middle) || t.contains(&close)) {
        return None;
    }
    let draft = marked
        .split_inclusive('\n')
        .filter(|line| !(line.starts_with(&open) || line.starts_with(&middle) || line.starts_with(&close)))
        .collect();
    Some(draft)
}

fn text_of(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

/// What [`Writer::reconcile_text`] decided for one pulled long text.
pub(crate) enum Reconciled {
    /// Take the pulled version as the field's value.
    Take,
    /// Keep the local value (already handled: re-queued, merged or a conflict noted);
    /// with the stamp it took when queued again.
    Keep(Option<Hlc>),
    /// Take the pulled version, then apply this merged text as a local edit.
    TakeThenEdit(String),
}

impl Writer<'_> {
    /// A field's base: its text (`None`: the field's current value, see
    /// [`Writer::set_base`]) and stamp. Without a row, a text stamped by another laptop,
    /// or here at or below the synced-through stamp, is its own base (see
    /// [`Writer::is_implied_base`]); another stamped here has none, as has one marked
    /// never stored.
    fn base(&self, rid: i64, field: &str, stamp: Option<&Hlc>) -> Result<Option<(Option<Value>, Hlc)>> {
        let row: Option<(Option<String>, Option<String>)> = self
            .tx
            .prepare_cached("SELECT value, hlc FROM text_bases WHERE rid = ?1 AND field = ?2")?
            .query_row(params![rid, field], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (v, h) = match row {
            None => {
                let implied = match stamp {
                    Some(s) if self.is_implied_base(s)? => Some(*s),
                    _ => None,
                };
                return Ok(implied.map(|s| (None, s)));
            }
            // Marked never stored.
            Some((_, None)) => return Ok(None),
            Some((v, Some(h))) => (v, h),
        };
        let corrupt = || StoreError::Corrupt(format!("text base of {rid}.{field}"));
        let value = v.map(|v| serde_json::from_str(&v).map_err(|_| corrupt())).transpose()?;
        Ok(Some((value, h.parse().map_err(|_| corrupt())?)))
    }

    /// Whether a long text whose stamp is `stamp`, and that has no `text_bases` row, is
    /// its own base. Invariants behind it: a text stamped by another laptop came here
    /// by a pull, so the server holds it; every local edit of a long text first writes
    /// the base it replaces into a row ([`Writer::keep_bases_before_edit`]); and a text
    /// stamped here at or below the synced-through stamp went in a push that the server
    /// stored whole, or was marked never stored when its push was settled
    /// ([`Writer::settle_pushed_texts`]). Stamps made here rise with outbox seqs, so
    /// every earlier text stamped here was pushed before it. So a text without a row
    /// stamped here after that stamp was never synced.
    pub(crate) fn is_implied_base(&self, stamp: &Hlc) -> Result<bool> {
        Ok(stamp.device != self.hlc.device() || self.texts_synced_through()?.is_some_and(|through| *stamp <= through))
    }

    /// The synced-through stamp (see the module docs); `None` before the first push
    /// the server stored whole.
    pub(crate) fn texts_synced_through(&self) -> Result<Option<Hlc>> {
        if let Some(through) = self.synced_through_cache.get() {
            return Ok(*through);
        }
        let text = crate::store::meta(&self.tx, SYNCED_THROUGH_KEY)?;
        let through = text
            .map(|t| t.parse::<Hlc>().map_err(|_| StoreError::Corrupt(format!("synced-through stamp {t:?}"))))
            .transpose()?;
        Ok(*self.synced_through_cache.get_or_init(|| through))
    }

    /// What the server's answer to a push says of its long texts (`pushed_through`: the
    /// seq of the push's last change; `texts`: its long texts, each with its `expect`;
    /// `stored_whole`: the server stored every change).
    /// - Stored whole: each text is its own base from now on. The synced-through stamp
    ///   moves past it; a base row or a never stored mark it had names it instead; a
    ///   text edited again since the push was read keeps the pushed text as its base,
    ///   in a row.
    /// - Not stored whole: any of them may have been kept out, so those without a base
    ///   are marked never stored (the pull brings the server's version, or this text
    ///   back, and sets their bases).
    pub(crate) fn settle_pushed_texts(
        &self,
        pushed_through: i64,
        texts: &[crate::OutboxEntry],
        stored_whole: bool,
    ) -> Result<()> {
        let texts: Vec<&crate::OutboxEntry> = texts.iter().filter(|e| e.expect.is_some()).collect();
        let Some(latest) = texts.iter().map(|e| e.hlc).max() else { return Ok(()) };
        // Of the pushed records, those queued again since the push was read: usually
        // none. (A later change that holds one of the texts was queued after the read: a
        // text waits in one change at a time.) Looked up by record, not by reading the
        // rest of the outbox, which in a first push is the rest of everything.
        let ids: Vec<String> = texts.iter().map(|e| e.record_id.to_string()).collect();
        let edited_since: std::collections::BTreeSet<String> = self
            .tx
            .prepare_cached(
                "SELECT DISTINCT o.record_id FROM json_each(?1) p CROSS JOIN outbox o ON o.record_id = p.value
                 WHERE o.device_seq > ?2",
            )?
            .query_map(params![serde_json::to_string(&ids).expect("ids serialise"), pushed_through], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if stored_whole {
            let marked: std::collections::BTreeSet<(String, String)> = self
                .tx
                // CROSS JOIN: the few marks first (by their index), never every record.
                .prepare_cached(
                    "SELECT r.id, b.field FROM text_bases b CROSS JOIN records r ON r.rid = b.rid WHERE b.hlc IS NULL",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for e in texts {
                let id = e.record_id.to_string();
                // A text without a base row needs none now, unless edited again since:
                // one pushed over a base (`expect` a stamp) has its row to update.
                let had_row = matches!(e.expect, Some(Some(_))) || marked.contains(&(id.clone(), e.field.clone()));
                if had_row || edited_since.contains(&id) {
                    self.set_pushed_base(e.record_id, &e.field, &e.value, &e.hlc, e.device_seq)?;
                }
            }
        } else {
            for e in texts.into_iter().filter(|e| e.expect == Some(None)) {
                self.tx
                    .prepare_cached(
                        "INSERT INTO text_bases (rid, field, value, hlc) SELECT rid, ?2, NULL, NULL FROM records WHERE id = ?1
                         ON CONFLICT (rid, field) DO NOTHING",
                    )?
                    .execute(params![e.record_id.to_string(), e.field])?;
            }
        }
        if self.texts_synced_through()?.is_none_or(|through| latest > through) {
            crate::store::set_meta(&self.tx, SYNCED_THROUGH_KEY, &latest.to_string())?;
        }
        Ok(())
    }

    /// Sets a field's base. `value` `None`: the base is the text the field holds now —
    /// no copy is stored until a local edit replaces that text
    /// ([`Writer::keep_bases_before_edit`]). So a `None` base is always the field's
    /// current value.
    pub(crate) fn set_base(&self, rid: i64, field: &str, value: Option<&Value>, hlc: &Hlc) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO text_bases (rid, field, value, hlc) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (rid, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            )?
            .execute(params![rid, field, value.map(Value::to_string), hlc.to_string()])?;
        Ok(())
    }

    /// Sets the base of a field of record `id` to a text this laptop pushed (in its
    /// outbox change `seq`) and the server stored. No copy when the field still holds
    /// that text — the usual case, known without reading the record: every later local
    /// edit of a long text queues a change with a later seq (`queue`), and no pull runs
    /// between a push and the settling of its answer. Nothing when the record is not here.
    pub(crate) fn set_pushed_base(&self, id: RecordId, field: &str, value: &Value, hlc: &Hlc, seq: i64) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO text_bases (rid, field, value, hlc)
                 SELECT rid, ?2,
                        CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = ?1 AND o.device_seq > ?6 AND o.fields -> ?3 IS NOT NULL)
                             THEN ?4 END,
                        ?5
                 FROM records WHERE id = ?1
                 ON CONFLICT (rid, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
            )?
            .execute(params![id.to_string(), field, crate::write::field_path(field), value.to_string(), hlc.to_string(), seq])?;
        Ok(())
    }

    /// Before a local edit replaces long texts (`changes`: field, old value, new value;
    /// `stamps`: the record's stamps before the edit), each base that named the old
    /// value as "the current one" gets its copy — in its row, or in a new row where the
    /// base was implied ([`Writer::is_implied_base`]).
    pub(crate) fn keep_bases_before_edit(
        &self,
        rid: i64,
        collection: Collection,
        changes: &[(String, Option<Value>, Value)],
        stamps: &crate::write::Stamps,
    ) -> Result<()> {
        for (field, old, _) in changes.iter().filter(|(f, _, _)| collection.is_long_text(f)) {
            let old = old.as_ref().unwrap_or(&Value::Null).to_string();
            let implied = match stamps.get(field) {
                Some(stamp) if self.is_implied_base(stamp)? => Some(stamp),
                _ => None,
            };
            // A never stored mark (no stamp) stays as it is.
            match implied {
                Some(stamp) => self
                    .tx
                    .prepare_cached(
                        "INSERT INTO text_bases (rid, field, value, hlc) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (rid, field) DO UPDATE SET value = excluded.value
                         WHERE text_bases.value IS NULL AND text_bases.hlc IS NOT NULL",
                    )?
                    .execute(params![rid, field, old, stamp.to_string()])?,
                None => self
                    .tx
                    .prepare_cached("UPDATE text_bases SET value = ?3 WHERE rid = ?1 AND field = ?2 AND value IS NULL AND hlc IS NOT NULL")?
                    .execute(params![rid, field, old])?,
            };
        }
        Ok(())
    }

    /// Queues the local text again with a fresh stamp (later than everything seen), so
    /// the server stores it over the version it now holds.
    /// Answers `Keep` with the text's new stamp, which the caller's copy of the record's
    /// stamps must take too (it writes them whole).
    fn requeue(
        &mut self,
        rid: i64,
        id: RecordId,
        collection: Collection,
        field: &str,
        local: &Value,
    ) -> Result<Reconciled> {
        let hlc = self.stamp();
        self.set_stamp(rid, (id, collection), field, &hlc)?;
        self.queue(id, collection, &[(field, local)], &hlc)?;
        Ok(Reconciled::Keep(Some(hlc)))
    }

    /// Decides what a pulled long text does here (see the module docs). The pulled
    /// version becomes the base in every case: the server holds it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn reconcile_text(
        &mut self,
        rid: i64,
        id: RecordId,
        collection: Collection,
        field: &str,
        incoming: (&Value, &Hlc),
        local: (Option<&Value>, Option<&Hlc>),
        now_ms: u64,
    ) -> Result<Reconciled> {
        let (value, hlc) = incoming;
        let base = self
            .base(rid, field, local.1)?
            .map(|(text, stamp)| (text.unwrap_or_else(|| local.0.cloned().unwrap_or(Value::Null)), stamp));
        let reconciled = self.reconcile_with_base(rid, (id, collection, field), incoming, local, base, now_ms)?;
        // The pulled version is the base now: the field's value when it is taken or was
        // that version already (no copy), else a copy.
        let held = matches!(reconciled, Reconciled::Take | Reconciled::Keep(None));
        self.set_base(rid, field, if held { None } else { Some(value) }, hlc)?;
        Ok(reconciled)
    }

    /// [`Writer::reconcile_text`]'s decision, against the field's base (text, stamp).
    fn reconcile_with_base(
        &mut self,
        rid: i64,
        (id, collection, field): (RecordId, Collection, &str),
        (value, hlc): (&Value, &Hlc),
        local: (Option<&Value>, Option<&Hlc>),
        base: Option<(Value, Hlc)>,
        now_ms: u64,
    ) -> Result<Reconciled> {
        let (Some(local_value), Some(local_hlc)) = local else { return Ok(Reconciled::Take) };
        if local_hlc == hlc {
            return Ok(Reconciled::Keep(None));
        }
        if base.as_ref().map(|(_, h)| h) == Some(local_hlc) {
            return Ok(Reconciled::Take);
        }
        let local_value = local_value.clone();
        if hlc.device == self.hlc.device() {
            return self.requeue(rid, id, collection, field, &local_value);
        }
        let base_text = base.as_ref().map(|(v, _)| text_of(v)).unwrap_or("");
        let (mine, theirs) = (text_of(&local_value), text_of(value));
        match merge_texts(base_text, mine, theirs) {
            TextMerge::Clean(merged) if merged == theirs => Ok(Reconciled::Take),
            TextMerge::Clean(merged) if merged == mine => self.requeue(rid, id, collection, field, &local_value),
            TextMerge::Clean(merged) => Ok(Reconciled::TakeThenEdit(merged)),
            TextMerge::Overlap { .. } => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO text_conflicts (rid, field, base, theirs, theirs_hlc, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (rid, field) DO UPDATE SET base = excluded.base, theirs = excluded.theirs,
                         theirs_hlc = excluded.theirs_hlc, at_ms = excluded.at_ms",
                    )?
                    .execute(params![rid, field, base_text, theirs, hlc.to_string(), now_ms as i64])?;
                self.requeue(rid, id, collection, field, &local_value)
            }
        }
    }
}

impl Store {
    /// How many long texts wait for the user.
    pub fn text_conflict_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM text_conflicts", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Every long text waiting for the user to choose or combine, oldest first.
    pub fn text_conflicts(&self) -> Result<Vec<TextConflict>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.collection, r.doc, c.field, c.base, c.theirs, c.at_ms FROM text_conflicts c
             JOIN records r ON r.rid = c.rid ORDER BY c.at_ms, r.id, c.field",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (id, collection, doc, field, base, theirs, at_ms) = row?;
            let collection = crate::read::stored_collection(&collection)?;
            let doc = crate::read::stored_doc(&doc)?;
            let mine = doc.get(&field).map(text_of).unwrap_or("").to_owned();
            let combined = match merge_texts(&base, &mine, &theirs) {
                TextMerge::Clean(merged) => merged,
                TextMerge::Overlap { draft } => draft,
            };
            Ok(TextConflict {
                record: crate::read::stored_id(&id)?,
                collection,
                label: crate::read::label_of(collection, &doc),
                field,
                mine,
                theirs,
                combined,
                at_ms: at_ms as u64,
            })
        })
        .collect()
    }

    /// Settles a conflict with the text the user chose or combined: it becomes a local
    /// edit (validated like any), and the other version stays in history.
    pub fn resolve_text_conflict(&mut self, id: RecordId, field: &str, text: &str) -> Result<()> {
        let mut w = self.writer()?;
        let current = w.load(id)?.ok_or(StoreError::NotFound(id))?;
        let mut patch = serde_json::Map::new();
        patch.insert(field.to_owned(), Value::String(text.to_owned()));
        w.update_record(id, patch, Origin::Local)?;
        w.tx.prepare_cached("DELETE FROM text_conflicts WHERE rid = ?1 AND field = ?2")?
            .execute(params![current.rid, field])?;
        w.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_of_different_paragraphs_merge_and_of_the_same_one_do_not() {
        let base = "Dalībnieki: 12.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: maijā.";
        let mine = "Dalībnieki: 14.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: maijā.";
        let theirs = "Dalībnieki: 12.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: jūnijā.";
        assert_eq!(
            merge_texts(base, mine, theirs),
            TextMerge::Clean("Dalībnieki: 14.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: jūnijā.".into())
        );
        let theirs_same_line = "Dalībnieki: 15.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: maijā.";
        assert_eq!(
            merge_texts(base, mine, theirs_same_line),
            TextMerge::Overlap {
                draft: "Dalībnieki: 14.\nDalībnieki: 15.\nTēma: darba piedāvājumi ārzemēs.\nNākamā tikšanās: maijā."
                    .into()
            }
        );
    }

    #[test]
    fn the_draft_keeps_every_line_of_both_versions() {
        let base = "a\nb\nc";
        let (mine, theirs) = ("a\nB mans\nc", "a\nB viņu\nc\nd");
        let TextMerge::Overlap { draft } = merge_texts(base, mine, theirs) else { panic!("overlap expected") };
        for line in mine.lines().chain(theirs.lines()) {
            assert!(draft.lines().any(|l| l == line), "{line:?} missing from {draft:?}");
        }
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(vec!["a", "b", "Rīga", "", "ē ū", "x y z"]), 0..6)
            .prop_map(|lines| lines.join("\n"))
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn one_sided_edits_merge_to_that_side_and_nothing_is_ever_lost(base in text(), x in text(), y in text()) {
            prop_assert_eq!(merge_texts(&base, &x, &base), TextMerge::Clean(x.clone()));
            prop_assert_eq!(merge_texts(&base, &base, &y), TextMerge::Clean(y.clone()));
            prop_assert_eq!(merge_texts(&base, &x, &x), TextMerge::Clean(x.clone()));
            if let TextMerge::Overlap { draft } = merge_texts(&base, &x, &y) {
                for line in x.lines().chain(y.lines()).filter(|l| !base.lines().any(|b| b == *l)) {
                    prop_assert!(draft.lines().any(|l| l == line), "{:?} missing from {:?}", line, draft);
                }
            }
        }
    }
}
