//! The consultant's workspace in the real window: records created, refused, edited,
//! deleted and restored through the forms; lists; the Ctrl+K search.

use saite_e2e::{AppSession, Harness, launch};

async fn select(app: &AppSession, css: &str, value: &str) {
    let script = format!(
        "const s = document.querySelector({css:?}); s.value = {value:?}; \
         s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;"
    );
    assert_eq!(app.eval(&script).await, value, "{css} has option {value}");
}

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
    select(&app, "#seminar-kind", "round-table").await;
    select(&app, "#seminar-municipality", "daugavpils").await;
    select(&app, "[data-testid=add-group-participants]", "social-workers").await;
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
    select(&app, "#organisation-municipality", "rezekne").await;
    let warning = app.wait_for("[data-testid=duplicates]").await.text().await.unwrap();
    assert!(warning.contains("NVA Rēzeknes filiāle") && warning.contains("tāds pats nosaukums"), "{warning}");
    app.screenshot("organisation-duplicate-lv").await;
    app.close().await;
}
