//! What happens when the SLA slips: the escalation ladder, stand-ins for absent owners and the
//! rip-cord that pulls leadership in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::defaults::{default_ladder, default_notify, default_window, two};

/// Escalation ladder, fallbacks and rip-cord.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Steps in order of `at`.
    #[serde(default = "default_ladder")]
    pub ladder: Vec<LadderStep>,
    /// Stand-ins for absent owners: role → stand-in.
    #[serde(default)]
    pub fallbacks: BTreeMap<String, String>,
    /// When to pull leadership in.
    #[serde(default)]
    pub rip_cord: RipCord,
}

impl Default for Escalation {
    fn default() -> Self {
        Self { ladder: default_ladder(), fallbacks: BTreeMap::new(), rip_cord: RipCord::default() }
    }
}

/// What a ladder step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// Remind the owner.
    Remind,
    /// Reassign within the pod.
    Reassign,
    /// Escalate to the named person or role.
    Escalate,
    /// Notify without changing ownership.
    Notify,
}

/// One ladder step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderStep {
    /// SLA multiple at which the step fires (1.0 = at the SLA).
    pub at: f64,
    /// What happens.
    pub action: StepAction,
    /// Who: `owner`, `pod`, or a role or person.
    pub to: String,
}

/// The rip-cord: repeated breaches pull leadership in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RipCord {
    /// Breaches or routing failures over the guardrail that pull it.
    #[serde(default = "two")]
    pub breaches: u32,
    /// Window they must fall in (duration string).
    #[serde(default = "default_window")]
    pub window: String,
    /// Who is told.
    #[serde(default = "default_notify")]
    pub notify: Vec<String>,
}

impl Default for RipCord {
    fn default() -> Self {
        Self { breaches: 2, window: default_window(), notify: default_notify() }
    }
}
