//! The Reports screen with 100 000 seminars and 100 000 distributions, in the real app
//! window: how long the screen takes to show its first figures, and how long a filter,
//! a change of rows or of figure takes to show the new ones. Run by `cargo xtask bench
//! --only reports` against the release build; prints a Markdown table.
//!
//! Glossary: *shown* — the screen's summary line (or first row) holds the new figures
//! and a frame has been painted; *first figures* — from the click on Reports in the
//! navigation until the figures are shown; *filter change* — a region, kind of event or
//! target group chosen, until the new figures are shown.

use std::time::{Duration, Instant};

use saite_e2e::{
    AppSession, Harness, launch,
    timing::{percentile, sorted},
};

/// The figures in BENCHMARKS.md are for 100 000 of each; `SAITE_BENCH_N` changes it for a
/// quicker look.
fn records() -> usize {
    std::env::var("SAITE_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}
const BATCH: usize = 2_000;
const MUNICIPALITIES: &[&str] = &[
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
const KINDS: &[&str] = &["seminar", "round-table", "training", "conference-seminar", "forum-theatre"];
const GROUPS: &[&str] = &["youth", "teachers", "social-workers", "municipal-police-officers", "pupils"];
const ORG_KINDS: &[&str] = &["school", "library", "social-service", "nva-branch", "ngo", "youth-centre"];
const REGIONS: &[&str] = &["riga", "kurzeme", "latgale", "vidzeme", "zemgale"];

/// A fixed xorshift sequence: the same records every run.
struct Sequence(u64);

impl Sequence {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Creates records through the app's own command; their ids.
async fn create(app: &AppSession, records: Vec<serde_json::Value>) -> Vec<String> {
    let script = format!(
        "return window.__TAURI_INTERNALS__.invoke('create_records', {{ records: {} }}).then((ids) => ids, (e) => JSON.stringify(e))",
        serde_json::Value::Array(records)
    );
    let ids = app.eval(&script).await;
    serde_json::from_value(ids.clone()).unwrap_or_else(|_| panic!("creating records: {ids}"))
}

async fn load(app: &AppSession) -> f64 {
    let started = Instant::now();
    let mut next = Sequence(0x5a17e);
    let organisations = create(
        app,
        (0..3_000)
            .map(|i| {
                serde_json::json!(["organisation", {"name": format!("Iestāde {i:05}"), "kind": ORG_KINDS[i % ORG_KINDS.len()],
                    "municipality": MUNICIPALITIES[i % MUNICIPALITIES.len()]}])
            })
            .collect(),
    )
    .await;
    let materials = create(
        app,
        (0..120)
            .map(|i| {
                let kind = ["poster", "booklet", "leaflet", "banner"][i % 4];
                serde_json::json!(["material", {"title": format!("Materiāls {i:03}"), "kind": kind, "stock": 1_000_000}])
            })
            .collect(),
    )
    .await;
    let date =
        |next: &mut Sequence| format!("{}-{:02}-{:02}", 2010 + next.below(16), 1 + next.below(12), 1 + next.below(28));
    for start in (0..records()).step_by(BATCH) {
        let seminars = (start..(start + BATCH).min(records()))
            .map(|i| {
                let participants: serde_json::Map<String, serde_json::Value> = (0..1 + next.below(3))
                    .map(|_| (GROUPS[next.below(GROUPS.len())].to_owned(), serde_json::json!(5 + next.below(40))))
                    .collect();
                serde_json::json!(["seminar", {"title": format!("Seminārs {i:06}"), "kind": KINDS[next.below(KINDS.len())],
                    "date": date(&mut next), "municipality": MUNICIPALITIES[next.below(MUNICIPALITIES.len())],
                    "participants": participants}])
            })
            .collect();
        create(app, seminars).await;
        let distributions = (start..(start + BATCH).min(records()))
            .map(|_| {
                serde_json::json!(["distribution", {"material": materials[next.below(materials.len())],
                    "organisation": organisations[next.below(organisations.len())], "quantity": 1 + next.below(50),
                    "date": date(&mut next), "method": "mailed"}])
            })
            .collect();
        create(app, distributions).await;
    }
    started.elapsed().as_secs_f64()
}

/// JavaScript shared by the measurements. `shown(read, before)` resolves once `read()`
/// gives something other than `before` (the figures changed) and a frame has been
/// painted; `choose(testid, value)` picks a value in one of the screen's selects.
const SHOWN_JS: &str = "
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const summary = () => document.querySelector('[data-testid=report-summary]')?.textContent ?? null;
  const firstKey = () => document.querySelector('[data-testid=report-row]')?.dataset.key ?? null;
  const shown = async (read, before) => {
    const waited = performance.now();
    while (read() === before || read() === null) {
      if (performance.now() - waited > 20000) throw new Error(`the figures stayed ${before}`);
      await frame();
    }
    await frame();
  };
  const choose = (testid, value) => {
    const select = document.querySelector(`[data-testid=${testid}]`);
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  };
";

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "bench-reports", data.path()).await;
    app.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(Some(Duration::from_secs(600)), None, None))
        .await
        .unwrap();
    let load_s = load(&app).await;
    eprintln!("loaded {n} seminars and {n} distributions in {load_s:.1} s", n = records());

    // Opening Reports from Home, 11 times: the first after the load, then 10 more.
    let mut openings = Vec::new();
    for _ in 0..11 {
        app.click("[data-testid=nav-home]").await;
        app.wait_for("[data-testid=screen-home]").await;
        let ms = app
            .eval(&format!(
                "{SHOWN_JS}
                 return (async () => {{
                   const t0 = performance.now();
                   document.querySelector('[data-testid=nav-reports]').click();
                   await shown(summary, null);
                   return performance.now() - t0;
                 }})();"
            ))
            .await;
        openings.push(ms.as_f64().unwrap());
    }
    let first_opening = openings[0];
    let reopenings = sorted(&serde_json::json!(openings[1..]));
    eprintln!("openings measured");

    // How long each report's answer took (the store and IPC), apart from drawing it: the
    // screen measures it as `report-answer`.
    app.eval("performance.clearMeasures('report-answer'); return 0;").await;

    // Filters: each region, each kind of event within it, then every target group.
    let mut changes: Vec<(&str, &str)> = Vec::new();
    for region in REGIONS.iter().chain([&""]) {
        changes.push(("report-region", region));
        for kind in KINDS.iter().chain([&""]) {
            changes.push(("report-kind", kind));
        }
    }
    for group in GROUPS.iter().chain([&""]) {
        changes.push(("report-target-group", group));
    }
    let filters = app
        .eval(&format!(
            "{SHOWN_JS}
             return (async () => {{
               const out = [];
               for (const [testid, value] of {changes}) {{
                 const before = summary();
                 const t0 = performance.now();
                 choose(testid, value);
                 await shown(summary, before);
                 out.push(performance.now() - t0);
               }}
               return out;
             }})();",
            changes = serde_json::to_string(&changes).unwrap()
        ))
        .await;
    let filters = sorted(&filters);
    let answers =
        sorted(&app.eval("return performance.getEntriesByName('report-answer').map((m) => m.duration);").await);
    eprintln!("filters measured");

    // Rows: the events by each dimension in turn, twice; then the materials handed out
    // and back.
    let dimensions = ["region", "kind", "target-group", "quarter", "municipality", "year"];
    let rows = app
        .eval(&format!(
            "{SHOWN_JS}
             return (async () => {{
               const out = [];
               for (const by of [...{dims}, ...{dims}]) {{
                 const before = firstKey();
                 const t0 = performance.now();
                 document.querySelector(`[data-testid=report-by-${{by}}]`).click();
                 await shown(firstKey, before);
                 out.push(performance.now() - t0);
               }}
               return out;
             }})();",
            dims = serde_json::to_string(&dimensions).unwrap()
        ))
        .await;
    let rows = sorted(&rows);
    let figures = app
        .eval(&format!(
            "{SHOWN_JS}
             return (async () => {{
               const out = [];
               for (const figure of ['distributions', 'events', 'distributions', 'events']) {{
                 const before = summary();
                 const t0 = performance.now();
                 document.querySelector(`[data-testid=report-figure-${{figure}}]`).click();
                 await shown(summary, before);
                 out.push(performance.now() - t0);
               }}
               return out;
             }})();"
        ))
        .await;
    let figures = sorted(&figures);
    app.screenshot("bench-reports").await;
    app.close().await;

    let n = records();
    println!("| Reports screen ({n} seminars, {n} distributions, release build, Xvfb) | p50 | p95 | max | goal |");
    println!("| --- | --- | --- | --- | --- |");
    println!("| loading them through the app (batches of {BATCH}) | {load_s:.1} s in all | | | — |");
    println!(
        "| first figures: opening Reports after the load, events by year | {first_opening:.0} ms | | | ≤ 300 ms |"
    );
    let line = |what: String, v: &[f64], goal: &str| {
        println!(
            "| {what} | {:.0} ms | {:.0} ms | {:.0} ms | {goal} |",
            percentile(v, 0.5),
            percentile(v, 0.95),
            v.last().unwrap()
        )
    };
    line(format!("opening Reports again, {} times", reopenings.len()), &reopenings, "≤ 300 ms");
    line(
        format!("a filter changed (region, kind of event, target group), {} changes", filters.len()),
        &filters,
        "p95 ≤ 100 ms",
    );
    line(format!("… of which the report command's answer (store and IPC), {} answers", answers.len()), &answers, "—");
    line(format!("rows changed (by region, kind, target group, quarter, …), {} changes", rows.len()), &rows, "—");
    line(format!("events ⇄ materials handed out, {} changes", figures.len()), &figures, "—");
}
