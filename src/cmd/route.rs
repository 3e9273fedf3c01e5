//! `handoff route`: replay a lead export through the brief's routing, or write synthetic leads.
//!
//! The replay is [`crate::replay`]; its report's formats are in [`crate::render`]. This command
//! loads the brief (validation compiles its routing), builds the [`ReplayOptions`] from its
//! arguments, opens the files (the `--assignments` file through [`crate::output`]) and prints
//! the chosen format.

use std::fs::File;
use std::io::{self, Write};

use anyhow::{Context, bail};

use crate::calc::duration::Duration;
use crate::calc::routing::synth::Synthesizer;
use crate::cli::{RouteArgs, RouteFormat};
use crate::render;
use crate::replay::{ReplayOptions, SLA_REPLICATIONS, replay, second_core, write_synthetic};

/// Run `handoff route`.
///
/// # Errors
/// The brief cannot be read or parsed, the leads file cannot be read, a column the rules read is
/// missing, or an output file cannot be written.
pub(super) fn run(args: &RouteArgs) -> anyhow::Result<bool> {
    let loaded = match crate::pipeline::load(&args.brief, crate::brief::yaml::DEFAULT_MAX_BYTES) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            for d in diagnostics {
                eprintln!("{}", d.one_line());
            }
            return Ok(false);
        }
    };
    let (brief, checked) = (&loaded.brief, &loaded.checked);
    if let Some(n) = args.synthesize {
        let out = args.out.as_deref().context("--synthesize needs --out FILE.csv")?;
        let synth = Synthesizer::new(brief, n, args.seed).map_err(|issues| {
            anyhow::anyhow!(
                issues.into_iter().map(|i| format!("{}: {}", i.pointer, i.message)).collect::<Vec<_>>().join("; ")
            )
        })?;
        let covering = synth.covering();
        crate::output::write_streaming(out, |w| write_synthetic(synth, w))?;
        eprintln!("{}", render::words::synthesized(n, &out.display().to_string(), covering));
        return Ok(true);
    }
    let Some(leads) = args.leads.as_deref() else { bail!("give --leads FILE.csv or --synthesize N --out FILE.csv") };
    let open_for = match args.open_for.as_deref() {
        Some(text) => Some(duration_seconds(&Duration::parse(text)?)),
        None => None,
    };
    // Validation compiled the routing; the replay starts from a copy of it.
    let router = checked.router().clone().with_open_for(open_for);
    let options =
        ReplayOptions { sla: !args.no_sla, seed: args.seed, replications: SLA_REPLICATIONS, parallel: second_core() };
    if let Some(assignments) = args.assignments.as_deref() {
        refuse_same_file(leads, assignments)?;
    }
    // A pipe, a FIFO or `-` (standard input) can be read once: a second pass is refused rather
    // than reading an exhausted pipe (or waiting forever for a FIFO's next writer).
    let stdin = leads.as_os_str() == "-";
    let rereadable = !stdin && std::fs::metadata(leads).is_ok_and(|m| m.is_file());
    let mut opened = 0;
    let mut open = || -> io::Result<Box<dyn io::Read>> {
        opened += 1;
        if opened > 1 && !rereadable {
            return Err(io::Error::other("it is not a regular file and cannot be read twice"));
        }
        if stdin {
            return Ok(Box::new(io::BufReader::new(io::stdin().lock())));
        }
        Ok(Box::new(io::BufReader::new(File::open(leads)?)))
    };
    let report = match args.assignments.as_deref() {
        Some(path) => {
            let mut result = None;
            crate::output::write_streaming(path, |w| {
                let mut rows = render::route::AssignmentRows::new(w)?;
                result = Some(replay(checked, router, &mut open, Some(&mut rows), &options)?);
                Ok(())
            })
            .with_context(|| format!("replaying {}", leads.display()))?;
            result.context("replay produced no report")?
        }
        None => replay(checked, router, &mut open, None::<&mut io::Sink>, &options)
            .with_context(|| format!("replaying {}", leads.display()))?,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        RouteFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&render::route::json(&report))?)?,
        RouteFormat::Text => out.write_all(render::route::text(&report, &leads.display().to_string()).as_bytes())?,
        RouteFormat::Csv => out.write_all(render::route::csv(&report)?.as_bytes())?,
    }
    Ok(true)
}

/// Refuse an `--assignments` path that is the `--leads` file (the same file by device and
/// inode, through any link): writing it would replace the input being read.
fn refuse_same_file(leads: &std::path::Path, assignments: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let (Ok(l), Ok(a)) = (std::fs::metadata(leads), std::fs::metadata(assignments)) else { return Ok(()) };
    if (l.dev(), l.ino()) == (a.dev(), a.ino()) {
        bail!(
            "--assignments {} is the --leads file {}: writing it would replace the leads being read; name another file",
            assignments.display(),
            leads.display()
        );
    }
    Ok(())
}

fn duration_seconds(d: &Duration) -> i64 {
    i64::from(d.days) * 86_400 + i64::from(d.hours) * 3_600 + i64::from(d.minutes) * 60
}
