//! The build, test, run and bundle steps, in the order they depend on each other.

use std::{
    env,
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use anyhow::{Context, Result, bail};

use crate::prerequisites::{self, Purpose};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask/ is inside the repo").to_path_buf()
}

pub fn announce(what: &str) {
    println!("==> {what}");
}

/// Runs `program args` in `dir` with inherited output; fails on a non-zero exit.
pub fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    run_cmd(Command::new(program).args(args).current_dir(dir))
}

fn run_cmd(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("cannot start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn has_nextest() -> bool {
    cargo().args(["nextest", "--version"]).output().is_ok_and(|o| o.status.success())
}

fn build_ui() -> Result<()> {
    announce("building the UI (vite build)");
    run_in(&repo_root().join("ui"), "npm", &["run", "build", "--silent"])
}

fn build_app() -> Result<PathBuf> {
    announce("building the app (debug, UI bundled)");
    run_cmd(cargo().current_dir(repo_root()).args(["build", "-p", "saite"]))?;
    Ok(target_dir().join("debug/saite"))
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"))
}

pub fn build() -> Result<()> {
    prerequisites::ensure(Purpose::Run)?;
    build_ui()?;
    let app = build_app()?;
    println!("built {}", app.display());
    Ok(())
}

pub fn run(app_args: &[String]) -> Result<()> {
    prerequisites::ensure(Purpose::Run)?;
    build_ui()?;
    let app = build_app()?;
    if env::var_os("DISPLAY").is_none() && env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!(
            "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open.\n\
             Run this from a desktop session, or under a virtual display: xvfb-run -a cargo xtask run"
        );
    }
    announce(&format!("launching {}", app.display()));
    run_cmd(Command::new(&app).args(app_args))
}

pub fn generate_bindings() -> Result<()> {
    // The app crate embeds ui/dist at compile time; the generated types are not needed
    // for that build (Vite strips types), so there is no cycle.
    if !repo_root().join("ui/dist/index.html").exists() {
        build_ui()?;
    }
    announce("regenerating TypeScript bindings (ui/src/lib/generated)");
    run_cmd(
        cargo()
            .current_dir(repo_root())
            .env(BINDINGS_UPDATE_VAR, "1")
            .args(["test", "--quiet", "-p", "saite-i18n", "-p", "saite-appdata", "-p", "saite-domain", "-p", "saite-store", "-p", "saite", "generated_"]),
    )
}

/// Mirrors `saite_ts_bindings::UPDATE_VAR` (xtask does not link the workspace crates).
const BINDINGS_UPDATE_VAR: &str = "SAITE_UPDATE_BINDINGS";

pub fn icons() -> Result<()> {
    prerequisites::ensure(Purpose::Run)?;
    announce("generating icons/ from icons/saite.svg");
    let root = repo_root();
    run_in(&root, "ui/node_modules/.bin/tauri", &["icon", "icons/saite.svg", "-o", "icons"])?;
    // Saite is a desktop app: the mobile icon sets are not shipped.
    for mobile in ["android", "ios"] {
        let dir = root.join("icons").join(mobile);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
    }
    Ok(())
}

/// Builds the release .deb (and the AppImage when asked); returns the .deb's path.
pub fn bundle(appimage: bool) -> Result<PathBuf> {
    prerequisites::ensure(Purpose::Run)?;
    build_ui()?;
    let bundles = if appimage { "deb,appimage" } else { "deb" };
    announce(&format!("building release bundles: {bundles}"));
    let root = repo_root();
    // The CLI finds src-tauri/tauri.conf.json from the repo root; it builds with the
    // release profile and the bundled UI.
    run_cmd(Command::new(root.join("ui/node_modules/.bin/tauri")).current_dir(&root).args([
        "build",
        "--ci",
        "--bundles",
        bundles,
    ]))?;
    let deb_dir = target_dir().join("release/bundle/deb");
    let deb = newest_with_extension(&deb_dir, "deb")?;
    println!("built {}", deb.display());
    Ok(deb)
}

fn newest_with_extension(dir: &Path, ext: &str) -> Result<PathBuf> {
    std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .with_context(|| format!("no .{ext} in {}", dir.display()))
}

fn tauri_driver_path() -> PathBuf {
    let on_path = Command::new("sh")
        .args(["-c", "command -v tauri-driver"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    on_path.unwrap_or_else(|| {
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo"));
        cargo_home.join("bin/tauri-driver")
    })
}

fn run_e2e(app: &Path, deb: Option<&Path>) -> Result<()> {
    let root = repo_root();
    let artifacts = root.join("test-artifacts");
    std::fs::create_dir_all(&artifacts)?;
    announce("end-to-end tests: the real app window under Xvfb, over WebDriver");
    let mut cmd = Command::new("xvfb-run");
    cmd.current_dir(&root)
        .args(["-a", "-s", "-screen 0 1366x768x24"])
        .env("SAITE_E2E_APP", app)
        .env("SAITE_E2E_TAURI_DRIVER", tauri_driver_path())
        // Do not set WEBKIT_DISABLE_COMPOSITING_MODE here: under xvfb-run it makes the
        // WebDriver session never start (measured: a 5-minute hang).
        .env("SAITE_E2E_ARTIFACTS", &artifacts);
    if let Some(deb) = deb {
        cmd.env("SAITE_E2E_DEB", deb);
    }
    cmd.arg(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // One app window at a time: 2 cores, and each test owns its tauri-driver ports.
    if has_nextest() {
        cmd.args(["nextest", "run", "-p", "saite-e2e", "--test-threads", "1", "--no-fail-fast"]);
    } else {
        cmd.args(["test", "-p", "saite-e2e", "--", "--test-threads", "1"]);
    }
    if deb.is_none() {
        // Without a .deb the package test would fail for want of its input; the run
        // was asked to skip it and says so above.
        if has_nextest() {
            cmd.args(["-E", "not binary(deb_package)"]);
        } else {
            bail!("--skip-bundle needs cargo-nextest to leave the package test out");
        }
    }
    run_cmd(&mut cmd)
}

pub fn test(skip_bundle: bool, e2e_only: bool) -> Result<()> {
    let started = Instant::now();
    prerequisites::ensure(Purpose::Test)?;
    let root = repo_root();
    let ui = root.join("ui");
    build_ui()?;
    if !e2e_only {
        announce("Rust tests: libraries, app shell, locale audit, generated-type freshness");
        if has_nextest() {
            run_cmd(cargo().current_dir(&root).args(["nextest", "run", "--workspace", "--exclude", "saite-e2e"]))?;
        } else {
            run_cmd(cargo().current_dir(&root).args(["test", "--workspace", "--exclude", "saite-e2e"]))?;
        }
        announce("UI type check (svelte-check)");
        run_in(&ui, "npm", &["run", "check", "--silent"])?;
        announce("UI unit tests (vitest)");
        run_in(&ui, "npm", &["test", "--silent"])?;
    }
    let app = build_app()?;
    announce("building the end-to-end tests");
    run_cmd(cargo().current_dir(&root).args(["test", "--no-run", "-p", "saite-e2e"]))?;
    let deb = if skip_bundle {
        announce("SKIPPED: the release .deb and its test (--skip-bundle)");
        None
    } else {
        Some(bundle(false)?)
    };
    run_e2e(&app, deb.as_deref())?;
    announce(&format!("all tests passed in {:.0?}", started.elapsed()));
    Ok(())
}

/// Runs the store benchmark (release build) and writes BENCHMARKS.md with the machine
/// it ran on.
pub fn bench() -> Result<()> {
    let root = repo_root();
    announce("store benchmark: 100k records, SQLCipher and plain SQLite (release build)");
    let out = cargo()
        .current_dir(&root)
        .args(["bench", "-p", "saite-store", "--features", "plaintext-baseline", "--bench", "store"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running cargo bench")?;
    if !out.status.success() {
        bail!("the store benchmark failed ({})", out.status);
    }
    let table = String::from_utf8_lossy(&out.stdout);
    let table: String = table.lines().filter(|l| l.starts_with('|')).map(|l| format!("{l}\n")).collect();
    if table.is_empty() {
        bail!("the store benchmark printed no figures");
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let date = Command::new("date").arg("-u").arg("+%Y-%m-%d").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default();
    let doc = format!(
        "# Benchmarks\n\n\
         Figures from `cargo xtask bench` (release build), written by it; re-run it to refresh them.\n\n\
         ## Encrypted store (issue 3)\n\n\
         Run on {date}, {cores} cores ({cpu}). The benchmark (`crates/saite-store/benches/store.rs`) loads\n\
         100 000 mixed records (30 % organisations, 30 % people, 25 % seminars, 5 % materials, 10 %\n\
         distributions) through the real write path — validation, an HLC stamp, history and an outbox entry\n\
         per field, search index, duplicate keys — then measures 600 searches (12 queries, folded and\n\
         transliterated, up to 50 hits), 300 list pages (seminars by region and year sorted by date;\n\
         organisations by kind sorted by name), 200 single creates, and the database size. The same run\n\
         repeats everything on unencrypted SQLite (same code, no key) to show SQLCipher's overhead.\n\n{table}"
    );
    std::fs::write(root.join("BENCHMARKS.md"), doc)?;
    println!("{table}");
    println!("wrote BENCHMARKS.md");
    Ok(())
}
