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
