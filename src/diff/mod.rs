//! `handoff diff`'s comparison: what a change to a brief does to the design, not to its YAML.
//!
//! Both versions go through the same pipeline as `build` (load, validate, model, as of the same
//! time), and this module compares the two Models: per pod attainment, reps needed, load and
//! waits; routing rules, dead rules, coverage gaps and fallback share; escalation timers;
//! enablement and dependency due dates; risks added and removed; readiness; and the top-level
//! sections of the brief whose content changed. It returns data only (numbers, ids, enums and
//! which way each move goes); `render::diff` writes the words.

mod compare;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::brief::StepAction;
use crate::calc::routing::coverage::DeadReason;
use crate::calc::sla::Basis;
use crate::model::{Model, Risk};

pub(crate) use compare::compare;

/// One side of a comparison: a brief's Model and its JSON value (for the section hashes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side<'a> {
    /// The Model, built as `build` builds it.
    pub(crate) model: &'a Model,
    /// The brief as JSON, as written.
    pub(crate) value: &'a serde_json::Value,
}

/// A value before and after the change; `None` where it does not exist on that side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Change<T> {
    /// The base version's value.
    pub(crate) before: Option<T>,
    /// The changed version's value.
    pub(crate) after: Option<T>,
}

impl<T: PartialEq> Change<T> {
    /// A change from `before` to `after`.
    pub(crate) fn new(before: Option<T>, after: Option<T>) -> Self {
        Self { before, after }
    }

    /// True when the two sides differ.
    #[must_use]
    pub(crate) fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Whether the brief exists on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Presence {
    /// Only the changed version exists.
    Added,
    /// Only the base version exists.
    Removed,
    /// Both exist and the design differs (or a section of the brief does).
    Modified,
    /// Both exist and nothing differs.
    Unchanged,
}

/// Which way a move goes for the design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Direction {
    /// The design is better off.
    Better,
    /// The design is worse off.
    Worse,
}

/// The difference between two versions of one brief.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Diff {
    /// The brief's id (the changed version's, else the base's).
    pub(crate) id: String,
    /// Added, removed, modified or unchanged.
    pub(crate) change: Presence,
    /// The base version's path as given (`REF:path` when read from git).
    pub(crate) before_path: Option<String>,
    /// The changed version's path.
    pub(crate) after_path: Option<String>,
    /// Top-level sections of the brief whose content changed, sorted.
    pub(crate) changed_sections: Vec<String>,
    /// Readiness: `ready`, `at-risk` or `blocked`.
    pub(crate) status: Change<String>,
    /// The moves a reviewer should see first, better and worse.
    pub(crate) headline: Vec<Movement>,
    /// Per pod (by id): the SLA and load figures.
    pub(crate) pods: BTreeMap<String, PodDiff>,
    /// Routing rules, coverage and fallback.
    pub(crate) routing: RoutingDiff,
    /// Escalation timers and the rip-cord.
    pub(crate) escalation: EscalationDiff,
    /// Risks that appear, go away or change.
    pub(crate) risks: RiskDiff,
    /// Enablement items whose due date, owner or flags changed.
    pub(crate) enablement: ItemsDiff<EnablementChange>,
    /// Dependencies whose status, due date, owner or flags changed.
    pub(crate) dependencies: ItemsDiff<DependencyChange>,
}

/// A move worth a headline, with its direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Movement {
    /// Better or worse.
    pub(crate) direction: Direction,
    /// What moved.
    #[serde(flatten)]
    pub(crate) what: Moved,
}

/// What moved, with its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Moved {
    /// The readiness state.
    Status {
        /// Before.
        before: String,
        /// After.
        after: String,
    },
    /// A pod's attainment.
    Attainment {
        /// Pod id.
        pod: String,
        /// Before.
        before: f64,
        /// After.
        after: f64,
    },
    /// The head count a pod needs for its target (none: unreachable).
    RepsNeeded {
        /// Pod id.
        pod: String,
        /// Before.
        before: Option<u32>,
        /// After.
        after: Option<u32>,
    },
    /// Risks that appear (worse) or go away (better).
    Risks {
        /// How many.
        count: usize,
    },
    /// Rules that can never fire.
    DeadRules {
        /// Rule ids.
        rules: Vec<String>,
    },
    /// Enablement items and dependencies past due.
    PastDue {
        /// Before.
        before: usize,
        /// After.
        after: usize,
    },
    /// A pod that appears or goes away.
    Pod {
        /// Pod id.
        pod: String,
        /// True when added.
        added: bool,
    },
}

/// The SLA and load figures of one pod, before and after (`null` where the pod is absent).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PodDiff {
    /// Added, removed, modified or unchanged.
    pub(crate) change: Presence,
    /// Share touched within the SLA on the brief's clock.
    pub(crate) attainment: Change<f64>,
    /// Where `attainment` comes from: `erlang_c`, `erlang_a` or `simulation`.
    pub(crate) basis: Change<Basis>,
    /// The queueing formula's share within the SLA at the open-hours rate.
    pub(crate) formula_attainment: Change<f64>,
    /// The simulation's share within the SLA.
    pub(crate) simulated_attainment: Change<f64>,
    /// The target share.
    pub(crate) target: Change<f64>,
    /// Whether the pod meets its target.
    pub(crate) meets_target: Change<bool>,
    /// Head count.
    pub(crate) reps: Change<u32>,
    /// Head count needed for the target (`null` also when no head count reaches it).
    pub(crate) reps_needed: Change<u32>,
    /// Share of all leads reaching the pod.
    pub(crate) load_share: Change<f64>,
    /// Leads a week.
    pub(crate) leads_per_week: Change<f64>,
    /// Occupancy in open hours.
    pub(crate) occupancy: Change<f64>,
    /// p90 time to first touch from the formula, minutes on the SLA clock.
    pub p90_wait_minutes: Change<f64>,
    /// p90 time to first touch from the simulation, minutes on the SLA clock.
    pub simulated_p90_wait_minutes: Change<f64>,
}

/// Routing, before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoutingDiff {
    /// Rule ids only in the changed version, in its order.
    pub(crate) rules_added: Vec<String>,
    /// Rule ids only in the base version, in its order.
    pub(crate) rules_removed: Vec<String>,
    /// Rules in both whose conditions, assignment or fallback changed.
    pub(crate) rules_changed: Vec<String>,
    /// True when the rules both versions have are in another order.
    pub(crate) reordered: bool,
    /// The rule order.
    pub(crate) order: Change<Vec<String>>,
    /// Rules that can never fire: newly dead, and no longer dead.
    pub(crate) dead_rules: Added<DeadRuleRef>,
    /// Coverage gaps (condition sets no rule matches): new, now covered, and those whose share
    /// of demand moved.
    pub(crate) gaps: GapsDiff,
    /// Share of demand no rule matches.
    pub(crate) gap_share: Change<f64>,
    /// Share placed by a fallback.
    pub(crate) fallback_share: Change<f64>,
    /// Share nobody can take.
    pub(crate) unrouted_share: Change<f64>,
    /// The routing-level fallback's pod.
    pub(crate) fallback_pod: Change<String>,
}

/// A dead rule and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DeadRuleRef {
    /// Rule id.
    pub(crate) rule: String,
    /// Why it never fires.
    pub(crate) reason: DeadReason,
}

/// A coverage gap as a reviewer reads it: its conditions and its share of demand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GapRef {
    /// The fields the gap constrains, each with the cells it takes (`region`, `west`).
    pub(crate) cells: Vec<(String, String)>,
    /// The fields whose every value is in the gap.
    pub(crate) any: Vec<String>,
    /// Its share of demand.
    pub(crate) share: f64,
}

/// A gap with the same conditions on both sides whose share of demand moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GapChange {
    /// The fields the gap constrains, each with the cells it takes.
    pub(crate) cells: Vec<(String, String)>,
    /// The fields whose every value is in the gap.
    pub(crate) any: Vec<String>,
    /// Its share of demand, before and after.
    pub(crate) share: Change<f64>,
}

/// Coverage gaps before and after: a gap is the same gap when its conditions are (the cells it
/// takes and the fields it takes whole); its share changed when it reads differently at the
/// report's 0.1%.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct GapsDiff {
    /// Gaps only in the changed version.
    pub(crate) added: Vec<GapRef>,
    /// Gaps only in the base version (now covered, or now read with other conditions).
    pub(crate) removed: Vec<GapRef>,
    /// Gaps on both sides whose share moved.
    pub(crate) changed: Vec<GapChange>,
}

impl GapsDiff {
    /// True when no gap appears, goes away or moves.
    #[must_use]
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// What appears and what goes away.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Added<T> {
    /// Only in the changed version.
    pub(crate) added: Vec<T>,
    /// Only in the base version.
    pub(crate) removed: Vec<T>,
}

impl<T> Added<T> {
    /// True when nothing appears or goes away.
    #[must_use]
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// Escalation, before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EscalationDiff {
    /// Ladder rungs (by position) whose timer, action or target changed.
    pub(crate) rungs: Vec<RungChange>,
    /// Breaches that pull the rip-cord.
    pub(crate) rip_cord_breaches: Change<u32>,
    /// The rip-cord's window, minutes.
    pub(crate) rip_cord_window_minutes: Change<f64>,
    /// Who the rip-cord tells.
    pub(crate) rip_cord_notify: Change<Vec<String>>,
}

/// One ladder rung before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RungChange {
    /// 1-based position in firing order.
    pub(crate) level: usize,
    /// Minutes after arrival at which it fires.
    pub(crate) fires_after_minutes: Change<f64>,
    /// What it does.
    pub(crate) action: Change<StepAction>,
    /// Who acts or is told.
    pub(crate) to: Change<String>,
}

/// Risks that appear, go away, or stay with other numbers.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RiskDiff {
    /// Only in the changed version.
    pub(crate) added: Vec<Risk>,
    /// Only in the base version.
    pub(crate) removed: Vec<Risk>,
    /// About the same thing on both sides, with other numbers or severity.
    pub(crate) changed: Vec<Change<Risk>>,
}

/// Items (enablement or dependencies) that appear, go away or change.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ItemsDiff<T> {
    /// Items past due.
    pub(crate) past_due: Change<usize>,
    /// The items that differ, by name, in the changed version's order then the removed ones.
    pub(crate) items: Vec<T>,
}

/// An enablement item before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EnablementChange {
    /// The asset.
    pub(crate) asset: String,
    /// Due date.
    pub(crate) due: Change<String>,
    /// Owner (empty when missing).
    pub(crate) owner: Change<String>,
    /// Pods that need it.
    pub(crate) pods: Change<Vec<String>>,
    /// Flags (`past-due`, `no-owner` …).
    pub(crate) flags: Change<Vec<String>>,
}

/// A dependency before and after.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DependencyChange {
    /// Its name.
    pub(crate) name: String,
    /// Status slug.
    pub(crate) status: Change<String>,
    /// Due date.
    pub(crate) due: Change<String>,
    /// Owner (empty when missing).
    pub(crate) owner: Change<String>,
    /// Flags.
    pub(crate) flags: Change<Vec<String>>,
}
