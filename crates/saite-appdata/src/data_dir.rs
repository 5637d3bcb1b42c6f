use std::{
    ffi::OsString,
    fs::{self, File, TryLockError},
    path::{Path, PathBuf},
};

use crate::AppDataError;

/// The bundle identifier; also the name of the default data folder, matching where
/// Tauri would put per-app data.
pub const APP_IDENTIFIER: &str = "lv.saite.desktop";

/// The environment variable naming the data folder when no `--data-dir` is given.
pub const DATA_DIR_ENV: &str = "SAITE_DATA_DIR";

/// The environment variable naming the folder exported files go to.
pub const EXPORT_DIR_ENV: &str = "SAITE_EXPORT_DIR";

const LOCK_FILE: &str = "saite.lock";

/// Where exported files go: `env` (the process's `SAITE_EXPORT_DIR`) when set, else the
/// user's Downloads folder, else their home folder, else `fallback`.
pub fn export_dir(env: Option<OsString>, fallback: &Path) -> PathBuf {
    if let Some(value) = env.filter(|v| !v.is_empty()) {
        return PathBuf::from(value);
    }
    match directories::UserDirs::new() {
        Some(user) => user.download_dir().unwrap_or(user.home_dir()).to_owned(),
        None => fallback.to_owned(),
    }
}

/// Where the chosen data folder came from (shown in Settings and logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(rename_all = "kebab-case")]
pub enum DataDirSource {
    Flag,
    Environment,
    OsDefault,
}

/// A resolved data folder. Resolving touches nothing on disk; [`DataDir::lock`] creates
/// the folder and takes the instance lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    path: PathBuf,
    source: DataDirSource,
}

/// Held for as long as the app runs; dropping it releases the folder.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

impl DataDir {
    /// Chooses the folder: the flag wins over the environment, which wins over the OS
    /// default (`$XDG_DATA_HOME/lv.saite.desktop` on Linux). An empty value counts as
    /// absent. Relative paths are kept relative to the working directory.
    pub fn resolve(flag: Option<PathBuf>, env: Option<OsString>) -> Result<DataDir, AppDataError> {
        if let Some(path) = flag.filter(|p| !p.as_os_str().is_empty()) {
            return Ok(DataDir { path, source: DataDirSource::Flag });
        }
        if let Some(value) = env.filter(|v| !v.is_empty()) {
            return Ok(DataDir { path: PathBuf::from(value), source: DataDirSource::Environment });
        }
        let base = directories::BaseDirs::new().ok_or(AppDataError::NoDefaultDataDir)?;
        Ok(DataDir { path: base.data_dir().join(APP_IDENTIFIER), source: DataDirSource::OsDefault })
    }

    /// [`DataDir::resolve`] with the process's own `SAITE_DATA_DIR`.
    pub fn resolve_from_env(flag: Option<PathBuf>) -> Result<DataDir, AppDataError> {
        Self::resolve(flag, std::env::var_os(DATA_DIR_ENV))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn source(&self) -> DataDirSource {
        self.source
    }

    /// Creates the folder (readable by its owner only, on Unix) if needed and takes the
    /// instance lock; fails with [`AppDataError::DataDirInUse`] when another process
    /// holds it.
    pub fn lock(&self) -> Result<InstanceLock, AppDataError> {
        let unusable = |source| AppDataError::DataDirUnusable { path: self.path.clone(), source };
        fs::create_dir_all(&self.path).map_err(unusable)?;
        restrict_to_owner(&self.path).map_err(unusable)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path.join(LOCK_FILE))
            .map_err(unusable)?;
        match file.try_lock() {
            Ok(()) => Ok(InstanceLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(AppDataError::DataDirInUse { path: self.path.clone() }),
            Err(TryLockError::Error(e)) => Err(unusable(e)),
        }
    }

    /// The folder the web view keeps its own storage in, inside the data folder so two
    /// instances never share it.
    pub fn webview_dir(&self) -> PathBuf {
        self.path.join("webview")
    }
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_over_environment_which_wins_over_default() {
        let d = DataDir::resolve(Some("/a".into()), Some("/b".into())).unwrap();
        assert_eq!((d.path(), d.source()), (Path::new("/a"), DataDirSource::Flag));
        let d = DataDir::resolve(None, Some("/b".into())).unwrap();
        assert_eq!((d.path(), d.source()), (Path::new("/b"), DataDirSource::Environment));
        let d = DataDir::resolve(Some("".into()), Some("".into())).unwrap();
        assert_eq!(d.source(), DataDirSource::OsDefault);
        assert!(d.path().ends_with(APP_IDENTIFIER), "{}", d.path().display());
    }

    #[test]
    fn lock_creates_a_private_folder_and_excludes_a_second_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::resolve(Some(tmp.path().join("nested/data")), None).unwrap();
        let held = dir.lock().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        assert!(matches!(dir.lock(), Err(AppDataError::DataDirInUse { .. })));
        let other = DataDir::resolve(Some(tmp.path().join("other")), None).unwrap();
        let _other_held = other.lock().expect("a second data folder locks independently");
        drop(held);
        dir.lock().expect("the lock is released on drop");
    }

    #[test]
    fn an_unusable_path_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        fs::write(&file, "x").unwrap();
        let dir = DataDir::resolve(Some(file.join("sub")), None).unwrap();
        assert!(matches!(dir.lock(), Err(AppDataError::DataDirUnusable { .. })));
    }
}
