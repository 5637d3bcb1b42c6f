//! The coordinator's desk over real HTTP (the real binary, on SQLite): who may read and
//! change users, devices and the audit log, across roles and organisations.

mod common;

use common::*;
use saite_protocol::{
    PROTOCOL_VERSION,
    admin::{AuditVerdict, AuditView, DeviceView, OneTimePassword, ServerHealth, UserView},
};
use serde_json::{Value, json};

/// (status, body) of a request.
async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Role × endpoint: a consultant is refused everything at the desk, a coordinator may
/// read and not change, an administrator may both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_gets_what_it_may_from_the_desk() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (org, a_users) = organisation(&db, "Biedrība A", "a");
    // The user the changes are made to: not one of the three asking.
    let add = ["user", "add", "--org", &org, "--email", "a-target@example.lv", "--name", "Mērķis"];
    admin_ok(&db, &add, Some(PASSWORD));
    let server = Server::start(&db);
    let mut laptops = Vec::new();
    for (i, email) in a_users.iter().enumerate() {
        laptops.push(sign_in(&server.url, email, device_id(10 + i as u128)).await);
    }
    let spare = sign_in(&server.url, &a_users[0], device_id(30)).await;
    let users: Vec<UserView> = laptops[2].get("/v1/users").send().await.unwrap().json().await.unwrap();
    let target = users.iter().find(|u| u.user.email == "a-target@example.lv").unwrap().user.id;

    let reads = ["/v1/users", "/v1/devices", "/v1/audit", "/v1/audit/verify", "/v1/server", "/v1/office"];
    for path in reads {
        for (laptop, want) in laptops.iter().zip([403, 200, 200]) {
            let (status, body) = answer(laptop.get(path)).await;
            assert_eq!(status, want, "GET {path} as {}: {body}", laptop.device);
            if status == 403 {
                assert_eq!(body["code"], "forbidden");
            }
        }
    }
    // Changes, each made harmless to repeat so the administrator's turn succeeds.
    let changes: Vec<(String, Value)> = vec![
        ("/v1/users".into(), json!({"email": "jauna@example.lv", "name": "Jauna", "role": "consultant"})),
        (format!("/v1/users/{target}/role"), json!({"role": "consultant"})),
        (format!("/v1/users/{target}/disable"), Value::Null),
        (format!("/v1/users/{target}/enable"), Value::Null),
        (format!("/v1/users/{target}/password"), Value::Null),
        (format!("/v1/devices/{}/revoke", spare.device), Value::Null),
    ];
    for (path, body) in &changes {
        for (laptop, want) in laptops.iter().zip([403, 403]) {
            let request = laptop.post(path);
            let request = if body.is_null() { request } else { request.json(body) };
            let (status, answer) = answer(request).await;
            assert_eq!(
                (status, answer["code"].clone()),
                (want, json!("forbidden")),
                "POST {path} as {}",
                laptop.device
            );
        }
        let request = laptops[2].post(path);
        let request = if body.is_null() { request } else { request.json(body) };
        let (status, answer) = answer(request).await;
        assert!(status == 200 || status == 201, "POST {path} as the administrator: {status} {answer}");
    }
    let office = json!({"hotline": "116006"});
    for (laptop, want) in laptops.iter().zip([403, 403, 200]) {
        let (status, body) = answer(laptop.put("/v1/office").json(&office)).await;
        assert_eq!(status, want, "PUT /v1/office as {}: {body}", laptop.device);
    }
    // Nothing the refused changes asked for happened: of the changes from laptops, one
    // user added, one revocation, one password, all by the administrator's.
    let audit: Vec<AuditView> = laptops[1].get("/v1/audit").send().await.unwrap().json().await.unwrap();
    let changes = ["user-add", "user-role", "user-enable", "user-password", "device-revoke", "office-settings"];
    let from_laptops: Vec<&AuditView> =
        audit.iter().filter(|e| e.device.is_some() && changes.contains(&e.action.as_str())).collect();
    assert!(from_laptops.iter().all(|e| e.device == Some(laptops[2].device)), "{from_laptops:?}");
    let count = |action: &str| from_laptops.iter().filter(|e| e.action == action).count();
    assert_eq!(
        (count("user-add"), count("device-revoke"), count("user-password"), count("office-settings")),
        (1, 1, 1, 1)
    );
    // Each sees itself marked: its own row, its own laptop.
    let users: Vec<UserView> = laptops[1].get("/v1/users").send().await.unwrap().json().await.unwrap();
    let me: Vec<&str> = users.iter().filter(|u| u.is_you).map(|u| u.user.email.as_str()).collect();
    assert_eq!(me, vec![a_users[1].as_str()]);
    let devices: Vec<DeviceView> = laptops[1].get("/v1/devices").send().await.unwrap().json().await.unwrap();
    let mine: Vec<_> = devices.iter().filter(|d| d.is_this_laptop).map(|d| d.id).collect();
    assert_eq!(mine, vec![laptops[1].device]);
}

/// The terminal keeps the desk's rules: bad input is refused naming its field, and the
/// last administrator stays; nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_keeps_the_desks_rules() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (org, a_users) = organisation(&db, "Biedrība A", "a");
    let refused = |args: &[&str], stdin: Option<&str>| {
        let out = admin(&db, args, stdin);
        assert!(!out.status.success(), "{args:?} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let add = ["user", "add", "--org", &org, "--email", "janis@example.lv", "--name", "Jānis"];
    assert!(refused(&add, Some("īsa")).contains("password"), "a short password");
    let bad = ["user", "add", "--org", &org, "--email", "janis example.lv", "--name", "Jānis"];
    assert!(refused(&bad, Some(PASSWORD)).contains("email"), "not an e-mail");
    assert!(refused(&["user", "disable", &a_users[2]], None).contains("active administrator"));
    assert!(refused(&["user", "set-role", &a_users[2], "consultant"], None).contains("active administrator"));
    let listed = admin_ok(&db, &["user", "list", "--org", &org], None);
    assert_eq!(listed.lines().count(), 3, "{listed}");
    assert!(listed.lines().any(|l| l.contains(&a_users[2]) && l.ends_with("admin\tactive")), "{listed}");
}

/// Another organisation's user and device ids answer exactly as unknown ones, so no id
/// can be probed across organisations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_organisations_ids_answer_as_unknown_ones() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, a_users) = organisation(&db, "Biedrība A", "a");
    let (_b, b_users) = organisation(&db, "Biedrība B", "b");
    let server = Server::start(&db);
    let a_admin = sign_in(&server.url, &a_users[2], device_id(1)).await;
    let a_laptop = sign_in(&server.url, &a_users[0], device_id(2)).await;
    let b_admin = sign_in(&server.url, &b_users[2], device_id(3)).await;
    let a_user = a_admin.get("/v1/users").send().await.unwrap().json::<Vec<UserView>>().await.unwrap()[0].user.id;
    let unknown = uuid::Uuid::from_u128(0x5A17E);

    for (theirs, nobodys) in [
        (format!("/v1/users/{a_user}/disable"), format!("/v1/users/{unknown}/disable")),
        (format!("/v1/users/{a_user}/password"), format!("/v1/users/{unknown}/password")),
        (format!("/v1/devices/{}/revoke", a_laptop.device), format!("/v1/devices/{unknown}/revoke")),
    ] {
        let across = answer(b_admin.post(&theirs)).await;
        assert_eq!(across.0, 404, "{theirs}: {}", across.1);
        assert_eq!(across, answer(b_admin.post(&nobodys)).await, "{theirs} answers as {nobodys}");
    }
    let across = answer(b_admin.post(&format!("/v1/users/{a_user}/role")).json(&json!({"role": "admin"}))).await;
    assert_eq!(across.0, 404);
    // A's laptop still works, and nothing of B's reached A's lists or audit.
    assert_eq!(a_laptop.get("/v1/me").send().await.unwrap().status(), 200);
    let b_devices: Vec<DeviceView> = b_admin.get("/v1/devices").send().await.unwrap().json().await.unwrap();
    assert_eq!(b_devices.iter().map(|d| d.id).collect::<Vec<_>>(), vec![b_admin.device]);
    let a_audit: Vec<AuditView> = a_admin.get("/v1/audit").send().await.unwrap().json().await.unwrap();
    assert!(a_audit.iter().all(|e| e.device != Some(b_admin.device)));
}

/// An administrator adds a user, who signs in with the one-time password; changes the
/// role, resets the password, disables the user; each is audited with who did it, and
/// the organisation keeps an active administrator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_manages_a_user_from_the_desk() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, a_users) = organisation(&db, "Biedrība A", "a");
    let server = Server::start(&db);
    let admin = sign_in(&server.url, &a_users[2], device_id(1)).await;

    // Bad input names its field; nothing is added.
    for (body, field) in [
        (json!({"email": "nav-adrese", "name": "Jānis", "role": "consultant"}), "email"),
        (json!({"email": "janis@example.lv", "name": "  ", "role": "consultant"}), "name"),
    ] {
        let (status, refused) = answer(admin.post("/v1/users").json(&body)).await;
        assert_eq!(
            (status, refused["code"].clone(), refused["field"].clone()),
            (422, json!("invalid-input"), json!(field))
        );
    }
    let (status, refused) =
        answer(admin.post("/v1/users").json(&json!({"email": a_users[0], "name": "X", "role": "admin"}))).await;
    assert_eq!((status, refused["code"].clone()), (409, json!("email-taken")));

    let (status, added) = answer(
        admin
            .post("/v1/users")
            .json(&json!({"email": " Janis@Example.lv ", "name": "Jānis Bērziņš", "role": "consultant"})),
    )
    .await;
    assert_eq!(status, 201, "{added}");
    let added: OneTimePassword = serde_json::from_value(added).unwrap();
    assert_eq!(added.user.user.email, "janis@example.lv");
    assert!(added.password.chars().count() >= 16, "{}", added.password);
    let (status, signed) = try_sign_in(&server.url, "janis@example.lv", &added.password, device_id(50)).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(signed["user"]["role"], "consultant");
    let id = added.user.user.id;

    let promoted: UserView = admin
        .post(&format!("/v1/users/{id}/role"))
        .json(&json!({"role": "coordinator"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(promoted.user.role, saite_protocol::Role::Coordinator);

    let reset: OneTimePassword =
        admin.post(&format!("/v1/users/{id}/password")).send().await.unwrap().json().await.unwrap();
    assert_ne!(reset.password, added.password);
    assert_eq!(try_sign_in(&server.url, "janis@example.lv", &added.password, device_id(51)).await.0, 401);
    assert_eq!(try_sign_in(&server.url, "janis@example.lv", &reset.password, device_id(52)).await.0, 200);

    let disabled: UserView = admin.post(&format!("/v1/users/{id}/disable")).send().await.unwrap().json().await.unwrap();
    assert!(disabled.disabled);
    assert_eq!(
        try_sign_in(&server.url, "janis@example.lv", &reset.password, device_id(53)).await.1["code"],
        "user-disabled"
    );

    // The only administrator can neither disable nor demote themself.
    let me = admin.get("/v1/me").send().await.unwrap().json::<Value>().await.unwrap()["user"]["id"].clone();
    let me = me.as_str().unwrap();
    for (path, body) in [
        (format!("/v1/users/{me}/disable"), Value::Null),
        (format!("/v1/users/{me}/role"), json!({"role": "consultant"})),
    ] {
        let request = admin.post(&path);
        let request = if body.is_null() { request } else { request.json(&body) };
        let (status, refused) = answer(request).await;
        assert_eq!((status, refused["code"].clone()), (409, json!("last-admin")), "{path}");
    }
    // With a second administrator, the first may step down.
    admin.post(&format!("/v1/users/{id}/enable")).send().await.unwrap();
    admin.post(&format!("/v1/users/{id}/role")).json(&json!({"role": "admin"})).send().await.unwrap();
    assert_eq!(answer(admin.post(&format!("/v1/users/{me}/role")).json(&json!({"role": "coordinator"}))).await.0, 200);

    // Each change is in the audit, by the administrator's user and laptop; filters narrow.
    let audit: Vec<AuditView> = admin.get("/v1/audit?action=user-role").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit.len(), 3, "{audit:?}");
    assert!(audit.iter().all(|e| e.device == Some(admin.device) && e.user.is_some()));
    let by_device: Vec<AuditView> =
        admin.get(&format!("/v1/audit?device={}", admin.device)).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> = by_device.iter().map(|e| e.action.as_str()).collect();
    for action in ["sign-in", "user-add", "user-role", "user-password", "user-disable", "user-enable"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let last = by_device.last().unwrap();
    let later: Vec<AuditView> =
        admin.get(&format!("/v1/audit?fromMs={}", last.at_ms + 1)).send().await.unwrap().json().await.unwrap();
    assert!(later.is_empty(), "{later:?}");
    let paged: Vec<AuditView> = admin.get("/v1/audit?limit=2").send().await.unwrap().json().await.unwrap();
    assert_eq!(paged.len(), 2);
    assert_eq!(paged[1].prev_hash, paged[0].hash, "the chain links");
    // The chain holds, and says how long it is.
    let verdict: AuditVerdict = admin.get("/v1/audit/verify").send().await.unwrap().json().await.unwrap();
    let all: Vec<AuditView> = admin.get("/v1/audit?limit=5000").send().await.unwrap().json().await.unwrap();
    assert_eq!((verdict.entries, verdict.fault), (all.len() as u64, None));
}

/// The server's health as the Administration section shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_tells_the_desk_how_it_is() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, a_users) = organisation(&db, "Biedrība A", "a");
    let server = Server::start(&db);
    let coordinator = sign_in(&server.url, &a_users[1], device_id(1)).await;
    let spare = sign_in(&server.url, &a_users[0], device_id(2)).await;
    let admin = sign_in(&server.url, &a_users[2], device_id(3)).await;
    admin.post(&format!("/v1/devices/{}/revoke", spare.device)).send().await.unwrap();
    let health: ServerHealth = coordinator.get("/v1/server").send().await.unwrap().json().await.unwrap();
    assert_eq!((health.database.as_str(), health.protocol, health.users), ("sqlite", PROTOCOL_VERSION, 3));
    assert_eq!((health.active_devices, health.silent_devices), (2, 0));
    assert!(health.started_at_ms <= health.now_ms);
}

/// Office-wide settings set at the desk: checked field by field, stored trimmed, audited,
/// and handed to every laptop of the organisation (and no other) with `/v1/me`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_settings_reach_every_laptop_of_the_organisation() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, a_users) = organisation(&db, "Biedrība A", "a");
    let (_b, b_users) = organisation(&db, "Biedrība B", "b");
    let server = Server::start(&db);
    let consultant = sign_in(&server.url, &a_users[0], device_id(1)).await;
    let admin = sign_in(&server.url, &a_users[2], device_id(2)).await;
    let elsewhere = sign_in(&server.url, &b_users[0], device_id(3)).await;
    let me = |laptop: &Laptop| {
        let request = laptop.get("/v1/me");
        async move { request.send().await.unwrap().json::<Value>().await.unwrap()["office"].clone() }
    };
    assert_eq!(
        me(&consultant).await,
        json!({
            "hotline": null, "officeAddress": null, "maxIdleMinutes": null, "wipeAfterDays": null,
            "remindUnsyncedDays": null
        })
    );

    for (bad, field) in [
        (json!({"hotline": "zvani man"}), "hotline"),
        (json!({"maxIdleMinutes": 0}), "maxIdleMinutes"),
        (json!({"wipeAfterDays": 1000}), "wipeAfterDays"),
        (json!({"remindUnsyncedDays": 91}), "remindUnsyncedDays"),
    ] {
        let (status, body) = answer(admin.put("/v1/office").json(&bad)).await;
        assert_eq!(
            (status, body["code"].as_str(), body["field"].as_str()),
            (422, Some("invalid-input"), Some(field)),
            "{body}"
        );
    }
    let (status, stored) = answer(admin.put("/v1/office").json(&json!({
        "hotline": " 116006 ", "officeAddress": "Rīga, Skolas iela 1", "maxIdleMinutes": 10, "wipeAfterDays": 14,
        "remindUnsyncedDays": 3
    })))
    .await;
    assert_eq!(status, 200, "{stored}");
    let want = json!({
        "hotline": "116006", "officeAddress": "Rīga, Skolas iela 1", "maxIdleMinutes": 10, "wipeAfterDays": 14,
        "remindUnsyncedDays": 3
    });
    assert_eq!(stored, want);
    assert_eq!(me(&consultant).await, want, "the consultant's laptop gets them");
    assert_eq!(me(&elsewhere).await["hotline"], Value::Null, "another organisation's does not");
    let audit: Vec<AuditView> =
        admin.get("/v1/audit?action=office-settings").send().await.unwrap().json().await.unwrap();
    assert_eq!(audit.len(), 1, "the refused ones wrote nothing");
    assert_eq!((audit[0].device, audit[0].detail["wipeAfterDays"].clone()), (Some(admin.device), json!(14)));
}

/// A record's trail (its History's arrival times) is open to every member of its
/// organisation, names who made each change on which laptop and when, and when it
/// arrived; another organisation asking the same id gets nothing, as for an unknown one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_records_trail_names_who_changed_it_and_when_it_arrived() {
    let dir = temp();
    let db = sqlite_url(dir.path());
    let (_a, a_users) = organisation(&db, "Biedrība A", "a");
    let (_b, b_users) = organisation(&db, "Biedrība B", "b");
    let server = Server::start(&db);
    let consultant = sign_in(&server.url, &a_users[0], device_id(1)).await;
    let colleague = sign_in(&server.url, &a_users[1], device_id(2)).await;
    let elsewhere = sign_in(&server.url, &b_users[2], device_id(3)).await;
    let (status, body) = consultant.push(&organisations(consultant.device, 0, 1, 1)).await;
    assert_eq!(status, 200, "{body}");

    let path = format!("/v1/records/{}/trail", record(1));
    let (status, trail) = answer(colleague.get(&path)).await;
    assert_eq!(status, 200, "a consultant's colleague reads it: {trail}");
    let trail: Vec<saite_protocol::TrailEntry> = serde_json::from_value(trail).unwrap();
    assert_eq!(trail.len(), 1, "{trail:?}");
    let made = stamp(1_700_000_000_002, consultant.device);
    assert_eq!(
        (trail[0].action.as_str(), trail[0].hlc.clone(), trail[0].device_time_ms),
        ("record-create", made.to_string(), Some(made.wall_ms))
    );
    assert!(trail[0].arrived_ms > made.wall_ms, "{trail:?}");
    assert!(trail[0].user_name.is_some() && trail[0].device_name.as_deref() == Some("Klēpjdators"), "{trail:?}");
    assert_eq!(answer(elsewhere.get(&path)).await, (200, json!([])), "another organisation learns nothing");
    assert_eq!(answer(colleague.get("/v1/records/nav-id/trail")).await.0, 400);
}
