//! The rules of blob uploads, shared by every backend so they decide alike.
//!
//! Glossary: a **blob** is a file's bytes addressed by their SHA-256 (lower-case hex);
//! an **upload** sends it in **parts**, each starting where the stored bytes end, so a
//! laptop cut off mid-file resumes at [`BlobStatus::received`] instead of byte 0.
//! Backends keep a row per blob (`size`, `received`) and a row per part (`start`,
//! `bytes`); reading a range joins the parts it overlaps.
//!
//! Invariants: parts of one blob never overlap and leave no gap (`received` is the sum
//! of their lengths); a blob is complete exactly when `received == size` and its bytes
//! hash to its address; complete blobs are never changed or removed, so a push may
//! check for them before its own transaction.

use sha2::{Digest, Sha256};

use crate::{BlobPart, BlobStatus, Result, StorageError, audit::hex};

/// What a backend does with a part, decided from the blob's row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartPlan {
    /// The blob is complete already: store nothing, answer this.
    Complete(BlobStatus),
    /// Store the part. `create`: insert the blob's row first; `completes`: after it the
    /// blob holds all its bytes (check the digest, mark complete, audit).
    Append { create: bool, completes: bool },
}

/// Decides what to do with `part`, given the stored `(size, received)` of its blob.
pub fn plan_part(stored: Option<(u64, u64)>, part: &BlobPart) -> Result<PartPlan> {
    let end = part.offset + part.bytes.len() as u64;
    let (size, received) = stored.unwrap_or((part.size, 0));
    if stored.is_some() && received == size {
        return Ok(PartPlan::Complete(status(&part.sha256, size, received)));
    }
    if part.size != size || end > size {
        return Err(StorageError::BlobSizeChanged { size, asked: part.size.max(end) });
    }
    if part.offset != received {
        return Err(StorageError::UploadOffset { offset: part.offset, received });
    }
    Ok(PartPlan::Append { create: stored.is_none(), completes: end == size })
}

pub fn status(sha256: &str, size: u64, received: u64) -> BlobStatus {
    BlobStatus { sha256: sha256.to_owned(), size, received, complete: received == size }
}

/// Whether the parts, in order, hash to `sha256`.
pub fn digest_matches<B: AsRef<[u8]>>(parts: impl IntoIterator<Item = B>, sha256: &str) -> bool {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_ref());
    }
    hex(&hasher.finalize()) == sha256
}

/// Bytes `[start, end)` cut from `parts` (`(start, bytes)`, in order, covering at least
/// that range).
pub fn cut_range(parts: &[(u64, Vec<u8>)], start: u64, end: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(end.saturating_sub(start) as usize);
    for (part_start, bytes) in parts {
        let part_end = part_start + bytes.len() as u64;
        if part_end <= start || *part_start >= end {
            continue;
        }
        let from = start.max(*part_start) - part_start;
        let to = end.min(part_end) - part_start;
        out.extend_from_slice(&bytes[from as usize..to as usize]);
    }
    out
}

#[cfg(test)]
mod tests {
    use saite_domain::content_address;

    use super::*;

    fn part(size: u64, offset: u64, bytes: &[u8]) -> BlobPart {
        BlobPart { sha256: content_address(b"abcdef"), size, offset, bytes: bytes.to_vec() }
    }

    #[test]
    fn parts_must_follow_on_and_fit() {
        assert_eq!(plan_part(None, &part(6, 0, b"abc")).unwrap(), PartPlan::Append { create: true, completes: false });
        assert_eq!(
            plan_part(Some((6, 3)), &part(6, 3, b"def")).unwrap(),
            PartPlan::Append { create: false, completes: true }
        );
        assert!(matches!(
            plan_part(Some((6, 3)), &part(6, 0, b"abc")),
            Err(StorageError::UploadOffset { offset: 0, received: 3 })
        ));
        assert!(matches!(plan_part(None, &part(6, 2, b"cd")), Err(StorageError::UploadOffset { received: 0, .. })));
        assert!(matches!(plan_part(Some((6, 3)), &part(7, 3, b"def")), Err(StorageError::BlobSizeChanged { .. })));
        assert!(matches!(plan_part(None, &part(2, 0, b"abc")), Err(StorageError::BlobSizeChanged { .. })));
        assert!(
            matches!(plan_part(Some((6, 6)), &part(6, 0, b"abcdef")).unwrap(), PartPlan::Complete(s) if s.complete)
        );
    }

    #[test]
    fn ranges_cut_across_parts() {
        let parts = vec![(0, b"abc".to_vec()), (3, b"de".to_vec()), (5, b"f".to_vec())];
        assert_eq!(cut_range(&parts, 0, 6), b"abcdef");
        assert_eq!(cut_range(&parts, 2, 4), b"cd");
        assert_eq!(cut_range(&parts, 5, 6), b"f");
        assert_eq!(cut_range(&parts, 4, 4), b"");
        assert!(digest_matches([b"abc".as_slice(), b"def"], &content_address(b"abcdef")));
        assert!(!digest_matches([b"abc".as_slice(), b"deg"], &content_address(b"abcdef")));
    }
}
