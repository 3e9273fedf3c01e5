//! `handoff build`: validate, enrich and render each brief, then write its documents and plan.
//!
//! Everything for a brief is computed in memory first (`pipeline::write`: model, plan, every
//! document); only then are files written, each atomically. A brief that fails to load, or a
//! template that fails to render, leaves every earlier output as it was.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;

use anyhow::{Result, bail};

use crate::cli::BuildArgs;
use crate::pipeline::{self, LoadedBrief, Written, parallel};
use crate::render::Renderer;
use crate::watch::Watcher;

/// Run `handoff build`.
///
/// # Errors
/// A bad `--now`, an unreadable templates directory or a broken template; per-brief problems
/// are printed and make the result `Ok(false)`.
pub(super) fn run(args: &BuildArgs) -> Result<bool> {
    let renderer = Renderer::new(args.templates.as_deref())?;
    let briefs = pipeline::brief_paths(&args.briefs)?;
    if briefs.is_empty() && !args.watch {
        bail!("no briefs to build: pass brief files or put *.yaml files in briefs/");
    }
    let ok = build_all(args, &renderer, &briefs)?;
    if args.watch {
        watch(args, renderer)?;
    }
    Ok(ok)
}

/// Build `briefs` on every core, then print one line per brief in their order (whatever
/// finished first); false when any failed.
fn build_all(args: &BuildArgs, renderer: &Renderer, briefs: &[PathBuf]) -> Result<bool> {
    let now = pipeline::build_time(args.now.as_deref())?;
    let done = AtomicUsize::new(0);
    let loaded = parallel::map(briefs, &done, |path| pipeline::load(path, args.max_bytes))?;
    // Briefs sharing an id write the same plan: they build one after another, in their order, so
    // its revisions come out the same on any number of cores.
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, brief) in loaded.iter().enumerate() {
        if let Ok(brief) = brief {
            by_id.entry(brief.brief.id.as_str()).or_default().push(i);
        }
    }
    let groups: Vec<Vec<usize>> = by_id.into_values().collect();
    let written = parallel::map(&groups, &done, |group| {
        let write = |brief: &LoadedBrief| pipeline::write(brief, renderer, now, &args.out, &args.plans_dir);
        group.iter().filter_map(|&i| Some((i, write(loaded.get(i)?.as_ref().ok()?)))).collect::<Vec<_>>()
    })?;
    let mut results: Vec<Option<Result<Written>>> = std::iter::repeat_with(|| None).take(briefs.len()).collect();
    for (i, result) in written.into_iter().flatten() {
        results[i] = Some(result);
    }
    let mut ok = true;
    for ((path, brief), result) in briefs.iter().zip(loaded).zip(results) {
        match (brief, result) {
            (Err(diagnostics), _) => {
                ok = false;
                for d in diagnostics {
                    eprintln!("{}", d.one_line());
                }
            }
            (Ok(_), Some(Ok(Written { dir, revision }))) => {
                writeln!(std::io::stdout(), "built {} → {} (plan revision {revision})", path.display(), dir.display())?;
            }
            (Ok(_), Some(Err(err))) => {
                ok = false;
                eprintln!("error: {}: {err:#}", path.display());
            }
            (Ok(_), None) => bail!("internal error: {} was not built", path.display()),
        }
    }
    Ok(ok)
}

/// Rebuild whenever a brief or template changes, until the process is stopped. Problems in a
/// brief or a template are printed and the watch goes on.
fn watch(args: &BuildArgs, mut renderer: Renderer) -> Result<()> {
    let mut watcher = Watcher::new(&args.briefs, args.templates.as_deref());
    let shown: Vec<String> = watcher.roots().iter().map(|r| r.display().to_string()).collect();
    println!("watching {} for changes (Ctrl-C to stop)", shown.join(", "));
    std::io::stdout().flush().ok();
    loop {
        let changes = watcher.wait();
        for (change, path) in &changes.files {
            println!("{change}: {}", path.display());
        }
        let mut rebuild = changes.briefs;
        if changes.templates {
            match Renderer::new(args.templates.as_deref()) {
                Ok(fresh) => renderer = fresh,
                Err(err) => {
                    eprintln!("error: {err:#} (keeping the previous templates)");
                    std::io::stdout().flush().ok();
                    continue;
                }
            }
            rebuild = pipeline::brief_paths(&args.briefs).unwrap_or_default();
        }
        if let Err(err) = build_all(args, &renderer, &rebuild) {
            eprintln!("error: {err:#}");
        }
        std::io::stdout().flush().ok();
    }
}
