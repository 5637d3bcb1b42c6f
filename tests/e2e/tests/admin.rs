//! The coordinator's desk in the real window, with the real server: an administrator's
//! laptop shows Administration, a consultant's does not (and the server refuses its
//! token there); the administrator adds a user with a one-time password, revokes the
//! consultant's laptop from the Devices tab, and that laptop is wiped at its next sync;
//! the audit log shows it all with an intact chain; a role changed at the office reaches
//! the laptop at its next round.

use saite_e2e::{AppSession, Harness, free_port, launch, server::SyncServer};
use serde_json::{Value, json};

const PASSWORD: &str = "Drošā parole 2026";
const VERIFIED: &str = "Pārbaudīts: sinhronizēts";

async fn invoke(app: &AppSession, command: &str, args: Value) -> Value {
    app.eval(&format!("return window.__TAURI_INTERNALS__.invoke({command:?}, {args}).catch((e) => ({{ refused: e }}))"))
        .await
}

/// How many elements match `css`.
async fn count(app: &AppSession, css: &str) -> u64 {
    app.eval(&format!("return document.querySelectorAll({css:?}).length")).await.as_u64().unwrap()
}

/// Waits until the element's text starts with `start`; returns the text.
async fn text_starting(app: &AppSession, css: &str, start: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let text = app.text(css).await;
        if text.starts_with(start) {
            return text;
        }
        assert!(std::time::Instant::now() < deadline, "{css} says {text:?}, not {start}…");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Switches to `lang` (Russian or English) and opens Administration in it.
async fn open_admin_in(app: &AppSession, lang: &str) {
    let heading = if lang == "ru" { "Администрирование" } else { "Administration" };
    app.choose_language(lang).await;
    app.click("[data-testid=nav-admin]").await;
    assert_eq!(app.wait_for_text("#admin-heading", heading).await, heading);
}

/// Connects and waits for the first verified round (the role arrives with the sign-in).
async fn connect(app: &AppSession, url: &str, email: &str) {
    app.connect(url, email, PASSWORD).await;
    assert_eq!(app.wait_for_text("[data-testid=sync-state-text]", VERIFIED).await, VERIFIED);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_runs_the_desk_from_the_app_and_a_revoked_laptop_is_wiped() {
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let server = SyncServer::start(server_dir.path(), free_port(), &h.artifacts.join("admin.server.log"));
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    for (email, name, role) in [
        ("ilze@example.lv", "Ilze Kalniņa", "admin"),
        ("maris@example.lv", "Māris Ozols", "admin"),
        ("sandra@example.lv", "Sandra Liepa", "consultant"),
    ] {
        server.admin(&["user", "add", "--org", &org, "--email", email, "--name", name, "--role", role], Some(PASSWORD));
    }

    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let exports = tempfile::tempdir().unwrap();
    let a = saite_e2e::launch_saving_to(&h, "admin-a", data_a.path(), exports.path()).await;
    assert_eq!(count(&a, "[data-testid=nav-admin]").await, 0, "not connected: no Administration");
    connect(&a, &server.url, "ilze@example.lv").await;
    a.wait_for("[data-testid=nav-admin]").await;

    // The consultant's laptop: no Administration, and the server refuses its token there.
    // Sandra records an institution before it ever reached the server (offline).
    let b = launch(&h, "admin-b", data_b.path()).await;
    let institution = b
        .create_record("organisation", json!({"name": "Līvānu novada sociālais dienests", "kind": "social-service", "municipality": "livanu-novads"}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    connect(&b, &server.url, "sandra@example.lv").await;
    b.click("[data-testid=nav-home]").await;
    b.wait_for("[data-testid=home-card-sync]").await;
    assert_eq!(count(&b, "[data-testid=nav-admin]").await, 0);
    assert_eq!(count(&b, "[data-testid=home-card-admin]").await, 0);
    for command in ["desk_users", "desk_devices", "desk_server_health"] {
        let refused = invoke(&b, command, json!({})).await;
        assert_eq!(refused["refused"]["code"], "desk-forbidden", "{command}: {refused}");
    }
    // Her institution's History: made on her laptop, and now at the office too.
    b.click("[data-testid=nav-organisations]").await;
    b.click("[data-testid=list-row]").await;
    b.wait_for("[data-testid=page-organisation]").await;
    let arrived = b.wait_for_text_containing("[data-testid=history-arrived]", "birojā ").await;
    assert!(arrived.len() > "birojā ".len(), "{arrived}");
    b.click("[data-testid=nav-home]").await;

    // The administrator's desk: every user, and both laptops.
    a.click("[data-testid=nav-admin]").await;
    a.wait_for("[data-testid=screen-admin]").await;
    a.wait_for("[data-testid=admin-user][data-email='sandra@example.lv']").await;
    assert_eq!(count(&a, "[data-testid=admin-user]").await, 3);
    a.screenshot("admin-users-lv").await;

    // A new user with a one-time password, which signs in at the server.
    a.type_into("[data-testid=admin-new-email]", "janis@example.lv").await;
    a.type_into("[data-testid=admin-new-name]", "Jānis Bērziņš").await;
    a.select("[data-testid=admin-new-role]", "coordinator").await;
    a.click("[data-testid=admin-add-user-submit]").await;
    let password = a.text("[data-testid=admin-issued-password]").await;
    assert_eq!(password.len(), 19, "four groups of four: {password}");
    a.wait_for("[data-testid=admin-user][data-email='janis@example.lv']").await;
    a.screenshot("admin-user-added-lv").await;
    // A new password takes a second click, and replaces the first.
    let janis_row = "[data-testid=admin-user][data-email='janis@example.lv']";
    a.click(&format!("{janis_row} [data-testid=admin-user-reset]")).await;
    a.click(&format!("{janis_row} [data-testid=admin-user-reset-yes]")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while a.text("[data-testid=admin-issued-password]").await == password {
        assert!(std::time::Instant::now() < deadline, "no new password shown");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Ilze's own row offers neither a role nor disabling.
    let ilze_row = "[data-testid=admin-user][data-email='ilze@example.lv']";
    assert_eq!(count(&a, &format!("{ilze_row} select, {ilze_row} [data-testid=admin-user-toggle]")).await, 0);
    let listed = server.admin(&["user", "list", "--org", &org], None);
    let janis = listed.lines().find(|l| l.contains("janis@example.lv")).unwrap();
    assert!(janis.ends_with("coordinator\tactive"), "{janis}");

    // Revoking the consultant's laptop takes a second, confirming click.
    a.click("[data-testid=admin-tab-devices]").await;
    let b_status = invoke(&b, "sync_status", json!({})).await;
    assert_eq!(b_status["account"]["role"], "consultant", "{b_status}");
    a.wait_for("[data-testid=admin-device]").await;
    assert_eq!(count(&a, "[data-testid=admin-device]").await, 2);
    let sandras = a
        .eval(
            "return [...document.querySelectorAll('[data-testid=admin-device]')]
               .find((r) => r.textContent.includes('Sandra Liepa')).dataset.device",
        )
        .await;
    let sandras = sandras.as_str().unwrap().to_owned();
    // Ilze's own laptop is marked and cannot be revoked from itself; each says its app's
    // version.
    let this = "[data-testid=admin-device]:has([data-testid=admin-device-this])";
    assert!(a.text(this).await.contains("Ilze Kalniņa"));
    assert_eq!(count(&a, &format!("{this} [data-testid=admin-device-revoke]")).await, 0);
    let versions =
        "return [...document.querySelectorAll('[data-testid=admin-device-version]')].map((c) => c.textContent.trim())";
    assert_eq!(a.eval(versions).await, json!([env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_VERSION")]));
    let row = format!("[data-testid=admin-device][data-device='{sandras}']");
    a.click(&format!("{row} [data-testid=admin-device-revoke]")).await;
    a.screenshot("admin-revoke-confirm-lv").await;
    a.click(&format!("{row} [data-testid=admin-device-revoke-yes]")).await;
    let state = text_starting(&a, &format!("{row} [data-testid=admin-device-state]"), "Atsaukts ").await;
    assert!(state.len() > "Atsaukts ".len(), "says when: {state}");
    a.screenshot("admin-devices-lv").await;

    // B's next round wipes it.
    let _ = invoke(&b, "sync_now", json!({})).await;
    b.wait_for("[data-testid=screen-first-run]").await;
    let notice = b.text("[data-testid=notice]").await;
    assert!(notice.starts_with("Birojs ziņoja, ka šis dators ir pazaudēts"), "{notice}");
    b.close().await;

    // The audit log: the revocation by Ilze's laptop, and the chain intact; filtered by
    // action it holds just that.
    a.click("[data-testid=admin-tab-audit]").await;
    let verdict = a.text("[data-testid=admin-audit-verdict]").await;
    assert!(verdict.starts_with("Ierakstu ķēde ir vesela"), "{verdict}");
    a.wait_for("[data-testid=admin-audit-entry][data-action=device-revoke]").await;
    a.select("[data-testid=admin-audit-filter-action]", "device-revoke").await;
    a.click("[data-testid=admin-audit-apply]").await;
    let only_revocations = "return [...document.querySelectorAll('[data-testid=admin-audit-entry]')]
        .every((r) => r.dataset.action === 'device-revoke')";
    for _ in 0..100 {
        if a.eval(only_revocations).await == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(a.eval(only_revocations).await, true);
    assert_eq!(count(&a, "[data-testid=admin-audit-entry]").await, 1);
    let entry = a.text("[data-testid=admin-audit-entry]").await;
    assert!(entry.contains("Ilze Kalniņa") && entry.contains("Dators atsaukts"), "{entry}");
    a.screenshot("admin-audit-lv").await;
    // Saved as CSV: the entries shown, with both times' columns and the hash.
    a.click("[data-testid=admin-audit-save] [data-testid=export-csv]").await;
    let saved = "return document.querySelector('[data-testid=admin-audit-save] [data-testid=export-saved]')?.dataset.path ?? null";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let path = loop {
        if let Some(path) = a.eval(saved).await.as_str() {
            break std::path::PathBuf::from(path);
        }
        assert!(std::time::Instant::now() < deadline, "the audit log was not saved");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows[0][1..3], ["Saņemts serverī", "Laiks datorā"], "{rows:?}");
    assert_eq!(rows.len(), 2, "the header and the one entry shown: {rows:?}");
    // Ilze's laptop (named after the computer) revoked Sandra's.
    assert_eq!((rows[1][3].as_str(), rows[1][5].as_str()), ("Ilze Kalniņa", "Dators atsaukts"), "{rows:?}");
    assert!(!rows[1][4].is_empty(), "the laptop is named: {rows:?}");
    assert_eq!(rows[1][7].len(), 64, "the entry's hash");

    // Sandra's offline record, as the audit keeps it: made on her laptop before it
    // reached the office, both times shown, named as Ilze's laptop (synced) holds it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while invoke(&a, "get_record", json!({ "id": institution })).await.is_null() {
        assert!(std::time::Instant::now() < deadline, "Ilze's laptop never pulled the institution");
        let _ = invoke(&a, "sync_now", json!({})).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    a.select("[data-testid=admin-audit-filter-action]", "record-create").await;
    a.click("[data-testid=admin-audit-apply]").await;
    let created = "[data-testid=admin-audit-entry][data-action=record-create]";
    a.wait_for(created).await;
    assert_eq!(count(&a, "[data-testid=admin-audit-entry]:not([data-action=record-create])").await, 0);
    let entry = a.text(created).await;
    assert!(entry.contains("Sandra Liepa") && entry.contains("Ieraksts izveidots"), "{entry}");
    assert!(entry.contains("record: Līvānu novada sociālais dienests"), "names the record: {entry}");
    let times = a
        .eval(&format!(
            "const r = document.querySelector({created:?}); return [Number(r.dataset.deviceTime), Number(r.dataset.at)]"
        ))
        .await;
    let (made, arrived) = (times[0].as_u64().unwrap(), times[1].as_u64().unwrap());
    assert!(made > 0 && made + 1000 < arrived, "made {made}, arrived {arrived}");
    assert!(!a.text(&format!("{created} [data-testid=admin-audit-device-time]")).await.is_empty());
    a.screenshot("admin-audit-record-lv").await;
    // Saving the audit as CSV was itself audited, by Ilze's laptop at its own time, once
    // a round sent it.
    a.select("[data-testid=admin-audit-filter-action]", "export").await;
    let exported = "[data-testid=admin-audit-entry][data-action=export]";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while count(&a, exported).await == 0 {
        assert!(std::time::Instant::now() < deadline, "the export never reached the audit");
        let _ = invoke(&a, "sync_now", json!({})).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        a.click("[data-testid=admin-audit-apply]").await;
    }
    let export = a.text(exported).await;
    assert!(export.contains("Ilze Kalniņa") && export.contains("Eksports"), "{export}");
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    assert!(export.contains(&format!("file: {file}")) && export.contains("format: csv"), "{export}");
    assert!(!a.text(&format!("{exported} [data-testid=admin-audit-device-time]")).await.is_empty());
    a.screenshot("admin-audit-export-lv").await;
    // On Ilze's laptop the institution's History shows when Sandra made it and when it
    // reached the office.
    let _ = invoke(&a, "sync_now", json!({})).await;
    a.click("[data-testid=nav-organisations]").await;
    a.wait_for("[data-testid=list-row]").await;
    a.click("[data-testid=list-row]").await;
    a.wait_for("[data-testid=page-organisation]").await;
    // Pulled whole, it has no history of its own here: the office's trail says who made
    // it, when on her laptop and when it arrived.
    let made = a.wait_for_text_containing("[data-testid=history] li", "Ieraksts izveidots").await;
    assert!(made.contains("Sandra Liepa") && made.contains("birojā "), "{made}");
    a.wait_for("[data-testid=history-times]").await;
    a.scroll_to("[data-testid=history]").await;
    a.screenshot("record-history-arrived-lv").await;
    a.click("[data-testid=nav-admin]").await;
    a.click("[data-testid=admin-tab-audit]").await;

    // The server tab.
    a.click("[data-testid=admin-tab-server]").await;
    let devices = a.text("[data-testid=admin-server-devices]").await;
    assert!(devices.starts_with("Aktīvi: 1"), "{devices}");
    a.screenshot("admin-server-lv").await;

    // The office makes Ilze a coordinator: after her next round the desk only reads.
    server.admin(&["user", "set-role", "ilze@example.lv", "coordinator"], None);
    let _ = invoke(&a, "sync_now", json!({})).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while invoke(&a, "sync_status", json!({})).await["account"]["role"] != "coordinator" {
        assert!(std::time::Instant::now() < deadline, "the new role never arrived");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    a.click("[data-testid=nav-home]").await;
    a.click("[data-testid=nav-admin]").await;
    a.wait_for("[data-testid=admin-user]").await;
    // The window learns the role with the status it polls.
    a.wait_gone("[data-testid=admin-add-user]").await;
    assert_eq!(count(&a, "[data-testid=admin-user-toggle]").await, 0);
    a.screenshot("admin-coordinator-lv").await;

    // The section in Russian and English, each tab.
    for lang in ["ru", "en"] {
        open_admin_in(&a, lang).await;
        for tab in ["users", "devices", "audit", "server"] {
            a.click(&format!("[data-testid=admin-tab-{tab}]")).await;
            let shown = match tab {
                "users" => "[data-testid=admin-user]",
                "devices" => "[data-testid=admin-device]",
                "audit" => "[data-testid=admin-audit-verdict]",
                _ => "[data-testid=admin-server]",
            };
            a.wait_for(shown).await;
            a.screenshot(&format!("admin-{tab}-{lang}")).await;
        }
    }
    a.close().await;
}

/// Office-wide settings: the administrator sets them in the app (a value out of range is
/// refused naming its field); the consultant's laptop gets them at its next round, shows
/// the office's hotline and address on Home and its policies in Sync and Settings, locks
/// after the office's idle time although its own choice is longer, and, days without
/// contact later (libfaketime moves its wall clock), destroys its data when opened.
#[tokio::test(flavor = "multi_thread")]
async fn office_wide_settings_reach_a_laptop_and_its_policies_are_enforced() {
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let server = SyncServer::start(server_dir.path(), free_port(), &h.artifacts.join("office.server.log"));
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    for (email, name, role) in
        [("ilze@example.lv", "Ilze Kalniņa", "admin"), ("sandra@example.lv", "Sandra Liepa", "consultant")]
    {
        server.admin(&["user", "add", "--org", &org, "--email", email, "--name", name, "--role", role], Some(PASSWORD));
    }
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());

    // Ilze sets the settings; a number out of range is refused, its field marked.
    let a = launch(&h, "office-a", data_a.path()).await;
    connect(&a, &server.url, "ilze@example.lv").await;
    a.click("[data-testid=nav-admin]").await;
    a.click("[data-testid=admin-tab-office]").await;
    a.wait_for("[data-testid=admin-office]").await;
    a.type_into("[data-testid=admin-office-hotline]", "+371 8000 2012").await;
    a.type_into("[data-testid=admin-office-address]", "Rīga, Skolas iela 1").await;
    a.type_into("[data-testid=admin-office-idle]", "1").await;
    a.type_into("[data-testid=admin-office-wipe]", "400").await;
    a.click("[data-testid=admin-office-save]").await;
    let refused = a.text("[data-testid=admin-error]").await;
    assert!(refused.starts_with("Pārbaudiet iezīmēto lauku"), "{refused}");
    a.wait_for("[data-testid=admin-office-wipe][aria-invalid=true]").await;
    a.type_into("[data-testid=admin-office-wipe]", "3").await;
    a.click("[data-testid=admin-office-save]").await;
    a.wait_for_text_containing("[data-testid=admin-office-status]", "Saglabāts").await;
    a.wait_gone("[data-testid=admin-error]").await;
    a.screenshot("admin-office-lv").await;
    let audit = server.admin(&["audit", "read", "--org", &org], None);
    assert_eq!(audit.lines().filter(|l| l.contains("office-settings")).count(), 1, "the refused one wrote nothing");
    for lang in ["ru", "en"] {
        open_admin_in(&a, lang).await;
        a.click("[data-testid=admin-tab-office]").await;
        a.wait_for("[data-testid=admin-office-wipe]").await;
        assert_eq!(a.value("[data-testid=admin-office-wipe]").await, "3");
        a.screenshot(&format!("admin-office-{lang}")).await;
    }
    a.close().await;

    // Sandra's laptop gets them with its first round.
    let b = launch(&h, "office-b", data_b.path()).await;
    connect(&b, &server.url, "sandra@example.lv").await;
    b.click("[data-testid=nav-home]").await;
    assert_eq!(b.wait_for_text("[data-testid=home-hotline]", "+371 8000 2012").await, "+371 8000 2012");
    assert_eq!(b.text("[data-testid=home-address]").await, "Rīga, Skolas iela 1");
    b.screenshot("home-office-lv").await;
    b.click("[data-testid=nav-sync]").await;
    let policy = b.text("[data-testid=wipe-policy-office]").await;
    assert!(policy.contains("pēc 3 dienām bez sakariem"), "{policy}");
    b.scroll_to("[data-testid=wipe-policy-office]").await;
    b.screenshot("sync-office-policy-lv").await;
    b.click("[data-testid=nav-settings]").await;
    let lock = b.text("[data-testid=auto-lock-office]").await;
    assert!(lock.contains("aizslēgsies pēc 1 min"), "the own 15 minutes give way to the office's 1: {lock}");
    b.scroll_to("[data-testid=auto-lock-office]").await;
    b.screenshot("settings-office-lock-lv").await;

    // Left alone, it locks after the office's minute (checked every 15 s), not its own
    // fifteen.
    let left_alone = std::time::Instant::now();
    b.wait_for_long("[data-testid=screen-unlock]", std::time::Duration::from_secs(120)).await;
    let after = left_alone.elapsed();
    assert!(after >= std::time::Duration::from_secs(55), "locked too soon: {after:?}");
    b.close().await;

    // Four days later, with no contact, opening the laptop destroys its data.
    let b = saite_e2e::launch_with(
        &h.with_clock_moved("+4d"),
        "office-b-later",
        &saite_e2e::data_dir_args(data_b.path()),
        &[("SAITE_PASSPHRASE", saite_e2e::E2E_PASSPHRASE)],
        "[data-testid=screen-first-run]",
    )
    .await;
    let notice = b.text("[data-testid=notice]").await;
    assert!(notice.starts_with("Šis dators pārāk ilgi nav sazinājies"), "{notice}");
    b.screenshot("office-wiped-lv").await;
    saite_e2e::assert_store_destroyed(data_b.path());
    b.close().await;
}
