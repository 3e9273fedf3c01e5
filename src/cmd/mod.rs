//! One file per command: each turns checked arguments into work and an exit status.
//!
//! Every `run` returns `Ok(true)` on success, `Ok(false)` when the input was invalid or a check
//! failed (after printing why), and `Err` for an error that stops the command (printed with its
//! cause chain by `main`). Both of the latter exit with status 1.

pub mod build;
pub mod check;
pub mod completions;
pub mod init;
pub mod route;
pub mod schema;
pub mod serve;
pub mod sla;
pub mod templates;
pub mod validate;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cli::{Cli, Command};

/// Run the command the user asked for.
///
/// # Errors
/// Any error that stops the command; the caller prints it and exits 1.
pub fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Sla(args) => sla::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Route(args) => route::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Templates(args) => templates::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::man(&args),
    }
}

/// The default folder of briefs.
pub const BRIEFS_DIR: &str = "briefs";

/// Brief files named on the command line, with directories walked for `*.yaml`/`*.yml`; the
/// `briefs/` folder when none is named. Sorted, so output order does not depend on the file
/// system.
///
/// # Errors
/// A named path that does not exist, or a directory that cannot be walked.
pub fn brief_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
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

fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}
