//! Reminders of follow-ups: those due today or overdue raise one desktop notification a
//! day, seen on the session bus, and a count beside Seminars in the sidebar.

use saite_e2e::{AppSession, E2E_PASSPHRASE, Harness, data_dir_args, launch_with, session_bus::SessionBus};
use serde_json::json;

/// The day `days` from today on the app's own calendar (the web view's local date, as
/// the app counts "today").
async fn days_from_today(app: &AppSession, days: i64) -> String {
    let script = format!(
        "const d = new Date(); d.setDate(d.getDate() + {days}); \
         const pad = (n) => String(n).padStart(2, '0'); \
         return `${{d.getFullYear()}}-${{pad(d.getMonth() + 1)}}-${{pad(d.getDate())}}`;"
    );
    app.eval(&script).await.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn due_follow_ups_raise_one_notification_a_day_and_a_count_in_the_sidebar() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let bus = SessionBus::start(&h.artifacts, "reminders");
    let env = [("SAITE_PASSPHRASE", E2E_PASSPHRASE), ("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str())];
    let app = launch_with(&h, "reminders", &data_dir_args(data.path()), &env, "[data-testid=app-ready]").await;
    assert!(bus.notifications().is_empty(), "nothing due, nothing raised");
    let org = app.create_record("organisation", json!({"name": "Cēsu novada bāriņtiesa", "kind": "other"})).await;
    let org = org.as_str().unwrap().to_owned();
    for (title, days, done) in [
        ("Nosūtīt semināra materiālus", -3, false),
        ("Piezvanīt bāriņtiesas priekšsēdētājai", 0, false),
        ("Vēl ne", 2, false),
        ("Jau izdarīts", -1, true),
    ] {
        let due = days_from_today(&app, days).await;
        app.create_record(
            "follow-up",
            json!({"title": title, "organisation": org, "owner": "Sandra", "dueOn": due, "done": done}),
        )
        .await;
    }
    // The next screen change counts them, and raises the day's notification once.
    app.click("[data-testid=nav-home]").await;
    let raised = bus.wait_for_notification("Saite: 2 turpmākās darbības šodien vai nokavētas").await;
    assert!(raised.contains("Atveriet Saiti, lai tās redzētu"), "{raised}");
    assert!(!raised.contains("Nosūtīt") && !raised.contains("bāriņtiesas"), "says how many, not what: {raised}");
    assert_eq!(app.wait_for_text("[data-testid=nav-follow-ups-due]", "2").await, "2");
    app.screenshot("sidebar-follow-ups-due-lv").await;
    for lang in ["ru", "en"] {
        app.choose_language(lang).await;
        app.screenshot(&format!("sidebar-follow-ups-due-{lang}")).await;
    }
    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=nav-home]").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(bus.notifications().len(), 1, "one a day");

    // Done: the count follows.
    let open = app
        .eval(
            "return window.__TAURI_INTERNALS__.invoke('list_records', { query: { collection: 'follow-up', \
             filters: [{ kind: 'flag', field: 'done', value: false }], sort: 'dueOn', descending: false, offset: 0, \
             limit: 1, withTotal: false } })",
        )
        .await;
    let first = open["items"][0]["id"].clone();
    app.eval(&format!(
        "return window.__TAURI_INTERNALS__.invoke('update_record', {{ id: {first}, patch: {{ done: true }} }})"
    ))
    .await;
    app.click("[data-testid=nav-seminars]").await;
    assert_eq!(app.wait_for_text("[data-testid=nav-follow-ups-due]", "1").await, "1");
    app.close().await;

    // Started again the same day: the count, but no second notification.
    let app = launch_with(&h, "reminders-again", &data_dir_args(data.path()), &env, "[data-testid=app-ready]").await;
    assert_eq!(app.wait_for_text("[data-testid=nav-follow-ups-due]", "1").await, "1");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(bus.notifications().len(), 1, "a restart the same day raises none");
    app.close().await;
}
