//! Fuzzing load → validate → model → plan → render with generated briefs, two ways.
//!
//! Hostile: each case takes an example brief and applies random edits a careless or hostile
//! author might make (lines deleted, duplicated or swapped; values replaced by odd tokens such as
//! huge numbers, NUL bytes, `../`, `<script>`, anchors and tags; bytes inserted; the file cut
//! short). Nearly all of them are rejected; what matters is that the pipeline returns located
//! diagnostics, never panics, and builds whatever it accepts. Non-UTF-8 results are read from a
//! file, as `build` reads them.
//!
//! Structural: each case changes a valid brief the way a real author would — a number scaled
//! (shares, head counts, touch minutes, demand, ladder `at`), a list item dropped or duplicated,
//! an enum value swapped, a date shifted, a duration or an hour changed, every named rep of a pod
//! made unavailable — so most cases still validate and reach `pipeline::compute`. A brief that
//! validates and then fails to build, panics, or yields a plan breaking its schema is a failure,
//! printed in full.
//!
//! In `cargo test` both run a fixed seed and a modest number of cases, so they cannot flake. For a
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

/// 96 cases from `default_seed`, unless `HANDOFF_FUZZ_CASES` / `HANDOFF_FUZZ_SEED` say otherwise
/// (`scripts/fuzz.sh` runs fresh seeds).
fn config_seeded(default_seed: u64) -> Config {
    let cases = std::env::var("HANDOFF_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96);
    let seed = std::env::var("HANDOFF_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(default_seed);
    Config { cases, rng_seed: RngSeed::Fixed(seed), failure_persistence: None, ..Config::default() }
}

fn config() -> Config {
    config_seeded(0x00f0_55ed)
}

#[test]
fn hostile_briefs_never_panic_and_every_error_is_located() {
    let examples =
        [example("enterprise-pipeline.yaml"), example("smb-activation.yaml"), example("partner-referrals.yaml")];
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
    let counts = std::cell::Cell::new((0usize, 0usize, 0usize)); // (not UTF-8, rejected, built)
    let bump = |which: usize| {
        let mut c = counts.get();
        *[&mut c.0, &mut c.1, &mut c.2][which] += 1;
        counts.set(c);
    };
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
                // Non-UTF-8 input is read_source's job: read it from a file, as `build` does.
                Err(e) => {
                    bump(0);
                    let dir = tempfile::tempdir().unwrap();
                    let file = dir.path().join("fuzz.yaml");
                    std::fs::write(&file, e.as_bytes()).unwrap();
                    let loaded = handoff::pipeline::load(&file, 1 << 20);
                    prop_assert!(loaded.is_err(), "non-UTF-8 input was accepted");
                    loaded
                }
            };
            match loaded {
                Err(diagnostics) => {
                    bump(1);
                    prop_assert!(!diagnostics.is_empty(), "rejected without a reason");
                    for d in &diagnostics {
                        prop_assert!(d.line >= 1 && d.line <= lines + 1, "{d:?} outside {lines} lines");
                        prop_assert!(d.column >= 1, "{d:?}");
                        prop_assert!(!d.message.is_empty());
                    }
                }
                Ok(loaded) => {
                    bump(2);
                    // A brief that validates must build all the way: an error here is a bug.
                    let artifacts = match handoff::pipeline::compute(&loaded, &renderer, now, None) {
                        Ok(artifacts) => artifacts,
                        Err(e) => return Err(TestCaseError::fail(format!("validated but did not build: {e:#}"))),
                    };
                    prop_assert_eq!(artifacts.documents.len(), 4);
                    let plan: serde_json::Value = serde_json::from_str(&artifacts.plan_json).unwrap();
                    prop_assert!(handoff::schema::validate_plan_value(&plan).is_empty());
                }
            }
            Ok(())
        })
        .unwrap();
    let (not_utf8, rejected, built) = counts.get();
    eprintln!("hostile fuzz: {built} reached the build, {rejected} rejected ({not_utf8} of them not UTF-8)");
}

// ---------------------------------------------------------------------------------------------
// Structural mutations of valid briefs: most of them still validate, so they reach the build.
// ---------------------------------------------------------------------------------------------

/// Every enum of the brief schema (`schemas/brief.schema.json`); a value is swapped for another
/// member of the first list that holds it.
const ENUMS: &[&[&str]] = &[
    &["enterprise", "mid-market", "smb", "partner"],
    &["pipeline", "expansion", "product-activation", "abm"],
    &["business", "calendar"],
    &["route-to-ae", "sdr-follow-up", "nurture", "recycle", "disqualify"],
    &["remind", "reassign", "escalate", "notify"],
    &["not-started", "in-progress", "blocked", "ready"],
    &["scoring", "integration", "sequence", "talk-track", "enrichment", "dashboard", "automation", "other"],
    &[
        "context-brief",
        "talk-track",
        "script",
        "objection-table",
        "collateral",
        "system-instructions",
        "playbook",
        "feedback-channel",
        "training",
    ],
    &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    &["SDR", "BDR", "AE", "AM", "PM", "CSM"],
    &["account_owner", "round_robin", "weighted", "pod", "territory"],
    &["true", "false"],
];

/// A scalar in the brief text: the byte range of its value.
#[derive(Debug, Clone, Copy)]
struct Site {
    start: usize,
    end: usize,
}

/// Every plain scalar (after `key: `, after `- `, or inside `[ ]`), as byte ranges of `text`.
fn sites(text: &str) -> Vec<Site> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let code = line.find(" #").map_or(line, |c| &line[..c]);
        let mut i = 0;
        let b = code.as_bytes();
        while i < b.len() {
            // A value follows `: `, `, ` (in a flow collection) or `[`.
            let spaced = b.get(i + 1) == Some(&b' ');
            let opens = b[i] == b'[' || (spaced && (b[i] == b':' || b[i] == b','));
            if opens {
                let mut s = i + 1;
                while s < b.len() && b[s] == b' ' {
                    s += 1;
                }
                let mut e = s;
                while e < b.len() && !matches!(b[e], b',' | b'}' | b']' | b'\n' | b'\r' | b'{' | b'[') {
                    e += 1;
                }
                let value = code[s..e].trim_end();
                let e = s + value.len();
                if !value.is_empty() && !value.ends_with(':') && !value.contains(": ") {
                    out.push(Site { start: line_start + s, end: line_start + e });
                }
                i = e.max(i + 1);
            } else {
                i += 1;
            }
        }
        line_start += line.len();
    }
    debug_assert!(out.iter().all(|s| s.end <= bytes.len()));
    out
}

/// A new value for the scalar `value`, or `None` when it is free text.
fn mutate_scalar(value: &str, choice: usize) -> Option<String> {
    let unquoted = value.trim_matches('"');
    if let Ok(n) = value.parse::<f64>() {
        let factors = [0.5, 2.0, 1.1, 0.9, 1.5, 0.0];
        let f = factors[choice % factors.len()];
        let integer = !value.contains('.');
        return Some(if integer {
            let m = match choice % 7 {
                6 => n + 1.0,
                _ => (n * f).round(),
            };
            format!("{m}")
        } else {
            let m = (n * f * 1000.0).round() / 1000.0;
            format!("{m:?}")
        });
    }
    if let Ok(date) = unquoted.parse::<jiff::civil::Date>() {
        let days = [-40i64, -7, -1, 1, 7, 30, 365][choice % 7];
        return date.checked_add(jiff::Span::new().days(days)).ok().map(|d| d.to_string());
    }
    if let Some((h, m)) = unquoted.split_once(':')
        && let (Ok(h), Ok(m)) = (h.parse::<i32>(), m.parse::<i32>())
    {
        let h = (h + [-2, -1, 1, 2, 3][choice % 5]).clamp(0, 23);
        return Some(format!("\"{h:02}:{m:02}\""));
    }
    let unit = unquoted.trim_start_matches(|c: char| c.is_ascii_digit());
    if matches!(unit, "m" | "h" | "d") && unit.len() < unquoted.len() {
        return Some(["5m", "15m", "30m", "1h", "2h", "4h", "8h", "24h", "1d", "3d", "10d"][choice % 11].to_owned());
    }
    let list = ENUMS.iter().find(|l| l.contains(&unquoted))?;
    Some(list[choice % list.len()].to_owned())
}

/// One structural change to a valid brief.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the n-th scalar with a related value (number scaled, date shifted, enum swapped…).
    Scalar(usize, usize),
    /// Drop the n-th block list item (the `- ` line and its deeper-indented continuation).
    DropItem(usize),
    /// Duplicate the n-th block list item.
    DuplicateItem(usize),
    /// Mark every named rep of the n-th pod with named reps `available: false`, and drop the
    /// routing tests (they would rightly fail: a pod nobody works routes nothing).
    NoRepAvailable(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), any::<usize>()).prop_map(|(s, c)| Mutation::Scalar(s, c)),
        1 => any::<usize>().prop_map(Mutation::DropItem),
        1 => any::<usize>().prop_map(Mutation::DuplicateItem),
        1 => any::<usize>().prop_map(Mutation::NoRepAvailable),
    ]
}

/// The line range `[first, last)` of each block list item in `lines`.
fn items(lines: &[&str]) -> Vec<(usize, usize)> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("- ") {
            let own = indent(line);
            let mut end = i + 1;
            while end < lines.len()
                && !lines[end].trim().is_empty()
                && indent(lines[end]) > own
                && !(indent(lines[end]) == own && lines[end].trim_start().starts_with("- "))
            {
                end += 1;
            }
            out.push((i, end));
        }
    }
    out
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for m in mutations {
        match *m {
            Mutation::Scalar(n, choice) => {
                let all: Vec<Site> =
                    sites(&text).into_iter().filter(|s| mutate_scalar(&text[s.start..s.end], 0).is_some()).collect();
                if all.is_empty() {
                    continue;
                }
                let site = all[n % all.len()];
                if let Some(new) = mutate_scalar(&text[site.start..site.end], choice) {
                    text.replace_range(site.start..site.end, &new);
                }
            }
            Mutation::DropItem(n) | Mutation::DuplicateItem(n) => {
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let all = items(&refs);
                if all.is_empty() {
                    continue;
                }
                let (first, last) = all[n % all.len()];
                if matches!(m, Mutation::DropItem(_)) {
                    lines.drain(first..last);
                } else {
                    let copy: Vec<String> = lines[first..last].to_vec();
                    lines.splice(last..last, copy);
                }
                text = lines.join("\n");
                text.push('\n');
            }
            Mutation::NoRepAvailable(n) => {
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                let pods: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].trim() == "reps:").collect();
                let Some(&at) = pods.get(n % pods.len().max(1)) else { continue };
                for line in lines.iter_mut().skip(at + 1) {
                    let Some(body) = line.trim_start().strip_prefix("- {") else { break };
                    if !body.contains("available")
                        && let Some(close) = line.rfind('}')
                    {
                        line.insert_str(close, ", available: false ");
                    }
                }
                if let Some(tests) = lines.iter().position(|l| l == "  tests:") {
                    let end = (tests + 1..lines.len())
                        .find(|&i| !lines[i].trim().is_empty() && !lines[i].starts_with("   "))
                        .unwrap_or(lines.len());
                    lines.drain(tests..end);
                }
                text = lines.join("\n");
                text.push('\n');
            }
        }
    }
    text
}

/// How many structural cases run in `cargo test` (`HANDOFF_FUZZ_CASES` raises it).
fn structural_config() -> Config {
    config_seeded(0x0b71_ef00)
}

#[test]
fn structurally_mutated_valid_briefs_that_validate_also_build() {
    let examples =
        [example("enterprise-pipeline.yaml"), example("smb-activation.yaml"), example("partner-referrals.yaml")];
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
    let built = std::cell::Cell::new(0usize);
    let rejected = std::cell::Cell::new(0usize);
    let mut runner = TestRunner::new(structural_config());
    let strategy = (0..examples.len(), proptest::collection::vec(mutation(), 1..4));
    runner
        .run(&strategy, |(which, mutations)| {
            let text = mutate(&examples[which], &mutations);
            match handoff::pipeline::load_text(Path::new("fuzz.yaml"), text.clone()) {
                Err(diagnostics) => {
                    rejected.set(rejected.get() + 1);
                    if std::env::var_os("HANDOFF_FUZZ_VERBOSE").is_some() {
                        eprintln!("rejected {mutations:?}: {}", diagnostics[0].message);
                    }
                    prop_assert!(!diagnostics.is_empty(), "rejected without a reason:\n{text}");
                }
                Ok(loaded) => {
                    built.set(built.get() + 1);
                    let artifacts = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        handoff::pipeline::compute(&loaded, &renderer, now, None)
                    }));
                    let artifacts = match artifacts {
                        Ok(Ok(artifacts)) => artifacts,
                        Ok(Err(e)) => {
                            return Err(TestCaseError::fail(format!(
                                "validated but did not build: {e:#}\n--- brief ---\n{text}"
                            )));
                        }
                        Err(_) => {
                            return Err(TestCaseError::fail(format!("validated but panicked\n--- brief ---\n{text}")));
                        }
                    };
                    prop_assert_eq!(artifacts.documents.len(), 4);
                    let plan: serde_json::Value = serde_json::from_str(&artifacts.plan_json).unwrap();
                    let errors = handoff::schema::validate_plan_value(&plan);
                    prop_assert!(errors.is_empty(), "plan breaks its schema: {errors:?}\n--- brief ---\n{text}");
                }
            }
            Ok(())
        })
        .unwrap();
    let (built, rejected) = (built.get(), rejected.get());
    eprintln!("structural fuzz: {built} reached the build, {rejected} rejected by validation");
    // Counted over every case run, shrinking included; most must reach the build.
    assert!(built > rejected, "only {built} of {} cases reached the build", built + rejected);
}

/// The first bug the structural cases found: a pod whose named reps are all `available: false`
/// has no occupancy (and, with patience, no wait percentiles); design.md failed to render
/// (`expected f64 but got none`). It now builds and shows a dash.
#[test]
fn a_pod_with_no_available_rep_builds_and_shows_a_dash() {
    let text = mutate(&example("enterprise-pipeline.yaml"), &[Mutation::NoRepAvailable(0)]);
    assert!(text.contains("{ name: Priya Nair, weight: 0.5, max_open: 20 , available: false }"), "{text}");
    let loaded = handoff::pipeline::load_text(Path::new("fuzz.yaml"), text).unwrap();
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
    let artifacts = handoff::pipeline::compute(&loaded, &renderer, now, None).unwrap();
    let design = &artifacts.documents.iter().find(|d| d.name == "design.md").unwrap().content;
    let east = &design[design.find("### Pod `east-sdr`").unwrap()..];
    let east = &east[..east.find("### Pod `west-sdr`").unwrap()];
    assert!(east.contains("| Reps taking leads | 0 (0 productive after shrinkage) |"), "{east}");
    assert!(east.contains("| Occupancy | — |"), "{east}");
}

// ---------------------------------------------------------------------------------------------
// Issue 13's hostile classes: extreme numbers, extreme dates, stand-in cycles, duplicated rules
// and lists at (and just past) the schema's limits. What validates must build, its plan must
// satisfy the plan schema, and a rebuild on that plan must change nothing (what `check` asks).
// ---------------------------------------------------------------------------------------------

/// Numbers at and past the edges: the schema's maxima, u32's, f64's.
const EXTREME_NUMBERS: &[&str] = &[
    "1e308",
    "-1e308",
    "1e-308",
    "4294967295",
    "4294967296",
    "0",
    "100",
    "100.0001",
    "30000",
    "200000",
    "1e15",
    "0.0000001",
    "10000",
    "1440",
];

/// Dates at and past the edges of what validation accepts, and leap days.
const EXTREME_DATES: &[&str] =
    &["9999-12-31", "0000-01-01", "1970-01-01", "1969-12-31", "9000-12-31", "9001-01-01", "2000-02-29", "2100-02-29"];

/// The parts of a small brief that the hostile classes change.
#[derive(Debug, Clone)]
struct Parts {
    pods: Vec<String>,
    rules: Vec<String>,
    ladder: Vec<String>,
    fallbacks: Vec<(String, String)>,
    holidays: Vec<String>,
}

impl Parts {
    fn new() -> Self {
        Self {
            pods: vec![
                "{ id: east, role: SDR, reps: 3, shrinkage: 0.3, touch_minutes: 10, max_open: 20 }".to_owned(),
                "{ id: west, role: SDR, reps: 2, touch_minutes: 10 }".to_owned(),
            ],
            rules: vec![
                "{ id: east-leads, when: { region: east }, assign: { method: round_robin, pod: east } }".to_owned(),
            ],
            ladder: vec![
                "{ at: 1.0, action: remind, to: owner }".to_owned(),
                "{ at: 2.0, action: escalate, to: RevOps Director }".to_owned(),
            ],
            fallbacks: vec![("RevOps Director".to_owned(), "Sales Manager".to_owned())],
            holidays: vec!["2027-01-01".to_owned()],
        }
    }

    fn text(&self) -> String {
        let list = |items: &[String]| items.iter().map(|i| format!("    - {i}\n")).collect::<String>();
        let fallbacks: Vec<String> = self.fallbacks.iter().map(|(a, b)| format!("\"{a}\": \"{b}\"")).collect();
        format!(
            r#"id: hostile
title: Hostile classes
segment: smb
goal: pipeline
response_sla: 30m
timezone: America/New_York
business_hours: {{ days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }}
holidays: [{holidays}]
launch: 2027-03-01
funnel:
  stages:
    - {{ id: mql, name: Marketing qualified, entry: "score >= 50" }}
demand:
  leads_per_day: 40
  mix:
    region: {{ east: 0.5, west: 0.5 }}
capacity:
  pods:
{pods}routing:
  attributes:
    region: [east, west]
  rules:
{rules}  fallback: {{ method: round_robin, pod: west }}
dependencies:
  - {{ name: Lead scoring, kind: scoring, owner: Marketing Ops, status: in-progress, due: 2027-02-01 }}
enablement:
  - {{ asset: Talk track, kind: talk-track, pods: [east, west], lead_time: 5d }}
escalation:
  ladder:
{ladder}  fallbacks: {{ {fallbacks} }}
success_metrics: {{ sla_attainment: 0.9, acceptance_rate: 0.8, conversion_lift: 0.1 }}
"#,
            holidays = self.holidays.join(", "),
            pods = list(&self.pods),
            rules = list(&self.rules),
            ladder = list(&self.ladder),
            fallbacks = fallbacks.join(", "),
        )
    }
}

/// One hostile change.
#[derive(Debug, Clone)]
enum Hostile {
    /// The n-th number of the brief becomes an extreme one.
    Number(usize, usize),
    /// The n-th date of the brief becomes an extreme one.
    Date(usize, usize),
    /// Stand-ins that come back to the first (`A: A` for 1); `closed` false leaves a chain.
    Fallbacks { len: usize, closed: bool },
    /// The rule repeated `times` times, with its own id (refused) or fresh ids (overlaps).
    DuplicateRule { times: usize, same_id: bool },
    /// This many pods (the schema allows 100).
    Pods(usize),
    /// This many identical rules (the schema allows 1,000).
    Rules(usize),
    /// A ladder of this many steps (the schema allows 20).
    Ladder(usize),
    /// Every day a holiday for this many days from 2026-12-01, on a seven-day week.
    Holidays(usize),
}

fn hostile() -> impl Strategy<Value = Hostile> {
    prop_oneof![
        4 => (any::<usize>(), 0..EXTREME_NUMBERS.len()).prop_map(|(s, v)| Hostile::Number(s, v)),
        3 => (any::<usize>(), 0..EXTREME_DATES.len()).prop_map(|(s, v)| Hostile::Date(s, v)),
        2 => (1..5usize, any::<bool>()).prop_map(|(len, closed)| Hostile::Fallbacks { len, closed }),
        2 => (1..40usize, any::<bool>()).prop_map(|(times, same_id)| Hostile::DuplicateRule { times, same_id }),
        1 => prop_oneof![1..20usize, Just(100usize), Just(101usize)].prop_map(Hostile::Pods),
        1 => prop_oneof![1..60usize, Just(1000usize), Just(1001usize)].prop_map(Hostile::Rules),
        1 => prop_oneof![1..5usize, Just(20usize), Just(21usize)].prop_map(Hostile::Ladder),
        1 => prop_oneof![1..40usize, Just(800usize)].prop_map(Hostile::Holidays),
    ]
}

fn apply_hostile(changes: &[Hostile]) -> String {
    let mut parts = Parts::new();
    let mut scalar_edits = Vec::new();
    for change in changes {
        match *change {
            Hostile::Fallbacks { len, closed } => {
                let names: Vec<String> = (0..len).map(|i| format!("Role {i}")).collect();
                for (i, name) in names.iter().enumerate() {
                    let next = match names.get(i + 1) {
                        Some(n) => n.clone(),
                        None if closed => names[0].clone(),
                        None => "CRO".to_owned(),
                    };
                    parts.fallbacks.push((name.clone(), next));
                }
            }
            Hostile::DuplicateRule { times, same_id } => {
                for i in 0..times {
                    let id = if same_id { "east-leads".to_owned() } else { format!("east-copy-{i}") };
                    parts.rules.push(format!(
                        "{{ id: {id}, when: {{ region: east }}, assign: {{ method: round_robin, pod: east }} }}"
                    ));
                }
            }
            Hostile::Pods(n) => {
                for i in 0..n.saturating_sub(2) {
                    parts.pods.push(format!("{{ id: extra-{i}, role: AE, reps: 1, touch_minutes: 20 }}"));
                }
            }
            Hostile::Rules(n) => {
                parts.rules = (0..n)
                    .map(|i| {
                        format!(
                            "{{ id: r{i}, when: {{ region: east }}, assign: {{ method: round_robin, pod: east }} }}"
                        )
                    })
                    .collect();
            }
            Hostile::Ladder(n) => {
                parts.ladder = (1..=n).map(|i| format!("{{ at: {i}, action: escalate, to: Level {i} }}")).collect();
            }
            Hostile::Holidays(n) => {
                let mut d = jiff::civil::date(2026, 12, 1);
                parts.holidays = (0..n)
                    .map(|_| {
                        let s = d.to_string();
                        d = d.tomorrow().unwrap();
                        s
                    })
                    .collect();
            }
            Hostile::Number(..) | Hostile::Date(..) => scalar_edits.push(change.clone()),
        }
    }
    let mut text = parts.text();
    if changes.iter().any(|c| matches!(c, Hostile::Holidays(_))) {
        text = text.replace("days: [mon, tue, wed, thu, fri]", "days: [mon, tue, wed, thu, fri, sat, sun]");
    }
    for edit in scalar_edits {
        let (n, value, is_kind): (usize, &str, fn(&str) -> bool) = match edit {
            Hostile::Number(n, v) => (n, EXTREME_NUMBERS[v], |s| s.parse::<f64>().is_ok()),
            Hostile::Date(n, v) => (n, EXTREME_DATES[v], |s| s.parse::<jiff::civil::Date>().is_ok()),
            _ => continue,
        };
        let all: Vec<Site> = sites(&text).into_iter().filter(|s| is_kind(&text[s.start..s.end])).collect();
        if let Some(site) = all.get(n % all.len().max(1)) {
            text.replace_range(site.start..site.end, value);
        }
    }
    text
}

#[test]
fn hostile_classes_that_validate_build_check_and_rebuild_unchanged() {
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
    let counts = std::cell::Cell::new((0usize, 0usize));
    // Fewer cases than the other two: some of these briefs are a thousand rules long.
    let mut config = config_seeded(0x0013_b0d5);
    if std::env::var_os("HANDOFF_FUZZ_CASES").is_none() {
        config.cases = 48;
    }
    let mut runner = TestRunner::new(config);
    runner
        .run(&proptest::collection::vec(hostile(), 1..4), |changes| {
            let text = apply_hostile(&changes);
            let loaded = match handoff::pipeline::load_text(Path::new("hostile.yaml"), text.clone()) {
                Ok(loaded) => loaded,
                Err(diagnostics) => {
                    counts.set((counts.get().0, counts.get().1 + 1));
                    prop_assert!(!diagnostics.is_empty(), "rejected without a reason");
                    for d in &diagnostics {
                        prop_assert!(d.line >= 1 && d.column >= 1 && !d.message.is_empty(), "{d:?}");
                    }
                    return Ok(());
                }
            };
            counts.set((counts.get().0 + 1, counts.get().1));
            let artifacts = match handoff::pipeline::compute(&loaded, &renderer, now, None) {
                Ok(a) => a,
                Err(e) => return Err(TestCaseError::fail(format!("{changes:?} validated but did not build: {e:#}"))),
            };
            let plan: serde_json::Value = serde_json::from_str(&artifacts.plan_json).unwrap();
            let errors = handoff::schema::validate_plan_value(&plan);
            prop_assert!(errors.is_empty(), "{changes:?}: the plan breaks its schema: {errors:?}");
            // `check` rebuilds on the plan it finds: nothing may change, and no revision is added.
            let again = handoff::pipeline::compute(&loaded, &renderer, now, Some(&artifacts.plan_json)).unwrap();
            prop_assert_eq!(&again.plan_json, &artifacts.plan_json, "{:?}: a rebuild changed the plan", changes);
            // Bounded output, whatever the lists hold within the limits.
            for doc in &artifacts.documents {
                prop_assert!(doc.content.len() < 8 << 20, "{changes:?}: {} is {} bytes", doc.name, doc.content.len());
            }
            Ok(())
        })
        .unwrap();
    let (built, rejected) = counts.get();
    eprintln!("hostile classes: {built} built and checked, {rejected} rejected with located errors");
    assert!(built > 0 && rejected > 0, "{built} built, {rejected} rejected: the classes miss one side");
}

/// Each class on its own, once, so a class that stops reaching the build (or stops being
/// refused) is noticed: the base brief builds; a stand-in cycle, `at: 1e308`, `launch:
/// 9999-12-31`, 1,001 rules, 101 pods and 21 ladder steps are refused; a chain of stand-ins,
/// 1,000 rules, 100 pods, 20 steps and 800 days of holidays build.
#[test]
fn each_hostile_class_lands_where_it_should() {
    let load = |changes: &[Hostile]| handoff::pipeline::load_text(Path::new("hostile.yaml"), apply_hostile(changes));
    assert!(load(&[]).is_ok());
    for refused in [
        vec![Hostile::Fallbacks { len: 3, closed: true }],
        vec![Hostile::Fallbacks { len: 1, closed: true }],
        vec![Hostile::DuplicateRule { times: 1, same_id: true }],
        vec![Hostile::Rules(1001)],
        vec![Hostile::Pods(101)],
        vec![Hostile::Ladder(21)],
    ] {
        assert!(load(&refused).is_err(), "{refused:?} was accepted");
    }
    let huge_at = apply_hostile(&[]).replace("at: 2.0,", "at: 1e308,");
    assert!(handoff::pipeline::load_text(Path::new("hostile.yaml"), huge_at).is_err());
    let far_launch = apply_hostile(&[]).replace("launch: 2027-03-01", "launch: 9999-12-31");
    assert!(handoff::pipeline::load_text(Path::new("hostile.yaml"), far_launch).is_err());
    // Every number the site scan finds, replaced by 1e308: refused, or built into a plan that
    // satisfies its schema (no `null` where a number belongs).
    let renderer = handoff::render::Renderer::new(None).unwrap();
    let now: jiff::Timestamp = "2026-11-25T12:00:00Z".parse().unwrap();
    for n in 0..sites(&apply_hostile(&[])).len() {
        if let Ok(loaded) = load(&[Hostile::Number(n, 0)]) {
            let artifacts = handoff::pipeline::compute(&loaded, &renderer, now, None).unwrap();
            let plan: serde_json::Value = serde_json::from_str(&artifacts.plan_json).unwrap();
            assert!(handoff::schema::validate_plan_value(&plan).is_empty(), "number {n}");
        }
    }
    for accepted in [
        vec![Hostile::Fallbacks { len: 4, closed: false }],
        vec![Hostile::DuplicateRule { times: 3, same_id: false }],
        vec![Hostile::Rules(1000)],
        vec![Hostile::Pods(100)],
        vec![Hostile::Ladder(20)],
        vec![Hostile::Holidays(800)],
    ] {
        assert!(load(&accepted).is_ok(), "{accepted:?}: {:?}", load(&accepted).err());
    }
}
