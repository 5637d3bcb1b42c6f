use std::path::Path;

/// The commands the UI may invoke. Each gets an `allow-<name>` permission, and only the
/// permissions listed in `capabilities/main.json` are granted to the window.
const COMMANDS: &[&str] = include!("command_names.rs");

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-changed=command_names.rs");
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
