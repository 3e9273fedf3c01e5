//! The steps the commands share: `load → model → plan → documents`, each called as a command
//! needs it.
//!
//! `build` runs them all and `write()`s the result; `check` loads, builds each model once, and
//! compares plans without rendering (the plan does not depend on the documents); `validate
//! --risks` loads and builds the model for its risks. The commands only parse arguments, call
//! these steps and choose the output, so tests and benches reach the same code without going
//! through a command.

mod load;
pub(crate) mod parallel;

pub(crate) mod gate;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use jiff::Timestamp;

pub use self::load::{LoadedBrief, load, load_text};
use crate::diag::{Diagnostic, field_path};
use crate::model::{self, Model};
use crate::plan::{self, Plan};
use crate::render::{Rendered, Renderer};
use crate::{output, schema};

/// The `model` step: enrich a loaded brief as of `now` (which decides what is past due). The
/// one place `model::build` is called. It cannot fail: validation has checked every value.
pub(crate) fn model(loaded: &LoadedBrief, now: Timestamp) -> Model {
    model::build(&model::Inputs {
        brief: &loaded.checked,
        path: display_path(&loaded.path),
        sha256: plan::sha256_hex(loaded.source.as_bytes()),
        now,
    })
}

/// A plan and its text, as `build` writes it and `check` compares it.
#[derive(Debug)]
pub(crate) struct PlanFile {
    /// The plan.
    pub(crate) plan: Plan,
    /// The plan as written to its file.
    pub(crate) json: String,
}

/// The `plan` step: the plan of `model`, continuing the revisions of `previous` (the current
/// text of its plan file, if any).
///
/// # Errors
/// The previous plan is not a plan, or its revisions are broken.
pub(crate) fn plan(loaded: &LoadedBrief, model: &Model, previous: Option<&str>) -> Result<PlanFile> {
    let plan = plan::build(model, &loaded.value, previous)?;
    let json = plan::to_json(&plan)?;
    Ok(PlanFile { plan, json })
}

/// The `documents` step: every document of the model, rendered.
///
/// # Errors
/// A template failure.
pub(crate) fn documents(renderer: &Renderer, model: &Model) -> Result<Vec<Rendered>> {
    renderer.render(model)
}

/// Everything `build` would write for one brief, computed in memory.
#[derive(Debug)]
pub struct Artifacts {
    /// The Model.
    pub model: Model,
    /// The plan text.
    pub plan_json: String,
    /// The plan.
    pub plan: Plan,
    /// Rendered documents.
    pub documents: Vec<Rendered>,
}

/// Every step after `load`, without writing anything. `previous_plan` is the current content of
/// the brief's plan file, if any.
///
/// # Errors
/// A model, plan or template failure.
pub fn compute(
    loaded: &LoadedBrief,
    renderer: &Renderer,
    now: Timestamp,
    previous_plan: Option<&str>,
) -> Result<Artifacts> {
    let model = model(loaded, now);
    let PlanFile { plan, json } = plan(loaded, &model, previous_plan)?;
    let documents = documents(renderer, &model)?;
    Ok(Artifacts { model, plan_json: json, plan, documents })
}

/// What [`write()`] wrote for one brief.
#[derive(Debug)]
pub(crate) struct Written {
    /// The brief's output directory (`<out>/<id>`).
    pub(crate) dir: PathBuf,
    /// The plan's last revision number.
    pub(crate) revision: u32,
}

/// Compute everything for a loaded brief, then write its plan into `plans_dir` and its documents
/// into `out/<id>/` as one set: all staged, then renamed, the plan first. The model and the
/// documents (which do not depend on the plan's history) are computed first, outside any lock,
/// so briefs build side by side; the plan's revisions are then read, extended and written under
/// the plans folder's lock, so concurrent builds append in turn. The plan goes first so that no
/// document ever shows a version of the brief the plan has no revision for: a failure while
/// staging changes no file, and a build killed between the renames leaves documents one
/// revision behind a plan that records both.
///
/// # Errors
/// An id that is not a safe file name, a model, plan or template failure, or an I/O error.
pub(crate) fn write(
    loaded: &LoadedBrief,
    renderer: &Renderer,
    now: Timestamp,
    out: &Path,
    plans_dir: &Path,
) -> Result<Written> {
    let id = &loaded.brief.id;
    ensure_safe_id(id)?;
    let model = model(loaded, now);
    // A template failure is reported after a broken previous plan, as when it was rendered second.
    let documents = documents(renderer, &model);
    let dir = out.join(&model.brief.id);
    let mut revision = None;
    let plan_file = plan_path(plans_dir, id);
    output::update_locked(&plan_file, |previous| {
        let PlanFile { plan, json } = plan(loaded, &model, previous.as_deref())?;
        revision = Some(plan.revisions.last().map_or(0, |r| r.revision));
        let mut files = vec![(plan_file.clone(), json.into_bytes())];
        files.extend(documents?.into_iter().map(|doc| (dir.join(&doc.name), doc.content.into_bytes())));
        Ok(files)
    })?;
    let revision = revision.ok_or_else(|| anyhow!("internal error: the build produced nothing"))?;
    Ok(Written { dir: out.join(id), revision })
}

/// Ids name directories and files: refuse anything that could leave the output directory,
/// even if the schema was bypassed.
fn ensure_safe_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 63
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        bail!("id `{}` is not a safe file name (expected ^[a-z0-9][a-z0-9-]{{0,62}}$)", id.escape_debug())
    }
}

/// The design risks of a brief as warnings at the positions they are about: every risk the
/// model found (high ones too: they are risks of the design, not invalid input), in the file's
/// order.
pub(crate) fn risks(loaded: &LoadedBrief, model: &Model) -> Vec<Diagnostic> {
    let mut warnings: Vec<Diagnostic> = crate::render::words::risk_lines(&model.risks)
        .iter()
        .map(|risk| {
            let (line, column) = loaded.locate(&risk.pointer);
            Diagnostic::warning(
                &loaded.path,
                line,
                column,
                field_path(&risk.pointer),
                crate::render::words::risk_warning(risk),
                risk.area.rule(),
            )
        })
        .collect();
    // In the file's order, like every other diagnostic (the model sorts by severity).
    warnings.sort_by_key(|d| (d.line, d.column));
    warnings
}

/// What `validate` checks in one file: a plan's schema when it ends in `.json`, otherwise a
/// brief (and, with `risks_at`, its design risks as of that time when it is valid).
#[must_use]
pub(crate) fn check_file(path: &Path, max_bytes: u64, risks_at: Option<Timestamp>) -> Vec<Diagnostic> {
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        return match gate::read_plan(path, max_bytes).and_then(|text| gate::plan_value(path, &text)) {
            Ok((value, positions)) => positions.diagnostics(path, schema::validate_plan_value(&value)),
            // `validate` reports every problem under one rule.
            Err(d) => d.into_iter().map(|d| d.with_rule(crate::diag::Rule::InvalidInput)).collect(),
        };
    }
    match load(path, max_bytes) {
        Ok(loaded) => risks_at.map_or_else(Vec::new, |now| risks(&loaded, &model(&loaded, now))),
        Err(d) => d,
    }
}

/// The default folder of briefs.
pub(crate) const BRIEFS_DIR: &str = "briefs";

/// Brief files named on the command line, with directories walked for `*.yaml`/`*.yml`; the
/// `briefs/` folder when none is named. Sorted, so output order does not depend on the file
/// system.
///
/// # Errors
/// A directory that cannot be walked.
pub(crate) fn brief_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let defaults = [PathBuf::from(BRIEFS_DIR)];
    let roots: &[PathBuf] = if paths.is_empty() { &defaults } else { paths };
    let mut found = Vec::new();
    for root in roots {
        if root.is_dir() {
            for entry in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
                let entry = entry.with_context(|| format!("cannot walk {}", root.display()))?;
                if entry.file_type().is_file() && is_yaml(entry.path()) {
                    found.push(entry.into_path());
                }
            }
        } else if root.exists() || !paths.is_empty() {
            // A named file is taken as is (a missing one is reported when it is read).
            found.push(root.clone());
        }
    }
    Ok(found)
}

/// A brief by its extension: `.yaml` or `.yml`.
pub(crate) fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// A plan by its name: `plan-*.json`.
pub(crate) fn is_plan(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("plan-") && n.ends_with(".json"))
}

/// The plan file of a brief id.
#[must_use]
pub(crate) fn plan_path(plans_dir: &Path, id: &str) -> PathBuf {
    plans_dir.join(format!("plan-{id}.json"))
}

/// The build time: `--now` (RFC 3339, or a date for its midnight UTC), else `SOURCE_DATE_EPOCH`
/// (seconds), else the clock, in whole seconds.
///
/// # Errors
/// A `--now` or `SOURCE_DATE_EPOCH` that does not parse.
pub(crate) fn build_time(now: Option<&str>) -> Result<Timestamp> {
    if let Some(text) = now {
        let parsed = parse_now(text).with_context(|| {
            format!("--now: `{text}` is not a time; expected RFC 3339 such as 2027-01-15T09:00:00Z")
        })?;
        return parsed.ok_or_else(|| {
            anyhow!("--now: `{text}` is outside the years handoff plans for; expected a time from {FIRST_NOW} to {LAST_NOW} (UTC)")
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 =
            epoch.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH: `{epoch}` is not a number of seconds"))?;
        return Timestamp::from_second(secs).with_context(|| format!("SOURCE_DATE_EPOCH: `{epoch}` is out of range"));
    }
    // Whole seconds: the plan and the packet show the time, and nobody needs its nanoseconds.
    let now = Timestamp::now();
    Ok(Timestamp::from_second(now.as_second()).unwrap_or(now))
}

/// The years a build time may fall in: the plan records it as an RFC 3339 time and due dates
/// are compared with it, so it keeps to the launch dates validation accepts (issue 13:
/// `--now 9999-12-31T23:59:59Z`, past jiff's last instant, was "not a time").
const FIRST_NOW: jiff::civil::Date = jiff::civil::date(1970, 1, 1);
const LAST_NOW: jiff::civil::Date = jiff::civil::date(9000, 12, 31);

/// `--now` as an instant; `Ok(None)` when it is well formed but outside
/// [`FIRST_NOW`]..=[`LAST_NOW`].
fn parse_now(text: &str) -> Result<Option<Timestamp>> {
    let ts = if let Ok(ts) = text.parse::<Timestamp>() {
        ts
    } else if let Ok(date) = text.parse::<jiff::civil::Date>() {
        // A bare date means midnight UTC of that day.
        match date.to_zoned_datetime(jiff::tz::TimeZone::UTC) {
            Ok(z) => z.timestamp(),
            Err(_) => return Ok(None),
        }
    } else if jiff::fmt::temporal::Pieces::parse(text).is_ok() {
        // Well formed, but outside the instants jiff can hold.
        return Ok(None);
    } else {
        // Neither: say why as an RFC 3339 time.
        return Err(text.parse::<Timestamp>().map_err(anyhow::Error::from).err().unwrap_or_else(|| anyhow!("")));
    };
    let day = jiff::tz::TimeZone::UTC.to_datetime(ts).date();
    Ok((FIRST_NOW..=LAST_NOW).contains(&day).then_some(ts))
}

/// A path as recorded in plans: relative to the working directory when it is inside it, with
/// forward slashes, so plans read the same on every machine.
#[must_use]
pub(crate) fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_takes_a_time_or_a_date() {
        assert_eq!(build_time(Some("2027-01-15T09:00:00Z")).unwrap().to_string(), "2027-01-15T09:00:00Z");
        assert_eq!(build_time(Some("2027-01-15")).unwrap().to_string(), "2027-01-15T00:00:00Z");
        assert!(build_time(Some("soon")).is_err());
        // Issue 13: past jiff's last instant, and outside the years plans hold.
        for late in ["9999-12-31T23:59:59Z", "9001-01-01", "1969-12-31T23:59:59Z", "0000-01-01"] {
            let e = format!("{:#}", build_time(Some(late)).unwrap_err());
            assert!(
                e.ends_with(
                    "is outside the years handoff plans for; expected a time from 1970-01-01 to 9000-12-31 (UTC)"
                ),
                "{late}: {e}"
            );
        }
        assert_eq!(build_time(Some("9000-12-31T23:59:59Z")).unwrap().to_string(), "9000-12-31T23:59:59Z");
    }

    #[test]
    fn ids_that_leave_the_output_directory_are_refused() {
        assert!(ensure_safe_id("east-sdr").is_ok());
        for id in ["", "-x", "../x", "a/b", "A"] {
            assert!(ensure_safe_id(id).is_err(), "{id}");
        }
    }
}
