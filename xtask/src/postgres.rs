//! A PostgreSQL server for the storage tests: the machine's own when one answers at
//! 127.0.0.1:5432 with trust auth for `postgres`, otherwise a throwaway cluster from
//! Debian's `postgresql` package, started on a free port under `target/` and stopped
//! when the tests end.
//!
//! `SAITE_TEST_POSTGRES` (a URL) picks a server explicitly; `SAITE_XTASK_OWN_POSTGRES=1`
//! forces the throwaway cluster even where a local server runs.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};

use crate::{prerequisites, steps::announce};

/// A running server the tests may use, stopped on drop when this run started it.
pub struct TestPostgres {
    pub url: String,
    cluster: Option<(PathBuf, PathBuf)>,
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Some((bin, data)) = &self.cluster {
            let _ =
                as_postgres(&bin.join("pg_ctl"), &["-D", &data.to_string_lossy(), "-m", "fast", "-w", "stop"]).status();
        }
    }
}

const LOCAL_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn ensure(target_dir: &Path) -> Result<TestPostgres> {
    if let Ok(url) = std::env::var("SAITE_TEST_POSTGRES") {
        println!("    using SAITE_TEST_POSTGRES={url}");
        return Ok(TestPostgres { url, cluster: None });
    }
    let forced = std::env::var("SAITE_XTASK_OWN_POSTGRES").is_ok_and(|v| v == "1");
    if !forced && answers(LOCAL_URL) {
        println!("    using the local server at 127.0.0.1:5432");
        return Ok(TestPostgres { url: LOCAL_URL.to_owned(), cluster: None });
    }
    announce("starting a throwaway PostgreSQL cluster for the storage tests");
    prerequisites::ensure_apt_packages(&["postgresql", "postgresql-client"])?;
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .context("Debian's postgresql package puts its programs under /usr/lib/postgresql")?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists())
        .max()
        .context("no initdb under /usr/lib/postgresql/*/bin")?;
    let data = target_dir.join("test-postgres");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    if is_root() {
        // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
        let status = Command::new("chown").args(["-R", "postgres:postgres", &data.to_string_lossy()]).status()?;
        if !status.success() {
            bail!("could not hand {} to the postgres user", data.display());
        }
    }
    let d = data.to_string_lossy().into_owned();
    run(as_postgres(&bin.join("initdb"), &["-D", &d, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]))?;
    let port = free_port()?;
    let options = format!("-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off");
    let log = format!("{d}/server.log");
    run(as_postgres(&bin.join("pg_ctl"), &["-D", &d, "-o", &options, "-l", &log, "-w", "start"]))?;
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    println!("    throwaway cluster at {url}");
    Ok(TestPostgres { url, cluster: Some((bin, data)) })
}

/// Whether `psql` (if present) can run a query at `url`.
fn answers(url: &str) -> bool {
    Command::new("psql").args([url, "-Atc", "SELECT 1"]).output().is_ok_and(|o| o.status.success())
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn as_postgres(program: &Path, args: &[&str]) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program).args(args);
        c
    } else {
        let mut c = Command::new(program);
        c.args(args);
        c
    }
}

fn run(mut cmd: Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed ({status})");
    }
    Ok(())
}
