use saite_domain::{FieldError, RecordId, hlc::HlcError};
use serde::Serialize;
use ts_rs::TS;

use crate::key::KeyError;

/// Everything a store operation can fail with. Nothing is half-written on any error:
/// each operation runs in one transaction.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the record is not valid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("record {0} not found")]
    NotFound(RecordId),
    #[error("the passphrase is wrong")]
    WrongPassphrase,
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("a store already exists in this folder")]
    AlreadyExists,
    #[error("there is no store in this folder yet")]
    NotCreated,
    #[error(transparent)]
    Key(KeyError),
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("schema migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("clock: {0}")]
    Clock(#[from] HlcError),
    #[error("records of different collections cannot be merged")]
    MergeAcrossCollections,
    #[error("a record cannot be merged into itself")]
    MergeIntoItself,
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is not a Saite backup, or it was altered: {0}")]
    BackupDamaged(String),
    #[error("the backup cannot be written to this folder: {0}")]
    BackupFolderUnusable(std::io::Error),
    #[error("the backup file cannot be read: {0}")]
    BackupUnreadable(std::io::Error),
    #[error("the backup was made by a newer version of Saite")]
    BackupTooNew,
}

/// The stable code of a [`StoreError`] for the UI (`error-<code>` messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum StoreErrorCode {
    Invalid,
    NotFound,
    WrongPassphrase,
    EmptyPassphrase,
    AlreadyExists,
    NotCreated,
    KeyFileDamaged,
    Storage,
    ClockDrift,
    MergeNotAllowed,
    BackupDamaged,
    BackupFolderUnusable,
    BackupUnreadable,
    BackupTooNew,
}

impl StoreErrorCode {
    pub const ALL: [StoreErrorCode; 14] = [
        StoreErrorCode::Invalid,
        StoreErrorCode::NotFound,
        StoreErrorCode::WrongPassphrase,
        StoreErrorCode::EmptyPassphrase,
        StoreErrorCode::AlreadyExists,
        StoreErrorCode::NotCreated,
        StoreErrorCode::KeyFileDamaged,
        StoreErrorCode::Storage,
        StoreErrorCode::ClockDrift,
        StoreErrorCode::MergeNotAllowed,
        StoreErrorCode::BackupDamaged,
        StoreErrorCode::BackupFolderUnusable,
        StoreErrorCode::BackupUnreadable,
        StoreErrorCode::BackupTooNew,
    ];

    /// The Fluent message explaining the code.
    pub fn message_id(self) -> String {
        let v = serde_json::to_value(self).expect("codes serialise");
        format!("error-{}", v.as_str().expect("string"))
    }
}

impl StoreError {
    pub fn code(&self) -> StoreErrorCode {
        match self {
            StoreError::Invalid(_) => StoreErrorCode::Invalid,
            StoreError::NotFound(_) => StoreErrorCode::NotFound,
            StoreError::WrongPassphrase | StoreError::Key(KeyError::WrongPassphrase) => StoreErrorCode::WrongPassphrase,
            StoreError::EmptyPassphrase | StoreError::Key(KeyError::EmptyPassphrase) => StoreErrorCode::EmptyPassphrase,
            StoreError::AlreadyExists => StoreErrorCode::AlreadyExists,
            StoreError::NotCreated => StoreErrorCode::NotCreated,
            StoreError::Key(_) => StoreErrorCode::KeyFileDamaged,
            StoreError::Database(_) | StoreError::Migration(_) | StoreError::Corrupt(_) | StoreError::Io(_) => {
                StoreErrorCode::Storage
            }
            StoreError::Clock(_) => StoreErrorCode::ClockDrift,
            StoreError::MergeAcrossCollections | StoreError::MergeIntoItself => StoreErrorCode::MergeNotAllowed,
            StoreError::BackupDamaged(_) => StoreErrorCode::BackupDamaged,
            StoreError::BackupFolderUnusable(_) => StoreErrorCode::BackupFolderUnusable,
            StoreError::BackupUnreadable(_) => StoreErrorCode::BackupUnreadable,
            StoreError::BackupTooNew => StoreErrorCode::BackupTooNew,
        }
    }
}

impl From<KeyError> for StoreError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::WrongPassphrase => StoreError::WrongPassphrase,
            KeyError::EmptyPassphrase => StoreError::EmptyPassphrase,
            other => StoreError::Key(other),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
