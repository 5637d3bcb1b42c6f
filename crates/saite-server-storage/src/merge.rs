//! Applying one record change to a stored record: the one merge both backends run, so
//! they cannot differ in which field wins.

use saite_protocol::{
    RecordChange,
    merge::{RecordDigests, field_digest},
};

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

/// A change that makes a record the server does not hold, with every field under one
/// stamp and none kept out (a laptop's new record, the bulk of a first push): what
/// [`merge_change`] on [`StoredRecord::new`] then [`StoredRecord::to_columns`] give —
/// the merge, values and stamps texts — made straight from the change, without a
/// stamp per field to build and count. `None` for any other change.
pub fn new_record_columns(change: &RecordChange) -> Option<(Merged, String, String)> {
    // By name only: the values are written out as they came (a pushed change's texts
    // as they arrived), never built into JSON values here.
    let fields = change.fields.names();
    if !change.stamps.is_empty() || fields.is_empty() || fields.iter().any(|f| !change.applies_over(f, None)) {
        return None;
    }
    let mut digests = RecordDigests::new(&change.record);
    let sum = fields.iter().fold(0u64, |sum, field| sum.wrapping_add(digests.field(field, &change.hlc)));
    let n = fields.len();
    let merged = Merged { stored: n, kept_out: 0, checksum: (n as i64, sum) };
    let values = serde_json::to_string(&change.fields).expect("values serialise");
    let stamps =
        serde_json::to_string(&std::collections::BTreeMap::from([(crate::types::SHARED_STAMP, &change.hlc)])).expect("stamps serialise");
    Some((merged, values, stamps))
}

/// Applies `change` to `current` field by field by the protocol's rule
/// ([`RecordChange::applies_over`]). The record keeps the collection it was first
/// stored in; its server seq is the caller's to set when anything was stored.
pub fn merge_change(current: &mut StoredRecord, change: &RecordChange) -> Merged {
    let mut merged = Merged::default();
    for (field, value) in change.fields.as_map().iter() {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use saite_domain::{Collection, DeviceId, RecordId, hlc::Hlc};
    use saite_protocol::{Expected, RecordChange};
    use serde_json::{Value, json};

    use super::{merge_change, new_record_columns};
    use crate::StoredRecord;

    fn stamp(wall_ms: u64) -> Hlc {
        Hlc { wall_ms: 1_700_000_000_000 + wall_ms, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(3)) }
    }

    proptest! {
        /// The shortcut for a new record stores what the merge would, or declines.
        #[test]
        fn a_new_record_made_straight_from_its_change_is_the_merged_one(
            fields in proptest::collection::btree_map("[a-z]{1,6}", (0u64..3, proptest::option::of("[a-zā ]{0,8}")), 1..8),
            expect in proptest::option::of(("[a-z]{1,6}", proptest::option::of(0u64..3))),
        ) {
            let record = RecordId::from_uuid(uuid::Uuid::from_u128(11));
            let stamped = fields.iter().map(|(f, (at, v))| (f.clone(), v.as_ref().map_or(Value::Null, |v| json!(v)), stamp(*at)));
            let mut change = RecordChange::from_fields(1, record, Collection::Organisation, stamped);
            if let Some((field, at)) = expect {
                change.expect.insert(field, Expected { hlc: at.map(stamp) });
            }
            let mut merged_record = StoredRecord::new(record, Collection::Organisation);
            let merged = merge_change(&mut merged_record, &change);
            let (values, stamps) = merged_record.to_columns();
            let one_stamp = change.stamps.is_empty();
            let expects_none = change.expect.values().all(|e| e.hlc.is_none());
            let straight = new_record_columns(&change);
            match &straight {
                Some(straight) => prop_assert_eq!(straight, &(merged, values, stamps)),
                None => prop_assert!(!one_stamp || !expects_none, "declined a plain new record: {change:?}"),
            }
            // As the server reads it off the wire: the values' texts, stored as they came.
            let received: RecordChange = serde_json::from_str(&serde_json::to_string(&change).unwrap()).unwrap();
            prop_assert!(matches!(received.fields, saite_protocol::FieldValues::Received(_)));
            prop_assert_eq!(new_record_columns(&received), straight);
        }
    }

    #[test]
    fn a_laptops_new_record_takes_the_shortcut() {
        let record = RecordId::from_uuid(uuid::Uuid::from_u128(12));
        let fields = [("name", json!("NVA")), ("kind", json!("ngo")), ("notes", json!("Teksts."))];
        let mut change = RecordChange::from_fields(1, record, Collection::Organisation, fields.map(|(f, v)| (f.to_owned(), v, stamp(1))));
        change.expect = BTreeMap::from([("notes".to_owned(), Expected { hlc: None })]);
        assert!(new_record_columns(&change).is_some());
    }
}
