//! The brief as its author wrote it: serde types that mirror `schemas/brief.schema.json`.
//!
//! These are the *raw* values (ripgrep's `lowargs`): strings for dates, zones and durations, as
//! typed. `validate` checks them against each other and derives the checked brief
//! (`crate::checked::Brief`, ripgrep's `hiargs`) that `model` reads. Every struct denies unknown
//! fields so a typo never passes silently, even when the schema is bypassed (for example a
//! template override that reads the brief directly).
//!
//! Loading with source positions lives in [`yaml`]; the other files declare the shape, one
//! section of the brief each, and everything is re-exported here so a type is always
//! `crate::brief::X`:
//!
//! - this file: the [`Brief`] itself and its top-level scalars (segment, goal, SLA clock, hours);
//! - `funnel`: funnel stages, score bands and the demand reaching the handoff;
//! - `capacity`: pods, their roles and reps;
//! - `routing`: attributes, rules, conditions, assignments and routing tests;
//! - `escalation`: the ladder, stand-ins and the rip-cord;
//! - `readiness`: dependencies and enablement assets (with objection tables);
//! - `governance`: guardrails, success metrics and approvers;
//! - `defaults`: the values serde fills in for what a brief leaves out.

mod capacity;
mod defaults;
mod escalation;
mod funnel;
mod governance;
mod readiness;
mod routing;
pub mod yaml;

use serde::{Deserialize, Serialize};

pub use capacity::{Capacity, Pod, Rep, Reps, Role};
pub use defaults::{default_approvers, default_ladder};
pub use escalation::{Escalation, LadderStep, RipCord, StepAction};
pub use funnel::{BandAction, ConditionalMix, Demand, Funnel, Mix, ScoreBand, Stage};
pub use governance::{Approver, Guardrails, SuccessMetrics};
pub use readiness::{AssetKind, Dependency, DependencyKind, EnablementItem, Objection, Status};
pub use routing::{
    Assign, Attribute, AttributeType, Condition, ConditionValue, Expectation, Method, Routing, RoutingTest, Rule,
    TypedAttribute,
};

/// One handoff design: the whole YAML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brief {
    /// Slug naming the outputs, `^[a-z0-9][a-z0-9-]{0,62}$`.
    pub id: String,
    /// The design's name as people say it.
    pub title: String,
    /// Customer segment.
    pub segment: Segment,
    /// What the handoff is for.
    pub goal: Goal,
    /// First-touch SLA as a duration string (`15m`, `2h`, `1d`, `1h30m`); checked, it is
    /// `crate::checked::Brief::sla` and its minutes on the SLA clock.
    pub response_sla: String,
    /// Which clock the SLA runs on.
    #[serde(default)]
    pub sla_clock: SlaClock,
    /// IANA time zone of the team (`America/New_York`).
    pub timezone: String,
    /// Open days and hours.
    pub business_hours: BusinessHours,
    /// Dates the team is closed (`YYYY-MM-DD`).
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Go-live date (`YYYY-MM-DD`).
    pub launch: String,
    /// Funnel stages, qualification and score bands.
    pub funnel: Funnel,
    /// Inbound volume reaching the handoff.
    pub demand: Demand,
    /// The pods that take leads.
    pub capacity: Capacity,
    /// Ordered routing rules.
    pub routing: Routing,
    /// Escalation ladder and rip-cord.
    #[serde(default)]
    pub escalation: Escalation,
    /// Systems and content that must be ready.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// Assets each pod needs.
    #[serde(default)]
    pub enablement: Vec<EnablementItem>,
    /// Retry limits for automation.
    #[serde(default)]
    pub guardrails: Guardrails,
    /// Targets the design is judged by.
    #[serde(default)]
    pub success_metrics: SuccessMetrics,
    /// Who signs the approval packet.
    #[serde(default = "default_approvers")]
    pub approvers: Vec<Approver>,
}

/// Customer segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    /// Large accounts.
    Enterprise,
    /// Mid-sized companies.
    MidMarket,
    /// Small businesses.
    Smb,
    /// Partner-sourced.
    Partner,
}

/// What the handoff is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// New pipeline.
    Pipeline,
    /// Expansion.
    Expansion,
    /// Product activation.
    ProductActivation,
    /// Account-based marketing.
    Abm,
}

/// Which clock the SLA runs on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlaClock {
    /// Only business hours count; leads arriving while closed wait for opening.
    #[default]
    Business,
    /// Every minute counts.
    Calendar,
}

/// Day of the week, as written in briefs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

/// Open days and hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// Open days.
    pub days: Vec<Day>,
    /// Opening time, `HH:MM` (24h).
    pub open: String,
    /// Closing time, `HH:MM` (24h), after `open`; `00:00` is midnight at the end of the day, so
    /// `open: "00:00", close: "00:00"` is open around the clock.
    pub close: String,
}
