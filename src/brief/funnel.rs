//! What arrives: the funnel's stages and score bands, and the inbound demand with its mix by
//! attribute.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Funnel stages, qualification and score bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funnel {
    /// Stages in order (MQL, SAL, SQL …).
    pub stages: Vec<Stage>,
    /// Qualification criteria (BANT, MEDDIC …).
    #[serde(default)]
    pub qualification: Vec<String>,
    /// Score bands, highest first; each lead falls in the first band whose `min` it reaches.
    #[serde(default)]
    pub score_bands: Vec<ScoreBand>,
    /// The lead field holding the score the bands read (`usage_score`); the checklist asks for
    /// it, and says the field is unnamed when bands exist without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_field: Option<String>,
}

/// A funnel stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Short id (`mql`).
    pub id: String,
    /// Name as people say it.
    pub name: String,
    /// Entry criteria.
    pub entry: String,
    /// Exit criteria (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<String>,
    /// Who owns leads in this stage (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// What a score band does with a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BandAction {
    /// Straight to an account executive.
    RouteToAe,
    /// SDR follows up.
    SdrFollowUp,
    /// Marketing nurture.
    Nurture,
    /// Back to marketing to recycle.
    Recycle,
    /// Disqualify.
    Disqualify,
}

/// A lead-score band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreBand {
    /// Lowest score in the band (inclusive).
    pub min: f64,
    /// What the band does.
    pub action: BandAction,
    /// Optional label (`hot`, `warm` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Inbound volume reaching the handoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Leads per (calendar) day; give this or `leads_per_week`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads_per_day: Option<f64>,
    /// Leads per (calendar) week; give this or `leads_per_day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads_per_week: Option<f64>,
    /// Share of leads arriving outside business hours (0–1); default: spread by the calendar,
    /// i.e. 0 (all arrivals inside business hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_hours_share: Option<f64>,
    /// Mix by attribute: attribute → value (or numeric range such as `1000-4999`, `5000+`,
    /// `<1000`) → share. Shares of one attribute sum to 1.
    #[serde(default)]
    pub mix: BTreeMap<String, BTreeMap<String, f64>>,
}
