//! One file per command: each turns checked arguments into work and an exit status.
//!
//! Every `run` returns `Ok(true)` on success, `Ok(false)` when the input was invalid or a check
//! failed (after printing why), and `Err` for an error that stops the command (printed with its
//! cause chain by `main`). Both of the latter exit with status 1.

pub mod route;
pub mod sla;

use crate::cli::{Cli, Command};

/// Run the command the user asked for.
///
/// # Errors
/// Any error that stops the command; the caller prints it and exits 1.
pub fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Sla(args) => sla::run(&args),
        Command::Route(args) => route::run(&args),
        _ => anyhow::bail!("this command is not built yet"),
    }
}
