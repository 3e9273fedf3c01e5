//! Risks found while building the Model, and their severity.

use serde::Serialize;

/// A risk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Risk {
    /// `high`, `medium` or `low` (sorted in that order).
    pub severity: Severity,
    /// Area (`sla`, `routing`, `enablement`, `dependencies`, `demand`).
    pub area: String,
    /// What is at risk, in words.
    pub message: String,
    /// JSON pointer into the brief of the value the risk is about (for diagnostics).
    #[serde(skip)]
    pub pointer: String,
}

/// Risk severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks launch or breaks the SLA.
    High,
    /// Needs an owner's attention before launch.
    Medium,
    /// Worth knowing.
    Low,
}
