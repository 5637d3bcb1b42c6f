//! Erasure: a person's values removed for good, on the server and on every laptop (the
//! right to erasure). Designed here so the push plan and the pull can take it in; built
//! by the data-protection work that follows (docs/sync.md, "Erasure").
//!
//! Glossary:
//! - **erasure**: a change that empties a record — every field's value, its history, a
//!   long text's base and conflict — and marks it erased, stamped like any change.
//! - **erased record**: what is left of it: its id, its collection and the erasure's
//!   stamp, so every replica knows the record was there and is gone.
//!
//! The rule, which the merge cannot express with per-field stamps alone: once a record
//! is erased, no change brings any of its values back, whatever its stamp. A later stamp
//! wins a field; it does not undo an erasure. A laptop that edited the record offline,
//! before it pulled the erasure, has that edit acknowledged and dropped, and its own
//! copy erased at its next pull.

use saite_domain::{Collection, RecordId, hlc::Hlc};
use serde::{Deserialize, Serialize};

use crate::UserId;

/// An erasure as a coordinator asks for it and the server stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Erasure {
    pub record: RecordId,
    pub collection: Collection,
    /// The erasure's own stamp, from the device that asked for it.
    pub hlc: Hlc,
    /// Who asked for it (a coordinator), for the audit log.
    pub by: UserId,
}

/// What the push plan does with a change to a record, given whether it is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasedRecordRule {
    /// The record is not erased: the change merges field by field.
    Merge,
    /// The record is erased: the change is acknowledged and stores nothing (counted as
    /// kept out, so the laptop pulls the erased record back and erases its copy).
    DropChange,
}

impl ErasedRecordRule {
    /// The rule for a change to a record erased at `erased` (`None`: not erased).
    pub fn for_record(erased: Option<&Hlc>) -> ErasedRecordRule {
        if erased.is_some() { ErasedRecordRule::DropChange } else { ErasedRecordRule::Merge }
    }
}

#[cfg(test)]
mod tests {
    use saite_domain::DeviceId;

    use super::*;

    #[test]
    fn no_stamp_undoes_an_erasure() {
        let at = |wall_ms| Hlc { wall_ms, counter: 0, device: DeviceId::from_uuid(uuid::Uuid::from_u128(1)) };
        assert_eq!(ErasedRecordRule::for_record(None), ErasedRecordRule::Merge);
        // Whatever the change's stamp, before or after the erasure's.
        assert_eq!(ErasedRecordRule::for_record(Some(&at(10))), ErasedRecordRule::DropChange);
    }
}
