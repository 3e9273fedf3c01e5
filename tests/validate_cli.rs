//! `handoff validate` end to end, beyond the messages: the example briefs, a whole directory,
//! and the hostile-input limits that need generated files (issue 6). Every invalid brief's
//! exact line, column, field path and message, and the text format, are CLI cases in
//! tests/cmd/validate/ (run by tests/cli_cases.rs).

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{ROOT, handoff};

/// Run `handoff validate --format json` on paths; exit code and the diagnostics.
fn validate_json(paths: &[&str]) -> (i32, Vec<Value>) {
    let out = handoff().arg("validate").args(paths).args(["--format", "json"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let parsed: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (out.status.code().unwrap(), parsed.as_array().unwrap().clone())
}

#[test]
fn every_example_brief_validates() {
    // Without the design-risk warnings, which are opt-in (`--risks`, tested in report_formats.rs).
    let out = handoff().args(["validate", "briefs"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    // briefs/ holds exactly the enterprise, SMB and partner examples.
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("briefs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["enterprise-pipeline.yaml", "partner-referrals.yaml", "smb-activation.yaml"]);
    assert_eq!(stdout, "checked 3 files: all valid\n");
    // With no path, `briefs/` is the default: the same three files, the same report.
    let out = handoff().arg("validate").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "checked 3 files: all valid\n");
}

#[test]
fn example_briefs_start_with_the_schema_modeline() {
    for entry in std::fs::read_dir(Path::new(ROOT).join("briefs")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.starts_with("# yaml-language-server: $schema=../schemas/brief.schema.json\n"));
    }
}

#[test]
fn a_whole_directory_reports_every_file() {
    let (code, diags) = validate_json(&["tests/invalid"]);
    assert_eq!(code, 1);
    // Files come in sorted order, so the report is the same on every run.
    let files: Vec<&str> = diags.iter().map(|d| d["file"].as_str().unwrap()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    // Each file with exactly the problems its own case (tests/cmd/validate/NAME.toml or, compared
    // as bytes, NAME.stdout) expects when it is validated alone: the same lines, columns, field
    // paths, messages, severities and rules, in the same order.
    let mut briefs: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("tests/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    briefs.sort();
    for brief in &briefs {
        let file = format!("tests/invalid/{brief}");
        let stem = brief.strip_suffix(".yaml").unwrap();
        let expected = case_diagnostics(stem);
        assert!(!expected.is_empty(), "{file}: its case expects no problem");
        assert!(expected.iter().all(|d| d["file"] == file.as_str()), "{file}: its case is about another file");
        let got: Vec<&Value> = diags.iter().filter(|d| d["file"] == file.as_str()).collect();
        let expected: Vec<&Value> = expected.iter().collect();
        assert_eq!(got, expected, "{file}");
    }
    // Every file of the directory reports, and nothing else does: the distinct files reported
    // are exactly the directory's files.
    let mut reported: Vec<&str> = files.clone();
    reported.dedup();
    let listed: Vec<String> = briefs.iter().map(|b| format!("tests/invalid/{b}")).collect();
    assert_eq!(reported, listed);
}

/// The JSON diagnostics a CLI case of tests/cmd/validate/ expects: its NAME.stdout, or the
/// `stdout = '''...'''` (or `"""..."""`) of its NAME.toml.
fn case_diagnostics(stem: &str) -> Vec<Value> {
    let case = Path::new(ROOT).join("tests/cmd/validate").join(stem);
    let stdout = match std::fs::read_to_string(case.with_extension("stdout")) {
        Ok(text) => text,
        Err(_) => {
            // A literal (''') or basic (""") multi-line string; a basic one is read as written,
            // so it must hold no escape.
            let toml = std::fs::read_to_string(case.with_extension("toml")).unwrap();
            let quote = ["'''", "\"\"\""]
                .into_iter()
                .find(|q| toml.contains(&format!("stdout = {q}\n")))
                .unwrap_or_else(|| panic!("{stem}.toml has no stdout"));
            let open = format!("stdout = {quote}\n");
            let rest = &toml[toml.find(&open).unwrap() + open.len()..];
            let text = &rest[..rest.find(quote).unwrap()];
            assert!(quote == "'''" || !text.contains('\\'), "{stem}.toml: an escape in a basic string");
            text.to_owned()
        }
    };
    let parsed: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{stem}: not JSON ({e})"));
    parsed.as_array().unwrap().clone()
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.yaml");
    let text = std::fs::read(Path::new(ROOT).join("briefs/enterprise-pipeline.yaml")).unwrap();
    std::fs::write(&path, [b"\xEF\xBB\xBF".as_slice(), &text].concat()).unwrap();
    let out = handoff().arg("validate").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // Read as the plain brief: one file, no diagnostic (not even a warning about the mark).
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "checked 1 file: all valid\n");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let mut text = std::fs::read_to_string(Path::new(ROOT).join("briefs/smb-activation.yaml")).unwrap();
    while text.len() <= 1 << 20 {
        text.push_str("# padding padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&path, &text).unwrap();
    let out = handoff().arg("validate").arg(&path).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diags: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = diags[0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        format!("the file is {} bytes, over the limit of 1048576 bytes; split it or raise the limit", text.len())
    );
    assert_eq!(diags[0]["line"], 0);
}
