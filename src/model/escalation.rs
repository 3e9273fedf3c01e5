//! The escalation tree: each rung's timer and action, fallbacks and the rip-cord.

use serde::Serialize;

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
    /// Node id the rip-cord hangs from: the last rung, or the new lead when there are none.
    pub last_node: String,
    /// On the business SLA clock, the open minutes of one business day: timers then read in
    /// business days and hours (2× of `1d` is `2d`, not `17h`); `None` on the calendar clock.
    pub business_day_minutes: Option<f64>,
}

/// A rung of the calculator's tree, with its place in the drawn tree.
#[derive(Debug, Clone, Serialize)]
pub struct RungView {
    /// The rung: level, SLA multiple, timer, action, target and stand-ins.
    #[serde(flatten)]
    pub rung: escalation::Rung,
    /// The stand-ins with their node ids in the tree (`L1s1` …), in order.
    pub stand_in_nodes: Vec<StandInNode>,
    /// Mermaid-safe node id (`L1`).
    pub node: String,
    /// Node id of what comes before it in the tree: the new lead, or the rung below.
    pub after: String,
}

/// A stand-in as a node of the escalation tree.
#[derive(Debug, Clone, Serialize)]
pub struct StandInNode {
    /// Mermaid-safe node id: the rung's, then `s` and the 1-based position (`L1s2`).
    pub node: String,
    /// Who stands in.
    pub name: String,
}

pub(super) fn escalation_view(checked: &crate::checked::Brief, sla_minutes: f64) -> EscalationView {
    let esc = &checked.raw().escalation;
    let window = checked.rip_cord_window();
    let tree = escalation::tree(&esc.ladder, &esc.fallbacks, &esc.rip_cord, sla_minutes, window.calendar_minutes());
    let rungs = tree
        .rungs
        .iter()
        .map(|r| RungView {
            rung: r.clone(),
            stand_in_nodes: r
                .stand_ins
                .iter()
                .enumerate()
                .map(|(i, name)| StandInNode { node: format!("{}s{}", node(r.level), i + 1), name: name.clone() })
                .collect(),
            node: node(r.level),
            after: if r.level > 1 { node(r.level - 1) } else { LEAD_NODE.to_owned() },
        })
        .collect::<Vec<_>>();
    let last_node = rungs.last().map_or_else(|| LEAD_NODE.to_owned(), |r| r.node.clone());
    let business_day_minutes = (checked.clock() == crate::calc::simulate::Clock::Business)
        .then(|| checked.calendar().open_minutes_per_day())
        .filter(|m| *m > 0.0);
    EscalationView { tree, rungs, rip_cord_window: esc.rip_cord.window.clone(), last_node, business_day_minutes }
}

/// Node id of the new lead, where the tree starts.
const LEAD_NODE: &str = "lead";

/// Node id of the rung at `level`.
fn node(level: usize) -> String {
    format!("L{level}")
}
