//! A record as the server holds it, and the two texts a backend keeps it in.
//!
//! Glossary:
//! - **stored record**: every field's current value and stamp, and the server seq of
//!   the last change stored in it.
//! - **columns**: the values object and the stamps object, as JSON texts; the stamps
//!   name the shared stamp under `""` and only the other fields by name.

use std::collections::BTreeMap;

use saite_domain::{Collection, RecordId, hlc::Hlc};
use serde_json::Value;

use crate::{FieldValues, PulledRecord};

/// Stored columns that cannot be read back (a backend maps it to its own error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorruptRecord(pub String);

impl std::fmt::Display for CorruptRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorruptRecord {}

/// One record as the server stores it: every field's value and stamp, and the server
/// seq of the last change stored in it. Backends keep the fields as two JSON texts
/// ([`StoredRecord::to_columns`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub record: RecordId,
    pub collection: Collection,
    pub fields: BTreeMap<String, (Value, Hlc)>,
    pub server_seq: u64,
}

/// The key of the stamp most of a record's fields share, in its stamps column (no field
/// is named by the empty string).
pub const SHARED_STAMP: &str = "";

impl StoredRecord {
    /// A record the server does not hold yet.
    pub fn new(record: RecordId, collection: Collection) -> StoredRecord {
        StoredRecord { record, collection, fields: BTreeMap::new(), server_seq: 0 }
    }

    /// The values `{field: value}` and the stamps, as JSON texts. The stamps name the
    /// stamp most fields share under the key `""` and only the others by field (a
    /// record's stamps would otherwise take as much room as its values); a field
    /// without an entry of its own has the shared one.
    pub fn to_columns(&self) -> (String, String) {
        // By reference, in the fields' order (a JSON object's as serde_json keeps it).
        let values: BTreeMap<&str, &Value> = self.fields.iter().map(|(f, (v, _))| (f.as_str(), v)).collect();
        let common = crate::most_common_stamp(self.fields.values().map(|(_, h)| h));
        let mut stamps: BTreeMap<&str, &Hlc> =
            self.fields.iter().filter(|(_, (_, h))| Some(*h) != common).map(|(f, (_, h))| (f.as_str(), h)).collect();
        if let Some(common) = &common {
            stamps.insert(SHARED_STAMP, common);
        }
        (
            serde_json::to_string(&values).expect("values serialise"),
            serde_json::to_string(&stamps).expect("stamps serialise"),
        )
    }

    /// A record from the two texts of [`StoredRecord::to_columns`] (or stamps naming
    /// every field, with no shared one: read too).
    pub fn from_columns(
        record: RecordId,
        collection: Collection,
        values: &str,
        stamps: &str,
        server_seq: u64,
    ) -> Result<StoredRecord, CorruptRecord> {
        let corrupt = |what: &str| CorruptRecord(format!("{what} of record {record}"));
        let values: BTreeMap<String, Value> = serde_json::from_str(values).map_err(|_| corrupt("values"))?;
        let mut stamps: BTreeMap<String, Hlc> = serde_json::from_str(stamps).map_err(|_| corrupt("stamps"))?;
        let shared = stamps.remove(SHARED_STAMP);
        let mut fields = BTreeMap::new();
        for (field, value) in values {
            let hlc = stamps.remove(&field).or(shared).ok_or_else(|| corrupt("a value without stamp"))?;
            fields.insert(field, (value, hlc));
        }
        if !stamps.is_empty() {
            return Err(corrupt("a stamp without value"));
        }
        Ok(StoredRecord { record, collection, fields, server_seq })
    }

    /// The record as a pull sends it, straight from the two texts of
    /// [`StoredRecord::to_columns`]: the shared stamp they name is the record's most
    /// common one, so the pulled record is [`StoredRecord::into_pulled`]'s without
    /// expanding a stamp per field and counting them again. The values text is sent as
    /// stored ([`FieldValues::Stored`]), never parsed. Stamps naming every field (no
    /// shared one) take the long way.
    pub fn pulled_from_columns(
        record: RecordId,
        collection: Collection,
        values: String,
        stamps: &str,
    ) -> Result<PulledRecord, CorruptRecord> {
        let corrupt = |what: &str| CorruptRecord(format!("{what} of record {record}"));
        let mut named: BTreeMap<String, Hlc> = serde_json::from_str(stamps).map_err(|_| corrupt("stamps"))?;
        let Some(shared) = named.remove(SHARED_STAMP) else {
            return Ok(StoredRecord::from_columns(record, collection, &values, stamps, 0)?.into_pulled());
        };
        // A stamp of its own names a field the values must hold: checked by reading them
        // (rare: most records' fields share one stamp, and then no field is named).
        if !named.is_empty() {
            let fields: BTreeMap<String, serde::de::IgnoredAny> =
                serde_json::from_str(&values).map_err(|_| corrupt("values"))?;
            if named.keys().any(|f| !fields.contains_key(f)) {
                return Err(corrupt("a stamp without value"));
            }
        }
        let fields = FieldValues::stored(values).map_err(|_| corrupt("values"))?;
        Ok(PulledRecord { record, collection, hlc: shared, fields, stamps: named })
    }

    /// The record as a pull sends it.
    pub fn into_pulled(self) -> PulledRecord {
        PulledRecord::from_fields(self.record, self.collection, self.fields.into_iter().map(|(f, (v, h))| (f, v, h)))
    }
}
