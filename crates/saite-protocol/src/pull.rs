//! The laptop's rules for a pulled record, as pure functions: which pulled field
//! replaces the value held, when a record may be taken whole, and when it is in the
//! trash. The laptop's store reads what they need and writes what they decide.
//!
//! Glossary:
//! - **pulled record**: a record as the server sends it ([`crate::PulledRecord`]), the
//!   one type a laptop takes a pull in.
//! - **meta field**: a field whose name starts with `_` (`_deleted`, the trash mark);
//!   it merges like any field but is not part of the document.
//! - **whole arrival**: a pulled record naming each field once and no meta field; if the
//!   laptop has never seen the record, it is written in one go.
//! - **trash rule**: a record is in the trash when its latest `_deleted` value is true
//!   and no document field was stamped after it, so an edit made meanwhile brings it
//!   back for everyone, and every laptop derives the same answer from the same stamps.

use saite_domain::{Collection, hlc::Hlc};

use crate::merge::incoming_wins;

/// The trash mark, a meta field.
pub const DELETED_FIELD: &str = "_deleted";

/// What a pulled field does to the value held of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PulledField {
    /// It replaces the value held (its stamp is later, or none is held).
    Take,
    /// The value held stays (its stamp is as late or later: the same write seen again,
    /// or a later one).
    Keep,
    /// A long text: merged with the text held, line by line, against the version both
    /// started from (the laptop keeps that base).
    MergeText,
}

/// The rule for one pulled field stamped `incoming`, the laptop holding it stamped
/// `held` (none: not held).
pub fn merge_pulled_field(collection: Collection, field: &str, held: Option<&Hlc>, incoming: &Hlc) -> PulledField {
    if collection.is_long_text(field) {
        PulledField::MergeText
    } else if incoming_wins(held, incoming) {
        PulledField::Take
    } else {
        PulledField::Keep
    }
}

/// Whether a pulled record's field names, sorted, make a whole arrival (see the module's
/// glossary): each once, none a meta field.
pub fn is_whole_arrival<N: AsRef<str> + PartialEq>(sorted_names: &[N]) -> bool {
    sorted_names.windows(2).all(|w| w[0] != w[1]) && sorted_names.iter().all(|n| !is_meta_field(n.as_ref()))
}

/// Whether `field` is a meta field (not part of the document).
pub fn is_meta_field(field: &str) -> bool {
    field.starts_with('_')
}

/// The trash rule: whether a record is in the trash, given whether its latest
/// `_deleted` value is true and its every stamp (by field).
pub fn in_trash<'a>(flagged: bool, stamps: impl IntoIterator<Item = (&'a str, &'a Hlc)> + Clone) -> bool {
    let Some(deleted_at) = stamps.clone().into_iter().find(|(f, _)| *f == DELETED_FIELD).map(|(_, h)| *h) else {
        return false;
    };
    if !flagged {
        return false;
    }
    let last_edit = stamps.into_iter().filter(|(f, _)| !is_meta_field(f)).map(|(_, h)| *h).max();
    last_edit.is_none_or(|edited_at| edited_at < deleted_at)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use saite_domain::DeviceId;

    use super::*;

    fn stamp(wall_ms: u64, device: u128) -> Hlc {
        Hlc { wall_ms, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(device)) }
    }

    #[test]
    fn long_texts_merge_and_other_fields_take_the_later_stamp() {
        let (early, late) = (stamp(1, 1), stamp(2, 1));
        let s = Collection::Seminar;
        assert_eq!(merge_pulled_field(s, "notes", Some(&late), &early), PulledField::MergeText);
        assert_eq!(merge_pulled_field(s, "title", None, &early), PulledField::Take);
        assert_eq!(merge_pulled_field(s, "title", Some(&early), &late), PulledField::Take);
        assert_eq!(merge_pulled_field(s, "title", Some(&late), &early), PulledField::Keep);
        assert_eq!(merge_pulled_field(s, "title", Some(&late), &late), PulledField::Keep, "seen again");
        assert_eq!(merge_pulled_field(Collection::Material, "description", None, &early), PulledField::MergeText);
    }

    #[test]
    fn a_whole_arrival_names_each_field_once_and_no_meta_field() {
        assert!(is_whole_arrival(&["date", "kind", "title"]));
        assert!(!is_whole_arrival(&["date", "date", "title"]));
        assert!(!is_whole_arrival(&["_deleted", "title"]));
        assert!(is_whole_arrival::<&str>(&[]));
    }

    #[test]
    fn an_edit_after_the_delete_brings_a_record_back() {
        let (delete, edit) = (stamp(10, 1), stamp(20, 2));
        assert!(in_trash(true, [(DELETED_FIELD, &delete), ("title", &stamp(5, 1))]));
        assert!(!in_trash(true, [(DELETED_FIELD, &delete), ("title", &edit)]));
        assert!(!in_trash(false, [(DELETED_FIELD, &delete)]), "restored");
        assert!(!in_trash(true, [("title", &edit)]), "never put in the trash");
        assert!(in_trash(true, [(DELETED_FIELD, &delete)]));
    }

    proptest! {
        /// Two laptops holding the same stamps in any order agree on the trash; and the
        /// answer is the same whatever the order the stamps are listed in.
        #[test]
        fn the_trash_rule_reads_stamps_in_any_order(
            stamps in proptest::collection::vec((0usize..4, 0u64..6, 1u128..3), 1..8),
            flagged in any::<bool>(),
        ) {
            let names = [DELETED_FIELD, "title", "notes", "_merged"];
            let mut by_field = std::collections::BTreeMap::new();
            for (f, wall, device) in &stamps {
                let h = stamp(*wall, *device);
                let e = by_field.entry(names[*f]).or_insert(h);
                *e = (*e).max(h);
            }
            let forward: Vec<(&str, &Hlc)> = by_field.iter().map(|(f, h)| (*f, h)).collect();
            let mut backward = forward.clone();
            backward.reverse();
            let answer = in_trash(flagged, forward.iter().copied());
            prop_assert_eq!(answer, in_trash(flagged, backward.iter().copied()));
            // In the trash exactly when flagged, stamped, and no document field is later.
            let deleted_at = by_field.get(DELETED_FIELD);
            let later_edit = by_field.iter().any(|(f, h)| !f.starts_with('_') && Some(h) >= deleted_at);
            prop_assert_eq!(answer, flagged && deleted_at.is_some() && !later_edit);
        }
    }
}
