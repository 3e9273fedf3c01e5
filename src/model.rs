//! The Model: the one context every template reads, built once per brief.
//!
//! `model` is where the checked brief meets the calculators: it parses the brief's dates, zones
//! and durations (validation has already proven they parse), calls each calculator, and gathers
//! the results with the brief's own words into plain serialisable structs. Templates present
//! these values and never compute; calculators never see templates.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result, anyhow};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::brief::{
    AssetKind, Brief, BusinessHours, Dependency, DependencyKind, EnablementItem, Method, Objection, Reps, SlaClock,
    Status, StepAction,
};
use crate::calc::calendar::BusinessCalendar;
use crate::calc::duration::Duration;
use crate::calc::enablement::{self, Flag, KitPart};
use crate::calc::escalation;

/// What the model is built from, besides the brief.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The brief, validated.
    pub brief: &'a Brief,
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
    /// Escalation tree.
    pub escalation: EscalationView,
    /// Data and tooling checklist.
    pub checklist: Checklist,
    /// Enablement kit per pod.
    pub enablement: EnablementView,
    /// Risks found by every calculator, most severe first.
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

/// Funnel view.
#[derive(Debug, Clone, Serialize)]
pub struct FunnelView {
    /// Stages as written.
    pub stages: Vec<crate::brief::Stage>,
    /// Qualification criteria.
    pub qualification: Vec<String>,
    /// Score bands, highest first, with their upper bound.
    pub bands: Vec<BandView>,
}

/// A score band with its range.
#[derive(Debug, Clone, Serialize)]
pub struct BandView {
    /// Lowest score (inclusive).
    pub min: f64,
    /// Next band's minimum (exclusive), or none for the top band.
    pub below: Option<f64>,
    /// Action slug.
    pub action: String,
    /// Optional label.
    pub label: Option<String>,
    /// The range in words: `80+`, `60–79` (whole scores) or `60 to under 80`.
    pub range: String,
}

/// Demand view.
#[derive(Debug, Clone, Serialize)]
pub struct DemandView {
    /// Leads per calendar week.
    pub leads_per_week: f64,
    /// Leads per calendar day.
    pub leads_per_day: f64,
    /// Mix rows: attribute, value, share.
    pub mix: Vec<MixRow>,
}

/// One share of the demand mix.
#[derive(Debug, Clone, Serialize)]
pub struct MixRow {
    /// Attribute.
    pub attribute: String,
    /// Value or range.
    pub value: String,
    /// Share 0–1.
    pub share: f64,
}

/// A pod, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct PodView {
    /// Id.
    pub id: String,
    /// Display name (the id when none).
    pub name: String,
    /// Role (`SDR`).
    pub role: String,
    /// Head count.
    pub reps: u32,
    /// Named reps (empty for a head count).
    pub rep_names: Vec<String>,
    /// Shrinkage 0–1.
    pub shrinkage: f64,
    /// Minutes per first touch.
    pub touch_minutes: f64,
    /// The pod's zone.
    pub timezone: String,
    /// The pod's hours.
    pub hours: HoursView,
    /// Mean patience, as written.
    pub patience: Option<String>,
}

/// The SLA table of one pod.
#[derive(Debug, Clone, Serialize)]
pub struct PodSlaView {
    /// Pod id.
    pub pod: String,
    /// Leads reaching the pod per week (from the routing load).
    pub leads_per_week: f64,
    /// Leads per open hour.
    pub arrivals_per_open_hour: f64,
    /// Head count.
    pub reps: u32,
    /// The queue at the open-hours arrival rate (Erlang C, or Erlang A with patience):
    /// productive reps, traffic, stability, occupancy, wait probability, share within the SLA,
    /// mean and percentile waits, share going cold. Flattened, so templates read
    /// `p.occupancy` and so on directly.
    #[serde(flatten)]
    pub queue: crate::calc::sla::QueueMetrics,
    /// Simulated attainment (mean).
    pub simulated_attainment: f64,
    /// Half-width of its 95% interval.
    pub simulated_attainment_ci: f64,
    /// Simulated p90 wait, minutes on the SLA clock.
    pub simulated_p90_wait_minutes: f64,
    /// Simulated share going cold.
    pub simulated_cold_share: f64,
    /// Leads simulated.
    pub simulated_leads: u64,
    /// Share of leads arriving while the pod is closed.
    pub after_hours_share: f64,
    /// Mean leads waiting at an opening (none when the pod never closes).
    pub backlog_at_opening: Option<f64>,
    /// Attainment on the brief's clock, from `basis`.
    pub attainment: f64,
    /// `erlang_c`, `erlang_a` or `simulation`.
    pub basis: String,
    /// Target share.
    pub target: f64,
    /// Head count needed for the target (none: unreachable).
    pub required_reps: Option<u32>,
    /// Productive reps needed.
    pub required_productive_reps: Option<u32>,
    /// SLA the current team can promise at the target, minutes (none: no SLA reaches it).
    pub promisable_sla_minutes: Option<f64>,
    /// The SLA, minutes on its clock.
    pub sla_minutes: f64,
    /// Whether the pod meets its target.
    pub meets_target: bool,
    /// Attainment against productive reps from the queueing formula, for the packet's chart.
    pub curve: SlaCurve,
}

/// SLA attainment against productive reps for one pod, from the queueing formula (the
/// simulation is too slow to sweep), with the current team and the target to mark.
#[derive(Debug, Clone, Serialize)]
pub struct SlaCurve {
    /// The formula the points come from: `erlang_c`, or `erlang_a` when leads go cold.
    pub formula: String,
    /// One point per productive head count, increasing.
    pub points: Vec<CurvePoint>,
    /// Productive reps today.
    pub current_productive_reps: u32,
    /// Target share touched within the SLA.
    pub target: f64,
}

/// One point of an [`SlaCurve`].
#[derive(Debug, Clone, Serialize)]
pub struct CurvePoint {
    /// Productive reps.
    pub productive_reps: u32,
    /// Head count giving that many productive reps under the pod's shrinkage.
    pub reps: u32,
    /// Share touched within the SLA by the formula (0 when the queue grows without bound).
    pub attainment: f64,
    /// False when more work arrives than these reps can do (and leads never go cold).
    pub stable: bool,
}

/// Routing view: the analysis and the brief's routing tests.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingView {
    /// Matrix, enrichment, coverage and load, from `calc::routing`.
    pub analysis: crate::calc::routing::coverage::Analysis,
    /// The brief's routing tests and what each reached.
    pub tests: Vec<RoutingTestView>,
    /// Largest fallback share the guardrails allow.
    pub max_fallback_share: f64,
    /// Expected load per pod, with only the reps (or the pod queue) that receive leads.
    pub pod_loads: Vec<PodLoadView>,
}

/// Expected load on one pod.
#[derive(Debug, Clone, Serialize)]
pub struct PodLoadView {
    /// Pod id.
    pub pod: String,
    /// Share of all leads.
    pub share: f64,
    /// Leads per week.
    pub leads_per_week: f64,
    /// Leads per week placed in the pod's queue (any rep), when any.
    pub queue_leads_per_week: Option<f64>,
    /// Reps that receive leads directly: name and leads per week.
    pub reps: Vec<RepLoadView>,
}

/// Expected load on one rep.
#[derive(Debug, Clone, Serialize)]
pub struct RepLoadView {
    /// Rep name.
    pub rep: String,
    /// Leads per week.
    pub leads_per_week: f64,
}

/// A routing test and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct RoutingTestView {
    /// 1-based number.
    pub number: usize,
    /// Name, or the lead's fields in words.
    pub name: String,
    /// Expected rule and pod.
    pub expected: String,
    /// Reached rule and pod.
    pub reached: String,
    /// Whether it passed.
    pub passed: bool,
}

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

/// Data and tooling checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    /// Lead fields routing and scoring need.
    pub fields: Vec<FieldItem>,
    /// Integrations, enrichment and scoring systems.
    pub integrations: Vec<DependencyView>,
    /// Automation flows: the brief's plus the ones the design implies.
    pub automations: Vec<DependencyView>,
    /// Other dependencies (content, dashboards).
    pub other: Vec<DependencyView>,
}

/// A lead field that must exist and be filled.
#[derive(Debug, Clone, Serialize)]
pub struct FieldItem {
    /// Field name.
    pub field: String,
    /// Why it is needed (`routing condition`, `enrichment`, `territory`, `scoring`).
    pub needed_for: Vec<String>,
    /// Rules that read it.
    pub rules: Vec<String>,
    /// Who fills it.
    pub owner: String,
    /// Status slug.
    pub status: String,
}

/// A dependency, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct DependencyView {
    /// Name.
    pub name: String,
    /// Kind slug.
    pub kind: String,
    /// Owner (empty when missing: flagged).
    pub owner: String,
    /// Status slug.
    pub status: String,
    /// Due date.
    pub due: String,
    /// Flags (`past-due`, `no-owner` …).
    pub flags: Vec<String>,
    /// True when implied by the design rather than listed in the brief.
    pub implied: bool,
}

/// Enablement view.
#[derive(Debug, Clone, Serialize)]
pub struct EnablementView {
    /// Every item, in due-date order.
    pub items: Vec<EnablementView1>,
    /// Per pod: the items it needs.
    pub by_pod: Vec<PodKit>,
    /// Kit parts pods lack.
    pub gaps: Vec<GapView>,
    /// Objection tables.
    pub objection_tables: Vec<ObjectionTable>,
}

/// An enablement item with its due date.
#[derive(Debug, Clone, Serialize)]
pub struct EnablementView1 {
    /// Asset name.
    pub asset: String,
    /// Kind slug.
    pub kind: String,
    /// Kit part it fills (`talk-tracks` …), if any.
    pub part: Option<String>,
    /// Pods.
    pub pods: Vec<String>,
    /// Owner, empty when missing.
    pub owner: String,
    /// Lead time as written.
    pub lead_time: String,
    /// Business days before launch.
    pub lead_days: u32,
    /// Due date.
    pub due: String,
    /// Flags.
    pub flags: Vec<String>,
    /// Notes (Markdown).
    pub notes: Option<String>,
    /// Link, only when http, https or mailto.
    pub link: Option<String>,
}

/// A pod's kit.
#[derive(Debug, Clone, Serialize)]
pub struct PodKit {
    /// Pod id.
    pub pod: String,
    /// Items, in due-date order.
    pub items: Vec<EnablementView1>,
}

/// Missing kit parts for a pod.
#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    /// Pod id.
    pub pod: String,
    /// Missing part slugs.
    pub missing: Vec<String>,
}

/// An objection table.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectionTable {
    /// Asset name.
    pub asset: String,
    /// Rows.
    pub rows: Vec<Objection>,
}

/// A risk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Risk {
    /// `high`, `medium` or `low` (sorted in that order).
    pub severity: Severity,
    /// Area (`sla`, `routing`, `enablement`, `dependencies`, `demand`).
    pub area: String,
    /// What is at risk, in words.
    pub message: String,
    /// JSON pointer into the brief of the value the risk is about (for diagnostics).
    #[serde(skip)]
    pub pointer: String,
}

/// Risk severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks launch or breaks the SLA.
    High,
    /// Needs an owner's attention before launch.
    Medium,
    /// Worth knowing.
    Low,
}

/// Build the Model.
///
/// # Errors
/// A value that validation should have rejected (a date, zone or duration that does not parse);
/// the message names the field.
pub fn build(inputs: &Inputs<'_>) -> Result<Model> {
    let brief = inputs.brief;
    let sla = parse_duration(&brief.response_sla, "response_sla")?;
    let calendar = calendar_of(&brief.timezone, &brief.business_hours, &brief.holidays, "")?;
    let launch = parse_date(&brief.launch, "launch")?;
    let today = inputs
        .now
        .in_tz(&brief.timezone)
        .map(|z| z.date())
        .map_err(|e| anyhow!("timezone: `{}` is not a time zone: {e}", brief.timezone))?;
    let sla_minutes = match brief.sla_clock {
        SlaClock::Business => sla.in_minutes(calendar.open_minutes_per_day()),
        SlaClock::Calendar => sla.calendar_minutes(),
    };

    let mut risks = Vec::new();
    let pods = pods_view(brief)?;
    let routing = routing_view(brief, &mut risks)?;
    let sla_tables = sla_view(brief, &routing.analysis.load, launch, &mut risks)?;
    let escalation = escalation_view(brief, sla_minutes)?;
    let (checklist, dep_risks) = checklist(brief, launch, today)?;
    risks.extend(dep_risks);
    let (enablement, kit_risks) = enablement_view(brief, &calendar, launch, today)?;
    risks.extend(kit_risks);
    risks.sort();

    let status = readiness(&risks);
    Ok(Model {
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
            hours: hours_view(&brief.business_hours, &calendar),
            holidays: brief.holidays.clone(),
            launch: brief.launch.clone(),
        },
        status,
        funnel: funnel_view(brief),
        demand: demand_view(brief),
        pods,
        routing,
        sla: sla_tables,
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
    })
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
fn slug<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Parse a duration validation has already accepted.
///
/// # Errors
/// The field and the reason, should validation have let it through.
pub fn parse_duration(text: &str, field: &str) -> Result<Duration> {
    Duration::parse(text).map_err(|e| anyhow!("{field}: {e}"))
}

/// Parse a `YYYY-MM-DD` date validation has already accepted.
///
/// # Errors
/// The field and the reason.
pub fn parse_date(text: &str, field: &str) -> Result<Date> {
    text.parse::<Date>().map_err(|e| anyhow!("{field}: `{text}` is not a date (YYYY-MM-DD): {e}"))
}

/// The business calendar for a zone, hours and holidays.
///
/// # Errors
/// A zone, time or date that does not parse; `field` prefixes the message.
pub fn calendar_of(zone: &str, hours: &BusinessHours, holidays: &[String], field: &str) -> Result<BusinessCalendar> {
    let holidays = holidays
        .iter()
        .enumerate()
        .map(|(i, h)| parse_date(h, &format!("{field}holidays[{i}]")))
        .collect::<Result<BTreeSet<Date>>>()?;
    let days: Vec<jiff::civil::Weekday> = hours.days.iter().map(|d| crate::calc::calendar::weekday(*d)).collect();
    let open = hours.open.parse().with_context(|| format!("{field}business_hours.open: `{}`", hours.open))?;
    let close = hours.close.parse().with_context(|| format!("{field}business_hours.close: `{}`", hours.close))?;
    BusinessCalendar::new(zone, &days, open, close, holidays).map_err(|e| anyhow!("{field}business_hours: {e}"))
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

fn funnel_view(brief: &Brief) -> FunnelView {
    let mut bands = brief.funnel.score_bands.clone();
    bands.sort_by(|a, b| b.min.total_cmp(&a.min));
    let bands = bands
        .iter()
        .enumerate()
        .map(|(i, band)| {
            let below = i.checked_sub(1).and_then(|j| bands.get(j)).map(|b| b.min);
            let whole = |v: f64| v.fract() == 0.0;
            let range = match below {
                None => format!("{}+", crate::render::short_number(band.min)),
                Some(b) if whole(band.min) && whole(b) => {
                    format!("{}–{}", crate::render::short_number(band.min), crate::render::short_number(b - 1.0))
                }
                Some(b) => {
                    format!("{} to under {}", crate::render::short_number(band.min), crate::render::short_number(b))
                }
            };
            BandView { min: band.min, below, action: slug(&band.action), label: band.label.clone(), range }
        })
        .collect();
    FunnelView { stages: brief.funnel.stages.clone(), qualification: brief.funnel.qualification.clone(), bands }
}

/// Leads per calendar week from whichever rate the brief gives.
#[must_use]
pub fn leads_per_week(brief: &Brief) -> f64 {
    match (brief.demand.leads_per_week, brief.demand.leads_per_day) {
        (Some(w), _) => w,
        (None, Some(d)) => d * 7.0,
        (None, None) => 0.0,
    }
}

fn demand_view(brief: &Brief) -> DemandView {
    let per_week = leads_per_week(brief);
    let mix = brief
        .demand
        .mix
        .iter()
        .flat_map(|(attribute, shares)| {
            shares.iter().map(move |(value, share)| MixRow {
                attribute: attribute.clone(),
                value: value.clone(),
                share: *share,
            })
        })
        .collect();
    DemandView { leads_per_week: per_week, leads_per_day: per_week / 7.0, mix }
}

/// Head count and named reps of a pod.
#[must_use]
pub fn head_count(reps: &Reps) -> u32 {
    match reps {
        Reps::Count(n) => *n,
        Reps::Named(list) => u32::try_from(list.len()).unwrap_or(u32::MAX),
    }
}

/// Reps who take new leads: the head count, less named reps marked `available: false` (leave,
/// ramp-down). The router skips those reps, so the SLA model does not count them either.
#[must_use]
pub fn available_reps(reps: &Reps) -> u32 {
    match reps {
        Reps::Count(n) => *n,
        Reps::Named(list) => u32::try_from(list.iter().filter(|r| r.available).count()).unwrap_or(u32::MAX),
    }
}

/// Shrinkage of a pod: given, or 1 − availability, or 0.
#[must_use]
pub fn shrinkage(pod: &crate::brief::Pod) -> f64 {
    pod.shrinkage.or(pod.availability.map(|a| 1.0 - a)).unwrap_or(0.0)
}

fn pods_view(brief: &Brief) -> Result<Vec<PodView>> {
    brief
        .capacity
        .pods
        .iter()
        .enumerate()
        .map(|(i, pod)| {
            let zone = pod.timezone.as_deref().unwrap_or(&brief.timezone);
            let hours = pod.business_hours.as_ref().unwrap_or(&brief.business_hours);
            let holidays = pod.holidays.as_deref().unwrap_or(&brief.holidays);
            let calendar = calendar_of(zone, hours, holidays, &format!("capacity.pods[{i}]."))?;
            Ok(PodView {
                id: pod.id.clone(),
                name: pod.name.clone().unwrap_or_else(|| pod.id.clone()),
                role: slug(&pod.role),
                reps: head_count(&pod.reps),
                rep_names: match &pod.reps {
                    Reps::Count(_) => Vec::new(),
                    Reps::Named(list) => list
                        .iter()
                        .map(|r| if r.available { r.name.clone() } else { format!("{} (unavailable)", r.name) })
                        .collect(),
                },
                shrinkage: shrinkage(pod),
                touch_minutes: pod.touch_minutes,
                timezone: zone.to_owned(),
                hours: hours_view(hours, &calendar),
                patience: pod.patience.clone(),
            })
        })
        .collect()
}

/// Highest occupancy a pod is planned for when the brief sets none: beyond about 85%, reps
/// have no slack for follow-ups and breaks, the usual planning ceiling in workforce management.
pub const DEFAULT_MAX_OCCUPANCY: f64 = 0.85;

/// Most leads one simulation of a pod may draw (all replications and weeks together). The
/// default 30 replications of 1 + 4 weeks stay within it up to 2,666 leads a week; above that,
/// replications (down to 4) and then measured weeks (down to 1) shrink, so a build takes
/// bounded time whatever the demand (the schema caps it at 200,000 leads a week). The interval
/// half-widths in the design widen accordingly and are reported as they are.
pub const SIMULATION_BUDGET: f64 = 400_000.0;

fn simulation_config(seed: u64, leads_per_week: f64) -> crate::calc::simulate::SimConfig {
    let default = crate::calc::simulate::SimConfig { seed, ..Default::default() };
    let per_replication = |weeks: u32| leads_per_week * f64::from(default.warmup_weeks + weeks);
    let mut config = default;
    if per_replication(config.weeks) * f64::from(config.replications) <= SIMULATION_BUDGET {
        return config;
    }
    // Bounded by the division and the clamp, so the cast is exact.
    config.replications = ((SIMULATION_BUDGET / per_replication(config.weeks)).floor() as u32).clamp(4, 30);
    while config.weeks > 1 && per_replication(config.weeks) * f64::from(config.replications) > SIMULATION_BUDGET {
        config.weeks -= 1;
    }
    config
}

fn sla_view(
    brief: &Brief,
    load: &crate::calc::routing::coverage::Load,
    launch: Date,
    risks: &mut Vec<Risk>,
) -> Result<Vec<PodSlaView>> {
    use crate::calc::simulate::Clock;
    use crate::calc::sla::{self, Risk as SlaRisk};
    let sla = parse_duration(&brief.response_sla, "response_sla")?;
    let target = brief.success_metrics.sla_attainment;
    let max_occupancy = brief.guardrails.max_occupancy.unwrap_or(DEFAULT_MAX_OCCUPANCY);
    let clock = match brief.sla_clock {
        SlaClock::Business => Clock::Business,
        SlaClock::Calendar => Clock::Calendar,
    };
    let mut out = Vec::new();
    for (index, pod) in brief.capacity.pods.iter().enumerate() {
        let zone = pod.timezone.as_deref().unwrap_or(&brief.timezone);
        let hours = pod.business_hours.as_ref().unwrap_or(&brief.business_hours);
        let holidays = pod.holidays.as_deref().unwrap_or(&brief.holidays);
        let field = format!("capacity.pods[{index}].");
        let calendar = calendar_of(zone, hours, holidays, &field)?;
        let start =
            launch.to_zoned_datetime(calendar.time_zone().clone()).map_err(|e| anyhow!("launch: {e}"))?.timestamp();
        let leads_per_week = load.by_pod.iter().find(|p| p.pod == pod.id).map_or(0.0, |p| p.leads_per_week);
        let patience = pod.patience.as_deref().map(|p| parse_duration(p, &format!("{field}patience"))).transpose()?;
        let input = sla::PodSlaInput {
            leads_per_week,
            touch_minutes: pod.touch_minutes,
            reps: available_reps(&pod.reps),
            shrinkage: shrinkage(pod),
            sla,
            clock,
            calendar,
            patience,
            target,
            max_occupancy,
            after_hours_share: brief.demand.after_hours_share,
            start,
            // One seed per pod position: reproducible, and pods do not share random streams.
            simulation: simulation_config(0x5eed_0000 + index as u64, leads_per_week),
        };
        let r = sla::pod_sla(&input).map_err(|e| anyhow!("{field}: SLA model: {e}"))?;
        let pointer = format!("/capacity/pods/{index}");
        let mut risk = |severity: Severity, message: String| {
            risks.push(Risk { severity, area: "sla".to_owned(), message, pointer: pointer.clone() });
        };
        for flag in &r.risks {
            match *flag {
                SlaRisk::AttainmentUnderTarget { attainment, target } => risk(
                    Severity::High,
                    format!(
                        "Pod {} touches {:.1}% of leads within {}, under the {:.0}% target{}.",
                        pod.id,
                        attainment * 100.0,
                        brief.response_sla,
                        target * 100.0,
                        match r.required_reps {
                            Some(n) => format!("; it needs {n} reps"),
                            None => "; no head count reaches it, because leads that arrive while the pod is closed wait past the SLA or go cold".to_owned(),
                        }
                    ),
                ),
                SlaRisk::OccupancyAboveMax { occupancy, max } => risk(
                    Severity::Medium,
                    format!(
                        "Pod {} is {:.0}% occupied in open hours, over the {:.0}% ceiling: no slack for follow-ups.",
                        pod.id,
                        occupancy * 100.0,
                        max * 100.0
                    ),
                ),
                SlaRisk::SingleRep => {
                    risk(Severity::Medium, format!("Pod {} has one rep: nobody covers absence or leave.", pod.id));
                }
                SlaRisk::UnstableQueue { traffic_erlangs, productive_reps, required_productive_reps } => risk(
                    Severity::High,
                    format!(
                        "Pod {} cannot keep up: {:.1} erlangs of first-touch work for {} productive reps, so the queue grows without bound{}.",
                        pod.id,
                        traffic_erlangs,
                        productive_reps,
                        match required_productive_reps {
                            Some(n) => format!("; it needs {n} productive reps"),
                            None => String::new(),
                        }
                    ),
                ),
            }
        }
        if leads_per_week == 0.0 {
            risk(Severity::Low, format!("Pod {} receives no leads from the routing and demand mix.", pod.id));
        }
        out.push(PodSlaView {
            pod: pod.id.clone(),
            leads_per_week,
            arrivals_per_open_hour: r.open_hours_arrivals_per_hour,
            reps: input.reps,
            queue: r.queue,
            simulated_attainment: r.simulated.attainment.mean,
            simulated_attainment_ci: r.simulated.attainment.half_width,
            simulated_p90_wait_minutes: r.simulated.p90_wait_minutes.mean,
            simulated_cold_share: r.simulated.cold_share.mean,
            simulated_leads: r.simulated.leads,
            after_hours_share: r.after_hours_share,
            backlog_at_opening: r.backlog_at_opening.map(|b| b.mean),
            attainment: r.attainment,
            basis: r.basis.as_str().to_owned(),
            target,
            required_reps: r.required_reps,
            required_productive_reps: r.required_productive_reps,
            promisable_sla_minutes: r.promisable_sla_minutes.filter(|m| m.is_finite()),
            sla_minutes: r.sla_minutes,
            meets_target: r.attainment >= target,
            curve: sla_curve(&input, &r, target),
        });
    }
    // Attributes the rules read that the demand mix does not split: the load there is a guess.
    let unstated: Vec<String> = crate::calc::routing::coverage::used_fields(brief)
        .into_iter()
        .filter(|f| !brief.demand.mix.contains_key(f))
        .collect();
    if !unstated.is_empty() {
        risks.push(Risk {
            severity: Severity::Low,
            area: "demand".to_owned(),
            message: format!(
                "The demand mix gives no shares for {}: the load per pod assumes values split evenly (present/absent half and half).",
                unstated.join(", ")
            ),
            pointer: "/demand".to_owned(),
        });
    }
    Ok(out)
}

/// Points a chart needs at most: enough to reach 99% from an unstable queue in every example,
/// few enough to draw quickly.
const CURVE_MAX_POINTS: usize = 120;

/// Attainment against productive reps at the pod's open-hours arrival rate, by the queueing
/// formula the SLA table reports (Erlang C, or Erlang A with patience). Starts at the largest
/// head count that cannot keep up (or at the current team when that is smaller) and runs past
/// both the current team and 99% attainment.
fn sla_curve(input: &crate::calc::sla::PodSlaInput, r: &crate::calc::sla::PodSla, target: f64) -> SlaCurve {
    use crate::calc::sla::{QueueInput, queue_metrics, reps_for_productive};
    let current = r.productive_reps;
    let patience = input.patience.map(|p| p.calendar_minutes());
    // Traffic is finite and non-negative (validated); the floor fits a u32 for any real pod.
    let traffic = r.queue.traffic_erlangs;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let unstable_up_to = if traffic.is_finite() && traffic >= 0.0 { traffic.floor().min(1e6) as u32 } else { 0 };
    let first = unstable_up_to.min(current).max(1);
    let mut points = Vec::new();
    let mut n = first;
    loop {
        let metrics = queue_metrics(&QueueInput {
            arrivals_per_hour: r.open_hours_arrivals_per_hour,
            touch_minutes: input.touch_minutes,
            productive_reps: n,
            sla_minutes: r.sla_minutes,
            patience_minutes: patience,
        });
        let (attainment, stable) = match metrics {
            Ok(m) => (m.service_level.unwrap_or(0.0), m.stable),
            Err(_) => (0.0, false),
        };
        points.push(CurvePoint {
            productive_reps: n,
            reps: reps_for_productive(n, input.shrinkage),
            attainment,
            stable,
        });
        let past_current = n >= current.saturating_add(2);
        let reached = attainment >= 0.99 && attainment >= target;
        if (past_current && reached) || points.len() >= CURVE_MAX_POINTS || n == u32::MAX {
            break;
        }
        n += 1;
    }
    let formula = if patience.is_some() { "erlang_a" } else { "erlang_c" };
    SlaCurve { formula: formula.to_owned(), points, current_productive_reps: current, target }
}

fn routing_view(brief: &Brief, risks: &mut Vec<Risk>) -> Result<RoutingView> {
    let analysis = crate::calc::routing::coverage::analyze(brief).map_err(|issues| {
        let first = issues.first().map(|i| format!("{}: {}", i.pointer, i.message)).unwrap_or_default();
        anyhow!("routing does not compile: {first}")
    })?;
    let max_fallback = brief.guardrails.max_fallback_share;
    let mut risk = |severity: Severity, message: String, pointer: &str| {
        risks.push(Risk { severity, area: "routing".to_owned(), message, pointer: pointer.to_owned() });
    };
    let load = &analysis.load;
    if load.unrouted_share > 0.0 {
        risk(
            Severity::High,
            format!(
                "{:.1}% of leads can reach nobody: not even the fallback can take them.",
                load.unrouted_share * 100.0
            ),
            "/routing/fallback",
        );
    }
    if load.fallback_share > max_fallback {
        risk(
            Severity::Medium,
            format!(
                "{:.1}% of leads fall to a fallback, over the {:.1}% guardrail: {} combinations of attribute values match no rule.",
                load.fallback_share * 100.0,
                max_fallback * 100.0,
                analysis.coverage.gap_count
            ),
            "/routing/fallback",
        );
    }
    for dead in &analysis.coverage.dead {
        let index = brief.routing.rules.iter().position(|r| r.id == dead.rule).unwrap_or(0);
        let why = match &dead.reason {
            crate::calc::routing::coverage::DeadReason::MatchesNothing => {
                "no combination of the declared values satisfies its conditions".to_owned()
            }
            crate::calc::routing::coverage::DeadReason::Shadowed { by } => {
                format!("earlier rules ({}) catch every lead it matches", by.join(", "))
            }
        };
        risk(
            Severity::Medium,
            format!("Rule {} can never fire: {why}.", dead.rule),
            &format!("/routing/rules/{index}"),
        );
    }
    for field in &analysis.enrichment.used_not_listed {
        risk(
            Severity::Low,
            format!("Field {field} is read by routing but not listed under routing.enrichment."),
            "/routing/enrichment",
        );
    }
    if analysis.coverage.capped {
        risk(
            Severity::Low,
            format!(
                "Coverage was checked on {} of {} attribute combinations; findings are partial.",
                analysis.coverage.enumerated, analysis.coverage.combinations
            ),
            "/routing/attributes",
        );
    }
    let describe = |rule: &str, pod: Option<&str>, rep: Option<&str>| -> String {
        let mut text = format!("{rule} → {}", pod.unwrap_or("unrouted"));
        if let Some(rep) = rep {
            text.push_str(&format!(" ({rep})"));
        }
        text
    };
    let tests = crate::calc::routing::run_tests(brief)
        .into_iter()
        .map(|t| {
            let lead = &brief.routing.tests[t.index].lead;
            let fields: Vec<String> = lead.iter().map(|(k, v)| format!("{k}={}", json_scalar(v))).collect();
            RoutingTestView {
                number: t.index + 1,
                name: t.name.clone().unwrap_or_else(|| fields.join(", ")),
                expected: describe(&t.expected.rule, Some(&t.expected.pod), t.expected.rep.as_deref()),
                reached: describe(&t.reached.rule, t.reached.pod.as_deref(), t.reached.rep.as_deref()),
                passed: t.passed,
            }
        })
        .collect();
    let pod_loads = analysis
        .load
        .by_pod
        .iter()
        .map(|p| PodLoadView {
            pod: p.pod.clone(),
            share: p.share,
            leads_per_week: p.leads_per_week,
            queue_leads_per_week: (p.queue_share > 0.0).then_some(p.queue_share * analysis.load.leads_per_week),
            reps: p
                .reps
                .iter()
                .filter(|r| r.leads_per_week > 0.0)
                .map(|r| RepLoadView { rep: r.rep.clone(), leads_per_week: r.leads_per_week })
                .collect(),
        })
        .collect();
    Ok(RoutingView { analysis, tests, max_fallback_share: max_fallback, pod_loads })
}

fn json_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn escalation_view(brief: &Brief, sla_minutes: f64) -> Result<EscalationView> {
    let esc = &brief.escalation;
    let window = parse_duration(&esc.rip_cord.window, "escalation.rip_cord.window")?;
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
    Ok(EscalationView { tree, rungs, rip_cord_window: esc.rip_cord.window.clone() })
}

fn dep_view(dep: &Dependency, due: Date, flags: &[Flag]) -> DependencyView {
    DependencyView {
        name: dep.name.clone(),
        kind: slug(&dep.kind),
        owner: dep.owner.clone().unwrap_or_default(),
        status: slug(&dep.status),
        due: due.to_string(),
        flags: flags.iter().map(slug).collect(),
        implied: false,
    }
}

fn checklist(brief: &Brief, launch: Date, today: Date) -> Result<(Checklist, Vec<Risk>)> {
    let dues = brief
        .dependencies
        .iter()
        .enumerate()
        .map(|(i, d)| d.due.as_deref().map(|t| parse_date(t, &format!("dependencies[{i}].due"))).transpose())
        .collect::<Result<Vec<_>>>()?;
    let scheduled = enablement::schedule_dependencies(&brief.dependencies, &dues, launch, today);
    let mut risks = Vec::new();
    let (mut integrations, mut automations, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for s in &scheduled {
        let dep = &brief.dependencies[s.index];
        let view = dep_view(dep, s.due, &s.flags);
        for flag in &s.flags {
            let (severity, what) = match flag {
                Flag::PastDue => (Severity::High, format!("was due {} and is {}", s.due, view.status)),
                Flag::NoOwner => (Severity::Medium, "has no owner".to_owned()),
                Flag::Blocked => (Severity::High, "is blocked".to_owned()),
                Flag::AfterLaunch => (Severity::High, format!("is due {} , after launch on {launch}", s.due)),
            };
            risks.push(Risk {
                severity,
                area: "dependencies".to_owned(),
                message: format!("Dependency “{}” {what}.", dep.name),
                pointer: format!("/dependencies/{}", s.index),
            });
        }
        match dep.kind {
            DependencyKind::Integration | DependencyKind::Enrichment | DependencyKind::Scoring => {
                integrations.push(view);
            }
            DependencyKind::Automation | DependencyKind::Sequence => automations.push(view),
            _ => other.push(view),
        }
    }
    // Flows the design implies whether or not the brief lists them: without them the routing,
    // the SLA timers and the rip-cord exist only on paper.
    let implied = |name: String, kind: &str| DependencyView {
        name,
        kind: kind.to_owned(),
        owner: "RevOps".to_owned(),
        status: "to-build".to_owned(),
        due: launch.to_string(),
        flags: Vec::new(),
        implied: true,
    };
    for rule in &brief.routing.rules {
        automations.push(implied(format!("Assignment rule {} in the CRM", rule.id), "automation"));
    }
    automations.push(implied("Fallback assignment and unrouted-lead alert".to_owned(), "automation"));
    automations.push(implied("SLA timers for each escalation rung".to_owned(), "automation"));
    automations.push(implied("Rip-cord alert to leadership".to_owned(), "automation"));

    let fields = field_items(brief);
    Ok((Checklist { fields, integrations, automations, other }, risks))
}

fn field_items(brief: &Brief) -> Vec<FieldItem> {
    let mut fields: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut need = |field: &str, why: &str, rule: Option<&str>| {
        let entry = fields.entry(field.to_owned()).or_default();
        entry.0.insert(why.to_owned());
        if let Some(rule) = rule {
            entry.1.insert(rule.to_owned());
        }
    };
    for rule in &brief.routing.rules {
        for field in rule.when.keys() {
            need(field, "routing condition", Some(&rule.id));
        }
        for assign in std::iter::once(&rule.assign).chain(rule.fallback.as_ref()) {
            match assign.method {
                Method::Territory => need(assign.field.as_deref().unwrap_or("region"), "territory", Some(&rule.id)),
                Method::AccountOwner => {
                    need(assign.field.as_deref().unwrap_or("account_owner"), "account owner", Some(&rule.id));
                }
                _ => {}
            }
        }
    }
    for field in &brief.routing.enrichment {
        need(field, "enrichment", None);
    }
    if !brief.funnel.score_bands.is_empty() {
        need("lead_score", "scoring", None);
    }
    let enrichment_owner = brief
        .dependencies
        .iter()
        .find(|d| d.kind == DependencyKind::Enrichment)
        .and_then(|d| d.owner.clone().map(|o| (o, d.status)));
    let scoring_owner = brief
        .dependencies
        .iter()
        .find(|d| d.kind == DependencyKind::Scoring)
        .and_then(|d| d.owner.clone().map(|o| (o, d.status)));
    fields
        .into_iter()
        .map(|(field, (why, rules))| {
            let source = if why.contains("scoring") { scoring_owner.clone() } else { enrichment_owner.clone() };
            let (owner, status) = match source {
                Some((owner, status)) => (owner, slug(&status)),
                None => ("Marketing Ops".to_owned(), slug(&Status::NotStarted)),
            };
            FieldItem {
                field,
                needed_for: why.into_iter().collect(),
                rules: rules.into_iter().collect(),
                owner,
                status,
            }
        })
        .collect()
}

fn safe_link(link: &str) -> Option<String> {
    let lower = link.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then(|| link.trim().to_owned())
}

fn enablement_view(
    brief: &Brief,
    calendar: &BusinessCalendar,
    launch: Date,
    today: Date,
) -> Result<(EnablementView, Vec<Risk>)> {
    let lead_times = brief
        .enablement
        .iter()
        .enumerate()
        .map(|(i, e)| parse_duration(&e.lead_time, &format!("enablement[{i}].lead_time")))
        .collect::<Result<Vec<_>>>()?;
    let scheduled = enablement::schedule_items(&brief.enablement, &lead_times, calendar, launch, today);
    let mut risks = Vec::new();
    let mut items: Vec<(Date, usize, EnablementView1)> = Vec::new();
    for s in &scheduled {
        let item: &EnablementItem = &brief.enablement[s.index];
        for flag in &s.flags {
            let (severity, what) = match flag {
                Flag::PastDue => {
                    (Severity::High, format!("was due {} ({} business days before launch)", s.due, s.lead_days))
                }
                Flag::NoOwner => (Severity::Medium, "has no owner".to_owned()),
                Flag::Blocked | Flag::AfterLaunch => continue,
            };
            risks.push(Risk {
                severity,
                area: "enablement".to_owned(),
                message: format!("Enablement asset “{}” {what}.", item.asset),
                pointer: format!("/enablement/{}", s.index),
            });
        }
        items.push((
            s.due,
            s.index,
            EnablementView1 {
                asset: item.asset.clone(),
                kind: slug(&item.kind),
                part: KitPart::of(item.kind).map(|p| slug(&p)),
                pods: item.pods.clone(),
                owner: item.owner.clone().unwrap_or_default(),
                lead_time: item.lead_time.clone(),
                lead_days: s.lead_days,
                due: s.due.to_string(),
                flags: s.flags.iter().map(slug).collect(),
                notes: item.notes.clone(),
                link: item.link.as_deref().and_then(safe_link),
            },
        ));
    }
    items.sort_by_key(|item| (item.0, item.1));
    let items: Vec<EnablementView1> = items.into_iter().map(|(_, _, v)| v).collect();
    let pod_ids: Vec<String> = brief.capacity.pods.iter().map(|p| p.id.clone()).collect();
    let by_pod = pod_ids
        .iter()
        .map(|pod| PodKit { pod: pod.clone(), items: items.iter().filter(|i| i.pods.contains(pod)).cloned().collect() })
        .collect();
    let gaps: Vec<GapView> = enablement::kit_gaps(&brief.enablement, &pod_ids)
        .into_iter()
        .map(|g| GapView { pod: g.pod, missing: g.missing.iter().map(slug).collect() })
        .collect();
    for gap in &gaps {
        let index = pod_ids.iter().position(|p| *p == gap.pod).unwrap_or(0);
        risks.push(Risk {
            severity: Severity::Medium,
            area: "enablement".to_owned(),
            message: format!("Pod {} has no {} in its enablement kit.", gap.pod, gap.missing.join(", ")),
            pointer: format!("/capacity/pods/{index}"),
        });
    }
    let objection_tables = brief
        .enablement
        .iter()
        .filter(|e| e.kind == AssetKind::ObjectionTable && !e.objections.is_empty())
        .map(|e| ObjectionTable { asset: e.asset.clone(), rows: e.objections.clone() })
        .collect();
    Ok((EnablementView { items, by_pod, gaps, objection_tables }, risks))
}
