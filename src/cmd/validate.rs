//! `handoff validate [PATH...]`: check briefs and plan files and report every problem with
//! file, line, column and field path; with `--risks`, the design risks of valid briefs as warnings.
//!
//! Directories are walked for `.yaml`/`.yml` briefs and `plan-*.json` plans in sorted order; a
//! file named on the command line is checked whatever its extension (`.json` files as plans).
//! Files are checked in parallel across cores with the schemas compiled once; the report is in
//! file order, so the output does not depend on scheduling.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use jiff::Timestamp;

use crate::cli::ValidateArgs;
use crate::diag::{Diagnostic, Severity};
use crate::pipeline::{self, is_plan, is_yaml, parallel};
use crate::report::{Format, Sources};

/// Run `handoff validate`: `Ok(false)` when any file has an error (or a warning with
/// `--deny-warnings`).
///
/// # Errors
/// A bad `SOURCE_DATE_EPOCH`, or stdout could not be written.
pub(super) fn run(args: &ValidateArgs) -> anyhow::Result<bool> {
    let format = Format::from_env(args.format.map(Into::into));
    let paths = if args.paths.is_empty() { vec![PathBuf::from("briefs")] } else { args.paths.clone() };
    // Risks such as past-due enablement depend on the day: the same time `build` would use.
    let now = if args.risks { Some(pipeline::build_time(None)?) } else { None };
    let (files, mut diagnostics) = collect_files(&paths);
    let options = Options { max_bytes: args.max_bytes, now };
    let results = check_all(&files, &options, show_progress(files.len()));
    let mut invalid_files = 0;
    for result in results {
        if result.iter().any(|d| d.severity == Severity::Error) {
            invalid_files += 1;
        }
        diagnostics.extend(result);
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;

    let summary = summary(files.len(), invalid_files, errors, warnings);
    let sources = if format == Format::Json || format == Format::Sarif {
        Sources::new()
    } else {
        Sources::read(&diagnostics, args.max_bytes)
    };
    super::emit(&diagnostics, &summary, format, &sources)?;
    Ok(errors == 0 && (warnings == 0 || !args.deny_warnings))
}

/// What every file is checked with.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// Largest file read.
    max_bytes: u64,
    /// With a time, valid briefs also report their design risks as warnings, as of that time.
    now: Option<Timestamp>,
}

fn summary(files: usize, invalid: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    if errors == 0 && warnings == 0 {
        format!("checked {}: all valid", plural(files, "file"))
    } else {
        format!(
            "checked {}: {} invalid, {}, {}",
            plural(files, "file"),
            invalid,
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

/// Expand the command line into files, in order; paths that do not exist become diagnostics.
fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            let walker = walkdir::WalkDir::new(path).sort_by_file_name().follow_links(false);
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() && (is_yaml(e.path()) || is_plan(e.path())) => {
                        files.push(e.into_path());
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let at = err.path().map_or_else(|| path.clone(), Path::to_path_buf);
                        problems.push(Diagnostic::error(at, 0, 0, "", format!("cannot read: {err}")));
                    }
                }
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            problems.push(Diagnostic::error(path, 0, 0, "", "no such file or directory"));
        }
    }
    (files, problems)
}

/// Files from which a progress bar is drawn (on a terminal only).
const PROGRESS_FROM: usize = 200;

/// A progress bar on stderr only for many files and when stderr is a terminal (never in pipes,
/// CI logs or tests).
fn show_progress(files: usize) -> bool {
    files >= PROGRESS_FROM && std::io::stderr().is_terminal()
}

/// Check every file, in parallel across cores, returning each file's diagnostics in file order.
/// The schemas are compiled once per process (see `schema`) and shared by every thread.
fn check_all(files: &[PathBuf], options: &Options, progress: bool) -> Vec<Vec<Diagnostic>> {
    let finished = AtomicUsize::new(0);
    let check = |file: &PathBuf| pipeline::check_file(file, options.max_bytes, options.now);
    let results = if progress {
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| parallel::map(files, &finished, check));
            while !worker.is_finished() {
                draw_progress(finished.load(Ordering::Relaxed), files.len());
                std::thread::sleep(Duration::from_millis(80));
            }
            // Clear the bar so the report starts on a clean line.
            eprint!("\r{:width$}\r", "", width = BAR_WIDTH + 40);
            worker.join().unwrap_or_else(|_| Err(anyhow::anyhow!("internal error")))
        })
    } else {
        parallel::map(files, &finished, check)
    };
    // A panic is a bug; it must still fail the run rather than pass silently.
    results.unwrap_or_else(|_| vec![vec![Diagnostic::error("", 0, 0, "", "internal error while checking a file")]])
}

const BAR_WIDTH: usize = 30;

fn draw_progress(done: usize, total: usize) {
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(BAR_WIDTH);
    let bar: String = "#".repeat(filled) + &"-".repeat(BAR_WIDTH - filled.min(BAR_WIDTH));
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\rvalidating [{bar}] {done}/{total} files");
    let _ = err.flush();
}
