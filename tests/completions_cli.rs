//! `handoff completions` and `handoff man`: generated from the CLI definition, so they must
//! mention every command the CLI has.

#![allow(clippy::unwrap_used)] // A failed unwrap is a failed test.

use clap::CommandFactory as _;

mod common;
use common::handoff;

/// Every visible subcommand of the real CLI definition.
fn subcommands() -> Vec<String> {
    handoff::cli::Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn completions_for_each_shell_name_every_command() {
    let commands = subcommands();
    // The visible commands, listed by hand from `handoff --help`, in its order.
    assert_eq!(
        commands,
        [
            "init",
            "validate",
            "build",
            "check",
            "diff",
            "sla",
            "route",
            "monitor",
            "schema",
            "serve",
            "templates",
            "completions",
            "man"
        ]
    );
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef handoff"), ("fish", "complete -c handoff")] {
        let out = handoff().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for c in &commands {
            assert!(script.contains(c.as_str()), "{shell} completion does not mention `{c}`");
        }
        // Flags come from the definition too.
        assert!(script.contains("deny-warnings") && script.contains("max-bytes"), "{shell}");
    }
    let out = handoff().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_page_is_roff_naming_every_command() {
    let out = handoff().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    // roff as clap_mangen writes it: the quote-string preamble, then the title line with the
    // crate's version.
    let head =
        format!(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH handoff 1  \"handoff {}\" \n", env!("CARGO_PKG_VERSION"));
    assert!(page.starts_with(&head), "{page}");
    // Each command is listed as a cross-reference to its own page, `handoff\-NAME(1)`.
    for c in subcommands() {
        assert!(page.contains(&format!("handoff\\-{c}(1)")), "man page does not list `{c}`");
    }
}

#[test]
fn man_out_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = handoff().args(["man", "--out"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let mut want: Vec<String> = subcommands().iter().map(|c| format!("handoff-{c}.1")).collect();
    want.push("handoff.1".to_owned());
    // Subcommands of subcommands get pages too (the templates page cites this one).
    want.push("handoff-templates-export.1".to_owned());
    want.sort();
    assert_eq!(names, want);
    let validate = std::fs::read_to_string(dir.path().join("handoff-validate.1")).unwrap();
    assert!(validate.contains("deny\\-warnings"), "{validate}");
}
