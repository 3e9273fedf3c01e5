//! `handoff init`: write a starter brief that validates, ready to edit.
//!
//! The first line is the yaml-language-server modeline pointing at the brief schema, so editors
//! complete and check the brief as it is typed. When the schema is not in the project yet, it is
//! written too (`schemas/brief.schema.json`), so the modeline never points at nothing.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::calc::duration::Duration;
use crate::cli::{GoalArg, InitArgs, SegmentArg};
use crate::{output, schema};

/// Run `handoff init`.
///
/// # Errors
/// A bad `--response-sla`, an existing file without `--force`, or an I/O error.
pub(super) fn run(args: &InitArgs) -> Result<bool> {
    let sla = Duration::parse(&args.response_sla).map_err(|e| anyhow::anyhow!("--response-sla: {e}"))?;
    let schema_path = PathBuf::from("schemas/brief.schema.json");
    let cwd = std::env::current_dir()?;
    let modeline = crate::starter::path_from(args.path.parent().unwrap_or(Path::new("")), &schema_path, &cwd);
    let text = starter(args.segment, args.goal, &sla.to_string(), &id_from(&args.path), &modeline);
    if args.force {
        output::write_atomic(&args.path, text.as_bytes())?;
    } else if args.path.exists() {
        bail!("{} already exists; pass --force to overwrite it", args.path.display());
    } else {
        output::create_new(&args.path, text.as_bytes())?;
    }
    writeln!(std::io::stdout(), "wrote {}", args.path.display())?;
    if !schema_path.exists() {
        output::write_atomic(&schema_path, schema::BRIEF_SCHEMA.as_bytes())?;
        writeln!(std::io::stdout(), "wrote {} (the schema the brief's first line points at)", schema_path.display())?;
    }
    writeln!(
        std::io::stdout(),
        "next: edit it, then `handoff validate {}` and `handoff build {}`",
        args.path.display(),
        args.path.display()
    )?;
    Ok(true)
}

/// A valid id from the file name (`briefs/EMEA Inbound.yaml` → `emea-inbound`).
fn id_from(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let mut id: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    while id.contains("--") {
        id = id.replace("--", "-");
    }
    let id = id.trim_matches('-');
    let mut id: String = id.chars().take(63).collect();
    if id.is_empty() {
        id = "new-handoff".to_owned();
    }
    id
}

fn segment_slug(s: SegmentArg) -> &'static str {
    match s {
        SegmentArg::Enterprise => "enterprise",
        SegmentArg::MidMarket => "mid-market",
        SegmentArg::Smb => "smb",
        SegmentArg::Partner => "partner",
    }
}

fn goal_slug(g: GoalArg) -> &'static str {
    match g {
        GoalArg::Pipeline => "pipeline",
        GoalArg::Expansion => "expansion",
        GoalArg::ProductActivation => "product-activation",
        GoalArg::Abm => "abm",
    }
}

/// The starter brief. Volumes and team sizes follow the segment so the first build shows
/// realistic numbers rather than zeros.
fn starter(segment: SegmentArg, goal: GoalArg, sla: &str, id: &str, schema: &str) -> String {
    let (leads_per_week, reps, touch_minutes, role) = match segment {
        SegmentArg::Enterprise => (150, 4, 25, "SDR"),
        SegmentArg::MidMarket => (300, 5, 15, "SDR"),
        SegmentArg::Smb => (1200, 8, 8, "SDR"),
        SegmentArg::Partner => (80, 2, 30, "PM"),
    };
    let segment = segment_slug(segment);
    let goal = goal_slug(goal);
    crate::starter::Starter { schema, id, segment, goal, sla, leads_per_week, reps, touch_minutes, role }.text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs_from_the_file_name() {
        assert_eq!(id_from(Path::new("briefs/EMEA Inbound.yaml")), "emea-inbound");
        assert_eq!(id_from(Path::new("--.yaml")), "new-handoff");
    }
}
