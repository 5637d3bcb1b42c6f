//! Imports into a real store (the demo data): good, bad and repeated rows give exactly
//! the expected adds, merges and refusals with their reasons; a cancel or a refusal
//! writes nothing; people exported as vCards come back as themselves.

use std::ops::ControlFlow;
use std::sync::Arc;

use proptest::prelude::*;
use saite_domain::{Collection, ManualClock, ValidationCode};
use saite_i18n::Locale;
use saite_import::{ImportError, ImportKind, RowDecision, commit, guess_mapping, preview, read_source};
use saite_store::{ListQuery, Store, key::KdfParams};
use serde_json::{Map, Value, json};

fn demo_store(dir: &std::path::Path) -> Store {
    let clock = Arc::new(ManualClock::at(1_765_000_000_000));
    let mut store = Store::initialize(dir, "pareiza parole", KdfParams::FAST_FOR_TESTS, clock, "Sandra").unwrap();
    store.load_demo_data().unwrap();
    store
}

fn people(store: &Store) -> Vec<saite_store::StoredRecord> {
    let query = ListQuery {
        collection: Collection::Person,
        filters: vec![],
        sort: Some("fullName".into()),
        descending: false,
        offset: 0,
        limit: 500,
        with_total: false,
    };
    store.list(&query).unwrap().items
}

fn defaults() -> Map<String, Value> {
    json!({"legalBasis": "legitimate-interest", "basisConfirmedOn": "2026-12-07"}).as_object().unwrap().clone()
}

fn go_on(_: u64, _: u64) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// A file's rows as a people import checks them: its guessed mapping, [`defaults`].
fn people_rows(store: &Store, file: &[u8]) -> Vec<saite_import::PreviewRow> {
    let table = read_source(file).unwrap();
    let mapping = guess_mapping(ImportKind::Person, &table);
    preview(store, ImportKind::Person, &table, &mapping, &defaults(), &mut go_on).unwrap()
}

const PARTNERS_CSV: &str = "Vārds, uzvārds;Organizācija;Tālrunis;E-pasts;Pašvaldība\r\n\
    Ilze Kalniņa;Patvērums „Drošā māja”;+371 26000001;ilze@example.lv;Rīga\r\n\
    Rasa Saliņa;;+371 2914 5314;rasa@example.lv;\r\n\
    ;;+37126000002;;\r\n\
    Juris Bērziņš;;12345;nav-epasts;\r\n\
    Pēteris Ozols;Nezināma iestāde;;;\r\n\
    Ilze Kalniņa;;+371 26000001;;\r\n\
    Anna Liepa;;;;Daugavpils\r\n";

#[test]
fn good_bad_and_repeated_rows_are_added_merged_and_refused_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    let before = people(&store);
    let rows = people_rows(&store, PARTNERS_CSV.as_bytes());
    assert_eq!(rows.len(), 7);
    let codes = |i: usize| -> Vec<(String, ValidationCode)> {
        rows[i].errors.iter().map(|e| (e.field.split('.').next().unwrap().to_owned(), e.code)).collect()
    };
    assert_eq!(codes(0), []);
    assert_eq!(rows[0].document["municipality"], "riga");
    // Rasa is in the demo data: the same name and phone.
    let rasa = before.iter().find(|p| p.label == "Rasa Saliņa").unwrap();
    assert_eq!(rows[1].duplicates.first().map(|d| d.id), Some(rasa.id));
    assert_eq!(rows[1].decision, RowDecision::Merge { into: rasa.id });
    assert_eq!(codes(2), [("fullName".to_owned(), ValidationCode::Required)]);
    let refused = codes(3);
    for (field, code) in [("phones", ValidationCode::InvalidPhone), ("emails", ValidationCode::InvalidEmail)] {
        assert!(refused.contains(&(field.to_owned(), code)), "{field}: {code:?} in {refused:?}");
    }
    assert_eq!(codes(4), [("organisation".to_owned(), ValidationCode::UnknownReference)]);
    assert_eq!(rows[5].same_as_line, Some(2), "the second Ilze repeats line 2");
    assert_eq!(rows[5].decision, RowDecision::Skip);
    assert_eq!(rows[6].document["municipality"], "daugavpils");

    let decisions: Vec<RowDecision> = rows.iter().map(|r| r.decision).collect();
    let report = commit(&mut store, ImportKind::Person, &rows, &decisions, &mut go_on).unwrap();
    assert_eq!((report.added, report.merged), (2, 1));
    let skipped: Vec<u32> = report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [4, 5, 6, 7]);
    assert!(report.skipped[3].errors.is_empty() && report.skipped[3].same_as_line == Some(2));

    let after = people(&store);
    assert_eq!(after.len(), before.len() + 2);
    let ilze = after.iter().find(|p| p.label == "Ilze Kalniņa").unwrap();
    assert_eq!(ilze.document["phones"], json!(["+37126000001"]), "kept in E.164");
    assert_eq!(ilze.document["legalBasis"], "legitimate-interest", "the default fills what the file lacks");
    let rasa_now = store.get(rasa.id).unwrap().unwrap();
    assert!(rasa_now.document["emails"].as_array().unwrap().contains(&json!("rasa@example.lv")), "merged in");
    assert_eq!(rasa_now.document["position"], rasa.document["position"], "what she had stays");
    assert_eq!(rasa_now.document["phones"], rasa.document["phones"], "her number, written with spaces, not twice");
}

#[test]
fn first_and_family_names_in_two_columns_make_the_full_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let rows = people_rows(&store, "Vārds;Uzvārds;Tālrunis\nInga;Ozola;+37126000009\n;Bērziņš;\n".as_bytes());
    assert_eq!(rows[0].document["fullName"], "Inga Ozola");
    assert!(rows[0].errors.is_empty(), "{:?}", rows[0].errors);
    assert_eq!(rows[1].document["fullName"], "Bērziņš", "one part is a name too");
}

#[test]
fn an_organisation_named_twice_is_refused_as_ambiguous_not_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    for municipality in ["riga", "daugavpils"] {
        let doc = json!({"name": "Sociālais dienests", "kind": "social-service", "municipality": municipality});
        store.create(Collection::Organisation, doc.as_object().unwrap().clone()).unwrap();
    }
    let rows = people_rows(&store, "Vārds, uzvārds;Organizācija\nInga Ozola;Sociālais dienests\n".as_bytes());
    assert_eq!(rows[0].errors.iter().map(|e| e.code).collect::<Vec<_>>(), [ValidationCode::AmbiguousReference]);
}

#[test]
fn a_cancelled_or_refused_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    let before = people(&store);
    let rows = people_rows(&store, PARTNERS_CSV.as_bytes());
    let decisions: Vec<RowDecision> = rows.iter().map(|r| r.decision).collect();
    let cancelled = commit(&mut store, ImportKind::Person, &rows, &decisions, &mut |done, total| {
        if done == total { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    });
    assert!(matches!(cancelled, Err(ImportError::Cancelled)), "{cancelled:?}");
    assert_eq!(people(&store), before);
    // A merge into a record the row does not duplicate is refused before any write.
    let mut wrong = decisions.clone();
    wrong[0] = RowDecision::Merge { into: before[0].id };
    assert!(matches!(
        commit(&mut store, ImportKind::Person, &rows, &wrong, &mut go_on),
        Err(ImportError::NotADuplicate { line: 2 })
    ));
    assert_eq!(people(&store), before);
}

#[test]
fn a_record_gone_since_the_preview_refuses_its_row_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    let rows = people_rows(&store, PARTNERS_CSV.as_bytes());
    let decisions: Vec<RowDecision> = rows.iter().map(|r| r.decision).collect();
    // Rasa, whom the file's line 3 merges into, goes to the trash (on another laptop,
    // then pulled) while the preview is on screen.
    let RowDecision::Merge { into: rasa } = rows[1].decision else { panic!("{:?}", rows[1].decision) };
    store.delete(rasa).unwrap();
    let before = people(&store);
    let refused = commit(&mut store, ImportKind::Person, &rows, &decisions, &mut go_on);
    assert!(
        matches!(refused, Err(ImportError::Row { line: 3, source: saite_store::StoreError::NotFound(id) }) if id == rasa),
        "{refused:?}"
    );
    assert_eq!(people(&store), before, "the rows before it are not written either");
}

#[test]
fn people_saved_as_vcards_come_back_as_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut store = demo_store(dir.path());
    let before = people(&store);
    let query = ListQuery {
        collection: Collection::Person,
        filters: vec![],
        sort: Some("fullName".into()),
        descending: false,
        offset: 0,
        limit: 0,
        with_total: false,
    };
    let path =
        saite_export::export_cards(&store, &query, Locale::Lv, out.path(), "x", &mut |_| ControlFlow::Continue(()))
            .unwrap();
    let rows = people_rows(&store, &std::fs::read(path).unwrap());
    assert_eq!(rows.len(), before.len());
    for (row, person) in rows.iter().zip(&before) {
        assert!(row.errors.is_empty(), "{:?}", row.errors);
        assert_eq!(row.document["fullName"], person.document["fullName"]);
        assert_eq!(row.document.get("organisation"), person.document.get("organisation"), "found by its name");
        assert_eq!(row.decision, RowDecision::Merge { into: person.id }, "each finds itself");
    }
    let decisions: Vec<RowDecision> = rows.iter().map(|r| r.decision).collect();
    let report = commit(&mut store, ImportKind::Person, &rows, &decisions, &mut go_on).unwrap();
    assert_eq!((report.added, report.merged as usize), (0, before.len()));
    assert_eq!(people(&store), before, "nothing new: every field was there already");
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-ZĀČĒ][a-zāčēšž]{1,8} [A-ZĀČĒ][a-zāčēšž]{1,8}",
        "\\+371 2[0-9]{7}",
        "[0-9 ]{1,9}",
        "[a-z]{1,6}@[a-z]{1,5}\\.lv",
        "[^\r\n;\"]{0,16}",
        Just("Rīga".to_owned()),
        Just("Rasa Saliņa".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the rows, an import adds exactly the rows it reports added, or (refused)
    /// nothing at all.
    #[test]
    fn an_import_writes_what_it_reports_or_nothing(rows in proptest::collection::vec(proptest::collection::vec(cell(), 4), 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = demo_store(dir.path());
        let before = people(&store).len();
        let text: String = std::iter::once("Vārds, uzvārds;Tālrunis;E-pasts;Pašvaldība".to_owned())
            .chain(rows.iter().map(|r| r.join(";")))
            .map(|l| l + "\r\n")
            .collect();
        let Ok(table) = read_source(text.as_bytes()) else { return Ok(()) };
        let mapping = guess_mapping(ImportKind::Person, &table);
        let previewed = preview(&store, ImportKind::Person, &table, &mapping, &defaults(), &mut go_on).unwrap();
        // Every valid row added, duplicates or not: the store still refuses nothing a
        // preview let through.
        let decisions: Vec<RowDecision> = previewed.iter().map(|_| RowDecision::Add).collect();
        let valid = previewed.iter().filter(|r| r.errors.is_empty()).count();
        let report = commit(&mut store, ImportKind::Person, &previewed, &decisions, &mut go_on).unwrap();
        prop_assert_eq!(report.added as usize, valid);
        prop_assert_eq!(people(&store).len(), before + valid);
    }
}
