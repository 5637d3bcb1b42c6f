//! The one merge rule, shared by the server and the laptops, and the checksums that
//! prove two replicas hold the same data.
//!
//! Invariant: [`incoming_wins`] is a strict total order on stamps, so applying the same
//! set of field changes in any order, any number of times, leaves every replica with
//! the same value for every field (commutative, associative, idempotent).

use saite_domain::{RecordId, hlc::Hlc};
use sha2::{Digest, Sha256};

/// Whether a field change stamped `incoming` replaces the value stamped `current`: the
/// later stamp wins; an equal stamp is the same write seen again (not applied twice).
pub fn incoming_wins(current: Option<&Hlc>, incoming: &Hlc) -> bool {
    current.is_none_or(|c| incoming > c)
}

/// The digest of one stamped field: the first 8 bytes of SHA-256 over the record id,
/// the field name and the stamp.
pub fn field_digest(record: &RecordId, field: &str, hlc: &Hlc) -> u64 {
    hlc.with_text(|stamp| finish_digest(after_id(record), field, stamp))
}

/// SHA-256 after a record's id and its separator, where each of its fields' digests
/// starts (the id's text written into a stack buffer: this runs for every field stored).
fn after_id(record: &RecordId) -> Sha256 {
    let mut id = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let mut h = Sha256::new();
    h.update(record.as_uuid().hyphenated().encode_lower(&mut id).as_bytes());
    h.update([0]);
    h
}

/// A field's digest from [`after_id`]'s state: the field, a separator, the stamp's text.
fn finish_digest(mut h: Sha256, field: &str, stamp: &str) -> u64 {
    h.update(field.as_bytes());
    h.update([0]);
    h.update(stamp.as_bytes());
    let out = h.finalize();
    u64::from_be_bytes(out[..8].try_into().expect("SHA-256 is 32 bytes"))
}

/// [`field_digest`] for the fields of one record, which share the id and mostly the
/// stamp: the id is written out and hashed into the state once, and a stamp written out
/// once for the fields that share it (this runs for every field of a first pull and of
/// a first push).
pub struct RecordDigests {
    /// SHA-256 after the record id and its separator.
    after_id: Sha256,
    /// The last stamp asked for, and its text.
    stamp: Option<(Hlc, String)>,
}

impl RecordDigests {
    pub fn new(record: &RecordId) -> RecordDigests {
        RecordDigests { after_id: after_id(record), stamp: None }
    }

    /// [`field_digest`] of this record's `field` stamped `hlc`.
    pub fn field(&mut self, field: &str, hlc: &Hlc) -> u64 {
        let text = match &mut self.stamp {
            Some((last, text)) if last == hlc => text,
            stamp => &stamp.insert((*hlc, hlc.with_text(str::to_owned))).1,
        };
        finish_digest(self.after_id.clone(), field, text)
    }
}

/// An order-free summary of a set of stamped fields: their count and the wrapping sum
/// of their digests. Kept up to date incrementally: replacing a field's stamp removes
/// the old digest and adds the new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FieldDigest {
    pub fields: u64,
    pub sum: u64,
}

impl FieldDigest {
    pub fn add(&mut self, digest: u64) {
        self.fields += 1;
        self.sum = self.sum.wrapping_add(digest);
    }

    pub fn remove(&mut self, digest: u64) {
        self.fields -= 1;
        self.sum = self.sum.wrapping_sub(digest);
    }

    /// The sum as 16 hex digits (JSON numbers lose precision above 2^53).
    pub fn sum_hex(&self) -> String {
        format!("{:016x}", self.sum)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use saite_domain::DeviceId;

    use super::*;

    /// The digest's encoding as docs/server.md states it, computed here by hand.
    #[test]
    fn the_field_digest_is_the_documented_encoding() {
        use sha2::{Digest, Sha256};
        let record = RecordId::from_uuid(uuid::Uuid::from_u128(0x0190f3c2_7d4e_7000_8000_000000000001));
        let device = saite_domain::DeviceId::from_uuid(uuid::Uuid::from_u128(0xab));
        let hlc = Hlc { wall_ms: 1_700_000_000_123, counter: 7, device };
        let mut bytes = b"0190f3c2-7d4e-7000-8000-000000000001".to_vec();
        bytes.push(0);
        bytes.extend("vieta".as_bytes());
        bytes.push(0);
        bytes.extend(b"018bcfe5687b-00000007-000000000000000000000000000000ab");
        let out = Sha256::digest(&bytes);
        assert_eq!(field_digest(&record, "vieta", &hlc), u64::from_be_bytes(out[..8].try_into().unwrap()));
        let mut d = FieldDigest::default();
        d.add(u64::MAX);
        d.add(2);
        assert_eq!((d.fields, d.sum_hex()), (2, "0000000000000001".to_owned()), "the sum wraps, 16 hex digits");
    }

    proptest! {
        /// A record's digests computed together are each field's own.
    #[test]
        fn a_records_digests_together_are_each_fields_digest(
            id in any::<u128>(),
            fields in proptest::collection::vec(("[a-zāč_]{0,10}", 0u64..3, 0u32..2), 0..12),
        ) {
            let record = RecordId::from_uuid(uuid::Uuid::from_u128(id));
            let mut together = RecordDigests::new(&record);
            for (field, wall, counter) in fields {
                let hlc = stamp(1_700_000_000_000 + wall, counter, 3);
                prop_assert_eq!(together.field(&field, &hlc), field_digest(&record, &field, &hlc));
            }
        }
    }

    fn device(n: u8) -> DeviceId {
        DeviceId::from_uuid(uuid::Uuid::from_bytes([n; 16]))
    }

    fn stamp(wall_ms: u64, counter: u32, dev: u8) -> Hlc {
        Hlc { wall_ms, counter, device: device(dev) }
    }

    #[test]
    fn the_later_stamp_wins_and_the_device_breaks_ties() {
        assert!(incoming_wins(None, &stamp(1, 0, 1)));
        assert!(incoming_wins(Some(&stamp(1, 0, 1)), &stamp(2, 0, 1)));
        assert!(!incoming_wins(Some(&stamp(2, 0, 1)), &stamp(1, 9, 9)));
        assert!(incoming_wins(Some(&stamp(2, 0, 1)), &stamp(2, 1, 1)));
        assert!(incoming_wins(Some(&stamp(2, 0, 1)), &stamp(2, 0, 2)), "same instant: the higher device id");
        assert!(!incoming_wins(Some(&stamp(2, 0, 2)), &stamp(2, 0, 1)));
        assert!(!incoming_wins(Some(&stamp(2, 0, 2)), &stamp(2, 0, 2)), "the same write again changes nothing");
    }

    type Change = (u8, u8, u64, u32, u8); // (record, field, wall, counter, device)

    /// Applies changes in the given order; returns each field's winning stamp and the digest.
    fn replay(changes: &[Change]) -> (BTreeMap<(u8, u8), Hlc>, FieldDigest) {
        let mut fields: BTreeMap<(u8, u8), Hlc> = BTreeMap::new();
        let mut digest = FieldDigest::default();
        for &(record, field, wall, counter, dev) in changes {
            let id = RecordId::from_uuid(uuid::Uuid::from_bytes([record; 16]));
            let name = format!("f{field}");
            let incoming = stamp(wall, counter, dev);
            let current = fields.get(&(record, field)).copied();
            if incoming_wins(current.as_ref(), &incoming) {
                if let Some(old) = current {
                    digest.remove(field_digest(&id, &name, &old));
                }
                digest.add(field_digest(&id, &name, &incoming));
                fields.insert((record, field), incoming);
            }
        }
        (fields, digest)
    }

    proptest! {
        /// Any order and any repetition of the same changes converges to the same state
        /// and the same checksum.
        #[test]
        fn merging_converges_whatever_the_order(
            changes in prop::collection::vec((0u8..4, 0u8..3, 0u64..5, 0u32..3, 0u8..3), 1..40),
            seed in any::<u64>(),
        ) {
            let (expected, expected_digest) = replay(&changes);
            let mut shuffled = changes.clone();
            // Deterministic shuffle from the seed, plus duplicates of every third change.
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (s >> 33) as usize % (i + 1));
            }
            let repeats: Vec<Change> = shuffled.iter().step_by(3).copied().collect();
            shuffled.extend(repeats);
            let (got, got_digest) = replay(&shuffled);
            prop_assert_eq!(got, expected);
            prop_assert_eq!(got_digest, expected_digest);
        }
    }

    proptest! {
        /// Stores and servers keep sums of these digests: the value must never change.
        #[test]
        fn the_digest_is_sha256_of_the_texts_as_ever(bytes in any::<[u8; 16]>(), field in "[a-zA-Z_]{1,20}", wall in 0u64..=saite_domain::hlc::MAX_WALL_MS, counter in any::<u32>(), dev in any::<u8>()) {
            let id = RecordId::from_uuid(uuid::Uuid::from_bytes(bytes));
            let hlc = stamp(wall, counter, dev);
            let out = Sha256::digest(format!("{id}\0{field}\0{hlc}").as_bytes());
            prop_assert_eq!(field_digest(&id, &field, &hlc), u64::from_be_bytes(out[..8].try_into().unwrap()));
        }
    }

    #[test]
    fn the_digest_tells_different_stamps_apart() {
        let id = RecordId::from_uuid(uuid::Uuid::from_bytes([7; 16]));
        assert_ne!(field_digest(&id, "name", &stamp(1, 0, 1)), field_digest(&id, "name", &stamp(1, 0, 2)));
        assert_ne!(field_digest(&id, "name", &stamp(1, 0, 1)), field_digest(&id, "title", &stamp(1, 0, 1)));
        let mut d = FieldDigest::default();
        d.add(u64::MAX);
        d.add(2);
        assert_eq!(d, FieldDigest { fields: 2, sum: 1 });
        d.remove(u64::MAX);
        assert_eq!(d.sum_hex(), "0000000000000002");
    }
}
