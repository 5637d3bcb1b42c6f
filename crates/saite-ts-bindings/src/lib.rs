//! Generated TypeScript files are committed under `ui/src/lib/generated/` so the UI
//! builds without Rust; each crate that owns UI-facing types has a test that calls
//! [`assert_fresh`] for them.
//!
//! Glossary:
//! - **binding**: a `.ts` file generated from a Rust type (ts-rs) or from the `.ftl`
//!   files; never edited by hand.
//! - **regenerate**: `cargo xtask gen`, which runs those tests with
//!   `SAITE_UPDATE_BINDINGS=1` so they write the files instead of comparing.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// The environment variable that turns freshness checks into writes.
pub const UPDATE_VAR: &str = "SAITE_UPDATE_BINDINGS";

/// Panics (failing the calling test) when `path` does not hold exactly `expected`;
/// writes it instead when [`UPDATE_VAR`] is set.
pub fn assert_fresh(path: &Path, expected: &str) {
    check_or_write(path, expected, std::env::var_os(UPDATE_VAR).is_some());
}

fn check_or_write(path: &Path, expected: &str, update: bool) {
    let actual = fs::read_to_string(path).ok();
    if actual.as_deref() == Some(expected) {
        return;
    }
    if update {
        fs::create_dir_all(path.parent().expect("binding path has a parent")).unwrap();
        fs::write(path, expected).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    panic!("{} is stale or missing: run `cargo xtask gen` and commit the result", path.display());
}

/// The folder the UI imports generated types from.
pub fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/generated")
}

/// Checks (or, with [`UPDATE_VAR`], writes) the ts-rs binding of `T` in
/// [`generated_dir`]. Integers map to `number`: serde_json sends them as JSON numbers,
/// and identifiers that could exceed 2^53 travel as strings.
pub fn assert_ts_fresh<T: ts_rs::TS + 'static>() {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let content = T::export_to_string(&cfg).unwrap_or_else(|e| panic!("cannot generate {}: {e}", T::name(&cfg)));
    let path = generated_dir().join(T::output_path().expect("an exportable type"));
    assert_fresh(&path, &content);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_file_fails_unless_updating_and_fresh_file_passes() {
        let d = tempfile_dir();
        let p = d.join("X.ts");
        fs::write(&p, "old").unwrap();
        assert!(std::panic::catch_unwind(|| check_or_write(&p, "new", false)).is_err());
        assert!(std::panic::catch_unwind(|| check_or_write(&d.join("missing.ts"), "new", false)).is_err());
        check_or_write(&p, "new", true);
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        check_or_write(&p, "new", false);
        fs::remove_dir_all(&d).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("saite-ts-bindings-{}", std::process::id()));
        fs::create_dir_all(&d).unwrap();
        d
    }
}
