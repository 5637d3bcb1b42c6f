//! The real `saite-server` binary over real HTTP on a random port, on SQLite (and on
//! PostgreSQL where a test says so).

mod common;

use common::*;
use saite_protocol::{PROTOCOL_VERSION, VERSION_HEADER};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_the_openapi_document_are_served() {
    let dir = temp();
    let server = Server::start(&sqlite_url(dir.path()));
    let client = http();
    let health: Value = client.get(format!("{}/healthz", server.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["protocol"], PROTOCOL_VERSION);
    let doc: Value = client.get(format!("{}/openapi.json", server.url)).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/v1/sign-in", "/v1/push", "/v1/changes", "/v1/checksums", "/v1/devices/{id}/revoke"] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["PushRequest"].is_object());
    let missing = client.get(format!("{}/v2/nothing", server.url)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>().await.unwrap()["code"], "not-found");
}

/// The three ways a push once got past the server's checks, tried as an outside client
/// on each backend: a stored `null` that switched checks off for its record, a value
/// the server could not read answered 200 and dropped, and stamps taken on trust.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_checked_or_refused_on_both_backends() {
    let dir = temp();
    let (postgres, _guard) = postgres_database().await;
    for db in [sqlite_url(dir.path()), postgres] {
        let (_org, [consultant, coordinator, _]) = organisation(&db, "Biedrība", "a");
        let server = Server::start(&db);
        let laptop = sign_in(&server.url, &consultant, device_id(1)).await;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        let seminar = record(1);
        let change = |seq: u64, fields: Value, wall_ms: u64, device: saite_domain::DeviceId| {
            let fields = fields.as_object().unwrap().clone().into_iter().map(|(f, v)| (f, v, stamp(wall_ms, device)));
            saite_protocol::RecordChange::from_fields(seq, seminar, saite_domain::Collection::Seminar, fields)
        };
        let push = |seq: u64, fields: Value, wall_ms: u64| saite_protocol::PushRequest {
            after_seq: seq - 1,
            changes: vec![change(seq, fields, wall_ms, laptop.device)],
        };
        // A seminar as a laptop pushes it: every empty optional field named with null.
        let whole = json!({"title": "Seminārs", "kind": "seminar", "date": "2012-11-09", "municipality": "daugavpils",
            "venue": null, "organiser": null, "endDate": null, "campaign": null});
        assert_eq!(laptop.push(&push(1, whole, now)).await.0, 200, "{db}");
        let stored = laptop.pull_all(100).await;

        // 1. The stored nulls switch nothing off.
        for (fields, field) in [
            (json!({"title": null}), "title"),
            (json!({"participants": {"youth": -3}}), "participants.youth"),
            (json!({"date": "2012-13-45"}), "date"),
        ] {
            let (status, body) = laptop.push(&push(2, fields, now + 1)).await;
            assert_eq!(
                (status, body["code"].clone(), body["field"].clone()),
                (422, json!("invalid-record"), json!(field)),
                "{db}"
            );
        }
        // 2. A value the server cannot read: 422 naming it, the field beside it not stored.
        let hlc = stamp(now + 2, laptop.device);
        for bad in ["1e400", r#""\ud800""#] {
            let body = format!(
                r#"{{"afterSeq": 1, "changes": [{{"seq": 2, "record": "{seminar}", "collection": "seminar", "hlc": "{hlc}",
                    "fields": {{"venue": "Zāle", "notes": {bad}}}}}]}}"#
            );
            let r = laptop.post("/v1/push").header("content-type", "application/json").body(body).send().await.unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap();
            assert_eq!(
                (status, body["code"].clone(), body["field"].clone()),
                (422, json!("invalid-record"), json!("notes")),
                "{db} {bad}"
            );
        }
        // 3. A stamp more than a day ahead of the server's clock, or of another device.
        let (status, body) = laptop.push(&push(2, json!({"venue": "Zāle"}), now + 25 * 3_600_000)).await;
        assert_eq!(
            (status, body["code"].clone(), body["field"].clone()),
            (422, json!("stamp-ahead"), json!("venue")),
            "{db}"
        );
        assert_eq!(body["appliedSeq"], json!(1), "{db}: what keeps its stamps");
        let other = sign_in(&server.url, &coordinator, device_id(2)).await;
        let theirs = saite_protocol::PushRequest {
            after_seq: 1,
            changes: vec![change(2, json!({"venue": "Zāle"}), now, other.device)],
        };
        let (status, body) = laptop.push(&theirs).await;
        assert_eq!(
            (status, body["code"].clone(), body["field"].clone()),
            (422, json!("foreign-stamp"), json!("venue")),
            "{db}"
        );
        assert_eq!(laptop.pull_all(100).await, stored, "{db}: nothing of the refused pushes stored");

        // Every answer carries the server's time.
        let r = laptop.get("/v1/me").send().await.unwrap();
        let server_time: u64 = r.headers()[saite_protocol::SERVER_TIME_HEADER].to_str().unwrap().parse().unwrap();
        assert!(server_time.abs_diff(now) < 60_000, "{db}: {server_time} against {now}");
        assert_eq!(laptop.push(&push(2, json!({"venue": "Zāle"}), now + 3)).await.0, 200, "{db}: a valid change");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_checks_the_password_and_locks_out_after_repeated_failures() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    let server = Server::start(&db);
    let client = http();
    let attempt = |password: &str, email: &str| {
        client
            .post(format!("{}/v1/sign-in", server.url))
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
            .json(&json!({"email": email, "password": password, "deviceId": device_id(1), "deviceName": "Klēpjdators"}))
            .send()
    };
    let r = attempt("wrong password", "nobody@example.lv").await.unwrap();
    assert_eq!(
        (r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()),
        (401, json!("bad-credentials"))
    );
    for _ in 0..4 {
        assert_eq!(attempt("wrong password", &consultant).await.unwrap().status(), 401);
    }
    // The fifth failure locks the user: now even the right password is refused.
    assert_eq!(attempt("wrong password", &consultant).await.unwrap().status(), 401);
    let r = attempt(PASSWORD, &consultant).await.unwrap();
    assert_eq!((r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()), (429, json!("locked-out")));
    // An administrator's password reset lifts the lock.
    admin_ok(&db, &["user", "reset-password", &consultant], Some(PASSWORD));
    let laptop = sign_in(&server.url, &consultant, device_id(1)).await;
    let me: Value = laptop.get("/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["email"], consultant.as_str());
    assert_eq!(me["user"]["role"], "consultant");

    // Without the protocol header, or with another version: 426 and the server's version.
    let r = client.get(format!("{}/v1/me", server.url)).bearer_auth(&laptop.token).send().await.unwrap();
    assert_eq!(r.status(), 426);
    let r = client
        .get(format!("{}/v1/me", server.url))
        .bearer_auth(&laptop.token)
        .header(VERSION_HEADER, (PROTOCOL_VERSION + 1).to_string())
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["code"].clone(), body["serverProtocol"].clone()),
        (json!("version-mismatch"), json!(PROTOCOL_VERSION))
    );
    // Without a token, or a made-up one: signed out.
    for token in ["", "made-up"] {
        let r = client
            .get(format!("{}/v1/me", server.url))
            .bearer_auth(token)
            .header(VERSION_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!((r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()), (401, json!("signed-out")));
    }
    // Every sign-in and failure is in the audit chain.
    let org = admin_ok(&db, &["org", "list"], None).split('\t').next().unwrap().to_owned();
    let audit = admin_ok(&db, &["audit", "read", "--org", &org], None);
    assert_eq!(audit.matches("\"sign-in-failed\"").count(), 5);
    assert_eq!(audit.matches("\"sign-in-locked\"").count(), 1);
    assert_eq!(audit.matches("\"action\":\"sign-in\"").count(), 1);
    assert!(admin_ok(&db, &["audit", "verify", "--org", &org], None).starts_with("audit chain intact"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_apply_once_and_bad_input_gets_a_clear_4xx() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    let server = Server::start(&db);
    let laptop = sign_in(&server.url, &consultant, device_id(1)).await;

    let first = organisations(laptop.device, 0, 0, 10);
    assert_eq!(laptop.push(&first).await, (200, json!({"appliedSeq": 20, "stored": {"after": 0, "to": 10}})));
    // The same batch twice (the answer was lost): acknowledged, stored once.
    assert_eq!(laptop.push(&first).await, (200, json!({"appliedSeq": 20, "stored": {"after": 10, "to": 10}})));
    assert_eq!(laptop.pull_all(7).await.len(), 20);
    // Out of order: batch 3 before batch 2 is refused with where to resend from.
    let second = organisations(laptop.device, 20, 10, 5);
    let third = organisations(laptop.device, 30, 15, 5);
    let (status, body) = laptop.push(&third).await;
    assert_eq!((status, body["code"].clone(), body["appliedSeq"].clone()), (409, json!("seq-gap"), json!(20)));
    assert_eq!(laptop.push(&second).await.0, 200);
    assert_eq!(laptop.push(&third).await, (200, json!({"appliedSeq": 40, "stored": {"after": 15, "to": 20}})));
    assert_eq!(laptop.pull_all(1000).await.len(), 40);

    // Invalid values: 422 naming the field and the record; nothing of the batch stored.
    let mut bad = organisations(laptop.device, 40, 100, 3);
    bad.changes[2].fields.to_mut().insert("kind".to_owned(), json!("pirate-ship"));
    let (status, body) = laptop.push(&bad).await;
    assert_eq!((status, body["code"].clone(), body["field"].clone()), (422, json!("invalid-record"), json!("kind")));
    assert_eq!(body["record"], json!(record(102).to_string()));
    assert_eq!(laptop.pull_all(1000).await.len(), 40, "nothing half-written");

    // Unreadable JSON, wrong shapes, falling seqs: 400.
    for body in ["{", "{\"afterSeq\": -1, \"changes\": []}", "[]", "{\"afterSeq\": 0, \"changes\": [], \"extra\": 1}"] {
        let r = laptop.post("/v1/push").header("content-type", "application/json").body(body).send().await.unwrap();
        assert_eq!(r.status(), 400, "{body}");
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "malformed");
    }
    // A body that does not say it is JSON: refused whatever it holds.
    let r = laptop
        .post("/v1/push")
        .header("content-type", "text/plain")
        .body("{\"afterSeq\": 40, \"changes\": []}")
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()), (400, json!("malformed")));
    let mut falling = organisations(laptop.device, 40, 200, 2);
    falling.changes.swap(0, 1);
    assert_eq!(laptop.push(&falling).await.0, 400);
    // Too large: over the body limit, and over the field limit.
    let r = laptop
        .post("/v1/push")
        .header("content-type", "application/json")
        .body(vec![b' '; 9 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()), (413, json!("too-large")));
    let huge = organisations(laptop.device, 40, 1_000, 10_001);
    assert_eq!(laptop.push(&huge).await.0, 413);
    // A bad query string: 400, not 500.
    assert_eq!(laptop.get("/v1/changes?after=minus-one").send().await.unwrap().status(), 400);
    assert_eq!(laptop.pull_all(1000).await.len(), 40);
}

/// Role × endpoint × organisation: who may do what.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authorisation_matrix_holds() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, a_users) = organisation(&db, "Biedrība A", "a");
    let (_b, b_users) = organisation(&db, "Biedrība B", "b");
    let server = Server::start(&db);
    let mut laptops = Vec::new();
    for (i, email) in a_users.iter().enumerate() {
        laptops.push(sign_in(&server.url, email, device_id(10 + i as u128)).await);
    }
    let other = sign_in(&server.url, &b_users[0], device_id(20)).await;
    let spare = sign_in(&server.url, &a_users[0], device_id(30)).await;

    // (endpoint, [consultant, coordinator, admin]) expected statuses within the organisation.
    let revoke_spare = format!("/v1/devices/{}/revoke", spare.device);
    let matrix: Vec<(&str, &str, [u16; 3])> = vec![
        ("GET", "/v1/me", [200, 200, 200]),
        ("GET", "/v1/changes", [200, 200, 200]),
        ("GET", "/v1/checksums", [200, 200, 200]),
        ("GET", "/v1/users", [403, 200, 200]),
        ("GET", "/v1/devices", [403, 200, 200]),
        ("GET", "/v1/audit", [403, 200, 200]),
    ];
    for (method, path, expected) in &matrix {
        for (laptop, want) in laptops.iter().zip(expected) {
            let r = if *method == "GET" { laptop.get(path) } else { laptop.post(path) }.send().await.unwrap();
            assert_eq!(r.status().as_u16(), *want, "{method} {path} as {}", laptop.device);
        }
    }
    for laptop in &laptops[..2] {
        let r = laptop.post(&revoke_spare).send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()), (403, json!("forbidden")));
    }
    // Another organisation's administrator cannot touch this one's devices (they are
    // unknown to it), and sees none of its users, devices or values.
    let b_admin = sign_in(&server.url, &b_users[2], device_id(21)).await;
    assert_eq!(b_admin.post(&revoke_spare).send().await.unwrap().status(), 404);
    let b_users_seen: Vec<Value> = b_admin.get("/v1/users").send().await.unwrap().json().await.unwrap();
    assert_eq!(b_users_seen.len(), 3);
    assert!(b_users_seen.iter().all(|u| u["email"].as_str().unwrap().starts_with("b-")));
    laptops[0].push(&organisations(laptops[0].device, 0, 0, 2)).await;
    assert!(other.pull_all(100).await.is_empty());
    // This organisation's administrator revokes the spare laptop: it is signed out for
    // good with a code the app acts on.
    assert_eq!(laptops[2].post(&revoke_spare).send().await.unwrap().status(), 200);
    for r in [
        spare.get("/v1/changes").send().await.unwrap(),
        spare.post("/v1/push").json(&organisations(spare.device, 0, 50, 1)).send().await.unwrap(),
    ] {
        assert_eq!(
            (r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()),
            (401, json!("device-revoked"))
        );
    }
    // Signing in again from the revoked laptop is refused too.
    let (_, refused) = try_sign_in(&server.url, &a_users[0], PASSWORD, spare.device).await;
    assert_eq!(refused["code"], "device-revoked");
    // A disabled user's laptops stop working at once.
    admin_ok(&db, &["user", "disable", &a_users[1]], None);
    let r = laptops[1].get("/v1/me").send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()), (401, json!("user-disabled")));
}

/// A batch cut off mid-way (the connection drops inside the body) stores nothing; a
/// server killed with SIGKILL mid-batch stores all of the batch or none of it; the
/// retry then stores the rest exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_batch_or_a_killed_server_leaves_nothing_half_written() {
    use std::io::Write;
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    let mut server = Server::start(&db);
    let laptop = sign_in(&server.url, &consultant, device_id(1)).await;

    let batch = organisations(laptop.device, 0, 0, 5_000);
    let body = serde_json::to_vec(&batch).unwrap();
    {
        let addr = server.url.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "POST /v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n{VERSION_HEADER}: {PROTOCOL_VERSION}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            laptop.token,
            body.len()
        )
        .unwrap();
        stream.write_all(&body[..body.len() / 2]).unwrap();
        // Dropped here: the server never gets the second half.
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(laptop.pull_all(1000).await.is_empty(), "half a batch stores nothing");

    // Kill the server while it applies the batch.
    let push = {
        let laptop = laptop.on(&server.url);
        let batch = batch.clone();
        tokio::spawn(async move { laptop.push(&batch).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    server.kill();
    let _ = push.await;
    let server = Server::start(&db);
    let laptop = laptop.on(&server.url);
    let stored = laptop.pull_all(5_000).await.len();
    assert!(stored == 0 || stored == 10_000, "all or nothing: {stored}");
    let me: Value = laptop.get("/v1/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["appliedSeq"], json!(if stored == 0 { 0 } else { 10_000 }), "the applied seq matches what is stored");
    // The retry completes it, once.
    let (status, body) = laptop.push(&batch).await;
    assert_eq!((status, &body["appliedSeq"]), (200, &json!(10_000)));
    // Server seqs count changes: one per organisation of two fields.
    let stored_now = if stored == 0 { 5_000 } else { 0 };
    assert_eq!(body["stored"], json!({"after": stored / 2, "to": stored / 2 + stored_now}));
    assert_eq!(laptop.pull_all(5_000).await.len(), 10_000);
}

/// SIGTERM lets a push in flight finish before the server exits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_push_in_flight() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    let mut server = Server::start(&db);
    let laptop = sign_in(&server.url, &consultant, device_id(1)).await;
    let body = serde_json::to_vec(&organisations(laptop.device, 0, 0, 9_000)).unwrap();
    // One request first, so the push goes out on a connection the server has already
    // accepted (the client keeps it open): the signal cannot beat the accept.
    assert_eq!(laptop.get("/v1/me").send().await.unwrap().status(), 200);
    let push = {
        let laptop = laptop.on(&server.url);
        tokio::spawn(async move {
            let r = laptop.post("/v1/push").header("content-type", "application/json").body(body).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        })
    };
    // Let the request reach the server (connected, body being read or applied).
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    unsafe { libc_kill(server.child.id() as i32, 15) };
    let (status, body) = push.await.unwrap();
    assert_eq!((status, body), (200, json!({"appliedSeq": 18_000, "stored": {"after": 0, "to": 9_000}})));
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let server = Server::start(&db);
    assert_eq!(laptop.on(&server.url).pull_all(10_000).await.len(), 18_000);
}

unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// `admin backup` then `admin restore` into an empty database gives identical state,
/// and the restored server serves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_then_restore_gives_identical_state() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    {
        let server = Server::start(&db);
        let laptop = sign_in(&server.url, &consultant, device_id(1)).await;
        assert_eq!(laptop.push(&organisations(laptop.device, 0, 0, 50)).await.0, 200);
    }
    let backup = path_of(&dir, "backup.json");
    assert!(
        admin_ok(&db, &["backup", backup.to_str().unwrap()], None)
            .starts_with("backup written: 1 organisations, 100 values")
    );
    let restored_dir = temp();
    let restored = sqlite_url(restored_dir.path());
    admin_ok(&restored, &["restore", backup.to_str().unwrap()], None);
    let again = path_of(&dir, "again.json");
    admin_ok(&restored, &["backup", again.to_str().unwrap()], None);
    assert_eq!(std::fs::read(&backup).unwrap(), std::fs::read(&again).unwrap(), "byte-identical backups");
    // Restoring over data is refused.
    assert!(!admin(&restored, &["restore", backup.to_str().unwrap()], None).status.success());
    assert!(admin_ok(&restored, &["audit", "verify", "--org", &org], None).starts_with("audit chain intact"));
    // The laptop's token still works against the restored server.
    let server = Server::start(&restored);
    let laptop = sign_in(&server.url, &consultant, device_id(2)).await;
    assert_eq!(laptop.pull_all(1000).await.len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_with_the_audit_log_is_detected() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    admin_ok(&db, &["user", "set-role", &consultant, "coordinator"], None);
    assert!(admin_ok(&db, &["audit", "verify", "--org", &org], None).starts_with("audit chain intact: 5 entries"));
    let conn = rusqlite::Connection::open(dir.path().join("saite-server.db")).unwrap();
    conn.execute(
        "UPDATE audit SET detail = '{\"email\":\"someone-else@example.lv\",\"role\":\"admin\"}' WHERE seq = 5",
        [],
    )
    .unwrap();
    let out = admin(&db, &["audit", "verify", "--org", &org], None);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("entry 5 was changed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let dir = temp();
    let out = std::process::Command::new(BIN)
        .args(["serve", "--listen", "0.0.0.0:0", "--database", &sqlite_url(dir.path())])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing plain HTTP"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_serves_with_the_given_certificate() {
    let dir = temp();
    let (cert, key, ca) = (path_of(&dir, "cert.pem"), path_of(&dir, "key.pem"), path_of(&dir, "ca.pem"));
    // A test CA and a server certificate it signs (rustls refuses a CA as the server's own).
    std::fs::write(
        path_of(&dir, "leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        format!("req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=Saite-test-CA -keyout {d}/ca.key -out {d}/ca.pem"),
        format!("req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout {d}/key.pem -out {d}/leaf.csr"),
        format!(
            "x509 -req -days 2 -in {d}/leaf.csr -CA {d}/ca.pem -CAkey {d}/ca.key -CAcreateserial -extfile {d}/leaf.ext -out {d}/cert.pem"
        ),
    ] {
        let made = std::process::Command::new("openssl")
            .args(args.split(' '))
            .output()
            .expect("openssl makes test certificates");
        assert!(made.status.success(), "openssl {args}: {}", String::from_utf8_lossy(&made.stderr));
    }
    let server = Server::start_with(
        &sqlite_url(dir.path()),
        &["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()],
    );
    assert!(server.url.starts_with("https://"));
    let root = reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap();
    let client = reqwest::Client::builder().add_root_certificate(root).build().unwrap();
    let health: Value = client.get(format!("{}/healthz", server.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    // A client that does not trust the certificate gets no answer.
    assert!(http().get(format!("{}/healthz", server.url)).send().await.is_err());
}

/// Two server instances on one PostgreSQL database serve one organisation
/// consistently: laptops push through either, and both answer the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_agree() {
    let (url, _guard) = postgres_database().await;
    let (_org, [consultant, coordinator, admin_email]) = organisation(&url, "Biedrība", "a");
    let one = Server::start(&url);
    let two = Server::start(&url);
    let mut tasks = Vec::new();
    for (i, email) in [consultant, coordinator, admin_email].into_iter().enumerate() {
        let (u1, u2) = (one.url.clone(), two.url.clone());
        tasks.push(tokio::spawn(async move {
            let laptop = sign_in(&u1, &email, device_id(i as u128)).await;
            for b in 0..6u128 {
                let via = laptop.on(if b % 2 == 0 { &u1 } else { &u2 });
                let batch = organisations(laptop.device, (b * 20) as u64, i as u128 * 1_000 + b * 10, 10);
                assert_eq!(via.push(&batch).await.0, 200);
            }
            laptop
        }));
    }
    let mut laptops = Vec::new();
    for t in tasks {
        laptops.push(t.await.unwrap());
    }
    let from_one = laptops[0].on(&one.url).pull_all(50).await;
    let from_two = laptops[0].on(&two.url).pull_all(50).await;
    assert_eq!(from_one.len(), 3 * 6 * 10 * 2);
    assert_eq!(from_one, from_two);
    let c1: Value = laptops[1].on(&one.url).get("/v1/checksums").send().await.unwrap().json().await.unwrap();
    let c2: Value = laptops[1].on(&two.url).get("/v1/checksums").send().await.unwrap().json().await.unwrap();
    assert_eq!(c1, c2);
    assert_eq!(c1["cursor"], json!(180), "a server seq per change (of two fields)");
}

/// A throwaway PostgreSQL database (see crates/saite-server-postgres/tests).
async fn postgres_database() -> (String, DropDatabase) {
    let admin_url = std::env::var("SAITE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("saite_http_{}", std::process::id());
    let (client, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is needed (cargo xtask test starts one): {e}"));
    tokio::spawn(conn);
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.unwrap();
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let base = admin_url.rsplit_once('/').unwrap().0.to_owned();
    (format!("{base}/{name}"), DropDatabase { admin_url, name })
}

struct DropDatabase {
    admin_url: String,
    name: String,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (url, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                if let Ok((client, conn)) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
                    tokio::spawn(conn);
                    let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                }
            });
        })
        .join();
    }
}

/// An attachment record (6 fields) pointing at `sha`, with seqs after `after_seq`.
fn attachment(
    device: saite_domain::DeviceId,
    after_seq: u64,
    n: u128,
    sha: &str,
    size: usize,
) -> saite_protocol::PushRequest {
    let fields = [
        ("owner", json!(record(1).to_string())),
        ("ownerCollection", json!("organisation")),
        ("fileName", json!("bukleta-makets.pdf")),
        ("mediaType", json!("application/pdf")),
        ("sizeBytes", json!(size)),
        ("sha256", json!(sha)),
    ];
    let hlc = stamp(1_700_000_000_000 + after_seq, device);
    let fields = fields.into_iter().map(|(field, value)| (field.to_owned(), value, hlc));
    saite_protocol::PushRequest {
        after_seq,
        changes: vec![saite_protocol::RecordChange::from_fields(
            after_seq + 1,
            record(n),
            saite_domain::Collection::Attachment,
            fields,
        )],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_upload_in_parts_resume_download_in_ranges_and_come_before_their_records() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, [consultant, coordinator, _]) = organisation(&db, "Biedrība A", "a");
    let (_b, [outsider, ..]) = organisation(&db, "Biedrība B", "b");
    let server = Server::start_with(&db, &["--max-blob", "300000"]);
    let laptop = sign_in(&server.url, &consultant, device_id(1)).await;
    let file: Vec<u8> = (0..250_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let sha = saite_domain::content_address(&file);

    // The attachment's record cannot go before its file: 409 naming the record.
    let (status, body) = laptop.push(&attachment(laptop.device, 0, 7, &sha, file.len())).await;
    assert_eq!((status, body["code"].clone(), body["field"].clone()), (409, json!("blob-missing"), json!("sha256")));
    assert_eq!(body["record"], json!(record(7).to_string()));
    assert!(laptop.pull_all(100).await.is_empty(), "nothing of the batch stored");

    // The first part arrives; the second is cut off (the connection drops mid-body), so
    // the laptop asks where to resume.
    assert_eq!(laptop.put_part(&file, 0, 100_000).await.0, 200);
    {
        // The connection drops half-way through the second part's body.
        use tokio::io::AsyncWriteExt;
        let mut socket = tokio::net::TcpStream::connect(server.url.trim_start_matches("http://")).await.unwrap();
        let head = format!(
            "PUT /v1/blobs/{sha} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\n{VERSION_HEADER}: {PROTOCOL_VERSION}\r\n\
             content-range: bytes 100000-199999/{}\r\ncontent-length: 100000\r\n\r\n",
            laptop.token,
            file.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&file[100_000..150_000]).await.unwrap();
        socket.shutdown().await.unwrap();
        drop(socket);
    }
    let status: Value = laptop.get(&format!("/v1/blobs/{sha}/status")).send().await.unwrap().json().await.unwrap();
    assert_eq!((status["received"].clone(), status["complete"].clone()), (json!(100_000), json!(false)));
    // Resending from the wrong place: 409 with the offset to resume at.
    let (code, body) = laptop.put_part(&file, 50_000, 150_000).await;
    assert_eq!((code, body["code"].clone(), body["received"].clone()), (409, json!("upload-offset"), json!(100_000)));
    // Not downloadable while incomplete.
    assert_eq!(laptop.get(&format!("/v1/blobs/{sha}")).send().await.unwrap().status(), 404);
    assert_eq!(laptop.put_part(&file, 100_000, 200_000).await.0, 200);
    let (code, body) = laptop.put_part(&file, 200_000, 250_000).await;
    assert_eq!((code, body["complete"].clone(), body["size"].clone()), (200, json!(true), json!(250_000)));

    // Now the record goes through, and another laptop of the organisation can fetch the
    // whole file or any range of it.
    assert_eq!(laptop.push(&attachment(laptop.device, 0, 7, &sha, file.len())).await.0, 200);
    let colleague = sign_in(&server.url, &coordinator, device_id(2)).await;
    let whole = colleague.get(&format!("/v1/blobs/{sha}")).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), file.as_slice());
    for (range, first, end) in [
        ("bytes=0-99", 0, 100),
        ("bytes=99990-100009", 99_990, 100_010),
        ("bytes=249000-", 249_000, 250_000),
        ("bytes=-10", 249_990, 250_000),
    ] {
        let r = colleague.get(&format!("/v1/blobs/{sha}")).header("range", range).send().await.unwrap();
        assert_eq!(r.status(), 206, "{range}");
        assert_eq!(r.headers()["content-range"], format!("bytes {first}-{}/250000", end - 1).as_str());
        assert_eq!(r.bytes().await.unwrap().as_ref(), &file[first..end], "{range}");
    }
    let r = colleague.get(&format!("/v1/blobs/{sha}")).header("range", "bytes=250000-").send().await.unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "range-not-satisfiable");
    // The same file again (attached to another seminar): stored once, answered complete.
    let (code, body) = colleague.put_part(&file, 0, 250_000).await;
    assert_eq!((code, body["complete"].clone()), (200, json!(true)));

    // Another organisation cannot read it by its address.
    let stranger = sign_in(&server.url, &outsider, device_id(3)).await;
    assert_eq!(stranger.get(&format!("/v1/blobs/{sha}")).send().await.unwrap().status(), 404);
    assert_eq!(stranger.get(&format!("/v1/blobs/{sha}/status")).send().await.unwrap().status(), 404);

    // Bytes that do not hash to the address: 422, and the upload starts over.
    let mut forged = file.clone();
    forged[10] ^= 1;
    let r = stranger.put(&format!("/v1/blobs/{sha}")).body(forged).send().await.unwrap();
    assert_eq!(
        (r.status().as_u16(), r.json::<Value>().await.unwrap()["code"].clone()),
        (422, json!("digest-mismatch"))
    );
    assert_eq!(stranger.get(&format!("/v1/blobs/{sha}/status")).send().await.unwrap().status(), 404);
    // Over the file limit, a part over the body limit, a bad address, a bad range: 4xx.
    let big = vec![0u8; 300_001];
    assert_eq!(laptop.put_part(&big, 0, 1_000).await.0, 413);
    let r = laptop.put(&format!("/v1/blobs/{}", "A".repeat(64))).body("x").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r =
        laptop.put(&format!("/v1/blobs/{sha}")).header("content-range", "bytes 0-9/x").body("x").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = laptop.get(&format!("/v1/blobs/{sha}")).header("range", "bytes=9-3").send().await.unwrap();
    assert_eq!(r.status(), 400);

    // Every stored file is in the audit chain, once.
    let org = admin_ok(&db, &["org", "list"], None)
        .lines()
        .find(|l| l.contains("Biedrība A"))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    let audit = admin_ok(&db, &["audit", "read", "--org", &org], None);
    assert_eq!(audit.matches("\"blob-stored\"").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_can_ask_every_laptop_to_pull_a_collection_again() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (org, [consultant, ..]) = organisation(&db, "Biedrība", "a");
    let server = Server::start(&db);
    let laptop = sign_in(&server.url, &consultant, device_id(1)).await;
    assert_eq!(laptop.push(&organisations(laptop.device, 0, 0, 5)).await.0, 200);
    let generation = |c: &Value| c["collections"][0]["repullGeneration"].clone();
    let checksums: Value = laptop.get("/v1/checksums").send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (checksums["collections"][0]["collection"].clone(), generation(&checksums)),
        (json!("organisation"), json!(0))
    );

    // Run while the server serves: the next checksums carry the raised generation.
    let said = admin_ok(&db, &["repull", "--org", &org, "--collection", "organisation"], None);
    assert!(said.contains("generation 1"), "{said}");
    let checksums: Value = laptop.get("/v1/checksums").send().await.unwrap().json().await.unwrap();
    assert_eq!(generation(&checksums), json!(1));
    // The laptop fetches that collection alone.
    let page: Value =
        laptop.get("/v1/changes?after=0&collection=organisation&limit=4").send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (page["records"].as_array().unwrap().len(), page["more"].clone()),
        (4, json!(true)),
        "4 of the 5 records"
    );
    assert!(page.get("remaining").is_none(), "counted only when asked");
    // Asked, the page says how many follow it (what a laptop shows as progress).
    let page: Value = laptop
        .get("/v1/changes?after=0&collection=organisation&limit=2&count=true")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["remaining"], json!(3));
    let page: Value = laptop.get("/v1/changes?after=0&limit=4&count=true").send().await.unwrap().json().await.unwrap();
    assert_eq!(page["remaining"], json!(1));
    let page: Value = laptop.get("/v1/changes?after=0&collection=seminar").send().await.unwrap().json().await.unwrap();
    assert!(page["records"].as_array().unwrap().is_empty());
    assert_eq!(laptop.get("/v1/changes?after=0&collection=pirates").send().await.unwrap().status(), 400);
    // An unknown collection is refused by the command too, naming the choices.
    let refused = admin(&db, &["repull", "--org", &org, "--collection", "pirates"], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("seminar"));
}
