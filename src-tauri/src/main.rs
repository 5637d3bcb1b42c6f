// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc, not the system's allocator: a first pull prepares each page of records on
/// one thread and writes (and frees) it on another, and with glibc's allocator the
/// profile showed its lock hand-offs between those threads (futex wake-ups). Measured
/// on 2 cores, first pull of 100 000 records: 2.8–2.9 s with glibc, 2.1–2.3 s with
/// mimalloc, the laptop's CPU 3.6–3.8 s → 3.0–3.1 s; a push the same within the noise.
/// `sync_peers` and `pull_apply`, which stand for this process, use it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    saite_app::run()
}
