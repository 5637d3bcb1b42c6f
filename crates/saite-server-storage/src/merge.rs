//! Applying one record change to a stored record: the one merge both backends run, so
//! they cannot differ in which field wins.

use saite_protocol::{RecordChange, merge::field_digest};

use crate::StoredRecord;

/// What one change did to a record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// Fields whose value and stamp the change replaced (or set first).
    pub stored: usize,
    /// Fields it left as they were: the stored stamp is later or equal, or a long text
    /// was made from another version than the stored one.
    pub kept_out: usize,
    /// The change to the record's collection checksum: fields added, wrapping digest sum.
    pub checksum: (i64, u64),
}

/// Applies `change` to `current` field by field by the protocol's rule
/// ([`RecordChange::applies_over`]). The record keeps the collection it was first
/// stored in; its server seq is the caller's to set when anything was stored.
pub fn merge_change(current: &mut StoredRecord, change: &RecordChange) -> Merged {
    let mut merged = Merged::default();
    for (field, value) in &change.fields {
        let old = current.fields.get(field).map(|(_, hlc)| *hlc);
        if !change.applies_over(field, old.as_ref()) {
            merged.kept_out += 1;
            continue;
        }
        let hlc = *change.stamp_of(field);
        if let Some(old) = &old {
            merged.checksum.0 -= 1;
            merged.checksum.1 = merged.checksum.1.wrapping_sub(field_digest(&current.record, field, old));
        }
        merged.checksum.0 += 1;
        merged.checksum.1 = merged.checksum.1.wrapping_add(field_digest(&current.record, field, &hlc));
        current.fields.insert(field.clone(), (value.clone(), hlc));
        merged.stored += 1;
    }
    merged
}
