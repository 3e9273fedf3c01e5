//! One file per command: each turns checked arguments into work and an exit status.
//!
//! Every `run` returns `Ok(true)` on success, `Ok(false)` when the input was invalid or a check
//! failed (after printing why), and `Err` for an error that stops the command (printed with its
//! cause chain by `main`). Both of the latter exit with status 1.

mod build;
mod check;
mod completions;
mod diff;
mod init;
mod monitor;
mod route;
mod schema;
mod serve;
mod sla;
mod templates;
mod validate;

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::diag::Diagnostic;
use crate::output;
use crate::report::{self, Format, Sources};

/// Run the command the user asked for.
///
/// # Errors
/// Any error that stops the command; the caller prints it and exits 1.
pub fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Sla(args) => sla::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Route(args) => route::run(&args),
        Command::Monitor(args) => monitor::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Templates(args) => templates::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::man(&args),
    }
}

/// Print a diagnostics report on stdout and stderr ([`report::emit_to_stdio`]) and, under the
/// `github` format, append its Markdown summary to `$GITHUB_STEP_SUMMARY` when that is set.
///
/// # Errors
/// A write that fails (a closed pipe is not an error).
fn emit(diagnostics: &[Diagnostic], summary: &str, format: Format, sources: &Sources) -> std::io::Result<()> {
    let step_summary = report::emit_to_stdio(diagnostics, summary, format, sources)?;
    let file = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()).map(PathBuf::from);
    if let (Some(text), Some(file)) = (step_summary, file) {
        output::append(&file, text.as_bytes())?;
    }
    Ok(())
}
