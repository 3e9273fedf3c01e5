//! `handoff check`: the pull-request gate. Plans are valid, present, up to date with their
//! briefs, not edited by hand, and not orphaned (the checks are in `pipeline::gate`).

use anyhow::Result;

use crate::cli::CheckArgs;
use crate::diag::Severity;
use crate::pipeline::{self, gate};
use crate::report::{Format, Sources};

/// Run `handoff check`.
///
/// # Errors
/// The plans directory or a plan cannot be read for a reason other than absence; a bad
/// `SOURCE_DATE_EPOCH`; a `--base` that is not a commit; stdout could not be written.
pub(super) fn run(args: &CheckArgs) -> Result<bool> {
    let format = Format::from_env(args.format.map(Into::into));
    // Risks such as past-due enablement depend on the day: the same time `build` would use.
    let now = if args.no_risks { None } else { Some(pipeline::build_time(None)?) };
    let diagnostics = gate::check(&args.briefs, &args.plans_dir, args.max_bytes, now, args.base.as_deref())?;
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    let summary = match (errors, warnings) {
        (0, 0) => "every plan is valid and up to date".to_owned(),
        (0, w) => format!("every plan is valid and up to date; {}", plural(w, "warning")),
        (e, w) => format!("check failed: {}, {}", plural(e, "error"), plural(w, "warning")),
    };
    let sources = if matches!(format, Format::Json | Format::Sarif) {
        Sources::new()
    } else {
        Sources::read(&diagnostics, args.max_bytes)
    };
    super::emit(&diagnostics, &summary, format, &sources)?;
    Ok(errors == 0 && (warnings == 0 || !args.deny_warnings))
}
