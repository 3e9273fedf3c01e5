//! Validation: the raw brief in, the checked brief out.
//!
//! The schema checks each value on its own; these checks look across the brief (a rule naming
//! a pod that does not exist, duplicate ids, shares that do not add up) and parse what the
//! schema only shapes (real dates, IANA zones, durations, hours that close after they open).
//! Each problem carries the JSON pointer of the offending value, so the loader can place it at a
//! line and column. A brief without problems becomes a `checked::Brief`: every value parsed,
//! derived and compiled once here, so nothing downstream parses text again.
//!
//! A brief without problems of its own runs its `routing.tests` on the compiled routing; a test
//! that reaches something else refuses the brief too, as data ([`Refusal::FailedTests`]), so
//! whoever reports it words it.
//!
//! - `calendar`: durations, zones, hours and dates.
//! - `pods`: demand, pods, the escalation ladder, dependencies and enablement.
//! - `routing`: references, the routing compiled once, and the brief's routing tests.

mod calendar;
mod pods;
mod routing;

use std::collections::BTreeSet;

use crate::brief::{Brief, Reps, SlaClock};
use crate::calc::routing::TestOutcome;
use crate::calc::simulate::Clock;
use crate::checked::{self, Share};
use crate::diag::Problem;

/// Tolerance on shares that must sum to 1.
const SHARE_TOLERANCE: f64 = 1e-6;

/// Why validation refused a brief.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Every semantic problem, in the order of the brief. Empty when the brief breaks only a
    /// bound the schema states (a share above 1, a rate or a time that is not positive, more
    /// reps than a pod may have): those are the schema's to report, which the loader always
    /// runs beside this.
    Problems(Vec<Problem>),
    /// The brief has no problem of its own, but these of its `routing.tests` reach another rule,
    /// pod or rep than they expect (each at `/routing/tests/{index}`).
    FailedTests(Vec<TestOutcome>),
}

impl From<Vec<Problem>> for Refusal {
    fn from(problems: Vec<Problem>) -> Self {
        Self::Problems(problems)
    }
}

/// Check `brief` and, when it holds, derive the checked brief from it.
///
/// # Errors
/// A [`Refusal`]: the semantic problems found, or the brief's routing tests that fail.
pub fn check(brief: &Brief) -> Result<checked::Brief, Refusal> {
    let mut out = Vec::new();
    let sla = calendar::duration(&brief.response_sla, "/response_sla", &mut out);
    let zone = calendar::timezone(&brief.timezone, "/timezone", &mut out);
    let hours = calendar::hours(&brief.business_hours, "/business_hours", &mut out);
    let holidays = calendar::dates(&brief.holidays, "/holidays", &mut out);
    let launch = calendar::launch(&brief.launch, "/launch", &mut out);
    pods::check_demand(brief, &mut out);
    let (pod_ids, pod_parts) = pods::check_pods(brief, &mut out);
    routing::check_references(brief, &pod_ids, &mut out);
    let window = pods::check_escalation(brief, &mut out);
    let dues = pods::check_dependencies(brief, &mut out);
    let lead_times = pods::check_enablement(brief, &pod_ids, &mut out);
    if let Some(hours) = &hours {
        calendar::lead_times(&lead_times, hours, &mut out);
    }
    let lead_times: Option<Vec<_>> = lead_times.into_iter().collect();
    if brief.approvers.is_empty() {
        push(&mut out, "/approvers", "no approver: name at least one role that signs the packet");
    }
    check_targets(brief, &mut out);
    // Routing compiles here, once; the router checks pod references too, so say each thing
    // once. The brief's own routing tests run only on a brief without other problems.
    let reported: BTreeSet<String> = out.iter().map(|p| p.pointer.clone()).collect();
    let router = routing::compile(brief, &reported, &mut out);
    if !out.is_empty() {
        return Err(Refusal::Problems(out));
    }
    if let Some(router) = &router {
        let failed = routing::test_failures(brief, router);
        if !failed.is_empty() {
            return Err(Refusal::FailedTests(failed));
        }
    }
    let parts = Parts {
        sla: sla.ok_or_else(Vec::new)?,
        zone: zone.ok_or_else(Vec::new)?,
        hours: hours.ok_or_else(Vec::new)?,
        holidays: holidays.ok_or_else(Vec::new)?,
        launch: launch.ok_or_else(Vec::new)?,
        pods: pod_parts.into_iter().collect::<Option<_>>().ok_or_else(Vec::new)?,
        window: window.ok_or_else(Vec::new)?,
        dues: dues.ok_or_else(Vec::new)?,
        lead_times: lead_times.ok_or_else(Vec::new)?,
        router: router.ok_or_else(Vec::new)?,
    };
    lift(brief, parts).ok_or_else(|| Refusal::Problems(Vec::new()))
}

/// Targets the schema lets through but no model can meet: a target of no lead at all, or every
/// lead arriving while the team is closed.
fn check_targets(brief: &Brief, out: &mut Vec<Problem>) {
    if brief.success_metrics.sla_attainment == 0.0 {
        push(
            out,
            "/success_metrics/sla_attainment",
            "an SLA attainment target of 0 asks for nothing: give the share of leads to touch within the SLA, such as 0.9",
        );
    }
    if brief.demand.after_hours_share == Some(1.0) {
        push(
            out,
            "/demand/after_hours_share",
            "an after-hours share of 1 leaves no lead arriving in business hours: give a share below 1",
        );
    }
}

/// The values the checks parsed, each once.
struct Parts {
    sla: crate::calc::duration::Duration,
    zone: jiff::tz::TimeZone,
    hours: calendar::Hours,
    holidays: BTreeSet<jiff::civil::Date>,
    launch: jiff::civil::Date,
    pods: Vec<pods::PodParts>,
    window: crate::calc::duration::Duration,
    dues: Vec<Option<jiff::civil::Date>>,
    lead_times: Vec<crate::calc::duration::Duration>,
    router: crate::calc::routing::Router,
}

/// The checked brief from its parsed parts; `None` when a value lies outside a bound the schema
/// states (the schema reports it).
fn lift(brief: &Brief, parts: Parts) -> Option<checked::Brief> {
    let clock = match brief.sla_clock {
        SlaClock::Business => Clock::Business,
        SlaClock::Calendar => Clock::Calendar,
    };
    let calendar = calendar::calendar(&brief.timezone, &parts.hours, &parts.holidays)?;
    let leads_per_week = match (brief.demand.leads_per_week, brief.demand.leads_per_day) {
        (Some(w), _) => w,
        (None, Some(d)) => d * 7.0,
        (None, None) => return None,
    };
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !positive(leads_per_week) {
        return None;
    }
    let below_one = |s: Share| (s.get() < 1.0).then_some(s);
    let above_zero = |s: Share| (s.get() > 0.0).then_some(s);
    let after_hours_share = match brief.demand.after_hours_share {
        Some(s) => Some(Share::new(s).and_then(below_one)?),
        None => None,
    };
    for mix in brief.demand.mix.values() {
        for (_, shares) in mix.branches() {
            for share in shares.values() {
                Share::new(*share)?;
            }
        }
    }
    let mut pods = Vec::with_capacity(parts.pods.len());
    for (index, (pod, own)) in brief.capacity.pods.iter().zip(parts.pods).enumerate() {
        let zone = pod.timezone.as_deref().unwrap_or(&brief.timezone);
        let hours = own.hours.as_ref().unwrap_or(&parts.hours);
        let holidays = own.holidays.as_ref().unwrap_or(&parts.holidays);
        let pod_calendar = calendar::calendar(zone, hours, holidays)?;
        let start = parts.launch.to_zoned_datetime(pod_calendar.time_zone().clone()).ok()?.timestamp();
        let shrinkage =
            Share::new(pod.shrinkage.or(pod.availability.map(|a| 1.0 - a)).unwrap_or(0.0)).and_then(below_one)?;
        if !positive(pod.touch_minutes) {
            return None;
        }
        let (head_count, available_reps) = match &pod.reps {
            Reps::Count(n) => (*n, *n),
            Reps::Named(list) => {
                (u32::try_from(list.len()).ok()?, u32::try_from(list.iter().filter(|r| r.available).count()).ok()?)
            }
        };
        pods.push(checked::Pod {
            index,
            sla_minutes: clock.minutes(parts.sla, &pod_calendar),
            calendar: pod_calendar,
            patience: own.patience,
            shrinkage,
            head_count,
            available_reps,
            touch_minutes: pod.touch_minutes,
            start,
        });
    }
    let metrics = &brief.success_metrics;
    Share::new(metrics.acceptance_rate)?;
    let max_occupancy = match brief.guardrails.max_occupancy {
        Some(o) => Some(Share::new(o).and_then(above_zero)?),
        None => None,
    };
    Some(checked::Brief {
        sla: parts.sla,
        clock,
        sla_minutes: clock.minutes(parts.sla, &calendar),
        time_zone: parts.zone,
        calendar,
        launch: parts.launch,
        leads_per_week,
        after_hours_share,
        pods,
        rip_cord_window: parts.window,
        lead_times: parts.lead_times,
        dependency_dues: parts.dues,
        sla_attainment: Share::new(metrics.sla_attainment).and_then(above_zero)?,
        max_fallback_share: Share::new(brief.guardrails.max_fallback_share)?,
        max_occupancy,
        router: parts.router,
        raw: brief.clone(),
    })
}

fn push(out: &mut Vec<Problem>, pointer: impl Into<String>, message: impl Into<String>) {
    out.push(Problem::at(pointer, message));
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests;
