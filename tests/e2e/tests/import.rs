//! Importing organisations and people from a partner's file in the real window: the
//! columns guessed from the header, every row checked with its reasons, duplicates
//! merged, nothing written before "Import"; and people saved as vCards imported back as
//! themselves.

use saite_e2e::Harness;

const PARTNERS_CSV: &str = "\u{feff}Vārds, uzvārds;Organizācija;Tālrunis;E-pasts;Pašvaldība\r\n\
    Ilze Kalniņa;Patvērums „Drošā māja”;+371 26000001;ilze@example.lv;Rīga\r\n\
    Rasa Saliņa;;+37129145314;rasa@example.lv;\r\n\
    ;;+37126000002;;\r\n\
    Juris Bērziņš;;12345;nav-epasts;\r\n\
    Pēteris Ozols;Nezināma iestāde;;;\r\n\
    Ilze Kalniņa;;+371 26000001;;\r\n\
    Anna Liepa;;;;Daugavpils\r\n";

async fn people_count(app: &saite_e2e::AppSession) -> u64 {
    app.click("[data-testid=nav-organisations]").await;
    app.click("[data-testid=tab-person]").await;
    // The count is there once the first rows are (the demo data has people).
    app.wait_for("[data-testid=list-person] [data-testid=list-row]").await;
    app.eval("return Number(document.querySelector('[data-testid=list-count]').dataset.count)").await.as_u64().unwrap()
}

/// Gives the Import screen's file input the file at `path`.
async fn choose_file(app: &saite_e2e::AppSession, path: &std::path::Path) {
    app.wait_for("[data-testid=import-file]").await.send_keys(&path.display().to_string()).await.unwrap();
}

/// The field each column of the file is mapped to, in column order.
async fn mapping(app: &saite_e2e::AppSession) -> Vec<String> {
    let mapped =
        app.eval("return [...document.querySelectorAll('[data-testid^=import-map-]')].map(s => s.value)").await;
    serde_json::from_value(mapped).unwrap()
}

/// Checks a file holding one new record and imports it.
async fn import_one_new(app: &saite_e2e::AppSession) {
    app.click("[data-testid=import-check]").await;
    app.wait_for_text("[data-testid=import-summary]", "Jauni: 1 · līdzīgi esošiem: 0 · ar kļūdām: 0 · atkārtojas: 0")
        .await;
    app.click("[data-testid=import-confirm]").await;
    app.wait_for_text("[data-testid=import-report]", "Pievienoti: 1 · apvienoti: 0 · izlaisti: 0").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_partners_file_is_checked_row_by_row_and_imported_in_one_go_and_vcards_come_back() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let export_dir = files.path().join("saved");
    let app = saite_e2e::launch_saving_to(&h, "import", data.path(), &export_dir).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    let before = people_count(&app).await;

    app.click("[data-testid=import-open-person]").await;
    app.wait_for("[data-testid=import-person]").await;
    let csv = files.path().join("partneri.csv");
    std::fs::write(&csv, PARTNERS_CSV).unwrap();
    choose_file(&app, &csv).await;
    app.wait_for_text("[data-testid=import-rows-in-file]", "Rindas failā: 7").await;
    let mapped = mapping(&app).await;
    assert_eq!(mapped, ["fullName", "organisation", "phones", "emails", "municipality"], "guessed from the header");
    assert_eq!(
        app.eval("return document.querySelector('[data-testid=import-default-legalBasis]').value").await,
        "legitimate-interest"
    );

    app.click("[data-testid=import-check]").await;
    app.wait_for_text("[data-testid=import-summary]", "Jauni: 2 · līdzīgi esošiem: 1 · ar kļūdām: 3 · atkārtojas: 1")
        .await;
    let reasons = |line: u32| format!("[data-testid=import-row][data-line='{line}'] [data-testid=import-row-errors]");
    assert_eq!(app.text(&reasons(4)).await, "Vārds, uzvārds: Šis lauks ir obligāts.");
    assert!(app.text(&reasons(5)).await.starts_with("Tālruņi: Tas nav derīgs tālruņa numurs"));
    assert_eq!(app.text(&reasons(6)).await, "Organizācija: Saistītais ieraksts nav atrasts.");
    assert_eq!(
        app.eval(
            "return document.querySelector('[data-testid=import-row][data-line=\"3\"] select').selectedOptions[0].text"
        )
        .await,
        "Apvienot ar „Rasa Saliņa”"
    );
    app.eval("document.querySelector('[data-testid=import-summary]').scrollIntoView(); return 0;").await;
    app.screenshot("import-preview-lv").await;
    // Nothing is written before "Import".
    assert_eq!(people_count(&app).await, before);
    app.click("[data-testid=import-open-person]").await;
    choose_file(&app, &csv).await;
    app.click("[data-testid=import-check]").await;
    app.wait_for("[data-testid=import-summary]").await;
    app.click("[data-testid=import-confirm]").await;
    app.wait_for_text("[data-testid=import-report]", "Pievienoti: 2 · apvienoti: 1 · izlaisti: 4").await;
    assert_eq!(app.text("[data-testid=import-skipped] li[data-line='7']").await, "Rinda 7: Atkārto 2. rindu");
    app.screenshot("import-report-lv").await;
    app.click("[data-testid=import-open-list]").await;
    app.wait_for("[data-testid=list-person]").await;
    assert_eq!(people_count(&app).await, before + 2);

    // Everyone saved as vCards, then imported back: each finds itself, nothing new.
    app.click("[data-testid=export-vcard]").await;
    let saved = app.wait_for("[data-testid=export-saved]").await.attr("data-path").await.unwrap().unwrap();
    app.click("[data-testid=import-open-person]").await;
    choose_file(&app, std::path::Path::new(&saved)).await;
    app.wait_for_text("[data-testid=import-rows-in-file]", &format!("Rindas failā: {}", before + 2)).await;
    app.click("[data-testid=import-check]").await;
    app.wait_for_text(
        "[data-testid=import-summary]",
        &format!("Jauni: 0 · līdzīgi esošiem: {} · ar kļūdām: 0 · atkārtojas: 0", before + 2),
    )
    .await;
    app.click("[data-testid=import-confirm]").await;
    app.wait_for_text(
        "[data-testid=import-report]",
        &format!("Pievienoti: 0 · apvienoti: {} · izlaisti: 0", before + 2),
    )
    .await;
    assert_eq!(people_count(&app).await, before + 2);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn organisations_and_people_with_their_name_in_two_columns_import() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch(&h, "import-organisations", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    // Organisations: the kind and the municipality named as people write them.
    app.click("[data-testid=nav-organisations]").await;
    app.click("[data-testid=import-open-organisation]").await;
    let csv = files.path().join("iestādes.csv");
    std::fs::write(
        &csv,
        "Nosaukums,Veids,Pašvaldība,Tālrunis\nRēzeknes jauniešu māja „Zīle”,Jauniešu centrs,Rēzekne,+371 67999991\n",
    )
    .unwrap();
    choose_file(&app, &csv).await;
    app.wait_for_text("[data-testid=import-rows-in-file]", "Rindas failā: 1").await;
    import_one_new(&app).await;
    app.click("[data-testid=import-open-list]").await;

    // People whose first and family names are in two columns.
    app.click("[data-testid=tab-person]").await;
    app.click("[data-testid=import-open-person]").await;
    let people = files.path().join("cilvēki.csv");
    std::fs::write(&people, "Vārds;Uzvārds;Iestāde\nInga;Ozola;Rēzeknes jauniešu māja „Zīle”\n").unwrap();
    choose_file(&app, &people).await;
    app.wait_for("[data-testid=import-map-1]").await;
    let mapped = mapping(&app).await;
    assert_eq!(mapped, ["givenName", "familyName", "organisation"]);
    import_one_new(&app).await;
    app.click("[data-testid=import-open-list]").await;
    app.wait_for("[data-testid=list-count][data-count='3']").await;
    app.wait_for("[data-testid=list-person] [data-testid=list-row]").await;
    let rows: Vec<String> = serde_json::from_value(
        app.eval("return [...document.querySelectorAll('[data-testid=list-row]')].map(r => r.textContent)").await,
    )
    .unwrap();
    assert!(
        rows.iter().any(|r| r.contains("Inga Ozola") && r.contains("Rēzeknes jauniešu māja „Zīle”")),
        "her full name, linked to the new organisation: {rows:?}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_excel_workbook_imports_with_its_numbers_read_as_text() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch(&h, "import-xlsx", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    // A partner's sheet as Excel keeps it: the phone typed as a number.
    let xlsx = files.path().join("skolas.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, header) in ["Nosaukums", "Veids", "Pašvaldība", "Tālrunis"].into_iter().enumerate() {
        sheet.write_string(0, column as u16, header).unwrap();
    }
    sheet.write_string(1, 0, "Ludzas 2. vidusskola").unwrap();
    sheet.write_string(1, 1, "Skola").unwrap();
    sheet.write_string(1, 2, "Ludzas novads").unwrap();
    sheet.write_number(1, 3, 65707123.0).unwrap();
    book.save(&xlsx).unwrap();

    app.click("[data-testid=nav-organisations]").await;
    app.click("[data-testid=import-open-organisation]").await;
    choose_file(&app, &xlsx).await;
    app.wait_for_text("[data-testid=import-rows-in-file]", "Rindas failā: 1").await;
    assert_eq!(app.text("[data-testid=import-mapping] td.examples").await, "Ludzas 2. vidusskola");
    import_one_new(&app).await;

    let school = app
        .eval(
            "return window.__TAURI_INTERNALS__.invoke('search_records', { query: 'Ludzas 2. vidusskola', limit: 1 })
               .then((hits) => window.__TAURI_INTERNALS__.invoke('get_record', { id: hits[0].id }))
               .then((r) => r.document)",
        )
        .await;
    assert_eq!(school["kind"], "school");
    assert_eq!(school["municipality"], "ludzas-novads");
    assert_eq!(school["phones"], serde_json::json!(["+37165707123"]), "the number as a phone, not 65707123.0");
    app.close().await;
}
