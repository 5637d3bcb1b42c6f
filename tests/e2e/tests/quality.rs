//! Quality in the real window: user text stays inert, axe-core finds no serious or
//! critical accessibility violation, and every screen is photographed in each
//! language.

use saite_e2e::{AppSession, Harness, launch};

/// Markup a partner's name or a note might carry, by accident or by intent.
const PAYLOADS: [&str; 4] = [
    "<img src=x onerror=\"window.__xss = 'img'\">",
    "<script>window.__xss = 'script'</script>",
    "\"><svg onload=\"window.__xss = 'svg'\">",
    "javascript:window.__xss='href'",
];

async fn no_script_ran(app: &AppSession, where_: &str) {
    let ran = app.eval("return window.__xss === undefined ? null : String(window.__xss)").await;
    assert!(ran.is_null(), "{where_}: a payload ran: {ran}");
    let injected =
        app.eval("return document.querySelectorAll('main img[src=x], main svg[onload], main script').length").await;
    assert_eq!(injected, 0, "{where_}: payload markup became elements");
}

#[tokio::test(flavor = "multi_thread")]
async fn user_text_is_inert_in_every_text_field() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "xss", data.path()).await;
    for (i, p) in PAYLOADS.iter().enumerate() {
        let doc = serde_json::json!({
            "name": format!("{p} {i}"), "kind": "ngo", "address": p, "website": p, "notes": p,
        });
        app.create_record("organisation", doc).await;
        let seminar = serde_json::json!({
            "title": p, "kind": "seminar", "date": "2015-01-01", "municipality": "riga", "venue": p, "organiser": p,
            "topics": [p], "notes": p,
        });
        app.create_record("seminar", seminar).await;
    }
    app.click("[data-testid=nav-organisations]").await;
    app.wait_for("[data-testid=list-row]").await;
    no_script_ran(&app, "organisation list").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-organisation]").await;
    let title = app.text("[data-testid=record-title]").await;
    assert!(
        title.starts_with('<') || title.starts_with('"') || title.starts_with("javascript"),
        "shown as text: {title}"
    );
    no_script_ran(&app, "organisation page").await;
    app.click("[data-testid=edit]").await;
    app.wait_for("[data-testid=form-organisation]").await;
    no_script_ran(&app, "organisation form").await;
    app.click("[data-testid=cancel]").await;
    app.click("[data-testid=nav-seminars]").await;
    app.wait_for("[data-testid=list-row]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    no_script_ran(&app, "seminar page").await;
    app.click("[data-testid=open-search]").await;
    app.type_into("[data-testid=search-input]", "img src").await;
    app.wait_for("[data-testid=search-hit]").await;
    no_script_ran(&app, "search results").await;
    app.screenshot("xss-search-lv").await;
    app.close().await;
}

async fn axe(app: &AppSession, screen: &str) {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/node_modules/axe-core/axe.min.js"))
            .expect("axe-core is installed by npm ci in ui/");
    app.eval(&format!("{source}\n;return true;")).await;
    let result = app
        .eval(
            "return axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))",
        )
        .await;
    let violations = result.as_array().cloned().unwrap_or_default();
    assert!(violations.is_empty(), "{screen}: axe-core found {violations:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_axe_and_is_photographed_in_each_language() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "screens", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    for lang in ["lv", "ru", "en"] {
        app.click("[data-testid=nav-settings]").await;
        app.wait_for("[data-testid=screen-settings]").await;
        // The last language's pass ends on this screen scrolled to its end with the
        // search closing: a click on the choice then sometimes landed on nothing (seen
        // once in CI). The choice is brought into view before it is clicked.
        app.eval(
            "document.querySelector('[data-testid=language-switch]').scrollIntoView({ block: 'center' }); return true;",
        )
        .await;
        app.click(&format!("[data-testid=language-{lang}]")).await;
        app.wait_for(&format!("html[lang={lang}]")).await;
        let shots: [(&str, &str, &str); 9] = [
            ("home", "[data-testid=nav-home]", "[data-testid=screen-home]"),
            ("seminars", "[data-testid=nav-seminars]", "[data-testid=list-row]"),
            ("follow-ups", "[data-testid=tab-follow-up]", "[data-testid=list-follow-up]"),
            ("organisations", "[data-testid=nav-organisations]", "[data-testid=list-row]"),
            ("people", "[data-testid=tab-person]", "[data-testid=list-row]"),
            ("materials", "[data-testid=nav-materials]", "[data-testid=list-row]"),
            ("distributions", "[data-testid=tab-distribution]", "[data-testid=list-row]"),
            ("campaigns", "[data-testid=nav-campaigns]", "[data-testid=list-row]"),
            ("trash", "[data-testid=nav-trash]", "[data-testid=screen-trash]"),
        ];
        for (name, click, ready) in shots {
            app.click(click).await;
            app.wait_for(ready).await;
            app.screenshot(&format!("screen-{name}-{lang}")).await;
            axe(&app, &format!("{name} ({lang})")).await;
        }
        // A record page and its form.
        app.click("[data-testid=nav-seminars]").await;
        app.click("[data-testid=list-row]").await;
        app.wait_for("[data-testid=page-seminar]").await;
        app.screenshot(&format!("screen-seminar-page-{lang}")).await;
        axe(&app, &format!("seminar page ({lang})")).await;
        app.click("[data-testid=edit]").await;
        app.wait_for("[data-testid=form-seminar]").await;
        app.screenshot(&format!("screen-seminar-form-{lang}")).await;
        axe(&app, &format!("seminar form ({lang})")).await;
        app.click("[data-testid=cancel]").await;
        app.click("[data-testid=nav-settings]").await;
        app.wait_for("[data-testid=screen-settings]").await;
        app.screenshot(&format!("screen-settings-{lang}")).await;
        axe(&app, &format!("settings ({lang})")).await;
        app.click("[data-testid=open-search]").await;
        app.type_into("[data-testid=search-input]", "daugavpils").await;
        app.wait_for("[data-testid=search-hit]").await;
        app.screenshot(&format!("screen-search-{lang}")).await;
        axe(&app, &format!("search ({lang})")).await;
        app.eval("document.querySelector('[data-testid=search-input]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true;").await;
        app.wait_gone("[data-testid=search-input]").await;
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dark_mode_follows_the_system_and_passes_axe() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch_with(
        &h,
        "dark-mode",
        &saite_e2e::data_dir_args(data.path()),
        &[("SAITE_PASSPHRASE", saite_e2e::E2E_PASSPHRASE), ("GTK_THEME", "Adwaita:dark")],
        "[data-testid=app-ready]",
    )
    .await;
    let dark = app.eval("return window.matchMedia('(prefers-color-scheme: dark)').matches").await;
    assert_eq!(dark, true, "the web view reports the dark system theme");
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    for (name, click, ready) in [
        ("home", "[data-testid=nav-home]", "[data-testid=screen-home]"),
        ("seminars", "[data-testid=nav-seminars]", "[data-testid=list-row]"),
        ("settings", "[data-testid=nav-settings]", "[data-testid=screen-settings]"),
    ] {
        app.click(click).await;
        app.wait_for(ready).await;
        app.screenshot(&format!("dark-{name}-lv")).await;
        axe(&app, &format!("{name} (dark)")).await;
    }
    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    app.screenshot("dark-seminar-page-lv").await;
    axe(&app, "seminar page (dark)").await;
    app.close().await;
}
