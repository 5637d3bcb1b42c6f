use std::collections::BTreeMap;

use saite_appdata::AppDataError;
use saite_domain::FieldError;
use saite_i18n::{Catalogue, FluentArgs, Locale};
use saite_store::{StoreError, StoreErrorCode};
use saite_sync::{
    ConnectError, SyncError, SyncFailure, SyncFailureCode,
    desk::{DeskError, DeskFailureCode},
};
use serde::Serialize;
use ts_rs::TS;

/// Failures of the shell itself (data folder, preferences, the store's lock state).
///
/// Invariant: codes are never renamed or reused; a new failure gets a new code. No
/// code here equals a [`StoreErrorCode`], so the two share one message namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ShellErrorCode {
    NoDefaultDataDir,
    DataDirUnusable,
    DataDirInUse,
    PreferencesUnreadable,
    PreferencesUnwritable,
    StoreLocked,
    Internal,
    /// A notice: the server said this laptop was revoked, and its data was destroyed.
    WipedDeviceRevoked,
    /// A notice: the lost-laptop policy's days without contact ran out, and the data
    /// was destroyed.
    WipedNoContact,
    /// An exported file could not be written.
    ExportFailed,
    /// The user cancelled an export; no file was made.
    ExportCancelled,
    /// A file to import has no rows.
    ImportEmpty,
    /// A file to import is no CSV, XLSX or vCard file Saite can read (`reason`).
    ImportUnreadable,
    /// A file to import has more rows than one import takes (`max`).
    ImportTooManyRows,
    /// The user cancelled an import; nothing was written.
    ImportCancelled,
    /// A row was to be merged into a record it does not duplicate (`line`).
    ImportNotADuplicate,
    /// An import was checked or confirmed with no file read.
    ImportNothingRead,
    /// The store refused a row when it was written, though the check let it through
    /// (its record changed meanwhile, by a sync); nothing was written (`line`).
    ImportRowRefused,
}

impl ShellErrorCode {
    pub const ALL: [ShellErrorCode; 18] = [
        ShellErrorCode::NoDefaultDataDir,
        ShellErrorCode::DataDirUnusable,
        ShellErrorCode::DataDirInUse,
        ShellErrorCode::PreferencesUnreadable,
        ShellErrorCode::PreferencesUnwritable,
        ShellErrorCode::StoreLocked,
        ShellErrorCode::Internal,
        ShellErrorCode::WipedDeviceRevoked,
        ShellErrorCode::WipedNoContact,
        ShellErrorCode::ExportFailed,
        ShellErrorCode::ExportCancelled,
        ShellErrorCode::ImportEmpty,
        ShellErrorCode::ImportUnreadable,
        ShellErrorCode::ImportTooManyRows,
        ShellErrorCode::ImportCancelled,
        ShellErrorCode::ImportNotADuplicate,
        ShellErrorCode::ImportNothingRead,
        ShellErrorCode::ImportRowRefused,
    ];
}

/// A stable code for everything that can go wrong in a command. The UI switches on it
/// and shows the message `error-<code>` from each locale's `errors.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
pub enum ErrorCode {
    Shell(ShellErrorCode),
    Store(StoreErrorCode),
    Sync(SyncFailureCode),
    Desk(DeskFailureCode),
}

impl ErrorCode {
    /// The Fluent message id that explains this code to the user.
    pub fn message_id(self) -> String {
        let code = serde_json::to_value(self).expect("codes serialise");
        format!("error-{}", code.as_str().expect("codes serialise as strings"))
    }

    pub fn all() -> impl Iterator<Item = ErrorCode> {
        ShellErrorCode::ALL
            .into_iter()
            .map(ErrorCode::Shell)
            .chain(StoreErrorCode::ALL.into_iter().map(ErrorCode::Store))
            .chain(SyncFailureCode::ALL.into_iter().map(ErrorCode::Sync))
            .chain(DeskFailureCode::ALL.into_iter().map(ErrorCode::Desk))
    }
}

impl From<ShellErrorCode> for ErrorCode {
    fn from(c: ShellErrorCode) -> Self {
        ErrorCode::Shell(c)
    }
}

/// An error as the UI receives it: a code to switch on, the arguments its message
/// needs, and, when input was refused, the fields to show messages beside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
#[error("{code:?} {args:?}: {detail}")]
pub struct CommandError {
    pub code: ErrorCode,
    /// Named values for the message's placeables (`$path`, `$reason`).
    pub args: BTreeMap<String, String>,
    /// Per-field validation failures (code `invalid`).
    pub field_errors: Vec<FieldError>,
    /// Technical detail for logs; not shown in the UI and not sent to it.
    #[serde(skip)]
    #[ts(skip)]
    pub detail: String,
}

impl CommandError {
    pub fn new(code: impl Into<ErrorCode>, detail: impl Into<String>) -> Self {
        CommandError { code: code.into(), args: BTreeMap::new(), field_errors: Vec::new(), detail: detail.into() }
    }

    /// The store is locked (or was never unlocked): the UI asks for the passphrase.
    pub fn store_locked() -> Self {
        CommandError::new(ShellErrorCode::StoreLocked, "the store is locked")
    }

    pub fn with_arg(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args.insert(name.to_owned(), value.into());
        self
    }

    /// The user-facing text in `locale`.
    pub fn localized(&self, catalogue: &Catalogue, locale: Locale) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in &self.args {
            args.set(k.as_str(), v.as_str());
        }
        catalogue.format(locale, &self.code.message_id(), Some(&args))
    }
}

impl From<AppDataError> for CommandError {
    fn from(e: AppDataError) -> Self {
        let detail = e.to_string();
        match e {
            AppDataError::NoDefaultDataDir => CommandError::new(ShellErrorCode::NoDefaultDataDir, detail),
            AppDataError::DataDirUnusable { path, source } => {
                CommandError::new(ShellErrorCode::DataDirUnusable, detail)
                    .with_arg("path", path.display().to_string())
                    .with_arg("reason", source.to_string())
            }
            AppDataError::DataDirInUse { path } => {
                CommandError::new(ShellErrorCode::DataDirInUse, detail).with_arg("path", path.display().to_string())
            }
            AppDataError::Read { .. } | AppDataError::Corrupt { .. } => {
                CommandError::new(ShellErrorCode::PreferencesUnreadable, detail)
            }
            AppDataError::Write { source, .. } => {
                CommandError::new(ShellErrorCode::PreferencesUnwritable, detail).with_arg("reason", source.to_string())
            }
        }
    }
}

impl From<saite_export::ExportError> for CommandError {
    fn from(e: saite_export::ExportError) -> Self {
        let detail = e.to_string();
        let (path, reason) = match e {
            saite_export::ExportError::Store(e) => return e.into(),
            saite_export::ExportError::Cancelled => return CommandError::new(ShellErrorCode::ExportCancelled, detail),
            saite_export::ExportError::Io { path, source } => (path.display().to_string(), source.to_string()),
            other => (String::new(), other.to_string()),
        };
        CommandError::new(ShellErrorCode::ExportFailed, detail).with_arg("path", path).with_arg("reason", reason)
    }
}

impl From<saite_import::ImportError> for CommandError {
    fn from(e: saite_import::ImportError) -> Self {
        use saite_import::ImportError as E;
        let detail = e.to_string();
        match e {
            E::Store(e) => e.into(),
            E::Empty => CommandError::new(ShellErrorCode::ImportEmpty, detail),
            E::Unreadable(reason) => {
                CommandError::new(ShellErrorCode::ImportUnreadable, detail).with_arg("reason", reason)
            }
            E::TooManyRows => CommandError::new(ShellErrorCode::ImportTooManyRows, detail)
                .with_arg("max", saite_import::MAX_ROWS.to_string()),
            E::Cancelled => CommandError::new(ShellErrorCode::ImportCancelled, detail),
            E::NotADuplicate { line } => {
                CommandError::new(ShellErrorCode::ImportNotADuplicate, detail).with_arg("line", line.to_string())
            }
            E::Row { line, .. } => {
                CommandError::new(ShellErrorCode::ImportRowRefused, detail).with_arg("line", line.to_string())
            }
            E::Decisions { .. } => CommandError::new(ShellErrorCode::Internal, detail),
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let code = e.code();
        let detail = e.to_string();
        let field_errors = match e {
            StoreError::Invalid(errors) => errors,
            _ => Vec::new(),
        };
        if code == StoreErrorCode::Storage {
            eprintln!("saite: storage error: {detail}");
        }
        CommandError { code: ErrorCode::Store(code), args: BTreeMap::new(), field_errors, detail }
    }
}

impl From<ConnectError> for CommandError {
    fn from(e: ConnectError) -> Self {
        let detail = e.to_string();
        CommandError::new(ErrorCode::Sync(e.code()), detail)
    }
}

impl From<DeskError> for CommandError {
    fn from(e: DeskError) -> Self {
        let detail = e.to_string();
        match e {
            DeskError::Sync(e) => e.into(),
            DeskError::Refused { code, field, .. } => {
                let mut refused = CommandError::new(ErrorCode::Desk(code), detail);
                // The field to show the message beside, as a form's validation would.
                refused.field_errors =
                    field.into_iter().map(|f| FieldError::new(f, saite_domain::ValidationCode::InvalidValue)).collect();
                refused
            }
        }
    }
}

impl From<SyncError> for CommandError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => e.into(),
            SyncError::StoreLocked => CommandError::store_locked(),
            other => {
                let code = SyncFailure::of(&other, 0)
                    .map_or(ErrorCode::Shell(ShellErrorCode::Internal), |f| ErrorCode::Sync(f.code));
                CommandError::new(code, other.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use saite_domain::ValidationCode;

    use super::*;

    #[test]
    fn every_code_has_a_message_in_every_locale() {
        let catalogue = Catalogue::embedded();
        for code in ErrorCode::all() {
            for locale in Locale::ALL {
                assert!(catalogue.has_message(locale, &code.message_id()), "{} missing in {locale}", code.message_id());
            }
        }
    }

    #[test]
    fn shell_store_and_sync_codes_never_collide() {
        let names: Vec<String> = ErrorCode::all().map(|c| c.message_id()).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn localized_messages_fill_in_their_arguments() {
        let e = CommandError::new(ShellErrorCode::DataDirInUse, "").with_arg("path", "/data/a");
        let text = e.localized(Catalogue::embedded(), Locale::Lv);
        assert!(text.contains("/data/a") && text.starts_with("Datu mapi"), "{text}");
        let text = e.localized(Catalogue::embedded(), Locale::Ru);
        assert!(text.contains("/data/a") && text.starts_with("Папку"), "{text}");
    }

    #[test]
    fn wire_form_has_code_args_and_field_errors_but_no_detail() {
        let e =
            CommandError::new(ShellErrorCode::PreferencesUnwritable, "secret detail").with_arg("reason", "disk full");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "preferences-unwritable", "args": {"reason": "disk full"}, "fieldErrors": []})
        );
        let invalid: CommandError =
            StoreError::Invalid(vec![FieldError::new("title", ValidationCode::Required)]).into();
        let json = serde_json::to_value(&invalid).unwrap();
        assert_eq!(json["code"], "invalid");
        assert_eq!(json["fieldErrors"], serde_json::json!([{"field": "title", "code": "required"}]));
        let wrong: CommandError = StoreError::WrongPassphrase.into();
        assert_eq!(serde_json::to_value(&wrong).unwrap()["code"], "wrong-passphrase");
    }

    #[test]
    fn app_data_errors_map_to_their_codes() {
        let in_use: CommandError = AppDataError::DataDirInUse { path: "/x".into() }.into();
        assert_eq!(in_use.code, ErrorCode::Shell(ShellErrorCode::DataDirInUse));
        assert_eq!(in_use.args.get("path").map(String::as_str), Some("/x"));
        let write: CommandError =
            AppDataError::Write { path: "/x".into(), source: std::io::Error::other("full") }.into();
        assert_eq!(write.code, ErrorCode::Shell(ShellErrorCode::PreferencesUnwritable));
        assert_eq!(write.args.get("reason").map(String::as_str), Some("full"));
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<ShellErrorCode>();
        saite_ts_bindings::assert_ts_fresh::<ErrorCode>();
        saite_ts_bindings::assert_ts_fresh::<CommandError>();
    }
}
