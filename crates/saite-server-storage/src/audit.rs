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
    let mut prev = AUDIT_GENESIS.to_owned();
    for (i, r) in records.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if r.seq != expected_seq {
            return Err(ChainFault::Gap { seq: r.seq, expected_seq });
        }
        if r.prev_hash != prev {
            return Err(ChainFault::BrokenLink { seq: r.seq });
        }
        if audit_hash(&prev, r) != r.hash {
            return Err(ChainFault::Tampered { seq: r.seq });
        }
        prev = r.hash.clone();
    }
    Ok(())
}
