//! The diagnostic formats of `handoff validate` beyond their text, on the same invalid brief
//! (`tests/fixtures/report/three-problems.yaml`: an enum value, a misspelt key and a duration in
//! words): SARIF's shape (and the official SARIF schema), the GitHub step summary, and the
//! design-risk warnings of valid briefs with `--deny-warnings`. The text, JSON and GitHub output
//! of the fixture, with every position and message, are CLI cases in
//! tests/cmd/validate/three-problems-*.toml (run by tests/cli_cases.rs).

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::ROOT;
const FILE: &str = "tests/fixtures/report/three-problems.yaml";
/// 2026-11-25T12:00:00Z: the "today" of risk warnings.
const EPOCH: &str = "1795608000";

fn handoff() -> Command {
    let mut cmd = common::handoff();
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = handoff().args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn github_is_the_default_under_actions_and_writes_the_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let out = handoff()
        .args(["validate", FILE])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with(&format!("::error file={FILE},line=6,col=10,")));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("checked 1 file: 1 invalid, 3 errors, 0 warnings"), "{md}");
    assert!(
        md.contains(&format!(
            "| `{FILE}:8:1` | error | `respnse_sla` | unknown key `respnse_sla`; did you mean `response_sla`? |"
        )),
        "{md}"
    );
}

#[test]
fn sarif_is_version_2_1_0_with_a_region_per_result() {
    let (code, stdout, _) = run(&["validate", FILE, "--format", "sarif"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "handoff");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["rules"][0]["id"], "invalid-input");
    // One result per diagnostic of the JSON format (whose positions and messages the CLI case
    // pins), at the same place and saying the same.
    let (_, json, _) = run(&["validate", FILE, "--format", "json"]);
    let diags: Vec<Value> = serde_json::from_str::<Value>(&json).unwrap().as_array().unwrap().clone();
    assert_eq!(diags.len(), 3);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    for (r, d) in results.iter().zip(&diags) {
        assert_eq!(r["ruleId"], "invalid-input");
        assert_eq!(r["level"], "error");
        let text = r["message"]["text"].as_str().unwrap();
        assert_eq!(text, format!("{}: {}", d["path"].as_str().unwrap(), d["message"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], FILE);
        assert_eq!(loc["region"]["startLine"], d["line"]);
        assert_eq!(loc["region"]["startColumn"], d["column"]);
    }
}

#[test]
fn a_missing_file_renders_in_sarif_without_a_region() {
    // Its text, JSON and GitHub forms are the CLI cases tests/cmd/validate/missing-file-*.toml.
    let (code, stdout, _) = run(&["validate", "no/such.yaml", "--format", "sarif"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["message"]["text"], "no such file or directory");
    assert!(result["locations"][0]["physicalLocation"].get("region").is_none());
}

/// A copy of an example brief whose SLA pod is cut to one rep: the model must find it cannot
/// meet its SLA, and `validate` reports that as a warning on the pod.
fn understaffed_brief(dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(format!("{ROOT}/briefs/smb-activation.yaml")).unwrap();
    let cut = text.replacen("reps: 9", "reps: 1", 1);
    assert_ne!(cut, text, "the example's first pod has `reps: 9`");
    let path = dir.join("understaffed.yaml");
    std::fs::write(&path, cut).unwrap();
    path
}

#[test]
fn risks_are_warnings_that_fail_only_with_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = understaffed_brief(dir.path());
    let path = path.to_str().unwrap();
    let (code, stdout, _) = run(&["validate", path, "--risks", "--format", "json"]);
    assert_eq!(code, 0, "warnings alone pass: {stdout}");
    let diags: Vec<Value> = serde_json::from_str::<Value>(&stdout).unwrap().as_array().unwrap().clone();
    assert!(diags.iter().all(|d| d["severity"] == "warning"), "{stdout}");
    let sla = diags
        .iter()
        .find(|d| {
            d["rule"] == "risk-sla" && d["message"].as_str().unwrap().starts_with("high sla risk: Pod activation-na")
        })
        .unwrap_or_else(|| panic!("no SLA risk on the cut pod: {stdout}"));
    assert_eq!(sla["path"], "capacity.pods[0]");
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().position(|l| l.contains("- id: activation-na")).unwrap() + 1;
    assert_eq!(sla["line"], line as u64);

    let (code, _, _) = run(&["validate", path, "--risks", "--deny-warnings"]);
    assert_eq!(code, 1);
    // Risks are opt-in for `validate`: by default (and with the old `--no-risks`) the model is
    // not built, so the same brief is simply valid.
    for args in [&["validate", path, "--deny-warnings"][..], &["validate", path, "--no-risks", "--deny-warnings"]] {
        let (code, stdout, _) = run(args);
        assert_eq!((code, stdout.as_str()), (0, "checked 1 file: all valid\n"), "{args:?}");
    }
    let (code, _, stderr) = run(&["validate", path, "--risks", "--no-risks"]);
    assert_eq!(code, 2, "contradictory flags are a usage error: {stderr}");

    // Warnings in the other formats: `::warning`, SARIF level `warning`.
    let (_, stdout, _) = run(&["validate", path, "--risks", "--format", "github"]);
    assert!(stdout.lines().all(|l| l.starts_with("::warning file=")), "{stdout}");
    let (_, stdout, _) = run(&["validate", path, "--risks", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.iter().all(|r| r["level"] == "warning"));
}

#[test]
fn max_bytes_sets_the_size_limit() {
    let (code, stdout, _) = run(&["validate", "briefs/smb-activation.yaml", "--max-bytes", "2KiB", "--format", "json"]);
    assert_eq!(code, 1);
    let diags: Value = serde_json::from_str(&stdout).unwrap();
    let size = std::fs::metadata(format!("{ROOT}/briefs/smb-activation.yaml")).unwrap().len();
    assert_eq!(
        diags[0]["message"],
        format!("the file is {size} bytes, over the limit of 2048 bytes; split it or raise the limit")
    );
    let (code, _, _) = run(&["validate", "briefs/smb-activation.yaml", "--max-bytes", "1MiB"]);
    assert_eq!(code, 0);
    let (code, _, stderr) = run(&["validate", "--max-bytes", "lots"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`lots` is not a size"), "{stderr}");

    // `build` takes the same limit, and writes nothing for a brief over it.
    let dir = tempfile::tempdir().unwrap();
    let out = handoff()
        .args(["build", "briefs/smb-activation.yaml", "--max-bytes", "2KiB", "--now", "2026-11-25", "--out"])
        .arg(dir.path().join("out"))
        .arg("--plans-dir")
        .arg(dir.path().join("plans"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("over the limit of 2048 bytes"), "{stderr}");
    assert!(!dir.path().join("plans").exists() && !dir.path().join("out").exists());
}

/// Every SARIF log `handoff` writes is valid against the official SARIF 2.1.0 schema (vendored:
/// tests/fixtures/sarif/README.md says where it comes from): errors from `validate`, risk
/// warnings, a missing file (line 0, which SARIF does not allow in a region), and `check`.
#[test]
fn sarif_logs_validate_against_the_official_schema() {
    // The published `language` patterns have a stray `]`, a literal in ECMA-262 regexes but an
    // error to the Rust engine: escape it, which keeps its ECMA meaning.
    let text = include_str!("fixtures/sarif/sarif-2.1.0-rtm.5.json");
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(text.matches(stray).count(), 2, "the two `language` patterns");
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema");
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let dir = tempfile::tempdir().unwrap();
    let understaffed = understaffed_brief(dir.path());
    let understaffed = understaffed.to_str().unwrap();
    let runs: [&[&str]; 4] = [
        &["validate", FILE, "--format", "sarif"],
        &["validate", understaffed, "--risks", "--format", "sarif"],
        &["validate", "no/such.yaml", "--format", "sarif"],
        &["check", "--plans-dir", "no-such-plans", "--format", "sarif"],
    ];
    for args in runs {
        let (_, stdout, stderr) = run(args);
        let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}{stderr}"));
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty(), "{args:?}: no results");
        // And the schema does bite: a level SARIF does not know, or a line 0, is refused.
        let mut bad = log.clone();
        bad["runs"][0]["results"][0]["level"] = "fatal".into();
        assert!(!validator.is_valid(&bad));
        if let Some(region) = bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"].get_mut("region") {
            region["startLine"] = 0.into();
            bad["runs"][0]["results"][0]["level"] = "error".into();
            assert!(!validator.is_valid(&bad));
        }
    }
}
