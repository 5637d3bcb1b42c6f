//! The organisations list with 100 000 records, in the real app window: how long a jump
//! to any position takes to show its rows, how smooth continuous scrolling is, and how
//! long a filter takes to show its first rows; then, on a second laptop, the window while
//! its first pull brings the same 100 000 records from the real `saite-server`. Run by
//! `cargo xtask bench` against the release build; prints a Markdown table.
//!
//! Glossary: *jump* — setting the list's scroll position anywhere at once (dragging the
//! scroll bar); *ready* — every row in view shows its values (no "…" placeholder) and a
//! frame has been painted; *stutter* — a frame that took longer than 50 ms; *frame gap*
//! — the time between two painted frames; *list page* — 50 organisations by name at a
//! random position, as the list asks for them; *search* — a query as Ctrl+K sends it.

use std::time::{Duration, Instant};

use saite_e2e::{
    AppSession, Harness, free_port, launch,
    server::SyncServer,
    timing::{percentile, sorted},
};

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
        app.create_records(docs).await;
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
    app.allow_long_scripts(Duration::from_secs(600)).await;
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

    // The first pull: this laptop sends its records to a real server, and a second,
    // empty laptop connects and pulls them while the window is measured.
    let server_dir = tempfile::tempdir().unwrap();
    let log = std::path::Path::new(&std::env::var_os("SAITE_E2E_ARTIFACTS").unwrap_or_else(|| "test-artifacts".into()))
        .join("bench-first-pull-server.log");
    let server = SyncServer::start(server_dir.path(), free_port(), &log);
    let org = server.admin(&["org", "add", "Biedrība Patvērums"], None);
    for (email, name) in [("sandra@example.lv", "Sandra"), ("ilze@example.lv", "Ilze")] {
        server.admin(&["user", "add", "--org", &org, "--email", email, "--name", name], Some(PASSWORD));
    }
    let pushed = Instant::now();
    app.connect(&server.url, "sandra@example.lv", PASSWORD).await;
    wait_synced(&app).await;
    let push_s = pushed.elapsed().as_secs_f64();
    eprintln!("pushed {} organisations in {push_s:.1} s", records());
    app.close().await;

    let second = tempfile::tempdir().unwrap();
    let app = launch(&h, "bench-first-pull", second.path()).await;
    app.allow_long_scripts(Duration::from_secs(900)).await;
    // The measuring starts in the page before the form is sent, and waits there for the
    // round to begin; the list is opened while the pull runs.
    app.fill_connect_form(&server.url, "ilze@example.lv", PASSWORD).await;
    app.eval(&format!("window.__measured = null; {}.then((m) => (window.__measured = m), (e) => (window.__measured = {{ error: String(e) }})); return 0;", responsiveness_js(Until::PullEnds))).await;
    app.click("[data-testid=connect-submit]").await;
    app.click("[data-testid=nav-organisations]").await;
    let deadline = Instant::now() + Duration::from_secs(900);
    let during = loop {
        let measured = app.eval("return window.__measured").await;
        if !measured.is_null() {
            break measured;
        }
        assert!(Instant::now() < deadline, "the first pull never ended");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(during["error"].is_null(), "measuring the first pull failed: {during}");
    eprintln!("first pull measured");
    let pull_s = during["ms"].as_f64().unwrap() / 1000.0;
    let after = app
        .eval(&format!("return {};", responsiveness_js(Until::Elapsed(during["ms"].as_f64().unwrap().max(5_000.0)))))
        .await;
    app.close().await;
    drop(server);

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
    println!("| pushing them to the real `saite-server` (connect, push, verify) | {push_s:.1} s in all | | | — |");
    println!("| a second laptop's first pull of them, the list on screen | {pull_s:.1} s in all | | | — |");
    for (when, figures) in [("during the first pull", &during), ("with no pull, after it", &after)] {
        let gaps = sorted(&figures["gaps"]);
        let list = sorted(&figures["list"]);
        let search = sorted(&figures["search"]);
        println!(
            "| {when}: frame gap, {} frames | {:.1} ms | {:.1} ms | {:.1} ms | max ≤ 100 ms |",
            gaps.len(),
            percentile(&gaps, 0.5),
            percentile(&gaps, 0.95),
            gaps.last().unwrap()
        );
        println!(
            "| {when}: a list page (50 by name at a random position), {} pages | {:.1} ms | {:.1} ms | {:.1} ms | p95 ≤ 150 ms |",
            list.len(),
            percentile(&list, 0.5),
            percentile(&list, 0.95),
            list.last().unwrap()
        );
        println!(
            "| {when}: a search, {} queries | {:.1} ms | {:.1} ms | {:.1} ms | p95 ≤ 150 ms |",
            search.len(),
            percentile(&search, 0.5),
            percentile(&search, 0.95),
            search.last().unwrap()
        );
    }
}

/// The password of the bench's two users on the server.
const PASSWORD: &str = "ļoti slepena parole 42";

/// Waits until a round has ended with nothing left to push.
async fn wait_synced(app: &AppSession) {
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        let status = app.eval("return window.__TAURI_INTERNALS__.invoke('sync_status')").await;
        if status["phase"] == "idle" && status["pending"] == 0 && !status["lastSuccessMs"].is_null() {
            return;
        }
        assert!(Instant::now() < deadline, "the push never ended: {status}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// How long [`responsiveness_js`] measures.
enum Until {
    /// Until the list holds every record and the sync round has ended.
    PullEnds,
    /// For this many ms.
    Elapsed(f64),
}

/// A script measuring the window while it runs: every frame gap, and back to back a list
/// page (the list's own command) and a search, each timed from the call to its answer.
/// For a pull it first waits for the round to begin. An expression: a promise of the
/// figures.
fn responsiveness_js(until: Until) -> String {
    let (pull, duration) = match until {
        Until::PullEnds => (true, 900_000.0),
        Until::Elapsed(ms) => (false, ms),
    };
    format!(
        "(async () => {{
           const invoke = window.__TAURI_INTERNALS__.invoke;
           const waited = performance.now();
           while ({pull} && (await invoke('sync_status')).phase !== 'syncing') {{
             if (performance.now() - waited > 60000) throw new Error('the first pull never began');
             await new Promise((r) => setTimeout(r, 20));
           }}
           const gaps = []; let last = null; let running = true;
           const step = (now) => {{
             if (last !== null) gaps.push(now - last);
             last = now;
             if (running) requestAnimationFrame(step);
           }};
           requestAnimationFrame(step);
           const list = [], search = [];
           const words = ['iestade 01', 'iestade 5', 'riga', 'iestade 0999', 'daugavpils'];
           const started = performance.now();
           let seed = 12345, total = 0, i = 0;
           for (;;) {{
             seed = (seed * 1103515245 + 12345) % 2147483648;
             const offset = Math.floor((seed / 2147483648) * Math.max(0, total - 50));
             const t0 = performance.now();
             const page = await invoke('list_records', {{ query: {{ collection: 'organisation', filters: [], sort: 'name',
               descending: false, offset, limit: 50, withTotal: i % 10 === 0 }} }});
             list.push(performance.now() - t0);
             if (page.total !== null) total = page.total;
             const t1 = performance.now();
             await invoke('search_records', {{ query: words[i % words.length], limit: 20 }});
             search.push(performance.now() - t1);
             i++;
             const elapsed = performance.now() - started;
             if (elapsed > {duration}) {{
               if ({pull}) throw new Error(`the first pull did not end: ${{total}} records`);
               break;
             }}
             if ({pull} && i % 10 === 0 && total === {records}) {{
               const status = await invoke('sync_status');
               if (status.phase !== 'syncing') break;
             }}
           }}
           running = false;
           return {{ gaps, list, search, ms: performance.now() - started }};
         }})()",
        records = records()
    )
}
