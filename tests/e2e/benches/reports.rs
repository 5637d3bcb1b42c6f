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

use saite_bench_data::{self as data, Sequence};
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

/// Creates records through the app's own command; their ids.
async fn create(app: &AppSession, records: Vec<serde_json::Value>) -> Vec<String> {
    let script = format!(
        "return window.__TAURI_INTERNALS__.invoke('create_records', {{ records: {} }}).then((ids) => ids, (e) => JSON.stringify(e))",
        serde_json::Value::Array(records)
    );
    let ids = app.eval(&script).await;
    serde_json::from_value(ids.clone()).unwrap_or_else(|_| panic!("creating records: {ids}"))
}

/// The reports benchmark's data set (`saite-bench-data`), through the app's own command.
async fn load(app: &AppSession) -> f64 {
    let started = Instant::now();
    let mut next = Sequence::default();
    let docs = |collection: &str, docs: Vec<serde_json::Map<String, serde_json::Value>>| {
        docs.into_iter().map(|d| serde_json::json!([collection, d])).collect::<Vec<_>>()
    };
    let organisations =
        create(app, docs("organisation", (0..data::ORGANISATIONS).map(data::organisation).collect())).await;
    let materials = create(app, docs("material", (0..data::MATERIALS).map(data::material).collect())).await;
    for start in (0..records()).step_by(BATCH) {
        let end = (start + BATCH).min(records());
        let seminars = (start..end).map(|i| data::seminar(i, &mut next)).collect();
        create(app, docs("seminar", seminars)).await;
        let distributions = (start..end).map(|_| data::distribution(&mut next, &materials, &organisations)).collect();
        create(app, docs("distribution", distributions)).await;
    }
    started.elapsed().as_secs_f64()
}

/// JavaScript shared by the measurements. `shown(read, before)` resolves once `read()`
/// gives something other than `before` (the figures changed) and a frame has been
/// painted; `choose(testid, value)` picks a value in one of the screen's selects;
/// `timed(items, act, read)` times each item's change until it is shown.
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
  const timed = async (items, act, read) => {
    const out = [];
    for (const item of items) {
      const before = read();
      const t0 = performance.now();
      act(item);
      await shown(read, before);
      out.push(performance.now() - t0);
    }
    return out;
  };
";

/// Each of `items` done in turn by `act` (a JavaScript function of one item), each timed
/// until `read` (a reader of [`SHOWN_JS`]) gives something new and it is shown; sorted.
async fn timed(app: &AppSession, items: serde_json::Value, act: &str, read: &str) -> Vec<f64> {
    sorted(&app.eval(&format!("{SHOWN_JS} return timed({items}, {act}, {read});")).await)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "bench-reports", data.path()).await;
    app.allow_long_scripts(Duration::from_secs(600)).await;
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
    let first = |name: &str| format!("return performance.getEntriesByName('{name}')[0]?.duration ?? -1;");
    let first_answer = app.eval(&first("report-answer")).await.as_f64().unwrap();
    let first_drawn = app.eval(&first("report-drawn")).await.as_f64().unwrap();
    app.eval("performance.clearMeasures(); return 0;").await;

    // Filters: each region, each kind of event within it, then every target group.
    let mut changes: Vec<(&str, &str)> = Vec::new();
    for region in data::REGIONS.iter().chain([&""]) {
        changes.push(("report-region", region));
        for kind in data::EVENT_KINDS.iter().chain([&""]) {
            changes.push(("report-kind", kind));
        }
    }
    for group in data::TARGET_GROUPS.iter().chain([&""]) {
        changes.push(("report-target-group", group));
    }
    let filters =
        timed(&app, serde_json::json!(changes), "([testid, value]) => choose(testid, value)", "summary").await;
    let measured = |name: &str| {
        let script = format!("return performance.getEntriesByName('{name}').map((m) => m.duration);");
        let app = &app;
        async move { sorted(&app.eval(&script).await) }
    };
    let answers = measured("report-answer").await;
    let drawn = measured("report-drawn").await;
    let charts = measured("report-chart").await;
    eprintln!("filters measured");

    // Rows: the events by each dimension in turn, twice; then the materials handed out
    // and back.
    let dimensions = ["region", "kind", "target-group", "quarter", "municipality", "year"];
    let rows = timed(
        &app,
        serde_json::json!([dimensions, dimensions].concat()),
        "(by) => document.querySelector(`[data-testid=report-by-${by}]`).click()",
        "firstKey",
    )
    .await;
    let figures = timed(
        &app,
        serde_json::json!(["distributions", "events", "distributions", "events"]),
        "(figure) => document.querySelector(`[data-testid=report-figure-${figure}]`).click()",
        "summary",
    )
    .await;
    app.screenshot("bench-reports").await;
    app.close().await;

    let n = records();
    println!("| Reports screen ({n} seminars, {n} distributions, release build, Xvfb) | p50 | p95 | max | goal |");
    println!("| --- | --- | --- | --- | --- |");
    println!("| loading them through the app (batches of {BATCH}) | {load_s:.1} s in all | | | — |");
    println!(
        "| first figures: opening Reports after the load, events by year | {first_opening:.0} ms | | | ≤ 300 ms |"
    );
    println!(
        "| … of which the report command's answer, then putting it on the page | {first_answer:.0} ms, {first_drawn:.0} ms | | | — |"
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
    line(format!("… then putting it on the page (table and chart), {} times", drawn.len()), &drawn, "—");
    line(format!("… of which drawing the chart, {} times", charts.len()), &charts, "—");
    line(format!("rows changed (by region, kind, target group, quarter, …), {} changes", rows.len()), &rows, "—");
    line(format!("events ⇄ materials handed out, {} changes", figures.len()), &figures, "—");
}
