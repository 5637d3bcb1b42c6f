use std::path::Path;

/// The commands the UI may invoke. Each gets an `allow-<name>` permission, and only the
/// permissions listed in `capabilities/main.json` are granted to the window.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_preferences",
    "set_language",
    "set_auto_lock",
    "store_state",
    "create_store",
    "unlock_store",
    "lock_store",
    "change_passphrase",
    "load_demo_data",
    "reference_data",
    "create_record",
    "update_record",
    "delete_record",
    "restore_record",
    "get_record",
    "list_records",
    "search_records",
    "record_history",
    "trash",
    "duplicate_candidates",
    "merge_records",
];

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    if std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some() && !dist.exists() {
        panic!(
            "the UI is not built ({} is missing): run `cargo xtask build` (or `npm --prefix ui ci && npm --prefix ui run build`) first",
            dist.display()
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build");
}
