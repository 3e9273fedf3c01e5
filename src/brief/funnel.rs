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
    /// `<1000`) → share, shares of one attribute summing to 1; or shares conditional on another
    /// attribute's value (`{ by: region, emea: {…}, na: {…} }`).
    #[serde(default)]
    pub mix: BTreeMap<String, Mix>,
}

/// One attribute's shares in the demand mix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Mix {
    /// Value (or numeric range) → share of all leads; the shares sum to 1.
    Shares(BTreeMap<String, f64>),
    /// Shares that depend on another attribute: for each of its values, value → share of the
    /// leads with that value (each set sums to 1). Issue 12: "size within segment", "country
    /// within region".
    Conditional(ConditionalMix),
}

/// Shares of an attribute given the value of another (`by`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionalMix {
    /// The attribute the shares depend on (a closed list of values).
    pub by: String,
    /// Per value of `by`: value (or numeric range) → share of the leads with that value.
    #[serde(flatten)]
    pub given: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Mix {
    /// Every set of shares with the value of `by` it applies to (`None` for plain shares).
    pub fn branches(&self) -> Vec<(Option<&str>, &BTreeMap<String, f64>)> {
        match self {
            Self::Shares(s) => vec![(None, s)],
            Self::Conditional(c) => c.given.iter().map(|(v, s)| (Some(v.as_str()), s)).collect(),
        }
    }

    /// The attribute the shares depend on, when conditional.
    #[must_use]
    pub fn by(&self) -> Option<&str> {
        match self {
            Self::Shares(_) => None,
            Self::Conditional(c) => Some(&c.by),
        }
    }

    /// The plain shares, when not conditional.
    #[must_use]
    pub fn shares(&self) -> Option<&BTreeMap<String, f64>> {
        match self {
            Self::Shares(s) => Some(s),
            Self::Conditional(_) => None,
        }
    }
}

impl From<BTreeMap<String, f64>> for Mix {
    fn from(shares: BTreeMap<String, f64>) -> Self {
        Self::Shares(shares)
    }
}
