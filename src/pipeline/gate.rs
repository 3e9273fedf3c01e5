//! The pull-request gate behind `handoff check`: plans are valid, present, up to date with their
//! briefs, not edited by hand, and not orphaned.
//!
//! "Not edited by hand" is decided in two steps. The revisions must form an intact hash chain
//! (`plan::verify_chain`, which names the first broken revision); then the plan `build` would
//! write for the brief as it is now, continuing those revisions, must equal the file byte for
//! byte. Anyone can recompute a chain, so with `--base REF` the revisions the plan had at that
//! git ref must also be kept, unchanged, at the start of its revisions now. Each brief's model
//! is built once (for its risks and for the plan), and the documents are never rendered: the
//! plan does not depend on them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use jiff::Timestamp;

use serde_json::Value;

use super::{LoadedBrief, display_path, plan_path};
use crate::brief::yaml::{Positions, load_yaml_value, read_source};
use crate::diag::{Diagnostic, Rule, field_path};
use crate::model::Model;
use crate::plan::{ChainBreak, Plan, Revision};

/// Every problem `check` finds, in brief order then orphans; with `risks_at`, also the design
/// risks of every valid brief (as of that time) as warnings; with `base`, also every plan whose
/// revisions at that git ref are not kept unchanged.
///
/// # Errors
/// A directory of briefs or the plans directory cannot be read for a reason other than absence;
/// `base` is not a commit, or git cannot be run.
pub(crate) fn check(
    briefs: &[PathBuf],
    plans_dir: &Path,
    max_bytes: u64,
    risks_at: Option<Timestamp>,
    base: Option<&str>,
) -> Result<Vec<Diagnostic>> {
    let paths = super::brief_paths(briefs)?;
    // Briefs on every core; their findings in brief order whatever thread finished first.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = super::parallel::map(&paths, &done, |path| one_brief(path, plans_dir, max_bytes, risks_at, base))?;
    let mut out = Vec::new();
    let mut covered: BTreeSet<PathBuf> = BTreeSet::new();
    // Briefs that exist but do not load: their plans are not orphans, the brief's own errors say
    // what is wrong.
    let mut unloaded: BTreeSet<String> = BTreeSet::new();
    for (path, outcome) in paths.iter().zip(outcomes) {
        let outcome = outcome?;
        match outcome.plan_file {
            Some(plan_file) => {
                covered.insert(plan_file);
            }
            None => {
                unloaded.insert(display_path(path));
            }
        }
        out.extend(outcome.diagnostics);
    }
    out.extend(orphans(plans_dir, &covered, &unloaded, briefs.is_empty(), max_bytes)?);
    Ok(out)
}

/// What `check` found for one brief.
struct Outcome {
    /// Its problems and risks, in the order reported.
    diagnostics: Vec<Diagnostic>,
    /// The plan file it claims; `None` when the brief did not load.
    plan_file: Option<PathBuf>,
}

/// Every check of one brief: it loads, its risks (with `risks_at`), its plan, its history at
/// `base`.
fn one_brief(
    path: &Path,
    plans_dir: &Path,
    max_bytes: u64,
    risks_at: Option<Timestamp>,
    base: Option<&str>,
) -> Result<Outcome> {
    let loaded = match super::load(path, max_bytes) {
        Ok(loaded) => loaded,
        Err(diagnostics) => return Ok(Outcome { diagnostics, plan_file: None }),
    };
    let mut out = Vec::new();
    // The brief's one model: built now for its risks, or only once a plan is compared.
    let mut model = risks_at.map(|now| super::model(&loaded, now));
    if let Some(model) = &model {
        out.extend(super::risks(&loaded, model));
    }
    let plan_file = plan_path(plans_dir, &loaded.brief.id);
    out.extend(compare(&loaded, &plan_file, plans_dir, max_bytes, &mut model));
    if let Some(base) = base {
        out.extend(against_base(&loaded, &plan_file, base, max_bytes)?);
    }
    Ok(Outcome { diagnostics: out, plan_file: Some(plan_file) })
}

/// The problems of one brief's plan: missing, invalid, stale, or not what `build` writes.
/// `model` is the brief's model when already built; it is built (at the last revision's time)
/// only when the plan is compared.
fn compare(
    loaded: &LoadedBrief,
    plan_file: &Path,
    plans_dir: &Path,
    max_bytes: u64,
    model: &mut Option<Model>,
) -> Vec<Diagnostic> {
    let path = &loaded.path;
    let build_cmd = format!("handoff build {} --plans-dir {}", display_path(path), plans_dir.display());
    let text = match read_plan(plan_file, max_bytes) {
        Ok(text) => text,
        Err(_) if fs::symlink_metadata(plan_file).is_err() => {
            let (line, column) = loaded.locate("/id");
            let message = format!("brief `{}` has no plan {}; run `{build_cmd}`", loaded.brief.id, plan_file.display());
            return vec![Diagnostic::error(path, line, column, "id", message).with_rule(Rule::PlanMissing)];
        }
        Err(problems) => return problems.into_iter().map(|d| d.with_rule(Rule::PlanInvalid)).collect(),
    };
    if up_to_date(loaded, &text, model) {
        return Vec::new();
    }
    // Something is wrong: find what, in order, with the positions of the plan's values.
    let positions = match plan_positions(plan_file, &text) {
        Ok(positions) => positions,
        Err(problems) => return problems,
    };
    let plan: Plan = match serde_json::from_str(&text) {
        Ok(plan) => plan,
        Err(e) => {
            let message = format!("not a plan: {e}; run `{build_cmd}`");
            return vec![Diagnostic::error(plan_file, e.line(), e.column(), "", message).with_rule(Rule::PlanInvalid)];
        }
    };
    match crate::plan::verify_chain(&plan.revisions) {
        Ok(()) => {}
        Err(ChainBreak::Unchained) => {
            let (line, column) = positions.locate("/revisions");
            let message = format!(
                "unchained: {}; run `{build_cmd}` once to chain the history as it stands",
                ChainBreak::Unchained.describe()
            );
            return vec![Diagnostic::error(plan_file, line, column, "revisions", message).with_rule(Rule::PlanStale)];
        }
        Err(broken @ ChainBreak::Broken { index, field, .. }) => {
            let pointer = format!("/revisions/{index}/{field}");
            let (line, column) = positions.locate(&pointer);
            let message = format!(
                "history broken at {}; revisions are append-only: restore the plan from version control, then run `{build_cmd}`",
                broken.describe()
            );
            return vec![
                Diagnostic::error(plan_file, line, column, field_path(&pointer), message).with_rule(Rule::PlanEdited),
            ];
        }
    }
    let sha = crate::plan::sha256_hex(loaded.source.as_bytes());
    let last = plan.revisions.last();
    let revision = last.map_or(0, |r| r.revision);
    if last.map(|r| r.brief_sha256.as_str()) != Some(sha.as_str()) {
        // At the SHA-256 of the last revision: the value that no longer matches.
        let pointer = format!("/revisions/{}/brief_sha256", plan.revisions.len().saturating_sub(1));
        let (line, column) = positions.locate(&pointer);
        let message = format!(
            "stale: {} changed since plan revision {revision} was built; run `{build_cmd}`",
            display_path(path)
        );
        return vec![
            Diagnostic::error(plan_file, line, column, field_path(&pointer), message).with_rule(Rule::PlanStale),
        ];
    }
    // Regenerate continuing the recorded revisions and compare byte for byte. The brief is
    // unchanged since the last revision, so no revision is added and the build time does not
    // show in the plan: the model built for the risks serves.
    let model = model.get_or_insert_with(|| super::model(loaded, last_revision_time(&plan)));
    let expected = match super::plan(loaded, model, Some(&text)) {
        Ok(plan) => plan.json,
        Err(e) => return vec![Diagnostic::error(plan_file, 1, 1, "", format!("{e:#}; run `{build_cmd}`"))],
    };
    if expected == text {
        return Vec::new();
    }
    let line = first_difference(&expected, &text);
    let message = format!(
        "edited by hand: line {line} differs from what `handoff build` writes for revision {revision}; run `{build_cmd}` to restore it"
    );
    vec![Diagnostic::error(plan_file, line, 1, "", message).with_rule(Rule::PlanEdited)]
}

/// The common case, without the plan's source positions (a second parse of the file, only
/// needed to place a problem): the plan is JSON satisfying the plan schema, its history is an
/// intact chain ending at the brief as it is, and it is byte for byte what `build` writes.
/// `false` says only that [`compare`] must look closer.
fn up_to_date(loaded: &LoadedBrief, text: &str, model: &mut Option<Model>) -> bool {
    use serde::Deserialize as _;
    let Ok(value) = serde_json::from_str::<Value>(text) else { return false };
    if !crate::schema::validate_plan_value(&value).is_empty() {
        return false;
    }
    let Ok(plan) = Plan::deserialize(&value) else { return false };
    let sha = crate::plan::sha256_hex(loaded.source.as_bytes());
    let last = plan.revisions.last();
    if crate::plan::verify_chain(&plan.revisions).is_err()
        || last.map(|r| r.brief_sha256.as_str()) != Some(sha.as_str())
    {
        return false;
    }
    let model = model.get_or_insert_with(|| super::model(loaded, last_revision_time(&plan)));
    super::plan(loaded, model, Some(text)).is_ok_and(|expected| expected.json == text)
}

/// When the plan's last revision was built: the time a model regenerating it is built at (the
/// brief is unchanged since, so no revision is added and the time shows nowhere in the plan).
fn last_revision_time(plan: &Plan) -> Timestamp {
    plan.revisions.last().and_then(|r| r.at.parse().ok()).unwrap_or(Timestamp::UNIX_EPOCH)
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
    let mut plans: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| super::is_plan(p)).collect();
    plans.sort();
    let mut out = Vec::new();
    for plan_file in plans {
        if covered.contains(&plan_file) {
            continue;
        }
        let (value, positions) = match read_plan(&plan_file, max_bytes).and_then(|text| plan_value(&plan_file, &text)) {
            Ok(parsed) => parsed,
            Err(problems) => {
                // Unreadable or not JSON: say so rather than guess whether its brief is gone.
                out.extend(problems.into_iter().map(|d| d.with_rule(Rule::PlanInvalid)));
                continue;
            }
        };
        let recorded = value.pointer("/brief/path").and_then(|p| p.as_str()).map(PathBuf::from);
        let (line, column) = positions.locate("/brief/path");
        if recorded.as_ref().is_some_and(|p| unloaded.contains(&display_path(p))) {
            continue;
        }
        let outside = recorded.as_ref().is_some_and(|p| !inside_project(p));
        let gone = recorded.as_ref().is_none_or(|p| !p.is_file());
        if outside || gone || default_set {
            let what = match &recorded {
                Some(p) if outside => {
                    format!("its brief path {} is outside the project (not a relative path below it)", p.display())
                }
                Some(p) if gone => format!("its brief {} is gone", p.display()),
                Some(p) => format!("no brief in briefs/ has its id (it was built from {})", p.display()),
                None => "it names no brief".to_owned(),
            };
            let message = format!("orphaned plan: {what}; delete {} or restore the brief", plan_file.display());
            out.push(Diagnostic::error(&plan_file, line, column, "brief.path", message).with_rule(Rule::PlanOrphaned));
        }
    }
    Ok(out)
}

/// A path a plan may record as its brief: relative, and never climbing out with `..` (`build`
/// records briefs inside the working directory relative to it).
fn inside_project(path: &Path) -> bool {
    path.is_relative() && path.components().all(|c| !matches!(c, std::path::Component::ParentDir))
}

/// The text of a plan file; a FIFO, device or directory is refused without being opened (a
/// FIFO would block the read forever).
///
/// # Errors
/// A diagnostic under the `plan-invalid` rule.
pub(crate) fn read_plan(file: &Path, max_bytes: u64) -> Result<String, Vec<Diagnostic>> {
    if fs::metadata(file).is_ok_and(|m| !m.is_file()) {
        let message =
            "not a regular file (a FIFO, device or directory); a plan is the JSON file `handoff build` writes";
        return Err(vec![Diagnostic::error(file, 0, 0, "", message).with_rule(Rule::PlanInvalid)]);
    }
    read_source(file, max_bytes).map_err(|d| d.into_iter().map(|d| d.with_rule(Rule::PlanInvalid)).collect())
}

/// A plan's JSON value and the positions of its values, with a plan's words for an empty file
/// and for text that is not JSON (the YAML loader, which gives the positions, would talk of
/// briefs and YAML).
///
/// # Errors
/// Located diagnostics under the `plan-invalid` rule.
pub(crate) fn plan_value(file: &Path, text: &str) -> Result<(Value, Positions), Vec<Diagnostic>> {
    let fail = |line: usize, column: usize, message: String| {
        vec![Diagnostic::error(file, line.max(1), column.max(1), "", message).with_rule(Rule::PlanInvalid)]
    };
    if text.trim().is_empty() {
        return Err(fail(1, 1, "the plan file is empty; a plan is the JSON object `handoff build` writes".to_owned()));
    }
    if let Err(e) = serde_json::from_str::<Value>(text) {
        let what = e.to_string();
        // serde_json ends its message with the position, which the diagnostic already shows.
        let what = what.rsplit_once(" at line ").map_or(what.as_str(), |(head, _)| head);
        return Err(fail(
            e.line(),
            e.column(),
            format!("not valid JSON: {what}; a plan is the JSON `handoff build` writes"),
        ));
    }
    load_yaml_value(file, text).map_err(|d| d.into_iter().map(|d| d.with_rule(Rule::PlanInvalid)).collect())
}

/// With `check --base REF`: the revisions the plan had at `base` must be the first revisions
/// it has now, unchanged (nothing to compare when the plan did not exist there, or does not
/// parse now: `compare` reports that).
///
/// # Errors
/// `base` is not a commit, or git cannot be run.
fn against_base(loaded: &LoadedBrief, plan_file: &Path, base: &str, max_bytes: u64) -> Result<Vec<Diagnostic>> {
    /// Only the history of a plan, whatever else its version had.
    #[derive(serde::Deserialize)]
    struct History {
        revisions: Vec<Revision>,
    }
    let Ok(text) = read_plan(plan_file, max_bytes) else { return Ok(Vec::new()) };
    let (Ok(now), Ok((_, positions))) = (serde_json::from_str::<History>(&text), plan_value(plan_file, &text)) else {
        return Ok(Vec::new());
    };
    let Some(bytes) = crate::git::show(base, plan_file).with_context(|| format!("--base {base}"))? else {
        return Ok(Vec::new());
    };
    let then = match serde_json::from_slice::<History>(&bytes) {
        Ok(then) => then,
        Err(e) => {
            let message = format!("the plan at {base} is not a plan ({e}), so its history cannot be compared");
            return Ok(vec![Diagnostic::error(plan_file, 1, 1, "", message).with_rule(Rule::PlanInvalid)]);
        }
    };
    let Some((index, field)) = crate::plan::first_rewritten(&then.revisions, &now.revisions) else {
        return Ok(Vec::new());
    };
    let pointer = if field == "revisions" { "/revisions".to_owned() } else { format!("/revisions/{index}/{field}") };
    let (line, column) = positions.locate(&pointer);
    let what = if field == "revisions" {
        format!("has {} revisions where {base} recorded {}", now.revisions.len(), then.revisions.len())
    } else {
        format!("changed revision {} ({field}) that {base} recorded", index + 1)
    };
    let message = format!(
        "rewritten history: the plan of {} {what}; revisions are append-only: restore them from {base}, then run `handoff build`",
        display_path(&loaded.path)
    );
    Ok(vec![Diagnostic::error(plan_file, line, column, field_path(&pointer), message).with_rule(Rule::PlanEdited)])
}

/// The positions of a plan's values when it parses and satisfies the plan schema; otherwise
/// every problem, located at its value in the schema's order, under the `plan-invalid` rule.
fn plan_positions(file: &Path, text: &str) -> Result<Positions, Vec<Diagnostic>> {
    let (value, positions) = plan_value(file, text)
        .map_err(|d| d.into_iter().map(|d| d.with_rule(Rule::PlanInvalid)).collect::<Vec<_>>())?;
    let problems: Vec<Diagnostic> = crate::schema::validate_plan_value(&value)
        .into_iter()
        .map(|p| {
            let (line, column) = positions.locate(&p.pointer);
            Diagnostic::error(file, line, column, field_path(&p.pointer), p.message).with_rule(Rule::PlanInvalid)
        })
        .collect();
    if problems.is_empty() { Ok(positions) } else { Err(problems) }
}

/// The 1-based line where two texts first differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or_else(|| a.lines().count().min(b.lines().count())) + 1
}
