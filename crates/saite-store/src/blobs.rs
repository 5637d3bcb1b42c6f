//! Attachment contents. A file is stored once, by its SHA-256, in the encrypted
//! database; an `attachment` record (made through the ordinary write path) ties it to
//! the record it belongs to. Removing an attachment trashes the record; the bytes stay
//! so a restore brings the file back.

use rusqlite::{OptionalExtension, params};
use saite_domain::{Collection, FieldError, RecordId, ValidationCode};
use serde_json::{Map, Value, json};

use crate::{
    Store,
    error::{Result, StoreError},
    write::Origin,
};

/// The largest file one attachment may hold.
pub const MAX_ATTACHMENT_BYTES: usize = 50 * 1024 * 1024;

impl Store {
    /// Attaches a file to a record: stores the bytes (once per content) and creates
    /// the attachment record, in one transaction.
    pub fn attach(&mut self, owner: RecordId, file_name: &str, media_type: &str, bytes: &[u8]) -> Result<RecordId> {
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(StoreError::Invalid(vec![FieldError::new("file", ValidationCode::TooLarge)]));
        }
        let sha256 = saite_domain::content_address(bytes);
        let id: RecordId = self.ids.new_id(self.clock.now_ms());
        let mut w = self.writer()?;
        let owner_collection = w.load(owner)?.ok_or(StoreError::NotFound(owner))?.collection;
        w.tx.execute(
            "INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING",
            params![sha256, bytes.len() as i64, bytes],
        )?;
        let document: Map<String, Value> = match json!({
            "owner": owner, "ownerCollection": owner_collection, "fileName": file_name,
            "mediaType": media_type, "sizeBytes": bytes.len(), "sha256": sha256,
        }) {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        w.insert_new(id, Collection::Attachment, &document, Origin::Local)?;
        w.commit()?;
        Ok(id)
    }

    /// The stored bytes with this SHA-256, if present.
    pub fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.conn.query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?)
    }

    /// An attachment's file name and contents.
    pub fn attachment_file(&self, attachment: RecordId) -> Result<(String, Vec<u8>)> {
        let record = self.get(attachment)?.filter(|r| r.collection == Collection::Attachment).ok_or(StoreError::NotFound(attachment))?;
        let sha = record.document.get("sha256").and_then(Value::as_str).unwrap_or_default().to_owned();
        let name = record.document.get("fileName").and_then(Value::as_str).unwrap_or_default().to_owned();
        let bytes = self.blob(&sha)?.ok_or_else(|| StoreError::Corrupt(format!("attachment {attachment} has no stored file")))?;
        Ok((name, bytes))
    }
}
