//! The seminar the sync benchmarks store, push and pull (about 600 bytes of JSON, as the
//! floor's records in ../shared/peers/sqlite-floor): one definition for
//! `saite-store`'s `pull_apply` and `saite-sync`'s `sync_peers`, which includes it.

use serde_json::{Map, Value, json};

/// The `i`-th seminar: dates over four weeks, participants varying.
pub fn seminar(i: usize) -> Map<String, Value> {
    let doc = json!({
        "title": format!("Informatīvs seminārs par cilvēku tirdzniecību {i}"),
        "kind": "seminar",
        "date": format!("2015-05-{:02}", 1 + i % 28),
        "municipality": "daugavpils",
        "venue": "Daugavpils pašvaldības sēžu zāle",
        "organiser": "Biedrība „Patvērums „Drošā māja””",
        "participants": {"social-workers": 10 + (i % 50) as i64},
        "notes": format!("Vietējie speciālisti atzina, ka reģionā ir tikuši identificēti cilvēku tirdzniecības gadījumi, tāpēc ir nepieciešams regulārs preventīvais darbs. #{i}"),
    });
    doc.as_object().expect("an object").clone()
}
