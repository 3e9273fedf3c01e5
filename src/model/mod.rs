//! The Model: the one context every template reads, built once per brief.
//!
//! `model` is where the checked brief meets the calculators: it reads the durations, dates,
//! calendars and compiled routing validation derived (nothing here parses text), calls each
//! calculator, and gathers the results with the brief's own words into plain serialisable
//! structs. Templates present these values and never compute; calculators never see templates.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::brief::BusinessHours;
use crate::calc::calendar::BusinessCalendar;

mod advice;
mod brief_view;
mod checklist;
mod enablement;
mod escalation;
mod risk;
mod routing;
mod sla;

pub use advice::{Advice, ClosedHours, PodAdvice};
pub use brief_view::{BandView, DemandView, FunnelView, MixRow, NamedRep, PodView};
pub use checklist::{Checklist, DependencyView, FieldItem, ImpliedFlow, Need};
pub use enablement::{EnablementView, EnablementView1, GapView, ObjectionTable, PodKit};
pub use escalation::{EscalationView, RungView, StandInNode};
pub use risk::{Area, Risk, RiskKind, Severity};
pub use routing::{Destination, PodLoadView, RepLoadView, RoutingTestView, RoutingView};
pub use sla::{CurvePoint, DEFAULT_MAX_OCCUPANCY, PodSlaView, SIMULATION_BUDGET, SlaCurve};

/// What the model is built from, besides the brief.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The brief, checked.
    pub brief: &'a crate::checked::Brief,
    /// The brief's path as recorded in the plan.
    pub path: String,
    /// SHA-256 of the brief file's bytes, lowercase hex.
    pub sha256: String,
    /// The build time (`--now`), which decides what is past due.
    pub now: Timestamp,
}

/// Everything the templates read.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Where and when the design was generated.
    pub meta: Meta,
    /// The brief's headline facts.
    pub brief: Summary,
    /// Overall readiness.
    pub status: Readiness,
    /// Funnel stages, qualification and score bands.
    pub funnel: FunnelView,
    /// Inbound volume.
    pub demand: DemandView,
    /// Pods and their reps.
    pub pods: Vec<PodView>,
    /// Routing matrix, coverage and expected load.
    pub routing: RoutingView,
    /// SLA tables per pod.
    pub sla: Vec<PodSlaView>,
    /// What it takes for each pod to meet its target, in the order of `sla`.
    pub advice: Vec<PodAdvice>,
    /// Escalation tree.
    pub escalation: EscalationView,
    /// Data and tooling checklist.
    pub checklist: Checklist,
    /// Enablement kit per pod.
    pub enablement: EnablementView,
    /// Risks found by every calculator, most severe first, then by area.
    pub risks: Vec<Risk>,
    /// Targets.
    pub success_metrics: crate::brief::SuccessMetrics,
    /// Who signs.
    pub approvers: Vec<crate::brief::Approver>,
    /// Retry limit for automation.
    pub retry_limit: u32,
    /// Number of routing rules.
    pub rule_count: usize,
    /// Pod of the routing-level fallback.
    pub routing_fallback_pod: Option<String>,
    /// Stand-ins for absent owners: role → stand-in.
    pub escalation_fallbacks: BTreeMap<String, String>,
}

/// Provenance of the generated documents.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// `handoff` version.
    pub version: String,
    /// Build time, RFC 3339 UTC.
    pub generated_at: String,
    /// Build date in the brief's zone.
    pub today: String,
    /// The brief's path.
    pub brief_path: String,
    /// SHA-256 of the brief.
    pub brief_sha256: String,
}

/// Headline facts of the brief.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Slug.
    pub id: String,
    /// Title.
    pub title: String,
    /// Segment as written (`mid-market`).
    pub segment: String,
    /// Goal as written (`product-activation`).
    pub goal: String,
    /// SLA as written (`2h`).
    pub response_sla: String,
    /// SLA in minutes on its clock (a day is one business day on the business clock).
    pub sla_minutes: f64,
    /// `business` or `calendar`.
    pub sla_clock: String,
    /// IANA zone.
    pub timezone: String,
    /// Open hours.
    pub hours: HoursView,
    /// Holidays, `YYYY-MM-DD`.
    pub holidays: Vec<String>,
    /// Launch date.
    pub launch: String,
}

/// Open hours, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct HoursView {
    /// Open days, short names in week order (`Mon`, `Tue` …).
    pub days: Vec<String>,
    /// Opening time.
    pub open: String,
    /// Closing time.
    pub close: String,
    /// Open minutes per business day.
    pub minutes_per_day: f64,
}

/// Overall readiness.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// `ready`, `at-risk` or `blocked`.
    pub state: String,
    /// Count of high-severity risks.
    pub high: usize,
    /// Count of medium-severity risks.
    pub medium: usize,
    /// Count of low-severity risks.
    pub low: usize,
}

/// Build the Model from a checked brief. It cannot fail on input: validation has parsed and
/// checked every value the calculators read.
#[must_use]
pub fn build(inputs: &Inputs<'_>) -> Model {
    let checked = inputs.brief;
    let brief = checked.raw();
    let calendar = checked.calendar();
    let launch = checked.launch();
    let today = inputs.now.to_zoned_datetime(checked.time_zone().clone()).date();
    let sla_minutes = checked.sla_minutes();

    let mut risks = Vec::new();
    let pods = brief_view::pods_view(checked);
    let routing = routing::routing_view(checked, &mut risks);
    let sla_tables = sla::sla_view(checked, &routing.analysis.load, &mut risks);
    let advice = advice::advice(checked, &sla_tables);
    advice::refine_risks(&mut risks, &advice);
    let escalation = escalation::escalation_view(checked, sla_minutes);
    let (checklist, dep_risks) = checklist::checklist(checked, launch, today);
    risks.extend(dep_risks);
    let (enablement, kit_risks) = enablement::enablement_view(checked, calendar, launch, today);
    risks.extend(kit_risks);
    risk::drop_repeated(&mut risks);
    // Most severe first, then by area; render orders risks of one area by their wording.
    risks.sort_by_key(|r| (r.severity, r.area()));

    let status = readiness(&risks);
    Model {
        meta: Meta {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            generated_at: inputs.now.to_string(),
            today: today.to_string(),
            brief_path: inputs.path.clone(),
            brief_sha256: inputs.sha256.clone(),
        },
        brief: Summary {
            id: brief.id.clone(),
            title: brief.title.clone(),
            segment: slug(&brief.segment),
            goal: slug(&brief.goal),
            response_sla: brief.response_sla.clone(),
            sla_minutes,
            sla_clock: slug(&brief.sla_clock),
            timezone: brief.timezone.clone(),
            hours: hours_view(&brief.business_hours, calendar),
            holidays: brief.holidays.clone(),
            launch: brief.launch.clone(),
        },
        status,
        funnel: brief_view::funnel_view(brief),
        demand: brief_view::demand_view(checked),
        pods,
        routing,
        sla: sla_tables,
        advice,
        escalation,
        checklist,
        enablement,
        risks,
        success_metrics: brief.success_metrics.clone(),
        approvers: brief.approvers.clone(),
        retry_limit: brief.guardrails.retry_limit,
        rule_count: brief.routing.rules.len(),
        routing_fallback_pod: brief.routing.fallback.pod.clone(),
        escalation_fallbacks: brief.escalation.fallbacks.clone(),
    }
}

fn readiness(risks: &[Risk]) -> Readiness {
    let count = |s: Severity| risks.iter().filter(|r| r.severity == s).count();
    let (high, medium, low) = (count(Severity::High), count(Severity::Medium), count(Severity::Low));
    let state = if high > 0 {
        "blocked"
    } else if medium > 0 {
        "at-risk"
    } else {
        "ready"
    };
    Readiness { state: state.to_owned(), high, medium, low }
}

/// The serde name of a unit enum value (`MidMarket` → `mid-market`).
pub(crate) fn slug<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn hours_view(hours: &BusinessHours, calendar: &BusinessCalendar) -> HoursView {
    let mut days = hours.days.clone();
    days.sort();
    days.dedup();
    let names = days
        .iter()
        .map(|d| {
            let mut s = slug(d);
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        })
        .collect();
    HoursView {
        days: names,
        open: hours.open.clone(),
        close: hours.close.clone(),
        minutes_per_day: calendar.open_minutes_per_day(),
    }
}
