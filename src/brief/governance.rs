//! How the design is held and signed: guardrails for automation, the success metrics it is judged
//! by, and the approvers of the packet.

use serde::{Deserialize, Serialize};

use super::defaults::{default_acceptance, default_attainment, default_lift, default_max_fallback, two};

/// Guardrails for automation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardrails {
    /// Retries for automation/build failures before escalation (default 2).
    #[serde(default = "two")]
    pub retry_limit: u32,
    /// Largest share of leads allowed to fall to the fallback or go unrouted (default 0.05).
    #[serde(default = "default_max_fallback")]
    pub max_fallback_share: f64,
    /// Highest occupancy pods are planned for (default 0.85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_occupancy: Option<f64>,
}

impl Default for Guardrails {
    fn default() -> Self {
        Self { retry_limit: 2, max_fallback_share: default_max_fallback(), max_occupancy: None }
    }
}

/// Targets the design is judged by (shares as fractions 0–1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessMetrics {
    /// Share of leads touched within the SLA.
    #[serde(default = "default_attainment")]
    pub sla_attainment: f64,
    /// Share of handed-off leads that sales accepts.
    #[serde(default = "default_acceptance")]
    pub acceptance_rate: f64,
    /// Relative lift in lead-to-opportunity conversion.
    #[serde(default = "default_lift")]
    pub conversion_lift: f64,
}

impl Default for SuccessMetrics {
    fn default() -> Self {
        Self {
            sla_attainment: default_attainment(),
            acceptance_rate: default_acceptance(),
            conversion_lift: default_lift(),
        }
    }
}

/// Someone who signs the packet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approver {
    /// Role.
    pub role: String,
    /// Name (optional until known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
