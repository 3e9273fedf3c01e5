//! `handoff serve` started on a free port for a test, and killed however the test ends
//! (`tests/watch_serve.rs`, `tests/serve_hostile.rs`; each adds its own request helpers).

#![allow(dead_code, clippy::unwrap_used)] // a failed setup should fail loudly

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The server, killed however the test ends.
pub(crate) struct Server {
    /// The `handoff serve` process.
    pub(crate) child: Child,
    /// The port it listens on (on 127.0.0.1).
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Server {
    /// Serve `out` on a port the system picks.
    pub(crate) fn start(out: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(["serve", "--port", "0", "--out"])
            .arg(out)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The first line names the address; reading it blocks until the server listens.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Self { child, port }
    }
}
