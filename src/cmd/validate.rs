//! `handoff validate [PATH...]`: check briefs (and plan files given by name) and report every
//! problem with file, line, column and field path.
//!
//! Directories are walked for `.yaml`/`.yml` briefs in sorted order; a file named on the
//! command line is checked whatever its extension (`.json` files as plans). Files are checked
//! in parallel; the report is in file order, so the output does not depend on scheduling.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::brief::yaml::{self, DEFAULT_MAX_BYTES};
use crate::cli::{DiagnosticFormat, ValidateArgs};
use crate::report::{self, Diagnostic, Severity};
use crate::schema;

/// Run `handoff validate`: `Ok(false)` when any file has an error (or a warning with
/// `--deny-warnings`).
///
/// # Errors
/// An output format that is not built yet, or stdout could not be written.
pub fn run(args: &ValidateArgs) -> anyhow::Result<bool> {
    let format = args.format.unwrap_or(DiagnosticFormat::Text);
    if matches!(format, DiagnosticFormat::Github | DiagnosticFormat::Sarif) {
        anyhow::bail!("--format github and --format sarif are not built yet; use text or json");
    }
    let paths = if args.paths.is_empty() { vec![PathBuf::from("briefs")] } else { args.paths.clone() };
    let (files, mut diagnostics) = collect_files(&paths);
    let results = check_all(&files, DEFAULT_MAX_BYTES);
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
    match write_report(format, &diagnostics, &summary) {
        // A reader that stops early (`| head`) is not a failure of the check.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(errors == 0 && (warnings == 0 || !args.deny_warnings))
}

fn write_report(format: DiagnosticFormat, diagnostics: &[Diagnostic], summary: &str) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if format == DiagnosticFormat::Json {
        writeln!(out, "{}", report::render_json(diagnostics))?;
        out.flush()?;
        eprintln!("{summary}");
        return Ok(());
    }
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let sources = read_sources(diagnostics);
    let text =
        report::render_text(diagnostics, |p| sources.iter().find(|(f, _)| f == p).map(|(_, s)| s.as_str()), color);
    write!(out, "{text}")?;
    writeln!(out, "{summary}")?;
    out.flush()
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
                    Ok(e) if e.file_type().is_file() && is_yaml(e.path()) => files.push(e.into_path()),
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

fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Check every file, in parallel, returning each file's diagnostics in file order.
fn check_all(files: &[PathBuf], max_bytes: u64) -> Vec<Vec<Diagnostic>> {
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(files.len()).max(1);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Vec<Diagnostic>> = vec![Vec::new(); files.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        done.push((i, check_file(file, max_bytes)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, diags) in done {
                        results[i] = diags;
                    }
                }
                Err(_) => {
                    // A panic is a bug; it must still fail the run rather than pass silently.
                    results.push(vec![Diagnostic::error("", 0, 0, "", "internal error while checking a file")]);
                }
            }
        }
    });
    results
}

/// Check one file: a plan when it ends in `.json`, otherwise a brief.
fn check_file(path: &Path, max_bytes: u64) -> Vec<Diagnostic> {
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        let text = match yaml::read_source(path, max_bytes) {
            Ok(t) => t,
            Err(d) => return d,
        };
        return match yaml::load_yaml_value(path, &text) {
            Ok((value, positions)) => yaml::schema_diagnostics(path, &positions, schema::validate_plan_value(&value)),
            Err(d) => d,
        };
    }
    match yaml::load_brief(path, max_bytes) {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

/// The text of each file that has a located diagnostic, for excerpts.
fn read_sources(diagnostics: &[Diagnostic]) -> Vec<(PathBuf, String)> {
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    for d in diagnostics {
        if d.line > 0
            && !sources.iter().any(|(f, _)| *f == d.file)
            && let Ok(text) = yaml::read_source(&d.file, DEFAULT_MAX_BYTES)
        {
            sources.push((d.file.clone(), text));
        }
    }
    sources
}
