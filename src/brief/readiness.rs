//! What must be ready before launch: dependencies (systems and content, with status and due
//! date) and the enablement assets each pod needs, objection tables included.

use serde::{Deserialize, Serialize};

use super::defaults::not_started;

/// Kind of dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DependencyKind {
    /// Lead scoring model.
    Scoring,
    /// System integration.
    Integration,
    /// Outreach sequence.
    Sequence,
    /// Talk track or script.
    TalkTrack,
    /// Enrichment provider.
    Enrichment,
    /// Report or dashboard.
    Dashboard,
    /// Automation flow.
    Automation,
    /// Anything else.
    Other,
}

/// Readiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not started.
    NotStarted,
    /// Being built.
    InProgress,
    /// Blocked.
    Blocked,
    /// Ready.
    Ready,
}

/// A system or content that must be ready.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// What it is.
    pub name: String,
    /// Kind.
    pub kind: DependencyKind,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Readiness.
    #[serde(default = "not_started")]
    pub status: Status,
    /// Due date (`YYYY-MM-DD`); default the launch date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
}

/// Kind of enablement asset (the shape of an enablement kit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetKind {
    /// Context brief: who the leads are and why they came.
    ContextBrief,
    /// Talk track.
    TalkTrack,
    /// Call or email script.
    Script,
    /// Objection → response → proof table.
    ObjectionTable,
    /// Collateral (one-pagers, case studies).
    Collateral,
    /// Outreach sequence.
    Sequence,
    /// System instructions (CRM workflow, sequence enrolment, logging).
    SystemInstructions,
    /// Dashboard.
    Dashboard,
    /// Playbook.
    Playbook,
    /// Feedback channel.
    FeedbackChannel,
    /// Training session.
    Training,
}

/// An objection with its response and proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// What the lead says.
    pub objection: String,
    /// What the rep answers.
    pub response: String,
    /// The proof (case study, metric, reference).
    pub proof: String,
}

/// An asset a pod needs before launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnablementItem {
    /// Name of the asset.
    pub asset: String,
    /// Kind.
    pub kind: AssetKind,
    /// Pods that need it.
    pub pods: Vec<String>,
    /// Who produces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Lead time before launch, in business days (`10d`).
    pub lead_time: String,
    /// Notes (Markdown, raw HTML not rendered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Objections, for `objection-table` assets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<Objection>,
    /// Link to the asset (http, https or mailto).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}
