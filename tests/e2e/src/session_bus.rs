//! A private D-Bus session bus for one app, with a monitor recording each desktop
//! notification sent on it (`org.freedesktop.Notifications.Notify`), so a test observes
//! what the app raised without a notification service or a desktop.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// `dbus-daemon --session` and `dbus-monitor` on it; both end when dropped.
pub struct SessionBus {
    daemon: Child,
    monitor: Child,
    /// The bus's address: the app's `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
    log: PathBuf,
}

impl SessionBus {
    /// Starts the bus and a monitor writing to `<artifacts>/<name>.dbus.log`, and waits
    /// until the monitor listens.
    pub fn start(artifacts: &Path, name: &str) -> SessionBus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian's dbus-daemon; cargo xtask test installs it)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        let log = artifacts.join(format!("{name}.dbus.log"));
        let monitor = Command::new("dbus-monitor")
            .args(["--address", &address, "type='method_call',interface='org.freedesktop.Notifications'"])
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (Debian's dbus-bin; cargo xtask test installs it)");
        let bus = SessionBus { daemon, monitor, address, log };
        // The monitor's first output is the bus naming it; from then on it sees all.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !bus.recorded().contains("NameAcquired") {
            assert!(Instant::now() < deadline, "dbus-monitor never started: {:?}", bus.recorded());
            std::thread::sleep(Duration::from_millis(50));
        }
        bus
    }

    /// Everything the monitor recorded so far.
    pub fn recorded(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The notifications sent so far: each `Notify` call's text, as the monitor printed it.
    pub fn notifications(&self) -> Vec<String> {
        let recorded = self.recorded();
        recorded.split("method call").filter(|m| m.contains("member=Notify")).map(str::to_owned).collect()
    }

    /// Waits until a notification containing `needle` was sent; returns it.
    pub async fn wait_for_notification(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(found) = self.notifications().into_iter().find(|n| n.contains(needle)) {
                return found;
            }
            assert!(Instant::now() < deadline, "no notification with {needle:?}; the bus saw:\n{}", self.recorded());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.monitor.kill();
        let _ = self.monitor.wait();
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
