//! End-to-end harness: the real Saite binary in a real window (under Xvfb), driven over
//! WebDriver through `tauri-driver` and Debian's `WebKitWebDriver`.
//!
//! Glossary:
//! - **driver**: one `tauri-driver` process on free ports, in its own process group so
//!   the `WebKitWebDriver` it starts dies with it ([`TauriDriver`]).
//! - **app session**: one launch of the app with a given data folder, and the WebDriver
//!   client controlling it ([`AppSession`]). Closing it quits the app.
//! - **artifacts**: screenshots and driver logs in `$SAITE_E2E_ARTIFACTS`.
//!
//! - **sync server**: the real `saite-server` binary the sync tests run ([`server`]).
//! - **session bus**: a private D-Bus session bus on which a test watches the desktop
//!   notifications the app raises ([`session_bus`]).
//!
//! Run through `cargo xtask test`, which builds the app and the server and sets
//! `SAITE_E2E_APP`, `SAITE_E2E_SERVER`, `SAITE_E2E_TAURI_DRIVER` and `SAITE_E2E_ARTIFACTS`; without them a test fails
//! with a message saying so (it never skips).

use std::{
    net::{TcpListener, TcpStream},
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};

pub mod server;
pub mod session_bus;
pub mod timing;

/// How long to wait for the app to show something before failing.
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);

/// How long starting the app through WebDriver may take (a cold start is ~1 s).
pub const SESSION_TIMEOUT: Duration = Duration::from_secs(60);

/// The paths the harness needs, from the environment `cargo xtask test` sets.
pub struct Harness {
    pub app: PathBuf,
    pub tauri_driver: PathBuf,
    pub artifacts: PathBuf,
}

impl Harness {
    pub fn from_env() -> Harness {
        let var = |name: &str| {
            std::env::var_os(name).map(PathBuf::from).unwrap_or_else(|| {
                panic!("{name} is not set: run the end-to-end tests through `cargo xtask test`, which builds the app and starts Xvfb")
            })
        };
        let harness = Harness {
            app: var("SAITE_E2E_APP"),
            tauri_driver: var("SAITE_E2E_TAURI_DRIVER"),
            artifacts: var("SAITE_E2E_ARTIFACTS"),
        };
        assert!(harness.app.is_file(), "SAITE_E2E_APP={} is not a file", harness.app.display());
        std::fs::create_dir_all(&harness.artifacts).unwrap();
        harness
    }

    /// This harness with the app's wall clock moved by `offset` (libfaketime's syntax:
    /// `+3d`), the monotonic clock left alone. The library is preloaded into the app
    /// alone (its web view's processes inherit it), through a wrapper script, not into
    /// tauri-driver and WebKitWebDriver, whose sessions it could upset.
    pub fn with_clock_moved(&self, offset: &str) -> Harness {
        let library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
        assert!(
            Path::new(library).is_file(),
            "{library} is missing: Debian's libfaketime (cargo xtask test installs it)"
        );
        let wrapper = self.artifacts.join(format!("saite-clock{offset}.sh"));
        let script = format!(
            "#!/bin/sh\nexport LD_PRELOAD='{library}' FAKETIME='{offset}' FAKETIME_DONT_FAKE_MONOTONIC=1\nexec '{}' \"$@\"\n",
            self.app.display()
        );
        std::fs::write(&wrapper, script).unwrap();
        std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        Harness { app: wrapper, tauri_driver: self.tauri_driver.clone(), artifacts: self.artifacts.clone() }
    }
}

/// A `tauri-driver` process group. Dropping it ends the group and waits until both of
/// its ports are free again, so the next test starts clean.
pub struct TauriDriver {
    child: Child,
    pub port: u16,
    native_port: u16,
}

/// A port nothing listens on, below the kernel's ephemeral range and never handed out
/// before by this process.
///
/// Why not a port the kernel picks (binding port 0): those come from the ephemeral
/// range, from which the kernel also takes the source port of every outgoing
/// connection, so between picking and listening the app's or the test's own HTTP client
/// could take it (seen: `WebKitWebDriver` failing to listen on its native port, and the
/// session never starting). Below that range only a listener takes a port.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let ephemeral_start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32_768);
    let (low, high) = (20_000u16.min(ephemeral_start / 2), ephemeral_start);
    // Each process starts at its own place in the range (tests run as processes), then
    // goes up from there.
    let _ = NEXT.compare_exchange(
        0,
        low + (std::process::id() % u32::from(high - low)) as u16,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    for _ in low..high {
        let port = NEXT.fetch_add(1, Ordering::SeqCst);
        let port = if port >= high {
            NEXT.store(low + 1, Ordering::SeqCst);
            low
        } else {
            port
        };
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port between {low} and {high}")
}

impl TauriDriver {
    /// Starts a driver; `env` is passed on to the app it launches.
    pub fn start(harness: &Harness, log_name: &str, env: &[(&str, &str)]) -> TauriDriver {
        let (port, native_port) = (free_port(), free_port());
        let log = std::fs::File::create(harness.artifacts.join(format!("{log_name}.driver.log"))).unwrap();
        let child = Command::new(&harness.tauri_driver)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .envs(env.iter().copied())
            .env_remove("SAITE_DATA_DIR")
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", harness.tauri_driver.display()));
        let driver = TauriDriver { child, port, native_port };
        let deadline = Instant::now() + UI_TIMEOUT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let group = self.child.id() as i32;
        // SAFETY: killpg only sends a signal to the group this harness created.
        unsafe { libc::killpg(group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        unsafe { libc::killpg(group, libc::SIGKILL) };
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(5);
        while [self.port, self.native_port].iter().any(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok())
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// One running app window with its WebDriver client.
pub struct AppSession {
    pub client: Client,
    pub name: String,
    artifacts: PathBuf,
    // Dropped after the client is closed (field order).
    _driver: TauriDriver,
}

/// The passphrase the end-to-end tests give the store through `SAITE_PASSPHRASE`.
pub const E2E_PASSPHRASE: &str = "e2e drošā parole";

/// Launches the app on `data_dir` with the store unlocked through `SAITE_PASSPHRASE`
/// (created on first launch), and waits until the main screen is ready.
pub async fn launch(harness: &Harness, name: &str, data_dir: &Path) -> AppSession {
    launch_with(
        harness,
        name,
        &data_dir_args(data_dir),
        &[("SAITE_PASSPHRASE", E2E_PASSPHRASE)],
        "[data-testid=app-ready]",
    )
    .await
}

/// [`launch`] with saved files (exports) going to `export_dir` (`SAITE_EXPORT_DIR`).
pub async fn launch_saving_to(harness: &Harness, name: &str, data_dir: &Path, export_dir: &Path) -> AppSession {
    launch_with(
        harness,
        name,
        &data_dir_args(data_dir),
        &[("SAITE_PASSPHRASE", E2E_PASSPHRASE), ("SAITE_EXPORT_DIR", &export_dir.display().to_string())],
        "[data-testid=app-ready]",
    )
    .await
}

/// [`launch`] under the system's dark theme (GTK's Adwaita dark), which the web view
/// reports as `prefers-color-scheme: dark`.
pub async fn launch_dark(harness: &Harness, name: &str, data_dir: &Path) -> AppSession {
    launch_with(
        harness,
        name,
        &data_dir_args(data_dir),
        &[("SAITE_PASSPHRASE", E2E_PASSPHRASE), ("GTK_THEME", "Adwaita:dark")],
        "[data-testid=app-ready]",
    )
    .await
}

/// Launches the app with no passphrase in the environment: it shows first run or the
/// unlock screen, whichever `ready_css` names.
pub async fn launch_locked(harness: &Harness, name: &str, data_dir: &Path, ready_css: &str) -> AppSession {
    launch_with(harness, name, &data_dir_args(data_dir), &[], ready_css).await
}

pub fn data_dir_args(data_dir: &Path) -> Vec<String> {
    vec!["--data-dir".into(), data_dir.display().to_string()]
}

pub async fn launch_with(
    harness: &Harness,
    name: &str,
    args: &[String],
    env: &[(&str, &str)],
    ready_css: &str,
) -> AppSession {
    let driver = TauriDriver::start(harness, name, env);
    // No browserName: WebKitWebDriver would reject it. The app and its arguments go in
    // tauri:options, which tauri-driver maps to webkitgtk:browserOptions.
    let capabilities = serde_json::json!({
        "tauri:options": { "application": harness.app, "args": args }
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!() };
    let url = format!("http://127.0.0.1:{}", driver.port);
    let mut builder = ClientBuilder::native();
    builder.capabilities(capabilities);
    let connecting = builder.connect(&url);
    let client = tokio::time::timeout(SESSION_TIMEOUT, connecting)
        .await
        .unwrap_or_else(|_| panic!("WebDriver session for {name} did not start within {SESSION_TIMEOUT:?}"))
        .unwrap_or_else(|e| {
            // What the driver and the app said is the only trace of why.
            let log = std::fs::read_to_string(harness.artifacts.join(format!("{name}.driver.log"))).unwrap_or_default();
            let tail: String = log.chars().rev().take(3000).collect::<Vec<_>>().into_iter().rev().collect();
            panic!("WebDriver session for {name} did not start: {e}\ndriver log (end):\n{tail}")
        });
    let session = AppSession { client, name: name.to_owned(), artifacts: harness.artifacts.clone(), _driver: driver };
    session.wait_for(ready_css).await;
    session
}

impl AppSession {
    /// Waits for an element matching the CSS selector.
    /// On a timeout it saves a screenshot (`{name}-timeout.png`) and puts the page's
    /// visible text into the panic message, so a failure in CI can be read from its log.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_for_long(css, UI_TIMEOUT).await
    }

    /// [`AppSession::wait_for`] with its own limit (a lock after idle minutes).
    pub async fn wait_for_long(&self, css: &str, limit: Duration) -> Element {
        match self.client.wait().at_most(limit).for_element(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => {
                let shot = match self.client.screenshot().await {
                    Ok(png) => {
                        let path = self.artifacts.join(format!("{}-timeout.png", self.name));
                        std::fs::write(&path, png).map(|_| path.display().to_string()).unwrap_or_else(|e| e.to_string())
                    }
                    Err(e) => format!("no screenshot: {e}"),
                };
                let page = self
                    .client
                    .execute("return document.body ? document.body.innerText.slice(0, 2000) : ''", vec![])
                    .await
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .unwrap_or_else(|e| format!("page text unreadable: {e}"));
                panic!("[{}] no element matches {css}: {e}\nscreenshot: {shot}\npage text:\n{page}", self.name)
            }
        }
    }

    /// Waits until no element matches the CSS selector (a dialog closed).
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + UI_TIMEOUT;
        let script = format!("return document.querySelector({css:?}) === null;");
        while self.eval(&script).await != serde_json::Value::Bool(true) {
            assert!(Instant::now() < deadline, "[{}] {css} still shows", self.name);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_else(|e| panic!("[{}] text of {css}: {e}", self.name))
    }

    /// The value of the first input or select matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        let value = element.prop("value").await.unwrap_or_else(|e| panic!("[{}] value of {css}: {e}", self.name));
        value.unwrap_or_default()
    }

    /// Waits until the element's text equals `expected`, and returns it; fails the test
    /// when it never does. The element may be replaced between finding it and reading
    /// it (a list that re-renders as results arrive): such a read is retried.
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let read = self.wait_for(css).await.text().await;
            match read {
                Ok(text) if text == expected => return text,
                Ok(text) if Instant::now() > deadline => {
                    panic!("[{}] {css} says {text:?}, not {expected:?}", self.name)
                }
                Err(e) if Instant::now() > deadline => panic!("[{}] text of {css}: {e}", self.name),
                _ => {}
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sets an input's value as typing would, firing the `input` event the UI listens
    /// to (WebKitWebDriver's synthetic keys do not always fire it).
    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        let arg = serde_json::to_value(&el).unwrap();
        self.client
            .execute(
                "const [el, text] = arguments; el.focus(); el.value = text; \
                 el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![arg, serde_json::Value::String(text.to_owned())],
            )
            .await
            .unwrap_or_else(|e| panic!("[{}] typing into {css}: {e}", self.name));
    }

    /// Waits until the element's text contains `needle`, and returns it; fails the test
    /// when it never does.
    pub async fn wait_for_text_containing(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let text = self.text(css).await;
            if text.contains(needle) {
                return text;
            }
            assert!(Instant::now() < deadline, "[{}] {css} says {text:?}, without {needle:?}", self.name);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Chooses `value` in the select matching `css`, firing `change` as a user's choice
    /// would; fails when the select has no such option.
    pub async fn select(&self, css: &str, value: &str) {
        let script = format!(
            "const s = document.querySelector({css:?}); s.value = {value:?}; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;"
        );
        assert_eq!(self.eval(&script).await, value, "[{}] {css} has option {value}", self.name);
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap_or_else(|e| panic!("[{}] click {css}: {e}", self.name));
    }

    /// Sends one key (a WebDriver key code, e.g. `"\u{E004}"` for Tab) to the focused
    /// element through WebKit's own event path, so focus moves as a real key moves it.
    pub async fn press_key(&self, key: &str) {
        let focused =
            self.client.active_element().await.unwrap_or_else(|e| panic!("[{}] focused element: {e}", self.name));
        focused.send_keys(key).await.unwrap_or_else(|e| panic!("[{}] pressing {key:?}: {e}", self.name));
    }

    /// Lets one script run for up to `limit` (WebDriver's default is 30 s): the
    /// benchmarks measure a screen in one script each.
    pub async fn allow_long_scripts(&self, limit: std::time::Duration) {
        self.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(Some(limit), None, None))
            .await
            .unwrap_or_else(|e| panic!("[{}] setting the script timeout: {e}", self.name));
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("[{}] script failed: {e}", self.name))
    }

    /// Creates a record through the app's own command (as the UI does) and returns its id.
    pub async fn create_record(&self, collection: &str, document: serde_json::Value) -> serde_json::Value {
        let script = format!(
            "return window.__TAURI_INTERNALS__.invoke('create_record', {{ collection: {collection:?}, document: {document} }}).then((c) => c.id)"
        );
        let id = self.eval(&script).await;
        assert!(id.is_string(), "[{}] creating a {collection}: {id}", self.name);
        id
    }

    /// Creates records in one store transaction through the app's bulk command;
    /// `records` are `["collection", {document}]` pairs.
    pub async fn create_records(&self, records: Vec<serde_json::Value>) {
        let n = records.len() as u64;
        let script = format!(
            "return window.__TAURI_INTERNALS__.invoke('create_records', {{ records: {} }}).then((ids) => ids.length, (e) => JSON.stringify(e))",
            serde_json::Value::Array(records)
        );
        assert_eq!(self.eval(&script).await, n, "[{}] creating {n} records", self.name);
    }

    /// Opens the Sync screen and fills in its connect form, unsent.
    pub async fn fill_connect_form(&self, url: &str, email: &str, password: &str) {
        self.click("[data-testid=nav-sync]").await;
        self.wait_for("[data-testid=connect-form]").await;
        self.type_into("[data-testid=connect-server]", url).await;
        self.type_into("[data-testid=connect-email]", email).await;
        self.type_into("[data-testid=connect-password]", password).await;
    }

    /// Connects the app to a sync server through the Sync screen's form.
    pub async fn connect(&self, url: &str, email: &str, password: &str) {
        self.fill_connect_form(url, email, password).await;
        self.click("[data-testid=connect-submit]").await;
    }

    /// Saves a PNG of the window's page to the artifacts folder; returns its path.
    /// Switches the interface language in Settings and waits until the page follows.
    pub async fn choose_language(&self, lang: &str) {
        self.click("[data-testid=nav-settings]").await;
        self.click(&format!("[data-testid=language-{lang}]")).await;
        self.wait_for(&format!("html[lang={lang}]")).await;
    }

    /// Scrolls the element into the middle of the window and waits two frames, so a
    /// screenshot shows it.
    pub async fn scroll_to(&self, css: &str) {
        self.wait_for(css).await;
        let script = format!(
            "document.querySelector({css:?}).scrollIntoView({{ block: 'center' }});
             return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));"
        );
        self.eval(&script).await;
    }

    pub async fn screenshot(&self, file_stem: &str) -> PathBuf {
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("[{}] screenshot: {e}", self.name));
        assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        let path = self.artifacts.join(format!("{file_stem}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Ends the WebDriver session, which quits the app, then stops the driver.
    pub async fn close(self) {
        let AppSession { client, name, _driver, .. } = self;
        client.close().await.unwrap_or_else(|e| panic!("[{name}] closing the session: {e}"));
        drop(_driver);
    }
}

/// Fails unless the store's files are gone from `data_dir` (the laptop was wiped).
pub fn assert_store_destroyed(data_dir: &Path) {
    let left: Vec<String> =
        std::fs::read_dir(data_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|f| !f.starts_with("store.")), "the store's files are gone: {left:?}");
}

/// The text on the X clipboard of the current display (`xclip`), as any other program
/// pasting would see it.
pub fn x_clipboard() -> String {
    let out = Command::new("xclip").args(["-selection", "clipboard", "-o"]).output().expect("xclip runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Names of the top-level X windows on the current display (`xwininfo -root -tree`).
pub fn x_window_names() -> Vec<String> {
    let out = Command::new("xwininfo").args(["-root", "-tree"]).output().expect("xwininfo (x11-utils) runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let start = l.find('"')?;
            let end = l[start + 1..].find('"')?;
            Some(l[start + 1..start + 1 + end].to_owned())
        })
        .collect()
}
