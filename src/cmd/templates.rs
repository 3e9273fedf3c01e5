//! `handoff templates export DIR`: the built-in templates written out for editing.
//!
//! `build --templates DIR` replaces built-in templates with same-named files in `DIR`; starting
//! from copies of the built-in ones is the quickest way to change the packet's look or a
//! document's wording. Existing files are never overwritten without `--force`, and nothing is
//! written unless every file can be: edited templates are someone's work.

use anyhow::{Result, bail};

use crate::cli::{TemplatesArgs, TemplatesCommand, TemplatesExportArgs};
use crate::{output, render};

/// Run `handoff templates`.
///
/// # Errors
/// Existing templates without `--force`, or a file that cannot be written.
pub(super) fn run(args: &TemplatesArgs) -> Result<bool> {
    match &args.command {
        TemplatesCommand::Export(export_args) => export(export_args),
    }
}

fn export(args: &TemplatesExportArgs) -> Result<bool> {
    if args.dir.exists() && !args.dir.is_dir() {
        bail!("{} exists and is not a directory", args.dir.display());
    }
    let existing: Vec<String> = render::TEMPLATES
        .iter()
        .map(|(name, _)| args.dir.join(name))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() && !args.force {
        bail!(
            "{} already exist{}; pass --force to overwrite",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        );
    }
    for (name, source) in render::TEMPLATES {
        let path = args.dir.join(name);
        output::write_atomic(&path, source.as_bytes())?;
        println!("wrote {}", path.display());
    }
    println!("edit them, then build with --templates {}", args.dir.display());
    Ok(true)
}
