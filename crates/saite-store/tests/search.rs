//! Full-text search: folded, transliterated, prefix-matched, live records only.

mod common;

use common::*;
use saite_domain::Collection;
use serde_json::json;

#[test]
fn finds_across_case_diacritics_and_alphabets() {
    let mut t = new_store();
    let house = organisation(&mut t.store, "Patvērums „Drošā māja”", "riga");
    let dom = t
        .store
        .create(Collection::Organisation, obj(json!({"name": "Кризисный центр «Дом»", "kind": "crisis-centre"})))
        .unwrap()
        .id;
    let dgp = seminar(&mut t.store, "Informatīvs seminārs par cilvēku tirdzniecību", "daugavpils", "2012-11-09");
    let ru = seminar(&mut t.store, "Семинар в Даугавпилсе", "augsdaugavas-novads", "2013-03-01");

    let ids = |q: &str| t.store.search(q, 20).unwrap().into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids("drosa maja"), vec![house]);
    assert_eq!(ids("DROŠĀ"), vec![house]);
    assert_eq!(ids("дом"), vec![dom]);
    assert_eq!(ids("Дом"), vec![dom]);
    assert_eq!(ids("dom"), vec![dom], "Latin finds Cyrillic");
    let mut d = ids("Daugavpils");
    d.sort();
    let mut expected = vec![dgp, ru];
    expected.sort();
    assert_eq!(d, expected, "Latin finds the Cyrillic title and the municipality");
    let mut c = ids("Даугавпилс");
    c.sort();
    assert_eq!(c, expected, "Cyrillic finds the Latin municipality, and the inflected Russian title by prefix");
    assert_eq!(ids("cilv tirdz"), vec![dgp], "every word as a prefix");
    assert!(ids("nothing like this").is_empty());
    assert!(ids("  \"*) OR (").is_empty(), "FTS syntax in a query is inert");
}

#[test]
fn results_carry_collection_and_label_and_follow_edits() {
    let mut t = new_store();
    let id = organisation(&mut t.store, "NVA Liepājas filiāle", "liepaja");
    let hits = t.store.search("liepajas", 5).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].collection, hits[0].label.as_str()), (Collection::Organisation, "NVA Liepājas filiāle"));
    t.store.update(id, obj(json!({"name": "NVA Kuldīgas filiāle"}))).unwrap();
    assert!(t.store.search("liepajas filiale", 5).unwrap().is_empty(), "the old name is no longer indexed");
    assert_eq!(t.store.search("kuldigas", 5).unwrap().len(), 1);
}

#[test]
fn a_match_in_the_name_ranks_above_one_in_the_notes() {
    let mut t = new_store();
    let noted = t
        .store
        .create(
            Collection::Seminar,
            obj(json!({"title": "Seminārs skolotājiem", "kind": "seminar", "date": "2014-01-01",
            "municipality": "riga", "notes": "Lektori no biedrības Drošā māja"})),
        )
        .unwrap()
        .id;
    let named = organisation(&mut t.store, "Drošā māja", "riga");
    let hits: Vec<_> = t.store.search("drosa maja", 10).unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(hits, vec![named, noted]);
}

#[test]
fn the_closest_name_comes_first_even_when_a_longer_one_is_newer() {
    let mut t = new_store();
    let original = organisation(&mut t.store, "NVA Daugavpils filiāle", "daugavpils");
    let copy = organisation(&mut t.store, "NVA Daugavpils filiale (dublikāts)", "daugavpils");
    let hits: Vec<_> = t.store.search("NVA Daugavpils filiāle", 10).unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(hits, vec![original, copy]);
    let hits: Vec<_> = t.store.search("dublikats", 10).unwrap().into_iter().map(|h| h.id).collect();
    assert_eq!(hits, vec![copy]);
}

#[test]
fn a_compacted_index_finds_the_same_and_follows_later_edits() {
    let mut t = new_store();
    let ids: Vec<_> = (0..30).map(|n| organisation(&mut t.store, &format!("Iestāde numur {n}"), "riga")).collect();
    let before = t.store.search("iestade", 50).unwrap().len();
    t.store.compact_search_index().unwrap();
    assert_eq!(t.store.search("iestade", 50).unwrap().len(), before);
    t.store.update(ids[3], obj(json!({"name": "Valmieras pašvaldība"}))).unwrap();
    t.store.delete(ids[4]).unwrap();
    assert_eq!(t.store.search("iestade", 50).unwrap().len(), before - 2);
    assert_eq!(t.store.search("valmieras", 5).unwrap()[0].id, ids[3]);
}
