//! Headless Chromium for the packet's browser and print tests (`tests/packet_browser.rs`,
//! `tests/packet_print.rs`): where it is, and the flags every run needs on a closed network.

#![allow(dead_code)] // each test binary uses what it needs

use std::path::{Path, PathBuf};
use std::process::Command;

/// Chromium: `HANDOFF_CHROMIUM`, else Debian's package; a failure saying how to get it.
pub(crate) fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("HANDOFF_CHROMIUM") {
        return PathBuf::from(path);
    }
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).is_file() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "Chromium is needed for the packet's browser and print tests and was not found at /usr/bin/chromium: \
         install Debian's package (`apt-get install -y chromium`; scripts/test.sh does this) or set HANDOFF_CHROMIUM"
    );
}

/// Headless Chromium with its own fresh `profile` and nothing that reaches for the network
/// (background networking, component updates, sync) — this machine's network is closed, and a
/// refused connection must not slow or fail a test. The caller adds its own flags and the page.
pub(crate) fn headless(profile: &Path) -> Command {
    let mut command = Command::new(chromium());
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}
