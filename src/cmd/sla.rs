//! `handoff sla`: the SLA calculator on its own.

use crate::cli::SlaArgs;

/// Run `handoff sla`.
///
/// # Errors
/// Invalid numbers or durations.
pub fn run(_args: &SlaArgs) -> anyhow::Result<bool> {
    anyhow::bail!("not built yet")
}
