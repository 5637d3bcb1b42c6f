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
    run_cmd(cargo().current_dir(repo_root()).env(BINDINGS_UPDATE_VAR, "1").args([
        "test",
        "--quiet",
        "-p",
        "saite-i18n",
        "-p",
        "saite-appdata",
        "-p",
        "saite-domain",
        "-p",
        "saite-protocol",
        "-p",
        "saite-store",
        "-p",
        "saite-export",
        "-p",
        "saite-import",
        "-p",
        "saite-sync",
        "-p",
        "saite",
        "-p",
        "saite-server",
        "generated_",
    ]))
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

/// The sync server the end-to-end tests run beside the app (debug, as the app).
fn build_server() -> Result<PathBuf> {
    announce("building saite-server for the end-to-end sync tests");
    run_cmd(cargo().current_dir(repo_root()).args(["build", "-p", "saite-server", "--bin", "saite-server"]))?;
    Ok(target_dir().join("debug/saite-server"))
}

fn run_e2e(app: &Path, deb: Option<&Path>) -> Result<()> {
    let root = repo_root();
    let server = build_server()?;
    let artifacts = root.join("test-artifacts");
    std::fs::create_dir_all(&artifacts)?;
    announce("end-to-end tests: the real app window under Xvfb, over WebDriver");
    let mut cmd = Command::new("xvfb-run");
    cmd.current_dir(&root)
        .args(["-a", "-s", "-screen 0 1366x768x24"])
        .env("SAITE_E2E_APP", app)
        .env("SAITE_E2E_SERVER", server)
        .env("SAITE_E2E_TAURI_DRIVER", tauri_driver_path())
        // Do not set WEBKIT_DISABLE_COMPOSITING_MODE here: under xvfb-run it makes the
        // WebDriver session never start.
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

pub fn test_storage() -> Result<()> {
    let postgres = crate::postgres::ensure(&target_dir())?;
    announce("server storage: the conformance suite on SQLite and PostgreSQL");
    let mut cmd = cargo();
    cmd.current_dir(repo_root()).env("SAITE_TEST_POSTGRES", &postgres.url);
    if has_nextest() {
        cmd.args(["nextest", "run", "-p", "saite-server-sqlite", "-p", "saite-server-postgres"]);
    } else {
        cmd.args(["test", "-p", "saite-server-sqlite", "-p", "saite-server-postgres"]);
    }
    run_cmd(&mut cmd)
}

pub fn test(skip_bundle: bool, e2e_only: bool) -> Result<()> {
    let started = Instant::now();
    prerequisites::ensure(Purpose::Test)?;
    let root = repo_root();
    let ui = root.join("ui");
    // The app's build script needs ui/dist, so clippy can only run once the UI is built.
    build_ui()?;
    if !e2e_only {
        gates(&root, &ui)?;
    }
    if !e2e_only {
        announce("PostgreSQL for the server's storage tests");
        let postgres = crate::postgres::ensure(&target_dir())?;
        announce(
            "Rust tests: libraries, server storage on SQLite and PostgreSQL, app shell, locale audit, generated types",
        );
        if has_nextest() {
            run_cmd(cargo().current_dir(&root).env("SAITE_TEST_POSTGRES", &postgres.url).args([
                "nextest",
                "run",
                "--workspace",
                "--exclude",
                "saite-e2e",
            ]))?;
        } else {
            run_cmd(cargo().current_dir(&root).env("SAITE_TEST_POSTGRES", &postgres.url).args([
                "test",
                "--workspace",
                "--exclude",
                "saite-e2e",
            ]))?;
        }
        drop(postgres);
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

/// The gates every change passes before the tests: Rust formatting and lints, and the
/// UI's lints and formatting. Each fails the run on the first finding.
fn gates(root: &std::path::Path, ui: &std::path::Path) -> Result<()> {
    announce("gates: cargo fmt --check, cargo clippy -D warnings, ESLint, Prettier");
    run_cmd(cargo().current_dir(root).args(["fmt", "--all", "--check"]))
        .context("Rust code is not formatted: run `cargo fmt --all`")?;
    run_cmd(cargo().current_dir(root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
        .context("clippy found something: see above")?;
    run_in(ui, "npm", &["run", "lint", "--silent"])
        .context("the UI's lints or formatting failed: `npm run format` formats it")
}

/// Which benchmarks `cargo xtask bench` runs; each owns one section of BENCHMARKS.md.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Bench {
    /// The encrypted store at 100k records (issue 3).
    Store,
    /// The organisations list at 100k records in the real window (issue 4).
    Ui,
    /// saite-server's push, pull and 500-device load on SQLite and PostgreSQL (issue 5).
    Server,
    /// Sync against PouchDB, Atuin and the SQLCipher floor, 100k records (issue 6).
    Sync,
    /// Reports over 100k seminars and 100k distributions beside a hand-written SQL
    /// floor; list exports and a people import, time and peak heap (issue 30).
    Reports,
}

/// Runs the chosen benchmarks (release builds) and rewrites their sections of
/// BENCHMARKS.md, each with the date and machine it ran on; other sections stay.
pub fn bench(only: Option<Bench>) -> Result<()> {
    let root = repo_root();
    let path = root.join("BENCHMARKS.md");
    let mut doc = std::fs::read_to_string(&path).unwrap_or_default();
    if !doc.starts_with("# Benchmarks") {
        doc = "# Benchmarks\n\nFigures from `cargo xtask bench` (release builds), written by it; re-run it to refresh them\n\
               (`cargo xtask bench --only store` for one section).\n"
            .to_owned();
    }
    let run_on = machine_line();
    if only.is_none_or(|b| b == Bench::Store) {
        announce("store benchmark: 100k records, SQLCipher and plain SQLite (release build)");
        let table = bench_table(cargo().current_dir(&root).args([
            "bench",
            "-p",
            "saite-store",
            "--features",
            "plaintext-baseline",
            "--bench",
            "store",
        ]))?;
        let body = format!(
            "## Encrypted store (issue 3)\n\n\
             {run_on} The benchmark (`crates/saite-store/benches/store.rs`) loads\n\
             100 000 mixed records (30 % organisations, 30 % people, 25 % seminars, 5 % materials, 10 %\n\
             distributions) through the real write path — validation, an HLC stamp, history and an outbox entry\n\
             per field, search index, duplicate keys — then measures 600 searches (12 queries, folded and\n\
             transliterated, up to 50 hits), 300 list pages (seminars by region and year sorted by date;\n\
             organisations by kind sorted by name), all organisations by name (20 first pages, 300 pages at\n\
             random positions), 200 single creates, and the database size. The same run\n\
             repeats everything on unencrypted SQLite (same code, no key) to show SQLCipher's overhead.\n\n{table}"
        );
        doc = replace_section(&doc, "store", &body);
    }
    if only.is_none_or(|b| b == Bench::Ui) {
        prerequisites::ensure(Purpose::Test)?;
        build_ui()?;
        announce("list benchmark: 100k organisations in the real window under Xvfb (release build)");
        let table = window_bench("list_scroll")?;
        let body = format!(
            "## The list screen at 100 000 records (issue 4)\n\n\
             {run_on} The benchmark (`tests/e2e/benches/list_scroll.rs`) drives the\n\
             release app in a 1366×768 Xvfb window over WebDriver: it loads 100 000 organisations through the\n\
             app's own command, opens the list, jumps to 200 positions as a drag of the scroll bar would,\n\
             scrolls continuously at 3 rows a frame for 600 frames, and switches the kind filter 14 times.\n\
             Then it connects that laptop to the real `saite-server` (release, SQLite), which takes its\n\
             100 000 records, and opens a second, empty laptop that connects and pulls them all, its list on\n\
             screen: while the pull runs, and again for as long with no pull, it records every frame gap and\n\
             times, back to back, a list page (the list's own command) and a search.\n\
             Times are taken inside the page (`performance.now`, `requestAnimationFrame`) until the rows show\n\
             their values and a frame has been painted. Xvfb renders in software, so a real screen does no worse.\n\
             The *floor* row scrolls the same list with its rows frozen (scroll events stopped before\n\
             the list sees them): what moving the window's pixels costs this renderer alone, under\n\
             any list.\n\n{table}"
        );
        doc = replace_section(&doc, "ui", &body);
    }
    if only.is_none_or(|b| b == Bench::Server) {
        let postgres = crate::postgres::ensure(&target_dir())?;
        announce("server benchmark: push, pull and 500 devices at once, on SQLite and PostgreSQL (release build)");
        let table = bench_table(cargo().current_dir(&root).env("SAITE_TEST_POSTGRES", &postgres.url).args([
            "bench",
            "-p",
            "saite-server",
            "--bench",
            "sync_load",
        ]))?;
        drop(postgres);
        let body = format!(
            "## saite-server (issue 5)\n\n\
             {run_on} The benchmark (`crates/saite-server/benches/sync_load.rs`) runs the release\n\
             `saite-server` binary and drives it over HTTP from the same machine (the load generator shares the\n\
             2 cores). Per backend: one laptop pushes 100 000 organisations (5 fields each) in batches of 2 000;\n\
             a second laptop pulls them all; then 500 signed-in devices (50 users × 10) each push 20 batches of\n\
             10 records at once, and every push's latency is recorded. PostgreSQL is the local server (trust\n\
             auth, default settings) or the throwaway cluster `cargo xtask` starts.\n\n\
             | backend | measure | result | goal |\n| --- | --- | --- | --- |\n{table}"
        );
        doc = replace_section(&doc, "server", &body);
    }
    if only.is_none_or(|b| b == Bench::Sync) {
        let n = env::var("SAITE_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
        let body = crate::sync_bench::run(n, &run_on)?;
        doc = replace_section(&doc, "sync", &body);
    }
    if only.is_none_or(|b| b == Bench::Reports) {
        announce("reports benchmark: 100k seminars and 100k distributions, exports and an import (release build)");
        let table =
            bench_table(cargo().current_dir(&root).args(["bench", "-p", "saite-import", "--bench", "exchange"]))?;
        prerequisites::ensure(Purpose::Test)?;
        build_ui()?;
        announce("reports benchmark: the Reports screen with 100k seminars in the real window under Xvfb");
        let window = window_bench("reports")?;
        let body = format!(
            "## Reports, exports and imports (issue 30)\n\n\
             {run_on} The benchmark (`crates/saite-import/benches/exchange.rs`) loads 100 000\n\
             seminars (1–3 target groups each) and 100 000 distributions (to 3 000 organisations, of 120\n\
             materials) into the encrypted store through the write path, then times each report the\n\
             Reports screen asks for (`Store::report`, 15 runs) beside one hand-written SQL query for the\n\
             same aggregation on the same connection (the floor: `Store::floor_query`, a benchmark-only\n\
             feature), which reads the participants and copies from the documents' JSON as a query\n\
             written against the records would; the store keeps its own copy of them beside the list\n\
             keys. It then saves the seminars list as XLSX and as CSV for Latvian Excel, a tenth of it\n\
             and all of it (memory should not grow with the rows: the list is streamed), and imports\n\
             2 000 and then 10 000 people from CSV (a fifth of them already in the store, found as\n\
             duplicates and merged), preview and commit. Peak heap is counted by the benchmark's own\n\
             allocator (SQLite's page cache is outside it); the preview keeps every row for the screen,\n\
             so an import's heap grows with the file.\n\n{table}\n\
             The same figures in the real window (`tests/e2e/benches/reports.rs`): the release app in a\n\
             1366×768 Xvfb window, driven over WebDriver, loads 100 000 seminars and 100 000 distributions\n\
             through its own command, then opens Reports from Home 11 times, changes its filters 48 times\n\
             (each region, each kind of event within it, each target group), its rows 12 times and its\n\
             figure 4 times. Times are taken inside the page (`performance.now`) until the new figures\n\
             are on screen and a frame has been painted; the answer alone is the screen's own\n\
             `report-answer` measure, from asking to the answer, before drawing it; `report-drawn` is\n\
             from the answer until the table and chart are on the page, `report-chart` the chart's own\n\
             drawing.\n\n{window}"
        );
        doc = replace_section(&doc, "reports", &body);
    }
    std::fs::write(&path, doc)?;
    println!("wrote BENCHMARKS.md");
    Ok(())
}

/// Runs one of the window benchmarks (`tests/e2e/benches/`) against the release app
/// and server under Xvfb, building them first; the Markdown table rows it printed.
fn window_bench(name: &str) -> Result<String> {
    let root = repo_root();
    announce("building the release app and server for the window benchmark");
    run_cmd(cargo().current_dir(&root).args(["build", "--release", "-p", "saite"]))?;
    run_cmd(cargo().current_dir(&root).args(["build", "--release", "-p", "saite-server", "--bin", "saite-server"]))?;
    let mut cmd = Command::new("xvfb-run");
    cmd.current_dir(&root)
        .args(["-a", "-s", "-screen 0 1366x768x24"])
        .env("SAITE_E2E_APP", target_dir().join("release/saite"))
        .env("SAITE_E2E_SERVER", target_dir().join("release/saite-server"))
        .env("SAITE_E2E_TAURI_DRIVER", tauri_driver_path())
        .env("SAITE_E2E_ARTIFACTS", root.join("test-artifacts"))
        .arg(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["bench", "-p", "saite-e2e", "--bench", name]);
    std::fs::create_dir_all(root.join("test-artifacts"))?;
    bench_table(&mut cmd)
}

/// Runs a benchmark and keeps the Markdown table rows it printed.
fn bench_table(cmd: &mut Command) -> Result<String> {
    let out = cmd.stderr(std::process::Stdio::inherit()).output().context("running a benchmark")?;
    if !out.status.success() {
        bail!("the benchmark failed ({})", out.status);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Tables printed apart stay apart (a blank line between), or Markdown joins them.
    let mut table = String::new();
    let mut in_table = false;
    for line in stdout.lines() {
        let row = line.starts_with('|');
        if row && !in_table && !table.is_empty() {
            table.push('\n');
        }
        if row {
            table.push_str(line);
            table.push('\n');
        }
        in_table = row;
    }
    if table.is_empty() {
        bail!("the benchmark printed no figures");
    }
    println!("{table}");
    Ok(table)
}

/// "Run on 2026-11-23, 2 cores (AMD EPYC)."
fn machine_line() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let date = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("Run on {date}, {cores} cores ({cpu}).")
}

/// Replaces the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (appending
/// the section when it is not there yet).
fn replace_section(doc: &str, name: &str, body: &str) -> String {
    let open = format!("<!-- bench:{name} -->");
    let close = format!("<!-- /bench:{name} -->");
    let section = format!("{open}\n{body}{close}\n");
    match (doc.find(&open), doc.find(&close)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{section}{}", &doc[..a], doc[b + close.len()..].trim_start_matches('\n'))
        }
        _ => format!("{}\n{section}", doc.trim_end()),
    }
}
