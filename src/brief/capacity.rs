//! Who takes the leads: pods, each a team of reps with one role, head count or named reps.

use serde::{Deserialize, Serialize};

use super::BusinessHours;
use super::defaults::{is_true, yes};

/// The pods that take leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Pods, each a team of reps with one role.
    pub pods: Vec<Pod>,
}

/// Role of a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Sales development rep.
    #[serde(rename = "SDR")]
    Sdr,
    /// Business development rep.
    #[serde(rename = "BDR")]
    Bdr,
    /// Account executive.
    #[serde(rename = "AE")]
    Ae,
    /// Account manager.
    #[serde(rename = "AM")]
    Am,
    /// Partner manager.
    #[serde(rename = "PM")]
    PartnerManager,
    /// Customer success manager.
    #[serde(rename = "CSM")]
    Csm,
}

/// A pod: a team of reps sharing a queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pod {
    /// Slug id, used by routing rules.
    pub id: String,
    /// Display name (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Role of the reps.
    pub role: Role,
    /// Head count, or the named reps.
    pub reps: Reps,
    /// Share of paid time not available for first touches (0–1). Give this or `availability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrinkage: Option<f64>,
    /// Share of paid time available for first touches (0–1) = 1 − shrinkage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
    /// Mean minutes of work per first touch.
    pub touch_minutes: f64,
    /// Default cap on open leads per rep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_open: Option<u32>,
    /// Mean time a lead stays warm (duration string); enables the Erlang A model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patience: Option<String>,
    /// Pod's own IANA zone (follow-the-sun); default the brief's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Pod's own hours; default the brief's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<BusinessHours>,
    /// Pod's own holidays; default the brief's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<Vec<String>>,
    /// Territory values this pod covers, for `territory` routing (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
}

/// Head count or named reps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Reps {
    /// Anonymous head count.
    Count(u32),
    /// Named reps.
    Named(Vec<Rep>),
}

/// A named rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    /// Name as in the CRM.
    pub name: String,
    /// Relative share for `weighted` routing (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Cap on open leads (default the pod's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_open: Option<u32>,
    /// False when the rep takes no new leads (leave, ramp-down).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub available: bool,
    /// Territory values this rep covers, for `territory` routing (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
}
