//! `handoff build --watch`: rebuilds when a brief or a template changes, says what changed, and
//! survives a broken brief. Every wait is for a line the watcher prints (with a generous
//! deadline that only catches a hung watcher), never a fixed sleep.

#![allow(clippy::unwrap_used)] // tests: a panic is a failure with its message

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-25T12:00:00Z";
const DEADLINE: Duration = Duration::from_secs(120);

/// The watcher, killed however the test ends.
/// A line to wait for: its description and a test on the line.
type Want<'a> = (&'a str, &'a dyn Fn(&str) -> bool);

struct Watcher {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Watcher {
    fn start(dir: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handoff"))
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .args(["build", "--watch", "--now", NOW])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let tx_err = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Diagnostics arrive on stderr, marked so tests can tell them apart.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx_err.send(format!("stderr: {line}")).is_err() {
                    break;
                }
            }
        });
        Self { child, lines, seen: Vec::new() }
    }

    /// Wait until every `wants` has a matching line among those read from index `since` on.
    /// Lines from stdout and stderr arrive through two threads, so their relative order is not
    /// fixed; this waits for a set of lines in any order.
    fn wait_all(&mut self, since: usize, wants: &[Want<'_>]) {
        let end = Instant::now() + DEADLINE;
        loop {
            let missing: Vec<&str> = wants
                .iter()
                .filter(|(_, want)| !self.seen.iter().skip(since).any(|l| want(l)))
                .map(|(what, _)| *what)
                .collect();
            if missing.is_empty() {
                return;
            }
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    panic!("no {} within {DEADLINE:?}; output so far:\n{}", missing.join(", "), self.seen.join("\n"))
                }
            }
        }
    }

    /// Wait for a line satisfying `want`; every line read on the way is kept in `seen`.
    fn wait_for(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {DEADLINE:?}; output so far:\n{}", self.seen.join("\n"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the watcher exited before {what}; output:\n{}", self.seen.join("\n"))
                }
            }
        }
    }
}

mod common;

fn project() -> tempfile::TempDir {
    common::project_with(&["smb-activation.yaml", "partner-referrals.yaml"])
}

/// Replace a file the way editors save: write a hidden file beside it, then rename, so the
/// watcher never sees it half-written.
fn save(path: &Path, content: &str) {
    let tmp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    fs::write(&tmp, content).unwrap();
    fs::rename(&tmp, path).unwrap();
}

fn append(path: &PathBuf, text: &str) {
    let mut content = fs::read_to_string(path).unwrap();
    content.push_str(text);
    save(path, &content);
}

#[test]
fn a_touched_brief_is_rebuilt_and_named() {
    let tmp = project();
    let mut watcher = Watcher::start(tmp.path(), &[]);
    watcher.wait_for("the watching line", |l| l.starts_with("watching briefs"));
    let initial: Vec<&String> = watcher.seen.iter().filter(|l| l.starts_with("built ")).collect();
    assert_eq!(initial.len(), 2, "{:?}", watcher.seen);

    let brief = tmp.path().join("briefs/smb-activation.yaml");
    append(&brief, "\n# capacity reviewed with the SMB team\n");
    watcher.wait_for("the change", |l| l == "changed: briefs/smb-activation.yaml");
    let built = watcher.wait_for("the rebuild", |l| l.starts_with("built "));
    assert!(built.starts_with("built briefs/smb-activation.yaml"), "{built}");
    // A new revision: the plan records that the brief changed.
    assert!(built.ends_with("(plan revision 2)"), "{built}");
    let plan = fs::read_to_string(tmp.path().join(".claude/plans/plan-smb-activation.json")).unwrap();
    assert!(plan.contains("\"revision\": 2"), "{plan}");

    // A broken brief is reported and the watch goes on; fixing it rebuilds.
    let good = fs::read_to_string(&brief).unwrap();
    let since = watcher.seen.len();
    save(&brief, "id: [unclosed\n");
    watcher.wait_all(
        since,
        &[
            ("the broken brief", &|l: &str| l == "changed: briefs/smb-activation.yaml"),
            ("its diagnostic", &|l: &str| l.starts_with("stderr: briefs/smb-activation.yaml:")),
        ],
    );
    assert!(!watcher.seen[since..].iter().any(|l| l.starts_with("built ")), "{:?}", watcher.seen);
    save(&brief, &format!("{good}\n# fixed\n"));
    let built = watcher.wait_for("the rebuild after the fix", |l| l.starts_with("built "));
    assert!(built.starts_with("built briefs/smb-activation.yaml"), "{built}");
    // Only the changed brief was rebuilt.
    let after_start = watcher.seen.iter().skip_while(|l| !l.starts_with("watching"));
    assert!(!after_start.clone().any(|l| l.contains("partner-referrals")), "{:?}", watcher.seen);

    // A new brief is picked up.
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/enterprise-pipeline.yaml"),
        tmp.path().join("briefs/new.yaml"),
    )
    .unwrap();
    watcher.wait_for("the added brief", |l| l == "added: briefs/new.yaml");
    let built = watcher.wait_for("its build", |l| l.starts_with("built "));
    assert!(built.starts_with("built briefs/new.yaml"), "{built}");
}

#[test]
fn an_edited_template_rebuilds_every_brief_with_it() {
    let tmp = project();
    let status = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .current_dir(tmp.path())
        .args(["templates", "export", "theme"])
        .status()
        .unwrap();
    assert!(status.success());
    let mut watcher = Watcher::start(tmp.path(), &["--templates", "theme"]);
    watcher.wait_for("the watching line", |l| l.starts_with("watching "));
    let template = tmp.path().join("theme/approval-packet.html");
    append(&template, "<!-- house style v2 -->\n");
    watcher.wait_for("the change", |l| l == "changed: theme/approval-packet.html");
    watcher.wait_for("the first rebuild", |l| l.starts_with("built "));
    watcher.wait_for("the second rebuild", |l| l.starts_with("built "));
    for id in ["smb-activation", "partner-referrals"] {
        let packet = fs::read_to_string(tmp.path().join("out").join(id).join("approval-packet.html")).unwrap();
        assert!(packet.contains("<!-- house style v2 -->"), "{id} was not rebuilt with the edited template");
    }
}
