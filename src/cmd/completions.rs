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
/// and subcommand (`handoff-validate.1`, `handoff-templates-export.1`, ...) into `DIR`, so every
/// page a page cites exists.
///
/// # Errors
/// A page could not be rendered or written.
pub(super) fn man(args: &ManArgs) -> Result<bool> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let Some(dir) = &args.out else {
        write_stdout(&man_page(root)?)?;
        return Ok(true);
    };
    let mut pages = Vec::new();
    collect_pages(&root, &mut pages);
    for page in pages {
        let path = dir.join(clap_mangen::Man::new(page.clone()).get_filename());
        output::write_atomic(&path, &man_page(page)?)?;
        println!("wrote {}", path.display());
    }
    Ok(true)
}

/// `cmd` and every visible subcommand below it, depth first.
fn collect_pages(cmd: &clap::Command, pages: &mut Vec<clap::Command>) {
    pages.push(cmd.clone());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        collect_pages(sub, pages);
    }
}

/// The roff text of the man page of `cmd`: clap's sections, then the examples, exit status and
/// (on the top page) environment and files, before VERSION.
///
/// # Errors
/// Rendering failed (it writes to memory, so only on a bug).
pub(super) fn man_page(cmd: clap::Command) -> Result<Vec<u8>> {
    let name = cmd.get_display_name().unwrap_or_else(|| cmd.get_name()).to_owned();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out).context("cannot render the man page")?;
    let text = String::from_utf8(out).context("the man page is not UTF-8")?;
    let extra = crate::render::man::sections(&name);
    let text = match text.find(".SH VERSION") {
        Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]),
        None => format!("{text}{extra}"),
    };
    Ok(text.into_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}
