//! Installing what a fresh Debian/Ubuntu machine lacks, and saying clearly what cannot
//! be had.

use std::{path::Path, process::Command};

use anyhow::{Context, Result, bail};

use crate::steps::{announce, repo_root, run_in};

/// What the prerequisites are for: running the app needs fewer than testing it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

/// System packages needed to build and run the Tauri app (WebKitGTK 4.1 and friends).
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
];

/// Added for tests: a virtual display, WebKit's WebDriver, window inspection
/// (xwininfo), reading the clipboard (xclip), test certificates for the server (openssl),
/// a laptop whose clock is wrong (libfaketime), reading a saved PDF's text (pdftotext, in
/// poppler-utils), a session bus and its monitor to watch desktop notifications
/// (dbus-daemon, dbus-monitor in dbus-bin). `dpkg -x` and `dpkg-deb` come with dpkg
/// itself.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "x11-utils",
    "xclip",
    "openssl",
    "libfaketime",
    "poppler-utils",
    "dbus-daemon",
    "dbus-bin",
];

/// The tauri-driver the end-to-end tests talk to (crates.io).
const TAURI_DRIVER_VERSION: &str = "2.1.0";

/// The oldest Node.js the UI's build tools (Vite 8) accept.
const MIN_NODE: (u32, u32) = (20, 19);

pub fn ensure(purpose: Purpose) -> Result<()> {
    let mut packages: Vec<&str> = BUILD_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        packages.extend_from_slice(TEST_PACKAGES);
    }
    ensure_apt_packages(&packages)?;
    ensure_node()?;
    ensure_ui_packages()?;
    if purpose == Purpose::Test {
        ensure_tauri_driver()?;
    }
    Ok(())
}

pub fn ensure_apt_packages(packages: &[&str]) -> Result<()> {
    announce("checking system packages");
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !dpkg_installed(p)).collect();
    if missing.is_empty() {
        println!("    all {} present", packages.len());
        return Ok(());
    }
    println!("    missing: {}", missing.join(" "));
    if !Path::new("/usr/bin/apt-get").exists() {
        bail!(
            "these system packages are missing and this is not a Debian/Ubuntu system with apt-get: {}\n\
             install their equivalents with your package manager and run the command again",
            missing.join(" ")
        );
    }
    let sudo: &[&str] = if is_root() {
        &[]
    } else if Command::new("sudo").arg("-n").arg("true").status().is_ok_and(|s| s.success()) {
        &["sudo", "-n"]
    } else {
        bail!(
            "these system packages are missing and installing them needs root: {}\n\
             run: sudo apt-get install -y {}",
            missing.join(" "),
            missing.join(" ")
        );
    };
    announce("installing system packages with apt-get");
    let apt = |args: &[&str]| -> Result<()> {
        let mut argv: Vec<&str> = sudo.to_vec();
        argv.push("apt-get");
        argv.extend_from_slice(args);
        let status = Command::new(argv[0])
            .args(&argv[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("starting apt-get")?;
        if !status.success() {
            bail!("`{}` failed ({status})", argv.join(" "));
        }
        Ok(())
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend_from_slice(&missing);
    apt(&install).with_context(|| format!("could not install {}", missing.join(" ")))?;
    Ok(())
}

fn dpkg_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn ensure_node() -> Result<()> {
    announce("checking Node.js and npm");
    let version = Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let Some(version) = version else {
        bail!("Node.js is not installed; install Node.js {}.{} or newer with npm", MIN_NODE.0, MIN_NODE.1);
    };
    let mut parts = version.trim_start_matches('v').split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) < MIN_NODE {
        bail!("Node.js {version} is too old; Saite's UI build needs {}.{} or newer", MIN_NODE.0, MIN_NODE.1);
    }
    if Command::new("npm").arg("--version").output().is_err() {
        bail!("npm is not installed (Node.js {version} is); install npm");
    }
    println!("    node {version}");
    Ok(())
}

/// `npm ci` when `ui/node_modules` is absent or older than the lock file.
fn ensure_ui_packages() -> Result<()> {
    let ui = repo_root().join("ui");
    let installed = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (installed.metadata().and_then(|m| m.modified()), lock.metadata().and_then(|m| m.modified())) {
        (Ok(i), Ok(l)) => i >= l,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    announce("installing the UI's packages (npm ci)");
    run_in(&ui, "npm", &["ci", "--no-audit", "--no-fund"])
}

fn ensure_tauri_driver() -> Result<()> {
    announce("checking tauri-driver");
    let have = Command::new("tauri-driver").arg("--help").output().is_ok_and(|o| o.status.success());
    if have {
        return Ok(());
    }
    announce(&format!("installing tauri-driver {TAURI_DRIVER_VERSION} (cargo install)"));
    run_in(&repo_root(), "cargo", &["install", "tauri-driver", "--locked", "--version", TAURI_DRIVER_VERSION])
        .context("could not install tauri-driver from crates.io")
}
