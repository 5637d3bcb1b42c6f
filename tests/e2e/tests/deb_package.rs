//! The release .deb built by `cargo xtask bundle`: it unpacks, carries its desktop
//! entry and icon, and its binary runs.

use std::process::Command;

#[test]
fn the_deb_unpacks_and_its_binary_reports_its_version() {
    let deb = std::env::var_os("SAITE_E2E_DEB").expect("SAITE_E2E_DEB is not set: run through `cargo xtask test`");
    let root = tempfile::tempdir().unwrap();
    let status = Command::new("dpkg").arg("-x").arg(&deb).arg(root.path()).status().unwrap();
    assert!(status.success(), "dpkg -x failed");

    let binary = root.path().join("usr/bin/saite");
    assert!(binary.is_file(), "usr/bin/saite is in the package");
    let out = Command::new(&binary).arg("--version").env_remove("DISPLAY").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("saite {}", env!("CARGO_PKG_VERSION")));

    let desktop = std::fs::read_to_string(root.path().join("usr/share/applications/Saite.desktop")).unwrap();
    assert!(desktop.contains("Exec=saite"), "{desktop}");
    assert!(root.path().join("usr/share/icons/hicolor/128x128/apps/saite.png").is_file());

    let fields =
        Command::new("dpkg-deb").args(["-f"]).arg(&deb).args(["Package", "Version", "Depends"]).output().unwrap();
    let fields = String::from_utf8_lossy(&fields.stdout);
    assert!(fields.contains("Package: saite"), "{fields}");
    assert!(fields.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))), "{fields}");
    assert!(fields.contains("libwebkit2gtk-4.1"), "{fields}");
}
