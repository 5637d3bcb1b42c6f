//! The Reports section in the real window: the seeds' figures read off the screen in
//! Latvian and Russian, filters, a figure opening the records behind it.

use saite_e2e::{AppSession, Harness, launch};

/// Chooses the option of the select `css` whose text is `text` ("" for the first, "any").
async fn choose_by_text(app: &AppSession, css: &str, text: &str) {
    // The records a select names arrive after the screen.
    app.wait_for(&format!("{css} option:nth-child(2)")).await;
    let script = format!(
        "const s = document.querySelector({css:?}); \
         s.value = [...s.options].find((o) => o.value === '' ? {text:?} === '' : o.text === {text:?}).value; \
         s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;"
    );
    app.eval(&script).await;
}

/// The report table as text: the header row, then each row (the total last), cell by
/// cell as the screen shows them.
async fn table(app: &AppSession) -> Vec<Vec<String>> {
    let rows = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=report-table] tr')]
               .map((tr) => [...tr.children].map((c) => c.innerText.trim()));",
        )
        .await;
    serde_json::from_value(rows).unwrap()
}

/// Waits until the report's total row shows `events` events and `people` participants.
async fn wait_for_totals(app: &AppSession, events: &str, people: &str) {
    app.wait_for_text("[data-testid=report-total] td[data-column='0']", events).await;
    app.wait_for_text("[data-testid=report-total] td[data-column='1']", people).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rigas_training_figures_read_off_the_reports_screen_in_latvian_and_russian() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "reports", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    app.click("[data-testid=nav-reports]").await;
    assert_eq!(app.text("#section-heading").await, "Pārskati");
    app.wait_for("[data-testid=report-table]").await;
    app.screenshot("reports-all-lv").await;

    // Training ("Apmācības") in the Rīga region: 411 people in 2010–2014.
    app.select("[data-testid=report-kind]", "training").await;
    app.select("[data-testid=report-region]", "riga").await;
    wait_for_totals(&app, "5", "411").await;
    let lv = table(&app).await;
    assert_eq!(
        lv[0],
        [
            "Gads",
            "Pasākumi",
            "Dalībnieki",
            "Pašvaldību darbinieki",
            "Sociālie darbinieki",
            "Sociālie pedagogi",
            "Pašvaldības policisti"
        ]
    );
    let by_year: Vec<(&str, &str)> = lv[1..6].iter().map(|r| (r[0].as_str(), r[2].as_str())).collect();
    assert_eq!(by_year, [("2010", "60"), ("2011", "60"), ("2012", "95"), ("2013", "81"), ("2014", "115")]);
    assert_eq!(lv[6], ["Kopā", "5", "411", "61", "240", "50", "60"], "the split by target group");
    assert_eq!(app.text("[data-testid=report-summary]").await, "5 pasākumi · 411 dalībnieku");
    app.wait_for("[data-testid=report-chart] canvas").await;
    app.screenshot("reports-training-riga-lv").await;

    // The same split as rows, one per target group.
    app.click("[data-testid=report-by-target-group]").await;
    app.wait_for_text("[data-testid=report-row]:first-child th", "Pašvaldību darbinieki").await;
    let groups = table(&app).await;
    let rows: Vec<(&str, &str, &str)> =
        groups[1..].iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        rows,
        [
            ("Pašvaldību darbinieki", "1", "61"),
            ("Sociālie darbinieki", "4", "240"),
            ("Sociālie pedagogi", "1", "50"),
            ("Pašvaldības policisti", "3", "60"),
            ("Kopā", "5", "411"),
        ]
    );
    app.screenshot("reports-by-target-group-lv").await;

    // A filter: only the municipal police, counted by year.
    app.click("[data-testid=report-by-year]").await;
    app.select("[data-testid=report-target-group]", "municipal-police-officers").await;
    wait_for_totals(&app, "3", "60").await;
    app.select("[data-testid=report-target-group]", "").await;
    wait_for_totals(&app, "5", "411").await;

    // A period chosen at once: the year 2012 fills both dates and the period line.
    assert_eq!(app.text("[data-testid=report-period]").await, "Periods: viss laiks");
    app.select("[data-testid=report-period-preset]", "2012").await;
    wait_for_totals(&app, "1", "95").await;
    assert_eq!(app.value("[data-testid=report-from]").await, "01.01.2012");
    assert_eq!(app.value("[data-testid=report-to]").await, "31.12.2012");
    assert_eq!(app.text("[data-testid=report-period]").await, "Periods: 01.01.2012–31.12.2012");
    // Dates typed by hand are a period of their own.
    app.type_into("[data-testid=report-to]", "31.10.2013").await;
    wait_for_totals(&app, "2", "176").await;
    assert_eq!(app.value("[data-testid=report-period-preset]").await, "own");
    assert_eq!(app.text("[data-testid=report-period]").await, "Periods: 01.01.2012–31.10.2013");
    app.select("[data-testid=report-period-preset]", "all").await;
    wait_for_totals(&app, "5", "411").await;
    assert_eq!(app.value("[data-testid=report-from]").await, "");

    // A figure opens the records behind it: the 95 trained in 2012 are one seminar.
    app.click("[data-testid=report-row][data-key='2012'] td[data-column='1'] button").await;
    app.wait_for("[data-testid=list-preset]").await;
    app.wait_for_text("[data-testid=list-count]", "1 ieraksts").await;
    // The list's own controls say what the figure chose; nothing else is fixed.
    assert_eq!(app.value("[data-testid=filter-region]").await, "riga");
    assert_eq!(app.value("[data-testid=filter-kind]").await, "training");
    assert_eq!(app.value("[data-testid=filter-year]").await, "2012");
    app.wait_gone("[data-testid=list-preset-filters]").await;
    // Seminars take place in Latvia: their region choice has no "abroad".
    let regions = app
        .eval("return [...document.querySelectorAll('[data-testid=filter-region] option')].map((o) => o.value)")
        .await;
    assert_eq!(regions, serde_json::json!(["", "riga", "kurzeme", "latgale", "vidzeme", "zemgale"]));
    // The participants the figure counted are a column of their own.
    assert_eq!(app.text("[data-testid=list-counted]").await, "Dalībnieki");
    let row = app.eval("return document.querySelector('[data-testid=list-row]').textContent").await;
    assert!(row.as_str().unwrap().contains("Rīgas pašvaldības darbinieku apmācības 2012"), "{row}");
    assert!(row.as_str().unwrap().ends_with("95"), "{row}");
    app.screenshot("reports-figure-records-lv").await;
    // The controls go on filtering: any kind of event in Rīga in 2012.
    app.select("[data-testid=filter-kind]", "").await;
    app.wait_for_text_containing("[data-testid=list-count]", "ieraksti").await;
    // Back to the report, as it was left.
    app.click("[data-testid=list-preset-back]").await;
    wait_for_totals(&app, "5", "411").await;
    // The social pedagogues of the whole period: one seminar; the social workers: four.
    app.click("[data-testid=report-total] td[data-column='4'] button").await;
    app.wait_for_text("[data-testid=list-count]", "1 ieraksts").await;
    assert_eq!(app.text("[data-testid=list-preset-filters]").await, "Sociālie pedagogi");
    assert_eq!(app.text("[data-testid=list-counted]").await, "Sociālie pedagogi");
    let row = app.eval("return document.querySelector('[data-testid=list-row]').textContent").await;
    assert!(row.as_str().unwrap().ends_with("50"), "{row}");
    app.click("[data-testid=list-preset-back]").await;
    app.click("[data-testid=report-total] td[data-column='3'] button").await;
    app.wait_for_text("[data-testid=list-count]", "4 ieraksti").await;
    assert_eq!(app.text("[data-testid=list-preset-filters]").await, "Sociālie darbinieki");
    app.click("[data-testid=list-preset-clear]").await;
    app.wait_gone("[data-testid=list-preset]").await;

    // In Russian: the same figures, the names in Russian.
    app.choose_language("ru").await;
    app.click("[data-testid=nav-reports]").await;
    wait_for_totals(&app, "5", "411").await;
    let ru = table(&app).await;
    assert_eq!(ru[0][..3], ["Год", "Мероприятия", "Участники"]);
    assert_eq!(ru[0][4], "Социальные работники");
    let by_year: Vec<&str> = ru[1..6].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(by_year, ["60", "60", "95", "81", "115"]);
    assert_eq!(ru[6][0], "Всего");
    assert_eq!(app.text("[data-testid=report-summary]").await, "5 мероприятий · 411 участников");
    app.screenshot("reports-training-riga-ru").await;
    app.click("[data-testid=report-by-quarter]").await;
    app.wait_for_text("[data-testid=report-row]:first-child th", "4-й квартал 2010 г.").await;

    app.choose_language("en").await;
    app.click("[data-testid=nav-reports]").await;
    app.click("[data-testid=report-by-region]").await;
    app.click("[data-testid=report-clear]").await;
    app.wait_for_text("[data-testid=report-row]:first-child th", "Riga").await;
    app.screenshot("reports-by-region-en").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn materials_handed_out_are_counted_by_the_recipients_kind_and_open_their_log() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "reports-materials", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    app.click("[data-testid=nav-reports]").await;
    // Events of the campaigns the ministry funds: "Atver acis" and STROM, one each.
    choose_by_text(&app, "[data-testid=report-funder]", "Iekšlietu ministrija").await;
    app.wait_for_text_containing("[data-testid=report-summary]", "2 pasākumi").await;
    choose_by_text(&app, "[data-testid=report-funder]", "").await;
    // By funder: an event under each funder of its campaign.
    app.click("[data-testid=report-by-funder]").await;
    app.wait_for_text("[data-testid=report-table] thead th:first-child", "Finansētājs").await;
    let rows = table(&app).await;
    let row = |name: &str| rows.iter().find(|r| r[0] == name).unwrap_or_else(|| panic!("no {name}: {rows:?}")).clone();
    assert_eq!(row("Iekšlietu ministrija")[1..3], ["2", "65"], "Atver acis (40) and STROM (25)");
    assert_eq!(row("Rīgas dome")[1..3], ["1", "30"]);
    app.click("[data-testid=report-by-year]").await;

    // The organisations the events reached: the nine at the Daugavpils seminar and the
    // library at "Atver acis", each once; that campaign alone reached the library.
    app.click("[data-testid=report-figure-organisations]").await;
    app.wait_for_text("[data-testid=report-summary]", "10 organizāciju").await;
    app.wait_for("[data-testid=report-chart] canvas").await;
    app.screenshot("reports-organisations-lv").await;
    choose_by_text(&app, "[data-testid=report-campaign]", "Atver acis").await;
    app.wait_for_text("[data-testid=report-summary]", "1 organizācija").await;
    assert_eq!(table(&app).await[1], ["Bibliotēka", "1"]);
    app.click("[data-testid=report-row] td[data-column='0'] button").await;
    app.wait_for("[data-testid=list-organisation]").await;
    app.wait_for_text("[data-testid=list-count]", "1 ieraksts").await;
    assert_eq!(app.text("[data-testid=list-preset-filters]").await, "Atver acis");
    assert_eq!(app.value("[data-testid=filter-kind]").await, "library");
    app.click("[data-testid=list-preset-back]").await;
    choose_by_text(&app, "[data-testid=report-campaign]", "").await;

    app.click("[data-testid=report-figure-distributions]").await;
    app.click("[data-testid=report-by-organisation-kind]").await;
    app.wait_for_text("[data-testid=report-table] thead th:first-child", "Organizācijas veids").await;
    let rows = table(&app).await;
    assert_eq!(rows[0], ["Organizācijas veids", "Nodošanas reizes", "Eksemplāri", "Saņēmēji"]);
    let row =
        |name: &str| rows.iter().find(|r| r[0] == name).unwrap_or_else(|| panic!("no row {name}: {rows:?}")).clone();
    assert_eq!(row("NVA filiāle"), ["NVA filiāle", "28", "28", "28"], "a banner in each of 28 NVA branches");
    assert_eq!(row("Vēstniecība"), ["Vēstniecība", "3", "600", "3"], "booklets to three embassies");
    app.wait_for("[data-testid=report-chart] canvas").await;
    app.screenshot("reports-materials-by-organisation-kind-lv").await;

    // Only booklets: they went to the embassies alone.
    app.select("[data-testid=report-material-kind]", "booklet").await;
    app.wait_for_text("[data-testid=report-row]:first-child th", "Vēstniecība").await;
    assert_eq!(table(&app).await.len(), 3, "one row and the total: {:?}", table(&app).await);
    app.select("[data-testid=report-material-kind]", "").await;
    // The booklet belongs to the Riga project: its campaign filter finds the same.
    choose_by_text(
        &app,
        "[data-testid=report-campaign]",
        "Preventīvie pasākumi cilvēku tirdzniecības mazināšanai - 2015",
    )
    .await;
    app.wait_for_text("[data-testid=report-row]:first-child th", "Vēstniecība").await;
    assert_eq!(table(&app).await.len(), 3, "one row and the total: {:?}", table(&app).await);
    choose_by_text(&app, "[data-testid=report-campaign]", "").await;
    // And by that project's funder, through the campaign's links.
    choose_by_text(&app, "[data-testid=report-funder]", "Rīgas dome").await;
    app.wait_for_text("[data-testid=report-row]:first-child th", "Vēstniecība").await;
    assert_eq!(table(&app).await.len(), 3, "one row and the total: {:?}", table(&app).await);
    choose_by_text(&app, "[data-testid=report-funder]", "").await;

    // The 600 copies open the three entries of the distribution log behind them.
    app.wait_for("[data-testid=report-row][data-key=embassy]").await;
    app.click("[data-testid=report-row][data-key=embassy] td[data-column='1'] button").await;
    app.wait_for("[data-testid=list-distribution]").await;
    app.wait_for_text("[data-testid=list-count]", "3 ieraksti").await;
    assert_eq!(app.text("[data-testid=list-preset-filters]").await, "Vēstniecība");
    app.screenshot("reports-materials-records-lv").await;

    // By region, the embassies (a country, no municipality) are abroad, and so is what
    // they received; the organisations list finds them by that region too.
    app.click("[data-testid=list-preset-back]").await;
    app.click("[data-testid=report-by-region]").await;
    app.wait_for("[data-testid=report-row][data-key=abroad]").await;
    let rows = table(&app).await;
    let abroad = rows.iter().find(|r| r[0] == "Ārzemes").unwrap_or_else(|| panic!("no row abroad: {rows:?}"));
    assert_eq!(abroad[1..], ["3", "600", "3"]);
    app.click("[data-testid=report-row][data-key=abroad] td[data-column='0'] button").await;
    app.wait_for_text("[data-testid=list-count]", "3 ieraksti").await;
    app.click("[data-testid=nav-organisations]").await;
    app.select("[data-testid=filter-region]", "abroad").await;
    app.wait_for_text("[data-testid=list-count]", "3 ieraksti").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hotline_contact_recorded_in_its_form_is_counted_in_the_reports() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "reports-hotline", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;

    // The demo's 471 contacts of August 2013 to December 2015.
    app.click("[data-testid=nav-hotline]").await;
    assert_eq!(app.text("#section-heading").await, "Uzticības tālrunis");
    app.wait_for_text("[data-testid=list-count]", "471 ieraksts").await;

    // A time that is not one is refused beside its field; the notes warn what not to write.
    app.click("[data-testid=new-hotline-contact]").await;
    app.wait_for("[data-testid=form-hotline-contact]").await;
    let hint = app.text("[data-field=notes] .hint").await;
    assert!(hint.starts_with("Kontakts ir anonīms"), "{hint}");
    app.type_into("#hotline-contact-date", "7.12.2026").await;
    app.type_into("#hotline-contact-time", "25:10").await;
    app.select("#hotline-contact-channel", "phone").await;
    app.select("#hotline-contact-topic", "work-abroad").await;
    app.select("#hotline-contact-region", "latgale").await;
    app.type_into("#hotline-contact-notes", "Jautāja par darba piedāvājumu Norvēģijā.").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=form-error]").await;
    assert_eq!(app.text("[data-testid=error-time]").await, "Laiku raksta kā stundas un minūtes, piemēram, 14:30.");
    app.screenshot("hotline-form-lv").await;
    app.type_into("#hotline-contact-time", "9.05").await;
    app.click("[data-testid=save]").await;
    app.wait_for("[data-testid=page-hotline-contact]").await;
    assert_eq!(app.text("[data-testid=record-title]").await, "07.12.2026");
    assert_eq!(app.text("[data-testid=value-time]").await, "09:05");
    assert_eq!(app.text("[data-testid=value-topic]").await, "Darbs ārzemēs");

    // Counted by topic: the seeds' 152 contacts about work abroad, and this one.
    app.click("[data-testid=nav-reports]").await;
    app.click("[data-testid=report-figure-hotline]").await;
    app.click("[data-testid=report-by-topic]").await;
    app.wait_for_text("[data-testid=report-table] thead th:first-child", "Tēma").await;
    let rows = table(&app).await;
    assert_eq!(rows[0], ["Tēma", "Kontakti"]);
    assert_eq!(rows[1], ["Fiktīvā laulība", "168"], "most were about sham marriages");
    assert_eq!(rows[2], ["Darbs ārzemēs", "153"]);
    assert_eq!(rows.last().unwrap(), &["Kopā", "472"]);
    assert_eq!(app.text("[data-testid=report-summary]").await, "472 kontakti");
    app.screenshot("reports-hotline-by-topic-lv").await;

    // Latgale in 2026: this contact alone, which its figure opens.
    app.select("[data-testid=report-region]", "latgale").await;
    app.type_into("[data-testid=report-from]", "01.01.2026").await;
    app.wait_for_text("[data-testid=report-total] td[data-column='0']", "1").await;
    app.click("[data-testid=report-row][data-key=work-abroad] td[data-column='0'] button").await;
    app.wait_for("[data-testid=list-hotline-contact]").await;
    app.wait_for_text("[data-testid=list-count]", "1 ieraksts").await;
    assert_eq!(app.text("[data-testid=list-preset-filters]").await, "01.01.2026–…");
    assert_eq!(app.value("[data-testid=filter-region]").await, "latgale");
    assert_eq!(app.value("[data-testid=filter-topic]").await, "work-abroad");
    app.close().await;
}

/// The cells of an exported file's rows, as text (numbers without a fraction).
fn xlsx_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) => {
                        assert_eq!(f.fract(), 0.0, "a whole number");
                        format!("{f:.0}")
                    }
                    Data::Int(n) => n.to_string(),
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn csv_rows(path: &std::path::Path, separator: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("a byte-order mark for Excel");
    let mut reader = csv::ReaderBuilder::new().delimiter(separator).has_headers(false).from_reader(body);
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// Clicks the save button of `format` in the save bar `bar` (its test id) and waits for
/// the file's path to be shown there.
async fn save_in(app: &saite_e2e::AppSession, bar: &str, format: &str) -> std::path::PathBuf {
    let shown = format!(
        "const s = document.querySelector('[data-testid={bar}] [data-testid=export-saved]'); \
         return s ? s.dataset.path : null"
    );
    let before = app.eval(&shown).await;
    app.click(&format!("[data-testid={bar}] [data-testid=export-{format}]")).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let now = app.eval(&shown).await;
        if now != before && now.is_string() {
            return std::path::PathBuf::from(now.as_str().unwrap());
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{format} was not saved: {:?}",
            app.text(&format!("[data-testid={bar}]")).await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// [`save_in`] the screen's first save bar (a list's, a report table's).
async fn save_as(app: &saite_e2e::AppSession, format: &str) -> std::path::PathBuf {
    save_in(app, "save-file", format).await
}

/// A PDF's text as a reader extracts it, its spaces made plain.
fn pdf_text(path: &std::path::Path) -> String {
    saite_export::pdf_text(path).replace('\u{a0}', " ")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_saved_as_csv_and_xlsx_reads_back_as_the_screen_shows_it() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch_saving_to(&h, "reports-export", data.path(), exports.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    app.click("[data-testid=nav-reports]").await;
    app.select("[data-testid=report-kind]", "training").await;
    app.select("[data-testid=report-region]", "riga").await;
    wait_for_totals(&app, "5", "411").await;
    let screen = table(&app).await;

    let mut saved = Vec::new();
    for format in ["xlsx", "csv", "csv-excel-lv"] {
        let path = save_as(&app, format).await;
        assert_eq!(path.parent().unwrap(), exports.path(), "saved in the export folder");
        saved.push(path);
    }
    app.screenshot("reports-export-lv").await;
    let name = saved[0].file_name().unwrap().to_str().unwrap().to_owned();
    assert!(
        name.starts_with("Pasākumi un dalībnieki pa gadiem (Rīga · Apmācības) 20") && name.ends_with(".xlsx"),
        "the title and what it keeps to: {name}"
    );
    assert_eq!(xlsx_rows(&saved[0]), screen, "the spreadsheet holds the screen's table");
    assert_eq!(csv_rows(&saved[1], b','), screen);
    assert_eq!(csv_rows(&saved[2], b';'), screen);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filtered_list_saves_its_records_and_people_save_as_vcards() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch_saving_to(&h, "list-export", data.path(), exports.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    app.click("[data-testid=nav-seminars]").await;
    app.select("[data-testid=filter-region]", "riga").await;
    app.select("[data-testid=filter-kind]", "training").await;
    app.wait_for_text("[data-testid=list-count]", "5 ieraksti").await;
    let titles: Vec<String> = serde_json::from_value(
        app.eval(
            "return [...document.querySelectorAll('[data-testid=list-row]')]
               .map(r => r.querySelectorAll('.cell')[1].textContent)",
        )
        .await,
    )
    .unwrap();
    app.screenshot("list-export-lv").await;

    let xlsx = save_as(&app, "xlsx").await;
    assert_eq!(xlsx.parent().unwrap(), exports.path());
    assert!(xlsx.file_name().unwrap().to_str().unwrap().starts_with("Semināri "), "{xlsx:?}");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::{DataType, Reader};
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<_> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {header:?}"));
    let saved_titles: Vec<String> = rows[1..].iter().map(|r| r[column("Nosaukums")].to_string()).collect();
    assert_eq!(saved_titles, titles, "the list's records, in its order");
    let people: f64 =
        rows[1..].iter().map(|r| r[column("Dalībnieki pa mērķgrupām: kopā")].as_f64().expect("a number")).sum();
    assert_eq!(people, 411.0, "the seeds' 411 people trained in Rīga");

    // The same list as CSV for Latvian Excel: the same titles, dates as 09.11.2012.
    let csv = save_as(&app, "csv-excel-lv").await;
    let csv = csv_rows(&csv, b';');
    assert_eq!(csv.len(), rows.len());
    let date = column("Datums");
    assert!(csv[1..].iter().all(|r| r[date].len() == 10 && r[date].as_bytes()[2] == b'.'), "{:?}", csv[1]);

    // People, as cards for an address book.
    app.click("[data-testid=nav-organisations]").await;
    app.click("[data-testid=tab-person]").await;
    // Counted once the people's own rows show (the organisations' count went before).
    app.wait_for("[data-testid=list-person] [data-testid=list-row]").await;
    let count: u64 = app
        .eval(
            "return Number(document.querySelector('[data-testid=list-person] [data-testid=list-count]').dataset.count)",
        )
        .await
        .as_u64()
        .unwrap();
    let vcf = save_as(&app, "vcard").await;
    let text = std::fs::read_to_string(&vcf).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD\r\n").count() as u64, count, "one card per person listed");
    assert_eq!(text.matches("VERSION:4.0\r\n").count() as u64, count);
    app.screenshot("list-export-vcard-lv").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_list_save_shows_its_progress_and_a_cancel_leaves_no_file() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch_saving_to(&h, "list-export-cancel", data.path(), exports.path()).await;
    // Enough organisations that saving them takes longer than a second.
    const RECORDS: usize = 40_000;
    for batch in 0..RECORDS / 2_000 {
        let docs = (0..2_000)
            .map(|i| {
                serde_json::json!(["organisation", {
                    "name": format!("Iestāde {:06}", batch * 2_000 + i),
                    "kind": "school",
                    "municipality": "riga",
                    "notes": "Piezīmes, kas aizņem vietu; un \"pēdiņas\".",
                }])
            })
            .collect();
        app.create_records(docs).await;
    }
    app.click("[data-testid=nav-organisations]").await;
    app.wait_for("[data-testid=list-count][data-count='40000']").await;

    app.click("[data-testid=export-xlsx]").await;
    app.wait_for("[data-testid=export-progress]").await;
    let progress = app.text("[data-testid=export-progress]").await.replace('\u{a0}', " ");
    assert!(progress.starts_with("Saglabāti ") && progress.ends_with(" no 40 000"), "{progress}");
    app.screenshot("list-export-progress-lv").await;
    app.click("[data-testid=export-cancel]").await;
    app.wait_for_text("[data-testid=export-cancelled]", "Saglabāšana atcelta, fails nav izveidots.").await;
    let left: Vec<_> = std::fs::read_dir(exports.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "a cancelled save leaves nothing: {left:?}");

    // Saved to the end, it holds every one.
    let csv = save_as(&app, "csv").await;
    assert_eq!(csv_rows(&csv, b',').len(), RECORDS + 1);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_funders_report_and_a_seminars_report_print_their_figures_in_each_language() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch_saving_to(&h, "printed-reports", data.path(), exports.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    app.click("[data-testid=nav-reports]").await;
    app.select("[data-testid=report-kind]", "training").await;
    app.select("[data-testid=report-region]", "riga").await;
    wait_for_totals(&app, "5", "411").await;

    for (lang, title, keeps_to, events, people) in [
        ("lv", "Pārskats finansētājam", "Rīga · Apmācības", "Pasākumi:", "Dalībnieki:"),
        ("ru", "Отчёт для финансирующей организации", "Рига · Обучение", "Мероприятия:", "Участники:"),
        ("en", "Report for the funder", "Riga · Training", "Events:", "Participants:"),
    ] {
        if lang != "lv" {
            app.choose_language(lang).await;
            app.click("[data-testid=nav-reports]").await;
            wait_for_totals(&app, "5", "411").await;
        }
        let pdf = save_in(&app, "funder-report", "pdf").await;
        assert_eq!(pdf.extension().unwrap(), "pdf");
        // Kept beside the screenshots, to be looked at.
        std::fs::copy(&pdf, h.artifacts.join(format!("funder-report-{lang}.pdf"))).unwrap();
        let text = pdf_text(&pdf);
        for needle in [title, keeps_to] {
            assert!(text.contains(needle), "{lang}: {needle:?} in\n{text}");
        }
        // The totals, as facts: 5 events, 411 people.
        let fact = |label: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_owned()))
                .unwrap_or_else(|| panic!("{lang}: {label} in\n{text}"))
        };
        assert_eq!(fact(events), "5");
        assert_eq!(fact(people), "411");
        // Every one of the five trainings is listed with its date.
        let dated = text
            .lines()
            .filter(|l| l.trim_start().len() > 10 && matches!(l.trim_start().as_bytes()[2], b'.' | b'/'))
            .count();
        assert!(dated >= 5, "{lang}: five dated events in\n{text}");
    }
    app.screenshot("reports-funder-report-en").await;

    // A seminar's own report, for the partner who hosted it.
    app.choose_language("lv").await;
    app.click("[data-testid=nav-seminars]").await;
    app.click("[data-testid=list-row]").await;
    app.wait_for("[data-testid=participants-total]").await;
    let title = app.text("[data-testid=record-title]").await;
    let participants = app.text("[data-testid=participants-total]").await.replace('\u{a0}', " ");
    let pdf = save_in(&app, "seminar-print", "pdf").await;
    std::fs::copy(&pdf, h.artifacts.join("seminar-report-lv.pdf")).unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains(&title), "{title:?} in\n{text}");
    assert!(text.contains("Dalībnieki pa mērķgrupām"), "{text}");
    let total_line = text.lines().find(|l| l.trim_start().starts_with("Kopā")).expect("a total row");
    assert!(total_line.trim_end().ends_with(&participants), "{total_line:?} ends with {participants}");
    app.screenshot("seminar-print-lv").await;
    app.close().await;
}

/// Shows every figure of the Reports screen, each by its first and its last kind of
/// rows, and saves a screenshot of each as `reports-{figure}-{by}-{name}` (and of its
/// chart, `…-chart-…`): the figures come up with a table and a chart, or the figure's
/// empty message.
async fn show_every_figure(app: &AppSession, name: &str) {
    app.click("[data-testid=nav-reports]").await;
    app.wait_for("[data-testid=report-table]").await;
    for (figure, dimensions) in [
        ("events", ["year", "target-group"]),
        ("organisations", ["organisation-kind", "region"]),
        ("distributions", ["organisation-kind", "material"]),
        ("hotline", ["topic", "channel"]),
    ] {
        app.click(&format!("[data-testid=report-figure-{figure}]")).await;
        for by in dimensions {
            app.click(&format!("[data-testid=report-by-{by}]")).await;
            app.wait_for(&format!("[data-testid=report-by-{by}][aria-checked=true]")).await;
            let shown = app
                .eval(
                    "return new Promise((done) => { const seen = () => document.querySelector('[data-testid=report-empty]') \
                       ? 'empty' : document.querySelector('[data-testid=report-chart] canvas') \
                       && document.querySelector('[data-testid=report-row]') ? 'figures' : null; \
                     const wait = () => seen() ? done(seen()) : requestAnimationFrame(wait); wait(); });",
                )
                .await;
            assert!(shown == "figures" || shown == "empty", "{figure} by {by}: {shown}");
            app.screenshot(&format!("reports-{figure}-{by}-{name}")).await;
            if shown == "figures" {
                app.eval("document.querySelector('[data-testid=report-chart]').scrollIntoView(); return 0;").await;
                app.screenshot(&format!("reports-{figure}-{by}-chart-{name}")).await;
                app.eval("document.querySelector('#section-heading').scrollIntoView(); return 0;").await;
            }
        }
    }
    // Back to events by year, for whoever opens Reports next.
    app.click("[data-testid=report-figure-events]").await;
    app.click("[data-testid=report-by-year]").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_figure_shows_in_each_language_and_in_dark_mode() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "reports-every-figure", data.path()).await;
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    for lang in ["lv", "ru", "en"] {
        app.choose_language(lang).await;
        show_every_figure(&app, lang).await;
    }
    app.close().await;

    let dark = tempfile::tempdir().unwrap();
    let app = saite_e2e::launch_dark(&h, "reports-dark", dark.path()).await;
    assert_eq!(app.eval("return window.matchMedia('(prefers-color-scheme: dark)').matches").await, true);
    app.eval("return window.__TAURI_INTERNALS__.invoke('load_demo_data')").await;
    show_every_figure(&app, "dark-lv").await;
    app.close().await;
}
