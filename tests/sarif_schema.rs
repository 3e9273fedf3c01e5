//! The SARIF that `validate` and `check` write is valid against the SARIF 2.1.0 JSON schema
//! (`tests/fixtures/sarif/sarif-2.1.0-rtm.5.json`, see the README there), and every rule
//! explains itself the way code scanning needs (issue 15: GitHub's
//! ingestion and the multitool's GH2012/SARIF2012 rules want `fullDescription`, `help` and
//! `helpUri`; SARIF2005 the driver's `informationUri`).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{ROOT, handoff, handoff_in, project_with};
use serde_json::Value;

fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json")).unwrap();
    // As in tests/report_formats.rs: the published `language` patterns have a stray `]` the
    // Rust regex engine refuses; escaped, it keeps its ECMA-262 meaning.
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft4::new(&schema).unwrap()
}

fn check_log(stdout: &[u8]) -> Value {
    let log: Value = serde_json::from_slice(stdout).unwrap();
    let errors: Vec<String> = sarif_schema().iter_errors(&log).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let driver = &log["runs"][0]["tool"]["driver"];
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(driver["informationUri"].as_str().unwrap().ends_with("/README.md"));
    for rule in driver["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        for field in ["shortDescription", "fullDescription"] {
            assert!(rule[field]["text"].as_str().is_some_and(|t| t.ends_with('.')), "{id} {field}");
        }
        assert!(rule["help"]["text"].as_str().is_some_and(|t| t.len() > 40), "{id}");
        assert!(rule["help"]["markdown"].as_str().is_some_and(|t| t.contains("How to fix it")), "{id}");
        // The link goes to the rule's heading in the README, which exists.
        let uri = rule["helpUri"].as_str().unwrap();
        assert_eq!(uri.rsplit_once('#').unwrap().1, id);
        assert!(readme.contains(&format!("\n#### `{id}`\n")), "README has no heading for {id}");
    }
    log
}

#[test]
fn validate_sarif_matches_the_schema_and_explains_its_rules() {
    let out = handoff().args(["validate", "--risks", "briefs", "tests/invalid", "--format", "sarif"]).output().unwrap();
    let log = check_log(&out.stdout);
    let ids: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"invalid-input") && ids.contains(&"risk-sla"), "{ids:?}");
}

#[test]
fn check_sarif_matches_the_schema_and_explains_its_rules() {
    // Briefs without plans: `plan-missing` errors and the risk warnings.
    let tmp = project_with(&[]);
    let out = handoff_in(tmp.path()).args(["check", "--format", "sarif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log = check_log(&out.stdout);
    let missing =
        log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().iter().find(|r| r["id"] == "plan-missing");
    assert_eq!(missing.unwrap()["defaultConfiguration"]["level"], "error");
}
