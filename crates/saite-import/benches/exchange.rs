//! Reports, exports and imports at scale: 100 000 seminars and 100 000 distributions
//! (with 3 000 organisations and 120 materials) in the encrypted store; the reports
//! the Reports screen asks for, each beside one hand-written SQL query for the same
//! aggregation on the same connection (the floor); the seminars list saved as CSV and
//! XLSX; 10 000 people imported from a CSV file, a fifth of them already in the store.
//! Peak heap is counted by this binary's allocator. Prints a Markdown report (`cargo
//! xtask bench --only reports` writes it into BENCHMARKS.md).
//!
//! Run: `cargo bench -p saite-import --bench exchange` (SAITE_BENCH_N overrides the
//! 100 000; SAITE_BENCH_PEOPLE the 10 000).

use std::alloc::{GlobalAlloc, Layout};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use saite_bench_data::{self as data, Sequence};
use saite_domain::{Collection, SystemClock};
use saite_export::ExportFormat;
use saite_i18n::Locale;
use saite_import::{ImportKind, RowDecision, commit, guess_mapping, preview, read_source};
use saite_store::{ListFilter, ListQuery, ReportDimension, ReportFigure, ReportQuery, Store, key::KdfParams};
use serde_json::{Map, Value, json};

/// The allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(p, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`, returning its result, its time in ms and its peak heap above what was in
/// use before, in MB. (SQLCipher's page cache is allocated by SQLite itself, outside.)
fn measured<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let started = Instant::now();
    let out = f();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let peak = (PEAK.load(Ordering::Relaxed).saturating_sub(base)) as f64 / 1_048_576.0;
    (out, ms, peak)
}

fn env_n(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn load(store: &mut Store, n: usize) -> (Vec<String>, f64) {
    let mut next = Sequence::default();
    let started = Instant::now();
    let orgs = (0..data::ORGANISATIONS).map(|i| (Collection::Organisation, data::organisation(i))).collect();
    let org_ids: Vec<String> = store.create_batch(orgs).unwrap().iter().map(|i| i.to_string()).collect();
    let materials = (0..data::MATERIALS).map(|i| (Collection::Material, data::material(i))).collect();
    let material_ids: Vec<String> = store.create_batch(materials).unwrap().iter().map(|i| i.to_string()).collect();
    for start in (0..n).step_by(10_000) {
        let seminars =
            (start..(start + 10_000).min(n)).map(|i| (Collection::Seminar, data::seminar(i, &mut next))).collect();
        store.create_batch(seminars).unwrap();
        let distributions = (start..(start + 10_000).min(n))
            .map(|_| (Collection::Distribution, data::distribution(&mut next, &material_ids, &org_ids)))
            .collect();
        store.create_batch(distributions).unwrap();
    }
    (org_ids, started.elapsed().as_secs_f64())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Median and p95 of `runs` timings of `f`, in ms.
fn timed(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn main() {
    let n = env_n("SAITE_BENCH_N", 100_000);
    let people_n = env_n("SAITE_BENCH_PEOPLE", 10_000);
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        Store::initialize(dir.path(), "bench passphrase", KdfParams::FAST_FOR_TESTS, Arc::new(SystemClock), "Bench")
            .unwrap();
    let (_, load_s) = load(&mut store, n);
    eprintln!("loaded {n} seminars and {n} distributions in {load_s:.1} s");

    println!("| Measurement | Saite | Hand-written SQL (floor) | Saite ÷ floor |");
    println!("|---|---|---|---|");
    let report = |figure, by, filters: Vec<ListFilter>| ReportQuery { figure, by, filters };
    let period = ListFilter::Period { from: Some("2015-01-01".into()), to: Some("2020-12-31".into()) };
    // The floor reads the participants and copies from the documents' JSON, as a query
    // written by hand against the records would; Saite reads its own copy of them, kept
    // beside the list keys.
    let people = "json_each(records.doc, '$.participants') AS j";
    let cases: Vec<(&str, ReportQuery, String)> = vec![
        (
            "Events and participants by year (first figures on opening Reports)",
            report(ReportFigure::Events, ReportDimension::Year, vec![]),
            format!(
                "SELECT substr(list_sort, 1, 4) AS y, j.key, count(*), sum(j.value) FROM records, {people}
                 WHERE collection = 'seminar' AND deleted = 0 GROUP BY y, j.key"
            ),
        ),
        (
            "… by region, 2015–2020",
            report(ReportFigure::Events, ReportDimension::Region, vec![period.clone()]),
            format!(
                "SELECT list_a, j.key, count(*), sum(j.value) FROM records, {people}
                 WHERE collection = 'seminar' AND deleted = 0 AND list_sort BETWEEN '2015-01-01' AND '2020-12-31'
                 GROUP BY list_a, j.key"
            ),
        ),
        (
            "… by target group, trainings",
            report(
                ReportFigure::Events,
                ReportDimension::TargetGroup,
                vec![ListFilter::FieldEquals { field: "kind".into(), value: "training".into() }],
            ),
            format!(
                "SELECT j.key, count(*), sum(j.value) FROM records, {people}
                 WHERE collection = 'seminar' AND deleted = 0 AND list_c = 'training' AND j.value > 0 GROUP BY j.key"
            ),
        ),
        (
            "Materials by kind of recipient",
            report(ReportFigure::Distributions, ReportDimension::OrganisationKind, vec![]),
            "SELECT o.list_a, count(*), sum(json_extract(d.doc, '$.quantity')), count(DISTINCT d.list_b)
             FROM records d JOIN records o ON o.id = d.list_b
             WHERE d.collection = 'distribution' AND d.deleted = 0 GROUP BY o.list_a"
                .to_owned(),
        ),
        (
            "Materials by year, 2015–2020",
            report(ReportFigure::Distributions, ReportDimension::Year, vec![period.clone()]),
            "SELECT substr(list_sort, 1, 4) AS y, count(*), sum(json_extract(doc, '$.quantity')), count(DISTINCT list_b)
             FROM records WHERE collection = 'distribution' AND deleted = 0
             AND list_sort BETWEEN '2015-01-01' AND '2020-12-31' GROUP BY y"
                .to_owned(),
        ),
    ];
    for (name, query, floor) in &cases {
        let (saite, saite_p95) = timed(15, || {
            std::hint::black_box(store.report(query).unwrap());
        });
        let (floor_ms, _) = timed(15, || {
            std::hint::black_box(store.floor_query(floor).unwrap());
        });
        println!("| {name} | {saite:.0} ms (p95 {saite_p95:.0} ms) | {floor_ms:.0} ms | {:.2}× |", saite / floor_ms);
    }

    println!();
    println!("| Export or import | Rows | Time | Peak heap |");
    println!("|---|---|---|---|");
    let out = tempfile::tempdir().unwrap();
    for (format, name) in [(ExportFormat::Xlsx, "XLSX"), (ExportFormat::CsvExcelLv, "CSV (Latvian Excel)")] {
        for (rows, filters) in [
            (n / 10, vec![ListFilter::Period { from: Some("2010-01-01".into()), to: Some("2011-07-01".into()) }]),
            (n, vec![]),
        ] {
            let query = ListQuery {
                collection: Collection::Seminar,
                filters,
                sort: Some("date".into()),
                descending: true,
                offset: 0,
                limit: 0,
                with_total: false,
            };
            let (path, ms, peak) = measured(|| {
                saite_export::export_list(&store, &query, Locale::Lv, format, out.path(), "bench", &mut |_| {
                    ControlFlow::Continue(())
                })
                .unwrap()
            });
            let written = std::fs::metadata(&path).unwrap().len() as f64 / 1_048_576.0;
            std::fs::remove_file(path).unwrap();
            println!(
                "| Seminars list to {name} (~{rows}; {written:.1} MB file) | ~{rows} | {ms:.0} ms | {peak:.1} MB |"
            );
        }
    }

    // People: a fifth of the file is already in the store (same name and phone).
    let existing: Vec<(Collection, Map<String, Value>)> = (0..people_n / 5)
        .map(|i| {
            let doc = json!({"fullName": format!("Persona Nr{i:06}"), "phones": [format!("+3712{i:07}")],
                             "legalBasis": "consent", "basisConfirmedOn": "2026-01-01"});
            (Collection::Person, doc.as_object().unwrap().clone())
        })
        .collect();
    store.create_batch(existing).unwrap();
    for rows in [people_n / 5, people_n] {
        let mut csv = String::from("Vārds, uzvārds;Tālrunis;E-pasts;Pašvaldība\r\n");
        for i in 0..rows {
            csv.push_str(&format!(
                "Persona Nr{i:06};+371 2{i:07};p{i}@example.lv;{}\r\n",
                ["Rīga", "Daugavpils", "Liepāja"][i % 3]
            ));
        }
        let defaults =
            json!({"legalBasis": "legitimate-interest", "basisConfirmedOn": "2026-12-07"}).as_object().unwrap().clone();
        let ((added, merged), ms, peak) = measured(|| {
            let table = read_source(csv.as_bytes()).unwrap();
            let mapping = guess_mapping(ImportKind::Person, &table);
            let rows =
                preview(&store, ImportKind::Person, &table, &mapping, &defaults, &mut |_, _| ControlFlow::Continue(()))
                    .unwrap();
            let decisions: Vec<RowDecision> = rows.iter().map(|r| r.decision).collect();
            let report =
                commit(&mut store, ImportKind::Person, &rows, &decisions, &mut |_, _| ControlFlow::Continue(()))
                    .unwrap();
            (report.added, report.merged)
        });
        println!(
            "| People from CSV with duplicate detection ({added} added, {merged} merged) | {rows} | {ms:.0} ms | {peak:.1} MB |"
        );
    }
}
