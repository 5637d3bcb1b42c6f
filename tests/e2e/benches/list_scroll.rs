//! The organisations list with 100 000 records, in the real app window: how long a jump
//! to any position takes to show its rows, how smooth continuous scrolling is, and how
//! long a filter takes to show its first rows. Run by `cargo xtask bench` against the
//! release build; prints a Markdown table.
//!
//! Glossary: *jump* — setting the list's scroll position anywhere at once (dragging the
//! scroll bar); *ready* — every row in view shows its values (no "…" placeholder) and a
//! frame has been painted; *stutter* — a frame that took longer than 50 ms.

use std::time::{Duration, Instant};

use saite_e2e::{AppSession, Harness, launch};

/// The figures in BENCHMARKS.md are for 100 000; `SAITE_BENCH_RECORDS` changes it for a
/// quicker look while working on the list.
fn records() -> usize {
    std::env::var("SAITE_BENCH_RECORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}
const BATCH: usize = 2_000;
/// Kinds in unequal shares (1 : 3 : 5 : 7 : 9 : 11), so every filter has its own count.
const KINDS: &[&str] = &["nva-branch", "social-service", "school", "library", "ngo", "municipality"];
const MUNICIPALITIES: &[&str] =
    &["riga", "daugavpils", "rezekne", "liepaja", "jelgava", "valmieras-novads", "ventspils", "kraslavas-novads"];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn sorted(v: &serde_json::Value) -> Vec<f64> {
    let mut out: Vec<f64> = serde_json::from_value(v.clone()).unwrap();
    out.sort_by(f64::total_cmp);
    out
}

async fn load(app: &AppSession) -> f64 {
    let started = Instant::now();
    for batch in 0..records() / BATCH {
        let docs: Vec<serde_json::Value> = (0..BATCH)
            .map(|i| {
                let n = batch * BATCH + i;
                serde_json::json!(["organisation", {
                    "name": format!("Iestāde {n:06}"),
                    "kind": KINDS[(n % 36).isqrt()],
                    "municipality": MUNICIPALITIES[(n / 7) % MUNICIPALITIES.len()],
                    "phones": [format!("+371 2{:07}", n)],
                }])
            })
            .collect();
        let script = format!(
            "return window.__TAURI_INTERNALS__.invoke('create_records', {{ records: {} }}).then((ids) => ids.length, (e) => JSON.stringify(e))",
            serde_json::Value::Array(docs)
        );
        assert_eq!(app.eval(&script).await, BATCH as u64);
    }
    started.elapsed().as_secs_f64()
}

/// JavaScript shared by the measurements: `ready(first)` resolves once the row at
/// 1-based position `first` and every row in view show values, after a painted frame.
const READY_JS: &str = "
  const v = document.querySelector('.viewport');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const ready = async (first) => {
    for (;;) {
      await frame();
      const row = v.querySelector(`[aria-posinset='${first}'] [data-testid=list-row]`);
      if (row && !v.querySelector('.placeholder')) { await frame(); return; }
    }
  };
";

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let h = Harness::from_env();
    let data = tempfile::tempdir().unwrap();
    let app = launch(&h, "bench-list-scroll", data.path()).await;
    // The measurements run as one script each, longer than WebDriver's default 30 s.
    app.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(Some(Duration::from_secs(600)), None, None))
        .await
        .unwrap();
    let load_s = load(&app).await;
    eprintln!("loaded {} organisations in {load_s:.1} s", records());

    // The window's own pace, for comparison: frame intervals on the Home screen while
    // nothing changes (Xvfb renders in software; no list is involved).
    let idle = app
        .eval(
            "return new Promise((done) => { const gaps = []; let last = null; \
               const step = (now) => { if (last !== null) gaps.push(now - last); last = now; \
                 if (gaps.length < 120) requestAnimationFrame(step); else done(gaps); }; \
               requestAnimationFrame(step); })",
        )
        .await;
    let idle = sorted(&idle);

    let opened = Instant::now();
    app.click("[data-testid=nav-organisations]").await;
    app.wait_for("[data-testid=list-row]").await;
    app.wait_for("[data-testid=list-row]").await;
    let first_screen_ms = opened.elapsed().as_secs_f64() * 1000.0;

    // 200 jumps to pseudo-random positions (a fixed LCG: the same positions every run).
    let jumps = app
        .eval(&format!(
            "{READY_JS}
             return (async () => {{
               const out = []; let seed = 12345;
               for (let i = 0; i < 200; i++) {{
                 seed = (seed * 1103515245 + 12345) % 2147483648;
                 const first = Math.floor((seed / 2147483648) * ({records} - 20));
                 const t0 = performance.now();
                 v.scrollTop = first * 44;
                 await ready(Math.floor(v.scrollTop / 44) + 1);
                 out.push(performance.now() - t0);
               }}
               return out;
             }})();",
            records = records()
        ))
        .await;
    let jumps = sorted(&jumps);
    eprintln!("jumps measured");

    // Continuous scrolling: 3 rows per frame for 600 frames (about 10 s at 60 Hz), the
    // speed of a fast mouse wheel; every frame interval and every frame showing a "…".
    // `frozen` runs it once with the list deaf to scrolling (its scroll events stopped
    // before they reach it): the window only moves the rows it has, so that run measures
    // what scrolling costs the renderer alone, the floor under the list's own work.
    let scroll_js = |frozen: bool| {
        format!(
            "const v = document.querySelector('.viewport'); v.scrollTop = 0;
             const deaf = (e) => e.stopPropagation();
             if ({frozen}) window.addEventListener('scroll', deaf, true);
             return new Promise((done) => {{
               const gaps = []; let waiting = 0; let last = null; let i = 0;
               const step = (now) => {{
                 if (last !== null) gaps.push(now - last);
                 last = now;
                 if (v.querySelector('.placeholder')) waiting++;
                 v.scrollTop += 132;
                 if (++i < 600) requestAnimationFrame(step);
                 else {{ window.removeEventListener('scroll', deaf, true); done({{ gaps, waiting }}); }}
               }};
               requestAnimationFrame(step);
             }});"
        )
    };
    let frozen = app.eval(&scroll_js(true)).await;
    let frozen = sorted(&frozen["gaps"]);
    let smooth = app.eval(&scroll_js(false)).await;
    let gaps = sorted(&smooth["gaps"]);
    let stutters = gaps.iter().filter(|g| **g > 50.0).count();
    let waiting = smooth["waiting"].as_u64().unwrap();
    eprintln!("continuous scrolling measured");

    // Filters: each kind in turn, then back to all; until the new count and first row show.
    let filters = app
        .eval(&format!(
            "{READY_JS}
             return (async () => {{
               const out = [];
               const select = document.querySelector('[data-testid=filter-kind]');
               const count = document.querySelector('[data-testid=list-count]');
               for (const kind of [...{kinds}, '', ...{kinds}, '']) {{
                 const before = count.textContent;
                 const t0 = performance.now();
                 select.value = kind; select.dispatchEvent(new Event('change', {{ bubbles: true }}));
                 const waited = performance.now();
                 while (count.textContent === before) {{
                   if (performance.now() - waited > 10000) throw new Error(`the count stayed ${{before}} after choosing ${{kind}}`);
                   await frame();
                 }}
                 await ready(1);
                 out.push(performance.now() - t0);
               }}
               return out;
             }})();",
            kinds = serde_json::to_string(KINDS).unwrap()
        ))
        .await;
    let filters = sorted(&filters);
    app.close().await;

    println!("| measure ({} organisations, release build, Xvfb) | p50 | p95 | max | goal |", records());
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| loading them through the app (batches of {BATCH}) | {:.1} s in all | {:.0} records/s | | — |",
        load_s,
        records() as f64 / load_s
    );
    println!(
        "| baseline: frame interval of the idle Home screen, 120 frames | {:.1} ms | {:.1} ms | {:.1} ms | — |",
        percentile(&idle, 0.5),
        percentile(&idle, 0.95),
        idle.last().unwrap()
    );
    println!(
        "| floor: the list's viewport scrolled 3 rows a frame with its rows frozen, 600 frames | {:.1} ms | {:.1} ms | {:.1} ms | — |",
        percentile(&frozen, 0.5),
        percentile(&frozen, 0.95),
        frozen.last().unwrap()
    );
    println!("| opening the list: count and first rows shown | {first_screen_ms:.0} ms | | | — |");
    println!(
        "| jump anywhere (scroll bar): rows at the new position shown, {} jumps | {:.1} ms | {:.1} ms | {:.1} ms | ≤ 100 ms |",
        jumps.len(),
        percentile(&jumps, 0.5),
        percentile(&jumps, 0.95),
        jumps.last().unwrap()
    );
    println!(
        "| continuous scroll, 3 rows a frame: frame interval, {} frames | {:.1} ms | {:.1} ms | {:.1} ms | p95 ≤ 33 ms |",
        gaps.len() + 1,
        percentile(&gaps, 0.5),
        percentile(&gaps, 0.95),
        gaps.last().unwrap()
    );
    println!(
        "| continuous scroll: frames over 50 ms / frames showing a \"…\" row | {stutters} | {waiting} | of {} | 0 stutters |",
        gaps.len() + 1
    );
    println!(
        "| filter by kind (and back to all), {} changes: new count and first rows shown | {:.1} ms | {:.1} ms | {:.1} ms | ≤ 100 ms |",
        filters.len(),
        percentile(&filters, 0.5),
        percentile(&filters, 0.95),
        filters.last().unwrap()
    );
}
