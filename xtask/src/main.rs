//! `cargo xtask`: the project's own set-up, build, run, test and bundle commands.
//!
//! Glossary:
//! - **prerequisites**: what a fresh Debian/Ubuntu machine with only Rust, Node and npm
//!   lacks: system packages (apt), the UI's packages (`npm ci`) and `tauri-driver`
//!   (cargo install). Each command installs only what it needs and what is missing.
//! - **app binary**: `target/debug/saite`, built with the UI bundled into it (the
//!   `custom-protocol` feature is on by default), so it never loads a dev server.
//! - **artifacts**: screenshots and logs of the end-to-end run, in `test-artifacts/`.

mod postgres;
mod prerequisites;
mod steps;
mod sync_bench;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Set up, build, run, test and bundle Saite")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install what is missing, build the UI and the app, and launch it.
    Run {
        /// Arguments passed to the app, e.g. `-- --data-dir /tmp/saite-a`.
        #[arg(last = true)]
        app_args: Vec<String>,
    },
    /// Install what is missing and run every test: Rust, UI (svelte-check, vitest),
    /// locale audit, end-to-end in the real window under Xvfb, and the .deb package.
    Test {
        /// Skip the release .deb build and its test (for quick local runs; CI never
        /// passes this). The skip is announced, not counted as a pass.
        #[arg(long)]
        skip_bundle: bool,
        /// Only run the end-to-end suite (after building what it needs).
        #[arg(long)]
        e2e_only: bool,
    },
    /// Run only the server storage suites (conformance on SQLite and PostgreSQL),
    /// starting PostgreSQL when none answers.
    TestStorage,
    /// Install what is missing and build the UI and the debug app.
    Build,
    /// Build the release installers (.deb here; the AppImage needs a download this
    /// machine cannot make, so it is attempted only with --appimage).
    Bundle {
        #[arg(long)]
        appimage: bool,
    },
    /// Run the benchmarks in release mode and write their figures to BENCHMARKS.md.
    Bench {
        /// Run one benchmark only; the other sections of BENCHMARKS.md stay as they are.
        #[arg(long, value_enum)]
        only: Option<steps::Bench>,
    },
    /// Regenerate the TypeScript files generated from Rust types and the .ftl files.
    Gen,
    /// Regenerate icons/ from icons/saite.svg.
    Icons,
    /// Only install the prerequisites for building and testing.
    Setup,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run { app_args } => steps::run(&app_args),
        Command::Test { skip_bundle, e2e_only } => steps::test(skip_bundle, e2e_only),
        Command::TestStorage => steps::test_storage(),
        Command::Build => steps::build(),
        Command::Bundle { appimage } => steps::bundle(appimage).map(|_| ()),
        Command::Bench { only } => steps::bench(only),
        Command::Gen => steps::generate_bindings(),
        Command::Icons => steps::icons(),
        Command::Setup => prerequisites::ensure(prerequisites::Purpose::Test),
    }
}
