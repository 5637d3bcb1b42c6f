use std::path::PathBuf;

/// What can go wrong with the data folder or the preferences file.
#[derive(Debug, thiserror::Error)]
pub enum AppDataError {
    #[error("no home folder is known for this user, so no default data folder; pass --data-dir")]
    NoDefaultDataDir,
    #[error("cannot use the data folder {path}: {source}")]
    DataDirUnusable { path: PathBuf, source: std::io::Error },
    #[error("another Saite window already uses the data folder {path}")]
    DataDirInUse { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid preferences JSON: {source}")]
    Corrupt { path: PathBuf, source: serde_json::Error },
}
