use std::sync::Mutex;

use saite_appdata::{AppDataError, DataDir, DataDirSource, InstanceLock, Preferences};
use saite_i18n::Locale;
use serde::Serialize;
use ts_rs::TS;

use crate::CommandError;

/// What the shell holds while the app runs: the locked data folder and the current
/// preferences.
///
/// Invariant: the in-memory preferences equal the file's contents after every
/// successful save; a failed save changes neither.
pub struct SessionState {
    data_dir: DataDir,
    preferences: Mutex<Preferences>,
    notices: Vec<CommandError>,
    _lock: InstanceLock,
}

/// Facts about this installation that the UI shows (Settings, About).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub data_dir_source: DataDirSource,
    /// Problems met at start-up that the user should know of (an unreadable
    /// preferences file replaced by defaults).
    pub notices: Vec<CommandError>,
}

impl SessionState {
    /// Takes the data folder's instance lock and reads the preferences. An unreadable
    /// preferences file does not stop the app: defaults apply and a notice says so.
    pub fn open(data_dir: DataDir) -> Result<SessionState, CommandError> {
        let lock = data_dir.lock()?;
        let mut notices = Vec::new();
        let preferences = match Preferences::load(data_dir.path()) {
            Ok(p) => p,
            Err(e @ (AppDataError::Corrupt { .. } | AppDataError::Read { .. })) => {
                eprintln!("saite: {e}; using default preferences");
                notices.push(CommandError::from(e));
                Preferences::default()
            }
            Err(e) => return Err(e.into()),
        };
        Ok(SessionState { data_dir, preferences: Mutex::new(preferences), notices, _lock: lock })
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    pub fn preferences(&self) -> Preferences {
        self.preferences.lock().expect("preferences lock").clone()
    }

    /// Saves the new language, then adopts it.
    pub fn set_language(&self, language: Locale) -> Result<Preferences, CommandError> {
        let mut current = self.preferences.lock().expect("preferences lock");
        let next = Preferences { language, ..current.clone() };
        next.save(self.data_dir.path())?;
        *current = next.clone();
        Ok(next)
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.path().display().to_string(),
            data_dir_source: self.data_dir.source(),
            notices: self.notices.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    fn dir(tmp: &tempfile::TempDir) -> DataDir {
        DataDir::resolve(Some(tmp.path().join("data")), None).unwrap()
    }

    #[test]
    fn language_choice_persists_into_the_next_session() {
        let tmp = tempfile::tempdir().unwrap();
        let first = SessionState::open(dir(&tmp)).unwrap();
        assert_eq!(first.preferences().language, Locale::Lv);
        first.set_language(Locale::Ru).unwrap();
        drop(first);
        let second = SessionState::open(dir(&tmp)).unwrap();
        assert_eq!(second.preferences().language, Locale::Ru);
    }

    #[test]
    fn a_second_session_on_one_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let _first = SessionState::open(dir(&tmp)).unwrap();
        let second = SessionState::open(dir(&tmp)).err().expect("refused");
        assert_eq!(second.code, ErrorCode::DataDirInUse);
    }

    #[test]
    fn a_corrupt_preferences_file_gives_defaults_and_a_notice() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dir(&tmp);
        std::fs::create_dir_all(d.path()).unwrap();
        std::fs::write(Preferences::path_in(d.path()), "not json").unwrap();
        let s = SessionState::open(d).unwrap();
        assert_eq!(s.preferences(), Preferences::default());
        let notices = s.app_info().notices;
        assert_eq!(notices.iter().map(|n| n.code).collect::<Vec<_>>(), vec![ErrorCode::PreferencesUnreadable]);
    }

    #[test]
    fn a_failed_save_keeps_the_previous_language() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dir(&tmp);
        let s = SessionState::open(d.clone()).unwrap();
        s.set_language(Locale::En).unwrap();
        std::fs::create_dir(d.path().join("preferences.json.tmp")).unwrap();
        let err = s.set_language(Locale::Ru).unwrap_err();
        assert_eq!(err.code, ErrorCode::PreferencesUnwritable);
        assert_eq!(s.preferences().language, Locale::En);
    }

    #[test]
    fn app_info_reports_version_and_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let s = SessionState::open(dir(&tmp)).unwrap();
        let info = s.app_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.data_dir_source, DataDirSource::Flag);
        assert!(info.data_dir.ends_with("data"));
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<AppInfo>();
    }
}
