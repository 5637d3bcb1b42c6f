use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

use saite_i18n::Locale;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppDataError;

const FILE_NAME: &str = "preferences.json";

/// Settings kept in plain JSON in the data folder, readable before the store is
/// unlocked. Invariant: nothing here identifies a person or an organisation.
///
/// Unknown fields are ignored and missing ones take their defaults, so an older or newer
/// app can read the file another version wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Preferences {
    /// The interface language; Latvian until the user picks another.
    pub language: Locale,
    /// Minutes without keyboard or mouse use after which the app locks the store;
    /// 0 never locks.
    pub auto_lock_minutes: u32,
    /// The organisation's hotline number, shown in About (public information).
    pub hotline: String,
    /// The organisation's office address, shown in About (public information).
    pub office_address: String,
    /// The consultant's own name: the author of local changes in history, the default
    /// owner of new follow-ups and whose open follow-ups "mine" lists. Empty: the
    /// operating system's user name is used.
    pub user_name: String,
}

/// The idle time after which the app locks unless the user chose otherwise.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 15;

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            language: Locale::default(),
            auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES,
            hotline: String::new(),
            office_address: String::new(),
            user_name: String::new(),
        }
    }
}

impl Preferences {
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// Reads the preferences of `data_dir`; a folder without the file yields defaults.
    pub fn load(data_dir: &Path) -> Result<Preferences, AppDataError> {
        let path = Self::path_in(data_dir);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| AppDataError::Corrupt { path, source }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Preferences::default()),
            Err(source) => Err(AppDataError::Read { path, source }),
        }
    }

    /// Writes the preferences atomically: a crash leaves either the old file or the new
    /// one, never a torn one (write to a temporary file, flush it to disk, rename).
    pub fn save(&self, data_dir: &Path) -> Result<(), AppDataError> {
        let path = Self::path_in(data_dir);
        let tmp = data_dir.join(format!("{FILE_NAME}.tmp"));
        let write = || -> io::Result<()> {
            let mut file = fs::File::create(&tmp)?;
            file.write_all(&serde_json::to_vec_pretty(self).expect("preferences serialise"))?;
            file.sync_all()?;
            fs::rename(&tmp, &path)?;
            #[cfg(unix)]
            fs::File::open(data_dir)?.sync_all()?;
            Ok(())
        };
        write().map_err(|source| AppDataError::Write { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_folder_speaks_latvian() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(Preferences::load(d.path()).unwrap().language, Locale::Lv);
    }

    #[test]
    fn saved_language_survives_a_reload() {
        let d = tempfile::tempdir().unwrap();
        for language in Locale::ALL {
            Preferences { language, ..Preferences::default() }.save(d.path()).unwrap();
            assert_eq!(Preferences::load(d.path()).unwrap().language, language);
        }
        let names: Vec<_> = fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![FILE_NAME], "no temporary file is left behind");
    }

    #[test]
    fn wire_form_is_the_language_tag() {
        let prefs = Preferences { language: Locale::Ru, auto_lock_minutes: 5, ..Preferences::default() };
        let json = serde_json::to_string(&prefs).unwrap();
        assert_eq!(json, r#"{"language":"ru","autoLockMinutes":5,"hotline":"","officeAddress":"","userName":""}"#);
    }

    #[test]
    fn files_from_other_versions_are_read() {
        let d = tempfile::tempdir().unwrap();
        fs::write(Preferences::path_in(d.path()), r#"{"language":"en","futureSetting":42}"#).unwrap();
        assert_eq!(Preferences::load(d.path()).unwrap().language, Locale::En);
        fs::write(Preferences::path_in(d.path()), "{}").unwrap();
        assert_eq!(Preferences::load(d.path()).unwrap(), Preferences::default());
        assert_eq!(Preferences::default().auto_lock_minutes, DEFAULT_AUTO_LOCK_MINUTES);
    }

    #[test]
    fn a_corrupt_file_is_an_error_not_a_silent_reset() {
        let d = tempfile::tempdir().unwrap();
        fs::write(Preferences::path_in(d.path()), "{\"language\":").unwrap();
        assert!(matches!(Preferences::load(d.path()), Err(AppDataError::Corrupt { .. })));
        fs::write(Preferences::path_in(d.path()), r#"{"language":"de"}"#).unwrap();
        assert!(matches!(Preferences::load(d.path()), Err(AppDataError::Corrupt { .. })));
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let d = tempfile::tempdir().unwrap();
        Preferences { language: Locale::Ru, ..Preferences::default() }.save(d.path()).unwrap();
        // A directory where the temporary file should go makes the write fail.
        fs::create_dir(d.path().join(format!("{FILE_NAME}.tmp"))).unwrap();
        let en = Preferences { language: Locale::En, ..Preferences::default() };
        assert!(matches!(en.save(d.path()), Err(AppDataError::Write { .. })));
        assert_eq!(Preferences::load(d.path()).unwrap().language, Locale::Ru);
    }

    #[test]
    fn generated_typescript_is_fresh() {
        saite_ts_bindings::assert_ts_fresh::<Preferences>();
        saite_ts_bindings::assert_ts_fresh::<crate::DataDirSource>();
        saite_ts_bindings::assert_ts_fresh::<crate::BackupPlace>();
    }
}
