//! `handoff diff BASE HEAD` / `handoff diff --base REF [BRIEF...]`: what a change to a brief
//! does to the design. Both versions go through `build`'s pipeline as of the same time; the
//! comparison is `diff`, the words `render::diff`. Exit 0 whatever the diff says (it informs;
//! `check` gates), 1 when a version is invalid (every problem printed, as `validate` does).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;

use crate::cli::{Cli, DiffArgs, DiffFormat};
use crate::diag::Diagnostic;
use crate::diff::{self, Diff, Side};
use crate::pipeline::{self, LoadedBrief};
use crate::render::diff as words;
use crate::report::{self, Sources};
use crate::{brief, git};

/// Where one version of a brief comes from.
enum Version {
    /// A file on disk.
    File(PathBuf),
    /// The file at a git revision.
    At(String, PathBuf),
    /// No such brief on this side.
    Absent,
}

/// Run `handoff diff`.
///
/// # Errors
/// git fails, a bad `--now` or `SOURCE_DATE_EPOCH`, or stdout cannot be written.
pub(super) fn run(args: &DiffArgs) -> Result<bool> {
    let now = pipeline::build_time(args.now.as_deref())?;
    let pairs = match &args.base {
        Some(git_ref) => git_pairs(git_ref, &args.paths)?,
        None => match args.paths.as_slice() {
            [base, head] => vec![(Version::File(base.clone()), Version::File(head.clone()))],
            _ => {
                let mut cmd = Cli::command();
                let message = "expected BASE.yaml HEAD.yaml, or --base GIT_REF [BRIEF...]";
                cmd.error(clap::error::ErrorKind::WrongNumberOfValues, message).exit()
            }
        },
    };
    let mut problems = Vec::new();
    let mut loaded = Vec::new();
    for (before, after) in &pairs {
        let b = load(before, args.max_bytes, &mut problems)?;
        let a = load(after, args.max_bytes, &mut problems)?;
        if b.is_none() && a.is_none() {
            if let (Version::File(path) | Version::At(_, path), _) | (_, Version::File(path)) = (before, after) {
                problems.push(Diagnostic::error(path, 0, 0, "", words::absent_on_both_sides()));
            }
            continue;
        }
        loaded.push((b, a));
    }
    if !problems.is_empty() {
        print_problems(&problems, args.max_bytes)?;
        return Ok(false);
    }
    let diffs: Vec<Diff> = loaded.iter().map(|(b, a)| compare(b.as_ref(), a.as_ref(), now)).collect();
    let text = render(&diffs, args)?;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(true),
    }
}

/// The pairs `--base` compares: each named brief (folders: the briefs in them that changed),
/// or the briefs in `briefs/` that changed against `git_ref`.
fn git_pairs(git_ref: &str, paths: &[PathBuf]) -> Result<Vec<(Version, Version)>> {
    let mut files = Vec::new();
    if paths.is_empty() {
        files = git::changed_briefs(git_ref, Path::new(pipeline::BRIEFS_DIR))?;
    }
    for path in paths {
        if path.is_dir() {
            files.extend(git::changed_briefs(git_ref, path)?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files
        .into_iter()
        .map(|path| {
            let after = if path.exists() { Version::File(path.clone()) } else { Version::Absent };
            (Version::At(git_ref.to_owned(), path), after)
        })
        .collect())
}

/// Load one version; its problems go to `problems` (and `None` comes back).
fn load(version: &Version, max_bytes: u64, problems: &mut Vec<Diagnostic>) -> Result<Option<LoadedBrief>> {
    let result = match version {
        Version::Absent => return Ok(None),
        Version::File(path) => pipeline::load(path, max_bytes),
        Version::At(git_ref, path) => {
            let Some(bytes) = git::show(git_ref, path).with_context(|| format!("reading {}", path.display()))? else {
                return Ok(None);
            };
            // Named `REF:PATH` in diagnostics, as git names it.
            let name = PathBuf::from(format!("{git_ref}:{}", path.display()));
            brief::yaml::decode_source(&name, &bytes, max_bytes).and_then(|text| pipeline::load_text(&name, text))
        }
    };
    match result {
        Ok(loaded) => Ok(Some(loaded)),
        Err(found) => {
            problems.extend(found);
            Ok(None)
        }
    }
}

fn compare(before: Option<&LoadedBrief>, after: Option<&LoadedBrief>, now: jiff::Timestamp) -> Diff {
    let (mb, ma) = (before.map(|l| pipeline::model(l, now)), after.map(|l| pipeline::model(l, now)));
    fn side<'a>(m: Option<&'a crate::model::Model>, l: Option<&'a LoadedBrief>) -> Option<Side<'a>> {
        m.zip(l).map(|(model, l)| Side { model, value: &l.value })
    }
    let path = |l: Option<&LoadedBrief>| l.map(|l| l.path.display().to_string());
    diff::compare(side(mb.as_ref(), before), side(ma.as_ref(), after), [path(before), path(after)])
}

/// Every diff in the chosen format; under `--base` a JSON array, one object per brief.
fn render(diffs: &[Diff], args: &DiffArgs) -> Result<String> {
    let one = |d: &Diff| match args.format {
        DiffFormat::Text => words::text(d),
        DiffFormat::Markdown => words::markdown(d),
        DiffFormat::Json => String::new(),
    };
    if args.format == DiffFormat::Json {
        let values: Vec<serde_json::Value> = diffs.iter().map(words::json).collect();
        let value = match (&args.base, values.as_slice()) {
            (None, [only]) => only.clone(),
            _ => serde_json::Value::Array(values),
        };
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    if let (Some(git_ref), true) = (&args.base, diffs.is_empty()) {
        return Ok(words::nothing_changed(git_ref) + "\n");
    }
    let parts: Vec<String> = diffs.iter().map(one).collect();
    Ok(parts.join("\n"))
}

/// Invalid input: every problem on stderr, with excerpts, as `validate` prints them.
fn print_problems(problems: &[Diagnostic], max_bytes: u64) -> Result<()> {
    let sources = Sources::read(problems, max_bytes);
    let report = report::render_text(problems, |p| sources.get(p), false);
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{report}{}", words::invalid_summary(problems.len()))?;
    Ok(())
}
