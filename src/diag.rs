//! Problems found in a brief or a plan, as data: the one located problem type every check
//! returns, and the rule ids diagnostics are reported under.
//!
//! A [`Problem`] is located by JSON pointer into the document it is about; the loader maps the
//! pointer to a line and column through the positions it kept. Nothing here formats a report:
//! `report` renders diagnostics, this module only says what they are.

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
    /// Every rule, in the order SARIF lists them.
    pub const ALL: [Self; 11] = [
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_kebab_case() {
        let ids: std::collections::BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
        for id in ids {
            assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{id}");
        }
        assert_eq!(serde_json::to_string(&Rule::PlanStale).ok().as_deref(), Some("\"plan-stale\""));
    }
}
