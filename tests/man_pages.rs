//! `handoff man --out DIR` writes every page any page cites (`handoff-templates-export(1)` was
//! cited and not written), each command's page has its examples — command lines that parse —
//! and the exit status, and the top page's ENVIRONMENT lists every variable the source reads.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::fs;
use std::path::Path;

use clap::Parser as _;

mod common;

/// The pages `man --out` writes: file name → roff text.
fn pages() -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().unwrap();
    common::handoff().arg("man").arg("--out").arg(tmp.path()).assert().success();
    let mut pages: Vec<(String, String)> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect();
    pages.sort();
    pages
}

/// `handoff…(1)` references in roff (`handoff\-templates\-export(1)`), as file names.
fn cited(roff: &str) -> Vec<String> {
    let text = roff.replace("\\-", "-");
    let mut out = Vec::new();
    for (at, _) in text.match_indices("(1)") {
        let name: String =
            text[..at].chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>();
        let name: String = name.chars().rev().collect();
        if name.starts_with("handoff") {
            out.push(format!("{name}.1"));
        }
    }
    out
}

#[test]
fn every_cited_page_is_written() {
    let pages = pages();
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    for expected in ["handoff.1", "handoff-build.1", "handoff-templates.1", "handoff-templates-export.1"] {
        assert!(names.contains(&expected), "{expected} not written: {names:?}");
    }
    let mut citations = 0;
    for (name, roff) in &pages {
        for page in cited(roff) {
            citations += 1;
            assert!(names.contains(&page.as_str()), "{name} cites {page}, which is not written");
        }
    }
    assert!(citations >= names.len() - 1, "only {citations} citations found");
}

#[test]
fn every_command_page_has_examples_that_parse_and_the_exit_status() {
    for (name, roff) in pages() {
        assert!(roff.contains(".SH EXAMPLES"), "{name}: no EXAMPLES");
        assert!(roff.contains(".SH \"EXIT STATUS\""), "{name}: no EXIT STATUS");
        assert!(roff.find(".SH EXAMPLES") < roff.find(".SH VERSION"), "{name}: examples after VERSION");
        // Each example line (bold, `\fB…\fR`) is a command line clap accepts.
        let text = roff.replace("\\-", "-");
        let text = &text[text.find(".SH EXAMPLES").unwrap()..];
        let text = &text[..text[1..].find(".SH").map_or(text.len(), |e| e + 1)];
        let mut examples = 0;
        for line in text.lines().filter(|l| l.starts_with("\\fBhandoff ")) {
            let line = line.trim_start_matches("\\fB").trim_end_matches("\\fR");
            for command in line.split(" && ") {
                let command = command.split(['|', '>']).next().unwrap().trim();
                let args: Vec<&str> = command.split_whitespace().collect();
                if let Err(e) = handoff::cli::Cli::try_parse_from(&args) {
                    panic!("{name}: the example `{command}` does not parse: {e}");
                }
                examples += 1;
            }
        }
        assert!(examples >= 1, "{name}: no example command line");
    }
}

#[test]
fn environment_lists_every_variable_the_tool_reads() {
    let top = pages().into_iter().find(|(n, _)| n == "handoff.1").unwrap().1;
    for section in [".SH ENVIRONMENT", ".SH FILES"] {
        assert!(top.contains(section), "handoff.1 has no {section}");
    }
    let environment = &top[top.find(".SH ENVIRONMENT").unwrap()..top.find(".SH FILES").unwrap()];
    let mut read = Vec::new();
    for entry in walk(&Path::new(common::ROOT).join("src")) {
        let source = fs::read_to_string(&entry).unwrap();
        for marker in ["env::var(\"", "env::var_os(\"", "env = \""] {
            for (at, _) in source.match_indices(marker) {
                let rest = &source[at + marker.len()..];
                read.push(rest[..rest.find('"').unwrap()].to_owned());
            }
        }
    }
    read.sort();
    read.dedup();
    for known in ["SOURCE_DATE_EPOCH", "NO_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"] {
        assert!(read.iter().any(|v| v == known), "the scan missed {known}: {read:?}");
    }
    for variable in read {
        assert!(environment.replace("\\-", "-").contains(&variable), "ENVIRONMENT does not list {variable}");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}
