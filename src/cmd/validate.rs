//! `handoff validate`: check briefs and plan files and report every problem.

use crate::cli::ValidateArgs;

/// Run `handoff validate`.
///
/// # Errors
/// Not built yet.
pub fn run(_args: &ValidateArgs) -> anyhow::Result<bool> {
    anyhow::bail!("not built yet")
}
