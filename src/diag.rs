//! Problems found in a brief or a plan, as data: the one located problem type every check
//! returns, and the rule ids diagnostics are reported under.
//!
//! A [`Problem`] is located by JSON pointer into the document it is about; the loader maps the
//! pointer to a line and column through the positions it kept, which makes it a [`Diagnostic`].
//! Nothing here formats a report: `report` renders diagnostics, this module only says what they
//! are. It depends on no other module of the crate, so every layer can use it.

use std::path::PathBuf;

use serde::{Serialize, Serializer};

/// A problem at a place in a document, found before lines and columns are known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// JSON pointer of the offending value (`/routing/rules/1/assign/pod`); empty for the whole
    /// document.
    pub pointer: String,
    /// True when the problem reads best at the key rather than the value (a missing or unknown
    /// key).
    pub at_key: bool,
    /// Plain message saying what was expected.
    pub message: String,
}

impl Problem {
    /// A problem with the value at `pointer`.
    #[must_use]
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), at_key: false, message: message.into() }
    }

    /// A problem with the key at `pointer` (a missing or unknown member).
    #[must_use]
    pub fn at_key(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { pointer: pointer.into(), at_key: true, message: message.into() }
    }
}

/// Which check found a diagnostic: the SARIF rule id and the `rule` key of JSON reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The brief or plan file is unreadable, not valid YAML/JSON, breaks its schema or a
    /// semantic check.
    InvalidInput,
    /// A brief has no plan.
    PlanMissing,
    /// A plan file does not validate against the plan schema.
    PlanInvalid,
    /// A plan's last revision was built from another version of its brief.
    PlanStale,
    /// A plan differs from what `handoff build` writes.
    PlanEdited,
    /// A plan whose brief is gone.
    PlanOrphaned,
    /// Design risk: the first-response SLA.
    RiskSla,
    /// Design risk: routing coverage and load.
    RiskRouting,
    /// Design risk: the enablement kit.
    RiskEnablement,
    /// Design risk: systems and content the launch depends on.
    RiskDependencies,
    /// Design risk: demand assumptions.
    RiskDemand,
}

impl Rule {
    /// The id as reported (`invalid-input`, `plan-stale`, `risk-sla` …).
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid-input",
            Self::PlanMissing => "plan-missing",
            Self::PlanInvalid => "plan-invalid",
            Self::PlanStale => "plan-stale",
            Self::PlanEdited => "plan-edited",
            Self::PlanOrphaned => "plan-orphaned",
            Self::RiskSla => "risk-sla",
            Self::RiskRouting => "risk-routing",
            Self::RiskEnablement => "risk-enablement",
            Self::RiskDependencies => "risk-dependencies",
            Self::RiskDemand => "risk-demand",
        }
    }

    /// One sentence saying what the rule checks, for SARIF's `shortDescription`.
    #[must_use]
    pub fn description(self) -> &'static str {
        self.doc().short
    }

    /// Every rule, in the order of the README's rule list.
    pub const ALL: [Rule; 11] = [
        Self::InvalidInput,
        Self::PlanMissing,
        Self::PlanInvalid,
        Self::PlanStale,
        Self::PlanEdited,
        Self::PlanOrphaned,
        Self::RiskSla,
        Self::RiskRouting,
        Self::RiskEnablement,
        Self::RiskDependencies,
        Self::RiskDemand,
    ];

    /// How bad what the rule reports is: risks are warnings, everything else an error.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Self::RiskSla | Self::RiskRouting | Self::RiskEnablement | Self::RiskDependencies | Self::RiskDemand => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// Where the README explains the rule: its heading's anchor (the id itself).
    #[must_use]
    pub fn help_uri(self) -> String {
        format!("{README_URL}#{}", self.id())
    }

    /// What a code-scanning viewer shows about the rule: a short and a full description, and
    /// help in Markdown (what it means and how to fix it).
    #[must_use]
    pub fn doc(self) -> RuleDoc {
        let (short, full, help) = match self {
            Self::InvalidInput => (
                "The brief or plan is unreadable, not valid YAML or JSON, breaks its schema or a semantic check.",
                "A file given to `validate` (or a brief `check` builds) cannot be used: it cannot be read, is \
                 larger than `--max-bytes`, is not UTF-8, is not valid YAML or JSON, breaks the brief or plan \
                 schema, or fails a semantic check (a reference to an unknown pod, a routing test \
                 that reaches another rule). Nothing is built from it.",
                "The message says what was expected at the field named, often with the nearest valid key or \
                 value. Fix the value at the line and column shown and run `handoff validate FILE` until it \
                 prints no error; `handoff schema brief` prints the schema editors can check against.",
            ),
            Self::PlanMissing => (
                "A brief has no plan.",
                "`check` found a brief without its plan file (`plan-ID.json` in the plans directory), so the \
                 reviewed design has no recorded plan.",
                "Run `handoff build BRIEF --plans-dir DIR` (the message names both) and commit the plan it \
                 writes with the brief.",
            ),
            Self::PlanInvalid => (
                "A plan file does not validate against the plan schema.",
                "A plan file breaks `schemas/plan.schema.json` (shown at its line and column) or its revisions \
                 are broken, so orchestrators and `check` cannot rely on it.",
                "Plans are written by `handoff build`, not by hand: restore the file from git and rebuild it \
                 with `handoff build BRIEF`; `handoff schema plan` prints the schema.",
            ),
            Self::PlanStale => (
                "A plan was built from another version of its brief.",
                "The brief's SHA-256 differs from the one recorded in its plan's last revision: the brief \
                 changed and the plan (and the documents) were not rebuilt, so the plan describes an older \
                 design.",
                "Run the `handoff build` command in the message and commit the plan with the brief; the new \
                 revision records which sections changed.",
            ),
            Self::PlanEdited => (
                "A plan differs from what `handoff build` writes: it was edited by hand.",
                "Rebuilding the plan's recorded revision from its brief gives other bytes: someone edited the \
                 generated file. The message shows the first line that differs.",
                "Change the brief, not the plan: restore the plan from git (or delete it) and run \
                 `handoff build BRIEF`.",
            ),
            Self::PlanOrphaned => (
                "A plan whose brief is gone.",
                "A `plan-ID.json` in the plans directory belongs to no brief: the brief was deleted or its id \
                 renamed.",
                "Delete the plan, or restore the brief (or its old `id`), then run `handoff check` again.",
            ),
            Self::RiskSla => (
                "Design risk: a pod cannot meet the first-response SLA as designed.",
                "The SLA calculators (Erlang C or A, and the simulation over the pod's business hours) find \
                 that a pod touches fewer leads within the SLA than the target, is busier than the occupancy \
                 ceiling, has more work than reps, has a single rep, or gets no leads.",
                "Read the pod's SLA table in `out/ID/design.md`: add reps (the message names the head count \
                 that reaches the target), lower `touch_minutes` or shrinkage, route fewer leads to the pod, \
                 or promise a longer `response_sla`. `handoff sla` tries figures on their own.",
            ),
            Self::RiskRouting => (
                "Design risk: leads no rule catches, a rule that never fires, or too many fallbacks.",
                "The routing analysis finds leads nobody (not even the fallback) can take, a fallback share \
                 over `guardrails.max_fallback_share`, a rule that can never fire (it matches nothing, or \
                 earlier rules catch every lead it matches), a field routing reads that `routing.enrichment` \
                 does not list, or coverage checked on part of the attributes only.",
                "See the coverage findings in `out/ID/design.md`: add a rule for the gap, move or narrow the \
                 shadowing rule, list the field in `routing.enrichment`, and add a routing test for the case.",
            ),
            Self::RiskEnablement => (
                "Design risk: an enablement item past due, without an owner, or a pod missing part of its kit.",
                "Counting each item's lead time back from `launch` in business days, an item is already past \
                 due, has no owner, or a pod lacks a kit part (talk tracks, scripts, collateral, system \
                 instructions, feedback channel).",
                "Give the item an `owner`, shorten its `lead_time`, move `launch`, or add the missing kit part \
                 for the pod; `out/ID/enablement.md` lists each item with its due date.",
            ),
            Self::RiskDependencies => (
                "Design risk: a dependency past due, blocked, without an owner, or due after launch.",
                "A system or piece of content the launch depends on (scoring, sequences, integrations, \
                 dashboards) is not ready by its due date, is blocked, has no owner, or is due after `launch`.",
                "Update the dependency's `status`, `owner` or `due` in the brief, or move `launch`; \
                 `out/ID/checklist.md` lists them.",
            ),
            Self::RiskDemand => (
                "Design risk: the demand mix does not describe attributes routing reads.",
                "Routing conditions read lead attributes for which `demand.mix` gives no shares, so the \
                 expected load per pod (and every SLA figure built on it) assumes those values are spread \
                 evenly.",
                "Add the attributes to `demand.mix` with their shares (they sum to 1), from last quarter's \
                 leads for instance.",
            ),
        };
        RuleDoc { short, full, help }
    }
}

/// The README every rule's help links into. The project's home page: change it here when the
/// repository moves.
pub(crate) const README_URL: &str = "https://github.com/your-org/handoff/blob/main/README.md";

/// What a rule means and how to fix what it reports, for SARIF's rule metadata and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDoc {
    /// One sentence: `shortDescription`.
    pub short: &'static str,
    /// What the check finds: `fullDescription`.
    pub full: &'static str,
    /// How to fix it, in Markdown (code in backticks).
    pub help: &'static str,
}

impl RuleDoc {
    /// A Markdown sentence as plain text (backticks dropped).
    #[must_use]
    pub fn plain(markdown: &str) -> String {
        markdown.replace('`', "")
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is invalid; the command fails.
    Error,
    /// A risk worth a look; fails only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// A problem at a place in a file: a [`Problem`] once its line and column are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as given on the command line or found by walking.
    pub file: PathBuf,
    /// 1-based line (0 when the file has no position, e.g. it could not be read).
    pub line: usize,
    /// 1-based column, in characters (0 when there is no position).
    pub column: usize,
    /// Dotted field path (`routing.rules[1].assign.pod`); empty for the whole file.
    pub path: String,
    /// Plain message saying what was expected.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// Which check found it: the SARIF rule id.
    pub rule: Rule,
}

impl Diagnostic {
    /// An error at a position, under [`Rule::InvalidInput`].
    #[must_use]
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            line,
            column,
            path: path.into(),
            message: message.into(),
            severity: Severity::Error,
            rule: Rule::InvalidInput,
        }
    }

    /// A warning at a position, under `rule`.
    #[must_use]
    pub fn warning(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        path: impl Into<String>,
        message: impl Into<String>,
        rule: Rule,
    ) -> Self {
        Self { severity: Severity::Warning, rule, ..Self::error(file, line, column, path, message) }
    }

    /// The same diagnostic under another rule.
    #[must_use]
    pub fn with_rule(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }

    /// The one-line form: `FILE:LINE:COL: error: PATH: MESSAGE`.
    #[must_use]
    pub fn one_line(&self) -> String {
        let path = if self.path.is_empty() { String::new() } else { format!("{}: ", self.path) };
        format!(
            "{}:{}:{}: {}: {path}{}",
            self.file.display(),
            self.line,
            self.column,
            self.severity.as_str(),
            self.message
        )
    }
}

/// Escape one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
#[must_use]
pub(crate) fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Render a JSON pointer as a field path: `/routing/rules/1/assign/pod` →
/// `routing.rules[1].assign.pod`; keys that are not plain words are quoted
/// (`escalation.fallbacks["RevOps Director"]`).
#[must_use]
pub(crate) fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&segment);
            out.push(']');
        } else if !segment.is_empty()
            && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'+')
        {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        } else {
            out.push('[');
            out.push_str(&serde_json::Value::String(segment).to_string());
            out.push(']');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let all = Rule::ALL;
        let ids: std::collections::BTreeSet<&str> = all.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), all.len());
        for id in ids {
            assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{id}");
        }
        assert_eq!(serde_json::to_string(&Rule::PlanStale).ok().as_deref(), Some("\"plan-stale\""));
    }

    #[test]
    fn every_rule_explains_itself_and_links_to_its_readme_heading() {
        let readme = include_str!("../README.md");
        let ids: std::collections::BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), 11, "Rule::ALL lists every rule once");
        for rule in Rule::ALL {
            let doc = rule.doc();
            for text in [doc.short, doc.full, doc.help] {
                assert!(text.len() > 15 && text.ends_with('.'), "{rule}: {text}");
            }
            assert!(readme.contains(&format!("\n#### `{}`\n", rule.id())), "README heading for {rule}");
            assert_eq!(rule.help_uri(), format!("{README_URL}#{}", rule.id()));
            let warning = rule.id().starts_with("risk-");
            assert_eq!(rule.severity() == Severity::Warning, warning, "{rule}");
        }
    }

    #[test]
    fn field_paths_read_like_code() {
        assert_eq!(field_path("/routing/rules/1/assign/pod"), "routing.rules[1].assign.pod");
        assert_eq!(field_path(""), "");
        assert_eq!(field_path("/escalation/fallbacks/RevOps Director"), "escalation.fallbacks[\"RevOps Director\"]");
        assert_eq!(field_path("/demand/mix/employees/5000+"), "demand.mix.employees.5000+");
        assert_eq!(field_path("/a~1b"), "[\"a/b\"]");
        assert_eq!(escape_pointer("a/b~c"), "a~1b~0c");
    }
}
