//! The real `saite-server` binary for the sync tests: one process on a chosen loopback
//! port over a SQLite file, and its `admin` commands.

use std::{
    io::Write,
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The server binary `cargo xtask test` builds (`SAITE_E2E_SERVER`).
pub fn server_binary() -> PathBuf {
    let path = std::env::var_os("SAITE_E2E_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("SAITE_E2E_SERVER is not set: run the end-to-end tests through `cargo xtask test`"));
    assert!(path.is_file(), "SAITE_E2E_SERVER={} is not a file", path.display());
    path
}

/// A running server. Dropping it kills the process; [`SyncServer::start`] again on the
/// same folder and port is "the server restarted".
pub struct SyncServer {
    child: Child,
    pub port: u16,
    pub url: String,
    database: String,
}

impl SyncServer {
    pub fn start(dir: &Path, port: u16, log: &Path) -> SyncServer {
        SyncServer::start_with(dir, port, log, &[])
    }

    /// [`SyncServer::start`] with more `serve` options (`--max-page 500`...).
    pub fn start_with(dir: &Path, port: u16, log: &Path, options: &[&str]) -> SyncServer {
        let database = format!("sqlite://{}", dir.join("saite-server.db").display());
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        let child = Command::new(server_binary())
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database", &database, "--shutdown-grace", "1"])
            .args(options)
            .env("SAITE_SERVER_LOG", "info")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "saite-server did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        SyncServer { child, port, url: format!("http://127.0.0.1:{port}"), database }
    }

    /// Runs `saite-server admin …` on this server's database; returns standard output.
    pub fn admin(&self, args: &[&str], stdin: Option<&str>) -> String {
        let mut child = Command::new(server_binary())
            .args(["admin", "--database", &self.database])
            .args(args)
            .env("SAITE_SERVER_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            child.stdin.as_mut().unwrap().write_all(format!("{text}\n").as_bytes()).unwrap();
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Stops the server (as a crash or a power cut would: no goodbye).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SyncServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
