//! `handoff completions SHELL` and `handoff man`: shell completions and man pages generated from
//! the clap definition in `cli`, so they never drift from the real command line.

use std::io::Write as _;

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::output;

/// Run `handoff completions`: print the completion script for the shell.
///
/// # Errors
/// Stdout could not be written.
pub(super) fn run(args: &CompletionsArgs) -> Result<bool> {
    let script = completion_script(args.shell);
    write_stdout(&script)?;
    Ok(true)
}

/// The completion script of `handoff` for `shell`.
#[must_use]
pub(super) fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "handoff", &mut out);
    out
}

/// Run `handoff man`: print `handoff.1`, or with `--out DIR` write it and one page per command
/// (`handoff-validate.1`, ...) into `DIR`.
///
/// # Errors
/// A page could not be rendered or written.
pub(super) fn man(args: &ManArgs) -> Result<bool> {
    let Some(dir) = &args.out else {
        write_stdout(&man_page(Cli::command())?)?;
        return Ok(true);
    };
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = vec![root.clone()];
    pages.extend(root.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    for page in pages {
        let man = clap_mangen::Man::new(page);
        let path = dir.join(man.get_filename());
        let mut text = Vec::new();
        man.render(&mut text).context("cannot render the man page")?;
        output::write_atomic(&path, &text)?;
        println!("wrote {}", path.display());
    }
    Ok(true)
}

/// The roff text of the man page of `cmd`.
///
/// # Errors
/// Rendering failed (it writes to memory, so only on a bug).
pub(super) fn man_page(cmd: clap::Command) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).context("cannot render the man page")?;
    Ok(out)
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}
