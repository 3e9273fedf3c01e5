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
        match self {
            Self::InvalidInput => {
                "The brief or plan file is unreadable, not valid YAML/JSON, breaks its schema or a semantic check."
            }
            Self::PlanMissing => "A brief has no plan: run `handoff build`.",
            Self::PlanInvalid => "A plan file does not validate against the plan schema.",
            Self::PlanStale => "A plan's last revision was built from another version of its brief.",
            Self::PlanEdited => "A plan differs from what `handoff build` writes: it was edited by hand.",
            Self::PlanOrphaned => "A plan whose brief is gone.",
            Self::RiskSla => "Design risk: the first-response SLA.",
            Self::RiskRouting => "Design risk: routing coverage and load.",
            Self::RiskEnablement => "Design risk: the enablement kit.",
            Self::RiskDependencies => "Design risk: systems and content the launch depends on.",
            Self::RiskDemand => "Design risk: demand assumptions.",
        }
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
        use Rule::*;
        let all = [
            InvalidInput,
            PlanMissing,
            PlanInvalid,
            PlanStale,
            PlanEdited,
            PlanOrphaned,
            RiskSla,
            RiskRouting,
            RiskEnablement,
            RiskDependencies,
            RiskDemand,
        ];
        let ids: std::collections::BTreeSet<&str> = all.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), all.len());
        for id in ids {
            assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{id}");
        }
        assert_eq!(serde_json::to_string(&Rule::PlanStale).ok().as_deref(), Some("\"plan-stale\""));
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
