// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc, not the system's allocator: a first pull prepares each page of records on
/// one thread and writes (and frees) it on another, and glibc's allocator hands its
/// locks between those threads. `sync_peers` and `pull_apply`, which stand for this
/// process, use it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    saite_app::run()
}
