//! Where a laptop's Saite data lives, and the few settings needed before the encrypted
//! store is unlocked.
//!
//! Glossary:
//! - **data folder**: the one directory holding everything one Saite installation keeps
//!   (the store, preferences, the web view's own storage). Chosen by `--data-dir`, else
//!   `SAITE_DATA_DIR`, else the OS's per-user app-data folder ([`DataDir::resolve`]).
//! - **instance lock**: an exclusive OS file lock on `saite.lock` in the data folder,
//!   held while the app runs, so two windows never write one folder; two data folders
//!   run side by side freely.
//! - **export folder**: where tables exported as CSV or XLSX are written
//!   (`SAITE_EXPORT_DIR`, else the user's Downloads folder: [`export_dir`]).
//! - **backup places**: the removable drives and folders offered for backups
//!   ([`backup_places`]).
//! - **preferences**: plain (unencrypted) settings such as the interface language, which
//!   the lock screen must already speak ([`Preferences`]). Nothing sensitive goes here.

mod backup_places;
mod data_dir;
mod error;
mod preferences;

pub use backup_places::{BACKUP_DIR_ENV, BackupPlace, backup_places, removable_drives};
pub use data_dir::{APP_IDENTIFIER, DATA_DIR_ENV, DataDir, DataDirSource, EXPORT_DIR_ENV, InstanceLock, export_dir};
pub use error::AppDataError;
pub use preferences::{DEFAULT_AUTO_LOCK_MINUTES, Preferences};
