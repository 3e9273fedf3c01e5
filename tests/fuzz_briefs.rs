//! Fuzzing load → validate → model → plan → render with generated hostile briefs.
//!
//! Each case takes an example brief and applies random edits a careless or hostile author might
//! make (lines deleted, duplicated or swapped; values replaced by odd tokens such as huge
//! numbers, NUL bytes, `../`, `<script>`, anchors and tags; bytes inserted; the file cut short).
//! Whatever the input, the pipeline must return located diagnostics or a complete build, never
//! panic.
//!
//! In `cargo test` it runs a fixed seed and a modest number of cases, so it cannot flake. For a
//! long run with fresh seeds use `scripts/fuzz.sh SECONDS` (it sets `HANDOFF_FUZZ_CASES` and
//! `HANDOFF_FUZZ_SEED`).

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

const TOKENS: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-1e308",
    ".nan",
    ".inf",
    "99999999999999999999999",
    "0.0000001",
    "\"\"",
    "~",
    "null",
    "true",
    "\"../../etc/passwd\"",
    "/abs/path",
    "\"a\\0b\"",
    "\"<script>alert(1)</script>\"",
    "\"[x](javascript:alert(1))\"",
    "\"\\u202Ertl\"",
    "&a [1, 2]",
    "*a",
    "!!binary aGVsbG8=",
    "{",
    "[",
    "]]",
    "'unterminated",
    "- - - -",
    "{a: {b: {c: {d: {e: 1}}}}}",
    "[[[[[[[[[[1]]]]]]]]]]",
    "2027-02-30",
    "25:99",
    "Mars/Olympus_Mons",
    "0m",
    "1h1h",
    "15m",
    "2h",
    "1d",
    "east-sdr",
    "named-ae",
    "fallback",
    "\"\\t\"",
    "ÿ",
];

#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceValue(usize, usize),
    InsertBytes(usize, Vec<u8>),
    Truncate(usize),
    IndentLine(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(l, t)| Edit::ReplaceValue(l, t)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, b)| Edit::InsertBytes(at, b)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), 0..6usize).prop_map(|(l, n)| Edit::IndentLine(l, n)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut bytes_edits = Vec::new();
    for e in edits {
        let n = lines.len().max(1);
        match e {
            Edit::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Edit::DuplicateLine(i) if !lines.is_empty() => {
                let line = lines[i % n].clone();
                lines.insert(i % n, line);
            }
            Edit::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Edit::ReplaceValue(i, t) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                if let Some(colon) = line.find(": ") {
                    line.truncate(colon + 2);
                    line.push_str(TOKENS[*t]);
                } else if let Some(dash) = line.find("- ") {
                    line.truncate(dash + 2);
                    line.push_str(TOKENS[*t]);
                }
            }
            Edit::IndentLine(i, k) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                *line = format!("{}{line}", " ".repeat(*k));
            }
            other => bytes_edits.push(other.clone()),
        }
    }
    let mut bytes = lines.join("\n").into_bytes();
    for e in bytes_edits {
        match e {
            Edit::InsertBytes(at, b) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, b);
            }
            Edit::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

mod common;
use common::example;

fn config() -> Config {
    let cases = std::env::var("HANDOFF_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96);
    let seed = std::env::var("HANDOFF_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x00f0_55ed);
    Config { cases, rng_seed: RngSeed::Fixed(seed), failure_persistence: None, ..Config::default() }
}

#[test]
fn hostile_briefs_never_panic_and_every_error_is_located() {
    let examples =
        [example("enterprise-pipeline.yaml"), example("smb-activation.yaml"), example("partner-referrals.yaml")];
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
    let mut runner = TestRunner::new(config());
    let strategy = (0..examples.len(), proptest::collection::vec(edit(), 1..6));
    runner
        .run(&strategy, |(which, edits)| {
            let bytes = apply(&examples[which], &edits);
            // To find an input that hangs, `scripts/fuzz.sh` can keep the one in progress.
            if let Ok(dump) = std::env::var("HANDOFF_FUZZ_DUMP") {
                std::fs::write(dump, &bytes).unwrap();
            }
            let path = Path::new("fuzz.yaml");
            // Lines as YAML counts them: `\r\n`, a lone `\r` and `\n` each end a line (found by
            // this fuzzer: an inserted CR moved positions past a `\n`-only count).
            let breaks = bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count()
                + usize::from(bytes.last() == Some(&b'\r'))
                + bytes.iter().filter(|b| **b == b'\n').count();
            let lines = breaks + 1;
            let loaded = match String::from_utf8(bytes) {
                Ok(text) => handoff::pipeline::load_text(path, text),
                // Non-UTF-8 input is read_source's job; it must say where.
                Err(_) => return Ok(()),
            };
            match loaded {
                Err(diagnostics) => {
                    prop_assert!(!diagnostics.is_empty(), "rejected without a reason");
                    for d in &diagnostics {
                        prop_assert!(d.line >= 1 && d.line <= lines + 1, "{d:?} outside {lines} lines");
                        prop_assert!(d.column >= 1, "{d:?}");
                        prop_assert!(!d.message.is_empty());
                    }
                }
                Ok(loaded) => {
                    // A brief that validates must build all the way, or fail with an error.
                    if let Ok(artifacts) = handoff::pipeline::compute(&loaded, &renderer, now, None) {
                        prop_assert_eq!(artifacts.documents.len(), 4);
                        let plan: serde_json::Value = serde_json::from_str(&artifacts.plan_json).unwrap();
                        prop_assert!(handoff::schema::validate_plan_value(&plan).is_empty());
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}
