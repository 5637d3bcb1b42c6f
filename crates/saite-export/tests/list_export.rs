//! Lists exported from a real store (the demo data): the files hold exactly the records
//! the list shows, named in the chosen language, and a cancelled export leaves nothing.

use std::ops::ControlFlow;
use std::sync::Arc;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use saite_domain::{Collection, ManualClock};
use saite_export::{ExportError, ExportFormat, Progress, export_cards, export_list, parse_cards};
use saite_i18n::Locale;
use saite_store::{ListFilter, ListQuery, Store, key::KdfParams};

fn demo_store(dir: &std::path::Path) -> Store {
    let clock = Arc::new(ManualClock::at(1_765_000_000_000));
    let mut store = Store::initialize(dir, "pareiza parole", KdfParams::FAST_FOR_TESTS, clock, "Sandra").unwrap();
    store.load_demo_data().unwrap();
    store
}

fn query(collection: Collection, filters: Vec<ListFilter>) -> ListQuery {
    ListQuery {
        collection,
        filters,
        sort: collection.spec().list.screen.map(|s| s.sort.to_owned()),
        descending: true,
        offset: 0,
        limit: 50,
        with_total: false,
    }
}

fn riga_training() -> Vec<ListFilter> {
    vec![
        ListFilter::Region { region: "riga".into() },
        ListFilter::FieldEquals { field: "kind".into(), value: "training".into() },
        ListFilter::Period { from: Some("2010-01-01".into()), to: Some("2014-12-31".into()) },
    ]
}

fn keep_going(seen: &mut Vec<Progress>) -> impl FnMut(Progress) -> ControlFlow<()> + '_ {
    |p| {
        seen.push(p);
        ControlFlow::Continue(())
    }
}

#[test]
fn a_filtered_list_exports_its_records_with_named_columns_and_typed_cells() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let store = demo_store(data.path());
    let q = query(Collection::Seminar, riga_training());
    let listed = store.list(&ListQuery { limit: 500, with_total: true, ..q.clone() }).unwrap();

    let mut seen = Vec::new();
    let path =
        export_list(&store, &q, Locale::Lv, ExportFormat::Xlsx, out.path(), "2026-12-07", &mut keep_going(&mut seen))
            .unwrap();
    assert_eq!(path.file_name().unwrap(), "Semināri 2026-12-07.xlsx");
    let total = u64::from(listed.total.unwrap());
    assert_eq!(seen.last(), Some(&Progress { done: total, total }));

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    assert_eq!(rows.len() - 1, listed.items.len(), "one row per listed seminar");

    // The rows are the list's, in its order: titles match one for one.
    let title = column("Nosaukums");
    let titles: Vec<String> = rows[1..].iter().map(|r| r[title].to_string()).collect();
    let listed_titles: Vec<String> = listed.items.iter().map(|r| r.label.clone()).collect();
    assert_eq!(titles, listed_titles);

    // Codes by their Latvian names, dates as dates, counts spread into numbers whose
    // total is the seeds' 411 people trained in Rīga.
    let kind = column("Veids");
    assert!(rows[1..].iter().all(|r| r[kind] == "Apmācības"));
    assert!(rows[1..].iter().all(|r| matches!(r[column("Datums")], Data::DateTime(_))));
    let total_column = column("Dalībnieki pa mērķgrupām: kopā");
    let people: f64 = rows[1..].iter().map(|r| r[total_column].as_f64().expect("a number")).sum();
    assert_eq!(people, 411.0);
}

#[test]
fn a_csv_export_names_columns_in_the_chosen_language_and_references_by_name() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let store = demo_store(data.path());
    let q = query(Collection::Distribution, vec![]);
    let total = u64::from(store.list(&ListQuery { with_total: true, ..q.clone() }).unwrap().total.unwrap());
    assert!(total > 40, "the demo data has distributions: {total}");

    let path = export_list(
        &store,
        &q,
        Locale::Ru,
        ExportFormat::Csv,
        out.path(),
        "2026-12-07",
        &mut keep_going(&mut Vec::new()),
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert!(header.iter().any(|h| h == "Материал"), "{header:?}");
    let material = header.iter().position(|h| h == "Материал").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as u64, total);
    // A reference is written as its record's name, never its id.
    let first = store.list(&ListQuery { limit: 1, ..q.clone() }).unwrap().items.remove(0);
    let material_id: saite_domain::RecordId = first.document["material"].as_str().unwrap().parse().unwrap();
    assert_eq!(&records[0][material], store.get(material_id).unwrap().unwrap().label);
}

#[test]
fn a_cancelled_export_leaves_no_file() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let store = demo_store(data.path());
    // 471 hotline contacts.
    let q = query(Collection::HotlineContact, vec![]);
    for format in [ExportFormat::Csv, ExportFormat::CsvExcelLv, ExportFormat::Xlsx] {
        // At the start, midway, and once every row is written but the file not yet kept.
        for stop_at in [0, 200, 471] {
            let mut last = None;
            let result = export_list(&store, &q, Locale::En, format, out.path(), "x", &mut |p| {
                last = Some(p);
                if p.done >= stop_at { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            });
            assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
            assert_eq!(last, Some(Progress { done: stop_at, total: 471 }), "its answer stops it");
        }
    }
    let people = query(Collection::Person, vec![]);
    let result = export_cards(&store, &people, Locale::En, out.path(), "x", &mut |_| ControlFlow::Break(()));
    assert!(matches!(result, Err(ExportError::Cancelled)), "{result:?}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "no file, no .part");
}

#[test]
fn people_export_as_vcards_that_read_back() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let store = demo_store(data.path());
    let q = query(Collection::Person, vec![]);
    let listed = store.list(&ListQuery { limit: 500, with_total: true, ..q.clone() }).unwrap();
    assert!(!listed.items.is_empty());
    let path =
        export_cards(&store, &q, Locale::Lv, out.path(), "2026-12-07", &mut keep_going(&mut Vec::new())).unwrap();
    assert_eq!(path.extension().unwrap(), "vcf");
    let cards = parse_cards(&std::fs::read(&path).unwrap());
    assert_eq!(cards.len(), listed.items.len());
    for (card, record) in cards.iter().zip(&listed.items) {
        assert_eq!(card.uid.as_deref(), Some(record.id.to_string().as_str()));
        assert_eq!(card.full_name, record.label);
        let phones: Vec<String> = serde_json::from_value(record.document["phones"].clone()).unwrap_or_default();
        assert_eq!(card.phones, phones);
    }
    // Only people have cards.
    let seminars = query(Collection::Seminar, vec![]);
    assert!(matches!(
        export_cards(&store, &seminars, Locale::Lv, out.path(), "x", &mut |_| ControlFlow::Continue(())),
        Err(ExportError::NotPeople)
    ));
}
