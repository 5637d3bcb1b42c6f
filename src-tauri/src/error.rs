use std::collections::BTreeMap;

use saite_appdata::AppDataError;
use saite_i18n::{Catalogue, FluentArgs, Locale};
use serde::Serialize;
use ts_rs::TS;

/// A stable code for everything that can go wrong in a command. The UI switches on it
/// and shows the message `error-<code>` from each locale's `errors.ftl`.
///
/// Invariant: codes are never renamed or reused; a new failure gets a new code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum ErrorCode {
    NoDefaultDataDir,
    DataDirUnusable,
    DataDirInUse,
    PreferencesUnreadable,
    PreferencesUnwritable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 6] = [
        ErrorCode::NoDefaultDataDir,
        ErrorCode::DataDirUnusable,
        ErrorCode::DataDirInUse,
        ErrorCode::PreferencesUnreadable,
        ErrorCode::PreferencesUnwritable,
        ErrorCode::Internal,
    ];

    /// The Fluent message id that explains this code to the user.
    pub fn message_id(self) -> String {
        let code = serde_json::to_value(self).expect("codes serialise");
        format!("error-{}", code.as_str().expect("codes serialise as strings"))
    }
}

/// An error as the UI receives it: a code to switch on, the arguments its message
/// needs, and, when input was refused, the field to show it beside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
#[error("{code:?} {args:?}: {detail}")]
pub struct CommandError {
    pub code: ErrorCode,
    /// Named values for the message's placeables (`$path`, `$reason`).
    pub args: BTreeMap<String, String>,
    /// The input field the error is about, if any.
    #[ts(optional = nullable)]
    pub field: Option<String>,
    /// Technical detail for logs; not shown in the UI and not sent to it.
    #[serde(skip)]
    #[ts(skip)]
    pub detail: String,
}

impl CommandError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        CommandError { code, args: BTreeMap::new(), field: None, detail: detail.into() }
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
            AppDataError::NoDefaultDataDir => CommandError::new(ErrorCode::NoDefaultDataDir, detail),
            AppDataError::DataDirUnusable { path, source } => CommandError::new(ErrorCode::DataDirUnusable, detail)
                .with_arg("path", path.display().to_string())
                .with_arg("reason", source.to_string()),
            AppDataError::DataDirInUse { path } => {
                CommandError::new(ErrorCode::DataDirInUse, detail).with_arg("path", path.display().to_string())
            }
            AppDataError::Read { .. } | AppDataError::Corrupt { .. } => {
                CommandError::new(ErrorCode::PreferencesUnreadable, detail)
            }
            AppDataError::Write { source, .. } => {
                CommandError::new(ErrorCode::PreferencesUnwritable, detail).with_arg("reason", source.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message_in_every_locale() {
        let catalogue = Catalogue::embedded();
        for code in ErrorCode::ALL {
            for locale in Locale::ALL {
                assert!(catalogue.has_message(locale, &code.message_id()), "{} missing in {locale}", code.message_id());
            }
        }
    }

    #[test]
    fn localized_messages_fill_in_their_arguments() {
        let e = CommandError::new(ErrorCode::DataDirInUse, "").with_arg("path", "/data/a");
        let text = e.localized(Catalogue::embedded(), Locale::Lv);
        assert!(text.contains("/data/a") && text.starts_with("Datu mapi"), "{text}");
        let text = e.localized(Catalogue::embedded(), Locale::Ru);
        assert!(text.contains("/data/a") && text.starts_with("Папку"), "{text}");
    }

    #[test]
    fn wire_form_has_code_args_and_field_but_no_detail() {
        let e = CommandError::new(ErrorCode::PreferencesUnwritable, "secret detail").with_arg("reason", "disk full");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"code": "preferences-unwritable", "args": {"reason": "disk full"}, "field": null}));
    }

    #[test]
    fn app_data_errors_map_to_their_codes() {
        let in_use: CommandError = AppDataError::DataDirInUse { path: "/x".into() }.into();
        assert_eq!((in_use.code, in_use.args.get("path").map(String::as_str)), (ErrorCode::DataDirInUse, Some("/x")));
        let write: CommandError =
            AppDataError::Write { path: "/x".into(), source: std::io::Error::other("full") }.into();
        assert_eq!(write.code, ErrorCode::PreferencesUnwritable);
        assert_eq!(write.args.get("reason").map(String::as_str), Some("full"));
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<ErrorCode>();
        saite_ts_bindings::assert_ts_fresh::<CommandError>();
    }
}
