//! `cargo xtask bench --only sync`: Saite's sync and its peers' (../shared/peers:
//! PouchDB, Atuin, and the SQLCipher floor) with the same N in one run, and the ratios
//! the sync issue asks for. Peers are installed under target/peers (never into the
//! shared folder): PouchDB's npm packages, Atuin's client and server by `cargo install`.

use std::{path::PathBuf, process::Command};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::steps::{announce, repo_root};

/// Where the peers' sources are: `SAITE_PEERS`, else `../shared/peers` beside the repo.
fn peers_dir() -> PathBuf {
    std::env::var_os("SAITE_PEERS").map(PathBuf::from).unwrap_or_else(|| repo_root().join("../shared/peers"))
}

fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"))
}

/// Runs a command and returns the last line of its standard output that parses as JSON.
fn json_line(cmd: &mut Command) -> Result<Value> {
    let shown = format!("{cmd:?}");
    let out = cmd.stderr(std::process::Stdio::inherit()).output().with_context(|| format!("cannot start {shown}"))?;
    if !out.status.success() {
        bail!("{shown} failed ({})", out.status);
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Value>(l.trim()).ok().filter(Value::is_object))
        .with_context(|| format!("{shown} printed no JSON line"))
}

fn number(v: &Value, key: &str) -> Result<f64> {
    match &v[key] {
        Value::Number(n) => n.as_f64().context("a number"),
        Value::String(s) => s.parse().with_context(|| format!("{key}: {s:?}")),
        other => bail!("{key} missing: {other}"),
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn saite(n: usize) -> Result<Value> {
    announce(&format!("Saite: two laptops and saite-server, N = {n} (release build)"));
    // The bench runs the real server binary in its own process.
    let status = cargo().current_dir(repo_root()).args(["build", "--release", "-p", "saite-server"]).status()?;
    if !status.success() {
        bail!("building saite-server failed");
    }
    json_line(cargo().current_dir(repo_root()).env("SAITE_BENCH_N", n.to_string()).args([
        "bench",
        "-p",
        "saite-sync",
        "--bench",
        "sync_peers",
    ]))
}

/// The floor's own line of its second (warm) run, three times: the median run's line,
/// with every run's `sqlcipher_s` as `samples_s` (Saite's pull is the median of three
/// too).
fn floor(n: usize) -> Result<Value> {
    announce("the floor: N records into SQLCipher with FTS5 (../shared/peers/sqlite-floor), three times");
    let manifest = peers_dir().join("sqlite-floor/Cargo.toml");
    let target_dir = target().join("peers/sqlite-floor");
    let mut runs = Vec::new();
    for _ in 0..3 {
        let line = json_line(
            cargo()
                .args(["run", "--release", "--quiet", "--manifest-path"])
                .arg(&manifest)
                .arg("--target-dir")
                .arg(&target_dir)
                .arg("--")
                .arg(n.to_string()),
        )?;
        runs.push((number(&line, "sqlcipher_s")?, line));
    }
    let samples: Vec<f64> = runs.iter().map(|(s, _)| *s).collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut median = runs.swap_remove(1).1;
    median["samples_s"] = serde_json::json!(samples);
    Ok(median)
}

fn pouchdb(n: usize) -> Result<Value> {
    announce("PouchDB 9 ↔ express-pouchdb (../shared/peers/pouchdb)");
    let dir = target().join("peers/pouchdb");
    std::fs::create_dir_all(&dir)?;
    for file in ["bench.js", "package.json"] {
        std::fs::copy(peers_dir().join("pouchdb").join(file), dir.join(file))?;
    }
    if !dir.join("node_modules/pouchdb").exists() {
        crate::steps::run_in(&dir, "npm", &["install", "--no-audit", "--no-fund", "--silent"])?;
    }
    json_line(Command::new("node").current_dir(&dir).arg("bench.js").arg(n.to_string()))
}

fn atuin(n: usize) -> Result<Value> {
    announce("Atuin ↔ atuin-server on SQLite (../shared/peers/atuin)");
    let root = target().join("peers/atuin");
    let bin = root.join("bin");
    if !bin.join("atuin-server").exists() {
        announce("installing atuin-server (cargo install, about 10 minutes on 2 cores)");
        let status = cargo().args(["install", "atuin-server", "--locked", "--root"]).arg(&root).status()?;
        if !status.success() {
            bail!("installing atuin-server failed");
        }
    }
    if !bin.join("atuin").exists() {
        announce("installing atuin (cargo install)");
        let status = cargo()
            .args(["install", "atuin", "--locked", "--no-default-features", "--features", "client,sync", "--root"])
            .arg(&root)
            .status()?;
        if !status.success() {
            bail!("installing atuin failed");
        }
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let runs = (0..3)
        .map(|_| {
            json_line(
                Command::new("bash").arg(peers_dir().join("atuin/bench.sh")).arg(n.to_string()).env("PATH", &path),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    medians_of(runs, &["push_ms", "pull_ms", "noop_ms"])
}

/// The runs' lines (each a whole run of a peer's benchmark) as one: the first run's,
/// each of `keys` replaced by its median over the runs, with every run's value beside
/// it as `KEY_samples`. Saite's first pull and the floor are medians of three, so a
/// peer they are compared with is too: one run of anything varied by a fifth and more
/// on these machines.
fn medians_of(runs: Vec<Value>, keys: &[&str]) -> Result<Value> {
    let mut line = runs.first().context("no run")?.clone();
    for key in keys {
        let samples = runs.iter().map(|r| number(r, key)).collect::<Result<Vec<f64>>>()?;
        let mut sorted = samples.clone();
        sorted.sort_by(f64::total_cmp);
        line[*key] = serde_json::json!(sorted[sorted.len() / 2]);
        line[format!("{key}_samples")] = serde_json::json!(samples);
    }
    Ok(line)
}

fn ratio(slower: f64, faster: f64) -> String {
    format!("{:.1}×", slower / faster)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

/// Runs everything and returns the Markdown section body (table and notes).
pub fn run(n: usize, run_on: &str) -> Result<String> {
    if !peers_dir().join("pouchdb/bench.js").exists() {
        bail!("the peers are not at {} (set SAITE_PEERS)", peers_dir().display());
    }
    let s = saite(n)?;
    let fl = floor(n)?;
    let p = pouchdb(n)?;
    let a = atuin(n)?;
    let (push, pull) = (number(&s, "push_ms")?, number(&s, "pull_ms")?);
    let (p_push, p_pull, p_ten) = (number(&p, "push_ms")?, number(&p, "pull_ms")?, number(&p, "ten_edits_ms")?);
    let (a_push, a_pull, a_noop) = (number(&a, "push_ms")?, number(&a, "pull_ms")?, number(&a, "noop_ms")?);
    let floor_ms = number(&fl, "sqlcipher_s")? * 1000.0;
    let (noop, noop_bytes, noop_1k, noop_1k_bytes) =
        (number(&s, "noop_ms")?, number(&s, "noop_bytes")?, number(&s, "noop_1k_ms")?, number(&s, "noop_1k_bytes")?);
    let ten = number(&s, "ten_edits_ms")?;
    let secs = |ms: f64| format!("{:.2} s", ms / 1000.0);
    let mut t = String::new();
    t.push_str("| measure | Saite | PouchDB | Atuin | floor | ratio | goal | |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    t.push_str(&format!(
        "| first push, {n} records (Atuin: median of 3) | {} | {} | {} | | {} vs PouchDB, {} vs Atuin | ≥ 20× PouchDB, ≥ 4× Atuin | {} |\n",
        secs(push),
        secs(p_push),
        secs(a_push),
        ratio(p_push, push),
        ratio(a_push, push),
        verdict(p_push / push >= 20.0 && a_push / push >= 4.0)
    ));
    t.push_str(&format!(
        "| first pull into an empty laptop (Saite, Atuin, floor: median of 3) | {} | {} | {} | {} | {} vs Atuin, {} of the floor | ≥ 4× Atuin, ≤ 1.5× floor | {} |\n",
        secs(pull),
        secs(p_pull),
        secs(a_pull),
        secs(floor_ms),
        ratio(a_pull, pull),
        ratio(pull, floor_ms),
        verdict(a_pull / pull >= 4.0 && pull / floor_ms <= 1.5)
    ));
    t.push_str(&format!(
        "| nothing to do, {n} records | {noop:.1} ms, 1 request, {noop_bytes:.0} B | | {a_noop:.0} ms (whole process) | | | one round trip, ≤ 1 KB, flat in N | {} |\n",
        verdict(noop_bytes <= 1024.0 && noop_1k_bytes <= 1024.0)
    ));
    t.push_str(&format!(
        "| nothing to do, 1 000 records | {noop_1k:.1} ms, 1 request, {noop_1k_bytes:.0} B | | | | | | |\n"
    ));
    t.push_str(&format!(
        "| 10 edits A → B (Saite: median of 5) | {ten:.1} ms | {p_ten:.1} ms | | | {} vs PouchDB | ≥ 4× PouchDB | {} |\n",
        ratio(p_ten, ten),
        verdict(p_ten / ten >= 4.0)
    ));
    Ok(format!(
        "## Sync against its peers (issue 6)\n\n\
         {run_on} One run, same N for all (`cargo xtask bench --only sync`); Saite's first pull, Atuin's push\n\
         and pull and the floor are each the median of three. Saite\n\
         (`crates/saite-sync/benches/sync_peers.rs`): two laptops' encrypted stores (SQLCipher, with history,\n\
         search index and outbox, seminar records of about 600 bytes) through the `saite-server` process (release\n\
         build) on SQLite over loopback HTTP; a push or pull time is the laptop's whole round (push, pull, verify). The request\n\
         count and bytes of a round with nothing to do are measured by a counting TCP relay (HTTP headers\n\
         included). PouchDB and Atuin run their own benchmarks from `../shared/peers` (Atuin's records are\n\
         shorter: about 100 bytes of command line); the floor is the time just to write N seminar-sized records\n\
         into SQLCipher with an FTS5 index.\n\n{t}\n\
         Raw: Saite `{s}`; floor `{fl}`; PouchDB `{p}`; Atuin `{a}`.\n"
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::medians_of;

    #[test]
    fn a_peer_s_runs_are_one_line_of_medians_with_every_run_s_value_beside_them() {
        let runs = vec![
            json!({"N": 10, "push_ms": 900, "pull_ms": "1200", "rows_on_b": 10}),
            json!({"N": 10, "push_ms": 700, "pull_ms": "1500", "rows_on_b": 10}),
            json!({"N": 10, "push_ms": 800, "pull_ms": "1100", "rows_on_b": 10}),
        ];
        let line = medians_of(runs, &["push_ms", "pull_ms"]).unwrap();
        assert_eq!(line["push_ms"], json!(800.0));
        assert_eq!(line["pull_ms"], json!(1200.0));
        assert_eq!(line["push_ms_samples"], json!([900.0, 700.0, 800.0]));
        assert_eq!(line["pull_ms_samples"], json!([1200.0, 1500.0, 1100.0]));
        assert_eq!(line["rows_on_b"], json!(10));
        assert!(medians_of(vec![json!({"push_ms": 1})], &["pull_ms"]).is_err(), "a key a run lacks is an error");
    }
}
