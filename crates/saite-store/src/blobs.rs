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

/// Where an attachment's file is, as the attachment list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum FileState {
    /// On this laptop; its record waits to be sent (the file goes first).
    WaitingToUpload,
    /// On this laptop, and the server has it.
    OnThisLaptop,
    /// Only on the server so far: downloaded when opened (or by the next sync, if small).
    OnServer,
    /// Part of it downloaded; the rest follows.
    Downloading,
}

/// An attachment's file and where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AttachmentFile {
    pub attachment: RecordId,
    pub state: FileState,
    #[ts(type = "number")]
    pub size: u64,
    /// Bytes on this laptop (the whole size once there).
    #[ts(type = "number")]
    pub here: u64,
}

/// A file some live attachment names that this laptop does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingFile {
    pub sha256: String,
    pub size: u64,
}

/// Attachments whose file is not here. Every sync round asks, so it reads its own
/// partial index (`attachments_by_file`), never the whole records table.
const MISSING_FILES: &str =
    "SELECT DISTINCT json_extract(doc, '$.sha256'), json_extract(doc, '$.sizeBytes') FROM records
     WHERE collection = 'attachment' AND deleted = 0
       AND json_extract(doc, '$.sha256') NOT IN (SELECT sha256 FROM blobs)
     ORDER BY 2";

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
        let record = self
            .get(attachment)?
            .filter(|r| r.collection == Collection::Attachment)
            .ok_or(StoreError::NotFound(attachment))?;
        let sha = record.document.get("sha256").and_then(Value::as_str).unwrap_or_default().to_owned();
        let name = record.document.get("fileName").and_then(Value::as_str).unwrap_or_default().to_owned();
        let bytes = self
            .blob(&sha)?
            .ok_or_else(|| StoreError::Corrupt(format!("attachment {attachment} has no stored file")))?;
        Ok((name, bytes))
    }

    /// The size of the stored file with this SHA-256, if it is here.
    pub fn blob_size(&self, sha256: &str) -> Result<Option<u64>> {
        Ok(self
            .conn
            .query_row("SELECT size FROM blobs WHERE sha256 = ?1", [sha256], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|s| s as u64))
    }

    /// Bytes [start, end) of a stored file (for uploading it in parts).
    pub fn blob_range(&self, sha256: &str, start: u64, end: u64) -> Result<Vec<u8>> {
        Ok(self.conn.query_row(
            "SELECT substr(bytes, ?2, ?3) FROM blobs WHERE sha256 = ?1",
            params![sha256, start as i64 + 1, end.saturating_sub(start) as i64],
            |r| r.get(0),
        )?)
    }

    /// Files that live attachments name and this laptop does not hold, smallest first.
    pub fn missing_files(&self) -> Result<Vec<MissingFile>> {
        let mut stmt = self.conn.prepare_cached(MISSING_FILES)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<i64>>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            if let (Some(sha256), Some(size)) = row? {
                out.push(MissingFile { sha256, size: size.max(0) as u64 });
            }
        }
        Ok(out)
    }

    /// Bytes of a file downloaded so far (where the download resumes).
    pub fn download_progress(&self, sha256: &str) -> Result<u64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(length(bytes)), 0) FROM blob_downloads WHERE sha256 = ?1",
            [sha256],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Stores the next part of a download; a part that does not start where the stored
    /// ones end is refused (so parts never overlap or leave holes).
    pub fn save_download_part(&mut self, sha256: &str, start: u64, bytes: &[u8]) -> Result<()> {
        let held = self.download_progress(sha256)?;
        if start != held {
            return Err(StoreError::Corrupt(format!("download of {sha256} continues at {held}, not {start}")));
        }
        self.conn.execute(
            "INSERT INTO blob_downloads (sha256, start, bytes) VALUES (?1, ?2, ?3)",
            params![sha256, start as i64, bytes],
        )?;
        Ok(())
    }

    /// Completes a download: the parts, joined, must hash to the address. Then the file
    /// is stored and its parts dropped; otherwise the parts are dropped and it is `false`
    /// (download again from the start).
    pub fn finish_download(&mut self, sha256: &str) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let mut whole = Vec::new();
        {
            let mut stmt = tx.prepare_cached("SELECT bytes FROM blob_downloads WHERE sha256 = ?1 ORDER BY start")?;
            for part in stmt.query_map([sha256], |r| r.get::<_, Vec<u8>>(0))? {
                whole.extend_from_slice(&part?);
            }
        }
        let good = saite_domain::content_address(&whole) == sha256;
        if good {
            tx.execute(
                "INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3) ON CONFLICT (sha256) DO NOTHING",
                params![sha256, whole.len() as i64, whole],
            )?;
        }
        tx.execute("DELETE FROM blob_downloads WHERE sha256 = ?1", [sha256])?;
        tx.commit()?;
        Ok(good)
    }

    /// Where each of an owner's attachments' files is.
    pub fn attachment_files(&self, owner: RecordId) -> Result<Vec<AttachmentFile>> {
        let mut out = Vec::new();
        for record in self.referrers(owner, Some(Collection::Attachment))? {
            let sha = record.document.get("sha256").and_then(Value::as_str).unwrap_or_default().to_owned();
            let size = record.document.get("sizeBytes").and_then(Value::as_u64).unwrap_or(0);
            let (state, here) = if self.blob_size(&sha)?.is_some() {
                let waiting: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM outbox WHERE record_id = ?1 AND fields -> '$.sha256' IS NOT NULL)",
                    [record.id.to_string()],
                    |r| r.get(0),
                )?;
                (if waiting { FileState::WaitingToUpload } else { FileState::OnThisLaptop }, size)
            } else {
                let here = self.download_progress(&sha)?;
                (if here > 0 { FileState::Downloading } else { FileState::OnServer }, here)
            };
            out.push(AttachmentFile { attachment: record.id, state, size, here });
        }
        Ok(out)
    }

    /// Whether an attachment's file is on this laptop.
    pub fn has_attachment_file(&self, attachment: RecordId) -> Result<bool> {
        let file = self.attachment_address(attachment)?;
        Ok(self.blob_size(&file.sha256)?.is_some())
    }

    /// An attachment's address and size (to fetch its file).
    pub fn attachment_address(&self, attachment: RecordId) -> Result<MissingFile> {
        let record = self
            .get(attachment)?
            .filter(|r| r.collection == Collection::Attachment)
            .ok_or(StoreError::NotFound(attachment))?;
        let sha256 = record.document.get("sha256").and_then(Value::as_str).unwrap_or_default().to_owned();
        let size = record.document.get("sizeBytes").and_then(Value::as_u64).unwrap_or(0);
        Ok(MissingFile { sha256, size })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use saite_domain::{Collection, SystemClock};

    use crate::{Store, key::KdfParams};

    #[test]
    fn the_files_a_round_looks_for_come_from_their_own_index_after_a_bulk_load() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::initialize(dir.path(), "parole", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), "x").unwrap();
        let seminar = |i: usize| {
            let doc = serde_json::json!({"title": format!("Seminārs {i}"), "kind": "seminar", "date": "2015-05-01", "municipality": "riga"});
            (Collection::Seminar, doc.as_object().unwrap().clone())
        };
        // A bulk load leaves planner statistics saying one collection holds every row.
        for start in (0..10_000).step_by(2_000) {
            store.create_batch((start..start + 2_000).map(seminar).collect()).unwrap();
        }
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", super::MISSING_FILES))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Without `attachments_by_file` this is "SCAN records": every round read every record.
        // Reading the partial index whole is fine: it holds the attachments alone.
        assert!(plan.iter().any(|step| step.contains("USING INDEX attachments_by_file")), "{plan:?}");
        assert!(!plan.iter().any(|step| step == "SCAN records"), "{plan:?}");
    }
}
