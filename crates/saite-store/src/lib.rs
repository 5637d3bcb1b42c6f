//! The laptop's encrypted record store.
//!
//! Glossary:
//! - **store**: one SQLCipher database (`store.db`) plus its key file (`store.key`) in
//!   the data folder ([`Store`]).
//! - **data key / key file**: the random key the database is encrypted with, kept
//!   wrapped under the passphrase ([`key`]).
//! - **write path**: the one function every change goes through
//!   ([`Store::create`], [`Store::update`], [`Store::delete`], [`Store::restore`],
//!   [`Store::merge`]): it validates, stamps each changed field with an HLC, records
//!   history and appends to the outbox, all in one transaction.
//! - **outbox**: local field changes not yet acknowledged by the server, keyed by
//!   `device_seq`.
//! - **tombstone**: a deleted record; it stays (in the trash, restorable) with its
//!   `_deleted` field stamped like any other.
//! - **duplicate key**: a normalised name, phone or e-mail under which two organisations
//!   or people are probably the same ([`Store::duplicate_candidates`]).

mod duplicates;
mod error;
pub mod key;
mod read;
pub mod schema;
mod store;
mod write;

pub use duplicates::{DuplicateCandidate, DuplicateReason};
pub use error::{Result, StoreError, StoreErrorCode};
pub use read::{HistoryEntry, ListFilter, ListPage, ListQuery, OutboxEntry, SearchHit, StoredRecord};
pub use store::{Store, StoreStatus};
pub use write::{Created, DELETED_FIELD, MERGED_INTO_FIELD, Origin};
