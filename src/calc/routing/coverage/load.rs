//! Expected load from the demand mix: each assignment resolved statically to a pod's queue or
//! to reps (with the fraction of a lead each takes), tallied per rule, pod and rep.

use serde::Serialize;

use super::dimension::Cell;
use crate::brief::{Assign, Brief, Method, Reps};
use crate::calc::routing::condition::format_number;
use crate::calc::routing::engine::assign_field;

/// Expected load of one rep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepLoad {
    /// Rep name.
    pub rep: String,
    /// Share of all leads.
    pub share: f64,
    /// Leads per week.
    pub leads_per_week: f64,
}

/// Expected load of one pod.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodLoad {
    /// Pod id.
    pub pod: String,
    /// Share of all leads.
    pub share: f64,
    /// Leads per week.
    pub leads_per_week: f64,
    /// Share of all leads placed in the pod's queue rather than with a rep.
    pub queue_share: f64,
    /// Per rep, in the brief's order.
    pub reps: Vec<RepLoad>,
}

/// Expected share of one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleLoad {
    /// Rule id.
    pub rule: String,
    /// Share of leads the rule catches.
    pub share: f64,
    /// Of those, share placed by the rule's fallback or the routing fallback (as a share of all leads).
    pub fallback_share: f64,
}

/// Expected load from the demand mix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Load {
    /// Leads per week from `demand`.
    pub leads_per_week: f64,
    /// Per rule.
    pub by_rule: Vec<RuleLoad>,
    /// Share no rule catches (placed by the routing fallback or unrouted).
    pub no_rule_share: f64,
    /// Share placed by the routing fallback (no rule, or the rule's chain found nobody).
    pub fallback_share: f64,
    /// Share nobody can take.
    pub unrouted_share: f64,
    /// Per pod, in the brief's order.
    pub by_pod: Vec<PodLoad>,
}

/// Where a statically resolved assignment sends leads: a pod's queue, or reps as
/// (pod, rep, fraction of the lead).
pub(super) enum StaticTarget {
    Queue(usize),
    Reps(Vec<(usize, usize, f64)>),
}

pub(super) fn static_take(
    brief: &Brief,
    assign: &Assign,
    value_of: &dyn Fn(&str) -> Option<Cell>,
) -> Option<StaticTarget> {
    let pods = &brief.capacity.pods;
    let index = |id: &str| pods.iter().position(|p| p.id == id);
    // Available reps of a pod with their weights.
    let available = |pi: usize| -> Vec<(usize, usize, f64)> {
        match &pods[pi].reps {
            Reps::Count(n) => (0..*n as usize).map(|i| (pi, i, 1.0)).collect(),
            Reps::Named(reps) => reps
                .iter()
                .enumerate()
                .filter(|(_, r)| r.available)
                .map(|(i, r)| (pi, i, r.weight.filter(|w| w.is_finite() && *w > 0.0).unwrap_or(1.0)))
                .collect(),
        }
    };
    let spread = |v: Vec<(usize, usize, f64)>, by_weight: bool| -> Option<StaticTarget> {
        if v.is_empty() {
            return None;
        }
        let total: f64 = if by_weight { v.iter().map(|x| x.2).sum() } else { v.len() as f64 };
        Some(StaticTarget::Reps(
            v.into_iter().map(|(p, r, w)| (p, r, if by_weight { w / total } else { 1.0 / total })).collect(),
        ))
    };
    match assign.method {
        Method::RoundRobin | Method::Weighted | Method::Pod => {
            let pod = index(assign.pod.as_deref()?)?;
            let reps = available(pod);
            match assign.method {
                Method::Pod if reps.is_empty() => None,
                Method::Pod => Some(StaticTarget::Queue(pod)),
                m => spread(reps, m == Method::Weighted),
            }
        }
        Method::AccountOwner => {
            let field = assign_field(assign)?;
            if matches!(value_of(field), None | Some(Cell::Absent)) {
                return None;
            }
            let candidates: Vec<usize> = match assign.pod.as_deref() {
                Some(id) => vec![index(id)?],
                None => (0..pods.len()).collect(),
            };
            let named = candidates
                .into_iter()
                .filter(|&pi| matches!(pods[pi].reps, Reps::Named(_)))
                .flat_map(available)
                .collect();
            spread(named, false)
        }
        Method::Territory => {
            let field = assign.field.as_deref()?;
            let value = match value_of(field)? {
                Cell::Value { value } => value.to_lowercase(),
                Cell::Range { interval, .. } => format_number(interval.representative()),
                Cell::Absent | Cell::Other => return None,
            };
            let candidates: Vec<usize> = match assign.pod.as_deref() {
                Some(id) => vec![index(id)?],
                None => (0..pods.len()).collect(),
            };
            for pi in candidates {
                let pod = &pods[pi];
                let covering: Vec<(usize, usize, f64)> = match &pod.reps {
                    Reps::Named(reps) => reps
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.available && r.territories.iter().any(|t| t.to_lowercase() == value))
                        .map(|(i, r)| (pi, i, r.weight.filter(|w| w.is_finite() && *w > 0.0).unwrap_or(1.0)))
                        .collect(),
                    Reps::Count(_) => Vec::new(),
                };
                if !covering.is_empty() {
                    return spread(covering, true);
                }
                if pod.territories.iter().any(|t| t.to_lowercase() == value) && !available(pi).is_empty() {
                    return Some(StaticTarget::Queue(pi));
                }
            }
            None
        }
    }
}

pub(super) struct Tally {
    pub(super) rule_share: Vec<f64>,
    pub(super) rule_fallback_share: Vec<f64>,
    pub(super) no_rule: f64,
    pub(super) fallback: f64,
    pub(super) unrouted: f64,
    pub(super) pod: Vec<f64>,
    pub(super) queue: Vec<f64>,
    pub(super) rep: Vec<Vec<f64>>,
}

pub(super) fn accumulate(t: &mut Tally, target: &StaticTarget, share: f64) {
    match target {
        StaticTarget::Queue(pod) => {
            t.pod[*pod] += share;
            t.queue[*pod] += share;
        }
        StaticTarget::Reps(reps) => {
            for &(pi, ri, frac) in reps {
                if let Some(slot) = t.rep.get_mut(pi).and_then(|r| r.get_mut(ri)) {
                    *slot += share * frac;
                    t.pod[pi] += share * frac;
                }
            }
        }
    }
}
