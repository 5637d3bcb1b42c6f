//! The audit chain rule: one function computes an entry's hash, one checks a chain.

use sha2::{Digest, Sha256};

use saite_protocol::{TenantId, push::PushPlan};
use serde_json::Value;

use crate::{AuditContext, AuditRecord};

/// The "previous hash" of a tenant's first entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditRecord {
    /// The entries `entries` make when appended, in order, after the entry numbered
    /// `last_seq` whose hash is `head`.
    pub fn chain(tenant: TenantId, last_seq: u64, head: String, entries: &[AuditContext]) -> Vec<AuditRecord> {
        let mut out: Vec<AuditRecord> = Vec::with_capacity(entries.len());
        let mut prev = head;
        for (i, a) in entries.iter().enumerate() {
            let record = AuditRecord::chained(tenant, last_seq + 1 + i as u64, prev, a);
            prev = record.hash.clone();
            out.push(record);
        }
        out
    }

    /// The record an entry is about (a record change's), from its detail, which the
    /// hash covers; backends keep it beside the entry so the audit filters by it.
    pub fn record(&self) -> Option<String> {
        self.detail.get("record").and_then(Value::as_str).map(str::to_owned)
    }

    /// Entry number `seq` of a tenant's chain, following the entry whose hash is
    /// `prev_hash`, recording `a`, with its own hash computed.
    pub fn chained(tenant: TenantId, seq: u64, prev_hash: String, a: &AuditContext) -> AuditRecord {
        let mut record = AuditRecord {
            tenant,
            seq,
            at_ms: a.at_ms,
            device_time_ms: a.device_time_ms,
            user: a.user,
            device: a.device,
            action: a.action.clone(),
            detail: a.detail.clone(),
            prev_hash,
            hash: String::new(),
        };
        record.hash = audit_hash(&record.prev_hash, &record);
        record
    }
}

impl AuditContext {
    /// The entries of a push: the push's own (its counts), then one per fresh change,
    /// each with the laptop's time of the change (its stamp's) beside the arrival time.
    pub fn of_push(mut self, plan: &PushPlan, batch: &saite_protocol::PushRequest) -> Vec<AuditContext> {
        self.detail = plan.audit_detail(batch);
        let mut entries = Vec::with_capacity(1 + plan.changes.len());
        for note in &plan.changes {
            entries.push(AuditContext {
                at_ms: self.at_ms,
                device_time_ms: Some(note.hlc.wall_ms),
                user: self.user,
                device: self.device,
                action: note.action.as_str().to_owned(),
                detail: note.audit_detail(),
            });
        }
        entries.insert(0, self);
        entries
    }
}

/// SHA-256 (hex) over the previous hash and the entry's fields, each length-prefixed so
/// no two different entries hash the same text.
pub fn audit_hash(prev_hash: &str, record: &AuditRecord) -> String {
    let mut h = Sha256::new();
    let mut part = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    part(prev_hash);
    part(&record.tenant.to_string());
    part(&record.seq.to_string());
    part(&record.at_ms.to_string());
    part(&record.device_time_ms.map(|t| t.to_string()).unwrap_or_default());
    part(&record.user.map(|u| u.to_string()).unwrap_or_default());
    part(&record.device.map(|d| d.to_string()).unwrap_or_default());
    part(&record.action);
    part(&record.detail.to_string());
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    // A push writes an entry per change, so this runs per entry: no formatting per byte.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Where a chain stops being trustworthy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainFault {
    #[error("entry {seq} follows entry {expected_seq} - 1: an entry is missing")]
    Gap { seq: u64, expected_seq: u64 },
    #[error("entry {seq} does not link to the entry before it")]
    BrokenLink { seq: u64 },
    #[error("entry {seq} was changed after it was written")]
    Tampered { seq: u64 },
}

/// Checks a tenant's whole chain, oldest first, from seq 1.
pub fn verify_chain(records: &[AuditRecord]) -> Result<(), ChainFault> {
    ChainCheck::default().check(records)
}

/// A check of a chain fed in pages, oldest first from seq 1, so a long log is never
/// held whole: pages fed one after another are checked as the one slice they make.
#[derive(Debug, Clone)]
pub struct ChainCheck {
    /// The hash of the last entry checked ([`AUDIT_GENESIS`] before the first).
    prev: String,
    /// How many entries were checked.
    checked: u64,
}

impl Default for ChainCheck {
    fn default() -> ChainCheck {
        ChainCheck { prev: AUDIT_GENESIS.to_owned(), checked: 0 }
    }
}

impl ChainCheck {
    /// Checks the next entries; the first fault stops the check.
    pub fn check(&mut self, records: &[AuditRecord]) -> Result<(), ChainFault> {
        for r in records {
            let expected_seq = self.checked + 1;
            if r.seq != expected_seq {
                return Err(ChainFault::Gap { seq: r.seq, expected_seq });
            }
            if r.prev_hash != self.prev {
                return Err(ChainFault::BrokenLink { seq: r.seq });
            }
            if audit_hash(&self.prev, r) != r.hash {
                return Err(ChainFault::Tampered { seq: r.seq });
            }
            self.prev.clone_from(&r.hash);
            self.checked = r.seq;
        }
        Ok(())
    }

    /// How many entries were checked and found sound.
    pub fn checked(&self) -> u64 {
        self.checked
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::AuditContext;

    proptest! {
        /// The hex of a hash is the text the chain always wrote: two lower-case digits a
        /// byte.
        #[test]
        fn hex_writes_what_formatting_each_byte_writes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let formatted: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            prop_assert_eq!(hex(&bytes), formatted);
        }
    }

    /// Entries chained at once are the entries appended one by one.
    #[test]
    fn a_chain_of_several_entries_links_as_appending_each_does() {
        let one_by_one = chain(5);
        let tenant = saite_protocol::TenantId(uuid::Uuid::from_u128(7));
        let contexts: Vec<AuditContext> =
            (1..=5).map(|seq| AuditContext::admin(seq * 10, "user-add", json!({"n": seq}))).collect();
        assert_eq!(AuditRecord::chain(tenant, 0, AUDIT_GENESIS.to_owned(), &contexts), one_by_one);
        let rest = AuditRecord::chain(tenant, 2, one_by_one[1].hash.clone(), &contexts[2..]);
        assert_eq!(rest, one_by_one[2..]);
    }

    fn chain(n: u64) -> Vec<AuditRecord> {
        let tenant = saite_protocol::TenantId(uuid::Uuid::from_u128(7));
        let mut head = AUDIT_GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let ctx = AuditContext::admin(seq * 10, "user-add", json!({"n": seq}));
                let r = AuditRecord::chained(tenant, seq, head.clone(), &ctx);
                head.clone_from(&r.hash);
                r
            })
            .collect()
    }

    #[test]
    fn a_chain_checked_in_pages_is_checked_as_one() {
        let whole = chain(12);
        let mut tampered = whole.clone();
        tampered[6].detail = json!({"n": 99});
        let mut gapped = whole.clone();
        gapped.remove(3);
        for entries in [&whole, &tampered, &gapped] {
            let at_once = verify_chain(entries);
            for page in 1..=entries.len() {
                let mut check = ChainCheck::default();
                let paged = entries.chunks(page).try_for_each(|p| check.check(p));
                assert_eq!(paged, at_once, "pages of {page}");
                if paged.is_ok() {
                    assert_eq!(check.checked(), entries.len() as u64);
                }
            }
        }
        assert_eq!(verify_chain(&tampered), Err(ChainFault::Tampered { seq: 7 }));
    }
}
