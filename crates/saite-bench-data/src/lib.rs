//! Synthetic records at scale for the benchmarks: seminars, organisations, materials and
//! distributions as documents, the same every run (a fixed xorshift sequence), so the
//! store's reports benchmark and the window's measure one data set.
//!
//! Glossary: a **sequence** is the fixed pseudo-random source; every document function
//! takes the next values from it in a fixed order.

use serde_json::{Map, Value, json};

/// A fixed pseudo-random sequence (xorshift64*): the same values every run.
pub struct Sequence(u64);

impl Default for Sequence {
    fn default() -> Sequence {
        Sequence(0x5a17e)
    }
}

impl Sequence {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub const MUNICIPALITIES: &[&str] = &[
    "riga",
    "daugavpils",
    "rezekne",
    "liepaja",
    "jelgava",
    "valmieras-novads",
    "ventspils",
    "kraslavas-novads",
    "ogres-novads",
    "talsu-novads",
];
pub const EVENT_KINDS: &[&str] = &["seminar", "round-table", "training", "conference-seminar", "forum-theatre"];
pub const TARGET_GROUPS: &[&str] = &["youth", "teachers", "social-workers", "municipal-police-officers", "pupils"];
pub const ORGANISATION_KINDS: &[&str] = &["school", "library", "social-service", "nva-branch", "ngo", "youth-centre"];
pub const REGIONS: &[&str] = &["riga", "kurzeme", "latgale", "vidzeme", "zemgale"];
/// How many organisations and materials the distributions go to and are of.
pub const ORGANISATIONS: usize = 3_000;
pub const MATERIALS: usize = 120;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("documents are objects"),
    }
}

/// The `i`th organisation: its kind and municipality in turn.
pub fn organisation(i: usize) -> Map<String, Value> {
    object(json!({"name": format!("Iestāde {i:05}"), "kind": ORGANISATION_KINDS[i % ORGANISATION_KINDS.len()],
                  "municipality": MUNICIPALITIES[i % MUNICIPALITIES.len()]}))
}

/// The `i`th material, of plenty of copies.
pub fn material(i: usize) -> Map<String, Value> {
    let kind = ["poster", "booklet", "leaflet", "banner"][i % 4];
    object(json!({"title": format!("Materiāls {i:03}"), "kind": kind, "stock": 1_000_000}))
}

/// A date in 2010–2025.
fn date(next: &mut Sequence) -> String {
    format!("{}-{:02}-{:02}", 2010 + next.below(16), 1 + next.below(12), 1 + next.below(28))
}

/// The `i`th seminar: 1–3 target groups of 5–44 people, any kind, date and municipality.
pub fn seminar(i: usize, next: &mut Sequence) -> Map<String, Value> {
    let mut participants = Map::new();
    for _ in 0..1 + next.below(3) {
        participants.insert(next.pick(TARGET_GROUPS).to_string(), json!(5 + next.below(40)));
    }
    let kind = next.pick(EVENT_KINDS);
    let date = date(next);
    let municipality = next.pick(MUNICIPALITIES);
    object(json!({"title": format!("Seminārs {i:06}"), "kind": kind, "date": date, "municipality": municipality,
                  "participants": participants}))
}

/// A distribution of one of `materials` to one of `organisations` (their ids).
pub fn distribution(next: &mut Sequence, materials: &[String], organisations: &[String]) -> Map<String, Value> {
    let material = next.pick(materials);
    let organisation = next.pick(organisations);
    let quantity = 1 + next.below(50);
    object(json!({"material": material, "organisation": organisation, "quantity": quantity, "date": date(next),
                  "method": "mailed"}))
}
