//! The consultant's workspace in the real window: records created, refused, edited,
//! deleted and restored through the forms; lists; the Ctrl+K search.

use saite_e2e::{AppSession, Harness, launch};

#[tokio::test(flavor = "multi_thread")]
async fn a_seminar_is_refused_then_saved_edited_deleted_and_restored() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "seminar-crud", data.path()).await;

    app.click("[data-testid=nav-seminars]").await;
    app.wait_for("[data-testid=list-empty]").await;
    app.click("[data-testid=new-seminar]").await;
    app.wait_for("[data-testid=form-seminar]").await;

    // A bad date, a negative count and no title: refused beside each field, in Latvian,
    // and what was typed stays.
    app.type_into("#seminar-venue", "Daugavpils pašvaldība").await;
    app.type_into("#seminar-date", "31.02.2012").await;
    app.select("#seminar-kind", "round-table").await;
    app.select("#seminar-municipality", "daugavpils").await;
    app.select("[data-testid=add-group-participants]", "social-workers").await;
    app.click("[data-testid=add-participants]").await;
    app.type_into("[data-testid=count-social-workers]", "-4").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=form-error]").await;
    assert_eq!(app.text("[data-testid=error-title]").await, "Šis lauks ir obligāts.");
    assert_eq!(app.text("[data-testid=error-date]").await, "Tas nav derīgs datums.");
    assert_eq!(app.text("[data-testid=error-participants]").await, "Skaits nevar būt negatīvs.");
    let venue = app.eval("return document.querySelector('#seminar-venue').value").await;
    assert_eq!(venue, "Daugavpils pašvaldība", "nothing typed is lost");
    app.screenshot("seminar-form-errors-lv").await;

    app.type_into("#seminar-title", "Apaļā galda diskusija par cilvēku tirdzniecību").await;
    app.type_into("#seminar-date", "9.11.2012").await;
    app.type_into("[data-testid=count-social-workers]", "12").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    assert_eq!(app.text("[data-testid=record-title]").await, "Apaļā galda diskusija par cilvēku tirdzniecību");
    assert_eq!(app.text("[data-testid=value-date]").await, "09.11.2012");
    assert_eq!(app.text("[data-testid=value-municipality]").await, "Daugavpils");
    assert_eq!(app.text("[data-testid=participants-total]").await, "12");
    app.screenshot("seminar-page-lv").await;

    // Edit one field; the history shows old and new.
    app.click("[data-testid=edit]").await;
    app.wait_for("[data-testid=form-seminar]").await;
    app.type_into("#seminar-venue", "Daugavpils Izglītības pārvalde").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    assert_eq!(app.text("[data-testid=value-venue]").await, "Daugavpils Izglītības pārvalde");
    let history = app.text("[data-testid=history]").await;
    assert!(history.contains("Daugavpils pašvaldība → Daugavpils Izglītības pārvalde"), "{history}");

    // Delete: in the trash; restore from there.
    app.click("[data-testid=delete]").await;
    app.wait_for("[data-testid=deleted-note]").await;
    app.click("[data-testid=nav-trash]").await;
    app.wait_for("[data-testid=trash-item]").await;
    app.screenshot("trash-lv").await;
    app.click("[data-testid=trash-restore]").await;
    app.wait_for("[data-testid=trash-empty]").await;
    app.click("[data-testid=nav-seminars]").await;
    assert_eq!(app.wait_for_text("[data-testid=list-count]", "1 ieraksts").await, "1 ieraksts");
    app.screenshot("seminars-list-lv").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_folded_and_transliterated_text_from_the_keyboard() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "search", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    app.eval("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true })); return true;").await;
    app.wait_for("[data-testid=search-palette]").await;
    app.type_into("[data-testid=search-input]", "drosa maja").await;
    let first = app.wait_for_text("[data-testid=search-hit]", "Patvērums „Drošā māja”").await;
    assert_eq!(first, "Patvērums „Drošā māja”", "the name match ranks first");
    app.screenshot("search-lv").await;

    app.type_into("[data-testid=search-input]", "Даугавпилс ģimenes").await;
    let hit = app.wait_for_text("[data-testid=search-hit]", "Daugavpils ģimenes atbalsta centrs").await;
    assert_eq!(hit, "Daugavpils ģimenes atbalsta centrs", "Cyrillic finds the Latin name");
    // Enter opens the highlighted hit.
    app.eval("document.querySelector('[data-testid=search-input]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); return true;").await;
    app.wait_for("[data-testid=page-organisation]").await;
    assert_eq!(app.text("[data-testid=record-title]").await, "Daugavpils ģimenes atbalsta centrs");
    let related = app.text("[data-testid=page-organisation]").await;
    assert!(related.contains("Informatīvs seminārs par cilvēku tirdzniecību"), "the seminar it took part in is listed");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_likely_duplicate_organisation_is_flagged_while_typing() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "duplicates", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    app.click("[data-testid=nav-organisations]").await;
    app.click("[data-testid=new-organisation]").await;
    app.type_into("#organisation-name", "NVA Rēzeknes filiale").await;
    app.select("#organisation-municipality", "rezekne").await;
    let warning = app.wait_for("[data-testid=duplicates]").await.text().await.unwrap();
    assert!(warning.contains("NVA Rēzeknes filiāle") && warning.contains("tāds pats nosaukums"), "{warning}");
    app.screenshot("organisation-duplicate-lv").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seminar_links_organisations_follow_ups_and_handed_out_material_with_a_stock_warning() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "seminar-links", data.path()).await;
    app.create_record(
        "seminar",
        serde_json::json!({"title": "Seminārs Rēzeknē", "kind": "seminar", "date": "2013-03-14", "municipality": "rezekne"}),
    )
    .await;
    app.create_record(
        "organisation",
        serde_json::json!({"name": "Rēzeknes sociālais dienests", "kind": "social-service", "municipality": "rezekne"}),
    )
    .await;
    app.create_record(
        "material",
        serde_json::json!({"title": "Buklets „Cilvēku tirdzniecības novēršana”", "kind": "booklet", "stock": 10}),
    )
    .await;

    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    // Pick an organisation by searching, and link it.
    app.type_into("#add-organisation", "rezeknes soc").await;
    app.click("#add-organisation-options button").await;
    app.click("[data-testid=link-organisation]").await;
    let linked = app.wait_for_text("[data-testid=seminar-organisations] li .link", "Rēzeknes sociālais dienests").await;
    assert_eq!(linked, "Rēzeknes sociālais dienests");

    // An organisation not yet recorded is created from the seminar (with the duplicate
    // warning of the form) and comes back linked.
    app.click("[data-testid=new-organisation-inline]").await;
    app.type_into("#organisation-name", "Rēzeknes Valsts robežsardzes pārvalde").await;
    app.select("#organisation-kind", "border-guard").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    let all = app
        .wait_for_text_containing("[data-testid=seminar-organisations]", "Rēzeknes Valsts robežsardzes pārvalde")
        .await;
    assert!(
        all.contains("Rēzeknes sociālais dienests") && all.contains("Rēzeknes Valsts robežsardzes pārvalde"),
        "{all}"
    );

    // A follow-up made from the seminar belongs to it.
    app.click("[data-testid=new-follow-up-here]").await;
    app.wait_for("[data-testid=form-follow-up]").await;
    app.type_into("#follow-up-title", "Izstrādāt rīcības plānu").await;
    app.type_into("#follow-up-owner", "Sandra").await;
    app.type_into("#follow-up-dueOn", "01.02.2013").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-follow-up]").await;
    assert_eq!(app.text("[data-testid=value-seminar]").await, "Seminārs Rēzeknē");

    // Handing out more copies than are on hand warns first.
    app.click("[data-testid=value-seminar] button").await;
    app.wait_for("[data-testid=page-seminar]").await;
    app.click("[data-testid=hand-out-material]").await;
    app.wait_for("[data-testid=form-distribution]").await;
    app.type_into("#distribution-material", "buklets").await;
    app.click("#distribution-material-options button").await;
    app.type_into("#distribution-organisation", "rezeknes").await;
    app.click("#distribution-organisation-options button").await;
    app.type_into("#distribution-quantity", "12").await;
    let warning = app
        .wait_for_text(
            "[data-testid=stock-warning]",
            "Pieejami tikai 10 eksemplāri; pēc šīs izplatīšanas krājums būtu negatīvs.",
        )
        .await;
    assert_eq!(warning, "Pieejami tikai 10 eksemplāri; pēc šīs izplatīšanas krājums būtu negatīvs.");
    app.screenshot("distribution-stock-warning-lv").await;
    app.type_into("#distribution-quantity", "8").await;
    app.eval("return document.querySelector('[data-testid=stock-warning]') === null").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-distribution]").await;
    assert_eq!(app.text("[data-testid=value-method]").await, "Izdalīts pasākumā");
    app.click("[data-testid=value-material] button").await;
    assert_eq!(app.wait_for_text("[data-testid=on-hand]", "2").await, "2");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_organisations_merge_and_a_campaign_shows_its_totals() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "merge", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    app.create_record(
        "organisation",
        serde_json::json!({"name": "NVA Daugavpils filiale (dublikāts)", "kind": "nva-branch", "municipality": "daugavpils", "address": "Cietokšņa iela 60"}),
    )
    .await;

    app.click("[data-testid=open-search]").await;
    app.type_into("[data-testid=search-input]", "NVA Daugavpils filiāle").await;
    app.wait_for_text("[data-testid=search-hit]", "NVA Daugavpils filiāle").await;
    app.click("[data-testid=search-hit]").await;
    app.wait_for("[data-testid=page-organisation]").await;
    app.type_into("#merge-with", "dublikats").await;
    app.click("#merge-with-options button").await;
    // Both records side by side, with what the kept one will hold after merging.
    app.wait_for("[data-testid=merge-comparison]").await;
    assert_eq!(app.text("[data-testid=merge-result-address]").await, "Cietokšņa iela 60");
    assert_eq!(app.text("[data-testid=merge-changed-address]").await, "papildināts", "the filled-in field is marked");
    assert_eq!(app.text("[data-testid=merge-result-name]").await, "NVA Daugavpils filiāle", "the kept name stays");
    assert_eq!(app.eval("return document.querySelector('[data-testid=merge-changed-name]') === null").await, true);
    assert!(app.text("[data-testid=merge-moved]").await.ends_with(": 0"), "nothing links to the duplicate yet");
    app.screenshot("merge-comparison-lv").await;
    app.click("[data-testid=merge]").await;
    let address = app.wait_for_text("[data-testid=value-address]", "Cietokšņa iela 60").await;
    assert_eq!(address, "Cietokšņa iela 60", "the merged record's address was kept");
    app.click("[data-testid=nav-trash]").await;
    assert_eq!(
        app.wait_for_text("[data-testid=trash-item] .link", "NVA Daugavpils filiale (dublikāts)").await,
        "NVA Daugavpils filiale (dublikāts)"
    );

    app.click("[data-testid=nav-campaigns]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-campaign]").await;
    // Campaigns sort by name: the first is "Atver acis" (one event, 40 librarians).
    assert_eq!(app.text("[data-testid=record-title]").await, "Atver acis");
    assert_eq!(app.text("[data-testid=campaign-totals]").await, "1 pasākums, 40 dalībnieku");
    // A material lists the campaigns it belongs to.
    app.click("[data-testid=open-search]").await;
    app.type_into("[data-testid=search-input]", "Cilvēku tirdzniecības novēršana buklets").await;
    app.wait_for_text("[data-testid=search-hit]", "Cilvēku tirdzniecības novēršana").await;
    app.click("[data-testid=search-hit]").await;
    let page = app
        .wait_for_text_containing(
            "[data-testid=page-material]",
            "Preventīvie pasākumi cilvēku tirdzniecības mazināšanai - 2015",
        )
        .await;
    assert!(page.contains("Kampaņas un projekti"), "{page}");
    app.screenshot("campaign-page-lv").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_records_scroll_with_only_the_visible_rows_in_the_page() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "virtual-list", data.path()).await;
    let started = std::time::Instant::now();
    for batch in 0..10 {
        let docs: Vec<serde_json::Value> = (0..1000)
            .map(|i| {
                let n = batch * 1000 + i;
                // Every thousandth a school, to filter by later.
                let kind = if n % 1000 == 0 { "school" } else { "ngo" };
                serde_json::json!(["organisation", {"name": format!("Iestāde {n:05}"), "kind": kind, "municipality": "riga"}])
            })
            .collect();
        let script = format!(
            "return window.__TAURI_INTERNALS__.invoke('create_records', {{ records: {} }}).then((ids) => ids.length)",
            serde_json::Value::Array(docs)
        );
        assert_eq!(app.eval(&script).await, 1000);
    }
    eprintln!("10 000 organisations created in {:?}", started.elapsed());
    app.click("[data-testid=nav-organisations]").await;
    assert_eq!(app.wait_for_text("[data-testid=list-count]", "10 000 ierakstu").await, "10 000 ierakstu");
    app.wait_for("[data-testid=list-row]").await;
    let rows = app.eval("return document.querySelectorAll('[data-testid=list-row]').length").await.as_u64().unwrap();
    assert!(rows > 5 && rows < 60, "only the visible rows exist: {rows}");

    // Jump to the end: the last rows load and show, still few in the page.
    app.eval(
        "const v = document.querySelector('.viewport'); v.scrollTop = v.scrollHeight; v.dispatchEvent(new Event('scroll')); return true;",
    )
    .await;
    let last = app
        .eval(
            "return new Promise((done) => { const t0 = Date.now(); (function poll() { \
               const names = [...document.querySelectorAll('[data-testid=list-row] .cell:first-child')].map((c) => c.textContent); \
               if (names.includes('Iestāde 09999') || Date.now() - t0 > 5000) done(names); else setTimeout(poll, 50); })(); })",
        )
        .await;
    let names: Vec<String> = serde_json::from_value(last).unwrap();
    assert!(names.contains(&"Iestāde 09999".to_owned()), "{names:?}");
    assert!(names.len() < 60, "{}", names.len());
    app.screenshot("organisations-10k-bottom-lv").await;

    // A filter chosen while scrolled to the bottom shows its matches from the top.
    app.select("[data-testid=filter-kind]", "school").await;
    assert_eq!(app.wait_for_text("[data-testid=list-count]", "10 ierakstu").await, "10 ierakstu");
    let top = app
        .eval(
            "return new Promise((done) => { const t0 = Date.now(); (function poll() { \
               const v = document.querySelector('.viewport'); \
               const first = v && v.querySelector(\"[aria-posinset='1'] [data-testid=list-row]\"); \
               if ((first && v.scrollTop === 0) || Date.now() - t0 > 5000) done([v ? v.scrollTop : -1, first ? first.textContent : null]); \
               else setTimeout(poll, 50); })(); })",
        )
        .await;
    assert_eq!(top[0], 0, "the list is back at the top: {top}");
    assert!(top[1].as_str().is_some_and(|t| t.contains("Iestāde 00000")), "the first school by name: {top}");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_from_disk_is_attached_to_a_seminar_and_removed() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "attachments", data.path()).await;
    let doc = serde_json::json!({"title": "Seminārs ar pielikumu", "kind": "seminar", "date": "2014-05-05", "municipality": "liepaja"});
    app.create_record("seminar", doc).await;
    let files = tempfile::tempdir().unwrap();
    let agenda = files.path().join("Darba kārtība.txt");
    std::fs::write(&agenda, "1. Ievads\n2. Gadījumu identificēšana\n").unwrap();

    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-seminar]").await;
    let input = app.wait_for("[data-testid=attachment-input]").await;
    input.send_keys(&agenda.display().to_string()).await.unwrap();
    let name = app.wait_for_text("[data-testid=attachment] .name", "Darba kārtība.txt").await;
    assert_eq!(name, "Darba kārtība.txt");
    app.screenshot("seminar-attachment-lv").await;
    let bytes = app
        .eval("return window.__TAURI_INTERNALS__.invoke('search_records', { query: 'darba kartiba', limit: 5 }).then((h) => h.map((x) => x.collection))")
        .await;
    assert_eq!(bytes, serde_json::json!(["attachment"]), "the file name is searchable");

    // The file's contents are in the encrypted store, not readable on disk.
    for entry in std::fs::read_dir(data.path()).unwrap().flatten() {
        if entry.path().is_file() {
            let on_disk = std::fs::read(entry.path()).unwrap();
            assert!(
                !on_disk.windows(7).any(|w| w == b"Ievads\n"),
                "{} holds the file in clear",
                entry.path().display()
            );
        }
    }

    app.click("[data-testid=attachment-remove]").await;
    app.wait_for_text("[data-testid=attachments] .none", "Nav pielikumu.").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_material_gets_a_file_per_language() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "material-versions", data.path()).await;
    let doc = serde_json::json!({"title": "Cilvēku tirdzniecības novēršana", "kind": "booklet", "stock": 300});
    app.create_record("material", doc).await;
    let files = tempfile::tempdir().unwrap();
    let (lv, ru) = (files.path().join("buklets-lv.pdf"), files.path().join("buklets-ru.pdf"));
    std::fs::write(&lv, b"%PDF-1.4 lv").unwrap();
    std::fs::write(&ru, b"%PDF-1.4 ru").unwrap();

    app.click("[data-testid=nav-materials]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=page-material]").await;
    assert_eq!(app.text("[data-testid=on-hand]").await, "300");
    app.wait_for("[data-testid=version-file]").await.send_keys(&lv.display().to_string()).await.unwrap();
    app.wait_for_text("[data-testid=material-version] .file", "buklets-lv.pdf").await;
    app.select("[data-testid=version-language]", "ru").await;
    app.wait_for("[data-testid=version-file]").await.send_keys(&ru.display().to_string()).await.unwrap();
    let listed = app
        .eval(
            "return new Promise((done) => { const t0 = Date.now(); (function poll() { \
               const rows = [...document.querySelectorAll('[data-testid=material-version]')].map((r) => r.textContent.replace(/\\s+/g, ' ').trim()); \
               if (rows.length === 2 || Date.now() - t0 > 5000) done(rows); else setTimeout(poll, 50); })(); })",
        )
        .await;
    let rows: Vec<String> = serde_json::from_value(listed).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].starts_with("Latviešu buklets-lv.pdf") && rows[1].starts_with("Krievu buklets-ru.pdf"), "{rows:?}");
    app.screenshot("material-versions-lv").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn my_open_follow_ups_are_listed_with_overdue_ones_marked() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "my-follow-ups", data.path()).await;
    app.click("[data-testid=nav-settings]").await;
    app.type_into("[data-testid=user-name]", "Inese Kalniņa").await;
    app.click("[data-testid=user-name-save]").await;
    assert_eq!(app.wait_for_text("[data-testid=user-name-status]", "Saglabāts.").await, "Saglabāts.");

    let seminar = serde_json::json!({"title": "S", "kind": "seminar", "date": "2014-01-01", "municipality": "riga"});
    let sid = app.create_record("seminar", seminar).await;
    for (title, owner, done, due) in [
        ("Nosūtīt prezentāciju", "Inese Kalniņa", false, "2014-02-01"),
        ("Sazvanīt policiju", "Inese Kalniņa", true, "2014-02-01"),
        ("Sagatavot plakātus", "Sandra", false, "2099-01-01"),
    ] {
        let f = serde_json::json!({"title": title, "seminar": sid, "owner": owner, "done": done, "dueOn": due});
        app.create_record("follow-up", f).await;
    }
    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=tab-follow-up]").await;
    assert_eq!(app.wait_for_text("[data-testid=list-count]", "2 ieraksti").await, "2 ieraksti", "open ones by default");
    app.select("[data-testid=filter-mine]", "mine").await;
    assert_eq!(app.wait_for_text("[data-testid=list-count]", "1 ieraksts").await, "1 ieraksts");
    let overdue =
        app.eval("return document.querySelector('[data-testid=list-row]').classList.contains('overdue')").await;
    assert_eq!(overdue, true, "a past due date is marked");
    app.screenshot("my-follow-ups-lv").await;

    // A new follow-up is mine unless I say otherwise; the history names me.
    app.click("[data-testid=new-follow-up]").await;
    let owner = app.eval("return document.querySelector('#follow-up-owner').value").await;
    assert_eq!(owner, "Inese Kalniņa");
    app.click("[data-testid=cancel]").await;
    app.click("[data-testid=list-row]").await;
    let history = app.wait_for_text_containing("[data-testid=history]", "Inese Kalniņa").await;
    assert!(history.contains("Inese Kalniņa"), "{history}");
    app.close().await;
}

async fn press(app: &AppSession, key: &str, ctrl: bool) {
    app.eval(&format!(
        "document.dispatchEvent(new KeyboardEvent('keydown', {{ key: {key:?}, ctrlKey: {ctrl}, bubbles: true, cancelable: true }})); return true;"
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_creates_saves_and_cancels_asking_before_losing_changes() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "keyboard", data.path()).await;
    app.click("[data-testid=nav-seminars]").await;
    app.wait_for("[data-testid=list-seminar]").await;

    // Ctrl+N: a new record of the kind on screen.
    press(&app, "n", true).await;
    app.wait_for("[data-testid=form-seminar]").await;
    app.type_into("#seminar-title", "Seminārs no tastatūras").await;

    // Esc with unsaved changes asks; refusing keeps the form and what was typed.
    app.eval("window.__asked = 0; window.confirm = () => { window.__asked++; return false; }; return true;").await;
    press(&app, "Escape", false).await;
    assert_eq!(app.eval("return window.__asked").await, 1);
    assert_eq!(app.eval("return document.querySelector('#seminar-title').value").await, "Seminārs no tastatūras");
    // Leaving through the sidebar asks too.
    app.click("[data-testid=nav-home]").await;
    assert_eq!(app.eval("return window.__asked").await, 2);
    app.wait_for("[data-testid=form-seminar]").await;

    // Ctrl+S saves.
    app.type_into("#seminar-date", "01.03.2015").await;
    app.select("#seminar-kind", "training").await;
    app.select("#seminar-municipality", "jelgava").await;
    press(&app, "s", true).await;
    app.wait_for("[data-testid=page-seminar]").await;
    assert_eq!(app.text("[data-testid=record-title]").await, "Seminārs no tastatūras");

    // Ctrl+K, arrows and Enter reach any record.
    press(&app, "k", true).await;
    app.type_into("[data-testid=search-input]", "tastaturas").await;
    app.wait_for("[data-testid=search-hit]").await;
    app.eval("document.querySelector('[data-testid=search-input]').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })); return true;").await;
    app.eval("document.querySelector('[data-testid=search-input]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); return true;").await;
    app.wait_for("[data-testid=page-seminar]").await;
    assert_eq!(app.eval("return document.querySelector('[data-testid=search-palette]') === null").await, true);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tab_walks_the_seminar_form_in_reading_order() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "tab-order", data.path()).await;
    app.click("[data-testid=nav-seminars]").await;
    app.wait_for("[data-testid=list-seminar]").await;
    press(&app, "n", true).await;
    app.wait_for("[data-testid=form-seminar]").await;

    let fields: Vec<String> = serde_json::from_value(
        app.eval("return [...document.querySelectorAll('form [data-field]')].map((e) => e.dataset.field)").await,
    )
    .unwrap();
    assert!(fields.len() >= 10, "{fields:?}");
    app.eval("document.querySelector('form').querySelector('input, select, textarea, button').focus(); return true;")
        .await;

    // Each stop: the field it belongs to (or the button's test id) and where it sits.
    let mut stops: Vec<(String, f64)> = Vec::new();
    for _ in 0..120 {
        let stop = app
            .eval(
                "const a = document.activeElement; const f = a.closest('[data-field]'); \
                 return [f ? f.dataset.field : (a.dataset.testid || a.tagName), a.getBoundingClientRect().top + window.scrollY];",
            )
            .await;
        let (name, top): (String, f64) = serde_json::from_value(stop).unwrap();
        let done = name == "cancel";
        stops.push((name, top));
        if done {
            break;
        }
        app.press_key("\u{E004}").await;
    }
    let mut visited: Vec<String> = stops.iter().map(|(n, _)| n.clone()).collect();
    visited.dedup();
    let mut expected = fields.clone();
    expected.extend(["save".to_owned(), "cancel".to_owned()]);
    assert_eq!(visited, expected, "Tab visits every field once, in order, then Save and Cancel");
    for pair in stops.windows(2) {
        assert!(pair[1].1 >= pair[0].1 - 1.0, "focus never jumps back up the page: {:?} then {:?}", pair[0], pair[1]);
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persons_phone_and_email_copy_to_the_system_clipboard() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "copy", data.path()).await;
    let id = app
        .create_record(
            "person",
            serde_json::json!({"fullName": "Rēzeknes robežsargs", "phones": ["+371 2912 3456"], "emails": ["robeza@rs.gov.lv"],
                                "legalBasis": "legitimate-interest", "basisConfirmedOn": "2015-03-01"}),
        )
        .await;
    app.click("[data-testid=open-search]").await;
    app.type_into("[data-testid=search-input]", "robezsargs").await;
    app.wait_for_text("[data-testid=search-hit]", "Rēzeknes robežsargs").await;
    app.click("[data-testid=search-hit]").await;
    app.wait_for("[data-testid=page-person]").await;
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=value-phones] a').getAttribute('href')").await,
        "tel:+37129123456"
    );
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=value-emails] a').getAttribute('href')").await,
        "mailto:robeza@rs.gov.lv"
    );

    app.click("[data-testid=value-phones] button").await;
    assert_eq!(app.wait_for_text("[data-testid=value-phones] button", "Nokopēts").await, "Nokopēts");
    assert_eq!(saite_e2e::x_clipboard(), "+37129123456", "another program pastes the phone (stored in E.164)");
    app.click("[data-testid=value-emails] button").await;
    assert_eq!(app.wait_for_text("[data-testid=value-emails] button", "Nokopēts").await, "Nokopēts");
    assert_eq!(saite_e2e::x_clipboard(), "robeza@rs.gov.lv");
    assert!(id.is_string());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persons_page_lists_the_seminars_they_spoke_at() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "person-seminars", data.path()).await;
    let person = app
        .create_record(
            "person",
            serde_json::json!({"fullName": "Inese Lektore", "legalBasis": "legitimate-interest", "basisConfirmedOn": "2015-03-01"}),
        )
        .await;
    let seminar = app
        .create_record(
            "seminar",
            serde_json::json!({"title": "Drošs darbs ārzemēs", "kind": "seminar", "date": "2015-04-10", "municipality": "rezekne"}),
        )
        .await;
    app.create_record("seminar-person", serde_json::json!({"seminar": seminar, "person": person, "role": "speaker"}))
        .await;
    app.click("[data-testid=open-search]").await;
    app.type_into("[data-testid=search-input]", "inese lektore").await;
    app.wait_for_text("[data-testid=search-hit]", "Inese Lektore").await;
    app.click("[data-testid=search-hit]").await;
    app.wait_for("[data-testid=page-person]").await;
    // Reached through the link record, under the heading the spec's link leads to.
    let page = app.wait_for_text_containing("[data-testid=page-person]", "Drošs darbs ārzemēs").await;
    assert!(page.contains("Pasākumi"), "{page}");
    app.screenshot("person-page-lv").await;
    app.close().await;
}

/// Where the focus is after a refused save: the field it is in, the first wrong field
/// of the form, and whether the focused element lies wholly in the window.
async fn focus_after_refusal(app: &saite_e2e::AppSession) -> serde_json::Value {
    app.eval(
        "const a = document.activeElement; const r = a.getBoundingClientRect();
         const first = document.querySelector('.field.invalid');
         return { field: a.closest('.field')?.dataset.field ?? null, first: first?.dataset.field ?? null,
                  inView: r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 };",
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_save_brings_the_first_wrong_field_into_view_and_focuses_it() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "refused-save", data.path()).await;
    // Every form: a new, empty record saved from the bottom of the page.
    for (nav, tab, collection) in [
        ("seminars", None, "seminar"),
        ("seminars", Some("follow-up"), "follow-up"),
        ("organisations", None, "organisation"),
        ("organisations", Some("person"), "person"),
        ("materials", None, "material"),
        ("materials", Some("distribution"), "distribution"),
        ("campaigns", None, "campaign"),
    ] {
        app.click(&format!("[data-testid=nav-{nav}]")).await;
        if let Some(tab) = tab {
            app.click(&format!("[data-testid=tab-{tab}]")).await;
        }
        app.click(&format!("[data-testid=new-{collection}]")).await;
        app.wait_for(&format!("[data-testid=form-{collection}]")).await;
        app.eval("document.querySelector('[data-testid=save]').scrollIntoView({ block: 'end' }); return 0;").await;
        app.click("[data-testid=save]").await;
        app.wait_for("[data-testid=form-error]").await;
        let focus = focus_after_refusal(&app).await;
        assert!(!focus["first"].is_null(), "{collection}: a field is marked wrong: {focus}");
        assert_eq!(focus["field"], focus["first"], "{collection}: the first wrong field has the focus: {focus}");
        assert_eq!(focus["inView"], true, "{collection}: and is in view: {focus}");
        assert_eq!(
            app.eval("return document.querySelector('[data-testid=form-error]').getAttribute('role')").await,
            "alert"
        );
        app.click("[data-testid=cancel]").await;
    }

    // The long seminar form filled in, its date wrong high up, saved from the bottom.
    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=tab-seminar]").await;
    app.click("[data-testid=new-seminar]").await;
    app.wait_for("[data-testid=form-seminar]").await;
    app.type_into("#seminar-title", "Apaļā galda diskusija Rēzeknē").await;
    app.type_into("#seminar-date", "31.02.2015").await;
    app.select("#seminar-kind", "round-table").await;
    app.select("#seminar-municipality", "rezekne").await;
    app.type_into("#seminar-notes", "Piezīmes par diskusiju.\n\nOtrā rindkopa.").await;
    app.eval("document.querySelector('[data-testid=save]').scrollIntoView({ block: 'end' }); return 0;").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=form-error]").await;
    let focus = focus_after_refusal(&app).await;
    assert_eq!(focus["field"], "date", "{focus}");
    assert_eq!(focus["first"], "date", "{focus}");
    assert_eq!(focus["inView"], true, "{focus}");
    app.screenshot("seminar-refused-date-in-view-lv").await;
    app.close().await;
}

/// A long Russian name cut off in a list: its cell carries the whole text as a title
/// (hover), and the row reached by the keyboard grows to show it whole.
#[tokio::test(flavor = "multi_thread")]
async fn a_truncated_cell_shows_its_whole_text_on_hover_and_keyboard_focus() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "truncated", data.path()).await;
    let name =
        "Государственное агентство занятости, Даугавпилсский филиал, отдел профилактики и консультаций для молодёжи";
    app.create_record("organisation", serde_json::json!({"name": name, "kind": "ngo", "municipality": "daugavpils"}))
        .await;
    app.click("[data-testid=nav-organisations]").await;
    app.wait_for("[data-testid=list-row]").await;
    let cell = "[data-testid=list-row] .cell";
    let clipped = format!("const c = document.querySelector('{cell}'); return c.scrollWidth > c.clientWidth;");
    assert_eq!(app.eval(&clipped).await, true, "the name is cut off in its column");
    let title = app.eval(&format!("return document.querySelector('{cell}').title")).await;
    assert_eq!(title, name, "hover shows the whole name");
    // Tab from the last filter to the row, as a keyboard user would.
    app.eval("document.querySelector('[data-testid=new-organisation]').focus(); return 0;").await;
    for _ in 0..3 {
        app.press_key("\u{E004}").await;
        let on_row = app.eval("return document.activeElement?.dataset.testid === 'list-row'").await;
        if on_row == true {
            break;
        }
    }
    let focused = app.eval("return document.activeElement?.dataset.testid ?? null").await;
    assert_eq!(focused, "list-row", "Tab reaches the row");
    assert_eq!(app.eval(&clipped).await, false, "the focused row shows the whole name");
    let height =
        app.eval("return document.querySelector('[data-testid=list-row]').getBoundingClientRect().height").await;
    assert!(height.as_f64().unwrap() > 44.0, "the row grew to hold it: {height}");
    app.screenshot("truncated-row-focused").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaigns_funders_and_a_materials_campaigns_are_linked_on_their_pages() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "links", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    // The demo's funders are records of their own, in a tab beside the campaigns.
    app.click("[data-testid=nav-campaigns]").await;
    app.click("[data-testid=tab-funder]").await;
    app.wait_for("[data-testid=list-funder]").await;
    app.wait_for_text("[data-testid=list-count]", "9 ieraksti").await;

    // "Atver acis": its two funders; the council added, the company removed.
    open_by_search(&app, "atver acis", "Atver acis").await;
    app.wait_for("[data-testid=page-campaign]").await;
    let funders = || app.text("[data-testid=links-campaign-funder]");
    app.wait_for_text_containing("[data-testid=links-campaign-funder]", "Iekšlietu ministrija").await;
    assert!(funders().await.contains("Philip Morris Latvia International"));
    app.type_into("#add-campaign-funder", "rigas dome").await;
    app.click("#add-campaign-funder-options button").await;
    app.click("[data-testid=link-campaign-funder]").await;
    app.wait_for_text_containing("[data-testid=links-campaign-funder]", "Rīgas dome").await;
    app.eval(
        "[...document.querySelectorAll('[data-testid=links-campaign-funder] li')].find((li) => li.innerText.includes('Philip Morris')).querySelector('button.secondary').click(); return 0;",
    )
    .await;
    app.wait_gone("[data-testid=links-campaign-funder] li:nth-child(3)").await;
    let now = funders().await;
    assert!(
        now.contains("Rīgas dome") && now.contains("Iekšlietu ministrija") && !now.contains("Philip Morris"),
        "{now}"
    );
    app.screenshot("campaign-funders-lv").await;

    // A material joins the campaign from its own page; the campaign lists it.
    app.create_record("material", serde_json::json!({"title": "Plakāts „Atver acis”", "kind": "poster"})).await;
    open_by_search(&app, "plakats atver", "Plakāts „Atver acis”").await;
    app.wait_for("[data-testid=page-material]").await;
    app.type_into("#add-material-campaign", "atver acis").await;
    app.click("#add-material-campaign-options button").await;
    app.click("[data-testid=link-material-campaign]").await;
    app.wait_for_text_containing("[data-testid=links-material-campaign]", "Atver acis").await;
    app.click("[data-testid=links-material-campaign] .link").await;
    app.wait_for("[data-testid=page-campaign]").await;
    app.wait_for_text_containing("[data-testid=page-campaign]", "Plakāts „Atver acis”").await;
    app.close().await;
}

/// Opens the record search finds first for `query`, once it is the one named `label`.
async fn open_by_search(app: &saite_e2e::AppSession, query: &str, label: &str) {
    app.eval("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true })); return true;").await;
    app.wait_for("[data-testid=search-palette]").await;
    app.type_into("[data-testid=search-input]", query).await;
    app.wait_for_text("[data-testid=search-hit]", label).await;
    app.click("[data-testid=search-hit]").await;
    app.wait_gone("[data-testid=search-palette]").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_hand_out_reaches_every_nva_branch_and_then_601_schools_in_one_save_each() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "hand-out", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    app.create_record(
        "material",
        serde_json::json!({"title": "Plakāts „Drošs darbs ārzemēs”", "kind": "poster", "stock": 1000}),
    )
    .await;
    open_by_search(&app, "drošs darbs arzemes", "Plakāts „Drošs darbs ārzemēs”").await;
    // The page has settled (its stock on hand comes last and moves what is below it).
    app.wait_for_text("[data-testid=on-hand]", "1000").await;
    app.click("[data-testid=hand-out-many]").await;
    app.wait_for("[data-testid=form-hand-out]").await;

    // Nobody chosen yet: refused, saying so; nothing is written.
    app.click("[data-testid=save]").await;
    app.wait_for_text("[data-testid=hand-out-summary]", "Izvēlieties vismaz vienu saņēmēju.").await;

    // Every NVA branch (28), then one school by name; two copies each.
    app.select("[data-testid=hand-out-kind]", "nva-branch").await;
    app.wait_for_text("[data-testid=hand-out-add-matching]", "Pievienot visas 28 atlasītās").await;
    app.click("[data-testid=hand-out-add-matching]").await;
    app.type_into("#hand-out-add", "ludzas gimnazija").await;
    app.click("#hand-out-add-options button").await;
    app.click("[data-testid=hand-out-add]").await;
    app.type_into("#hand-out-quantity", "2").await;
    app.select("#hand-out-method", "mailed").await;
    app.wait_for_text("[data-testid=hand-out-summary]", "29 saņēmēji · 58 eksemplāri").await;
    // No date: refused beside the field, the recipients kept.
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=form-error]").await;
    assert_eq!(app.text("[data-testid=error-date]").await, "Šis lauks ir obligāts.");
    app.type_into("#hand-out-date", "01.09.2016").await;
    app.screenshot("hand-out-form-lv").await;
    app.click("[data-testid=save]").await;

    // Saved as 29 distributions: the stock on hand is 1000 − 58.
    app.wait_for("[data-testid=page-material]").await;
    app.wait_for_text("[data-testid=on-hand]", "942").await;

    // 600 schools in Zemgale (and the demo's one there) in one hand-out: more than a
    // list page holds.
    let schools: Vec<serde_json::Value> = (0..600)
        .map(|i| serde_json::json!(["organisation", {"name": format!("Bauskas novada skola {i:03}"), "kind": "school", "municipality": "bauskas-novads"}]))
        .collect();
    app.create_records(schools).await;
    app.click("[data-testid=hand-out-many]").await;
    app.wait_for("[data-testid=form-hand-out]").await;
    app.select("[data-testid=hand-out-kind]", "school").await;
    app.select("[data-testid=hand-out-region]", "zemgale").await;
    app.wait_for_text("[data-testid=hand-out-add-matching]", "Pievienot 601 atlasīto").await;
    app.click("[data-testid=hand-out-add-matching]").await;
    app.wait_for_text("[data-testid=hand-out-summary]", "601 saņēmējs · 601 eksemplārs").await;
    app.type_into("#hand-out-date", "02.09.2016").await;
    app.select("#hand-out-method", "mailed").await;
    // Below a long list of recipients: brought into view before the click.
    app.eval("document.querySelector('[data-testid=save]').scrollIntoView({ block: 'end' }); return 0;").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-material]").await;
    app.wait_for_text("[data-testid=on-hand]", "341").await;
    app.click("[data-testid=nav-reports]").await;
    app.click("[data-testid=report-figure-distributions]").await;
    app.click("[data-testid=report-by-material]").await;
    app.wait_for_text_containing("[data-testid=report-table] tbody", "Plakāts „Drošs darbs ārzemēs”").await;
    let cells = app
        .eval(
            "return [...[...document.querySelectorAll('[data-testid=report-row]')]
               .find((tr) => tr.innerText.includes('Drošs darbs')).children].map((c) => c.innerText.trim());",
        )
        .await;
    assert_eq!(
        cells,
        serde_json::json!(["Plakāts „Drošs darbs ārzemēs”", "630", "659", "630"]),
        "hand-outs, copies, recipients"
    );
    app.close().await;
}
