//! `handoff build`: validate, enrich and render each brief, then write its documents and plan.
//!
//! Everything for a brief is computed in memory first (model, plan, every document); only then
//! are files written, each atomically. A brief that fails to load, or a template that fails to
//! render, leaves every earlier output as it was.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use jiff::Timestamp;

use crate::brief::yaml::{LoadedBrief, load_brief};
use crate::cli::BuildArgs;
use crate::report::Diagnostic;
use crate::{model, output, plan, render};

/// Default size limit for a brief file.
pub const DEFAULT_MAX_BYTES: u64 = 1024 * 1024;

/// Run `handoff build`.
///
/// # Errors
/// A bad `--now`, an unreadable templates directory or a broken template; per-brief problems
/// are printed and make the result `Ok(false)`.
pub fn run(args: &BuildArgs) -> Result<bool> {
    let renderer = render::Renderer::new(args.templates.as_deref())?;
    let briefs = super::brief_paths(&args.briefs)?;
    if briefs.is_empty() && !args.watch {
        bail!("no briefs to build: pass brief files or put *.yaml files in briefs/");
    }
    let ok = build_all(args, &renderer, &briefs)?;
    if args.watch {
        watch(args, renderer)?;
    }
    Ok(ok)
}

/// Build `briefs`, printing one line per brief; false when any failed.
fn build_all(args: &BuildArgs, renderer: &render::Renderer, briefs: &[PathBuf]) -> Result<bool> {
    let now = build_time(args.now.as_deref())?;
    let mut ok = true;
    for path in briefs {
        match build_one(path, renderer, now, &args.out, &args.plans_dir, args.max_bytes) {
            Ok(Built { id, revision, dir }) => {
                writeln!(
                    std::io::stdout(),
                    "built {} → {} (plan revision {revision})",
                    path.display(),
                    dir.join(&id).display()
                )?;
            }
            Err(BuildError::Invalid(diagnostics)) => {
                ok = false;
                for d in diagnostics {
                    eprintln!("{}", d.one_line());
                }
            }
            Err(BuildError::Failed(err)) => {
                ok = false;
                eprintln!("error: {}: {err:#}", path.display());
            }
        }
    }
    Ok(ok)
}

/// How often `--watch` looks at modification times. Polling (rather than OS notifications)
/// works the same on every file system, including network and container mounts, and a few
/// hundred files cost nothing to stat.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// What `--watch` remembers of a file: modification time and size.
type Stamp = (Option<std::time::SystemTime>, u64);

/// Rebuild whenever a brief or template changes, until the process is stopped. Problems in a
/// brief or a template are printed and the watch goes on.
fn watch(args: &BuildArgs, mut renderer: render::Renderer) -> Result<()> {
    use std::io::Write as _;
    let mut roots: Vec<PathBuf> =
        if args.briefs.is_empty() { vec![PathBuf::from(super::BRIEFS_DIR)] } else { args.briefs.clone() };
    if let Some(dir) = &args.templates {
        roots.push(dir.clone());
    }
    let mut seen = snapshot(&roots, args.templates.as_deref());
    let shown: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    println!("watching {} for changes (Ctrl-C to stop)", shown.join(", "));
    std::io::stdout().flush().ok();
    loop {
        std::thread::sleep(WATCH_INTERVAL);
        let now = snapshot(&roots, args.templates.as_deref());
        if now == seen {
            continue;
        }
        let changed: Vec<&PathBuf> = now
            .keys()
            .chain(seen.keys().filter(|k| !now.contains_key(*k)))
            .filter(|path| now.get(*path) != seen.get(*path))
            .collect();
        let in_templates = |path: &Path| args.templates.as_deref().is_some_and(|dir| path.starts_with(dir));
        let mut template_changed = false;
        let mut rebuild = Vec::new();
        for path in &changed {
            let what = match (seen.contains_key(*path), now.contains_key(*path)) {
                (false, _) => "added",
                (_, false) => "removed",
                _ => "changed",
            };
            println!("{what}: {}", path.display());
            if in_templates(path) {
                template_changed = true;
            } else if now.contains_key(*path) && (super::is_yaml(path) || args.briefs.contains(*path)) {
                rebuild.push((*path).clone());
            }
        }
        seen = now;
        if template_changed {
            match render::Renderer::new(args.templates.as_deref()) {
                Ok(fresh) => renderer = fresh,
                Err(err) => {
                    eprintln!("error: {err:#} (keeping the previous templates)");
                    std::io::stdout().flush().ok();
                    continue;
                }
            }
            rebuild = super::brief_paths(&args.briefs).unwrap_or_default();
        }
        if let Err(err) = build_all(args, &renderer, &rebuild) {
            eprintln!("error: {err:#}");
        }
        std::io::stdout().flush().ok();
    }
}

/// Modification time and size of every brief under `roots` (walked like `brief_paths`: YAML
/// files in directories, named files as they are) and every file in the templates directory.
fn snapshot(roots: &[PathBuf], templates: Option<&Path>) -> std::collections::BTreeMap<PathBuf, Stamp> {
    let mut out = std::collections::BTreeMap::new();
    for root in roots {
        let entries = walkdir::WalkDir::new(root).follow_links(true).max_depth(8).into_iter().filter_map(Result::ok);
        for entry in entries {
            if !entry.file_type().is_file() {
                continue;
            }
            // Editors write swap and backup files beside the brief; only briefs and templates count.
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            let wanted = templates == Some(root.as_path()) || entry.path() == root || super::is_yaml(entry.path());
            if !wanted {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                out.insert(entry.into_path(), (meta.modified().ok(), meta.len()));
            }
        }
    }
    out
}

/// What a successful build of one brief wrote.
#[derive(Debug)]
pub struct Built {
    /// The brief's id.
    pub id: String,
    /// The plan's last revision number.
    pub revision: u32,
    /// The output directory.
    pub dir: PathBuf,
}

/// Why one brief did not build.
#[derive(Debug)]
pub enum BuildError {
    /// The brief is invalid.
    Invalid(Vec<Diagnostic>),
    /// Something else stopped the build.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(err: anyhow::Error) -> Self {
        Self::Failed(err)
    }
}

/// Everything `build` would write for one brief, computed in memory.
#[derive(Debug)]
pub struct Artifacts {
    /// The Model.
    pub model: model::Model,
    /// The plan text.
    pub plan_json: String,
    /// The plan.
    pub plan: plan::Plan,
    /// Rendered documents.
    pub documents: Vec<render::Rendered>,
}

/// Enrich and render one loaded brief without writing anything. `previous_plan` is the current
/// content of its plan file, if any.
///
/// # Errors
/// A model, plan or template failure.
pub fn compute(
    loaded: &LoadedBrief,
    renderer: &render::Renderer,
    now: Timestamp,
    previous_plan: Option<&str>,
) -> Result<Artifacts> {
    let model = model::build(&model::Inputs {
        brief: &loaded.checked,
        path: display_path(&loaded.path),
        sha256: plan::sha256_hex(loaded.source.as_bytes()),
        now,
    });
    let plan = plan::build(&model, &loaded.value, previous_plan)?;
    let plan_json = plan::to_json(&plan)?;
    let documents = renderer.render(&model)?;
    Ok(Artifacts { model, plan_json, plan, documents })
}

/// The plan file of a brief id.
#[must_use]
pub fn plan_path(plans_dir: &Path, id: &str) -> PathBuf {
    plans_dir.join(format!("plan-{id}.json"))
}

fn build_one(
    path: &Path,
    renderer: &render::Renderer,
    now: Timestamp,
    out: &Path,
    plans_dir: &Path,
    max_bytes: u64,
) -> Result<Built, BuildError> {
    let loaded = load_brief(path, max_bytes).map_err(BuildError::Invalid)?;
    let id = loaded.brief.id.clone();
    ensure_safe_id(&id)?;
    let plan_file = plan_path(plans_dir, &id);
    let mut result: Option<Artifacts> = None;
    // The plan's revisions are read, extended and written under its lock, so concurrent builds
    // append in turn.
    output::update_locked(&plan_file, |previous| {
        let artifacts = compute(&loaded, renderer, now, previous.as_deref())?;
        // Documents first: if one cannot be written, the plan keeps its old revision.
        let dir = out.join(&artifacts.model.brief.id);
        for doc in &artifacts.documents {
            output::write_atomic(&dir.join(&doc.name), doc.content.as_bytes())?;
        }
        let text = artifacts.plan_json.clone();
        result = Some(artifacts);
        Ok(Some(text))
    })?;
    let artifacts = result.ok_or_else(|| anyhow!("internal error: the build produced nothing"))?;
    let revision = artifacts.plan.revisions.last().map_or(0, |r| r.revision);
    Ok(Built { id, revision, dir: out.to_path_buf() })
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

/// The build time: `--now` (RFC 3339), else `SOURCE_DATE_EPOCH` (seconds), else the clock.
///
/// # Errors
/// A `--now` or `SOURCE_DATE_EPOCH` that does not parse.
pub fn build_time(now: Option<&str>) -> Result<Timestamp> {
    if let Some(text) = now {
        return parse_now(text)
            .with_context(|| format!("--now: `{text}` is not a time; expected RFC 3339 such as 2027-01-15T09:00:00Z"));
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

fn parse_now(text: &str) -> Result<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    // A bare date means midnight UTC of that day.
    let date: jiff::civil::Date = text.parse()?;
    Ok(date.to_zoned_datetime(jiff::tz::TimeZone::UTC)?.timestamp())
}

/// A path as recorded in plans: relative to the working directory when it is inside it, with
/// forward slashes, so plans read the same on every machine.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}
