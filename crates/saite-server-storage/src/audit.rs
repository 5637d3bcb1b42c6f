//! The audit chain rule: one function computes an entry's hash, one checks a chain.

use sha2::{Digest, Sha256};

use saite_protocol::TenantId;

use crate::{AuditContext, AuditRecord};

/// The "previous hash" of a tenant's first entry.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditRecord {
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
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
    use serde_json::json;

    use super::*;
    use crate::AuditContext;

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
