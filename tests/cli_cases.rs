//! The CLI cases kept as data, run by trycmd: every message `validate` and `check` print, with
//! their exit status, line, column and field path, as typos keeps its `tests/cmd/*.toml`.
//!
//! - `tests/cmd/validate/*.toml`: one command each, run from the crate root. There is one case
//!   per invalid brief in `tests/invalid/` (same name; the briefs stay there because other tools
//!   read them), plus the text and GitHub formats and a missing file.
//! - `tests/cmd/check/*.md`: a sequence of commands in a sandbox copied from the case's `.in`
//!   (a link to the shared `project/`): build the plans, break the project one way (`sed`, `cp`,
//!   `rm`), then `check`. The `.out/` beside each case only asks trycmd for the sandbox.
//!
//! `TRYCMD=overwrite cargo test --test cli_cases` rewrites the expected output; review the diff
//! as you would code. `cargo test --test cli_cases -- trycmd=NAME` runs the cases whose file
//! name contains NAME.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use std::path::{Path, PathBuf};

mod common;
use common::ROOT;

/// 2026-11-25T12:00:00Z as seconds since the epoch: the "today" of risk warnings and of builds
/// without `--now`.
const EPOCH: &str = "1795608000";

/// `name` on `PATH`, for the file edits of the `check` cases.
fn on_path(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not on PATH"))
}

#[test]
fn cli_cases() {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("handoff", Path::new(env!("CARGO_BIN_EXE_handoff")))
        .register_bin("sed", on_path("sed"))
        .register_bin("cp", on_path("cp"))
        .register_bin("rm", on_path("rm"))
        // As on a developer's machine, whatever runs the tests: not GitHub Actions (it changes
        // the default format and appends a step summary), no colour, and a pinned day.
        .env("GITHUB_ACTIONS", "")
        .env("GITHUB_STEP_SUMMARY", "")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .case("tests/cmd/validate/*.toml")
        .case("tests/cmd/check/*.md")
        .case("tests/cmd/diff/*.md")
        .case("tests/cmd/monitor/*.toml");
    // SARIF names the tool's version; the cases say `[VERSION]`.
    cases.insert_var("[VERSION]", env!("CARGO_PKG_VERSION")).unwrap();
    cases.run();
}

/// Every brief in `tests/invalid/` has its case in `tests/cmd/validate/` and every such case
/// names an existing brief, so a new invalid brief cannot go untested.
#[test]
fn every_invalid_brief_has_a_case() {
    let stems = |dir: &str, ext: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let briefs = stems("tests/invalid", "yaml");
    assert!(briefs.len() >= 20);
    let cases = stems("tests/cmd/validate", "toml");
    let missing: Vec<&String> = briefs.iter().filter(|b| !cases.contains(b)).collect();
    assert!(missing.is_empty(), "invalid briefs without a case in tests/cmd/validate/: {missing:?}");
    for brief in &briefs {
        let case = std::fs::read_to_string(Path::new(ROOT).join(format!("tests/cmd/validate/{brief}.toml"))).unwrap();
        assert!(
            case.contains(&format!("args = \"validate tests/invalid/{brief}.yaml --format json\"")),
            "tests/cmd/validate/{brief}.toml does not validate tests/invalid/{brief}.yaml"
        );
        assert!(case.contains("status.code = 1"), "tests/cmd/validate/{brief}.toml: an invalid brief exits 1");
    }
}
