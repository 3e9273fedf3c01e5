//! Every diagnostic format of `handoff validate`, on the same invalid brief
//! (`tests/fixtures/report/three-problems.yaml`: an enum value, a misspelt key and a duration in
//! words), plus the design-risk warnings of valid briefs and `--deny-warnings`.
//!
//! Positions were read off the fixture by hand: `segment: small-business` is line 6 (value at
//! column 10), `respnse_sla: 15m` line 8 (the key, column 1), `lead_time: 10 days` line 127
//! (value at column 16).

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::ROOT;
const FILE: &str = "tests/fixtures/report/three-problems.yaml";
/// 2026-11-25T12:00:00Z: the "today" of risk warnings.
const EPOCH: &str = "1795608000";

/// (line, column, field path, what the message must say for a person).
const EXPECTED: &[(u64, u64, &str, &str)] = &[
    (
        6,
        10,
        "segment",
        "`small-business` is not one of the allowed values: `enterprise`, `mid-market`, `smb`, `partner`",
    ),
    (8, 1, "respnse_sla", "unknown key `respnse_sla`; did you mean `response_sla`?"),
    (
        127,
        16,
        "enablement[0].lead_time",
        "`10 days` is not a duration: expected whole days, hours and minutes in that order, such as `15m`, `2h`, `1d` or `1h30m`",
    ),
];

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
fn text_has_each_problem_with_an_excerpt_and_a_caret_under_the_value() {
    let (code, stdout, _) = run(&["validate", FILE]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    let text = std::fs::read_to_string(format!("{ROOT}/{FILE}")).unwrap();
    let source: Vec<&str> = text.lines().collect();
    for (line, column, path, says) in EXPECTED {
        let head = format!("{FILE}:{line}:{column}: error: {path}: ");
        let at = lines.iter().position(|l| l.starts_with(&head)).unwrap_or_else(|| panic!("no {head} in\n{stdout}"));
        assert!(lines[at].contains(says), "{}", lines[at]);
        // The excerpt: the source line, then a caret line whose first ^ is under the column.
        let code = source[*line as usize - 1];
        let shown = lines[at + 1..].iter().find(|l| l.ends_with(code)).unwrap();
        let caret = lines[at + 1..].iter().find(|l| l.contains('^')).unwrap();
        let offset = shown.len() - code.len();
        assert_eq!(caret.find('^').unwrap(), offset + *column as usize - 1, "{shown}\n{caret}");
    }
    assert!(!stdout.contains('\u{1b}'), "no colour off a terminal");
    assert_eq!(*lines.last().unwrap(), "checked 1 file: 1 invalid, 3 errors, 0 warnings");
}

#[test]
fn json_is_one_array_with_line_and_column() {
    let (code, stdout, stderr) = run(&["validate", FILE, "--format", "json"]);
    assert_eq!(code, 1);
    let diags: Vec<Value> = serde_json::from_str::<Value>(&stdout).unwrap().as_array().unwrap().clone();
    assert_eq!(diags.len(), EXPECTED.len());
    for (d, (line, column, path, says)) in diags.iter().zip(EXPECTED) {
        assert_eq!(d["file"], FILE);
        assert_eq!((d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()), (*line, *column));
        assert_eq!(d["path"], *path);
        assert!(d["message"].as_str().unwrap().contains(says), "{d}");
        assert_eq!(d["severity"], "error");
    }
    assert_eq!(stderr, "checked 1 file: 1 invalid, 3 errors, 0 warnings\n");
}

#[test]
fn github_lines_are_workflow_commands() {
    let (code, stdout, stderr) = run(&["validate", FILE, "--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), EXPECTED.len(), "stdout holds only the commands: {stdout}");
    for (l, (line, column, path, says)) in lines.iter().zip(EXPECTED) {
        let head = format!("::error file={FILE},line={line},col={column},title=handoff%3A {path}::{path}: ");
        assert!(l.starts_with(&head), "{l}\nwant {head}");
        // The message is escaped data: no raw newline could end the command early.
        assert!(l.contains(&says.replace('%', "%25")), "{l}");
    }
    // GitHub shows only ten annotations per step: the full text report is in the log too.
    assert!(stderr.contains(&format!("{FILE}:6:10: error: segment:")), "{stderr}");
    assert!(stderr.contains("segment: small-business"), "the excerpt is in the log: {stderr}");
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
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), EXPECTED.len());
    for (r, (line, column, path, says)) in results.iter().zip(EXPECTED) {
        assert_eq!(r["ruleId"], "invalid-input");
        assert_eq!(r["level"], "error");
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(&format!("{path}: ")) && text.contains(says), "{text}");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], FILE);
        assert_eq!(loc["region"]["startLine"], *line);
        assert_eq!(loc["region"]["startColumn"], *column);
    }
}

#[test]
fn a_missing_file_renders_in_every_format() {
    for format in ["text", "json", "github", "sarif"] {
        let (code, stdout, _) = run(&["validate", "no/such.yaml", "--format", format]);
        assert_eq!(code, 1, "{format}");
        assert!(stdout.contains("no such file or directory"), "{format}: {stdout}");
        if format == "github" {
            assert_eq!(
                stdout.trim_end(),
                "::error file=no/such.yaml,title=handoff invalid-input::no such file or directory"
            );
        }
        if format == "sarif" {
            let log: Value = serde_json::from_str(&stdout).unwrap();
            assert!(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"].get("region").is_none());
        }
    }
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
