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
            "title": p, "kind": "seminar", "date": "2015-01-01", "municipality": "riga", "venue": p,
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
        let shots: [(&str, &str, &str); 11] = [
            ("home", "[data-testid=nav-home]", "[data-testid=screen-home]"),
            ("seminars", "[data-testid=nav-seminars]", "[data-testid=list-row]"),
            ("follow-ups", "[data-testid=tab-follow-up]", "[data-testid=list-follow-up]"),
            ("organisations", "[data-testid=nav-organisations]", "[data-testid=list-row]"),
            ("people", "[data-testid=tab-person]", "[data-testid=list-row]"),
            ("materials", "[data-testid=nav-materials]", "[data-testid=list-row]"),
            ("distributions", "[data-testid=tab-distribution]", "[data-testid=list-row]"),
            ("campaigns", "[data-testid=nav-campaigns]", "[data-testid=list-row]"),
            ("hotline", "[data-testid=nav-hotline]", "[data-testid=list-row]"),
            ("trash", "[data-testid=nav-trash]", "[data-testid=screen-trash]"),
            ("reports", "[data-testid=nav-reports]", "[data-testid=report-table]"),
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
    let app = saite_e2e::launch_dark(&h, "dark-mode", data.path()).await;
    let dark = app.eval("return window.matchMedia('(prefers-color-scheme: dark)').matches").await;
    assert_eq!(dark, true, "the web view reports the dark system theme");
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    for (name, click, ready) in [
        ("home", "[data-testid=nav-home]", "[data-testid=screen-home]"),
        ("seminars", "[data-testid=nav-seminars]", "[data-testid=list-row]"),
        ("reports", "[data-testid=nav-reports]", "[data-testid=report-table]"),
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

/// The words a language's interface may hold though they look foreign to it: the
/// app's name, the language choice's own names, a key's name, and in English the
/// Latvian place names (as `locales/en/reference.ftl` spells them: "Rēzekne
/// Municipality"). Anything else foreign-looking is text left in another language.
fn allowed_foreign_words(lang: &str) -> std::collections::BTreeSet<String> {
    let mut words: std::collections::BTreeSet<String> =
        // NVA: the State Employment Agency's own abbreviation, kept beside the Russian.
        // CSV, XLSX, Excel: file formats' and a program's own names.
        ["saite", "latviešu", "english", "русский", "ctrl", "k", "nva", "csv", "xlsx", "excel"]
            .iter()
            .map(|w| w.to_string())
            .collect();
    if lang == "en" {
        let reference =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../locales/en/reference.ftl")).unwrap();
        for line in reference.lines().filter(|l| l.starts_with("municipality-") || l.starts_with("region-")) {
            words.extend(words_of(line.split_once(" = ").map_or("", |(_, name)| name)));
        }
    }
    words
}

fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// A word that in `lang`'s interface can only have come from another language: Latin or
/// Latvian letters in Russian, Cyrillic or Latvian letters in English, Cyrillic in
/// Latvian.
fn foreign_looking(lang: &str, word: &str) -> bool {
    let cyrillic = word.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    let latvian = word.chars().any(|c| "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ".contains(c));
    let latin = word.chars().any(|c| c.is_ascii_alphabetic());
    match lang {
        "ru" => latin || latvian,
        "en" => cyrillic || latvian,
        _ => cyrillic,
    }
}

/// Every piece of interface text in the window now: visible text, placeholders, titles,
/// labels for assistive technology, and the options of every list, whether open or not.
/// Text a user typed (none in this walk) and paths, addresses and versions are left out.
const INTERFACE_TEXT_JS: &str = "
  const out = [document.title];
  const visible = (el) => el && el.getClientRects().length > 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('code, script, style')) continue;
    if (n.textContent.trim() && visible(n.parentElement)) out.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], [alt]')) {
    for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  for (const o of document.querySelectorAll('option')) if (o.textContent.trim()) out.push(o.textContent.trim());
  return out;
";

/// In Russian and in English, a new consultant walks every screen and every form (empty,
/// and refused for its missing fields): no label, button, heading, placeholder, option
/// or message is left in another language: no word looks foreign to the language but
/// those [`allowed_foreign_words`] names.
#[tokio::test(flavor = "multi_thread")]
async fn no_interface_text_is_left_in_another_language() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "languages", data.path()).await;
    for lang in ["ru", "en"] {
        let own = allowed_foreign_words(lang);
        app.click("[data-testid=nav-settings]").await;
        app.wait_for("[data-testid=screen-settings]").await;
        app.click(&format!("[data-testid=language-{lang}]")).await;
        app.wait_for(&format!("html[lang={lang}]")).await;
        let mut found: Vec<String> = Vec::new();
        let mut look = async |place: &str| {
            let texts = app.eval(INTERFACE_TEXT_JS).await;
            for text in texts.as_array().unwrap().iter().filter_map(|t| t.as_str()) {
                // A path, an address, a command-line option: not words of a language.
                if text.contains('/') || text.contains('@') || text.contains("--") {
                    continue;
                }
                for word in words_of(text) {
                    if foreign_looking(lang, &word) && !own.contains(&word) {
                        found.push(format!("{place}: {word:?} in {text:?}"));
                    }
                }
            }
        };
        let screens = [
            ("home", "[data-testid=nav-home]", "[data-testid=screen-home]"),
            ("reports", "[data-testid=nav-reports]", "[data-testid=screen-reports]"),
            ("sync", "[data-testid=nav-sync]", "[data-testid=connect-form]"),
            ("settings", "[data-testid=nav-settings]", "[data-testid=screen-settings]"),
            ("trash", "[data-testid=nav-trash]", "[data-testid=screen-trash]"),
        ];
        for (place, click, ready) in screens {
            app.click(click).await;
            app.wait_for(ready).await;
            look(place).await;
        }
        let forms = [
            ("nav-seminars", "seminar"),
            ("nav-seminars", "follow-up"),
            ("nav-organisations", "organisation"),
            ("nav-organisations", "person"),
            ("nav-materials", "material"),
            ("nav-materials", "distribution"),
            ("nav-campaigns", "campaign"),
            ("nav-campaigns", "funder"),
            ("nav-hotline", "hotline-contact"),
        ];
        for (section, collection) in forms {
            app.click(&format!("[data-testid={section}]")).await;
            if collection != "hotline-contact" {
                // The hotline section has one list and no tabs.
                app.click(&format!("[data-testid=tab-{collection}]")).await;
            }
            app.wait_for(&format!("[data-testid=list-{collection}]")).await;
            look(&format!("{collection} list")).await;
            app.click(&format!("[data-testid=new-{collection}]")).await;
            app.wait_for(&format!("[data-testid=form-{collection}]")).await;
            look(&format!("new {collection}")).await;
            // Refused for what is missing: the summary and each field's message.
            app.click("[data-testid=save]").await;
            app.wait_for(".field.invalid").await;
            look(&format!("refused {collection}")).await;
            app.screenshot(&format!("refused-{collection}-{lang}")).await;
            app.click("[data-testid=cancel]").await;
        }
        app.click("[data-testid=open-search]").await;
        app.type_into("[data-testid=search-input]", "zzz").await;
        look("search").await;
        app.eval("document.querySelector('[data-testid=search-input]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true;").await;
        app.wait_gone("[data-testid=search-input]").await;
        found.sort();
        found.dedup();
        assert!(found.is_empty(), "{lang}: interface text in another language:\n{}", found.join("\n"));
    }
    app.close().await;
}
