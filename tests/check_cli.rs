//! `handoff check` under GitHub Actions: what the CLI cases (tests/cmd/check/) cannot show,
//! since they run with `GITHUB_ACTIONS` unset and read stdout and stderr as one stream.
//! Every message, position and exit status of `check` is a case in tests/cmd/check/.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

mod common;

/// A project whose one brief has no plan: `check` fails without a build.
fn project_without_plans() -> tempfile::TempDir {
    common::project_with(&["smb-activation.yaml"])
}

#[test]
fn github_puts_workflow_commands_on_stdout_and_the_text_report_on_stderr() {
    let tmp = project_without_plans();
    let out = common::handoff_in(tmp.path()).args(["check", "--no-risks", "--format", "github"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stdout.is_empty() && stdout.lines().all(|l| l.starts_with("::error file=briefs/smb-activation.yaml,")),
        "{stdout}"
    );
    assert!(
        stderr.contains("briefs/smb-activation.yaml:4:5: error: id: brief `smb-activation` has no plan"),
        "{stderr}"
    );
    assert!(stderr.lines().last().unwrap().starts_with("check failed: 1 error"), "{stderr}");
}

#[test]
fn github_is_the_default_under_actions() {
    let tmp = project_without_plans();
    let out =
        common::handoff_in(tmp.path()).args(["check", "--no-risks"]).env("GITHUB_ACTIONS", "true").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.lines().any(|l| l.starts_with("::error file=")), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// The plan's history is evidence: each revision is chained to the one before it by a digest,
// and `check --base` holds the history to what a git ref recorded.

use std::fs;
use std::path::Path;

use serde_json::Value;

const PLAN: &str = ".claude/plans/plan-smb-activation.json";

/// Set the brief's title (a new version of the brief).
fn retitle(dir: &Path, title: &str) {
    let path = dir.join("briefs/smb-activation.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("title: ")).unwrap().to_owned();
    fs::write(&path, text.replace(&line, &format!("title: {title}"))).unwrap();
}

fn build(dir: &Path, now: &str) {
    let out = common::handoff_in(dir).args(["build", "briefs/smb-activation.yaml", "--now", now]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A project whose one plan has three revisions (the brief built, retitled twice).
fn three_revisions() -> tempfile::TempDir {
    let tmp = common::project_with(&["smb-activation.yaml"]);
    build(tmp.path(), "2026-11-25T12:00:00Z");
    retitle(tmp.path(), "Second");
    build(tmp.path(), "2026-11-26T12:00:00Z");
    retitle(tmp.path(), "Third");
    build(tmp.path(), "2026-11-27T12:00:00Z");
    tmp
}

fn plan(dir: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(dir.join(PLAN)).unwrap()).unwrap()
}

fn write_plan(dir: &Path, plan: &Value) {
    fs::write(dir.join(PLAN), serde_json::to_string_pretty(plan).unwrap() + "\n").unwrap();
}

/// `check` (JSON) in `dir` with `extra` arguments: exit code and diagnostics.
fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, Vec<Value>) {
    let out = common::handoff_in(dir).args(["check", "--no-risks", "--format", "json"]).args(extra).output().unwrap();
    let diagnostics = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), diagnostics)
}

/// Apply `edit` to the plan's revisions, then `check` must fail naming `revision` and `field`.
fn assert_tamper_caught(edit: impl FnOnce(&mut Vec<Value>), revision: usize, field: &str) {
    let tmp = three_revisions();
    assert_eq!(check(tmp.path(), &[]).0, Some(0), "the untouched plan passes");
    let mut p = plan(tmp.path());
    edit(p["revisions"].as_array_mut().unwrap());
    write_plan(tmp.path(), &p);
    let (code, diagnostics) = check(tmp.path(), &[]);
    assert_eq!(code, Some(1), "{diagnostics:?}");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["rule"], "plan-edited", "{d}");
    assert_eq!(d["path"], format!("revisions[{}].{field}", revision - 1), "{d}");
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("history broken at revision {revision}: `{field}` ")), "{message}");
    // The position is the field's line in the file.
    let text = fs::read_to_string(tmp.path().join(PLAN)).unwrap();
    let line = text.lines().nth(d["line"].as_u64().unwrap() as usize - 1).unwrap();
    assert!(line.trim_start().starts_with(&format!("\"{field}\"")), "{line}");
}

#[test]
fn a_deleted_and_renumbered_revision_breaks_the_chain() {
    assert_tamper_caught(
        |r| {
            r.remove(1);
            r[1]["revision"] = 2.into();
        },
        2,
        "digest",
    );
}

#[test]
fn two_swapped_revisions_break_the_chain() {
    assert_tamper_caught(
        |r| {
            r.swap(1, 2);
            r[1]["revision"] = 2.into();
            r[2]["revision"] = 3.into();
        },
        2,
        "digest",
    );
}

#[test]
fn a_backdated_time_breaks_the_chain() {
    assert_tamper_caught(|r| r[1]["at"] = "2026-11-25T18:00:00Z".into(), 2, "digest");
}

#[test]
fn a_rewritten_brief_digest_breaks_the_chain() {
    assert_tamper_caught(|r| r[1]["brief_sha256"] = r[0]["brief_sha256"].clone(), 2, "brief_sha256");
}

#[test]
fn a_rewritten_list_of_changes_breaks_the_chain() {
    assert_tamper_caught(|r| r[1]["changed"] = serde_json::json!(["routing"]), 2, "digest");
}

#[test]
fn an_appended_copy_breaks_the_chain() {
    assert_tamper_caught(|r| r.push(r[2].clone()), 4, "revision");
}

#[test]
fn a_plan_written_before_the_chain_asks_for_one_rebuild_which_keeps_its_history() {
    let tmp = three_revisions();
    let mut p = plan(tmp.path());
    let before = p["revisions"].clone();
    for r in p["revisions"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("digest");
    }
    write_plan(tmp.path(), &p);
    let (code, diagnostics) = check(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(diagnostics[0]["rule"], "plan-stale", "{diagnostics:?}");
    assert!(diagnostics[0]["message"].as_str().unwrap().starts_with("unchained: its revisions carry no digests"));
    // One rebuild (the brief is unchanged, so no revision is added) chains the same history.
    build(tmp.path(), "2026-11-28T12:00:00Z");
    assert_eq!(plan(tmp.path())["revisions"], before);
    assert_eq!(check(tmp.path(), &[]).0, Some(0));
}

#[test]
fn build_refuses_to_extend_a_broken_history() {
    let tmp = three_revisions();
    let mut p = plan(tmp.path());
    p["revisions"][1]["at"] = "2026-11-25T18:00:00Z".into();
    write_plan(tmp.path(), &p);
    retitle(tmp.path(), "Fourth");
    let out = common::handoff_in(tmp.path())
        .args(["build", "briefs/smb-activation.yaml", "--now", "2026-11-28T12:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the existing plan's history is broken: revision 2: `digest` does not match"), "{stderr}");
    assert_eq!(plan(tmp.path()), p, "the plan was left as it was");
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A git repository with the project committed at two revisions of its plan.
fn repo_with_history() -> tempfile::TempDir {
    let tmp = common::project_with(&["smb-activation.yaml"]);
    git(tmp.path(), &["init", "-q", "-b", "main"]);
    build(tmp.path(), "2026-11-25T12:00:00Z");
    retitle(tmp.path(), "Second");
    build(tmp.path(), "2026-11-26T12:00:00Z");
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "base"]);
    tmp
}

#[test]
fn base_accepts_revisions_appended_to_the_recorded_history() {
    let tmp = repo_with_history();
    retitle(tmp.path(), "Third");
    build(tmp.path(), "2026-11-27T12:00:00Z");
    assert_eq!(check(tmp.path(), &["--base", "main"]), (Some(0), vec![]));
    // A plan the base did not have yet has nothing to keep.
    git(tmp.path(), &["rm", "-q", "--cached", PLAN]);
    git(tmp.path(), &["commit", "-q", "-m", "untrack"]);
    assert_eq!(check(tmp.path(), &["--base", "HEAD"]), (Some(0), vec![]));
}

#[test]
fn base_refuses_a_history_rebuilt_from_scratch_though_its_chain_is_intact() {
    let tmp = repo_with_history();
    // Delete the plan and build again: one revision, a valid chain, the recorded ones gone.
    fs::remove_file(tmp.path().join(PLAN)).unwrap();
    build(tmp.path(), "2026-11-27T12:00:00Z");
    assert_eq!(check(tmp.path(), &[]).0, Some(0), "on its own the new chain is intact");
    let (code, diagnostics) = check(tmp.path(), &["--base", "main"]);
    assert_eq!(code, Some(1));
    let d = &diagnostics[0];
    assert_eq!(d["rule"], "plan-edited");
    assert_eq!(d["path"], "revisions[0].at");
    assert!(
        d["message"].as_str().unwrap().starts_with(
            "rewritten history: the plan of briefs/smb-activation.yaml changed revision 1 (at) that main recorded"
        ),
        "{d}"
    );
}

#[test]
fn base_refuses_a_recomputed_chain_that_dropped_a_revision() {
    let tmp = repo_with_history();
    // Drop the last revision and re-seal: only the base can tell (the brief is then stale too).
    let mut p = plan(tmp.path());
    p["revisions"].as_array_mut().unwrap().pop();
    write_plan(tmp.path(), &p);
    let (code, diagnostics) = check(tmp.path(), &["--base", "main"]);
    assert_eq!(code, Some(1));
    let last = diagnostics.last().unwrap();
    assert_eq!(last["path"], "revisions", "{diagnostics:?}");
    assert!(last["message"].as_str().unwrap().contains("has 1 revisions where main recorded 2"), "{last}");
}

#[test]
fn base_that_is_not_a_commit_is_an_error_naming_it() {
    let tmp = repo_with_history();
    let out = common::handoff_in(tmp.path()).args(["check", "--no-risks", "--base", "no-such-ref"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--base no-such-ref: `no-such-ref` is not a commit of this repository"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Plan files that are not plans.

#[cfg(unix)]
#[test]
fn a_plan_that_is_a_fifo_is_refused_without_hanging() {
    let tmp = common::project_with(&["smb-activation.yaml"]);
    fs::create_dir_all(tmp.path().join(".claude/plans")).unwrap();
    let fifo = tmp.path().join(PLAN);
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // A hang would block this test forever: run with a deadline.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("handoff"))
        .current_dir(tmp.path())
        .args(["check", "--no-risks", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("check hangs on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["rule"], "plan-invalid");
    assert!(diagnostics[0]["message"].as_str().unwrap().starts_with("not a regular file"), "{diagnostics:?}");
    // `build` refuses it too, rather than block on it.
    let out = common::handoff_in(tmp.path())
        .args(["build", "--now", "2026-11-25T12:00:00Z"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a regular file"));
}

#[test]
fn an_orphan_naming_a_file_outside_the_project_fails_even_with_a_brief_named() {
    let tmp = common::project_with(&["smb-activation.yaml", "partner-referrals.yaml"]);
    let out = common::handoff_in(tmp.path()).args(["build", "--now", "2026-11-25T12:00:00Z"]).output().unwrap();
    assert!(out.status.success());
    let other = tmp.path().join(".claude/plans/plan-partner-referrals.json");
    let text = fs::read_to_string(&other).unwrap().replace("\"briefs/partner-referrals.yaml\"", "\"/etc/passwd\"");
    fs::write(&other, text).unwrap();
    fs::remove_file(tmp.path().join("briefs/partner-referrals.yaml")).unwrap();
    let (code, diagnostics) = check(tmp.path(), &["briefs/smb-activation.yaml"]);
    assert_eq!(code, Some(1));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["rule"], "plan-orphaned");
    assert_eq!(d["path"], "brief.path");
    assert!(d["message"].as_str().unwrap().contains("its brief path /etc/passwd is outside the project"), "{d}");
}

#[test]
fn an_empty_plan_and_broken_json_are_told_in_plan_words_at_their_position() {
    let tmp = common::project_with(&["smb-activation.yaml"]);
    build(tmp.path(), "2026-11-25T12:00:00Z");
    fs::write(tmp.path().join(PLAN), "\n").unwrap();
    let (code, diagnostics) = check(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        diagnostics[0]["message"], "the plan file is empty; a plan is the JSON object `handoff build` writes",
        "{diagnostics:?}"
    );
    assert_eq!((diagnostics[0]["line"].as_u64(), diagnostics[0]["column"].as_u64()), (Some(1), Some(1)));
    fs::write(tmp.path().join(PLAN), "{\n  \"plan_id\": \"handoff-smb-activation\",\n  \"objective\": oops\n}\n")
        .unwrap();
    let (code, diagnostics) = check(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    let d = &diagnostics[0];
    assert_eq!(d["rule"], "plan-invalid");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(16)), "{d}");
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with("not valid JSON: expected value;"), "{message}");
    assert!(!message.contains("YAML") && !message.contains("brief is"), "{message}");
    // `validate` says the same of a plan file.
    let out = common::handoff_in(tmp.path()).args(["validate", PLAN, "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not valid JSON: expected value"));
}
