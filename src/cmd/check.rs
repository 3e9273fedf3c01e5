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
use jiff::Timestamp;

use crate::brief::yaml::{Positions, load_brief, load_yaml_value};
use crate::cli::CheckArgs;
use crate::cmd::build::{compute, display_path, plan_path};
use crate::plan::{self, Plan};
use crate::render::Renderer;
use crate::report::{self, Diagnostic, Format, Severity, Sources};

/// Run `handoff check`.
///
/// # Errors
/// The plans directory or a plan cannot be read for a reason other than absence; a bad
/// `SOURCE_DATE_EPOCH`; stdout could not be written.
pub fn run(args: &CheckArgs) -> Result<bool> {
    let format = Format::from_env(args.format.map(Into::into));
    // Risks such as past-due enablement depend on the day: the same time `build` would use.
    let now = if args.no_risks { None } else { Some(super::build::build_time(None)?) };
    let diagnostics = check(&args.briefs, &args.plans_dir, args.max_bytes, now)?;
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    let summary = match (errors, warnings) {
        (0, 0) => "every plan is valid and up to date".to_owned(),
        (0, w) => format!("every plan is valid and up to date; {}", plural(w, "warning")),
        (e, w) => format!("check failed: {}, {}", plural(e, "error"), plural(w, "warning")),
    };
    let sources = if matches!(format, Format::Json | Format::Sarif) {
        Sources::new()
    } else {
        Sources::read(&diagnostics, args.max_bytes)
    };
    report::emit_to_stdio(&diagnostics, &summary, format, &sources)?;
    Ok(errors == 0 && (warnings == 0 || !args.deny_warnings))
}

/// Every problem `check` finds, in brief order then orphans; with `risks_at`, also the design
/// risks of every valid brief (as of that time) as warnings.
///
/// # Errors
/// I/O errors other than a missing plan.
pub fn check(
    briefs: &[PathBuf],
    plans_dir: &Path,
    max_bytes: u64,
    risks_at: Option<Timestamp>,
) -> Result<Vec<Diagnostic>> {
    let renderer = Renderer::new(None)?;
    let paths = super::brief_paths(briefs)?;
    let mut out = Vec::new();
    let mut covered: BTreeSet<PathBuf> = BTreeSet::new();
    // Briefs that exist but do not load: their plans are not orphans, the brief's own errors say
    // what is wrong.
    let mut unloaded: BTreeSet<String> = BTreeSet::new();
    for path in &paths {
        let loaded = match load_brief(path, max_bytes) {
            Ok(loaded) => loaded,
            Err(diagnostics) => {
                out.extend(diagnostics);
                unloaded.insert(display_path(path));
                continue;
            }
        };
        if let Some(now) = risks_at {
            out.extend(super::validate::risk_warnings(&loaded, now));
        }
        let plan_file = plan_path(plans_dir, &loaded.brief.id);
        covered.insert(plan_file.clone());
        let build_cmd = format!("handoff build {} --plans-dir {}", display_path(path), plans_dir.display());
        let text = match crate::brief::yaml::read_source(&plan_file, max_bytes) {
            Ok(text) => text,
            Err(_) if !plan_file.exists() => {
                let (line, column) = loaded.locate("/id");
                out.push(
                    Diagnostic::error(
                        path,
                        line,
                        column,
                        "id",
                        format!("brief `{}` has no plan {}; run `{build_cmd}`", loaded.brief.id, plan_file.display()),
                    )
                    .with_rule("plan-missing"),
                );
                continue;
            }
            Err(problems) => {
                out.extend(problems.into_iter().map(|d| d.with_rule("plan-invalid")));
                continue;
            }
        };
        let positions = match plan_positions(&plan_file, &text) {
            Ok(positions) => positions,
            Err(problems) => {
                out.extend(problems);
                continue;
            }
        };
        let plan: Plan = match serde_json::from_str(&text) {
            Ok(plan) => plan,
            Err(e) => {
                out.push(
                    Diagnostic::error(
                        &plan_file,
                        e.line(),
                        e.column(),
                        "",
                        format!("not a plan: {e}; run `{build_cmd}`"),
                    )
                    .with_rule("plan-invalid"),
                );
                continue;
            }
        };
        let sha = plan::sha256_hex(loaded.source.as_bytes());
        let last = plan.revisions.last();
        if last.map(|r| r.brief_sha256.as_str()) != Some(sha.as_str()) {
            // At the SHA-256 of the last revision: the value that no longer matches.
            let pointer = format!("/revisions/{}/brief_sha256", plan.revisions.len().saturating_sub(1));
            let (line, column) = positions.locate(&pointer);
            out.push(
                Diagnostic::error(
                    &plan_file,
                    line,
                    column,
                    crate::brief::yaml::field_path(&pointer),
                    format!(
                        "stale: {} changed since plan revision {} was built; run `{build_cmd}`",
                        display_path(path),
                        last.map_or(0, |r| r.revision)
                    ),
                )
                .with_rule("plan-stale"),
            );
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
            )
            .with_rule("plan-edited"));
        }
    }
    out.extend(orphans(plans_dir, &covered, &unloaded, briefs.is_empty(), max_bytes)?);
    Ok(out)
}

/// Plans in `plans_dir` whose brief is gone. With explicit briefs, only plans whose recorded
/// brief path no longer exists count; with the default set, also plans no brief in `briefs/`
/// claims.
fn orphans(
    plans_dir: &Path,
    covered: &BTreeSet<PathBuf>,
    unloaded: &BTreeSet<String>,
    default_set: bool,
    max_bytes: u64,
) -> Result<Vec<Diagnostic>> {
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
        let parsed = match crate::brief::yaml::read_source(&plan_file, max_bytes)
            .and_then(|text| load_yaml_value(&plan_file, &text))
        {
            Ok(parsed) => Some(parsed),
            Err(problems) => {
                // Unreadable or not JSON: say so rather than guess whether its brief is gone.
                out.extend(problems.into_iter().map(|d| d.with_rule("plan-invalid")));
                continue;
            }
        };
        let recorded =
            parsed.as_ref().and_then(|(v, _)| v.pointer("/brief/path").and_then(|p| p.as_str()).map(PathBuf::from));
        let (line, column) = parsed.as_ref().map_or((1, 1), |(_, positions)| positions.locate("/brief/path"));
        if recorded.as_ref().is_some_and(|p| unloaded.contains(&display_path(p))) {
            continue;
        }
        let gone = recorded.as_ref().is_none_or(|p| !p.exists());
        if gone || default_set {
            let what = match &recorded {
                Some(p) if gone => format!("its brief {} is gone", p.display()),
                Some(p) => format!("no brief in briefs/ has its id (it was built from {})", p.display()),
                None => "it names no brief".to_owned(),
            };
            out.push(
                Diagnostic::error(
                    &plan_file,
                    line,
                    column,
                    "brief.path",
                    format!("orphaned plan: {what}; delete {} or restore the brief", plan_file.display()),
                )
                .with_rule("plan-orphaned"),
            );
        }
    }
    Ok(out)
}

/// Schema problems of a plan file, each at its line and column in the JSON.
#[must_use]
pub fn plan_schema_problems(file: &Path, text: &str) -> Vec<Diagnostic> {
    plan_positions(file, text).err().unwrap_or_default()
}

/// The positions of a plan's values when it parses and satisfies the plan schema; otherwise
/// every problem, located, under the `plan-invalid` rule.
fn plan_positions(file: &Path, text: &str) -> Result<Positions, Vec<Diagnostic>> {
    let (value, positions) = load_yaml_value(file, text)
        .map_err(|d| d.into_iter().map(|d| d.with_rule("plan-invalid")).collect::<Vec<_>>())?;
    let problems: Vec<Diagnostic> = crate::schema::validate_plan_value(&value)
        .into_iter()
        .map(|e| {
            let (line, column) = positions.locate(&e.pointer);
            Diagnostic::error(file, line, column, crate::brief::yaml::field_path(&e.pointer), e.message)
                .with_rule("plan-invalid")
        })
        .collect();
    if problems.is_empty() { Ok(positions) } else { Err(problems) }
}

fn first_difference(a: &str, b: &str) -> usize {
    a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or_else(|| a.lines().count().min(b.lines().count())) + 1
}
