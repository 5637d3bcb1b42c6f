//! The laptop's encrypted record store.
//!
//! Glossary:
//! - **store**: one SQLCipher database (`store.db`) plus its key file (`store.key`) in
//!   the data folder ([`Store`]).
//! - **data key / key file**: the random key the database is encrypted with, kept
//!   wrapped under the passphrase ([`key`]).
//! - **write path**: the one function every change goes through
//!   ([`Store::create`], [`Store::update`], [`Store::delete`], [`Store::restore`],
//!   [`Store::merge`]): it validates, stamps the changed fields with one HLC, records
//!   history and appends to the outbox, all in one transaction.
//! - **outbox**: local changes not yet acknowledged by the server, one row per write of
//!   one record (its fields and their shared stamp), keyed by `device_seq`.
//! - **event outbox**: what the laptop did that the office's audit keeps although no
//!   record changed (exports), until the server has it ([`Store::note_event`]).
//! - **tombstone**: a deleted record; it stays (in the trash, restorable) with its
//!   `_deleted` field stamped like any other.
//! - **remote field / pull cursor**: a field value pulled from the server, merged in by
//!   the shared last-writer rule, and how far the server's changes are taken in
//!   ([`Store::apply_pulled`]).
//! - **backup**: the whole store in one file sealed under a backup passphrase, restored
//!   on a laptop without a store as a new device ([`backup`]).
//! - **follow-up reminder**: the follow-ups due today or overdue, and one desktop
//!   notification a day ([`Store::follow_up_reminder`]).
//! - **duplicate key**: a normalised name, phone or e-mail under which two organisations
//!   or people are probably the same ([`Store::duplicate_candidates`]).

pub mod backup;
mod blobs;
mod checkpoint;
mod demo;
mod duplicates;
mod error;
mod events;
pub mod key;
mod list_keys;
mod read;
mod reminder;
mod remote;
mod report;
mod restamp;
pub mod schema;
mod store;
mod text_merge;
mod upgrade;
mod write;

pub use blobs::{AttachmentFile, FileState, MAX_ATTACHMENT_BYTES, MissingFile};
pub use demo::DemoSummary;
pub use duplicates::{DuplicateCandidate, DuplicateReason, ImportWrite, MergePreview, duplicate_keys};
pub use error::{Result, StoreError, StoreErrorCode};
pub use read::{
    HistoryEntry, ListFilter, ListPage, ListQuery, OutboxChange, OutboxEntry, SearchHit, StoredRecord,
    filterable_fields, sortable_fields,
};
pub use reminder::FollowUpReminder;
pub use remote::{Applied, PreparedPage, prepare_pulled};
pub use report::{Report, ReportColumn, ReportDimension, ReportFigure, ReportMeasure, ReportQuery, ReportRow};
pub use store::{Store, StoreReader, StoreStatus};
pub use text_merge::{TextConflict, TextMerge, merge_texts};
pub use write::{Created, DELETED_FIELD, MERGED_INTO_FIELD, Origin};

#[cfg(test)]
mod generated_typescript {
    #[test]
    fn generated_typescript_is_fresh() {
        use saite_ts_bindings::assert_ts_fresh as fresh;
        fresh::<crate::StoredRecord>();
        fresh::<crate::HistoryEntry>();
        fresh::<crate::SearchHit>();
        fresh::<crate::ListFilter>();
        fresh::<crate::ListQuery>();
        fresh::<crate::ListPage>();
        fresh::<crate::ReportQuery>();
        fresh::<crate::Report>();
        fresh::<crate::ReportFigure>();
        fresh::<crate::ReportDimension>();
        fresh::<crate::ReportColumn>();
        fresh::<crate::ReportMeasure>();
        fresh::<crate::ReportRow>();
        fresh::<crate::Created>();
        fresh::<crate::DuplicateCandidate>();
        fresh::<crate::MergePreview>();
        fresh::<crate::DuplicateReason>();
        fresh::<crate::StoreStatus>();
        fresh::<crate::StoreErrorCode>();
        fresh::<crate::DemoSummary>();
        fresh::<crate::TextConflict>();
        fresh::<crate::AttachmentFile>();
        fresh::<crate::FileState>();
        fresh::<crate::backup::BackupMade>();
        fresh::<crate::backup::BackupFound>();
        fresh::<crate::FollowUpReminder>();
    }

    #[test]
    fn every_error_code_has_a_message_in_every_locale() {
        let catalogue = saite_i18n::Catalogue::embedded();
        for code in crate::StoreErrorCode::ALL {
            for locale in saite_i18n::Locale::ALL {
                assert!(catalogue.has_message(locale, &code.message_id()), "{} in {locale}", code.message_id());
            }
        }
    }
}
