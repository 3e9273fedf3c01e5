//! The man pages' own sections, which clap cannot derive from the command line: EXAMPLES per
//! command, and on the top page EXIT STATUS, ENVIRONMENT (every variable handoff reads) and
//! FILES. `cmd::completions` renders clap's sections and puts these before VERSION.

/// What the exit status means (every command).
pub(crate) const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success: every input valid, every check passed (warnings do not fail without --deny-warnings)."),
    ("1", "An input is invalid or a check failed; each message names the file, line, column and field."),
    ("2", "The command line is wrong (an unknown flag, a missing argument)."),
];

/// Every environment variable handoff reads (`tests/man_pages.rs` checks the list against the
/// source).
pub(crate) const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "SOURCE_DATE_EPOCH",
        "Seconds since 1970 used as the build time when --now is not given, for reproducible output; also the date risks are judged at.",
    ),
    ("NO_COLOR", "When set and not empty, diagnostics are never coloured."),
    ("GITHUB_ACTIONS", "When true, --format defaults to github (workflow annotations)."),
    ("GITHUB_STEP_SUMMARY", "When set, validate and check append a Markdown summary of the problems to this file."),
    (
        "HANDOFF_TEST_SLOW_WRITE_MS",
        "Debug builds only (never release): pause this many milliseconds after every 4 KiB written, for the crash tests.",
    ),
    (
        "HANDOFF_TEST_FAIL_WRITE",
        "Debug builds only (never release): fail the N-th file write as a full disk would, for the fault tests.",
    ),
];

/// Files handoff reads and writes.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("briefs/*.yaml", "The briefs build and check read when none is named."),
    ("schemas/brief.schema.json", "The brief schema init writes beside a new brief (handoff schema prints it)."),
    ("out/ID/", "design.md, checklist.md, enablement.md and approval-packet.html for the brief with id ID (--out)."),
    (".claude/plans/plan-ID.json", "The plan of brief ID (--plans-dir), with its revisions."),
    (
        "DIR/*.md, DIR/approval-packet.html",
        "Templates that replace the built-in ones of the same name (--templates DIR).",
    ),
];

/// Examples for the page of `command` (`handoff`, `handoff-build`, `handoff-templates-export`):
/// what each does, and the command line.
pub(crate) fn examples(command: &str) -> &'static [(&'static str, &'static str)] {
    match command {
        "handoff" => &[
            (
                "Start a brief, check it, build it:",
                "handoff init briefs/emea.yaml && handoff validate briefs && handoff build",
            ),
            ("In a pull request:", "handoff check"),
        ],
        "handoff-init" => &[
            (
                "A starter brief for an SMB activation motion with a 15-minute SLA:",
                "handoff init briefs/smb.yaml --segment smb --goal product-activation --response-sla 15m",
            ),
            (
                "From anywhere: the modeline points at the schema from the brief's folder:",
                "handoff init ../other/brief.yaml",
            ),
        ],
        "handoff-validate" => &[
            ("Every brief and plan under two folders:", "handoff validate briefs .claude/plans"),
            (
                "With the risks (SLA, routing, enablement) as warnings, as JSON:",
                "handoff validate briefs --risks --format json",
            ),
        ],
        "handoff-build" => &[
            ("Every brief in briefs/:", "handoff build"),
            (
                "One brief, reproducibly, elsewhere:",
                "handoff build briefs/emea.yaml --out site --now 2027-01-15T12:00:00Z",
            ),
            ("Rebuild on every change:", "handoff build --watch"),
        ],
        "handoff-check" => &[
            ("What CI runs on a pull request:", "handoff check"),
            ("The plans' histories kept append-only against the base branch:", "handoff check --base origin/main"),
            ("Plans elsewhere, failing on warnings too:", "handoff check --plans-dir plans --deny-warnings"),
        ],
        "handoff-diff" => &[
            ("What a change to a brief does to the design:", "handoff diff old/emea.yaml briefs/emea.yaml"),
            ("Every brief a pull request changes, as a comment:", "handoff diff --base origin/main --format markdown"),
        ],
        "handoff-monitor" => &[
            (
                "Actual first touches against the design:",
                "handoff monitor briefs/emea.yaml --actuals touches.csv --now 2027-03-01T15:00:00Z",
            ),
            (
                "Fail a scheduled job when attainment is under 85%:",
                "handoff monitor briefs/emea.yaml --actuals touches.csv --fail-under 0.85",
            ),
        ],
        "handoff-sla" => &[(
            "Can 5 reps touch 12 leads an hour within 15 minutes, at 8 minutes a touch?",
            "handoff sla --leads-per-hour 12 --touch-minutes 8 --reps 5 --sla 15m --target 0.9",
        )],
        "handoff-route" => &[
            ("Replay a lead export through a brief's routing:", "handoff route briefs/emea.yaml --leads leads.csv"),
            ("Owner per lead as CSV:", "handoff route briefs/emea.yaml --leads leads.csv --format csv"),
        ],
        "handoff-schema" => &[
            ("The brief schema, for an editor:", "handoff schema brief > brief.schema.json"),
            ("The plan schema:", "handoff schema plan"),
        ],
        "handoff-serve" => &[("Preview the packets at http://127.0.0.1:8000/:", "handoff serve")],
        "handoff-templates" | "handoff-templates-export" => &[
            ("Copy the built-in templates to edit them:", "handoff templates export my-templates"),
            ("Build with the edited ones:", "handoff build --templates my-templates"),
        ],
        "handoff-completions" => &[
            ("Bash:", "handoff completions bash > ~/.local/share/bash-completion/completions/handoff"),
            ("Zsh:", "handoff completions zsh > \"${fpath[1]}/_handoff\""),
        ],
        "handoff-man" => &[
            ("Read the top page now:", "handoff man | man -l -"),
            ("Install every page:", "handoff man --out /usr/local/share/man/man1"),
        ],
        _ => &[],
    }
}

/// Text escaped for roff: hyphens and backslashes, and a leading dot or quote.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) { format!("\\&{escaped}") } else { escaped }
}

fn tagged(out: &mut String, heading: &str, items: &[(&str, &str)], bold: bool) {
    if items.is_empty() {
        return;
    }
    if heading.contains(' ') {
        out.push_str(&format!(".SH \"{heading}\"\n"));
    } else {
        out.push_str(&format!(".SH {heading}\n"));
    }
    for (tag, text) in items {
        let tag = if bold { format!("\\fB{}\\fR", roff(tag)) } else { roff(tag) };
        out.push_str(&format!(".TP\n{tag}\n{}\n", roff(text)));
    }
}

/// The roff of the extra sections for the page named `page` (`handoff` is the top page).
pub(crate) fn sections(page: &str) -> String {
    let mut out = String::new();
    let examples = examples(page);
    if !examples.is_empty() {
        out.push_str(".SH EXAMPLES\n");
        for (what, line) in examples {
            out.push_str(&format!(".PP\n{}\n.PP\n.RS 4\n\\fB{}\\fR\n.RE\n", roff(what), roff(line)));
        }
    }
    tagged(&mut out, "EXIT STATUS", EXIT_STATUS, true);
    if page == "handoff" {
        tagged(&mut out, "ENVIRONMENT", ENVIRONMENT, true);
        tagged(&mut out, "FILES", FILES, false);
    }
    out
}
