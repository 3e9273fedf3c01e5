//! `handoff schema [brief|plan]`: print an embedded JSON Schema, for editors and other tools.

use std::io::Write;

use crate::cli::{SchemaArgs, SchemaKind};
use crate::schema::{BRIEF_SCHEMA, PLAN_SCHEMA};

/// Run `handoff schema`: write the chosen schema, byte for byte as committed, to stdout.
///
/// # Errors
/// Writing to stdout failed (for example a closed pipe).
pub(super) fn run(args: &SchemaArgs) -> anyhow::Result<bool> {
    let text = match args.kind {
        SchemaKind::Brief => BRIEF_SCHEMA,
        SchemaKind::Plan => PLAN_SCHEMA,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(true)
}
