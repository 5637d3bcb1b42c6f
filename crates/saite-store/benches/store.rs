//! Store benchmark: 100k mixed records through the real write path, then search and
//! list-page latency, database size, and the same work on unencrypted SQLite to show
//! SQLCipher's overhead. Prints a Markdown report (`cargo xtask bench` writes it into
//! BENCHMARKS.md).
//!
//! Run: `cargo bench -p saite-store --features plaintext-baseline --bench store`
//! (SAITE_BENCH_RECORDS overrides the 100 000).

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use saite_bench_data::Sequence;
use saite_domain::{Collection, RecordId, ReferenceData, SystemClock};
use saite_store::{ListFilter, ListQuery, Store, key::KdfParams};
use serde_json::{Map, Value, json};

/// A small deterministic generator (xorshift64*), so every run loads the same data.
const GIVEN: &[&str] = &[
    "Anna",
    "Inese",
    "Līga",
    "Sandra",
    "Jānis",
    "Andris",
    "Ilze",
    "Kristīne",
    "Oļegs",
    "Сергей",
    "Наталья",
    "Ирина",
    "Dace",
    "Māris",
];
const FAMILY: &[&str] = &[
    "Ozola",
    "Bērziņa",
    "Kalniņa",
    "Zalcmane",
    "Liepiņš",
    "Krūmiņš",
    "Petrovs",
    "Иванова",
    "Смирнов",
    "Jansone",
    "Vītola",
    "Saliņa",
];
const ORG_PREFIX: &[&str] = &[
    "NVA",
    "Sociālais dienests",
    "Jauniešu centrs",
    "Bibliotēka",
    "Skola Nr.",
    "Krīzes centrs",
    "Policijas iecirknis",
    "Ģimenes atbalsta centrs",
];
const TOPICS: &[&str] = &[
    "gadījumu identificēšana",
    "starpinstitucionālā sadarbība",
    "fiktīvās laulības",
    "drošs darbs ārzemēs",
    "tiesiskais ietvars",
    "jauniešu riski",
];
const KINDS: &[&str] = &["seminar", "round-table", "training", "forum-theatre", "expert-meeting"];
const ORG_KINDS: &[&str] =
    &["nva-branch", "social-service", "youth-centre", "library", "school", "crisis-centre", "state-police", "ngo"];
const GROUPS: &[&str] = &["social-workers", "pupils", "youth", "teachers", "municipal-police-officers", "librarians"];

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

struct Loaded {
    insert: Duration,
    records: usize,
}

/// Loads `n` records: 30 % organisations, 30 % people, 25 % seminars, 5 % materials,
/// 10 % distributions, in batches of 1 000 (one transaction each).
fn load(store: &mut Store, n: usize, rng: &mut Rng) -> Loaded {
    let municipalities: Vec<String> = ReferenceData::shipped().municipalities.iter().map(|m| m.code.clone()).collect();
    let (n_org, n_person, n_seminar, n_material) = (n * 30 / 100, n * 30 / 100, n * 25 / 100, n * 5 / 100);
    let n_dist = n - n_org - n_person - n_seminar - n_material;
    let mut orgs: Vec<RecordId> = Vec::new();
    let mut materials: Vec<RecordId> = Vec::new();
    let mut total = Duration::ZERO;
    let mut run = |store: &mut Store, batch: Vec<(Collection, Map<String, Value>)>| -> Vec<RecordId> {
        let start = Instant::now();
        let ids = store.create_batch(batch).expect("benchmark records are valid");
        total += start.elapsed();
        ids
    };
    let mut plan: Vec<(Collection, usize)> = vec![
        (Collection::Organisation, n_org),
        (Collection::Material, n_material),
        (Collection::Person, n_person),
        (Collection::Seminar, n_seminar),
        (Collection::Distribution, n_dist),
    ];
    for (collection, count) in plan.drain(..) {
        let mut done = 0;
        while done < count {
            let size = (count - done).min(1000);
            let batch: Vec<(Collection, Map<String, Value>)> = (0..size)
                .map(|i| {
                    let municipality = rng.pick(&municipalities).clone();
                    let doc = match collection {
                        Collection::Organisation => json!({
                            "name": format!("{} {} {}", rng.pick(ORG_PREFIX), municipality.replace('-', " "), done + i),
                            "kind": rng.pick(ORG_KINDS), "municipality": municipality,
                            "phones": [format!("+3716{:07}", rng.below(10_000_000))]}),
                        Collection::Material => {
                            json!({"title": format!("Materiāls {}", done + i), "kind": "booklet", "stock": rng.below(500)})
                        }
                        Collection::Person => json!({
                            "fullName": format!("{} {}", rng.pick(GIVEN), rng.pick(FAMILY)),
                            "organisation": rng.pick(&orgs), "position": "speciāliste",
                            "emails": [format!("p{}@example.lv", done + i)],
                            "legalBasis": "legitimate-interest", "basisConfirmedOn": "2024-01-15"}),
                        Collection::Seminar => json!({
                            "title": format!("{} — {}", rng.pick(TOPICS), municipality.replace('-', " ")),
                            "kind": rng.pick(KINDS), "municipality": municipality,
                            "date": format!("{}-{:02}-{:02}", 2010 + rng.below(16), 1 + rng.below(12), 1 + rng.below(28)),
                            "topics": [rng.pick(TOPICS)], "participants": {rng.pick(GROUPS).to_string(): rng.below(60)},
                            "notes": "Diskusijā piedalījās vietējo institūciju pārstāvji; vienojās par informācijas apmaiņu."}),
                        Collection::Distribution => json!({
                            "material": rng.pick(&materials), "organisation": rng.pick(&orgs), "quantity": 1 + rng.below(50),
                            "date": format!("{}-{:02}-10", 2012 + rng.below(13), 1 + rng.below(12)), "method": "mailed"}),
                        _ => unreachable!(),
                    };
                    (collection, obj(doc))
                })
                .collect();
            let ids = run(store, batch);
            match collection {
                Collection::Organisation => orgs.extend(ids),
                Collection::Material => materials.extend(ids),
                _ => {}
            }
            done += size;
        }
    }
    Loaded { insert: total, records: n }
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

struct Figures {
    insert_per_s: f64,
    insert_total: Duration,
    single_create: (Duration, Duration),
    search: (Duration, Duration),
    list: (Duration, Duration),
    /// Every organisation sorted by name: the first page with the count (opening the
    /// list, or a new sort), and a page at a random position (a jump by the scroll bar).
    list_all_first: (Duration, Duration),
    list_jump: (Duration, Duration),
    bytes: u64,
}

fn measure(store: &mut Store, dir: &Path, n: usize) -> Figures {
    let mut rng = Sequence::default();
    let loaded = load(store, n, &mut rng);

    let queries = [
        "daugavpils",
        "drosa maja",
        "nva",
        "Даугавпилс",
        "sociālais dienests",
        "Zalcmane",
        "Сергей",
        "fiktīvās laulības",
        "jauniešu centrs rēzeknes",
        "liepaja ietvars",
        "Ozola",
        "skola 12",
    ];
    let mut search = Vec::new();
    for round in 0..50 {
        for q in queries {
            let start = Instant::now();
            let hits = store.search(q, 50).unwrap();
            search.push(start.elapsed());
            if round == 0 {
                assert!(!hits.is_empty() || q == "drosa maja", "query {q} found nothing");
            }
        }
    }

    let regions = ["riga", "kurzeme", "latgale", "vidzeme", "zemgale"];
    let mut list = Vec::new();
    for i in 0..300 {
        let q = if i % 2 == 0 {
            ListQuery {
                collection: Collection::Seminar,
                filters: vec![
                    ListFilter::Region { region: regions[i % 5].into() },
                    ListFilter::Year { year: 2010 + (i % 16) as i32 },
                ],
                sort: Some("date".into()),
                descending: true,
                offset: ((i / 10) % 3 * 50) as u32,
                limit: 50,
                with_total: true,
            }
        } else {
            ListQuery {
                collection: Collection::Organisation,
                filters: vec![ListFilter::FieldEquals {
                    field: "kind".into(),
                    value: ORG_KINDS[i % ORG_KINDS.len()].into(),
                }],
                sort: Some("name".into()),
                descending: false,
                offset: ((i / 10) % 5 * 50) as u32,
                limit: 50,
                with_total: true,
            }
        };
        let start = Instant::now();
        let page = store.list(&q).unwrap();
        list.push(start.elapsed());
        assert!(page.items.len() <= 50);
    }

    let all = |descending: bool, offset: u32| ListQuery {
        collection: Collection::Organisation,
        filters: vec![],
        sort: Some("name".into()),
        descending,
        offset,
        limit: 50,
        with_total: offset == 0,
    };
    let mut list_all_first = Vec::new();
    for i in 0..20 {
        // Alternating the order makes each one a new query (nothing reused).
        let start = Instant::now();
        let page = store.list(&all(i % 2 == 1, 0)).unwrap();
        list_all_first.push(start.elapsed());
        assert_eq!(page.items.len(), 50);
    }
    let organisations = store.list(&all(false, 0)).unwrap().total.unwrap();
    let mut list_jump = Vec::new();
    for _ in 0..300 {
        let offset = (rng.next_u64() % u64::from(organisations - 50)) as u32;
        let start = Instant::now();
        let page = store.list(&all(false, offset)).unwrap();
        list_jump.push(start.elapsed());
        assert_eq!(page.items.len(), 50);
    }

    let mut single = Vec::new();
    for i in 0..200 {
        let start = Instant::now();
        store
            .create(
                Collection::Organisation,
                obj(json!({"name": format!("Vienas organizācijas ieraksts {i}"), "kind": "ngo"})),
            )
            .unwrap();
        single.push(start.elapsed());
    }

    store.checkpoint().unwrap();
    let bytes: u64 = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("store.db"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    Figures {
        insert_per_s: loaded.records as f64 / loaded.insert.as_secs_f64(),
        insert_total: loaded.insert,
        single_create: (percentile(&mut single, 0.5), percentile(&mut single, 0.95)),
        search: (percentile(&mut search, 0.5), percentile(&mut search, 0.95)),
        list: (percentile(&mut list, 0.5), percentile(&mut list, 0.95)),
        list_all_first: (percentile(&mut list_all_first, 0.5), percentile(&mut list_all_first, 0.95)),
        list_jump: (percentile(&mut list_jump, 0.5), percentile(&mut list_jump, 0.95)),
        bytes,
    }
}

fn main() {
    // `cargo bench` passes --bench; nothing else is accepted.
    let n: usize = std::env::var("SAITE_BENCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let clock = Arc::new(SystemClock);

    let enc_dir = tempfile::tempdir().unwrap();
    let mut encrypted =
        Store::initialize(enc_dir.path(), "benchmark passphrase", KdfParams::DEFAULT, clock.clone(), "bench").unwrap();
    let enc = measure(&mut encrypted, enc_dir.path(), n);
    drop(encrypted);

    let plain_dir = tempfile::tempdir().unwrap();
    let mut plain = Store::initialize_plaintext_baseline(plain_dir.path(), clock).unwrap();
    let pl = measure(&mut plain, plain_dir.path(), n);

    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("| measure ({n} mixed records) | SQLCipher (Saite) | plain SQLite | SQLCipher / plain | goal |");
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| bulk insert through the write path (batches of 1 000) | {:.0} records/s ({:.1} s) | {:.0} records/s ({:.1} s) | {:.2}× time | — |",
        enc.insert_per_s,
        enc.insert_total.as_secs_f64(),
        pl.insert_per_s,
        pl.insert_total.as_secs_f64(),
        ratio(enc.insert_total, pl.insert_total)
    );
    println!(
        "| one record created (own transaction, fsync) p50 / p95 | {} / {} ms | {} / {} ms | {:.2}× p50 | — |",
        ms(enc.single_create.0),
        ms(enc.single_create.1),
        ms(pl.single_create.0),
        ms(pl.single_create.1),
        ratio(enc.single_create.0, pl.single_create.0)
    );
    println!(
        "| search, 50 hits max, p50 / p95 | {} / {} ms | {} / {} ms | {:.2}× p95 | p95 ≤ 10 ms |",
        ms(enc.search.0),
        ms(enc.search.1),
        ms(pl.search.0),
        ms(pl.search.1),
        ratio(enc.search.1, pl.search.1)
    );
    println!(
        "| filtered, sorted list page of 50, p50 / p95 | {} / {} ms | {} / {} ms | {:.2}× p95 | ≤ 16 ms |",
        ms(enc.list.0),
        ms(enc.list.1),
        ms(pl.list.0),
        ms(pl.list.1),
        ratio(enc.list.1, pl.list.1)
    );
    println!(
        "| all organisations by name: first page and count (a new list or sort), p50 / p95 | {} / {} ms | {} / {} ms | {:.2}× p95 | — |",
        ms(enc.list_all_first.0),
        ms(enc.list_all_first.1),
        ms(pl.list_all_first.0),
        ms(pl.list_all_first.1),
        ratio(enc.list_all_first.1, pl.list_all_first.1)
    );
    println!(
        "| the same list, a page of 50 at a random position (a jump), p50 / p95 | {} / {} ms | {} / {} ms | {:.2}× p95 | ≤ 16 ms |",
        ms(enc.list_jump.0),
        ms(enc.list_jump.1),
        ms(pl.list_jump.0),
        ms(pl.list_jump.1),
        ratio(enc.list_jump.1, pl.list_jump.1)
    );
    let per_100k = |b: u64| b as f64 / (1024.0 * 1024.0) * 100_000.0 / n as f64;
    println!(
        "| database size per 100 000 records (with history, outbox, search index) | {:.1} MiB | {:.1} MiB | {:.2}× | — |",
        per_100k(enc.bytes),
        per_100k(pl.bytes),
        enc.bytes as f64 / pl.bytes as f64
    );
}
