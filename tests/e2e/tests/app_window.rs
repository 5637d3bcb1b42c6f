//! The real app window: opens in Latvian, switches language, remembers it, keeps data
//! folders apart, and holds to its security baseline.

use std::{
    io::Read,
    net::TcpListener,
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use saite_e2e::{AppSession, Harness, launch, x_window_names};

const NAV: [&str; 8] = ["home", "seminars", "organisations", "materials", "campaigns", "reports", "sync", "settings"];

/// The navigation labels expected in each language, in NAV order.
fn nav_labels(lang: &str) -> [&'static str; 8] {
    match lang {
        "lv" => [
            "Sākums",
            "Semināri",
            "Organizācijas un kontakti",
            "Materiāli",
            "Kampaņas",
            "Pārskati",
            "Sinhronizācija",
            "Iestatījumi",
        ],
        "ru" => [
            "Главная",
            "Семинары",
            "Организации и контакты",
            "Материалы",
            "Кампании",
            "Отчёты",
            "Синхронизация",
            "Настройки",
        ],
        "en" => {
            ["Home", "Seminars", "Organisations and contacts", "Materials", "Campaigns", "Reports", "Sync", "Settings"]
        }
        _ => unreachable!(),
    }
}

async fn assert_navigation_in(app: &AppSession, lang: &str) {
    for (id, label) in NAV.iter().zip(nav_labels(lang)) {
        let text = app.wait_for_text(&format!("[data-testid=nav-{id}]"), label).await;
        assert_eq!(text, label, "[{}] nav-{id} in {lang}", app.name);
    }
    let html_lang = app.eval("return document.documentElement.lang").await;
    assert_eq!(html_lang, lang, "<html lang> follows the language");
}

async fn choose_language(app: &AppSession, lang: &str) {
    app.click("[data-testid=nav-settings]").await;
    app.click(&format!("[data-testid=language-{lang}]")).await;
    let saved = match lang {
        "lv" => "Valoda saglabāta.",
        "ru" => "Язык сохранён.",
        _ => "Language saved.",
    };
    assert_eq!(app.wait_for_text("[data-testid=language-status]", saved).await, saved);
}

#[tokio::test(flavor = "multi_thread")]
async fn opens_in_latvian_on_the_home_screen_with_every_section() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "opens-in-latvian", data.path()).await;

    assert_eq!(app.text("#home-heading").await, "Labdien!");
    assert_navigation_in(&app, "lv").await;
    assert_eq!(app.client.title().await.unwrap(), "Saite");
    assert!(
        x_window_names().iter().any(|n| n == "Saite"),
        "a native window titled Saite exists: {:?}",
        x_window_names()
    );
    for card in &NAV[1..] {
        app.wait_for(&format!("[data-testid=home-card-{card}]")).await;
    }
    app.screenshot("home-lv").await;

    // A section opens from its card; Reports on an empty store says there is nothing
    // to count yet, in Latvian.
    app.click("[data-testid=home-card-seminars]").await;
    assert_eq!(app.text("#section-heading").await, "Semināri");
    app.wait_for("[data-testid=list-seminar]").await;
    app.click("[data-testid=nav-home]").await;
    app.click("[data-testid=home-card-reports]").await;
    assert_eq!(app.text("#section-heading").await, "Pārskati");
    assert_eq!(
        app.text("[data-testid=report-empty]").await,
        "Vēl nav neviena pasākuma, ko saskaitīt. Pārskati rodas no ierakstītajiem semināriem un citiem pasākumiem."
    );
    app.screenshot("reports-lv").await;

    // Settings shows the data folder chosen with --data-dir.
    app.click("[data-testid=nav-settings]").await;
    let shown = app.text("[data-testid=data-dir]").await;
    assert_eq!(shown, data.path().display().to_string());
    assert_eq!(app.text("[data-testid=app-version]").await, env!("CARGO_PKG_VERSION"));
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_language_changes_the_text_and_survives_a_restart() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "language-switch", data.path()).await;

    choose_language(&app, "ru").await;
    assert_navigation_in(&app, "ru").await;
    assert_eq!(app.text("#settings-heading").await, "Настройки");
    app.screenshot("settings-ru").await;
    app.click("[data-testid=nav-home]").await;
    assert_eq!(app.text("#home-heading").await, "Здравствуйте!");
    app.screenshot("home-ru").await;
    app.click("[data-testid=nav-reports]").await;
    assert_eq!(
        app.text("[data-testid=report-empty]").await,
        "Пока нет ни одного мероприятия для подсчёта. Отчёты строятся из записанных семинаров и других мероприятий."
    );
    app.screenshot("reports-ru").await;

    choose_language(&app, "en").await;
    assert_navigation_in(&app, "en").await;
    app.screenshot("settings-en").await;
    app.click("[data-testid=nav-home]").await;
    assert_eq!(app.text("#home-heading").await, "Hello!");
    app.screenshot("home-en").await;
    app.close().await;

    let on_disk = std::fs::read_to_string(data.path().join("preferences.json")).unwrap();
    assert!(on_disk.contains(r#""language": "en""#), "{on_disk}");

    let again = launch(&h, "language-after-restart", data.path()).await;
    assert_navigation_in(&again, "en").await;
    assert_eq!(again.text("#home-heading").await, "Hello!");
    assert!(again.eval("return document.querySelector('[data-testid=notice]') === null").await.as_bool().unwrap());
    choose_language(&again, "lv").await;
    assert_navigation_in(&again, "lv").await;
    again.screenshot("settings-lv").await;
    again.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_with_different_data_folders_run_side_by_side() {
    let h = Harness::from_env();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = launch(&h, "laptop-a", dir_a.path()).await;
    let b = launch(&h, "laptop-b", dir_b.path()).await;

    choose_language(&a, "ru").await;
    assert_navigation_in(&a, "ru").await;
    // B has its own preferences and its own web storage: it stays Latvian.
    b.click("[data-testid=nav-home]").await;
    assert_navigation_in(&b, "lv").await;
    assert_eq!(b.text("#home-heading").await, "Labdien!");
    b.click("[data-testid=nav-settings]").await;
    assert_eq!(b.text("[data-testid=data-dir]").await, dir_b.path().display().to_string());

    // A third start on A's folder is refused with a message in A's language.
    let refused = Command::new(&h.app).arg("--data-dir").arg(dir_a.path()).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("уже использует другое окно Saite"), "{stderr}");

    a.close().await;
    b.close().await;
    assert!(dir_a.path().join("webview").is_dir() && dir_b.path().join("webview").is_dir());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_runs_no_inline_script_loads_nothing_remote_and_gets_no_core_permissions() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "security-baseline", data.path()).await;

    // Inline script is refused by the Content-Security-Policy.
    let ran = app
        .eval(
            "const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;'; \
             document.body.appendChild(s); return window.__inlineRan === true;",
        )
        .await;
    assert_eq!(ran, false, "an inline <script> ran");

    // No request leaves for another origin, even to this machine.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let watcher = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(3);
        while std::time::Instant::now() < deadline {
            if let Ok((mut s, _)) = listener.accept() {
                counter.fetch_add(1, Ordering::SeqCst);
                let _ = s.read(&mut [0u8; 512]);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    app.eval(&format!(
        "const i = document.createElement('img'); i.src = 'http://127.0.0.1:{port}/x.png'; document.body.appendChild(i); \
         fetch('http://127.0.0.1:{port}/data').catch(() => {{}}); \
         const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = 'http://127.0.0.1:{port}/s.css'; document.head.appendChild(l); \
         return true;"
    ))
    .await;
    watcher.join().unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the page reached another origin");

    // Only Saite's own commands are granted: a core window command is refused.
    let outcome = app
        .eval(
            "return window.__TAURI_INTERNALS__.invoke('plugin:window|set_title', { label: 'main', value: 'pwned' })\
               .then(() => 'allowed', (e) => 'refused: ' + e);",
        )
        .await;
    let outcome = outcome.as_str().unwrap_or_default().to_owned();
    assert!(outcome.starts_with("refused"), "{outcome}");
    let granted = app.eval("return window.__TAURI_INTERNALS__.invoke('app_info').then((i) => i.version)").await;
    assert_eq!(granted, env!("CARGO_PKG_VERSION"));
    assert!(x_window_names().iter().any(|n| n == "Saite"), "the title is unchanged");
    app.close().await;
}

#[test]
fn version_flag_prints_and_exits_without_a_window() {
    let h = Harness::from_env();
    let out =
        Command::new(&h.app).arg("--version").env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("saite {}", env!("CARGO_PKG_VERSION")));
}
