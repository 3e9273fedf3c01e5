//! Nothing lost: concurrent builds keep every revision, and a build killed at any moment leaves
//! each output either its old complete content or its new complete content.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin!("handoff").to_path_buf()
}

mod common;
use common::example;

fn with_line(text: &str, key: &str, value: &str) -> String {
    let line = text.lines().find(|l| l.starts_with(&format!("{key}: "))).unwrap();
    text.replace(line, &format!("{key}: {value}"))
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin()).current_dir(dir).args(args).env_remove("SOURCE_DATE_EPOCH").output().unwrap()
}

#[test]
fn concurrent_builds_of_one_plan_keep_every_revision_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let base = example("enterprise-pipeline.yaml");
    let id = base.lines().find_map(|l| l.strip_prefix("id: ")).unwrap().trim().to_owned();
    fs::create_dir_all(tmp.path().join("v0")).unwrap();
    fs::write(tmp.path().join("v0/brief.yaml"), &base).unwrap();
    assert!(run(tmp.path(), &["build", "v0/brief.yaml", "--now", "2026-11-25T12:00:00Z"]).status.success());

    // Six variants of the same brief (same id, so the same plan), built at once.
    let variants = 6;
    let mut children = Vec::new();
    for i in 1..=variants {
        let dir = tmp.path().join(format!("v{i}"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("brief.yaml"), with_line(&base, "title", &format!("Variant {i}"))).unwrap();
        children.push(
            Command::new(bin())
                .current_dir(tmp.path())
                .args(["build", &format!("v{i}/brief.yaml"), "--out", &format!("out{i}")])
                .args(["--now", &format!("2026-11-25T12:{i:02}:00Z")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    let plan: Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join(format!(".claude/plans/plan-{id}.json"))).unwrap())
            .unwrap();
    let revisions = plan["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 1 + variants, "a revision was lost or doubled");
    for (i, r) in revisions.iter().enumerate() {
        assert_eq!(r["revision"], i + 1);
    }
    let mut times: Vec<&str> = revisions[1..].iter().map(|r| r["at"].as_str().unwrap()).collect();
    times.sort_unstable();
    let expected: Vec<String> = (1..=variants).map(|i| format!("2026-11-25T12:{i:02}:00Z")).collect();
    assert_eq!(times, expected.iter().map(String::as_str).collect::<Vec<_>>());
    let mut shas: Vec<&str> = revisions.iter().map(|r| r["brief_sha256"].as_str().unwrap()).collect();
    shas.sort_unstable();
    shas.dedup();
    assert_eq!(shas.len(), 1 + variants);
}

/// Many briefs, so a build runs long enough to be killed in the middle.
fn many_briefs(dir: &Path, count: usize, title: &str) {
    let base = example("enterprise-pipeline.yaml");
    fs::create_dir_all(dir.join("briefs")).unwrap();
    for i in 0..count {
        let text = with_line(&with_line(&base, "id", &format!("brief-{i:03}")), "title", &format!("{title} {i}"));
        fs::write(dir.join("briefs").join(format!("b{i:03}.yaml")), text).unwrap();
    }
}

/// Every output file under a project, with its bytes.
type Snapshot = Vec<(PathBuf, Vec<u8>)>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut files = Vec::new();
    for root in ["out", ".claude/plans"] {
        for entry in walkdir::WalkDir::new(dir.join(root)).sort_by_file_name() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            // Temporary files a SIGKILL left before their rename are hidden dot-files beside
            // the outputs, never outputs themselves (and there are no lock files).
            if entry.file_type().is_file() && !name.starts_with('.') {
                files.push((entry.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(entry.path()).unwrap()));
            }
        }
    }
    files
}

/// Copy the project tree `from` (briefs, outputs and plans) into `to`.
fn copy_project(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The "old" state (`count` briefs built to completion) and the outputs of the "new" one (the old
/// project rebuilt with new briefs, so plans carry both revisions). Builds are deterministic, so
/// each kill attempt starts from a copy of the old project instead of building it again.
fn old_and_new(count: usize) -> (tempfile::TempDir, Snapshot, Snapshot) {
    let old_dir = tempfile::tempdir().unwrap();
    many_briefs(old_dir.path(), count, "Old");
    assert!(run(old_dir.path(), &["build", "--now", "2026-11-25T12:00:00Z"]).status.success());
    let old = snapshot(old_dir.path());
    let reference = tempfile::tempdir().unwrap();
    copy_project(old_dir.path(), reference.path());
    many_briefs(reference.path(), count, "New");
    assert!(run(reference.path(), &["build", "--now", "2026-11-26T12:00:00Z"]).status.success());
    let new = snapshot(reference.path());
    assert_eq!(old.len(), new.len());
    (old_dir, old, new)
}

#[test]
fn a_build_killed_at_any_moment_leaves_old_or_new_complete_files() {
    let count = 40;
    let (old_dir, old, new) = old_and_new(count);

    // Kill delays spread over the build; the assertion below does not depend on when the kill
    // lands, only that whatever is on disk is whole.
    for (attempt, delay_ms) in [0u64, 5, 15, 30, 60, 90, 140, 200].into_iter().enumerate() {
        let work = tempfile::tempdir().unwrap();
        copy_project(old_dir.path(), work.path());
        assert_eq!(snapshot(work.path()), old, "attempt {attempt}: the copy is the old state");
        many_briefs(work.path(), count, "New");
        let mut child = Command::new(bin())
            .current_dir(work.path())
            .args(["build", "--now", "2026-11-26T12:00:00Z"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = snapshot(work.path());
        assert_eq!(now.len(), old.len(), "attempt {attempt}: files appeared or vanished");
        for ((path, bytes), ((old_path, old_bytes), (_, new_bytes))) in now.iter().zip(old.iter().zip(new.iter())) {
            assert_eq!(path, old_path);
            assert!(
                bytes == old_bytes || bytes == new_bytes,
                "attempt {attempt}: {} is neither its old nor its new content",
                path.display()
            );
            if path.extension().is_some_and(|e| e == "json") {
                let plan: Value = serde_json::from_slice(bytes).unwrap();
                assert!(handoff::schema::validate_plan_value(&plan).is_empty());
            }
        }
    }
}

/// Temporary files (`.handoff-*.tmp`, see `src/output.rs`) under the outputs and plans of `dir`
/// that hold at least one byte, with their content.
fn temporary_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for root in ["out", ".claude/plans"] {
        for entry in walkdir::WalkDir::new(dir.join(root)).into_iter().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().is_file() && name.starts_with(".handoff-") && name.ends_with(".tmp") {
                // The file can be renamed away between the listing and the read.
                if let Ok(bytes) = fs::read(entry.path())
                    && !bytes.is_empty()
                {
                    found.push((entry.path().to_path_buf(), bytes));
                }
            }
        }
    }
    found
}

/// Guards against replacing the temporary-file-and-rename write by writing outputs in place
/// (truncate, then write): the kill above mostly lands before anything is written, so it cannot
/// tell. Here the test-only hook `HANDOFF_TEST_SLOW_WRITE_MS` (debug builds only, see
/// `src/output.rs`) pauses 50 ms after every 4 KiB written to a temporary file, and the build is
/// killed the moment the `k`-th temporary file holding bytes is seen: the kill provably lands
/// while a file is being written. After it, a partly written temporary file is still there (its
/// bytes the start of one output's new content), and every output is its old or its new content.
#[test]
fn a_build_killed_while_a_file_is_being_written_leaves_old_or_new_complete_files() {
    let count = 6;
    let (old_dir, old, new) = old_and_new(count);
    // Every output changes between the two states, so each is written again.
    assert!(old.iter().zip(&new).all(|((_, a), (_, b))| a != b));

    // Kill at the first temporary file, and at later ones (after some outputs were replaced).
    for k in [1usize, 4, 12] {
        let work = tempfile::tempdir().unwrap();
        copy_project(old_dir.path(), work.path());
        many_briefs(work.path(), count, "New");
        let mut child = Command::new(bin())
            .current_dir(work.path())
            .args(["build", "--now", "2026-11-26T12:00:00Z"])
            .env_remove("SOURCE_DATE_EPOCH")
            .env("HANDOFF_TEST_SLOW_WRITE_MS", "50")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut finished = false;
        while seen.len() < k {
            for (path, _) in temporary_files(work.path()) {
                if !seen.contains(&path) {
                    seen.push(path);
                }
            }
            if seen.len() >= k {
                break;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(120) {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        assert!(
            !finished,
            "k={k}: the build ended (or ran 120 s) after {} temporary files were seen: outputs are not written \
             through a temporary file",
            seen.len()
        );
        // The kill landed mid-write: a temporary file is left, holding the start of one output's
        // new content.
        let left = temporary_files(work.path());
        assert!(!left.is_empty(), "k={k}: no temporary file was being written when the build was killed");
        for (path, bytes) in &left {
            assert!(
                new.iter().any(|(_, whole)| whole.starts_with(bytes)),
                "k={k}: {} is not the start of any output's new content",
                path.display()
            );
        }
        let now = snapshot(work.path());
        assert_eq!(now.len(), old.len(), "k={k}: files appeared or vanished");
        let mut replaced = 0;
        for ((path, bytes), ((old_path, old_bytes), (_, new_bytes))) in now.iter().zip(old.iter().zip(new.iter())) {
            assert_eq!(path, old_path);
            assert!(
                bytes == old_bytes || bytes == new_bytes,
                "k={k}: {} is neither its old nor its new content",
                path.display()
            );
            replaced += usize::from(bytes == new_bytes);
        }
        // Files are written one after the other: by the k-th temporary file, at most k − 1
        // outputs can have been replaced.
        assert!(replaced < k, "k={k}: {replaced} outputs already replaced");
    }
}

/// Every file under `dir`'s outputs and plans folder, with its bytes, dot-files included.
fn every_file(dir: &Path) -> Snapshot {
    let mut files = Vec::new();
    for root in ["out", ".claude/plans"] {
        for entry in walkdir::WalkDir::new(dir.join(root)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files.push((entry.path().strip_prefix(dir).unwrap().to_path_buf(), fs::read(entry.path()).unwrap()));
            }
        }
    }
    files
}

/// A full disk part-way through a brief's outputs (the debug-only hook `HANDOFF_TEST_FAIL_WRITE=N`
/// of `src/output.rs` fails the N-th file staged, as `ENOSPC` would): for every N from the plan
/// (the first staged) to the last document, the build fails and no file changed, nor is a
/// temporary file left.
#[test]
fn a_write_that_fails_part_way_changes_none_of_the_briefs_outputs() {
    let (old_dir, old, new) = old_and_new(1);
    assert_eq!(old.len(), 5, "four documents and the plan");
    for n in 1..=old.len() {
        let work = tempfile::tempdir().unwrap();
        copy_project(old_dir.path(), work.path());
        many_briefs(work.path(), 1, "New");
        let out = Command::new(bin())
            .current_dir(work.path())
            .args(["build", "--now", "2026-11-26T12:00:00Z"])
            .env_remove("SOURCE_DATE_EPOCH")
            .env("HANDOFF_TEST_FAIL_WRITE", n.to_string())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "n={n}: the build must fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("injected by HANDOFF_TEST_FAIL_WRITE"), "n={n}: {stderr}");
        assert_eq!(every_file(work.path()), old, "n={n}: an output changed, or a temporary file was left");
    }
    // Without the fault the same build writes the new outputs.
    let work = tempfile::tempdir().unwrap();
    copy_project(old_dir.path(), work.path());
    many_briefs(work.path(), 1, "New");
    assert!(run(work.path(), &["build", "--now", "2026-11-26T12:00:00Z"]).status.success());
    assert_eq!(every_file(work.path()), new);
}

/// No lock file is left in the plans folder (where people commit), by one build or by
/// concurrent ones.
#[test]
fn builds_leave_nothing_but_plans_in_the_plans_folder() {
    let tmp = tempfile::tempdir().unwrap();
    many_briefs(tmp.path(), 3, "Locks");
    let children: Vec<_> = (0..3)
        .map(|i| {
            Command::new(bin())
                .current_dir(tmp.path())
                .args(["build", &format!("briefs/b{i:03}.yaml"), "--now", "2026-11-25T12:00:00Z"])
                .env_remove("SOURCE_DATE_EPOCH")
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let mut names: Vec<String> = fs::read_dir(tmp.path().join(".claude/plans"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["plan-brief-000.json", "plan-brief-001.json", "plan-brief-002.json"]);
}

/// The temporary files a SIGKILL left mid-write are removed by the next build of their folder
/// once they are [`STALE`] old (by modification time: the sweep removes `.handoff-*.tmp` not
/// modified for an hour, see `src/output.rs`); a fresh one, which may be another build's live
/// write, and files not named like ours are kept.
#[test]
fn the_next_build_removes_the_temporary_files_a_killed_build_left() {
    let (old_dir, _, new) = old_and_new(2);
    let work = tempfile::tempdir().unwrap();
    copy_project(old_dir.path(), work.path());
    many_briefs(work.path(), 2, "New");
    let mut child = Command::new(bin())
        .current_dir(work.path())
        .args(["build", "--now", "2026-11-26T12:00:00Z"])
        .env_remove("SOURCE_DATE_EPOCH")
        .env("HANDOFF_TEST_SLOW_WRITE_MS", "50")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while temporary_files(work.path()).is_empty() {
        assert!(child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(120), "no write seen");
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    let left = temporary_files(work.path());
    assert!(!left.is_empty());
    // Age them past the limit, and plant a fresh one of ours and an old one that is not ours.
    let hours_ago = std::time::SystemTime::now() - STALE;
    for (path, _) in &left {
        fs::File::options().write(true).open(path).unwrap().set_modified(hours_ago).unwrap();
    }
    let fresh = work.path().join("out/brief-000/.handoff-live.tmp");
    fs::write(&fresh, "another build's write").unwrap();
    let theirs = work.path().join("out/brief-000/.editor-swap.tmp");
    fs::write(&theirs, "not ours").unwrap();
    fs::File::options().write(true).open(&theirs).unwrap().set_modified(hours_ago).unwrap();

    assert!(run(work.path(), &["build", "--now", "2026-11-26T12:00:00Z"]).status.success());
    for (path, _) in &left {
        assert!(!path.exists(), "{} survived the next build", path.display());
    }
    assert!(fresh.exists() && theirs.exists());
    fs::remove_file(&fresh).unwrap();
    fs::remove_file(&theirs).unwrap();
    assert_eq!(every_file(work.path()), new);
}

/// Older than the sweep's limit of one hour.
const STALE: Duration = Duration::from_secs(2 * 3600);

/// Guards against opening a FIFO named as a brief: `open` blocks until a writer comes, so
/// `validate` and `build` hung forever (found after the plan-file FIFO fix, issue 13).
#[cfg(unix)]
#[test]
fn a_brief_that_is_a_fifo_is_refused_without_hanging() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("brief.yaml");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for command in ["validate", "build"] {
        let out = common::handoff_in(tmp.path())
            .args([command, "brief.yaml"])
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{command}");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            text.contains("brief.yaml") && text.contains("not a regular file (a FIFO or device)"),
            "{command}: {text}"
        );
    }
}
