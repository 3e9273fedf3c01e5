//! The escalation tree: each rung's timer and action, fallbacks and the rip-cord.

use serde::Serialize;

use super::slug;
use crate::brief::StepAction;
use crate::calc::escalation;

/// Escalation view.
#[derive(Debug, Clone, Serialize)]
pub struct EscalationView {
    /// The resolved tree.
    pub tree: escalation::EscalationTree,
    /// Rungs with printable labels.
    pub rungs: Vec<RungView>,
    /// The rip-cord window as written.
    pub rip_cord_window: String,
}

/// A rung, with its action spelled out.
#[derive(Debug, Clone, Serialize)]
pub struct RungView {
    /// Level, 1-based.
    pub level: usize,
    /// SLA multiple.
    pub at: f64,
    /// Minutes after arrival, on the SLA clock.
    pub fires_after_minutes: f64,
    /// Action slug.
    pub action: String,
    /// What happens, in words.
    pub action_text: String,
    /// Target.
    pub to: String,
    /// Stand-ins.
    pub stand_ins: Vec<String>,
    /// Mermaid-safe node id.
    pub node: String,
}

pub(super) fn escalation_view(checked: &crate::checked::Brief, sla_minutes: f64) -> EscalationView {
    let esc = &checked.raw().escalation;
    let window = checked.rip_cord_window();
    let tree = escalation::tree(&esc.ladder, &esc.fallbacks, &esc.rip_cord, sla_minutes, window.calendar_minutes());
    let rungs = tree
        .rungs
        .iter()
        .map(|r| RungView {
            level: r.level,
            at: r.at,
            fires_after_minutes: r.fires_after_minutes,
            action: slug(&r.action),
            action_text: match r.action {
                StepAction::Remind => format!("Remind {}", r.to),
                StepAction::Reassign => format!("Reassign within the {}", r.to),
                StepAction::Escalate => format!("Escalate to {}", r.to),
                StepAction::Notify => format!("Notify {}", r.to),
            },
            to: r.to.clone(),
            stand_ins: r.stand_ins.clone(),
            node: format!("L{}", r.level),
        })
        .collect();
    EscalationView { tree, rungs, rip_cord_window: esc.rip_cord.window.clone() }
}
