//! Sync between two laptops (two app windows, two data folders) through the real
//! `saite-server` binary: a seminar recorded before connecting reaches the other laptop;
//! both laptops edit different fields of one organisation while the server is down and
//! both edits survive; both change one line of a seminar's notes, the laptop that
//! syncs second shows both versions and the combined text reaches everyone; a file
//! attached on one laptop is fetched on the other when opened; the honest status says what is wrong and what happens next; a
//! device revoked at the office is wiped and the app returns to first run.

use saite_e2e::{
    AppSession, E2E_PASSPHRASE, Harness, data_dir_args, free_port, launch, launch_with, server::SyncServer,
};
use serde_json::{Value, json};

const PASSWORD: &str = "Drošā parole 2026";
const VERIFIED: &str = "Pārbaudīts: sinhronizēts";
/// What the Sync screen and the indicator say while one text conflict waits.
const CONFLICT_WAITING: &str = "1 teksts gaida jūsu izvēli";

async fn invoke(app: &AppSession, command: &str, args: Value) -> Value {
    // A refusal comes back as {"refused": <CommandError>} rather than a script error.
    app.eval(&format!("return window.__TAURI_INTERNALS__.invoke({command:?}, {args}).catch((e) => ({{ refused: e }}))"))
        .await
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

async fn document(app: &AppSession, id: &Value) -> Value {
    invoke(app, "get_record", json!({ "id": id })).await["document"].clone()
}

/// Asks for a round ("Sync now", as the button does) and waits until one that began
/// after the request has finished verified, then checks the Sync screen says so.
async fn sync_until_verified(app: &AppSession) {
    sync_until_verified_showing(app, &[VERIFIED]).await;
}

/// [`sync_until_verified`] where the screen may instead show a text conflict waiting
/// (it takes precedence over "verified" by design): while both laptops sync after
/// editing the same line, which of them gets the conflict depends on which round
/// reaches the restarted server first (each laptop's own loop retries too).
async fn sync_until_verified_or_conflict(app: &AppSession) {
    sync_until_verified_showing(app, &[VERIFIED, CONFLICT_WAITING]).await;
}

async fn sync_until_verified_showing(app: &AppSession, texts: &[&str]) {
    app.click("[data-testid=nav-sync]").await;
    let status = || invoke(app, "sync_status", json!({}));
    let before = status().await["lastSuccessMs"].as_u64().unwrap_or(0);
    let _ = invoke(app, "sync_now", json!({})).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let s = status().await;
        let done = s["lastSuccessMs"].as_u64().unwrap_or(0) > before && s["phase"] == "idle";
        if done && s["verification"] == "verified" && s["pending"] == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "[{}] never verified: {s}", app.name);
        if s["phase"] == "failed" {
            let _ = invoke(app, "sync_now", json!({})).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let shown = app.text("[data-testid=sync-state-text]").await;
        if texts.contains(&shown.as_str()) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "[{}] the Sync screen shows {shown:?}, not one of {texts:?}",
            app.name
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_laptops_sync_through_the_real_server_and_a_revoked_laptop_is_wiped() {
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = h.artifacts.join("sync.server.log");
    let server = SyncServer::start(server_dir.path(), port, &log);
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    for (email, name) in [("sandra@example.lv", "Sandra"), ("ilze@example.lv", "Ilze")] {
        server.admin(&["user", "add", "--org", &org, "--email", email, "--name", name], Some(PASSWORD));
    }

    // Laptop A records a seminar and an organisation before it was ever connected.
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = launch(&h, "sync-a", data_a.path()).await;
    let title = "Informatīvs seminārs jauniešiem Rēzeknē";
    let seminar = a
        .create_record(
            "seminar",
            json!({"title": title, "kind": "seminar", "date": "2014-03-01", "municipality": "rezeknes-novads"}),
        )
        .await;
    let organisation = a
        .create_record(
            "organisation",
            json!({"name": "Rēzeknes novada sociālais dienests", "kind": "social-service", "municipality": "rezeknes-novads"}),
        )
        .await;
    assert_eq!(a.text("[data-testid=sync-indicator-state]").await, "Tikai šajā datorā");
    // Home tells the truth about the connection: none yet.
    a.click("[data-testid=nav-home]").await;
    let home = "Dati glabājas šajā datorā. Savienojums ar biroja serveri vēl nav iestatīts.";
    assert_eq!(a.wait_for_text("[data-testid=home-sync-state]", home).await, home);
    let reports = a.text("[data-testid=home-card-reports]").await;
    assert!(reports.contains("Skaitļi finansētājiem"), "says what it holds: {reports}");
    a.screenshot("home-local-only-lv").await;
    a.click("[data-testid=nav-sync]").await;
    a.wait_for("[data-testid=sync-local-only]").await;
    a.screenshot("sync-local-only-lv").await;

    a.connect(&server.url, "sandra@example.lv", PASSWORD).await;
    assert_eq!(a.wait_for_text("[data-testid=sync-state-text]", VERIFIED).await, VERIFIED);
    assert_eq!(a.text("[data-testid=sync-pending]").await, "Visas izmaiņas ir nosūtītas.");
    assert_eq!(a.text("[data-testid=sync-organisation]").await, "Biedrība Patvērums");
    assert_eq!(a.wait_for_text("[data-testid=sync-indicator-state]", VERIFIED).await, VERIFIED);
    a.screenshot("sync-verified-lv").await;
    // Home says the same as the indicator, and when it last synced.
    a.click("[data-testid=nav-home]").await;
    assert_eq!(a.wait_for_text("[data-testid=home-sync-state]", VERIFIED).await, VERIFIED);
    assert!(a.text("[data-testid=home-sync-when]").await.starts_with("(pēdējoreiz "));
    assert!(!a.text("[data-testid=home-sync]").await.contains("nav iestatīts"), "no longer 'not set up'");
    a.screenshot("home-verified-lv").await;

    // Laptop B: a wrong password is refused in plain words; the right one brings A's work.
    let b = launch(&h, "sync-b", data_b.path()).await;
    b.connect(&server.url, "ilze@example.lv", "nepareiza parole").await;
    let refused =
        b.wait_for_text("[data-testid=connect-problem]", "Nepareizs e-pasts vai parole, vai konts ir atslēgts.").await;
    assert_eq!(refused, "Nepareizs e-pasts vai parole, vai konts ir atslēgts.");
    b.type_into("[data-testid=connect-password]", PASSWORD).await;
    b.click("[data-testid=connect-submit]").await;
    assert_eq!(b.wait_for_text("[data-testid=sync-state-text]", VERIFIED).await, VERIFIED);
    assert_eq!(document(&b, &seminar).await["title"], title);
    b.click("[data-testid=nav-seminars]").await;
    b.wait_for("[data-testid=list-row]").await;
    let row = b.eval("return document.querySelector('[data-testid=list-row]').textContent").await;
    b.screenshot("sync-b-received-lv").await;
    assert!(row.as_str().unwrap().contains(title), "{row}");

    // The server goes down; both laptops go on working, on different fields of one
    // organisation. A is told plainly, with the next step.
    server.kill();
    let patched =
        invoke(&a, "update_record", json!({"id": organisation, "patch": {"phones": ["+371 64600000"]}})).await;
    assert_eq!(patched, true);
    a.click("[data-testid=nav-sync]").await;
    let _ = invoke(&a, "sync_now", json!({})).await;
    let unreachable = "Biroja serveris neatbild. Saite mēģinās vēlreiz pati; ja tas ilgst, pārbaudiet servera adresi vai zvaniet uz biroju.";
    assert_eq!(a.wait_for_text("[data-testid=sync-failure]", unreachable).await, unreachable);
    let next = a.text("[data-testid=sync-next-step]").await;
    // In words, or "now" when the first short back-off has already run out.
    assert!(
        next.starts_with("Saite mēģinās vēlreiz pēc ") || next == "Saite mēģina vēlreiz tagad.",
        "how soon, in words: {next}"
    );
    assert!(!next.contains(".20"), "not a date and time: {next}");
    assert_eq!(a.text("[data-testid=sync-indicator-state]").await, "Serveris neatbild");
    assert_eq!(a.text("[data-testid=sync-pending]").await, "1 ieraksts gaida nosūtīšanu");
    a.screenshot("sync-server-unreachable-lv").await;
    // Home too: the failure in the indicator's words, marked as a problem.
    a.click("[data-testid=nav-home]").await;
    assert_eq!(a.wait_for_text("[data-testid=home-sync-state]", "Serveris neatbild").await, "Serveris neatbild");
    assert_eq!(a.eval("return document.querySelector('[data-testid=home-sync]').dataset.tone").await, "problem");
    a.screenshot("home-failing-lv").await;
    let patched =
        invoke(&b, "update_record", json!({"id": organisation, "patch": {"website": "https://rezeknesnovads.lv"}}))
            .await;
    assert_eq!(patched, true);

    // Back on the same address: both sync (A twice, to receive B's edit), both edits kept.
    let server = SyncServer::start(server_dir.path(), port, &log);
    sync_until_verified_or_conflict(&a).await;
    sync_until_verified_or_conflict(&b).await;
    sync_until_verified_or_conflict(&a).await;
    let (on_a, on_b) = (document(&a, &organisation).await, document(&b, &organisation).await);
    assert_eq!(on_a, on_b);
    assert_eq!(on_a["phones"], json!(["+37164600000"]));
    assert_eq!(on_a["website"], "https://rezeknesnovads.lv");

    // Both laptops change the same line of the seminar's notes while the server is down:
    // whichever syncs second is shown both versions, combines them, and all agree.
    let notes = "Dalībnieki: 12 jaunieši.\nTēma: droši darba piedāvājumi ārzemēs.";
    let _ = invoke(&a, "update_record", json!({"id": seminar, "patch": {"notes": notes}})).await;
    sync_until_verified(&a).await;
    sync_until_verified(&b).await;
    server.kill();
    let (from_a, from_b) = (notes.replace("12", "13"), notes.replace("12", "14"));
    let _ = invoke(&a, "update_record", json!({"id": seminar, "patch": {"notes": from_a}})).await;
    let _ = invoke(&b, "update_record", json!({"id": seminar, "patch": {"notes": from_b}})).await;
    let server = SyncServer::start(server_dir.path(), port, &log);
    sync_until_verified_or_conflict(&a).await;
    sync_until_verified_or_conflict(&b).await;
    sync_until_verified_or_conflict(&a).await;
    let conflicts_a = invoke(&a, "text_conflicts", json!({})).await.as_array().unwrap().len();
    let conflicts_b = invoke(&b, "text_conflicts", json!({})).await.as_array().unwrap().len();
    assert_eq!(conflicts_a + conflicts_b, 1, "exactly one laptop holds the other's version");
    let (second, first, (mine, theirs)) =
        if conflicts_a == 1 { (&a, &b, (&from_a, &from_b)) } else { (&b, &a, (&from_b, &from_a)) };
    assert_eq!(document(first, &seminar).await["notes"], mine.as_str(), "meanwhile every laptop shows one version");
    assert_eq!(second.wait_for_text("[data-testid=sync-indicator-state]", CONFLICT_WAITING).await, CONFLICT_WAITING);
    second.click("[data-testid=nav-sync]").await;
    assert_eq!(second.text("[data-testid=conflict-mine]").await, mine.as_str());
    assert_eq!(second.text("[data-testid=conflict-theirs]").await, theirs.as_str());
    second.screenshot("sync-conflict-lv").await;
    let combined = notes.replace("12 jaunieši", "13 jaunieši (14 pēc otra saraksta)");
    second.type_into("[data-testid=conflict-combined]", &combined).await;
    second.click("[data-testid=conflict-save-combined]").await;
    let remaining = "return document.querySelectorAll('[data-testid=text-conflict]').length";
    for _ in 0..100 {
        if second.eval(remaining).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(second.eval(remaining).await, 0);
    sync_until_verified(second).await;
    sync_until_verified(first).await;
    assert_eq!(document(&a, &seminar).await["notes"], combined.as_str());
    assert_eq!(document(&b, &seminar).await["notes"], combined.as_str());

    // A file attached on A travels to B: B fetches it when opened (its policy: only then).
    let files = tempfile::tempdir().unwrap();
    let agenda = files.path().join("Darba kārtība.txt");
    let contents = "1. Ievads\n2. Gadījumu identificēšana\n".repeat(2000);
    std::fs::write(&agenda, &contents).unwrap();
    let _ = invoke(&b, "set_auto_download", json!({"bytes": 0})).await;
    a.click("[data-testid=nav-seminars]").await;
    a.click("[data-testid=list-row]").await;
    a.wait_for("[data-testid=page-seminar]").await;
    a.wait_for("[data-testid=attachment-input]").await.send_keys(&agenda.display().to_string()).await.unwrap();
    a.wait_for_text("[data-testid=attachment] .name", "Darba kārtība.txt").await;
    assert_eq!(a.text("[data-testid=attachment-state]").await, "Šajā datorā; tiks nosūtīts");
    sync_until_verified(&a).await;
    a.click("[data-testid=nav-seminars]").await;
    a.click("[data-testid=list-row]").await;
    assert_eq!(
        a.wait_for_text("[data-testid=attachment-state]", "Šajā datorā un serverī").await,
        "Šajā datorā un serverī"
    );
    sync_until_verified(&b).await;
    b.click("[data-testid=nav-seminars]").await;
    b.click("[data-testid=list-row]").await;
    let on_server = "Serverī; lejupielādēs, atverot";
    assert_eq!(b.wait_for_text("[data-testid=attachment-state]", on_server).await, on_server);
    b.screenshot("sync-attachment-on-server-lv").await;
    // Opening fetches it (the system's file viewer may be missing here; the copy opened
    // is what counts).
    b.click("[data-testid=attachment-open]").await;
    let here = "Šajā datorā un serverī";
    assert_eq!(b.wait_for_text("[data-testid=attachment-state]", here).await, here);
    let opened = walk(&data_b.path().join("open"))
        .into_iter()
        .find(|p| p.ends_with("Darba kārtība.txt"))
        .expect("the opened copy");
    assert_eq!(std::fs::read_to_string(opened).unwrap(), contents);

    // The office reports B lost: its device is revoked; B's next round wipes it.
    let users = server.admin(&["user", "list", "--org", &org], None);
    let ilze = users.lines().find(|l| l.contains("ilze@example.lv")).unwrap().split('\t').next().unwrap().to_owned();
    let devices = server.admin(&["device", "list", "--org", &org], None);
    let device = devices
        .lines()
        .find(|l| l.split('\t').nth(1) == Some(ilze.as_str()))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    server.admin(&["device", "revoke", &device], None);
    let _ = invoke(&b, "sync_now", json!({})).await;
    b.wait_for("[data-testid=screen-first-run]").await;
    let notice = b.text("[data-testid=notice]").await;
    assert!(notice.starts_with("Birojs ziņoja, ka šis dators ir pazaudēts"), "{notice}");
    b.screenshot("sync-wiped-lv").await;
    saite_e2e::assert_store_destroyed(data_b.path());

    // A is untouched and still verified.
    sync_until_verified(&a).await;
    b.close().await;
    a.close().await;
}

/// A laptop whose clock runs three days ahead (libfaketime shifts the app's wall clock,
/// not its monotonic one): the server refuses its stamps, the laptop stamps its work
/// again by the server's time and the round ends verified, and the Sync screen tells the
/// user in plain words how far the clock is off and what to do.
#[tokio::test(flavor = "multi_thread")]
async fn a_laptop_whose_clock_runs_days_ahead_is_told_so_and_its_work_goes_through() {
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = h.artifacts.join("clock.server.log");
    let server = SyncServer::start(server_dir.path(), port, &log);
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    server.admin(&["user", "add", "--org", &org, "--email", "sandra@example.lv", "--name", "Sandra"], Some(PASSWORD));
    let data = tempfile::tempdir().unwrap();
    let app = launch_with(
        &h.with_clock_moved("+3d"),
        "clock-ahead",
        &data_dir_args(data.path()),
        &[("SAITE_PASSPHRASE", E2E_PASSPHRASE)],
        "[data-testid=app-ready]",
    )
    .await;
    let seminar = app
        .create_record(
            "seminar",
            json!({"title": "Apaļais galds Līvānos", "kind": "round-table", "date": "2014-03-01", "municipality": "livanu-novads"}),
        )
        .await;
    app.connect(&server.url, "sandra@example.lv", PASSWORD).await;
    sync_until_verified(&app).await;
    let said = app.wait_for_text_containing("[data-testid=sync-clock]", "steidzas par").await;
    assert!(said.contains("steidzas par 3 dienām"), "the Sync screen says: {said:?}");
    app.screenshot("sync-clock-ahead-lv").await;
    // The seminar is on the server: a colleague's laptop (here, the server's own export)
    // holds it.
    let backup = server_dir.path().join("backup.json");
    server.admin(&["backup", backup.to_str().unwrap()], None);
    let dump = std::fs::read_to_string(&backup).unwrap();
    assert!(dump.contains(seminar.as_str().unwrap()), "the seminar reached the server");
}

/// `n` organisations as `create_records` takes them.
fn organisations(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!(["organisation", {"name": format!("Iestāde {i:05}"), "kind": "ngo", "municipality": "riga"}]))
        .collect()
}

/// Starts sampling, every 50 ms inside the page, what the sync views and the list show;
/// [`stop_sampling`] returns the samples.
async fn start_sampling(app: &AppSession) {
    app.eval(
        "const q = (s) => document.querySelector(s);
         // Spaces collapsed, the no-break spaces inside numbers kept.
         const text = (s) => q(s)?.textContent.replace(/[ \\t\\n\\r]+/g, ' ').trim() ?? null;
         window.__samples = [];
         window.__sampling = setInterval(() => window.__samples.push({
           headline: text('[data-testid=sync-state-text]'),
           indicator: text('[data-testid=sync-indicator-state]'),
           progress: !!q('[data-testid=sync-progress]'),
           indicatorProgress: !!q('[data-testid=sync-indicator-progress]'),
           failure: text('[data-testid=sync-failure]'),
           pending: q('[data-testid=sync-pending]')?.dataset.count ?? null,
           list: !!q('[data-testid=list-organisation]'),
           count: q('[data-testid=list-count]')?.dataset.count ?? null,
           countText: text('[data-testid=list-count]'),
           empty: !!q('[data-testid=list-empty]'),
           arriving: !!q('[data-testid=list-arriving]'),
         }), 50);
         return null;",
    )
    .await;
}

async fn stop_sampling(app: &AppSession) -> Vec<Value> {
    let samples = app.eval("clearInterval(window.__sampling); return window.__samples;").await;
    samples.as_array().unwrap().clone()
}

/// "Nosūtīti 2 000 no 20 000 ierakstiem" → (2000, 20000).
fn counts_in(text: &str) -> Option<(u64, u64)> {
    let numbers: Vec<u64> = text
        .split(|c: char| !c.is_ascii_digit() && c != '\u{a0}')
        .map(|w| w.replace('\u{a0}', ""))
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect();
    match numbers[..] {
        [done, total] => Some((done, total)),
        _ => None,
    }
}

/// A new laptop's first sync brings 20 000 records in pages of 500: the list open
/// meanwhile shows a growing count and never says there are no records, and the
/// indicator says how many have come of how many.
#[tokio::test(flavor = "multi_thread")]
async fn a_first_pull_shows_records_arriving_and_never_says_there_are_none() {
    const N: u64 = 20_000;
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let log = h.artifacts.join("first-pull.server.log");
    let server = SyncServer::start_with(server_dir.path(), free_port(), &log, &["--max-page", "500"]);
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    for (email, name) in [("sandra@example.lv", "Sandra"), ("ilze@example.lv", "Ilze")] {
        server.admin(&["user", "add", "--org", &org, "--email", email, "--name", name], Some(PASSWORD));
    }
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = launch(&h, "first-pull-a", data_a.path()).await;
    for chunk in organisations(N as usize).chunks(2_000) {
        a.create_records(chunk.to_vec()).await;
    }
    a.connect(&server.url, "sandra@example.lv", PASSWORD).await;
    sync_until_verified(&a).await;
    a.close().await;

    let b = launch(&h, "first-pull-b", data_b.path()).await;
    b.fill_connect_form(&server.url, "ilze@example.lv", PASSWORD).await;
    start_sampling(&b).await;
    b.click("[data-testid=connect-submit]").await;
    // Connected (the Sync screen shows the account), the user opens the list.
    b.wait_for("[data-testid=sync-state]").await;
    b.click("[data-testid=nav-organisations]").await;
    b.wait_for("[data-testid=list-organisation]").await;
    // A look at the list while the records arrive.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut shot = false;
    loop {
        let s = invoke(&b, "sync_status", json!({})).await;
        let count =
            b.eval("return Number(document.querySelector('[data-testid=list-count]')?.dataset.count ?? 0)").await;
        if !shot && count.as_u64().is_some_and(|c| c > 0 && c < N) {
            b.screenshot("first-pull-list-lv").await;
            shot = true;
        }
        if s["phase"] == "idle" && s["lastSuccessMs"].is_u64() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the first pull never ended: {s}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    b.wait_for("[data-testid=list-count][data-count='20000']").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let samples = stop_sampling(&b).await;
    let on_list: Vec<&Value> = samples.iter().filter(|s| s["list"] == true).collect();
    assert!(on_list.len() > 10, "the list was sampled: {} samples", on_list.len());
    for s in &on_list {
        assert!(s["empty"] == false, "the list said there are no records during the first pull: {s}");
        assert!(!s["countText"].as_str().unwrap_or("").starts_with("0 "), "{s}");
    }
    let counts: Vec<u64> = on_list.iter().filter_map(|s| s["count"].as_str()?.parse().ok()).collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "the count only grows: {counts:?}");
    assert_eq!(counts.last(), Some(&N), "the list ends with every record");
    let between: std::collections::BTreeSet<u64> = counts.iter().copied().filter(|c| *c > 0 && *c < N).collect();
    assert!(!between.is_empty(), "the list showed records as they landed: {counts:?}");
    let told: Vec<(u64, u64)> = samples
        .iter()
        .filter_map(|s| s["indicator"].as_str().filter(|t| t.starts_with("Saņemt")).and_then(counts_in))
        .collect();
    assert!(!told.is_empty(), "the indicator said how many records came of how many");
    assert!(told.iter().all(|(done, total)| done <= total && *total == N), "{told:?}");
    assert!(shot, "a screenshot was taken mid-pull");
    // The list may hold every record while the round still compares checksums.
    b.wait_for_text("[data-testid=sync-indicator-state]", VERIFIED).await;
}

/// A push of 50 000 records against a server killed mid-way (20 000 were sometimes all
/// sent before the screen, which reads the status once a second, showed the push under
/// way): at every moment sampled,
/// the headline, the progress and the pending count tell one story (no failure beside
/// a running round, sent + still waiting never more than all, in records), and after
/// the kill the failure is said with what still waits.
#[tokio::test(flavor = "multi_thread")]
async fn the_sync_status_never_contradicts_itself_while_a_push_is_cut_off() {
    const N: u64 = 50_000;
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let log = h.artifacts.join("cut-push.server.log");
    let server = SyncServer::start(server_dir.path(), free_port(), &log);
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    server.admin(&["user", "add", "--org", &org, "--email", "sandra@example.lv", "--name", "Sandra"], Some(PASSWORD));
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "cut-push", data.path()).await;
    for chunk in organisations(N as usize).chunks(2_000) {
        app.create_records(chunk.to_vec()).await;
    }
    app.fill_connect_form(&server.url, "sandra@example.lv", PASSWORD).await;
    start_sampling(&app).await;
    app.click("[data-testid=connect-submit]").await;
    // Kill the server once some of the records are confirmed and some are not, and the
    // screen has shown the push under way (it reads the status once a second).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let s = invoke(&app, "sync_status", json!({})).await;
        let p = &s["progress"];
        let shown = app.text("[data-testid=sync-state-text]").await;
        if s["phase"] == "syncing"
            && p["pushed"].as_u64().is_some_and(|n| n > 0 && n < N)
            && shown.starts_with("Nosūtīt")
        {
            break;
        }
        assert!(s["phase"] != "idle" || !s["lastSuccessMs"].is_u64(), "the push ended before the kill: {s}");
        assert!(std::time::Instant::now() < deadline, "the push never began: {s}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.kill();
    let failure = app.wait_for("[data-testid=sync-failure]").await.text().await.unwrap();
    assert!(failure.contains("neatbild"), "{failure}");
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    app.screenshot("push-cut-off-lv").await;
    let samples = stop_sampling(&app).await;

    let mut saw_sending = false;
    for s in &samples {
        let headline = s["headline"].as_str().unwrap_or("");
        if s["failure"].is_string() {
            assert!(!s["progress"].as_bool().unwrap() && !s["indicatorProgress"].as_bool().unwrap(), "{s}");
            assert_eq!(headline, "Serveris neatbild", "{s}");
        }
        if s["progress"] == true {
            assert!(s["failure"].is_null(), "a failure beside a running round: {s}");
            assert!(!headline.contains("neatbild"), "{s}");
        }
        if let Some((sent, all)) = headline.strip_prefix("Nosūtīt").and_then(counts_in) {
            saw_sending = true;
            let pending: u64 = s["pending"].as_str().unwrap().parse().unwrap();
            assert!(sent <= all && all == N, "{s}");
            assert!(all - sent <= pending, "sent {sent} of {all} beside {pending} waiting: {s}");
            assert_eq!(s["indicator"], s["headline"], "the indicator and the screen say the same: {s}");
        }
    }
    assert!(saw_sending, "the push was seen under way: {samples:?}");
    // What waits is what the server never confirmed: some, not all.
    let left: u64 = app
        .eval("return document.querySelector('[data-testid=sync-pending]').dataset.count")
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(left > 0 && left < N, "{left} records wait");
    let said = app.text("[data-testid=sync-pending]").await;
    assert!(said.ends_with("gaida nosūtīšanu") && said.contains("ierakst"), "{said}");
    app.click("[data-testid=nav-home]").await;
    assert_eq!(app.wait_for_text("[data-testid=home-sync-state]", "Serveris neatbild").await, "Serveris neatbild");
    app.screenshot("home-failing-lv").await;

    // The same story in Russian and in English.
    for (lang, headline, waiting) in [
        ("ru", "Сервер не отвечает", "записей ждут отправки"),
        ("en", "Server not answering", "records wait to be sent"),
    ] {
        app.click("[data-testid=nav-settings]").await;
        app.click(&format!("[data-testid=language-{lang}]")).await;
        app.wait_for(&format!("html[lang={lang}]")).await;
        app.click("[data-testid=nav-sync]").await;
        assert_eq!(app.wait_for_text("[data-testid=sync-state-text]", headline).await, headline);
        let said = app.text("[data-testid=sync-pending]").await;
        assert!(said.ends_with(waiting), "{lang}: {said}");
        app.screenshot(&format!("push-cut-off-{lang}")).await;
        app.click("[data-testid=nav-home]").await;
        assert_eq!(app.wait_for_text("[data-testid=home-sync-state]", headline).await, headline);
        app.screenshot(&format!("home-failing-{lang}")).await;
    }
}

/// Backup on a stick: a laptop holding changes the server has not seen is backed up
/// from Settings; the changes reach the office anyway and the laptop edits on; then it
/// is lost (the office revokes it) and the backup is restored from first run on a new
/// laptop, which signs in as a new device and syncs: it ends verified (its checksums
/// equal the server's), holds each record once, keeps the edit made after the backup,
/// and is not wiped by the old laptop's revocation.
#[tokio::test(flavor = "multi_thread")]
async fn a_backup_restored_on_a_new_laptop_syncs_with_nothing_doubled() {
    let h = Harness::from_env();
    let server_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = h.artifacts.join("backup.server.log");
    let server = SyncServer::start(server_dir.path(), port, &log);
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    server.admin(&["user", "add", "--org", &org, "--email", "sandra@example.lv", "--name", "Sandra"], Some(PASSWORD));
    let (stick, data_a, data_b) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let stick_path = stick.path().display().to_string();

    let mut env_a = vec![("SAITE_PASSPHRASE", E2E_PASSPHRASE), ("SAITE_BACKUP_DIR", stick_path.as_str())];
    let a = launch_with(&h, "backup-a", &data_dir_args(data_a.path()), &env_a, "[data-testid=app-ready]").await;
    a.connect(&server.url, "sandra@example.lv", PASSWORD).await;
    assert_eq!(a.wait_for_text("[data-testid=sync-state-text]", VERIFIED).await, VERIFIED);
    let organisation =
        a.create_record("organisation", json!({"name": "Ludzas novada pašvaldība", "kind": "municipality"})).await;
    sync_until_verified(&a).await;

    // The server is away: a seminar and a renamed organisation wait on the laptop.
    server.kill();
    let seminar = a
        .create_record(
            "seminar",
            json!({"title": "Seminārs Ludzā", "kind": "seminar", "date": "2026-12-01", "municipality": "ludzas-novads"}),
        )
        .await;
    let _ = invoke(&a, "update_record", json!({"id": organisation, "patch": {"name": "Ludzas novada dome"}})).await;

    // Settings → Backup: the stick is offered first and chosen.
    a.click("[data-testid=nav-settings]").await;
    a.scroll_to("[data-testid=backup-panel]").await;
    assert_eq!(a.text("[data-testid=backup-last]").await, "Rezerves kopija šajā datorā vēl nav veidota.");
    let checked = a.eval("return document.querySelector('[data-testid=backup-place]').checked").await;
    assert_eq!(checked, true, "the first place is chosen");
    a.type_into("[data-testid=backup-passphrase]", "zibatmiņas parole").await;
    a.type_into("[data-testid=backup-passphrase-confirm]", "zibatmiņas parole").await;
    a.click("[data-testid=backup-submit]").await;
    let said = a.wait_for_text_containing("[data-testid=backup-status]", "nenosūtītās izmaiņas: 2").await;
    assert!(said.starts_with(&format!("Saglabāts: {stick_path}/saite-")), "{said}");
    a.wait_for_text_containing("[data-testid=backup-last]", "Pēdējā rezerves kopija: ").await;
    a.screenshot("settings-backup-lv").await;
    let files: Vec<_> = walk(stick.path());
    assert_eq!(files.len(), 1, "one file on the stick: {files:?}");
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(!bytes.windows(5).any(|w| w == b"Ludza"), "nothing readable in the file");

    // The changes reach the office after all, and the seminar is renamed after the backup.
    let server = SyncServer::start(server_dir.path(), port, &log);
    sync_until_verified(&a).await;
    let _ = invoke(&a, "update_record", json!({"id": seminar, "patch": {"title": "Seminārs Ludzā (precizēts)"}})).await;
    sync_until_verified(&a).await;
    a.close().await;

    // The laptop is lost: the office revokes it.
    let devices = server.admin(&["device", "list", "--org", &org], None);
    let device = devices.lines().next().unwrap().split('\t').next().unwrap().to_owned();
    server.admin(&["device", "revoke", &device], None);

    // A new laptop: first run → Restore from a backup finds the file on the stick.
    env_a.retain(|(k, _)| *k != "SAITE_PASSPHRASE");
    let b = launch_with(&h, "backup-b", &data_dir_args(data_b.path()), &env_a, "[data-testid=screen-first-run]").await;
    b.click("[data-testid=first-run-restore]").await;
    b.wait_for("[data-testid=restore-found]").await;
    assert_eq!(b.value("[data-testid=restore-path]").await, files[0].display().to_string());
    b.screenshot("first-run-restore-lv").await;
    b.type_into("[data-testid=restore-passphrase]", "nepareiza").await;
    b.click("[data-testid=restore-submit]").await;
    assert_eq!(b.wait_for_text("[data-testid=restore-problem]", "Nepareiza parole.").await, "Nepareiza parole.");
    b.type_into("[data-testid=restore-passphrase]", "zibatmiņas parole").await;
    b.click("[data-testid=restore-submit]").await;
    b.wait_for("[data-testid=restored]").await;
    assert_eq!(b.value("[data-testid=connect-server]").await, server.url, "the address came with the backup");
    assert_eq!(b.value("[data-testid=connect-email]").await, "sandra@example.lv");
    b.screenshot("first-run-restored-lv").await;
    b.type_into("[data-testid=connect-password]", PASSWORD).await;
    b.click("[data-testid=connect-submit]").await;
    b.wait_for("[data-testid=app-ready]").await;
    sync_until_verified(&b).await;

    // Each record once; the edit made after the backup kept; two devices at the office.
    let count = |collection: &'static str| {
        let b = &b;
        async move {
            let query = json!({"query": {"collection": collection, "filters": [], "sort": null, "descending": false,
                                "offset": 0, "limit": 50, "withTotal": true}});
            invoke(b, "list_records", query).await["total"].as_u64().unwrap()
        }
    };
    assert_eq!((count("organisation").await, count("seminar").await), (1, 1));
    assert_eq!(document(&b, &seminar).await["title"], "Seminārs Ludzā (precizēts)");
    assert_eq!(document(&b, &organisation).await["name"], "Ludzas novada dome");
    assert_eq!(server.admin(&["device", "list", "--org", &org], None).lines().count(), 2);
    sync_until_verified(&b).await;
    assert!(data_b.path().join("store.key").exists(), "the new laptop is not wiped by the old one's revocation");
    b.close().await;

    // The restore screen in Russian and English (new laptops whose language was chosen).
    for lang in ["ru", "en"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("preferences.json"), format!("{{\"language\":\"{lang}\"}}")).unwrap();
        let name = format!("backup-{lang}");
        let c = launch_with(&h, &name, &data_dir_args(dir.path()), &env_a, "[data-testid=screen-first-run]").await;
        c.click("[data-testid=first-run-restore]").await;
        c.wait_for("[data-testid=restore-found]").await;
        c.screenshot(&format!("first-run-restore-{lang}")).await;
        c.close().await;
    }
}

/// A laptop away from the office: changes made eight days ago are neither synced nor
/// backed up, so Home reminds its user (the limit is 7 days unless the office sets one),
/// in each language; its link leads to the backup, and once the changes are on the stick
/// the reminder is gone.
#[tokio::test(flavor = "multi_thread")]
async fn home_reminds_of_old_unsynced_changes_until_they_are_backed_up() {
    let h = Harness::from_env();
    let (stick, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let stick_path = stick.path().display().to_string();
    let env = [("SAITE_PASSPHRASE", E2E_PASSPHRASE), ("SAITE_BACKUP_DIR", stick_path.as_str())];
    let a = launch_with(&h, "reminder-today", &data_dir_args(data.path()), &env, "[data-testid=app-ready]").await;
    a.create_record("organisation", json!({"name": "Jēkabpils jauniešu centrs", "kind": "youth-centre"})).await;
    a.click("[data-testid=nav-home]").await;
    a.wait_for("[data-testid=home-sync]").await;
    assert_eq!(a.eval("return !!document.querySelector('[data-testid=home-unsynced-reminder]')").await, false);
    a.close().await;

    let later = h.with_clock_moved("+8d");
    let a = launch_with(&later, "reminder-later", &data_dir_args(data.path()), &env, "[data-testid=app-ready]").await;
    a.click("[data-testid=nav-home]").await;
    let lv = a.wait_for_text_containing("[data-testid=home-unsynced-reminder]", "ir tikai šajā datorā").await;
    assert!(lv.starts_with("Izmaiņas kopš "), "{lv}");
    a.screenshot("home-unsynced-reminder-lv").await;
    for (lang, words) in [("ru", "есть только на этом компьютере"), ("en", "exist only on this laptop")]
    {
        a.choose_language(lang).await;
        a.click("[data-testid=nav-home]").await;
        a.wait_for_text_containing("[data-testid=home-unsynced-reminder]", words).await;
        a.screenshot(&format!("home-unsynced-reminder-{lang}")).await;
        a.click("[data-testid=nav-settings]").await;
        a.scroll_to("[data-testid=backup-panel]").await;
        a.screenshot(&format!("settings-backup-{lang}")).await;
    }
    a.choose_language("lv").await;
    a.click("[data-testid=nav-home]").await;
    a.click("[data-testid=home-unsynced-backup]").await;
    a.wait_for("[data-testid=backup-panel]").await;
    a.type_into("[data-testid=backup-passphrase]", "zibatmiņas parole").await;
    a.type_into("[data-testid=backup-passphrase-confirm]", "zibatmiņas parole").await;
    a.click("[data-testid=backup-submit]").await;
    a.wait_for_text_containing("[data-testid=backup-status]", "Saglabāts: ").await;
    a.click("[data-testid=nav-home]").await;
    a.wait_gone("[data-testid=home-unsynced-reminder]").await;
    a.close().await;
}
