//! `handoff check` end to end, as a pull request meets it: the binary runs in a temporary
//! project holding copies of the example briefs, built with a fixed `--now`; each test breaks
//! the project one way and reads the diagnostics (JSON unless the format is under test).
//!
//! Risk warnings depend on the day, so every run pins it with `SOURCE_DATE_EPOCH`.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-25T12:00:00Z";
/// 2026-11-25T12:00:00Z as seconds since the epoch: the "today" of risk warnings.
const EPOCH: &str = "1795608000";
const PLANS: &str = ".claude/plans";

mod common;

fn handoff(dir: &Path) -> Command {
    let mut cmd = common::handoff_in(dir);
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    cmd
}

/// A temporary project with the example briefs, built.
fn built_project() -> tempfile::TempDir {
    let tmp = common::project_with(&[]);
    handoff(tmp.path()).args(["build", "--now", NOW]).assert().success();
    tmp
}

/// Run `handoff check --format json [args]`: exit code and the errors (warnings left out).
fn check_errors(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = handoff(dir).args(["check", "--format", "json"]).args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let all: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    let errors = all.as_array().unwrap().iter().filter(|d| d["severity"] == "error").cloned().collect();
    (out.status.code().unwrap(), errors)
}

fn plan_file(id: &str) -> PathBuf {
    Path::new(PLANS).join(format!("plan-{id}.json"))
}

/// 1-based line and column (in characters) of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    position_at(text, text.find(needle).unwrap())
}

/// 1-based line and column of byte offset `at` in `text`.
fn position_at(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u64, column as u64)
}

/// Line and column of the value of the last `"brief_sha256"` in a plan's text.
fn last_sha_position(plan: &str) -> (u64, u64) {
    let key = "\"brief_sha256\": ";
    position_at(plan, plan.rfind(key).unwrap() + key.len())
}

#[test]
fn a_clean_build_passes() {
    let tmp = built_project();
    let out = handoff(tmp.path()).arg("check").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.lines().last().unwrap().starts_with("every plan is valid and up to date"), "{stdout}");
    assert!(!stdout.contains(": error:"), "{stdout}");
}

#[test]
fn a_brief_edited_after_its_build_fails_until_it_is_rebuilt() {
    let tmp = built_project();
    let brief = tmp.path().join("briefs/smb-activation.yaml");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, text.replacen("response_sla: 15m", "response_sla: 20m", 1)).unwrap();

    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e["file"], plan_file("smb-activation").to_str().unwrap());
    assert_eq!(e["rule"], "plan-stale");
    // At the last revision's brief SHA-256, the value that no longer matches.
    assert_eq!(e["path"], "revisions[0].brief_sha256");
    let plan_text = fs::read_to_string(tmp.path().join(plan_file("smb-activation"))).unwrap();
    assert_eq!((e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap()), last_sha_position(&plan_text));
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("stale: briefs/smb-activation.yaml changed since plan revision 1"), "{message}");
    assert!(message.contains("run `handoff build briefs/smb-activation.yaml --plans-dir .claude/plans`"), "{message}");

    // The fix the message names makes the check pass.
    handoff(tmp.path()).args(["build", "briefs/smb-activation.yaml", "--plans-dir", PLANS]).assert().success();
    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!((code, errors.len()), (0, 0), "{errors:?}");
}

#[test]
fn a_plan_edited_by_hand_fails_at_the_line_it_differs() {
    let tmp = built_project();
    let path = tmp.path().join(plan_file("partner-referrals"));
    let text = fs::read_to_string(&path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let objective = value["objective"].as_str().unwrap();
    let edited = text.replacen(objective, "Something a person typed in", 1);
    assert_ne!(edited, text);
    fs::write(&path, &edited).unwrap();
    let (line, _) = position_of(&edited, "Something a person typed in");

    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e["rule"], "plan-edited");
    assert_eq!(e["file"], plan_file("partner-referrals").to_str().unwrap());
    assert_eq!(e["line"], line);
    let message = e["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("edited by hand: line {line} differs")), "{message}");
    assert!(message.contains("handoff build briefs/partner-referrals.yaml"), "{message}");
}

#[test]
fn a_plan_whose_brief_is_gone_is_orphaned() {
    let tmp = built_project();
    let plan_text = fs::read_to_string(tmp.path().join(plan_file("partner-referrals"))).unwrap();
    fs::remove_file(tmp.path().join("briefs/partner-referrals.yaml")).unwrap();
    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["rule"], "plan-orphaned");
    assert_eq!(errors[0]["file"], plan_file("partner-referrals").to_str().unwrap());
    assert_eq!(
        errors[0]["message"],
        "orphaned plan: its brief briefs/partner-referrals.yaml is gone; delete .claude/plans/plan-partner-referrals.json or restore the brief"
    );
    let at = position_of(&plan_text, "\"briefs/partner-referrals.yaml\"");
    assert_eq!((errors[0]["line"].as_u64().unwrap(), errors[0]["column"].as_u64().unwrap()), at);
}

#[test]
fn a_plan_that_breaks_the_plan_schema_fails_at_its_line_and_column() {
    let tmp = built_project();
    let path = tmp.path().join(plan_file("enterprise-pipeline-na"));
    let text = fs::read_to_string(&path).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let complexity = value["complexity"].as_str().unwrap();
    let from = format!("\"complexity\": \"{complexity}\"");
    assert!(text.contains(&from));
    let edited = text.replacen(&from, "\"complexity\": \"trivial\"", 1);
    fs::write(&path, &edited).unwrap();
    let (line, key_column) = position_of(&edited, "\"complexity\": \"trivial\"");

    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e["rule"], "plan-invalid");
    assert_eq!(e["path"], "complexity");
    assert_eq!((e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap()), (line, key_column + 14));
    let message = e["message"].as_str().unwrap();
    assert!(message.starts_with("`trivial` is not one of the allowed values: `simple`"), "{message}");
}

#[test]
fn a_brief_without_a_plan_fails_with_the_command_that_builds_it() {
    let tmp = built_project();
    let text = fs::read_to_string(tmp.path().join("briefs/smb-activation.yaml")).unwrap();
    let copy = text.replacen("id: smb-activation", "id: smb-activation-emea", 1);
    assert_ne!(copy, text);
    fs::write(tmp.path().join("briefs/smb-emea.yaml"), copy).unwrap();

    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e["rule"], "plan-missing");
    assert_eq!(e["file"], "briefs/smb-emea.yaml");
    assert_eq!(e["path"], "id");
    assert_eq!(
        e["message"],
        "brief `smb-activation-emea` has no plan .claude/plans/plan-smb-activation-emea.json; run `handoff build briefs/smb-emea.yaml --plans-dir .claude/plans`"
    );
    // At the brief's id.
    let at = position_of(&fs::read_to_string(tmp.path().join("briefs/smb-emea.yaml")).unwrap(), "smb-activation-emea");
    assert_eq!((e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap()), at);
}

#[test]
fn an_invalid_brief_fails_check_with_its_position() {
    let tmp = built_project();
    let brief = tmp.path().join("briefs/smb-activation.yaml");
    let text = fs::read_to_string(&brief).unwrap();
    let edited = text.replacen("response_sla: 15m", "response_sla: 15 minutes", 1);
    fs::write(&brief, &edited).unwrap();
    let (line, key) = position_of(&edited, "response_sla: 15 minutes");
    let column = key + "response_sla: ".len() as u64;
    let (code, errors) = check_errors(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0]["line"].as_u64().unwrap(), errors[0]["column"].as_u64().unwrap()), (line, column));
    assert!(errors[0]["message"].as_str().unwrap().contains("such as `15m`, `2h`"));
}

#[test]
fn check_speaks_every_format() {
    let tmp = built_project();
    let brief = tmp.path().join("briefs/smb-activation.yaml");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, text.replacen("response_sla: 15m", "response_sla: 20m", 1)).unwrap();
    let plan = plan_file("smb-activation");
    let (line, column) = last_sha_position(&fs::read_to_string(tmp.path().join(&plan)).unwrap());
    let plan = plan.to_str().unwrap();

    // text: the one-line form, then the summary.
    let out = handoff(tmp.path()).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let head = format!("{plan}:{line}:{column}: error: revisions[0].brief_sha256: stale: briefs/smb-activation.yaml");
    assert!(stdout.contains(&head), "{stdout}");
    // The excerpt shows the plan's line with a caret under the SHA-256.
    assert!(
        stdout.lines().any(|l| l.starts_with(&format!("{line} |")) && l.contains("\"brief_sha256\": \"")),
        "{stdout}"
    );
    assert!(stdout.lines().last().unwrap().starts_with("check failed: 1 error"), "{stdout}");

    // github: a workflow command on stdout, the text report on stderr.
    let out = handoff(tmp.path()).args(["check", "--format", "github"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let error = stdout.lines().find(|l| l.starts_with("::error ")).unwrap();
    assert!(
        error.starts_with(&format!(
            "::error file={plan},line={line},col={column},title=handoff%3A revisions[0].brief_sha256::revisions[0].brief_sha256: stale: "
        )),
        "{error}"
    );
    assert!(String::from_utf8(out.stderr).unwrap().contains(&format!("{plan}:{line}:{column}: error:")));

    // GITHUB_ACTIONS=true makes github the default.
    let out = handoff(tmp.path()).arg("check").env("GITHUB_ACTIONS", "true").output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().lines().any(|l| l.starts_with("::error file=")));

    // sarif: parses, one result under the plan-stale rule at line 1.
    let out = handoff(tmp.path()).args(["check", "--format", "sarif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let stale = results.iter().find(|r| r["ruleId"] == "plan-stale").unwrap();
    assert_eq!(stale["level"], "error");
    assert_eq!(stale["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], plan);
    assert_eq!(stale["locations"][0]["physicalLocation"]["region"]["startLine"], line);
    assert_eq!(stale["locations"][0]["physicalLocation"]["region"]["startColumn"], column);
}

#[test]
fn max_bytes_limits_the_briefs_and_plans_check_reads() {
    let tmp = built_project();
    // 7 KiB: the SMB brief (about 7.3 KB) is over, the other two briefs are under, every plan
    // (over 8 KB) is over. The plan of a brief that cannot be read is not called an orphan; it is
    // still a file over the limit.
    let size = |p: &str| fs::metadata(tmp.path().join(p)).unwrap().len();
    assert!(size("briefs/smb-activation.yaml") > 7168 && size("briefs/partner-referrals.yaml") <= 7168);
    let (code, errors) = check_errors(tmp.path(), &["--max-bytes", "7KiB", "--no-risks"]);
    assert_eq!(code, 1);
    let got: Vec<(&str, &str)> =
        errors.iter().map(|e| (e["file"].as_str().unwrap(), e["rule"].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [
            (".claude/plans/plan-enterprise-pipeline-na.json", "plan-invalid"),
            (".claude/plans/plan-partner-referrals.json", "plan-invalid"),
            ("briefs/smb-activation.yaml", "invalid-input"),
            (".claude/plans/plan-smb-activation.json", "plan-invalid"),
        ]
    );
    for e in &errors {
        let message = e["message"].as_str().unwrap();
        assert!(message.contains("over the limit of 7168 bytes"), "{message}");
    }
    let (code, errors) = check_errors(tmp.path(), &["--max-bytes", "1MiB"]);
    assert_eq!((code, errors.len()), (0, 0), "{errors:?}");
}

#[test]
fn check_reports_design_risks_as_warnings_by_default() {
    // Unlike `validate` (where they are opt-in), `check` is the CI gate and reports the risks of
    // every brief: in two examples after-hours leads wait past the SLA; the partner brief is
    // the one that comes out ready, with no risk at all.
    let tmp = built_project();
    let warnings = |args: &[&str]| -> (i32, Vec<Value>) {
        let out = handoff(tmp.path()).args(["check", "--format", "json"]).args(args).output().unwrap();
        let all: Value = serde_json::from_slice(&out.stdout).unwrap();
        let warnings = all.as_array().unwrap().iter().filter(|d| d["severity"] == "warning").cloned().collect();
        (out.status.code().unwrap(), warnings)
    };
    let (code, found) = warnings(&[]);
    assert_eq!(code, 0, "warnings alone pass: {found:?}");
    assert!(!found.iter().any(|d| d["file"] == "briefs/partner-referrals.yaml"), "{found:?}");
    for brief in ["enterprise-pipeline", "smb-activation"] {
        assert!(
            found.iter().any(|d| d["rule"] == "risk-sla" && d["file"] == format!("briefs/{brief}.yaml")),
            "no SLA risk for {brief}: {found:?}"
        );
    }
    assert_eq!(warnings(&["--deny-warnings"]).0, 1);
    let (code, found) = warnings(&["--no-risks", "--deny-warnings"]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}
