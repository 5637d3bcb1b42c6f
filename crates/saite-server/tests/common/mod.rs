//! The real `saite-server` binary on a random port, and helpers to drive it over HTTP.
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use saite_domain::{Collection, DeviceId, Hlc, RecordId};
use saite_protocol::{PROTOCOL_VERSION, PushRequest, RecordChange, SignInResponse, VERSION_HEADER};
use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_saite-server");
pub const PASSWORD: &str = "Drošā māja 2012!";

/// A running server process; killed on drop.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub database: String,
}

impl Server {
    pub fn start(database: &str) -> Server {
        Server::start_with(database, &[])
    }

    pub fn start_with(database: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
            .args(extra)
            .env("SAITE_SERVER_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("saite-server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server { child, url, database: database.to_owned() }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `saite-server admin ...` on `database`; `stdin` feeds a password.
pub fn admin(database: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args(["admin", "--database", database])
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
    child.wait_with_output().unwrap()
}

pub fn admin_ok(database: &str, args: &[&str], stdin: Option<&str>) -> String {
    let out = admin(database, args, stdin);
    assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("saite-server.db").display())
}

/// An organisation with one user of each role; returns (org id, [consultant, coordinator, admin] e-mails).
pub fn organisation(database: &str, name: &str, prefix: &str) -> (String, [String; 3]) {
    let org = admin_ok(database, &["org", "add", name], None);
    let emails = ["consultant", "coordinator", "admin"].map(|role| {
        let email = format!("{prefix}-{role}@example.lv");
        admin_ok(
            database,
            &["user", "add", "--org", &org, "--email", &email, "--name", role, "--role", role],
            Some(PASSWORD),
        );
        email
    });
    (org, emails)
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap()
}

/// A signed-in laptop.
pub struct Laptop {
    pub base: String,
    pub device: DeviceId,
    pub token: String,
    pub client: reqwest::Client,
}

pub fn device_id(n: u128) -> DeviceId {
    DeviceId::from_uuid(uuid::Uuid::from_u128(0xDE00_0000 + n))
}

/// Signs in from `device` with any password; (status, body).
pub async fn try_sign_in(base: &str, email: &str, password: &str, device: DeviceId) -> (u16, Value) {
    let reply = http()
        .post(format!("{base}/v1/sign-in"))
        .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
        .json(&json!({"email": email, "password": password, "deviceId": device, "deviceName": "Klēpjdators"}))
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.json().await.unwrap_or(Value::Null))
}

pub async fn sign_in(base: &str, email: &str, device: DeviceId) -> Laptop {
    let (status, body) = try_sign_in(base, email, PASSWORD, device).await;
    assert_eq!(status, 200, "{body}");
    let body: SignInResponse = serde_json::from_value(body).unwrap();
    Laptop { base: base.to_owned(), device, token: body.device_token, client: http() }
}

impl Laptop {
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
    }

    pub fn put(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .put(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
    }

    /// Sends bytes `[first, end)` of `file` as one part of its upload; (status, body).
    pub async fn put_part(&self, file: &[u8], first: usize, end: usize) -> (u16, Value) {
        let sha = saite_domain::content_address(file);
        let r = self
            .put(&format!("/v1/blobs/{sha}"))
            .header("content-range", format!("bytes {first}-{}/{}", end - 1, file.len()))
            .body(file[first..end].to_vec())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub fn on(&self, base: &str) -> Laptop {
        Laptop { base: base.to_owned(), device: self.device, token: self.token.clone(), client: self.client.clone() }
    }

    /// Pushes; returns (status, body).
    pub async fn push(&self, batch: &PushRequest) -> (u16, Value) {
        let r = self.post("/v1/push").json(batch).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Every value the server holds for this laptop's organisation, by pulling pages.
    pub async fn pull_all(&self, limit: u32) -> Vec<(RecordId, String, Value)> {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let r = self.get(&format!("/v1/changes?after={after}&limit={limit}")).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let page: saite_protocol::PullPage = r.json().await.unwrap();
            for rec in page.records {
                for (field, value) in rec.fields.into_values().unwrap() {
                    out.push((rec.record, field, value));
                }
            }
            after = page.end_cursor;
            if !page.more {
                out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
                return out;
            }
        }
    }
}

pub fn record(n: u128) -> RecordId {
    RecordId::from_uuid(uuid::Uuid::from_u128(0x8EC0_0000 + n))
}

pub fn stamp(wall_ms: u64, device: DeviceId) -> Hlc {
    Hlc { wall_ms, counter: 0, device }
}

/// A batch of `n` organisations (2 fields each, one change per organisation) after
/// `after_seq`. Seqs go up by 2 per change, as a laptop's do when it sends the two
/// field entries of its outbox as one change.
pub fn organisations(device: DeviceId, after_seq: u64, first: u128, n: u128) -> PushRequest {
    let changes = (first..first + n)
        .enumerate()
        .map(|(k, i)| {
            let seq = after_seq + 2 * (k as u64 + 1);
            let hlc = stamp(1_700_000_000_000 + seq, device);
            let fields =
                [("name".to_owned(), json!(format!("Iestāde {i}")), hlc), ("kind".to_owned(), json!("ngo"), hlc)];
            RecordChange::from_fields(seq, record(i), Collection::Organisation, fields)
        })
        .collect();
    PushRequest { after_seq, changes }
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

pub fn path_of(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}
