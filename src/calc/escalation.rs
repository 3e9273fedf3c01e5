//! The escalation tree: ladder timers as multiples of the SLA, stand-ins, and the rip-cord.
//!
//! Commercial routers run SLA timers per lead: at 1× the owner is reminded, at 1.5× the lead is
//! reassigned within the pod, from 2× it climbs the management chain. This calculator turns the
//! brief's ladder into fire times on the SLA clock and resolves each rung's stand-in, so the
//! design doc and the plan show the same tree.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::brief::{LadderStep, RipCord, StepAction};

/// One rung of the ladder, with its fire time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rung {
    /// 1-based position on the ladder.
    pub level: usize,
    /// SLA multiple at which the rung fires.
    pub at: f64,
    /// Minutes on the SLA clock after arrival at which it fires.
    pub fires_after_minutes: f64,
    /// What happens.
    pub action: StepAction,
    /// Who acts or is told.
    pub to: String,
    /// Who stands in when `to` is absent, following the fallbacks chain (empty if none).
    pub stand_ins: Vec<String>,
}

/// The rip-cord, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RipCordPlan {
    /// Breaches or routing failures that pull it.
    pub breaches: u32,
    /// Window in minutes (calendar clock).
    pub window_minutes: f64,
    /// Who is told.
    pub notify: Vec<String>,
}

/// The escalation tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EscalationTree {
    /// Rungs in firing order.
    pub rungs: Vec<Rung>,
    /// The rip-cord.
    pub rip_cord: RipCordPlan,
}

/// Resolve the ladder against an SLA of `sla_minutes` (on the SLA clock).
///
/// Rungs are sorted by `at` (stable, so equal multiples keep the brief's order). Stand-ins follow
/// `fallbacks` from each rung's target, stopping at a cycle, so `A → B → A` yields `[B]`.
#[must_use]
pub(crate) fn tree(
    ladder: &[LadderStep],
    fallbacks: &BTreeMap<String, String>,
    rip_cord: &RipCord,
    sla_minutes: f64,
    rip_cord_window_minutes: f64,
) -> EscalationTree {
    let mut steps: Vec<&LadderStep> = ladder.iter().collect();
    steps.sort_by(|a, b| a.at.total_cmp(&b.at));
    let rungs = steps
        .into_iter()
        .enumerate()
        .map(|(i, step)| Rung {
            level: i + 1,
            at: step.at,
            fires_after_minutes: step.at * sla_minutes,
            action: step.action,
            to: step.to.clone(),
            stand_ins: stand_ins(&step.to, fallbacks),
        })
        .collect();
    EscalationTree {
        rungs,
        rip_cord: RipCordPlan {
            breaches: rip_cord.breaches,
            window_minutes: rip_cord_window_minutes,
            notify: rip_cord.notify.clone(),
        },
    }
}

/// The chain of stand-ins for `who`, without repeats. Validation refuses cycles; the set keeps
/// the walk linear and finite whatever the map holds.
fn stand_ins(who: &str, fallbacks: &BTreeMap<String, String>) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::from([who]);
    let mut current = who;
    while let Some(next) = fallbacks.get(current) {
        if !seen.insert(next) {
            break;
        }
        chain.push(next.clone());
        current = next;
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::default_ladder;

    #[test]
    fn default_ladder_fires_at_the_multiples_of_design_md() {
        // DESIGN.md: timers at 1x, 1.5x, 2x of the SLA; with a 2h SLA that is 120, 180, 240 minutes.
        let t = tree(&default_ladder(), &BTreeMap::new(), &RipCord::default(), 120.0, 2880.0);
        let fires: Vec<f64> = t.rungs.iter().map(|r| r.fires_after_minutes).collect();
        assert_eq!(fires, vec![120.0, 180.0, 240.0, 360.0, 480.0]);
        assert_eq!(t.rungs[0].action, StepAction::Remind);
        assert_eq!(t.rungs[1].action, StepAction::Reassign);
        assert_eq!(t.rungs[2].to, "RevOps Director");
        assert_eq!(t.rip_cord.breaches, 2);
    }

    #[test]
    fn unsorted_ladder_is_sorted_and_stand_ins_follow_chains_without_cycles() {
        let ladder = vec![
            LadderStep { at: 2.0, action: StepAction::Escalate, to: "A".into() },
            LadderStep { at: 1.0, action: StepAction::Remind, to: "owner".into() },
        ];
        let fallbacks: BTreeMap<String, String> =
            [("A", "B"), ("B", "C"), ("C", "A")].into_iter().map(|(a, b)| (a.to_owned(), b.to_owned())).collect();
        let t = tree(&ladder, &fallbacks, &RipCord::default(), 60.0, 60.0);
        assert_eq!(t.rungs[0].to, "owner");
        assert_eq!(t.rungs[0].level, 1);
        assert_eq!(t.rungs[1].stand_ins, vec!["B".to_owned(), "C".to_owned()]);
        assert!(t.rungs[0].stand_ins.is_empty());
    }
}
