//! Where backups go and are looked for, so that neither needs a file dialog: each
//! removable drive (a USB stick, mounted by the desktop under `/media/<user>/<label>` or
//! `/run/media/<user>/<label>`), `SAITE_BACKUP_DIR` when set, and the user's Documents
//! and Downloads folders.

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
};

/// The environment variable naming a folder offered first for backups.
pub const BACKUP_DIR_ENV: &str = "SAITE_BACKUP_DIR";

/// A folder a backup can be written to or read from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct BackupPlace {
    pub path: String,
    /// The drive's label, or the folder's own name.
    pub name: String,
    pub removable: bool,
}

impl BackupPlace {
    fn of(path: &Path, removable: bool) -> BackupPlace {
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        BackupPlace { path: path.display().to_string(), name, removable }
    }
}

/// The places on this machine: `env` (the process's `SAITE_BACKUP_DIR`) first, then
/// the removable drives, then Documents and Downloads; each once.
pub fn backup_places(env: Option<OsString>) -> Vec<BackupPlace> {
    let mut places = Vec::new();
    if let Some(dir) = env.filter(|v| !v.is_empty()) {
        places.push(BackupPlace::of(Path::new(&dir), false));
    }
    let user = std::env::var_os("USER")
        .or_else(|| directories::BaseDirs::new().and_then(|b| b.home_dir().file_name().map(|n| n.to_owned())));
    if let Some(user) = user {
        let roots = [Path::new("/media").join(&user), Path::new("/run/media").join(&user)];
        places.extend(removable_drives(&roots));
    }
    if let Some(dirs) = directories::UserDirs::new() {
        places.extend(
            [dirs.document_dir(), dirs.download_dir()].into_iter().flatten().map(|d| BackupPlace::of(d, false)),
        );
    }
    let mut seen = std::collections::HashSet::new();
    places.retain(|p| seen.insert(p.path.clone()));
    places
}

/// The drives mounted under `roots` (each folder directly in a root), by name.
pub fn removable_drives(roots: &[PathBuf]) -> Vec<BackupPlace> {
    let mut drives: Vec<BackupPlace> = roots
        .iter()
        .filter_map(|root| std::fs::read_dir(root).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| BackupPlace::of(&e.path(), true))
        .collect();
    drives.sort_by(|a, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
    drives
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drives_are_the_folders_under_the_mount_roots() {
        let media = tempfile::tempdir().unwrap();
        let run = tempfile::tempdir().unwrap();
        std::fs::create_dir(media.path().join("KINGSTON")).unwrap();
        std::fs::create_dir(run.path().join("AUSEKLIS")).unwrap();
        std::fs::write(media.path().join("not-a-drive"), b"").unwrap();
        let drives = removable_drives(&[media.path().to_owned(), run.path().to_owned(), "/nonexistent".into()]);
        let names: Vec<_> = drives.iter().map(|d| (d.name.as_str(), d.removable)).collect();
        assert_eq!(names, [("AUSEKLIS", true), ("KINGSTON", true)]);
    }

    #[test]
    fn the_environments_folder_comes_first_and_each_place_once() {
        let stick = tempfile::tempdir().unwrap();
        let places = backup_places(Some(stick.path().as_os_str().to_owned()));
        assert_eq!(places[0].path, stick.path().display().to_string());
        let mut paths: Vec<_> = places.iter().map(|p| &p.path).collect();
        paths.dedup();
        assert_eq!(paths.len(), places.len());
        assert!(backup_places(Some(OsString::new())).iter().all(|p| !p.path.is_empty()), "an empty value is absent");
    }
}
