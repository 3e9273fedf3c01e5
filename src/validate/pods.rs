//! Checks of demand, pods, the escalation ladder, dependencies and enablement: references to
//! pods and attributes, shares that must add up, and the values each carries, parsed once.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::calendar::{self, Hours};
use super::{push, quoted_list};
use crate::brief::{Brief, Demand, Pod, Reps};
use crate::calc::duration::Duration;
use crate::diag::Problem;
use crate::diag::escape_pointer;
use crate::schema::nearest;

pub(super) fn check_demand(brief: &Brief, out: &mut Vec<Problem>) {
    let Demand { leads_per_day, leads_per_week, .. } = &brief.demand;
    match (leads_per_day, leads_per_week) {
        (None, None) => push(out, "/demand", "give one of `leads_per_day` or `leads_per_week`"),
        (Some(_), Some(_)) => push(out, "/demand", "give only one of `leads_per_day` or `leads_per_week`"),
        _ => {}
    }
    super::routing::check_mix(brief, out);
}

/// A pod's own clock values, parsed (`None` inside: the pod does not set it).
#[derive(Debug, Clone)]
pub(super) struct PodParts {
    pub(super) patience: Option<Duration>,
    pub(super) hours: Option<Hours>,
    pub(super) holidays: Option<BTreeSet<Date>>,
}

/// Checks pods; returns pod ids in order (first occurrence) and each pod's parsed values
/// (`None` when one of them has a problem).
pub(super) fn check_pods<'b>(brief: &'b Brief, out: &mut Vec<Problem>) -> (Vec<&'b str>, Vec<Option<PodParts>>) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ids = Vec::new();
    let mut parts = Vec::new();
    for (i, pod) in brief.capacity.pods.iter().enumerate() {
        let at = format!("/capacity/pods/{i}");
        if let Some(first) = seen.get(pod.id.as_str()) {
            push(out, format!("{at}/id"), format!("pod id `{}` is already used by capacity.pods[{first}]", pod.id));
        } else {
            seen.insert(&pod.id, i);
            ids.push(pod.id.as_str());
        }
        parts.push(check_pod(pod, &at, out));
    }
    (ids, parts)
}

fn check_pod(pod: &Pod, at: &str, out: &mut Vec<Problem>) -> Option<PodParts> {
    let before = out.len();
    let no_reps = match &pod.reps {
        Reps::Count(n) => *n == 0,
        Reps::Named(reps) => reps.is_empty(),
    };
    if no_reps {
        push(out, format!("{at}/reps"), format!("pod `{}` has no reps: give a head count or list the reps", pod.id));
    }
    if pod.shrinkage.is_some() && pod.availability.is_some() {
        push(
            out,
            format!("{at}/availability"),
            "give `shrinkage` or `availability`, not both (availability = 1 − shrinkage)",
        );
    }
    let patience = pod.patience.as_ref().map(|p| calendar::duration(p, &format!("{at}/patience"), out));
    if let Some(tz) = &pod.timezone {
        calendar::timezone(tz, &format!("{at}/timezone"), out);
    }
    let hours = pod.business_hours.as_ref().map(|h| calendar::hours(h, &format!("{at}/business_hours"), out));
    let holidays = pod.holidays.as_ref().map(|h| calendar::dates(h, &format!("{at}/holidays"), out));
    if out.len() != before {
        return None;
    }
    // The outer `Option` says whether the pod sets the value, the inner one whether it parsed;
    // with no new problem, every value the pod sets has parsed.
    Some(PodParts { patience: patience.flatten(), hours: hours.flatten(), holidays: holidays.flatten() })
}

pub(super) fn check_pod_ref(pod: &str, pods: &[&str], pointer: String, out: &mut Vec<Problem>) {
    if pods.contains(&pod) {
        return;
    }
    let hint = match nearest(pod, pods) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the pods are {}", quoted_list(pods)),
    };
    push(out, pointer, format!("no pod `{pod}` in `capacity.pods`; {hint}"));
}

/// Checks the ladder; returns the rip-cord window.
pub(super) fn check_escalation(brief: &Brief, out: &mut Vec<Problem>) -> Option<Duration> {
    let ladder = &brief.escalation.ladder;
    if ladder.is_empty() {
        push(
            out,
            "/escalation/ladder",
            "the ladder has no step: give at least one, such as `{ at: 1.0, action: remind, to: owner }`",
        );
    }
    for (i, pair) in ladder.windows(2).enumerate() {
        if pair[1].at <= pair[0].at {
            push(
                out,
                format!("/escalation/ladder/{}/at", i + 1),
                format!(
                    "steps must fire in increasing order of `at`: {}× comes after a step at {}×",
                    pair[1].at, pair[0].at
                ),
            );
        }
    }
    check_fallback_cycles(&brief.escalation.fallbacks, out);
    calendar::duration(&brief.escalation.rip_cord.window, "/escalation/rip_cord/window", out)
}

/// Each cycle of stand-ins (`A: B, B: C, C: A`, or `A: A`) once, at the stand-in entry of the
/// cycle's first role in key order: a chain that comes back to where it started names nobody
/// who is actually there, and the escalation tree used to cut it silently (issue 13).
fn check_fallback_cycles(fallbacks: &BTreeMap<String, String>, out: &mut Vec<Problem>) {
    let mut settled: BTreeSet<&str> = BTreeSet::new();
    for start in fallbacks.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut current = start.as_str();
        // Each role has one stand-in, so a walk either leaves the map, reaches a role already
        // settled, or comes back to a role on its own path: a cycle.
        while !settled.contains(current) {
            if let Some(at) = path.iter().position(|p| *p == current) {
                let cycle = &path[at..];
                let first = cycle.iter().min().copied().unwrap_or(current);
                let from = cycle.iter().position(|p| *p == first).unwrap_or(0);
                let mut names: Vec<&str> = cycle[from..].iter().chain(&cycle[..from]).copied().collect();
                names.push(first);
                let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                push(
                    out,
                    format!("/escalation/fallbacks/{}", escape_pointer(first)),
                    format!(
                        "the stand-ins form a cycle: {}; end the chain with someone who has no stand-in",
                        shown.join(" → ")
                    ),
                );
                break;
            }
            path.push(current);
            match fallbacks.get(current) {
                Some(next) => current = next,
                None => break,
            }
        }
        settled.extend(path);
    }
}

/// Checks due dates; returns each dependency's.
pub(super) fn check_dependencies(brief: &Brief, out: &mut Vec<Problem>) -> Option<Vec<Option<Date>>> {
    let dues: Vec<Option<Option<Date>>> = brief
        .dependencies
        .iter()
        .enumerate()
        .map(|(i, dep)| match &dep.due {
            Some(due) => calendar::date(due, &format!("/dependencies/{i}/due"), out).map(Some),
            None => Some(None),
        })
        .collect();
    dues.into_iter().collect()
}

/// Checks enablement items; returns each one's lead time (`None` where it does not parse).
pub(super) fn check_enablement(brief: &Brief, pods: &[&str], out: &mut Vec<Problem>) -> Vec<Option<Duration>> {
    brief
        .enablement
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = format!("/enablement/{i}");
            for (j, pod) in item.pods.iter().enumerate() {
                check_pod_ref(pod, pods, format!("{at}/pods/{j}"), out);
            }
            calendar::duration(&item.lead_time, &format!("{at}/lead_time"), out)
        })
        .collect()
}
