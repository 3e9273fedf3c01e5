//! `handoff check`: the pull-request gate. Plans are valid, present, up to date with their
//! briefs, not edited by hand, and not orphaned.
//!
//! "Not edited by hand" is decided by regenerating: the plan `build` would write for the brief
//! as it is now, continuing the plan's own recorded revisions, must equal the file byte for byte.
//! That also catches a plan whose recorded revisions were tampered with.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::brief::yaml::{load_brief, load_yaml_value};
use crate::cli::CheckArgs;
use crate::cmd::build::{DEFAULT_MAX_BYTES, compute, display_path, plan_path};
use crate::plan::{self, Plan};
use crate::render::Renderer;
use crate::report::{Diagnostic, Severity};

/// Run `handoff check`.
///
/// # Errors
/// The plans directory or a plan cannot be read for a reason other than absence.
pub fn run(args: &CheckArgs) -> Result<bool> {
    let diagnostics = check(&args.briefs, &args.plans_dir)?;
    let mut failed = false;
    for d in &diagnostics {
        eprintln!("{}", d.one_line());
        failed |= d.severity == Severity::Error || args.deny_warnings;
    }
    if diagnostics.is_empty() {
        println!("every plan is valid and up to date");
    }
    Ok(!failed)
}

/// Every problem `check` finds.
///
/// # Errors
/// I/O errors other than a missing plan.
pub fn check(briefs: &[PathBuf], plans_dir: &Path) -> Result<Vec<Diagnostic>> {
    let renderer = Renderer::new(None)?;
    let paths = super::brief_paths(briefs)?;
    let mut out = Vec::new();
    let mut covered: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &paths {
        let loaded = match load_brief(path, DEFAULT_MAX_BYTES) {
            Ok(loaded) => loaded,
            Err(diagnostics) => {
                out.extend(diagnostics);
                continue;
            }
        };
        let plan_file = plan_path(plans_dir, &loaded.brief.id);
        covered.insert(plan_file.clone());
        let build_cmd = format!("handoff build {} --plans-dir {}", display_path(path), plans_dir.display());
        let text = match fs::read_to_string(&plan_file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(Diagnostic::error(
                    path,
                    1,
                    1,
                    "id",
                    format!("brief `{}` has no plan {}; run `{build_cmd}`", loaded.brief.id, plan_file.display()),
                ));
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", plan_file.display())),
        };
        let schema_problems = plan_schema_problems(&plan_file, &text);
        if !schema_problems.is_empty() {
            out.extend(schema_problems);
            continue;
        }
        let plan: Plan = match serde_json::from_str(&text) {
            Ok(plan) => plan,
            Err(e) => {
                out.push(Diagnostic::error(
                    &plan_file,
                    e.line(),
                    e.column(),
                    "",
                    format!("not a plan: {e}; run `{build_cmd}`"),
                ));
                continue;
            }
        };
        let sha = plan::sha256_hex(loaded.source.as_bytes());
        let last = plan.revisions.last();
        if last.map(|r| r.brief_sha256.as_str()) != Some(sha.as_str()) {
            out.push(Diagnostic::error(
                &plan_file,
                1,
                1,
                "revisions",
                format!(
                    "stale: {} changed since plan revision {} was built; run `{build_cmd}`",
                    display_path(path),
                    last.map_or(0, |r| r.revision)
                ),
            ));
            continue;
        }
        // Regenerate at the recorded revision's time and compare byte for byte.
        let at = last.and_then(|r| r.at.parse().ok()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let expected = match compute(&loaded, &renderer, at, Some(&text)) {
            Ok(artifacts) => artifacts.plan_json,
            Err(e) => {
                out.push(Diagnostic::error(&plan_file, 1, 1, "", format!("{e:#}; run `{build_cmd}`")));
                continue;
            }
        };
        if expected != text {
            let line = first_difference(&expected, &text);
            out.push(Diagnostic::error(
                &plan_file,
                line,
                1,
                "",
                format!(
                    "edited by hand: line {line} differs from what `handoff build` writes for revision {}; run `{build_cmd}` to restore it",
                    last.map_or(0, |r| r.revision)
                ),
            ));
        }
    }
    out.extend(orphans(plans_dir, &covered, briefs.is_empty())?);
    Ok(out)
}

/// Plans in `plans_dir` whose brief is gone. With explicit briefs, only plans whose recorded
/// brief path no longer exists count; with the default set, also plans no brief in `briefs/`
/// claims.
fn orphans(plans_dir: &Path, covered: &BTreeSet<PathBuf>, default_set: bool) -> Result<Vec<Diagnostic>> {
    let entries = match fs::read_dir(plans_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", plans_dir.display())),
    };
    let mut plans: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("plan-") && n.ends_with(".json"))
        })
        .collect();
    plans.sort();
    let mut out = Vec::new();
    for plan_file in plans {
        if covered.contains(&plan_file) {
            continue;
        }
        let recorded = fs::read_to_string(&plan_file)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v.pointer("/brief/path").and_then(|p| p.as_str()).map(PathBuf::from));
        let gone = recorded.as_ref().is_none_or(|p| !p.exists());
        if gone || default_set {
            let what = match &recorded {
                Some(p) if gone => format!("its brief {} is gone", p.display()),
                Some(p) => format!("no brief in briefs/ has its id (it was built from {})", p.display()),
                None => "it names no brief".to_owned(),
            };
            out.push(Diagnostic::error(
                &plan_file,
                1,
                1,
                "brief.path",
                format!("orphaned plan: {what}; delete {} or restore the brief", plan_file.display()),
            ));
        }
    }
    Ok(out)
}

/// Schema problems of a plan file, each at its line and column in the JSON.
#[must_use]
pub fn plan_schema_problems(file: &Path, text: &str) -> Vec<Diagnostic> {
    let (value, positions) = match load_yaml_value(file, text) {
        Ok(v) => v,
        Err(diagnostics) => return diagnostics,
    };
    crate::schema::validate_plan_value(&value)
        .into_iter()
        .map(|e| {
            let (line, column) = positions.locate(&e.pointer);
            Diagnostic {
                file: file.to_path_buf(),
                line,
                column,
                path: crate::brief::yaml::field_path(&e.pointer),
                message: e.message,
                severity: Severity::Error,
            }
        })
        .collect()
}

fn first_difference(a: &str, b: &str) -> usize {
    a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or_else(|| a.lines().count().min(b.lines().count())) + 1
}
