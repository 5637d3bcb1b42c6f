//! First run, unlocking and locking in the real window, and what reaches the disk.

use std::path::Path;

use saite_e2e::{Harness, launch_locked};

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn first_run_asks_for_a_passphrase_then_locks_and_unlocks() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch_locked(&h, "first-run", data.path(), "[data-testid=screen-first-run]").await;
    assert_eq!(app.text("[data-testid=screen-first-run] h1").await, "Laipni lūdzam Saitē!");
    app.screenshot("first-run-lv").await;

    // Too short, then mismatched: refused beside the fields, in Latvian.
    app.type_into("[data-testid=new-passphrase]", "īsa").await;
    app.type_into("[data-testid=confirm-passphrase]", "īsa").await;
    app.click("[data-testid=first-run-submit]").await;
    let short = app.wait_for_text("[data-testid=passphrase-problem]", "Parolei jābūt vismaz 8 rakstzīmes garai.").await;
    assert_eq!(short, "Parolei jābūt vismaz 8 rakstzīmes garai.");
    app.type_into("[data-testid=new-passphrase]", "Daugavpils 2012").await;
    app.type_into("[data-testid=confirm-passphrase]", "Daugavpils 2013").await;
    app.click("[data-testid=first-run-submit]").await;
    assert_eq!(app.wait_for_text("[data-testid=passphrase-problem]", "Paroles nesakrīt.").await, "Paroles nesakrīt.");

    app.type_into("[data-testid=confirm-passphrase]", "Daugavpils 2012").await;
    app.click("[data-testid=load-demo]").await;
    app.click("[data-testid=first-run-submit]").await;
    // The second step offers the office server; this laptop stays local-only.
    app.wait_for("[data-testid=first-run-connect]").await;
    app.click("[data-testid=connect-skip]").await;
    app.wait_for("[data-testid=app-ready]").await;
    let hits = app
        .eval("return window.__TAURI_INTERNALS__.invoke('search_records', { query: 'drosa maja', limit: 5 }).then((h) => h.length)")
        .await;
    assert!(hits.as_u64().unwrap() >= 1, "demo data was loaded: {hits}");

    // Lock: the unlock screen; a wrong passphrase is refused; the right one opens.
    app.click("[data-testid=lock-now]").await;
    app.wait_for("[data-testid=screen-unlock]").await;
    let refused = app
        .eval("return window.__TAURI_INTERNALS__.invoke('search_records', { query: 'x', limit: 5 }).then(() => 'ok', (e) => e.code)")
        .await;
    assert_eq!(refused, "store-locked", "a locked store answers nothing");
    app.type_into("[data-testid=passphrase]", "nepareiza").await;
    app.click("[data-testid=unlock-submit]").await;
    assert_eq!(app.wait_for_text("[data-testid=unlock-problem]", "Nepareiza parole.").await, "Nepareiza parole.");
    // Red with the mark every error carries, not the card's grey text.
    let look = app
        .eval(
            "const e = document.querySelector('[data-testid=unlock-problem]');
             const danger = getComputedStyle(document.documentElement).getPropertyValue('--danger').trim();
             const probe = document.createElement('span'); probe.style.color = danger; document.body.append(probe);
             const red = getComputedStyle(probe).color; probe.remove();
             return { same: getComputedStyle(e).color === red, mark: getComputedStyle(e, '::before').content };",
        )
        .await;
    assert_eq!(look, serde_json::json!({"same": true, "mark": "\"!\""}), "{look}");
    app.screenshot("unlock-wrong-lv").await;
    app.type_into("[data-testid=passphrase]", "Daugavpils 2012").await;
    app.click("[data-testid=unlock-submit]").await;
    app.wait_for("[data-testid=app-ready]").await;
    app.close().await;

    // Nothing a consultant recorded is readable in any file the app wrote, including
    // the web view's own storage.
    // (WebKit keeps small SQLite caches of its own, such as HSTS, under webview/; the
    // header check is for Saite's files.)
    for file in files_under(data.path()) {
        let bytes = std::fs::read(&file).unwrap();
        let ours = !file.starts_with(data.path().join("webview"));
        let needles: &[&str] = if ours {
            &["Zalcmane", "Drošā māja", "Daugavpils sociālo lietu", "SQLite format 3"]
        } else {
            &["Zalcmane", "Drošā māja", "Daugavpils sociālo lietu"]
        };
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} contains {needle:?}",
                file.display()
            );
        }
    }

    // A restart starts locked.
    let again = launch_locked(&h, "after-restart", data.path(), "[data-testid=screen-unlock]").await;
    again.type_into("[data-testid=passphrase]", "Daugavpils 2012").await;
    again.click("[data-testid=unlock-submit]").await;
    again.wait_for("[data-testid=app-ready]").await;
    again.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_change_the_passphrase_and_the_idle_lock() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch(&h, "settings-security", data.path()).await;
    app.click("[data-testid=nav-settings]").await;
    app.type_into("[data-testid=current-passphrase]", saite_e2e::E2E_PASSPHRASE).await;
    app.type_into("[data-testid=changed-passphrase]", "jauna garā parole").await;
    app.type_into("[data-testid=changed-passphrase-confirm]", "jauna garā parole").await;
    app.click("[data-testid=change-passphrase]").await;
    assert_eq!(app.wait_for_text("[data-testid=passphrase-status]", "Parole nomainīta.").await, "Parole nomainīta.");

    app.eval("const s = document.querySelector('[data-testid=auto-lock]'); s.value = '5'; s.dispatchEvent(new Event('change', { bubbles: true })); return true;").await;
    assert_eq!(app.wait_for_text("[data-testid=auto-lock-status]", "Saglabāts.").await, "Saglabāts.");
    app.screenshot("settings-security-lv").await;

    // The hotline and office address set here show on the home screen.
    app.type_into("[data-testid=about-hotline]", "+371 28612120").await;
    app.type_into("[data-testid=about-address]", "Lāčplēša iela 75 - 1 B, Rīga").await;
    app.click("[data-testid=about-save]").await;
    assert_eq!(app.wait_for_text("[data-testid=about-status]", "Saglabāts.").await, "Saglabāts.");
    app.click("[data-testid=nav-home]").await;
    let about = app.text("[data-testid=home-about]").await;
    assert!(about.contains("+371 28612120") && about.contains("Lāčplēša iela 75 - 1 B, Rīga"), "{about}");
    app.close().await;
    let prefs = std::fs::read_to_string(data.path().join("preferences.json")).unwrap();
    assert!(prefs.contains(r#""autoLockMinutes": 5"#), "{prefs}");

    let again = launch_locked(&h, "new-passphrase", data.path(), "[data-testid=screen-unlock]").await;
    again.type_into("[data-testid=passphrase]", saite_e2e::E2E_PASSPHRASE).await;
    again.click("[data-testid=unlock-submit]").await;
    assert_eq!(again.wait_for_text("[data-testid=unlock-problem]", "Nepareiza parole.").await, "Nepareiza parole.");
    again.type_into("[data-testid=passphrase]", "jauna garā parole").await;
    again.click("[data-testid=unlock-submit]").await;
    again.wait_for("[data-testid=app-ready]").await;
    again.close().await;
}
